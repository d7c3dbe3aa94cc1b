//===- PikeVerifyUtils.cpp - Checks shared by the pike op verifiers -------===//

#include "PikeVerifyUtils.h"

#include "pike/Numerics/FixedPoint.h"

#include <algorithm>
#include <cstdint>

using namespace mlir;
namespace num = ::pike::numerics;

namespace mlir::pike::detail {

int64_t integerMin(Type elementType, bool isUnsigned) {
  return num::minValue(elementType.getIntOrFloatBitWidth(), !isUnsigned);
}

int64_t integerMax(Type elementType, bool isUnsigned) {
  return num::maxValue(elementType.getIntOrFloatBitWidth(), !isUnsigned);
}

LogicalResult verifyFitsType(Operation *op, StringRef name, int64_t value,
                             Type elementType, bool isUnsigned) {
  int64_t lo = integerMin(elementType, isUnsigned);
  int64_t hi = integerMax(elementType, isUnsigned);
  if (value >= lo && value <= hi)
    return success();
  return op->emitOpError() << name << " (" << value << ") is outside ["
                           << lo << ", " << hi << "], the range of "
                           << (isUnsigned ? "unsigned " : "signed ")
                           << elementType;
}

LogicalResult verifyChannelCount(Operation *op, StringRef what, size_t count,
                                 ShapedType type, int64_t axis,
                                 bool allowShared) {
  if (axis < 0 || axis >= type.getRank())
    return op->emitOpError() << "channel axis " << axis
                             << " is outside the rank-" << type.getRank()
                             << " operand";
  if (allowShared && count == 1)
    return success();
  int64_t channels = type.getDimSize(axis);
  if (ShapedType::isDynamic(channels) || int64_t(count) == channels)
    return success();
  return op->emitOpError() << "has " << count << " " << what
                           << " but dimension " << axis << " has " << channels
                           << " channels";
}

LogicalResult verifyArray(Operation *op, StringRef name,
                          ArrayRef<int64_t> values, size_t size,
                          int64_t minValue) {
  if (values.size() != size)
    return op->emitOpError() << name << " needs " << size << " values, got "
                             << values.size();
  for (int64_t value : values)
    if (value < minValue)
      return op->emitOpError() << name << " value " << value
                               << " is below the minimum " << minValue;
  return success();
}

int64_t maxAbsAfterZeroPoint(Type elementType, bool isUnsigned,
                             int64_t zeroPoint) {
  __int128 lo = __int128(integerMin(elementType, isUnsigned)) - zeroPoint;
  __int128 hi = __int128(integerMax(elementType, isUnsigned)) - zeroPoint;
  __int128 worst = std::max(lo < 0 ? -lo : lo, hi < 0 ? -hi : hi);
  return int64_t(std::min<__int128>(worst, INT64_MAX));
}

LogicalResult verifyScaledSumFits(Operation *op, ArrayRef<ScaledTerm> terms,
                                  int64_t maxAbsBias) {
  __int128 total = maxAbsBias < 0 ? -__int128(maxAbsBias) : maxAbsBias;
  unsigned maxShift = 0;
  for (const ScaledTerm &term : terms) {
    int64_t maxMultiplier = 0;
    for (size_t c = 0, e = term.scale.getNumChannels(); c < e; ++c) {
      maxMultiplier = std::max(maxMultiplier, term.scale.getMultiplier(c));
      maxShift = std::max(maxShift, term.scale.getShift(c));
    }
    total += __int128(term.maxAbsInput) * maxMultiplier;
  }
  // The rounding terms: 2^(shift-1), and 2^30 more for double rounding.
  total += (__int128(1) << (maxShift - 1)) + (__int128(1) << 30);
  if (total <= INT64_MAX)
    return success();
  return op->emitOpError()
         << "the 64-bit requantization intermediate may overflow: the "
            "largest |input| times the largest multiplier (plus bias and "
            "rounding) exceeds 2^63; use smaller multipliers or zero points";
}

LogicalResult verifyAccumulatorFits(Operation *op, Type accType, int64_t aMin,
                                    int64_t aMax, int64_t bMin, int64_t bMax,
                                    int64_t terms) {
  int64_t worst = num::worstCaseDotProduct(aMin, aMax, bMin, bMax, terms);
  int64_t limit = integerMax(accType, /*isUnsigned=*/false);
  if (worst <= limit)
    return success();
  return op->emitOpError() << "accumulator type " << accType
                           << " may overflow: the worst-case sum of " << terms
                           << " products reaches " << worst << ", which needs "
                           << num::signedBitsFor(worst) << " bits";
}

FailureOr<int64_t> windowOutputSize(Operation *op, StringRef dimName,
                                    int64_t input, int64_t kernel,
                                    int64_t stride, int64_t dilation,
                                    int64_t padBefore, int64_t padAfter) {
  if (ShapedType::isDynamic(input) || ShapedType::isDynamic(kernel))
    return ShapedType::kDynamic;
  int64_t span = dilation * (kernel - 1) + 1;
  int64_t padded = input + padBefore + padAfter;
  if (padded < span) {
    op->emitOpError() << "window of " << span << " along " << dimName
                      << " does not fit the padded input of " << padded;
    return failure();
  }
  return (padded - span) / stride + 1;
}

LogicalResult verifyDim(Operation *op, StringRef what, int64_t actual,
                        int64_t expected) {
  if (ShapedType::isDynamic(actual) || ShapedType::isDynamic(expected) ||
      actual == expected)
    return success();
  return op->emitOpError() << what << " is " << actual << ", expected "
                           << expected;
}

} // namespace mlir::pike::detail
