//===- MacNodes.cpp - Conv, Gemm, MatMul and their QOperator forms --------===//
//
// Every convolution and matrix product becomes pike.conv2d /
// pike.fully_connected on the integers behind its quantized operands, with
// an i32 accumulator; a real result is then pike.scale (input scale times
// weight scale per output channel, plus the real bias).
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include "pike/Dialect/Pike/IR/PikeOps.h"

#include <cmath>

using namespace mlir;
using namespace mlir::pike;
using namespace mlir::pike::onnx_import;

namespace {

struct IntOperand {
  TensorPtr ints;
  Quant quant;
};

FailureOr<IntOperand> intOperand(Importer &im, const TensorPtr &value, StringRef what) {
  if (!value->intSource || !value->quant)
    return im.fail() << what
                     << " must be quantized (a DequantizeLinear or Quant output); "
                        "Pike has no real-valued convolution or matmul";
  return IntOperand{value->intSource, *value->quant};
}

FailureOr<int64_t> scalarZeroPoint(Importer &im, const Quant &quant, StringRef what) {
  for (int64_t zp : quant.zeroPoints)
    if (zp != quant.zeroPoints.front())
      return im.fail() << what << " needs one zero point for all channels";
  return quant.zeroPoints.front();
}

/// Zero points and signedness of conv2d / fully_connected.
LogicalResult macAttrs(Importer &im, const Quant &in, const Quant &weights,
                       StringRef inWhat, StringRef weightsWhat,
                       SmallVectorImpl<NamedAttribute> &attrs) {
  OpBuilder &b = im.builder;
  PIKE_ASSIGN_OR_FAIL(inZp, scalarZeroPoint(im, in, inWhat));
  PIKE_ASSIGN_OR_FAIL(weightZp, scalarZeroPoint(im, weights, weightsWhat));
  if (inZp)
    attrs.push_back(b.getNamedAttr("input_zp", b.getI64IntegerAttr(inZp)));
  if (weightZp)
    attrs.push_back(b.getNamedAttr("weight_zp", b.getI64IntegerAttr(weightZp)));
  if (!in.isSigned)
    attrs.push_back(b.getNamedAttr("input_unsigned", b.getUnitAttr()));
  if (!weights.isSigned)
    attrs.push_back(b.getNamedAttr("weight_unsigned", b.getUnitAttr()));
  return success();
}

SmallVector<double> weightScales(const Quant &quant, int64_t channels) {
  if (quant.scales.size() == 1)
    return SmallVector<double>(channels, quant.scales.front());
  return quant.scales;
}

/// Integer weights with their quantizer. Real constant weights are quantized
/// here to 8-bit symmetric values per output channel (`outputAxis`), which
/// pike-dhq can requantize.
FailureOr<IntOperand> weightsQuantized(Importer &im, const TensorPtr &value, StringRef what,
                                       int64_t outputAxis) {
  if (value->intSource) {
    if (!value->intSource->constant || value->intSource->value)
      return im.fail() << what << " must be constant";
    return IntOperand{value->intSource, *value->quant};
  }
  if (!value->constant || !value->element.isFloat || value->value)
    return im.fail() << what << " must be constant";
  const HostArray &w = *value->constant;
  if (w.shape.empty() || outputAxis >= int64_t(w.shape.size()))
    return im.fail() << what << " must have an output-channel dimension";
  int64_t channels = w.shape[outputAxis];
  int64_t inner = 1;
  for (size_t d = outputAxis + 1; d < w.shape.size(); ++d)
    inner *= w.shape[d];
  Quant quant;
  quant.bits = 8;
  quant.isSigned = true;
  quant.narrow = true;
  quant.axis = outputAxis;
  quant.scales.assign(channels, 0.0);
  quant.zeroPoints.assign(channels, 0);
  auto channelOf = [&](size_t i) { return (i / inner) % channels; };
  for (size_t i = 0; i < w.values.size(); ++i)
    quant.scales[channelOf(i)] = std::max(quant.scales[channelOf(i)], std::abs(w.values[i]));
  for (double &s : quant.scales)
    s = s == 0 ? 1.0 : s / 127.0;
  auto ints = std::make_shared<Tensor>();
  ints->shape = w.shape;
  ints->element = Element{false, 8, false};
  ints->constant = w;
  for (size_t i = 0; i < w.values.size(); ++i)
    ints->constant->values[i] = std::clamp(
        std::nearbyint(w.values[i] / quant.scales[channelOf(i)]), -127.0, 127.0);
  ints->quant = quant;
  return IntOperand{ints, quant};
}

FailureOr<SmallVector<int64_t>> pairAttr(Importer &im, StringRef name) {
  SmallVector<int64_t> values = im.intsAttr(name).value_or(SmallVector<int64_t>{1, 1});
  if (values.size() != 2 || values[0] < 1 || values[1] < 1)
    return im.fail() << "'" << name << "' must be two positive integers";
  return values;
}

/// [top, bottom, left, right] from ONNX pads / auto_pad.
FailureOr<SmallVector<int64_t>> convPadding(Importer &im, ArrayRef<int64_t> inHW,
                                            ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
                                            ArrayRef<int64_t> dilations) {
  std::string autoPad = im.stringAttr("auto_pad", "NOTSET");
  if (autoPad == "NOTSET") {
    SmallVector<int64_t> pads =
        im.intsAttr("pads").value_or(SmallVector<int64_t>{0, 0, 0, 0});
    if (pads.size() != 4 || llvm::any_of(pads, [](int64_t p) { return p < 0; }))
      return im.fail() << "'pads' must be four non-negative integers";
    return SmallVector<int64_t>{pads[0], pads[2], pads[1], pads[3]};
  }
  if (autoPad == "VALID")
    return SmallVector<int64_t>{0, 0, 0, 0};
  if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
    SmallVector<int64_t> result;
    for (int i = 0; i < 2; ++i) {
      int64_t out = (inHW[i] + strides[i] - 1) / strides[i];
      int64_t total =
          std::max<int64_t>((out - 1) * strides[i] + (kernel[i] - 1) * dilations[i] + 1 - inHW[i], 0);
      int64_t small = total / 2, large = total - total / 2;
      if (autoPad == "SAME_UPPER")
        result.append({small, large});
      else
        result.append({large, small});
    }
    return result;
  }
  return im.fail() << "auto_pad '" << autoPad << "' is not supported";
}

