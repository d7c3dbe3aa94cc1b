//===- RegisterTile.h - The dense kernel's register tile --------*- C++ -*-===//
//
// How many output pixels and filter vectors the dense kernel accumulates at
// once: sized for the target's register file, or chosen with `dense-tile`
// (convert-pike-to-cpu-kernels, pike-cpu-pipeline, pike-run).
//
//===----------------------------------------------------------------------===//

#ifndef PIKE_CONVERSION_REGISTERTILE_H
#define PIKE_CONVERSION_REGISTERTILE_H

#include "pike/Target/CpuTarget.h"

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>

namespace mlir::pike {

/// Output pixels and filter vectors of one register tile: rows * vectors
/// accumulators.
struct RegisterTile {
  int64_t rows, vectors;
};

/// The tile `target`'s register file holds without spilling; `bytePairs`:
/// for a kernel stepping on byte pairs (AVX2's vpmaddubsw), whose i16
/// products also take registers at each step.
RegisterTile registerTile(const CpuTargetInfo &target, bool bytePairs = false);

/// `RxV` (1 <= R <= 8, 1 <= V <= 4), or none.
std::optional<RegisterTile> parseRegisterTile(llvm::StringRef spelling);

} // namespace mlir::pike

#endif // PIKE_CONVERSION_REGISTERTILE_H
