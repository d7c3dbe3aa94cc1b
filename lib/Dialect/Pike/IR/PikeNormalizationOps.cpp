//===- PikeNormalizationOps.cpp - Softmax and layer normalization ---------===//

#include "PikeVerifyUtils.h"
#include "pike/Dialect/Pike/IR/PikeOps.h"
#include "pike/Numerics/FixedPoint.h"
#include "pike/Numerics/Normalization.h"

#include <cmath>

using namespace mlir;
using namespace mlir::pike;
using namespace mlir::pike::detail;
namespace num = mlir::pike::numerics;

namespace {

/// The row length: the static last dimension, within the numerics' bound.
FailureOr<int64_t> rowLength(Operation *op, ShapedType type) {
  if (type.getRank() < 1 || type.isDynamicDim(type.getRank() - 1))
    return op->emitOpError("needs a static last dimension to normalize over");
  int64_t n = type.getDimSize(type.getRank() - 1);
  if (n < 1 || n > num::kMaxNormalizedRow)
    return op->emitOpError() << "normalizes rows of 1 to " << num::kMaxNormalizedRow
                             << " values, got " << n;
  return n;
}

LogicalResult verifyIntegerInput(Operation *op, ShapedType type) {
  unsigned bits = type.getElementTypeBitWidth();
  if (bits > 16)
    return op->emitOpError() << "needs an input of at most 16 bits, got i" << bits;
  // The result plus its zero point stays far inside int64 (as planned).
  unsigned outBits = cast<ShapedType>(op->getResult(0).getType()).getElementTypeBitWidth();
  if (outBits > 32)
    return op->emitOpError() << "needs a result of at most 32 bits, got i" << outBits;
  return success();
}

} // namespace

/// A softmax mask, if any, has the input's shape.
static LogicalResult verifyMask(Operation *op, Value mask, ShapedType input) {
  if (mask && cast<ShapedType>(mask.getType()).getShape() != input.getShape())
    return op->emitOpError() << "mask shape " << mask.getType()
                             << " differs from the input's " << input;
  return success();
}

LogicalResult SoftmaxOp::verify() {
  if (failed(rowLength(*this, getInput().getType())))
    return failure();
  return verifyMask(*this, getMask(), getInput().getType());
}

LogicalResult LayerNormOp::verify() {
  FailureOr<int64_t> n = rowLength(*this, getInput().getType());
  if (failed(n))
    return failure();
  for (auto [name, values] : {std::pair{"scale", getScale()}, std::pair{"bias", getBias()}}) {
    if (values.size() != 1 && int64_t(values.size()) != *n)
      return emitOpError() << name << " has " << values.size() << " values; the row has " << *n;
    if (llvm::any_of(values, [](double v) { return !std::isfinite(v); }))
      return emitOpError() << name << " must be finite";
  }
  double epsilon = getEpsilon().convertToDouble();
  if (!std::isfinite(epsilon) || epsilon < 0)
    return emitOpError() << "epsilon must be finite and non-negative, got " << epsilon;
  for (auto [name, quantizer] : {std::pair{"variance_quantizer", getVarianceQuantizerAttr()},
                                 std::pair{"epsilon_quantizer", getEpsilonQuantizerAttr()},
                                 std::pair{"deviation_quantizer", getDeviationQuantizerAttr()}})
    if (quantizer && quantizer.isPerChannel())
      return emitOpError() << name << " must be per tensor";
  // A quantized epsilon is one of its quantizer's values, as dequantized
  // in float32: the float32 rounding adds that integer.
  if (QuantizerAttr q = getEpsilonQuantizerAttr()) {
    double steps = std::nearbyint(epsilon / q.getScale(0));
    int64_t lo = num::minValue(q.getBits(), q.getIsSigned()) - q.getZeroPoint(0);
    int64_t hi = num::maxValue(q.getBits(), q.getIsSigned()) - q.getZeroPoint(0);
    if (!(steps >= double(lo) && steps <= double(hi)) ||
        float(steps * double(float(q.getScale(0)))) != float(epsilon))
      return emitOpError() << "epsilon " << epsilon << " is not a value of epsilon_quantizer";
  }
  return success();
}

