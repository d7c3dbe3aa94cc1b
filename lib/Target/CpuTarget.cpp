//===- CpuTarget.cpp - The CPU target table and host detection ------------===//

#include "pike/Target/CpuTarget.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

#include <vector>

using namespace mlir::pike;

namespace {

constexpr llvm::StringLiteral kVnniFeatures[] = {"avx512vnni"};
constexpr llvm::StringLiteral kVnniPopcntFeatures[] = {"avx512vnni", "avx512vpopcntdq"};
constexpr llvm::StringLiteral kNeonFeatures[] = {"neon"};
constexpr llvm::StringLiteral kDotProdFeatures[] = {"neon", "dotprod"};
constexpr llvm::StringLiteral kI8mmFeatures[] = {"neon", "dotprod", "i8mm"};

// 512-bit vectors on: x86-64-v4 alone tunes for 256 (prefer-256-bit).
const CpuTargetInfo kTargets[] = {
    {CpuTarget::scalar,
     "scalar",
     "no kernels: linalg to scalar loops (the reference lowering)",
     DotProduct::none,
     0,
     0,
     0,
     "x86-64",
     {},
     ""},
    {CpuTarget::vector,
     "vector",
     "vector kernels in plain LLVM vector arithmetic (16 x i32 multiply-add), x86-64-v3",
     DotProduct::x86Pairs,
     512,
     16,
     256,
     "x86-64-v3",
     {},
     ""},
    {CpuTarget::avx512_vnni, "avx512-vnni",
     "vector kernels whose u8 x s8 dot products are AVX-512 VNNI vpdpbusd", DotProduct::x86Vnni,
     512, 32, 512, "x86-64-v4", kVnniFeatures, "-prefer-256-bit"},
    // The same kernels; the binary ones' popcounts become one vpopcntq per
    // 8 words instead of a nibble-table expansion (1.9-3.1x on their layers,
    // bench/RESULTS.md). Ice Lake, Sapphire Rapids and Zen 4 on; not
    // Cascade Lake.
    {CpuTarget::avx512_vnni_popcnt, "avx512-vnni-popcnt",
     "avx512-vnni with AVX512_VPOPCNTDQ: binary (+-1) layers count bits with vpopcntq",
     DotProduct::x86Vnni, 512, 32, 512, "x86-64-v4", kVnniPopcntFeatures, "-prefer-256-bit"},
    // The portable kernels on AArch64 (NEON, which ARMv8-A always has) in
    // its 128-bit registers: a 4 x 4 tile of 4-lane accumulators takes 16 of
    // the 32. Cross-compiled and checked under qemu from an x86-64 host.
    {CpuTarget::aarch64, "aarch64",
     "AArch64 (NEON, 4 x i32 vectors): the portable vector kernels, cross-compiled",
     DotProduct::portable, 128, 32, 128, "generic", kNeonFeatures, "", "", "aarch64-linux-gnu"},
    // The same tile, each step 4 channels by sdot (the dot product: optional
    // from ARMv8.2-A, mandatory from ARMv8.4-A; Cortex-A55, A75, A76 on).
    {CpuTarget::aarch64_dotprod, "aarch64-dotprod",
     "AArch64 with the dot product (sdot): 4 x s8 products into each i32 lane", DotProduct::armDot,
     128, 32, 128, "generic", kDotProdFeatures, "", "", "aarch64-linux-gnu"},
    // Matrix tiles (ARMv8.6-A's i8mm; Cortex-A510, A710, Neoverse V1 on):
    // 2 pixels x 2 filters x 8 channels per usmmla/smmla.
    {CpuTarget::aarch64_i8mm, "aarch64-i8mm",
     "AArch64 with i8mm: 2 x 8 by 8 x 2 byte matrix products (usmmla/smmla)", DotProduct::armI8mm,
     128, 32, 128, "generic", kI8mmFeatures, "", "", "aarch64-linux-gnu"},
};

/// The LLVM features each x86-64 micro-architecture level adds (psABI).
llvm::ArrayRef<llvm::StringLiteral> levelFeatures(llvm::StringRef level) {
  static constexpr llvm::StringLiteral v2[] = {"cx16", "popcnt", "sse3", "sse4.1", "sse4.2",
                                               "ssse3"};
  static constexpr llvm::StringLiteral v3[] = {"avx", "avx2", "bmi", "bmi2", "f16c",
                                               "fma", "lzcnt", "movbe", "xsave"};
  static constexpr llvm::StringLiteral v4[] = {"avx512f", "avx512bw", "avx512cd", "avx512dq",
                                               "avx512vl"};
  if (level == "x86-64-v2")
    return v2;
  if (level == "x86-64-v3")
    return v3;
  if (level == "x86-64-v4")
    return v4;
  return {};
}

llvm::StringRef previousLevel(llvm::StringRef level) {
  if (level == "x86-64-v4")
    return "x86-64-v3";
  if (level == "x86-64-v3")
    return "x86-64-v2";
  return "";
}

} // namespace

llvm::SmallVector<llvm::StringRef> CpuTargetInfo::requiredFeatures() const {
  llvm::SmallVector<llvm::StringRef> levels, features;
  for (llvm::StringRef level = cpuLevel; !level.empty(); level = previousLevel(level))
    levels.push_back(level);
  for (llvm::StringRef level : llvm::reverse(levels))
    features.append(levelFeatures(level).begin(), levelFeatures(level).end());
  features.append(extraFeatures.begin(), extraFeatures.end());
  return features;
}

llvm::ArrayRef<CpuTargetInfo> mlir::pike::cpuTargets() { return kTargets; }