struct Accumulator {
  Value value;
  SmallVector<int64_t> shape;
};

/// pike.conv2d on integer operands.
FailureOr<Accumulator> conv(Importer &im, TensorPtr x, const Quant &xQuant,
                            const TensorPtr &w, const Quant &wQuant) {
  OpBuilder &b = im.builder;
  if (x->shape.size() != 4)
    return im.fail() << "only 2-D convolutions (4-D tensors) are supported";
  x = im.toNhwc(x);
  if (!xQuant.perTensor())
    return im.fail() << "the input quantizer must be per tensor";
  if (!w->constant || w->value)
    return im.fail() << "convolution weights must be constants";
  const HostArray &weights = *w->constant;
  if (weights.shape.size() != 4)
    return im.fail() << "the weights must be 4-D (filters, channels / group, height, width)";
  if (!wQuant.perTensor() && *wQuant.axis != 0)
    return im.fail() << "per-channel weight scales must be along the filters (axis 0)";
  int64_t f = weights.shape[0], cg = weights.shape[1], kh = weights.shape[2],
          kw = weights.shape[3];
  int64_t groups = im.intAttr("group", 1);
  PIKE_ASSIGN_OR_FAIL(strides, pairAttr(im, "strides"));
  PIKE_ASSIGN_OR_FAIL(dilations, pairAttr(im, "dilations"));
  int64_t n = x->shape[0], h = x->shape[1], wd = x->shape[2], c = x->shape[3];
  if (groups < 1 || c % groups || f % groups || cg * groups != c)
    return im.fail() << "the input has " << c << " channels, but the weights expect "
                     << cg << " per group in " << groups << " group(s)";
  if (auto kernel = im.intsAttr("kernel_shape"))
    if (*kernel != ArrayRef<int64_t>{kh, kw})
      return im.fail() << "'kernel_shape' does not match the weights";
  PIKE_ASSIGN_OR_FAIL(padding, convPadding(im, {h, wd}, {kh, kw}, strides, dilations));
  int64_t oh = (h + padding[0] + padding[1] - dilations[0] * (kh - 1) - 1) / strides[0] + 1;
  int64_t ow = (wd + padding[2] + padding[3] - dilations[1] * (kw - 1) - 1) / strides[1] + 1;
  if (h + padding[0] + padding[1] < dilations[0] * (kh - 1) + 1 ||
      wd + padding[2] + padding[3] < dilations[1] * (kw - 1) + 1)
    return im.fail() << "the kernel is larger than the padded input";
  if (wQuant.axis && int64_t(wQuant.scales.size()) != f)
    return im.fail() << "there are " << wQuant.scales.size() << " weight scales for " << f
                     << " filters";
  Value wValue = im.intConstant(permuteHost(weights, {0, 2, 3, 1}), wQuant.bits);
  Value xValue = im.integer(x, xQuant.bits);
  SmallVector<NamedAttribute> attrs = {
      b.getNamedAttr("strides", b.getDenseI64ArrayAttr(strides)),
      b.getNamedAttr("padding", b.getDenseI64ArrayAttr(padding))};
  if (dilations != ArrayRef<int64_t>{1, 1})
    attrs.push_back(b.getNamedAttr("dilations", b.getDenseI64ArrayAttr(dilations)));
  if (groups != 1)
    attrs.push_back(b.getNamedAttr("groups", b.getI64IntegerAttr(groups)));
  if (failed(macAttrs(im, xQuant, wQuant, "the input", "the weights", attrs)))
    return failure();
  SmallVector<int64_t> shape = {n, oh, ow, f};
  Value acc = im.emit(Conv2DOp::getOperationName(), {xValue, wValue},
                      im.tensorType(shape, b.getI32Type()), attrs);
  return Accumulator{acc, shape};
}