LogicalResult IntegerSoftmaxOp::verify() {
  ShapedType in = getInput().getType();
  // SameOperandsAndResultShape checks the mask's shape.
  if (failed(rowLength(*this, in)) || failed(verifyIntegerInput(*this, in)))
    return failure();
  ArrayRef<int64_t> table = getExpTable();
  size_t values = size_t(1) << in.getElementTypeBitWidth();
  if (table.empty() || table.size() > values)
    return emitOpError() << "exp_table needs 1 to " << values << " entries, got "
                         << table.size();
  int64_t one = int64_t(1) << num::kSoftmaxExpBits;
  if (table.front() < 1 || llvm::any_of(table, [&](int64_t e) { return e < 0 || e > one; }))
    return emitOpError() << "exp_table entries must be in [0, 2^" << num::kSoftmaxExpBits
                         << "], the first positive";
  if (getMultiplier() < 1 || getMultiplier() >= (int64_t(1) << 31))
    return emitOpError() << "multiplier must be in [1, 2^31), got " << getMultiplier();
  if (getShift() < 1 || getShift() > 62)
    return emitOpError() << "shift must be in [1, 62], got " << getShift();
  return verifyFitsType(*this, "output_zp", getOutputZp(),
                        getOutput().getType().getElementType(), getOutputUnsigned());
}

LogicalResult IntegerLayerNormOp::verify() {
  ShapedType in = getInput().getType();
  FailureOr<int64_t> n = rowLength(*this, in);
  if (failed(n) || failed(verifyIntegerInput(*this, in)))
    return failure();
  // The attributes read signed (their getters read them unsigned).
  int64_t headroom = getHeadroomAttr().getInt(), epsilon = getEpsilonAttr().getInt();
  if (headroom < 0 || headroom > 31)
    return emitOpError() << "headroom must be in [0, 31], got " << headroom;
  if (epsilon < 0)
    return emitOpError() << "epsilon must be non-negative, got " << epsilon;
  // sum c^2 + epsilon < 2^62, with |c| <= n * (2^bits - 1) * 2^headroom.
  long double c = std::ldexp((long double)*n * (std::ldexp(1.0L, in.getElementTypeBitWidth()) - 1),
                             int(headroom));
  if ((long double)*n * c * c + (long double)epsilon >= std::ldexp(1.0L, 62))
    return emitOpError() << "epsilon " << epsilon << " and headroom " << headroom
                         << " with rows of " << *n
                         << " values could overflow the 64-bit sum of squares";
  if (int64_t(getGamma().size()) != *n || int64_t(getBeta().size()) != *n)
    return emitOpError() << "gamma and beta need " << *n << " values each, got "
                         << getGamma().size() << " and " << getBeta().size();
  auto outside = [](int64_t v, int64_t bound) { return v <= -bound || v >= bound; };
  if (llvm::any_of(getGamma(), [&](int64_t g) { return outside(g, int64_t(1) << 30); }))
    return emitOpError("gamma entries must be below 2^30 in magnitude");
  if (llvm::any_of(getBeta(), [&](int64_t b) { return outside(b, int64_t(1) << 61); }))
    return emitOpError("beta entries must be below 2^61 in magnitude");
  if (getShift() < 1 || getShift() > 62)
    return emitOpError() << "shift must be in [1, 62], got " << getShift();
  return verifyFitsType(*this, "output_zp", getOutputZp(),
                        getOutput().getType().getElementType(), getOutputUnsigned());
}

/// The row length of an op following onnxruntime's float32 code over rows
/// of a multiple of 8 values (`code` names it), with an input and a result
/// of at most 16 bits.
static FailureOr<int64_t> float32Rows(Operation *op, StringRef code) {
  auto in = cast<ShapedType>(op->getOperand(0).getType());
  FailureOr<int64_t> n = rowLength(op, in);
  if (failed(n))
    return failure();
  if (*n % 8 != 0)
    return op->emitOpError() << "follows onnxruntime's " << code
                             << ", which takes rows of a multiple of 8 values; got " << *n;
  unsigned inBits = in.getElementTypeBitWidth();
  unsigned outBits = cast<ShapedType>(op->getResult(0).getType()).getElementTypeBitWidth();
  if (inBits > 16 || outBits > 16)
    return op->emitOpError() << "needs an input and a result of at most 16 bits, got i" << inBits
                             << " and i" << outBits;
  return n;
}