const CpuTargetInfo &mlir::pike::cpuTargetInfo(CpuTarget target) {
  CpuTarget resolved = resolveCpuTarget(target);
  for (const CpuTargetInfo &info : kTargets)
    if (info.id == resolved)
      return info;
  llvm_unreachable("every CpuTarget but host has a row in kTargets");
}

llvm::StringRef mlir::pike::cpuTargetName(CpuTarget target) {
  return target == CpuTarget::host ? "host" : cpuTargetInfo(target).name;
}

std::string mlir::pike::cpuTargetTripleSpelling(const CpuTargetInfo &info) {
  // Every row named after its architecture, whatever the host's, so that
  // a command line means the same on an x86-64 and an AArch64 machine.
  llvm::Triple triple(info.triple);
  llvm::StringRef arch = triple.getArchName();
  if (!info.name.starts_with(arch))
    return "";
  return (info.triple + info.name.drop_front(arch.size())).str();
}

llvm::ArrayRef<TargetSpelling> mlir::pike::tripleSpellings() {
  static const std::vector<TargetSpelling> spellings = [] {
    std::vector<TargetSpelling> all;
    for (const CpuTargetInfo &info : kTargets)
      if (std::string spelling = cpuTargetTripleSpelling(info); !spelling.empty())
        all.push_back({std::move(spelling), ("the same as " + info.name).str(), info.id});
    return all;
  }();
  return spellings;
}

std::optional<CpuTarget> mlir::pike::parseCpuTarget(llvm::StringRef name) {
  if (name == "host")
    return CpuTarget::host;
  for (const CpuTargetInfo &info : kTargets)
    if (info.name == name || (name.size() > info.name.size() &&
                              cpuTargetTripleSpelling(info) == name))
      return info.id;
  return std::nullopt;
}

static llvm::SmallVector<std::string> missingFeatures(const CpuTargetInfo &info,
                                                      const llvm::StringMap<bool> &host) {
  llvm::SmallVector<std::string> missing;
  // Another architecture's code never runs here, whatever its features.
  llvm::Triple here(llvm::sys::getProcessTriple());
  if (llvm::Triple(info.triple).getArch() != here.getArch())
    missing.push_back(("arch " + llvm::Triple(info.triple).getArchName()).str());
  for (llvm::StringRef feature : info.requiredFeatures())
    if (!host.lookup(feature))
      missing.push_back(feature.str());
  return missing;
}

llvm::SmallVector<std::string> mlir::pike::missingHostFeatures(CpuTarget target) {
  return missingFeatures(cpuTargetInfo(target), llvm::sys::getHostCPUFeatures());
}

bool mlir::pike::CpuTargetParser::parse(llvm::cl::Option &option, llvm::StringRef argName,
                                        llvm::StringRef arg, CpuTarget &value) {
  if (std::optional<CpuTarget> target = parseCpuTarget(arg)) {
    value = *target;
    return false;
  }
  std::string names = "host";
  for (const CpuTargetInfo &info : kTargets)
    names += ", " + info.name.str();
  for (const TargetSpelling &spelling : tripleSpellings())
    names += ", " + spelling.name;
  return option.error("unknown target '" + arg + "'; one of: " + names, argName);
}

CpuTarget mlir::pike::hostCpuTarget() {
  llvm::StringMap<bool> host = llvm::sys::getHostCPUFeatures();
  for (const CpuTargetInfo &info : llvm::reverse(kTargets))
    if (missingFeatures(info, host).empty())
      return info.id;
  return CpuTarget::scalar;
}

CpuTarget mlir::pike::resolveCpuTarget(CpuTarget target) {
  return target == CpuTarget::host ? hostCpuTarget() : target;
}

static llvm::StringRef dotProductName(DotProduct dot) {
  switch (dot) {
  case DotProduct::none:
    return "none";
  case DotProduct::portable:
    return "portable";
  case DotProduct::x86Pairs:
    return "x86-pairs";
  case DotProduct::x86Vnni:
    return "x86-vnni";
  case DotProduct::armDot:
    return "arm-dot";
  case DotProduct::armI8mm:
    return "arm-i8mm";
  }
  llvm_unreachable("every DotProduct is named");
}

void mlir::pike::printCpuTargetsJson(llvm::raw_ostream &os) {
  llvm::StringMap<bool> host = llvm::sys::getHostCPUFeatures();
  llvm::json::Array targets;
  for (const CpuTargetInfo &info : kTargets) {
    llvm::json::Array features, extra, missing;
    for (llvm::StringRef feature : info.requiredFeatures())
      features.push_back(feature);
    for (llvm::StringRef feature : info.extraFeatures)
      extra.push_back(feature);
    for (const std::string &feature : missingFeatures(info, host))
      missing.push_back(feature);
    targets.push_back(llvm::json::Object{
        {"name", info.name},
        {"summary", info.summary},
        {"dot_product", dotProductName(info.dot)},
        {"vector_bits", info.vectorBits},
        {"vector_registers", info.vectorRegisters},
        {"register_bits", info.registerBits},
        {"lanes", info.lanes()},
        {"cpu_level", info.cpuLevel},
        {"extra_features", std::move(extra)},
        {"tuning", info.tuning},
        {"tile_unit", info.tileUnit},
        {"triple", info.triple},
        {"triple_spelling", cpuTargetTripleSpelling(info)},
        {"required_features", std::move(features)},
        {"missing_here", std::move(missing)},
    });
  }
  os << llvm::formatv("{0:2}", llvm::json::Value(llvm::json::Object{
                                   {"host", cpuTargetName(hostCpuTarget())},
                                   {"targets", std::move(targets)}}))
     << "\n";
}