/// pike.fully_connected of A (quantized, 2-D) by constant B.
FailureOr<Accumulator> matmul(Importer &im, const TensorPtr &a, const TensorPtr &bInts,
                              const Quant &bQuant, bool transposed, SmallVector<double> &scales) {
  OpBuilder &b = im.builder;
  PIKE_ASSIGN_OR_FAIL(operand, intOperand(im, a, "input A"));
  if (operand.ints->shape.size() != 2)
    return im.fail() << "only 2-D matrix products are supported";
  if (!bInts->constant || bInts->constant->shape.size() != 2)
    return im.fail() << "input B must be a constant matrix";
  HostArray w = transposed ? *bInts->constant : permuteHost(*bInts->constant, {1, 0});
  int64_t m = w.shape[0], k = w.shape[1];
  if (operand.ints->shape[1] != k)
    return im.fail() << "input A has " << operand.ints->shape[1] << " columns but B has " << k
                     << " rows";
  if (bQuant.axis && (*bQuant.axis != (transposed ? 0 : 1) ||
                      int64_t(bQuant.scales.size()) != m))
    return im.fail() << "per-channel B scales must be along the output dimension";
  if (!operand.quant.perTensor())
    return im.fail() << "the quantizer of input A must be per tensor";
  Value wValue = im.intConstant(w, bQuant.bits);
  Value aValue = im.integer(operand.ints, operand.quant.bits);
  SmallVector<NamedAttribute> attrs;
  if (failed(macAttrs(im, operand.quant, bQuant, "input A", "input B", attrs)))
    return failure();
  SmallVector<int64_t> shape = {operand.ints->shape[0], m};
  Value acc = im.emit(FullyConnectedOp::getOperationName(), {aValue, wValue},
                      im.tensorType(shape, b.getI32Type()), attrs);
  scales = weightScales(bQuant, m);
  for (double &s : scales)
    s *= operand.quant.scales.front();
  return Accumulator{acc, shape};
}

/// pike.scale of an accumulator: real output with per-channel scale and bias.
TensorPtr scale(Importer &im, const Accumulator &acc, ArrayRef<double> scales,
                std::optional<SmallVector<double>> bias, bool nhwc) {
  OpBuilder &b = im.builder;
  SmallVector<NamedAttribute> attrs = {
      b.getNamedAttr("scale", b.getDenseF64ArrayAttr(scales))};
  if (bias)
    attrs.push_back(b.getNamedAttr("bias", b.getDenseF64ArrayAttr(*bias)));
  auto out = std::make_shared<Tensor>();
  out->shape = acc.shape;
  out->nhwc = nhwc;
  out->value = im.emit(ScaleOp::getOperationName(), {acc.value},
                       im.tensorType(acc.shape, b.getF32Type()), attrs, "/scale");
  return out;
}

FailureOr<std::optional<SmallVector<double>>> biasInput(Importer &im, unsigned index,
                                                        int64_t channels) {
  if (!im.hasInput(index))
    return std::optional<SmallVector<double>>();
  PIKE_ASSIGN_OR_FAIL(bias, im.constInput(index));
  if (bias.size() == 1)
    return std::optional<SmallVector<double>>(SmallVector<double>(channels, bias.values[0]));
  if (bias.size() != channels)
    return im.fail() << "the bias has " << bias.size() << " values for " << channels
                     << " output channels";
  return std::optional<SmallVector<double>>(
      SmallVector<double>(bias.values.begin(), bias.values.end()));
}

