//===- QdqNodes.cpp - QuantizeLinear, DequantizeLinear, QONNX Quant -------===//

#include "Importer.h"

#include "pike/Dialect/Pike/IR/PikeOps.h"

#include "llvm/Support/Format.h"

#include <cmath>

using namespace mlir;
using namespace mlir::pike;
using namespace mlir::pike::onnx_import;

namespace {

FailureOr<Importer::Results> qonnxBipolarQuant(Importer &im);

/// QONNX's rounding_mode (qonnx resolve_rounding_mode) as a quantize's
/// rounding; the modes whose ties go away from zero are refused.
FailureOr<QuantizeRounding> qonnxRounding(Importer &im, StringRef fallback) {
  std::string mode = StringRef(im.stringAttr("rounding_mode", fallback)).upper();
  if (mode == "ROUND" || mode == "HALF_EVEN")
    return QuantizeRounding::half_even;
  if (mode == "FLOOR")
    return QuantizeRounding::floor;
  if (mode == "CEIL")
    return QuantizeRounding::ceil;
  if (mode == "ROUND_TO_ZERO" || mode == "DOWN")
    return QuantizeRounding::toward_zero;
  return im.fail() << "rounding_mode '" << shown(mode)
                   << "' is not supported (ROUND, HALF_EVEN, FLOOR, CEIL, ROUND_TO_ZERO, DOWN)";
}

/// The blocks of a blocked QuantizeLinear / DequantizeLinear (opset 21
/// `block_size`): for every element of `shape`, the index of its scale in a
/// tensor shaped like `shape` with `axis` divided by `blockSize` (rounded
/// up). Checks the scale's and zero point's shapes.
FailureOr<std::vector<int64_t>> blockIndex(Importer &im, ArrayRef<int64_t> shape,
                                           const HostArray &scale,
                                           const std::optional<HostArray> &zp,
                                           int64_t blockSize) {
  int64_t rank = shape.size();
  int64_t axis = im.intAttr("axis", 1);
  if (axis < -rank || axis >= rank)
    return im.fail() << "axis " << axis << " is out of range for a rank-" << rank << " tensor";
  if (axis < 0)
    axis += rank;
  SmallVector<int64_t> blocks(shape);
  blocks[axis] = (shape[axis] + blockSize - 1) / blockSize;
  if (scale.shape != blocks)
    return im.fail() << "blocked scales must have shape " << listText(blocks) << " (input "
                     << listText(shape) << ", block_size " << blockSize << " on axis "
                     << axis << "), got " << listText(scale.shape);
  if (zp && zp->shape != blocks)
    return im.fail() << "blocked zero points must have the scales' shape " << listText(blocks)
                     << ", got " << listText(zp->shape);
  int64_t count = 1;
  for (int64_t d : shape)
    count *= d;
  std::vector<int64_t> index(count);
  SmallVector<int64_t> at(rank, 0);
  for (int64_t i = 0; i < count; ++i) {
    int64_t flat = 0;
    for (int64_t d = 0; d < rank; ++d)
      flat = flat * blocks[d] + (d == axis ? at[d] / blockSize : at[d]);
    index[i] = flat;
    for (int64_t d = rank - 1; d >= 0; --d) {
      if (++at[d] < shape[d])
        break;
      at[d] = 0;
    }
  }
  return index;
}

/// `block_size`, or 0 when the node is not blocked.
FailureOr<int64_t> blockSizeAttr(Importer &im, const TensorPtr &x) {
  int64_t blockSize = im.intAttr("block_size", 0);
  if (blockSize < 0)
    return im.fail() << "block_size must not be negative, got " << blockSize;
  if (blockSize > 0 && !x->isHostConstant())
    return im.fail() << "blocked quantization (block_size " << blockSize
                     << ") is supported on constant initializers only: Pike's quantizers "
                        "are per tensor or per channel";
  return blockSize;
}

/// The integer type a QuantizeLinear writes: its zero point's, else
/// `output_dtype` (opset 21), else uint8.
FailureOr<std::optional<Element>> quantizedElement(Importer &im,
                                                   std::optional<Element> zpElement) {
  if (zpElement || !im.hasAttr("output_dtype"))
    return zpElement;
  switch (im.intAttr("output_dtype", 2)) {
  case 2:
    return std::optional<Element>(Element{false, 8, true});
  case 3:
    return std::optional<Element>(Element{false, 8, false});
  case 21:
    return std::optional<Element>(Element{false, 4, true});
  case 22:
    return std::optional<Element>(Element{false, 4, false});
  default:
    return im.fail() << "output_dtype " << im.intAttr("output_dtype", 2)
                     << " is not supported (UINT8, INT8, UINT4 or INT4)";
  }
}

FailureOr<Importer::Results> quantizeLinear(Importer &im) {
  if (TensorPtr step = im.peek(0); step && step->normStep) {
    PIKE_ASSIGN_OR_FAIL(zero, im.zeroPointInput(2));
    PIKE_ASSIGN_OR_FAIL(zpElement, quantizedElement(im, zero.element));
    if (auto result = quantizedNormStep(im, true, zpElement ? zpElement : Element{false, 8, true}))
      return *result;
  }
  PIKE_ASSIGN_OR_FAIL(x, im.input(0));
  PIKE_ASSIGN_OR_FAIL(scale, im.constInput(1));
  PIKE_ASSIGN_OR_FAIL(zero, im.zeroPointInput(2));
  std::optional<HostArray> zp = zero.values;
  PIKE_ASSIGN_OR_FAIL(zpElement, quantizedElement(im, zero.element));
  PIKE_ASSIGN_OR_FAIL(blockSize, blockSizeAttr(im, x));
  if (blockSize > 0) {
    // float32 quantization of each element by its block's scale, as ONNX.
    if (!x->element.isFloat)
      return im.fail() << "input #0 must be real, got " << x->element.str();
    PIKE_ASSIGN_OR_FAIL(index, blockIndex(im, x->shape, scale, zp, blockSize));
    HostArray unit{{}, {1.0}};
    PIKE_ASSIGN_OR_FAIL(type, im.quantizer(unit, std::nullopt, zpElement, 0, 0, false));
    auto out = std::make_shared<Tensor>();
    out->shape = x->shape;
    out->element = Element{false, type.bits, !type.isSigned};
    out->constant = *x->constant;
    for (auto [i, v] : llvm::enumerate(out->constant->values)) {
      float scaled = float(v) / float(scale.values[index[i]]);
      double q = double(std::nearbyint(scaled)) + (zp ? zp->values[index[i]] : 0.0);
      v = std::clamp(q, double(type.lo()), double(type.hi()));
    }
    return Importer::Results{out};
  }
  PIKE_ASSIGN_OR_FAIL(quant, im.quantizer(scale, zp, zpElement, im.intAttr("axis", 1),
                                          x->shape.size(), x->nhwc));
  PIKE_ASSIGN_OR_FAIL(q, im.quantize(x, quant));
  return Importer::Results{q};
}

FailureOr<Importer::Results> dequantizeLinear(Importer &im) {
  if (auto result = quantizedNormStep(im, false))
    return *result;
  PIKE_ASSIGN_OR_FAIL(x, im.input(0));
  if (x->isFloat())
    return im.fail() << "input #0 must be an integer tensor, got " << x->element.str();
  PIKE_ASSIGN_OR_FAIL(scale, im.constInput(1));
  PIKE_ASSIGN_OR_FAIL(zero, im.zeroPointInput(2));
  std::optional<HostArray> zp = zero.values;
  std::optional<Element> zpElement = zero.element;
  if (x->element.bits == 32) {
    // An int32 bias: kept as reals (folded here).
    if (!x->constant || x->value)
      return im.fail() << "an int32 DequantizeLinear input must be a constant (a bias)";
    HostArray reals = *x->constant;
    if (scale.size() != 1 && scale.size() != reals.size())
      return im.fail() << "an int32 bias of " << reals.size() << " values has "
                       << scale.size() << " scales";
    for (auto [i, v] : llvm::enumerate(reals.values)) {
      double s = scale.values[scale.size() == 1 ? 0 : i];
      double z = zp ? zp->values[zp->size() == 1 ? 0 : std::min<size_t>(i, zp->size() - 1)] : 0;
      v = double(float((v - z) * s));
    }
    auto out = std::make_shared<Tensor>();
    out->shape = reals.shape;
    out->element = Element{true, 32, false};
    out->constant = std::move(reals);
    return Importer::Results{out};
  }
  PIKE_ASSIGN_OR_FAIL(blockSize, blockSizeAttr(im, x));
  if (blockSize > 0) {
    // Real weights, (q - zp) * scale in float32 by each element's block;
    // each element's scale is kept for an exact grid (weightsQuantized).
    PIKE_ASSIGN_OR_FAIL(index, blockIndex(im, x->shape, scale, zp, blockSize));
    for (double s : scale.values)
      if (!std::isfinite(s) || s <= 0)
        return im.fail() << "scales must be positive and finite, got "
                         << listText(scale.values, 4);
    auto out = std::make_shared<Tensor>();
    out->shape = x->shape;
    out->element = Element{true, 32, false};
    out->constant = *x->constant;
    out->elementScales = HostArray{x->shape, {}};
    for (auto [i, v] : llvm::enumerate(out->constant->values)) {
      double s = scale.values[index[i]];
      v = double(float((v - (zp ? zp->values[index[i]] : 0.0)) * double(float(s))));
      out->elementScales->values.push_back(double(float(s)));
    }
    return Importer::Results{out};
  }
  std::optional<unsigned> bits;
  std::optional<bool> isSigned;
  bool narrow = false;
  if (x->quant) {
    bits = x->quant->bits;
    isSigned = x->quant->isSigned;
    narrow = x->quant->narrow;
  } else if (!zpElement) {
    zpElement = x->element;
  }
  PIKE_ASSIGN_OR_FAIL(quant, im.quantizer(scale, zp, zpElement, im.intAttr("axis", 1),
                                          x->shape.size(), x->nhwc, bits, isSigned, narrow));
  if (quant.axis && x->shape[*quant.axis] != int64_t(quant.scales.size()))
    return im.fail() << "there are " << quant.scales.size()
                     << " scales, which is not the size of the quantized axis";
  return Importer::Results{im.dequantized(x, quant, im.node.getNodeName().str())};
}

FailureOr<Importer::Results> qonnxQuant(Importer &im) {
  PIKE_ASSIGN_OR_FAIL(x, im.input(0));
  PIKE_ASSIGN_OR_FAIL(scale, im.constInput(1));
  PIKE_ASSIGN_OR_FAIL(zeroPoint, im.constInput(2));
  PIKE_ASSIGN_OR_FAIL(bitwidth, im.constInput(3));
  if (bitwidth.size() != 1 || bitwidth.values[0] != std::round(bitwidth.values[0]) ||
      bitwidth.values[0] < 1 || bitwidth.values[0] > 16) {
    return im.fail() << "bitwidth must be one integer in [1, 16], got "
                     << listText(bitwidth.values);
  }
  PIKE_ASSIGN_OR_FAIL(rounding, qonnxRounding(im, "ROUND"));
  bool isSigned = im.intAttr("signed", 1) != 0;
  bool narrow = im.intAttr("narrow", 0) != 0;
  // QONNX reads a signed 1-bit Quant as bipolar (sign(x / scale + zp) as +-1).
  if (bitwidth.values[0] == 1 && isSigned) {
    if (llvm::any_of(zeroPoint.values, [](double zp) { return zp != 0; }))
      return im.fail() << "a signed 1-bit (bipolar) Quant needs zero point 0";
    return qonnxBipolarQuant(im);
  }
  int64_t rank = x->shape.size();
  int64_t axis = 0;
  if (scale.size() > 1) {
    SmallVector<int64_t> nontrivial;
    for (auto [i, d] : llvm::enumerate(scale.shape))
      if (d > 1)
        nontrivial.push_back(i);
    if (nontrivial.size() != 1 || int64_t(scale.shape.size()) > rank)
      return im.fail() << "scale of shape " << listText(scale.shape)
                       << " is not per-tensor or per-channel";
    axis = nontrivial.front() + (rank - int64_t(scale.shape.size()));
  }
  PIKE_ASSIGN_OR_FAIL(quant, im.quantizer(scale, zeroPoint, std::nullopt, axis, rank, x->nhwc,
                                          unsigned(bitwidth.values[0]), isSigned, narrow));
  PIKE_ASSIGN_OR_FAIL(ints, im.quantize(x, quant, rounding));
  return Importer::Results{
      im.dequantized(ints, quant, im.node.getNodeName().str() + "/dequantize")};
}

/// One scalar input of a QONNX node that must be a positive finite number.
FailureOr<double> positiveScalar(Importer &im, unsigned index, StringRef what) {
  PIKE_ASSIGN_OR_FAIL(value, im.constInput(index));
  if (value.size() != 1 || !std::isfinite(value.values[0]) || value.values[0] <= 0)
    return im.fail() << what << " must be one positive finite number, got "
                     << listText(value.values);
  return value.values[0];
}

FailureOr<unsigned> bitWidth(Importer &im, unsigned index, StringRef what, unsigned max) {
  PIKE_ASSIGN_OR_FAIL(value, im.constInput(index));
  if (value.size() != 1 || value.values[0] != std::round(value.values[0]) ||
      value.values[0] < 1 || value.values[0] > max)
    return im.fail() << what << " must be one integer in [1, " << max << "], got "
                     << listText(value.values);
  return unsigned(value.values[0]);
}

/// The fewest bits of an integer type holding [lo, hi]: unsigned when lo >= 0.
Quant rangeQuant(int64_t lo, int64_t hi) {
  Quant quant;
  quant.isSigned = lo < 0;
  quant.bits = 1;
  while (quant.lo() > lo || quant.hi() < hi)
    ++quant.bits;
  return quant;
}

/// QONNX Trunc, in integers: q = round(x / scale) on the input grid, then
/// q / 2^k rounded by `rounding_mode`.
///   v2 (x, scale, zeropt, input_bit_width, output_scale, output_bit_width):
///     k = round(log2(output_scale / scale)) (rounded, as qonnx does), the
///     result clamped to the output type, on the output_scale grid;
///   v1 (x, scale, zeropt, input_bit_width, output_bit_width): k =
///     input_bit_width - output_bit_width, not clamped, on the scale grid
///     (qonnx's trunc_v1).
/// One pike.requantize by 2^-k whose input zero point turns its ties-up
/// rounding into floor or ceil; toward zero is the floor of the positive
/// part plus the ceil of the negative part (a pike.add of two).
FailureOr<Importer::Results> qonnxTrunc(Importer &im) {
  unsigned operands = im.node->getNumOperands();
  if (operands != 5 && operands != 6)
    return im.fail() << "expected 6 inputs (x, scale, zeropt, input_bit_width, output_scale, "
                        "output_bit_width: QONNX Trunc v2) or 5 (x, scale, zeropt, "
                        "input_bit_width, output_bit_width: v1), got "
                     << operands;
  bool v1 = operands == 5;
  PIKE_ASSIGN_OR_FAIL(x, im.input(0));
  if (x->shape.empty())
    return im.fail() << "Trunc needs an input of rank 1 or more, got a scalar";
  PIKE_ASSIGN_OR_FAIL(scale, positiveScalar(im, 1, "scale"));
  PIKE_ASSIGN_OR_FAIL(zeroPoint, im.constInput(2));
  PIKE_ASSIGN_OR_FAIL(inBits, bitWidth(im, 3, "input_bit_width", 32));
  double outScale = scale;
  unsigned outBits = 0;
  int64_t k = 0;
  if (v1) {
    PIKE_ASSIGN_OR_FAIL(bits, bitWidth(im, 4, "output_bit_width", 32));
    k = int64_t(inBits) - int64_t(bits);
    if (k < 0 || k > 30)
      return im.fail() << "input_bit_width - output_bit_width must be in [0, 30], got " << k;
  } else {
    PIKE_ASSIGN_OR_FAIL(scaleOut, positiveScalar(im, 4, "output_scale"));
    PIKE_ASSIGN_OR_FAIL(bits, bitWidth(im, 5, "output_bit_width", kMaxQuantBits));
    outScale = scaleOut;
    outBits = bits;
    // As qonnx computes it from float32 scales: log2 of the float32 ratio in
    // float32, rounded half to even.
    float ratio = std::log2(float(outScale) / float(scale));
    k = std::isfinite(ratio) && std::abs(ratio) < 64 ? int64_t(std::nearbyint(ratio)) : -1;
    if (!std::isfinite(ratio) || k < 0 || k > 30)
      return im.fail() << "output_scale / scale must be 2^k with k in [0, 30], got "
                       << listText(ArrayRef<double>{outScale / scale});
  }
  PIKE_ASSIGN_OR_FAIL(rounding, qonnxRounding(im, "FLOOR"));
  if (zeroPoint.size() != 1 || zeroPoint.values[0] != 0)
    return im.fail() << "zeropt must be 0, got " << listText(zeroPoint.values);

  // The integers on the input grid: those behind a dequantized tensor of
  // that scale, else x quantized to it (as QONNX rounds x / scale).
  TensorPtr ints;
  Quant inQuant;
  if (x->pendingDequantize && x->quant->perTensor() && x->quant->scales[0] == scale &&
      x->quant->zeroPoints[0] == 0) {
    ints = x->intSource;
    inQuant = *x->quant;
  } else {
    if (inBits > kMaxQuantBits)
      return im.fail() << "an input of " << inBits << " bits must be a dequantized tensor "
                       << "of the same scale";
    // QONNX does not clamp the input to input_bit_width: it is read in the
    // widest quantizer, so only a value past 16 bits saturates.
    inQuant.bits = kMaxQuantBits;
    inQuant.isSigned = true;
    inQuant.scales = {scale};
    inQuant.zeroPoints = {0};
    PIKE_ASSIGN_OR_FAIL(quantized, im.quantize(x, inQuant));
    ints = quantized;
  }
  Value in = im.integer(ints, inQuant.bits);
  bool inUnsigned = !inQuant.isSigned;

  Quant outQuant;
  if (v1) {
    // Unclamped: the range of the input's integers divided by 2^k.
    outQuant = rangeQuant(llvm::divideFloorSigned(inQuant.lo(), int64_t(1) << k),
                          llvm::divideCeilSigned(inQuant.hi(), int64_t(1) << k));
    if (outQuant.bits > kMaxQuantBits)
      return im.fail() << "the output of " << outQuant.bits << " bits is wider than "
                       << kMaxQuantBits;
  } else {
    outQuant.bits = outBits;
    outQuant.isSigned = im.intAttr("signed", 1) != 0;
    outQuant.narrow = im.intAttr("narrow", 0) != 0;
  }
  outQuant.scales = {outScale};
  outQuant.zeroPoints = {0};

  auto fixedPoint = [&](int64_t shift, RoundingMode mode) {
    return FixedPointAttr::get(im.context, 32,
                               DenseI64ArrayAttr::get(im.context, {int64_t(1) << 30}),
                               DenseI64ArrayAttr::get(im.context, {shift}), mode);
  };
  auto shape = cast<RankedTensorType>(in.getType()).getShape();
  Type outType = im.tensorType(shape, im.builder.getIntegerType(outQuant.bits));
  // Ties up (single rounding) of (q - zp) / 2^k is floor with zp = 2^(k-1)
  // and ceil with zp = 1 - 2^(k-1); half_even rounds ties to even itself.
  int64_t half = k ? int64_t(1) << (k - 1) : 0;
  Value wide;
  auto shifted = [&](RoundingMode mode, int64_t inputZp, int64_t lo, int64_t hi,
                     StringRef suffix) {
    Value source = in;
    bool sourceUnsigned = inUnsigned;
    if (inputZp < inQuant.lo() || inputZp > inQuant.hi()) {
      // The zero point needs a wider type: the integers as i32 first (exact).
      if (!wide) {
        SmallVector<NamedAttribute> attrs = {
            im.builder.getNamedAttr("multiplier", fixedPoint(30, RoundingMode::half_even))};
        if (inUnsigned)
          attrs.push_back(im.builder.getNamedAttr("input_unsigned", im.builder.getUnitAttr()));
        wide = im.emit(RequantizeOp::getOperationName(), {in},
                       im.tensorType(shape, im.builder.getI32Type()), attrs, "/widen");
      }
      source = wide;
      sourceUnsigned = false;
    }
    SmallVector<NamedAttribute> attrs = {
        im.builder.getNamedAttr("multiplier", fixedPoint(k + 30, mode)),
        im.builder.getNamedAttr("input_zp", im.builder.getI64IntegerAttr(inputZp)),
        im.builder.getNamedAttr("min", im.builder.getI64IntegerAttr(lo)),
        im.builder.getNamedAttr("max", im.builder.getI64IntegerAttr(hi))};
    if (sourceUnsigned)
      attrs.push_back(im.builder.getNamedAttr("input_unsigned", im.builder.getUnitAttr()));
    if (!outQuant.isSigned)
      attrs.push_back(im.builder.getNamedAttr("output_unsigned", im.builder.getUnitAttr()));
    return im.emit(RequantizeOp::getOperationName(), {source}, outType, attrs, suffix);
  };
  int64_t lo = outQuant.lo(), hi = outQuant.hi();
  Value result;
  switch (rounding) {
  case QuantizeRounding::half_even:
    result = shifted(RoundingMode::half_even, 0, lo, hi, "");
    break;
  case QuantizeRounding::floor:
    result = shifted(RoundingMode::single_round, half, lo, hi, "");
    break;
  case QuantizeRounding::ceil:
    result = shifted(RoundingMode::single_round, k ? 1 - half : 0, lo, hi, "");
    break;
  case QuantizeRounding::toward_zero: {
    // One of the two is 0: floor of the positive part, ceil of the negative.
    Value positive = shifted(RoundingMode::single_round, half, std::max<int64_t>(lo, 0),
                             std::max<int64_t>(hi, 0), "/positive");
    Value negative = shifted(RoundingMode::single_round, k ? 1 - half : 0,
                             std::min<int64_t>(lo, 0), std::min<int64_t>(hi, 0), "/negative");
    SmallVector<NamedAttribute> attrs = {
        im.builder.getNamedAttr("lhs_scale", fixedPoint(30, RoundingMode::half_even)),
        im.builder.getNamedAttr("rhs_scale", fixedPoint(30, RoundingMode::half_even))};
    if (!outQuant.isSigned)
      for (StringRef name : {"lhs_unsigned", "rhs_unsigned", "output_unsigned"})
        attrs.push_back(im.builder.getNamedAttr(name, im.builder.getUnitAttr()));
    result = im.emit(AddOp::getOperationName(), {positive, negative}, outType, attrs);
    break;
  }
  }
  auto out = std::make_shared<Tensor>();
  out->shape = ints->shape;
  out->nhwc = ints->nhwc;
  out->element = Element{false, outQuant.bits, !outQuant.isSigned};
  out->quant = outQuant;
  out->value = result;
  return Importer::Results{
      im.dequantized(out, outQuant, im.node.getNodeName().str() + "/dequantize")};
}

FailureOr<Importer::Results> qonnxBipolarQuant(Importer &im) {
  PIKE_ASSIGN_OR_FAIL(x, im.input(0));
  if (!x->isFloat())
    return im.fail() << "BipolarQuant needs a real input, got " << x->element.str();
  PIKE_ASSIGN_OR_FAIL(scale, im.constInput(1));
  if (scale.size() != 1)
    return im.fail() << "BipolarQuant needs one scale";
  if (!std::isfinite(scale.values[0]) || scale.values[0] <= 0)
    return im.fail() << "scales must be positive and finite";
  // +-1 as signed 2-bit integers times the scale.
  Quant quant;
  quant.bits = 2;
  quant.isSigned = true;
  quant.scales = {scale.values[0]};
  quant.zeroPoints = {0};
  if (!x->isHostConstant()) {
    // An activation: floor(x) clamped to a signed bit is 0 for x >= 0 and -1
    // below, exactly; 2v + 1 (a requantize by 2) is then the sign, +-1.
    Quant bit;
    bit.bits = 1;
    bit.isSigned = true;
    bit.scales = {1.0};
    bit.zeroPoints = {0};
    PIKE_ASSIGN_OR_FAIL(negative, im.quantize(x, bit, QuantizeRounding::floor));
    Value in = im.integer(negative, 1);
    auto shape = cast<RankedTensorType>(in.getType()).getShape();
    SmallVector<NamedAttribute> attrs = {
        im.builder.getNamedAttr(
            "multiplier",
            FixedPointAttr::get(im.context, 32,
                                DenseI64ArrayAttr::get(im.context, {int64_t(1) << 30}),
                                DenseI64ArrayAttr::get(im.context, {29}),
                                RoundingMode::single_round)),
        im.builder.getNamedAttr("output_zp", im.builder.getI64IntegerAttr(1))};
    auto sign = std::make_shared<Tensor>();
    sign->shape = negative->shape;
    sign->nhwc = negative->nhwc;
    sign->element = Element{false, 2, false};
    sign->quant = quant;
    sign->value = im.emit(RequantizeOp::getOperationName(), {in},
                          im.tensorType(shape, im.builder.getIntegerType(2)), attrs, "/sign");
    return Importer::Results{im.dequantized(sign, quant, im.node.getNodeName().str())};
  }
  HostArray ints = *x->constant;
  for (double &v : ints.values)
    v = v >= 0 ? 1 : -1;
  auto source = std::make_shared<Tensor>();
  source->shape = ints.shape;
  source->element = Element{false, 2, false};
  source->constant = std::move(ints);
  source->quant = quant;
  return Importer::Results{im.dequantized(source, quant, im.node.getNodeName().str())};
}

} // namespace

ArrayRef<OnnxOperator> onnx_import::qdqOperators() {
  static const OnnxOperator rows[] = {
      {"", "QuantizeLinear", 10, quantizeLinear},
      {"", "DequantizeLinear", 10, dequantizeLinear},
      {kQonnxDomain, "Quant", 1, qonnxQuant},
      {kQonnxDomain, "BipolarQuant", 1, qonnxBipolarQuant},
      {kQonnxDomain, "Trunc", 1, qonnxTrunc},
  };
  return rows;
}
