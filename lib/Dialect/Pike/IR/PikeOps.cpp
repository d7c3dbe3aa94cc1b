//===- PikeOps.cpp - Boundary, scaling and elementwise pike ops -----------===//
//
// Convolution/fully-connected verifiers live in PikeMacOps.cpp, pooling in
// PikePoolOps.cpp.
//
//===----------------------------------------------------------------------===//

#include "pike/Dialect/Pike/IR/PikeOps.h"

#include "PikeVerifyUtils.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

#include <cmath>

using namespace mlir;
using namespace mlir::pike;
using namespace mlir::pike::detail;
using ::mlir::pike::numerics::IntRange;

#define GET_OP_CLASSES
#include "pike/Dialect/Pike/IR/PikeOps.cpp.inc"

static int64_t lastAxis(ShapedType type) { return type.getRank() - 1; }

//===----------------------------------------------------------------------===//
// QuantizeOp / DequantizeOp
//===----------------------------------------------------------------------===//

/// Checks a quantizer against the integer and real sides of a (de)quantize.
/// The scales are used in the real type, so each must stay positive and
/// finite there: 1e-50 is 0 in f32, 1e5 is inf in f16, 1000 NaN in f8E4M3FN.
static LogicalResult verifyQuantizerUse(Operation *op, QuantizerAttr quantizer,
                                        RankedTensorType intType, StringRef intSide,
                                        RankedTensorType realType) {
  auto real = cast<FloatType>(realType.getElementType());
  for (auto [index, scale] : llvm::enumerate(quantizer.getScales().asArrayRef())) {
    APFloat inReal(scale);
    bool losesInfo = false;
    inReal.convert(real.getFloatSemantics(), APFloat::rmNearestTiesToEven, &losesInfo);
    // Float8 types without infinities overflow to NaN.
    if (inReal.isZero() || inReal.isInfinity() || inReal.isNaN())
      return op->emitOpError() << "quantizer scale #" << index << " (" << scale << ") is "
                               << (inReal.isZero()  ? "0"
                                   : inReal.isNaN() ? "NaN"
                                                    : "infinite")
                               << " in " << real
                               << "; the scale must be positive and finite in the real type";
  }
  unsigned width = intType.getElementTypeBitWidth();
  if (width != quantizer.getBits())
    return op->emitOpError()
           << intSide << " element type " << intType.getElementType()
           << " does not match the quantizer's " << quantizer.getBits()
           << " bits; expected i" << quantizer.getBits();
  if (!quantizer.isPerChannel())
    return success();
  return verifyChannelCount(op, "quantizer scales", quantizer.getScales().size(),
                            intType, *quantizer.getAxis(),
                            /*allowShared=*/false);
}

LogicalResult QuantizeOp::verify() {
  return verifyQuantizerUse(*this, getQuantizer(), getOutput().getType(), "result",
                            getInput().getType());
}

LogicalResult DequantizeOp::verify() {
  return verifyQuantizerUse(*this, getQuantizer(), getInput().getType(), "input",
                            getOutput().getType());
}

//===----------------------------------------------------------------------===//
// BatchNormOp
//===----------------------------------------------------------------------===//

LogicalResult BatchNormOp::verify() {
  RankedTensorType inputType = getInput().getType();
  if (inputType.getRank() < 1)
    return emitOpError("input must have at least one dimension");
  if (inputType != getOutput().getType())
    return emitOpError() << "result type " << getOutput().getType()
                         << " differs from the input type " << inputType;
  int64_t channels = inputType.getDimSize(lastAxis(inputType));
  StringRef names[] = {"scale", "offset", "mean", "variance"};
  Value params[] = {getScale(), getOffset(), getMean(), getVariance()};
  for (auto [name, value] : llvm::zip(names, params)) {
    auto type = cast<RankedTensorType>(value.getType());
    if (type.getRank() != 1)
      return emitOpError() << name << " must be 1-D, got " << type;
    if (type.getElementType() != inputType.getElementType())
      return emitOpError() << name << " element type " << type.getElementType()
                           << " differs from the input's "
                           << inputType.getElementType();
    if (failed(verifyDim(*this, (name + " size").str(), type.getDimSize(0),
                         channels)))
      return failure();
  }
  double epsilon = getEpsilon().convertToDouble();
  if (!std::isfinite(epsilon) || epsilon < 0.0)
    return emitOpError() << "epsilon (" << epsilon
                         << ") must be a non-negative finite number";
  return success();
}