FailureOr<Importer::Results> convertConv(Importer &im) {
  PIKE_ASSIGN_OR_FAIL(x, im.input(0));
  PIKE_ASSIGN_OR_FAIL(input, intOperand(im, x, "the input"));
  PIKE_ASSIGN_OR_FAIL(w, im.input(1));
  PIKE_ASSIGN_OR_FAIL(weights, weightsQuantized(im, w, "the weights", 0));
  PIKE_ASSIGN_OR_FAIL(acc, conv(im, input.ints, input.quant, weights.ints, weights.quant));
  int64_t f = acc.shape[3];
  SmallVector<double> scales = weightScales(weights.quant, f);
  for (double &s : scales)
    s *= input.quant.scales.front();
  PIKE_ASSIGN_OR_FAIL(bias, biasInput(im, 2, f));
  return Importer::Results{scale(im, acc, scales, bias, true)};
}

FailureOr<Importer::Results> convertGemm(Importer &im) {
  if (im.floatAttr("alpha", 1.0) != 1.0 || im.floatAttr("beta", 1.0) != 1.0 ||
      im.intAttr("transA", 0))
    return im.fail() << "alpha, beta and transA other than 1, 1, 0 are not supported";
  bool transposed = im.intAttr("transB", 0) != 0;
  PIKE_ASSIGN_OR_FAIL(a, im.input(0));
  PIKE_ASSIGN_OR_FAIL(bTensor, im.input(1));
  PIKE_ASSIGN_OR_FAIL(b, weightsQuantized(im, bTensor, "input B", transposed ? 0 : 1));
  SmallVector<double> scales;
  PIKE_ASSIGN_OR_FAIL(acc, matmul(im, a, b.ints, b.quant, transposed, scales));
  PIKE_ASSIGN_OR_FAIL(bias, biasInput(im, 2, acc.shape[1]));
  return Importer::Results{scale(im, acc, scales, bias, false)};
}

FailureOr<Importer::Results> convertMatMul(Importer &im) {
  PIKE_ASSIGN_OR_FAIL(a, im.input(0));
  PIKE_ASSIGN_OR_FAIL(bTensor, im.input(1));
  PIKE_ASSIGN_OR_FAIL(b, weightsQuantized(im, bTensor, "input B", 1));
  SmallVector<double> scales;
  PIKE_ASSIGN_OR_FAIL(acc, matmul(im, a, b.ints, b.quant, false, scales));
  return Importer::Results{scale(im, acc, scales, std::nullopt, false)};
}

/// The quantizer of a QOperator's (scale, zero point) input pair.
FailureOr<Quant> qoperatorQuant(Importer &im, unsigned scaleIndex, unsigned zpIndex,
                                int64_t rank, int64_t channelAxis) {
  PIKE_ASSIGN_OR_FAIL(scaleArray, im.constInput(scaleIndex));
  PIKE_ASSIGN_OR_FAIL(zero, im.zeroPointInput(zpIndex));
  return im.quantizer(scaleArray, zero.values, zero.element, channelAxis, rank, false);
}

FailureOr<TensorPtr> intInput(Importer &im, unsigned index) {
  PIKE_ASSIGN_OR_FAIL(value, im.input(index));
  if (value->isFloat())
    return im.fail() << "input #" << index << " must be an integer tensor, got "
                     << value->element.str();
  return value;
}

TensorPtr withQuant(Importer &im, const TensorPtr &ints, const Quant &quant) {
  return im.dequantized(ints, quant, im.node.getNodeName().str());
}

FailureOr<Importer::Results> convertQLinearConv(Importer &im) {
  PIKE_ASSIGN_OR_FAIL(x, intInput(im, 0));
  PIKE_ASSIGN_OR_FAIL(xQuant, qoperatorQuant(im, 1, 2, x->shape.size(), 1));
  PIKE_ASSIGN_OR_FAIL(w, intInput(im, 3));
  PIKE_ASSIGN_OR_FAIL(wQuant, qoperatorQuant(im, 4, 5, 4, 0));
  PIKE_ASSIGN_OR_FAIL(yQuant, qoperatorQuant(im, 6, 7, x->shape.size(), 1));
  if (!yQuant.perTensor())
    return im.fail() << "the output quantizer must be per tensor";
  PIKE_ASSIGN_OR_FAIL(acc, conv(im, x, xQuant, w, wQuant));
  int64_t f = acc.shape[3];
  SmallVector<double> scales = weightScales(wQuant, f);
  for (double &s : scales)
    s *= xQuant.scales.front();
  PIKE_ASSIGN_OR_FAIL(bias, biasInput(im, 8, f));
  if (bias)
    for (auto [b, s] : llvm::zip(*bias, scales))
      b *= s;
  TensorPtr y = scale(im, acc, scales, bias, true);
  PIKE_ASSIGN_OR_FAIL(q, im.quantize(y, yQuant));
  return Importer::Results{q};
}

