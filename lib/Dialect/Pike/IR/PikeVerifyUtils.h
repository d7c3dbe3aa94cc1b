//===- PikeVerifyUtils.h - Checks shared by the pike op verifiers -*- C++ -*-===//

#ifndef PIKE_LIB_DIALECT_PIKE_IR_PIKEVERIFYUTILS_H
#define PIKE_LIB_DIALECT_PIKE_IR_PIKEVERIFYUTILS_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Operation.h"

#include <optional>
#include "pike/Dialect/Pike/IR/PikeAttrs.h"
#include "pike/Numerics/IntRange.h"

namespace mlir::pike::detail {

/// Smallest and largest value of an integer element type, read as unsigned
/// if `isUnsigned`.
int64_t integerMin(Type elementType, bool isUnsigned);
int64_t integerMax(Type elementType, bool isUnsigned);

/// Checks that `value` (the attribute `name`) fits `elementType` read with
/// the given signedness.
LogicalResult verifyFitsType(Operation *op, StringRef name, int64_t value,
                             Type elementType, bool isUnsigned);

/// Checks that `count` per-channel entries of `what` are 1 (shared) or the
/// size of dimension `axis` of `type` (when static).
LogicalResult verifyChannelCount(Operation *op, StringRef what, size_t count,
                                 ShapedType type, int64_t axis,
                                 bool allowShared = true);

/// Checks an array attribute's length and that each entry is >= `minValue`.
LogicalResult verifyArray(Operation *op, StringRef name, ArrayRef<int64_t> values,
                          size_t size, int64_t minValue);

/// Values of an integer element type, read with the given signedness, after
/// subtracting `zeroPoint`: exact, however wide the type.
::mlir::pike::numerics::IntRange operandRange(Type elementType, bool isUnsigned,
                                        int64_t zeroPoint);

/// One product of a fixed-point rescale: an input range (zero point already
/// subtracted) times a fixed-point scale.
struct ScaledTerm {
  ::mlir::pike::numerics::IntRange input;
  FixedPointAttr scale;
};

/// Checks, channel by channel, that no intermediate of the 64-bit
/// requantization code (each product, their sum, the bias, the rounding
/// terms of the scale's mode) can overflow; the error names the channel.
/// `terms` share one rounding mode and shift; `biases` is empty, shared or
/// per channel.
LogicalResult verifyScaledSumFits(Operation *op, ArrayRef<ScaledTerm> terms,
                                  ArrayRef<int64_t> biases = {});

/// Static output size of a sliding window, or failure with an error.
FailureOr<int64_t> windowOutputSize(Operation *op, StringRef dimName,
                                    int64_t input, int64_t kernel,
                                    int64_t stride, int64_t dilation,
                                    int64_t padBefore, int64_t padAfter);

/// Checks that `actual` equals `expected` unless either is dynamic.
LogicalResult verifyDim(Operation *op, StringRef what, int64_t actual,
                        int64_t expected);

} // namespace mlir::pike::detail

#endif // PIKE_LIB_DIALECT_PIKE_IR_PIKEVERIFYUTILS_H