//===----------------------------------------------------------------------===//
// ScaleOp
//===----------------------------------------------------------------------===//

size_t ScaleOp::getNumScales() {
  if (auto dq = dyn_cast<DoubleQuantScaleAttr>(getScale()))
    return dq.getValues().size();
  return cast<DenseF64ArrayAttr>(getScale()).size();
}

double ScaleOp::getChannelScale(size_t channel) {
  size_t index = getNumScales() == 1 ? 0 : channel;
  if (auto dq = dyn_cast<DoubleQuantScaleAttr>(getScale()))
    return dq.getChannelScale(index);
  return cast<DenseF64ArrayAttr>(getScale())[index];
}

LogicalResult ScaleOp::verify() {
  RankedTensorType inputType = getInput().getType();
  if (inputType.getRank() < 1)
    return emitOpError("input must have at least one dimension");
  if (failed(verifyChannelCount(*this, "scales", getNumScales(), inputType,
                                lastAxis(inputType))))
    return failure();
  if (auto scales = dyn_cast<DenseF64ArrayAttr>(getScale())) {
    if (scales.empty())
      return emitOpError("needs at least one scale");
    for (auto [index, scale] : llvm::enumerate(scales.asArrayRef()))
      if (!std::isfinite(scale))
        return emitOpError() << "scale #" << index << " (" << scale
                             << ") is not finite";
  }
  if (auto bias = getBias()) {
    if (failed(verifyChannelCount(*this, "biases", bias->size(), inputType,
                                  lastAxis(inputType))))
      return failure();
    for (auto [index, value] : llvm::enumerate(*bias))
      if (!std::isfinite(value))
        return emitOpError() << "bias #" << index << " (" << value
                             << ") is not finite";
  }
  return success();
}

//===----------------------------------------------------------------------===//
// QuantNormOp / RequantizeOp
//===----------------------------------------------------------------------===//

/// Checks optional clamp bounds of an integer output: each within the type
/// read with `isUnsigned`, and min <= max once defaulted.
static LogicalResult verifyClampBounds(Operation *op, std::optional<int64_t> min,
                                       std::optional<int64_t> max, Type elementType,
                                       bool isUnsigned) {
  if (min && failed(verifyFitsType(op, "min", *min, elementType, isUnsigned)))
    return failure();
  if (max && failed(verifyFitsType(op, "max", *max, elementType, isUnsigned)))
    return failure();
  int64_t lo = min.value_or(integerMin(elementType, isUnsigned));
  int64_t hi = max.value_or(integerMax(elementType, isUnsigned));
  if (lo > hi)
    return op->emitOpError() << "min (" << lo << ") exceeds max (" << hi << ")";
  return success();
}

int64_t QuantNormOp::getClampMin() {
  Type elementType = getOutput().getType().getElementType();
  return getMin().value_or(integerMin(elementType, getOutputUnsigned()));
}

int64_t QuantNormOp::getClampMax() {
  Type elementType = getOutput().getType().getElementType();
  return getMax().value_or(integerMax(elementType, getOutputUnsigned()));
}

LogicalResult QuantNormOp::verify() {
  RankedTensorType inputType = getInput().getType();
  Type outElement = getOutput().getType().getElementType();
  if (inputType.getRank() < 1)
    return emitOpError("input must have at least one dimension");
  int64_t axis = lastAxis(inputType);
  FixedPointAttr multiplier = getMultiplier();
  if (failed(verifyChannelCount(*this, "multipliers",
                                multiplier.getMultipliers().size(), inputType,
                                axis)) ||
      failed(verifyChannelCount(*this, "shifts", multiplier.getShifts().size(),
                                inputType, axis)))
    return failure();
  if (auto bias = getBias())
    if (failed(verifyChannelCount(*this, "biases", bias->size(), inputType, axis)))
      return failure();
  if (failed(verifyFitsType(*this, "output_zp", getOutputZp(), outElement,
                            getOutputUnsigned())))
    return failure();
  if (failed(verifyClampBounds(*this, getMin(), getMax(), outElement,
                               getOutputUnsigned())))
    return failure();
  ScaledTerm term{operandRange(inputType.getElementType(), /*isUnsigned=*/false, 0),
                  multiplier};
  return verifyScaledSumFits(*this, term, getBias().value_or(ArrayRef<int64_t>()));
}

