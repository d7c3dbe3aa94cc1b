//===- PikeVerifyUtils.cpp - Checks shared by the pike op verifiers -------===//

#include "PikeVerifyUtils.h"

#include "pike/Numerics/FixedPoint.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"

#include <algorithm>
#include <cstdint>

using namespace mlir;
namespace num = ::mlir::pike::numerics;
using ::mlir::pike::numerics::IntRange;

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

IntRange operandRange(Type elementType, bool isUnsigned, int64_t zeroPoint) {
  return IntRange::ofType(elementType.getIntOrFloatBitWidth(), !isUnsigned) -
         IntRange::point(zeroPoint);
}

LogicalResult verifyScaledSumFits(Operation *op, ArrayRef<ScaledTerm> terms,
                                  ArrayRef<int64_t> biases) {
  size_t channels = std::max<size_t>(biases.size(), 1);
  for (const ScaledTerm &term : terms)
    channels = std::max(channels, term.scale.getNumChannels());
  num::Rounding mode = toNumericsRounding(terms.front().scale.getRounding());
  if (mode == num::Rounding::Float32 && terms.size() > 1)
    return op->emitOpError("float32 rounding scales one accumulator, as a float32 "
                           "multiply does: it takes no second operand");
  // Every intermediate of the 64-bit code, in the order the lowering and
  // pike-expand-apply-scale compute them, channel by channel.
  for (size_t c = 0; c < channels; ++c) {
    auto fail = [&](StringRef what, const IntRange &range) {
      InFlightDiagnostic diag =
          op->emitOpError() << "the 64-bit requantization intermediate may overflow";
      if (channels > 1)
        diag << " in channel " << c;
      diag << ": " << what << " reaches " << range.str()
           << "; use smaller multipliers, shifts or zero points";
      return diag;
    };
    IntRange sum;
    for (auto [i, term] : llvm::enumerate(terms)) {
      size_t at = term.scale.getNumChannels() == 1 ? 0 : c;
      IntRange input = term.input;
      if (mode == num::Rounding::Float32) {
        // The bias joins the accumulator before the float32 conversion,
        // which moves it by at most 2^-24 of itself.
        if (!biases.empty())
          input = input + IntRange::point(biases[biases.size() == 1 ? 0 : c]);
        input = num::roundToFloat32(input);
        if (!input.fits(64, /*isSigned=*/true))
          return fail("the biased accumulator as float32", input);
      }
      IntRange product = input * IntRange::point(term.scale.getMultiplier(at));
      if (!product.fits(64, /*isSigned=*/true))
        return fail("input times multiplier", product);
      sum = i == 0 ? product : sum + product;
      if (!sum.fits(64, /*isSigned=*/true))
        return fail("the sum of the scaled operands", sum);
    }
    if (!biases.empty() && mode != num::Rounding::Float32) {
      sum = sum + IntRange::point(biases[biases.size() == 1 ? 0 : c]);
      if (!sum.fits(64, /*isSigned=*/true))
        return fail("the product plus bias", sum);
    }
    const FixedPointAttr &scale = terms.front().scale;
    unsigned shift = scale.getShift(scale.getNumChannels() == 1 ? 0 : c);
    for (const num::Intermediate &step : num::roundingShiftIntermediates(sum, shift, mode))
      if (!step.range.fits(64, /*isSigned=*/true))
        return fail(step.what, step.range);
  }
  return success();
}

FailureOr<int64_t> windowOutputSize(Operation *op, StringRef dimName,
                                    int64_t input, int64_t kernel,
                                    int64_t stride, int64_t dilation,
                                    int64_t padBefore, int64_t padAfter) {
  if (ShapedType::isDynamic(input) || ShapedType::isDynamic(kernel))
    return ShapedType::kDynamic;
  int64_t span, padded;
  if (__builtin_mul_overflow(dilation, kernel - 1, &span) ||
      __builtin_add_overflow(span, 1, &span)) {
    op->emitOpError() << "window along " << dimName << " (dilation " << dilation
                      << " times kernel " << kernel
                      << " minus 1, plus 1) overflows 64 bits";
    return failure();
  }
  if (__builtin_add_overflow(input, padBefore, &padded) ||
      __builtin_add_overflow(padded, padAfter, &padded)) {
    op->emitOpError() << "padded input along " << dimName << " (" << input
                      << " + " << padBefore << " + " << padAfter
                      << ") overflows 64 bits";
    return failure();
  }
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