FailureOr<Importer::Results> convertQLinearMatMul(Importer &im) {
  PIKE_ASSIGN_OR_FAIL(a, intInput(im, 0));
  PIKE_ASSIGN_OR_FAIL(aQuant, qoperatorQuant(im, 1, 2, a->shape.size(), 1));
  PIKE_ASSIGN_OR_FAIL(b, intInput(im, 3));
  PIKE_ASSIGN_OR_FAIL(bQuant, qoperatorQuant(im, 4, 5, 2, 1));
  PIKE_ASSIGN_OR_FAIL(yQuant, qoperatorQuant(im, 6, 7, a->shape.size(), 1));
  if (!yQuant.perTensor())
    return im.fail() << "the output quantizer must be per tensor";
  SmallVector<double> scales;
  PIKE_ASSIGN_OR_FAIL(acc, matmul(im, withQuant(im, a, aQuant), b, bQuant, false, scales));
  PIKE_ASSIGN_OR_FAIL(q, im.quantize(scale(im, acc, scales, std::nullopt, false), yQuant));
  return Importer::Results{q};
}

/// The unit-scale quantizer of a ConvInteger / MatMulInteger operand.
FailureOr<Quant> integerQuant(Importer &im, const TensorPtr &value, unsigned zpIndex,
                              int64_t rank, int64_t axis) {
  HostArray one;
  one.shape = {1};
  one.values = {1.0};
  std::optional<HostArray> zp;
  Element element = value->element;
  if (im.hasInput(zpIndex)) {
    PIKE_ASSIGN_OR_FAIL(zpArray, im.constInput(zpIndex));
    zp = zpArray;
    if (zp->size() > 1) {
      for (double z : zp->values)
        if (z != zp->values.front())
          return im.fail() << "per-channel zero points are not supported here";
      zp->values.resize(1);
      zp->shape = {1};
    }
  }
  return im.quantizer(one, zp, element, axis, rank, false);
}

FailureOr<Importer::Results> convertConvInteger(Importer &im) {
  PIKE_ASSIGN_OR_FAIL(x, intInput(im, 0));
  PIKE_ASSIGN_OR_FAIL(w, intInput(im, 1));
  PIKE_ASSIGN_OR_FAIL(xQuant, integerQuant(im, x, 2, 4, 1));
  PIKE_ASSIGN_OR_FAIL(wQuant, integerQuant(im, w, 3, 4, 0));
  PIKE_ASSIGN_OR_FAIL(acc, conv(im, x, xQuant, w, wQuant));
  auto out = std::make_shared<Tensor>();
  out->shape = acc.shape;
  out->element = Element{false, 32, false};
  out->value = acc.value;
  out->nhwc = true;
  return Importer::Results{out};
}

FailureOr<Importer::Results> convertMatMulInteger(Importer &im) {
  PIKE_ASSIGN_OR_FAIL(a, intInput(im, 0));
  PIKE_ASSIGN_OR_FAIL(b, intInput(im, 1));
  PIKE_ASSIGN_OR_FAIL(aQuant, integerQuant(im, a, 2, 2, 1));
  PIKE_ASSIGN_OR_FAIL(bQuant, integerQuant(im, b, 3, 2, 1));
  SmallVector<double> scales;
  PIKE_ASSIGN_OR_FAIL(acc, matmul(im, withQuant(im, a, aQuant), b, bQuant, false, scales));
  auto out = std::make_shared<Tensor>();
  out->shape = acc.shape;
  out->element = Element{false, 32, false};
  out->value = acc.value;
  return Importer::Results{out};
}

} // namespace

FailureOr<Importer::Results> Importer::convertMac(StringRef op) {
  if (op == "Conv")
    return convertConv(*this);
  if (op == "Gemm")
    return convertGemm(*this);
  if (op == "MatMul")
    return convertMatMul(*this);
  if (op == "QLinearConv")
    return convertQLinearConv(*this);
  if (op == "QLinearMatMul")
    return convertQLinearMatMul(*this);
  if (op == "ConvInteger")
    return convertConvInteger(*this);
  return convertMatMulInteger(*this);
}