int64_t RequantizeOp::getClampMin() {
  Type elementType = getOutput().getType().getElementType();
  return getMin().value_or(integerMin(elementType, getOutputUnsigned()));
}

int64_t RequantizeOp::getClampMax() {
  Type elementType = getOutput().getType().getElementType();
  return getMax().value_or(integerMax(elementType, getOutputUnsigned()));
}

LogicalResult RequantizeOp::verify() {
  RankedTensorType inputType = getInput().getType();
  if (inputType.getRank() < 1)
    return emitOpError("input must have at least one dimension");
  int64_t axis = lastAxis(inputType);
  FixedPointAttr multiplier = getMultiplier();
  if (failed(verifyChannelCount(*this, "multipliers",
                                multiplier.getMultipliers().size(), inputType,
                                axis)) ||
      failed(verifyChannelCount(*this, "shifts", multiplier.getShifts().size(),
                                inputType, axis)))
    return failure();
  if (failed(verifyFitsType(*this, "input_zp", getInputZp(),
                            inputType.getElementType(), getInputUnsigned())) ||
      failed(verifyFitsType(*this, "output_zp", getOutputZp(),
                            getOutput().getType().getElementType(),
                            getOutputUnsigned())))
    return failure();
  Type outElement = getOutput().getType().getElementType();
  if (failed(verifyClampBounds(*this, getMin(), getMax(), outElement,
                               getOutputUnsigned())))
    return failure();
  ScaledTerm term{operandRange(inputType.getElementType(), getInputUnsigned(),
                               getInputZp()),
                  multiplier};
  return verifyScaledSumFits(*this, term);
}

//===----------------------------------------------------------------------===//
// ClampOp
//===----------------------------------------------------------------------===//

LogicalResult ClampOp::verify() {
  Type elementType = getInput().getType().getElementType();
  if (isa<FloatType>(elementType)) {
    auto lo = dyn_cast<FloatAttr>(getMin());
    auto hi = dyn_cast<FloatAttr>(getMax());
    if (!lo || !hi)
      return emitOpError("bounds of a real clamp must be f64 attributes");
    if (getInputUnsigned())
      return emitOpError("input_unsigned applies to integer tensors only");
    double loValue = lo.getValueAsDouble(), hiValue = hi.getValueAsDouble();
    if (std::isnan(loValue) || std::isnan(hiValue))
      return emitOpError("clamp bounds must not be NaN");
    if (loValue > hiValue)
      return emitOpError() << "min (" << loValue << ") exceeds max (" << hiValue
                           << ")";
    return success();
  }
  auto lo = dyn_cast<IntegerAttr>(getMin());
  auto hi = dyn_cast<IntegerAttr>(getMax());
  if (!lo || !hi)
    return emitOpError("bounds of an integer clamp must be i64 attributes");
  if (failed(verifyFitsType(*this, "min", lo.getInt(), elementType,
                            getInputUnsigned())) ||
      failed(verifyFitsType(*this, "max", hi.getInt(), elementType,
                            getInputUnsigned())))
    return failure();
  if (lo.getInt() > hi.getInt())
    return emitOpError() << "min (" << lo.getInt() << ") exceeds max ("
                         << hi.getInt() << ")";
  return success();
}

//===----------------------------------------------------------------------===//
// ActivationOp and TableOp
//===----------------------------------------------------------------------===//

double ActivationOp::getAlphaOrDefault() {
  if (FloatAttr alpha = getAlphaAttr())
    return alpha.getValueAsDouble();
  return getKind() == ActivationKind::leaky_relu ? 0.01 : 0.2;
}

double ActivationOp::getBetaOrDefault() {
  if (FloatAttr beta = getBetaAttr())
    return beta.getValueAsDouble();
  return 0.5;
}

LogicalResult ActivationOp::verify() {
  ActivationKind kind = getKind();
  bool takesAlpha = kind == ActivationKind::hard_sigmoid || kind == ActivationKind::leaky_relu;
  if (getAlphaAttr() && !takesAlpha)
    return emitOpError() << "'" << stringifyActivationKind(kind) << "' takes no alpha";
  if (getBetaAttr() && kind != ActivationKind::hard_sigmoid)
    return emitOpError() << "'" << stringifyActivationKind(kind) << "' takes no beta";
  if (!std::isfinite(getAlphaOrDefault()) || !std::isfinite(getBetaOrDefault()))
    return emitOpError("alpha and beta must be finite");
  return success();
}

