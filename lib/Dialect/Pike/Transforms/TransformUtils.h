//===- TransformUtils.h - Helpers shared by the pike passes -----*- C++ -*-===//

#ifndef PIKE_LIB_DIALECT_PIKE_TRANSFORMS_TRANSFORMUTILS_H
#define PIKE_LIB_DIALECT_PIKE_TRANSFORMS_TRANSFORMUTILS_H

#include "pike/Dialect/Pike/IR/PikeOps.h"

#include "llvm/ADT/SmallVector.h"

#include <optional>

namespace mlir::pike {

/// The values of a constant real tensor, or nothing if `value` is not one.
std::optional<SmallVector<double>> getConstantReals(Value value);

/// Parses a pass's rounding option ("single" or "double"); on anything
/// else, reports the error on `root` and fails.
FailureOr<RoundingMode> parseRoundingOption(Operation *root, StringRef pass,
                                            StringRef name);

/// The per-tensor quantize that consumes `value`, through at most one
/// real clamp, when each link has a single use. `clamp` is set when present.
QuantizeOp getQuantizeConsumer(Value value, ClampOp *clamp = nullptr);

/// Builds a fixed-point scale, folding equal entries into one.
FixedPointAttr makeFixedPoint(MLIRContext *context, unsigned bits,
                              ArrayRef<int64_t> multipliers,
                              ArrayRef<int64_t> shifts, RoundingMode rounding);

/// Signed bit-width (sign included) needed to hold `value`.
unsigned signedBitsNeeded(int64_t value);

} // namespace mlir::pike

#endif // PIKE_LIB_DIALECT_PIKE_TRANSFORMS_TRANSFORMUTILS_H
