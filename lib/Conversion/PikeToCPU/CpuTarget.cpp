//===- CpuTarget.cpp - Host CPU feature detection for the kernels ---------===//

#include "pike/Conversion/PikeToCPU/CpuTarget.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/TargetParser/Host.h"

using namespace mlir::pike;

namespace {

llvm::ArrayRef<const char *> requiredFeatures(CpuTarget target) {
  static const char *vnni[] = {"avx512f", "avx512bw", "avx512vnni"};
  if (target == CpuTarget::avx512_vnni)
    return vnni;
  return {};
}

} // namespace

llvm::StringRef mlir::pike::cpuTargetName(CpuTarget target) {
  switch (target) {
  case CpuTarget::host:
    return "host";
  case CpuTarget::scalar:
    return "scalar";
  case CpuTarget::vector:
    return "vector";
  case CpuTarget::avx512_vnni:
    return "avx512-vnni";
  }
  return "?";
}

std::optional<CpuTarget> mlir::pike::parseCpuTarget(llvm::StringRef name) {
  for (CpuTarget target : {CpuTarget::host, CpuTarget::scalar, CpuTarget::vector,
                           CpuTarget::avx512_vnni})
    if (cpuTargetName(target) == name)
      return target;
  return std::nullopt;
}

llvm::SmallVector<std::string> mlir::pike::missingHostFeatures(CpuTarget target) {
  llvm::StringMap<bool> host = llvm::sys::getHostCPUFeatures();
  llvm::SmallVector<std::string> missing;
  for (const char *feature : requiredFeatures(resolveCpuTarget(target)))
    if (!host.lookup(feature))
      missing.push_back(feature);
  return missing;
}

CpuTarget mlir::pike::hostCpuTarget() {
  llvm::StringMap<bool> host = llvm::sys::getHostCPUFeatures();
  for (const char *feature : requiredFeatures(CpuTarget::avx512_vnni))
    if (!host.lookup(feature))
      return CpuTarget::vector;
  return CpuTarget::avx512_vnni;
}

CpuTarget mlir::pike::resolveCpuTarget(CpuTarget target) {
  return target == CpuTarget::host ? hostCpuTarget() : target;
}