LogicalResult TableOp::verify() {
  auto inType = cast<IntegerType>(getInput().getType().getElementType());
  auto outType = cast<IntegerType>(getOutput().getType().getElementType());
  unsigned bits = inType.getWidth();
  if (bits > 16)
    return emitOpError() << "a table needs an input of at most 16 bits, got i" << bits;
  size_t expected = size_t(1) << bits;
  ArrayRef<int64_t> table = getTable();
  if (table.size() != expected)
    return emitOpError() << "table has " << table.size() << " entries; an i" << bits
                         << " input needs " << expected;
  for (auto [index, value] : llvm::enumerate(table))
    if (failed(verifyFitsType(*this, ("table entry " + Twine(index)).str(), value, outType,
                              getOutputUnsigned())))
      return failure();
  return success();
}

//===----------------------------------------------------------------------===//
// AddOp
//===----------------------------------------------------------------------===//

/// onnxruntime's QLinearAdd: each scale a float32 value (a significand of
/// at most 24 bits), operands and result exact in float32 and the zero
/// points in their types.
static LogicalResult verifyFloat32Add(AddOp op, Type lhsElement, Type rhsElement,
                                      Type outElement) {
  StringRef names[] = {"lhs_scale", "rhs_scale"};
  FixedPointAttr scales[] = {op.getLhsScaleAttr(), op.getRhsScaleAttr()};
  for (auto [name, scale] : llvm::zip(names, scales)) {
    // The attribute's width keeps it below 2^24 (a float32 significand).
    int64_t multiplier = scale.getMultiplier(0);
    if (multiplier <= 0)
      return op.emitOpError() << name << "'s float32 multiplier must be positive, got "
                              << multiplier;
  }
  for (Type element : {lhsElement, rhsElement, outElement})
    if (element.getIntOrFloatBitWidth() > 16)
      return op.emitOpError() << "a float32 addition takes operands and a result of at most "
                                 "16 bits (exact in float32), got "
                              << element;
  if (failed(verifyFitsType(op, "lhs_zp", op.getLhsZp(), lhsElement, op.getLhsUnsigned())) ||
      failed(verifyFitsType(op, "rhs_zp", op.getRhsZp(), rhsElement, op.getRhsUnsigned())) ||
      failed(verifyFitsType(op, "output_zp", op.getOutputZp(), outElement,
                            op.getOutputUnsigned())))
    return failure();
  return success();
}

LogicalResult AddOp::verify() {
  Type lhsElement = getLhs().getType().getElementType();
  Type rhsElement = getRhs().getType().getElementType();
  Type outElement = getOutput().getType().getElementType();
  bool isReal = isa<FloatType>(lhsElement);
  if (isReal != isa<FloatType>(rhsElement) ||
      isReal != isa<FloatType>(outElement))
    return emitOpError("operands and result must be all real or all integer");
  if (isReal) {
    if (lhsElement != rhsElement || lhsElement != outElement)
      return emitOpError("real operands and result must have one element type");
    if (getLhsScale() || getRhsScale() || getLhsZp() || getRhsZp() ||
        getOutputZp() || getLhsUnsigned() || getRhsUnsigned() || getOutputUnsigned())
      return emitOpError("scales, zero points and signedness apply to integer "
                         "additions only");
    return success();
  }
  FixedPointAttr lhsScale = getLhsScaleAttr(), rhsScale = getRhsScaleAttr();
  if (!lhsScale || !rhsScale)
    return emitOpError("integer addition needs lhs_scale and rhs_scale");
  StringRef names[] = {"lhs_scale", "rhs_scale"};
  FixedPointAttr scales[] = {lhsScale, rhsScale};
  for (auto [name, scale] : llvm::zip(names, scales))
    if (scale.getNumChannels() != 1)
      return emitOpError() << name << " must be per tensor (one multiplier "
                                      "and one shift)";
  bool lhsFloat32 = lhsScale.getRounding() == RoundingMode::float32;
  if (lhsFloat32 != (rhsScale.getRounding() == RoundingMode::float32))
    return emitOpError("lhs_scale and rhs_scale must share one rounding mode");
  if (lhsFloat32)
    return verifyFloat32Add(*this, lhsElement, rhsElement, outElement);
  if (lhsScale.getShift(0) != rhsScale.getShift(0))
    return emitOpError() << "lhs_scale and rhs_scale must share one shift (got "
                         << lhsScale.getShift(0) << " and "
                         << rhsScale.getShift(0) << ") so the sum is rounded once";
  if (lhsScale.getRounding() != rhsScale.getRounding())
    return emitOpError("lhs_scale and rhs_scale must share one rounding mode");
  if (failed(verifyFitsType(*this, "lhs_zp", getLhsZp(), lhsElement,
                            getLhsUnsigned())) ||
      failed(verifyFitsType(*this, "rhs_zp", getRhsZp(), rhsElement,
                            getRhsUnsigned())) ||
      failed(verifyFitsType(*this, "output_zp", getOutputZp(), outElement,
                            getOutputUnsigned())))
    return failure();
  ScaledTerm terms[] = {
      {operandRange(lhsElement, getLhsUnsigned(), getLhsZp()), lhsScale},
      {operandRange(rhsElement, getRhsUnsigned(), getRhsZp()), rhsScale}};
  return verifyScaledSumFits(*this, terms);
}

