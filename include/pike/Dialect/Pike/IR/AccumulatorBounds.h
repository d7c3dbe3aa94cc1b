//===- AccumulatorBounds.h - What a MAC op's accumulator can hold -*- C++ -*-===//
//
// Exact bounds of the accumulator of pike.conv2d and pike.fully_connected
// (docs/Numerics.md "Range checks"), shared by the verifiers, the
// pike-check-overflow analysis and pike-narrow-accumulators.
//
//===----------------------------------------------------------------------===//

#ifndef PIKE_DIALECT_PIKE_IR_ACCUMULATORBOUNDS_H
#define PIKE_DIALECT_PIKE_IR_ACCUMULATORBOUNDS_H

#include "mlir/IR/Operation.h"
#include "pike/Numerics/IntRange.h"

#include "llvm/ADT/SmallVector.h"

#include <optional>

namespace mlir::pike {

struct AccumulatorBounds {
  /// Whatever the weights: the number of products per output times the
  /// range of one product (zero points subtracted), plus the bias range.
  numerics::IntRange worstCase;
  /// With constant weights: per output channel, the exact range of
  /// sum_k w[c][k] * x (x over the centered input range) plus bias[c].
  /// Tighter than the worst case, and than sum |w| * max |x| (the l1 bound).
  std::optional<SmallVector<numerics::IntRange>> perChannel;
  /// Whether the bias is known (constant or absent); a computed bias cannot
  /// be bounded and is left out of both bounds.
  bool biasKnown = true;

  /// The hull of `perChannel`.
  std::optional<numerics::IntRange> weightAware() const;
};

/// The bounds of `op`'s accumulator; nothing for ops that are not MAC ops or
/// whose shapes are dynamic. `perChannel` is computed (one pass over the
/// weights) only if `withWeights`.
std::optional<AccumulatorBounds> computeAccumulatorBounds(Operation *op,
                                                          bool withWeights = true);

} // namespace mlir::pike

#endif // PIKE_DIALECT_PIKE_IR_ACCUMULATORBOUNDS_H