/// Both zero points fit their integer types.
static LogicalResult verifyZeroPoints(Operation *op, int64_t inputZp, bool inputUnsigned,
                                      int64_t outputZp, bool outputUnsigned) {
  Type in = cast<ShapedType>(op->getOperand(0).getType()).getElementType();
  Type out = cast<ShapedType>(op->getResult(0).getType()).getElementType();
  if (failed(verifyFitsType(op, "input_zp", inputZp, in, inputUnsigned)))
    return failure();
  return verifyFitsType(op, "output_zp", outputZp, out, outputUnsigned);
}

LogicalResult Float32LayerNormOp::verify() {
  FailureOr<int64_t> n = float32Rows(*this, "vector kernel");
  if (failed(n))
    return failure();
  if (int64_t(getGamma().size()) != *n || int64_t(getBeta().size()) != *n)
    return emitOpError() << "gamma and beta need " << *n << " values each, got "
                         << getGamma().size() << " and " << getBeta().size();
  auto finite = [](float v) { return std::isfinite(v); };
  if (!llvm::all_of(getGamma(), finite) || !llvm::all_of(getBeta(), finite))
    return emitOpError("gamma and beta must be finite");
  for (auto [name, scale] : {std::pair{"input_scale", getInputScale()},
                             std::pair{"output_scale", getOutputScale()}})
    if (!finite(scale.convertToFloat()) || !(scale.convertToFloat() > 0))
      return emitOpError() << name << " must be positive and finite";
  float epsilon = getEpsilon().convertToFloat();
  if (!finite(epsilon) || epsilon < 0)
    return emitOpError() << "epsilon must be finite and non-negative, got " << epsilon;
  return verifyZeroPoints(*this, getInputZp(), getInputUnsigned(), getOutputZp(),
                          getOutputUnsigned());
}

LogicalResult Float32SoftmaxOp::verify() {
  ShapedType in = getInput().getType();
  if (failed(rowLength(*this, in)))
    return failure();
  unsigned inBits = in.getElementTypeBitWidth();
  unsigned outBits = getOutput().getType().getElementTypeBitWidth();
  if (inBits != 8 || outBits != 8)
    return emitOpError() << "follows onnxruntime's QLinearSoftmax, which takes 8-bit integers; got i"
                         << inBits << " to i" << outBits;
  ArrayRef<float> table = getExpTable();
  if (table.size() != 256)
    return emitOpError() << "exp_table needs 256 entries, got " << table.size();
  if (!(table.front() > 0) ||
      !llvm::all_of(table, [](float e) { return std::isfinite(e) && e >= 0; }))
    return emitOpError("exp_table entries must be finite and non-negative, the first positive");
  float multiplier = getMultiplier().convertToFloat();
  if (!std::isfinite(multiplier) || multiplier < 1)
    return emitOpError() << "multiplier must be finite and at least 1, got " << multiplier;
  return verifyFitsType(*this, "output_zp", getOutputZp(),
                        getOutput().getType().getElementType(), getOutputUnsigned());
}

/// A table indexed by `v - variance_min` for every `v` of the range.
static LogicalResult verifyVarianceRange(Operation *op, int64_t lo, int64_t hi, int64_t zp,
                                         size_t entries) {
  // A 16-bit quantizer's range at most (bounds first: hi - lo may not wrap).
  if (lo < -(int64_t(1) << 15) || hi >= (int64_t(1) << 16) || lo > hi ||
      hi - lo >= (int64_t(1) << 16))
    return op->emitOpError() << "variance_min and variance_max must span 1 to 65536 values "
                                "of a 16-bit integer, got ["
                             << lo << ", " << hi << "]";
  if (zp < lo || zp > hi)
    return op->emitOpError() << "variance_zp " << zp << " is outside [" << lo << ", " << hi
                             << "]";
  if (entries != size_t(hi - lo + 1))
    return op->emitOpError() << "needs one table entry per variance value (" << hi - lo + 1
                             << "), got " << entries;
  return success();
}