LogicalResult MulOp::verify() {
  Type lhsElement = getLhs().getType().getElementType();
  Type rhsElement = getRhs().getType().getElementType();
  Type outElement = getOutput().getType().getElementType();
  bool isReal = isa<FloatType>(lhsElement);
  if (isReal != isa<FloatType>(rhsElement) || isReal != isa<FloatType>(outElement))
    return emitOpError("operands and result must be all real or all integer");
  if (isReal) {
    if (lhsElement != rhsElement || lhsElement != outElement)
      return emitOpError("real operands and result must have one element type");
    if (getScale() || getLhsZp() || getRhsZp() || getOutputZp() || getLhsUnsigned() ||
        getRhsUnsigned() || getOutputUnsigned())
      return emitOpError("a scale, zero points and signedness apply to integer products only");
    return success();
  }
  FixedPointAttr scale = getScaleAttr();
  if (!scale)
    return emitOpError("an integer product needs a scale");
  if (scale.getNumChannels() != 1)
    return emitOpError("scale must be per tensor (one multiplier and one shift)");
  if (failed(verifyFitsType(*this, "lhs_zp", getLhsZp(), lhsElement, getLhsUnsigned())) ||
      failed(verifyFitsType(*this, "rhs_zp", getRhsZp(), rhsElement, getRhsUnsigned())) ||
      failed(verifyFitsType(*this, "output_zp", getOutputZp(), outElement,
                            getOutputUnsigned())))
    return failure();
  ScaledTerm product = {operandRange(lhsElement, getLhsUnsigned(), getLhsZp()) *
                            operandRange(rhsElement, getRhsUnsigned(), getRhsZp()),
                        scale};
  return verifyScaledSumFits(*this, product);
}

/// A dot step's operands hold `perLane` values (`what`) per accumulator lane.
static LogicalResult verifyDotLanes(Operation *op, VectorType accumulator, VectorType operand,
                                    int64_t perLane, StringRef what) {
  if (operand.getNumElements() == perLane * accumulator.getNumElements())
    return success();
  return op->emitOpError("needs ") << what << " per accumulator lane, got " << operand
                                   << " for " << accumulator;
}

LogicalResult VectorDot4Op::verify() {
  return verifyDotLanes(*this, getAccumulator().getType(), getLhs().getType(), 4, "four bytes");
}

LogicalResult VectorMmlaOp::verify() {
  if (getAccumulator().getType().getNumElements() % 4 != 0)
    return emitOpError("needs whole 2 x 2 tiles (a multiple of 4 accumulator lanes), got ")
           << getAccumulator().getType();
  return verifyDotLanes(*this, getAccumulator().getType(), getLhs().getType(), 4,
                        "four bytes (a tile's two rows of 8)");
}

LogicalResult VectorDot2Op::verify() {
  return verifyDotLanes(*this, getAccumulator().getType(), getLhs().getType(), 2,
                        "two 16-bit values");
}

LogicalResult VectorDot2BytesOp::verify() {
  return verifyDotLanes(*this, getAccumulator().getType(), getLhs().getType(), 2, "two bytes");
}
