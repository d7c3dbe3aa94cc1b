//===- CpuTarget.h - The instruction set the CPU kernels are built for -*- C++ -*-===//

#ifndef PIKE_CONVERSION_PIKETOCPU_CPUTARGET_H
#define PIKE_CONVERSION_PIKETOCPU_CPUTARGET_H

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

namespace mlir::pike {

/// What convert-pike-to-cpu-kernels builds MAC kernels for.
enum class CpuTarget {
  /// The best target the host CPU supports.
  host,
  /// No kernels: every op goes through linalg to scalar loops (the reference
  /// lowering).
  scalar,
  /// Packed weights, register tiles and vector arithmetic any LLVM target
  /// can lower (16 lanes of i32 multiply-add).
  vector,
  /// As `vector`, the u8 x s8 dot products on AVX-512 VNNI `vpdpbusd`.
  avx512_vnni,
};

/// The target's name as options spell it.
llvm::StringRef cpuTargetName(CpuTarget target);
std::optional<CpuTarget> parseCpuTarget(llvm::StringRef name);

/// The best concrete target the host CPU runs.
CpuTarget hostCpuTarget();

/// `host` resolved to the host's target; others unchanged.
CpuTarget resolveCpuTarget(CpuTarget target);

/// The LLVM CPU features `target` needs that the host lacks (empty when it
/// runs here).
llvm::SmallVector<std::string> missingHostFeatures(CpuTarget target);

} // namespace mlir::pike

#endif // PIKE_CONVERSION_PIKETOCPU_CPUTARGET_H