LogicalResult IntegerStepwiseLayerNormOp::verify() {
  ShapedType in = getInput().getType();
  FailureOr<int64_t> n = rowLength(*this, in);
  if (failed(n) || failed(verifyIntegerInput(*this, in)))
    return failure();
  // The attributes read signed (their getters return them unsigned).
  int64_t multiplier = int64_t(getVarianceMultiplier());
  int64_t varianceShift = int64_t(getVarianceShift());
  if (multiplier < 1 || multiplier >= (int64_t(1) << 31))
    return emitOpError() << "variance_multiplier must be in [1, 2^31), got " << multiplier;
  if (varianceShift < 1 || varianceShift > 125)
    return emitOpError() << "variance_shift must be in [1, 125], got " << varianceShift;
  ArrayRef<int64_t> multipliers = getMultipliers(), shifts = getShifts(), biases = getBiases();
  if (failed(verifyVarianceRange(*this, int64_t(getVarianceMin()), int64_t(getVarianceMax()),
                                 int64_t(getVarianceZp()), multipliers.size())))
    return failure();
  if (shifts.size() != multipliers.size() || biases.size() != multipliers.size())
    return emitOpError() << "needs as many shifts and biases as multipliers ("
                         << multipliers.size() << "), got " << shifts.size() << " and "
                         << biases.size();
  if (llvm::any_of(multipliers, [](int64_t m) { return m < -1 || m >= (int64_t(1) << 31); }))
    return emitOpError("multipliers must be in [-1, 2^31)");
  if (llvm::any_of(shifts, [](int64_t s) { return s < 1 || s > 62; }))
    return emitOpError("shifts must be in [1, 62]");
  auto outside = [](int64_t b) { return b <= -(int64_t(1) << 61) || b >= (int64_t(1) << 61); };
  if (llvm::any_of(biases, outside))
    return emitOpError("biases must be below 2^61 in magnitude");
  // |c| <= n * (2^bits - 1): T = sum c^2 < 2^62 (times a 31-bit multiplier
  // in 128 bits), and |c * M| + |bias| + 2^(shift-1) < 2^63.
  long double c = (long double)*n * (std::ldexp(1.0L, in.getElementTypeBitWidth()) - 1);
  if ((long double)*n * c * c >= std::ldexp(1.0L, 62))
    return emitOpError() << "rows of " << *n << " " << in.getElementTypeBitWidth()
                         << "-bit values could overflow the 64-bit sum of squares";
  for (auto [m, shift, bias] : llvm::zip(multipliers, shifts, biases))
    if (c * (long double)m + std::fabs((long double)bias) + std::ldexp(1.0L, int(shift) - 1) >=
        std::ldexp(1.0L, 63))
      return emitOpError() << "multiplier " << m << " with rows of " << *n << " "
                           << in.getElementTypeBitWidth() << "-bit values could overflow 64 bits";
  return verifyFitsType(*this, "output_zp", getOutputZp(),
                        getOutput().getType().getElementType(), getOutputUnsigned());
}

LogicalResult Float32StepwiseLayerNormOp::verify() {
  if (failed(float32Rows(*this, "ReduceMean")))
    return failure();
  if (failed(verifyVarianceRange(*this, int64_t(getVarianceMin()), int64_t(getVarianceMax()),
                                 int64_t(getVarianceZp()), getDeviations().size())))
    return failure();
  if (llvm::any_of(getDeviations(), [](float d) { return d < 0; }))
    return emitOpError("deviations must not be negative");
  for (auto [name, scale] : {std::pair{"input_scale", getInputScale()},
                             std::pair{"variance_scale", getVarianceScale()},
                             std::pair{"output_scale", getOutputScale()}})
    if (!std::isfinite(scale.convertToFloat()) || !(scale.convertToFloat() > 0))
      return emitOpError() << name << " must be positive and finite";
  return verifyZeroPoints(*this, getInputZp(), getInputUnsigned(), getOutputZp(),
                          getOutputUnsigned());
}
