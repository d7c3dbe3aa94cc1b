//===- MacNodes.cpp - Conv, Gemm, MatMul and their QOperator forms --------===//
//
// Every convolution and matrix product becomes pike.conv2d /
// pike.fully_connected (2-D by constant weights) / pike.batch_matmul (batch
// dimensions, or a B that is not constant) on the integers behind its
// quantized operands, with an i32 accumulator; a real result is then
// pike.scale (input scale times weight scale per output channel, plus the
// real bias).
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include <limits>

#include "pike/Dialect/Pike/IR/PikeOps.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"

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

/// Zero points and signedness of conv2d / fully_connected (operands named
/// `input` and `weight`) or batch_matmul (`lhs` and `rhs`).
LogicalResult macAttrs(Importer &im, const Quant &in, const Quant &weights,
                       StringRef inWhat, StringRef weightsWhat,
                       SmallVectorImpl<NamedAttribute> &attrs,
                       StringRef inName = "input", StringRef weightName = "weight") {
  OpBuilder &b = im.builder;
  PIKE_ASSIGN_OR_FAIL(inZp, scalarZeroPoint(im, in, inWhat));
  PIKE_ASSIGN_OR_FAIL(weightZp, scalarZeroPoint(im, weights, weightsWhat));
  if (inZp)
    attrs.push_back(b.getNamedAttr((inName + "_zp").str(), b.getI64IntegerAttr(inZp)));
  if (weightZp)
    attrs.push_back(
        b.getNamedAttr((weightName + "_zp").str(), b.getI64IntegerAttr(weightZp)));
  if (!in.isSigned)
    attrs.push_back(b.getNamedAttr((inName + "_unsigned").str(), b.getUnitAttr()));
  if (!weights.isSigned)
    attrs.push_back(b.getNamedAttr((weightName + "_unsigned").str(), b.getUnitAttr()));
  return success();
}

SmallVector<double> weightScales(const Quant &quant, int64_t channels) {
  if (quant.scales.size() == 1)
    return SmallVector<double>(channels, quant.scales.front());
  return quant.scales;
}

bool hasChannelZeroPoints(const Quant &quant) {
  return llvm::any_of(quant.zeroPoints,
                      [&](int64_t zp) { return zp != quant.zeroPoints.front(); });
}

/// Constant weights whose zero points differ between output channels (along
/// `axis`, which ONNX allows) with each channel's zero point subtracted at
/// import: the same products, exactly, in one more bit, signed, with zero
/// points 0, so the layer keeps one weight zero point.
LogicalResult subtractChannelZeroPoints(Importer &im, HostArray &weights, Quant &quant,
                                        int64_t axis) {
  int64_t channels = weights.shape[axis];
  if (int64_t(quant.zeroPoints.size()) != channels)
    return im.fail() << "there are " << quant.zeroPoints.size() << " weight zero points for "
                     << channels << " output channels";
  if (quant.bits >= 16)
    return im.fail() << "per-channel weight zero points need weights of at most 15 bits";
  int64_t inner = 1;
  for (size_t d = axis + 1; d < weights.shape.size(); ++d)
    inner *= weights.shape[d];
  for (size_t i = 0; i < weights.values.size(); ++i)
    weights.values[i] -= double(quant.zeroPoints[(int64_t(i) / inner) % channels]);
  quant.zeroPoints.assign(channels, 0);
  quant.bits += 1;
  quant.isSigned = true;
  quant.narrow = false;
  return success();
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
  if (value->elementScales && value->elementScales->shape == w.shape) {
    // Weights of a blocked DequantizeLinear: when every value is an int8
    // multiple of its channel's smallest block scale (block scales a
    // power-of-two apart), that grid holds them exactly.
    Quant grid;
    grid.bits = 8;
    grid.isSigned = true;
    grid.axis = outputAxis;
    grid.scales.assign(channels, std::numeric_limits<double>::infinity());
    grid.zeroPoints.assign(channels, 0);
    const std::vector<double> &elementScales = value->elementScales->values;
    for (size_t i = 0; i < w.values.size(); ++i) {
      double &s = grid.scales[(i / inner) % channels];
      s = std::min(s, elementScales[i]);
    }
    auto ints = std::make_shared<Tensor>();
    ints->shape = w.shape;
    ints->element = Element{false, 8, false};
    ints->constant = w;
    bool exact = true;
    for (size_t i = 0; i < w.values.size() && exact; ++i) {
      double s = grid.scales[(i / inner) % channels];
      double q = std::nearbyint(w.values[i] / s);
      exact = q >= -128 && q <= 127 && double(float(q * s)) == w.values[i];
      ints->constant->values[i] = q;
    }
    if (exact) {
      ints->quant = grid;
      return IntOperand{ints, grid};
    }
  }
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
  return im.fail() << "auto_pad '" << shown(autoPad) << "' is not supported";
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
  HostArray wInts = weights;
  Quant wFolded = wQuant;
  if (hasChannelZeroPoints(wQuant) &&
      failed(subtractChannelZeroPoints(im, wInts, wFolded, /*axis=*/0)))
    return failure();
  Value wValue = im.intConstant(permuteHost(wInts, {0, 2, 3, 1}), wFolded.bits);
  Value xValue = im.integer(x, xQuant.bits);
  SmallVector<NamedAttribute> attrs = {
      b.getNamedAttr("strides", b.getDenseI64ArrayAttr(strides)),
      b.getNamedAttr("padding", b.getDenseI64ArrayAttr(padding))};
  if (dilations != ArrayRef<int64_t>{1, 1})
    attrs.push_back(b.getNamedAttr("dilations", b.getDenseI64ArrayAttr(dilations)));
  if (groups != 1)
    attrs.push_back(b.getNamedAttr("groups", b.getI64IntegerAttr(groups)));
  if (failed(macAttrs(im, xQuant, wFolded, "the input", "the weights", attrs)))
    return failure();
  SmallVector<int64_t> shape = {n, oh, ow, f};
  Value acc = im.emit(Conv2DOp::getOperationName(), {xValue, wValue},
                      im.tensorType(shape, b.getI32Type()), attrs);
  return Accumulator{acc, shape};
}

/// A 1-D operand of a matrix product as the matrix NumPy reads it: [1, K]
/// for A, [K, 1] for B.
TensorPtr promoted(Importer &im, const TensorPtr &x, unsigned bits, bool isA) {
  auto out = std::make_shared<Tensor>(*x);
  int64_t k = x->shape[0];
  out->shape = isA ? SmallVector<int64_t>{1, k} : SmallVector<int64_t>{k, 1};
  if (x->constant && !x->value) {
    out->constant->shape = out->shape;
    return out;
  }
  Value value = im.integer(x, bits);
  auto type = cast<RankedTensorType>(value.getType());
  out->constant.reset();
  out->value = tensor::ExpandShapeOp::create(
      im.builder, im.loc("/matrix"), RankedTensorType::get(out->shape, type.getElementType()),
      value, ArrayRef<ReassociationIndices>{{0, 1}});
  return out;
}

/// A by B as ONNX MatMul (NumPy matmul) reads them: A [..., M, K] by B
/// [..., K, N] with the batch dimensions broadcast, a 1-D operand promoted to
/// a matrix and its dimension dropped from the result. 2-D A by constant
/// 2-D B (Gemm's B [N, K] when `transposed`) is pike.fully_connected, the
/// layer the CPU kernels pack; anything else is pike.batch_matmul. `scales`
/// becomes A's scale times B's, per output column.
FailureOr<Accumulator> matmul(Importer &im, const IntOperand &a, const IntOperand &b,
                              bool transposed, SmallVector<double> &scales) {
  OpBuilder &builder = im.builder;
  if (!a.quant.perTensor())
    return im.fail() << "the quantizer of input A must be per tensor";
  if (b.ints->nhwc && !b.quant.perTensor())
    return im.fail() << "per-channel B scales must be along the output dimension";
  // Matrix products read the model's order, not pike's NHWC.
  TensorPtr aInts = im.toModelOrder(a.ints), bInts = im.toModelOrder(b.ints);
  if (aInts->shape.empty() || bInts->shape.empty())
    return im.fail() << "matrix products need operands of rank 1 or more";
  bool aVector = aInts->shape.size() == 1, bVector = bInts->shape.size() == 1;
  if (transposed && (aVector || bVector))
    return im.fail() << "input B must be a constant matrix";
  if (aVector)
    aInts = promoted(im, aInts, a.quant.bits, /*isA=*/true);
  if (bVector)
    bInts = promoted(im, bInts, b.quant.bits, /*isA=*/false);
  ArrayRef<int64_t> aShape = aInts->shape, bShape = bInts->shape;
  int64_t aRank = aShape.size(), bRank = bShape.size();
  int64_t m = aShape[aRank - 2], k = aShape[aRank - 1];
  int64_t bK = bShape[bRank - (transposed ? 1 : 2)];
  int64_t n = bShape[bRank - (transposed ? 2 : 1)];
  if (bK != k)
    return im.fail() << "input A has " << k << " columns but B has " << bK << " rows";
  if (b.quant.axis && (*b.quant.axis != bRank - (transposed ? 2 : 1) ||
                       int64_t(b.quant.scales.size()) != n))
    return im.fail() << "per-channel B scales must be along the output dimension";
  scales = weightScales(b.quant, n);
  for (double &s : scales)
    s *= a.quant.scales.front();
  bool bConstant = bInts->constant && !bInts->value;
  Quant bQuant = b.quant;
  if (hasChannelZeroPoints(bQuant)) {
    if (!bConstant)
      return im.fail() << "per-column zero points of input B need a constant B";
    auto folded = std::make_shared<Tensor>(*bInts);
    if (failed(subtractChannelZeroPoints(im, *folded->constant, bQuant,
                                         bRank - (transposed ? 2 : 1))))
      return failure();
    bInts = folded;
  }

  if (aRank >= 2 && bRank == 2 && bConstant && !aVector && !bVector) {
    // A's leading dimensions are rows of one product by the weights (a
    // transformer's [batch, tokens, width] by a Linear's matrix), which the
    // fully connected kernels take.
    HostArray w = transposed ? *bInts->constant : permuteHost(*bInts->constant, {1, 0});
    Value wValue = im.intConstant(w, bQuant.bits);
    Value aValue = im.integer(aInts, a.quant.bits);
    int64_t rows = 1;
    for (int64_t d : aShape.drop_back())
      if (llvm::MulOverflow(rows, d, rows))
        return im.fail() << "input A has more rows than 64 bits count";
    SmallVector<ReassociationIndices> groups(2);
    for (int64_t d = 0; d < aRank - 1; ++d)
      groups[0].push_back(d);
    groups[1].push_back(aRank - 1);
    Type aElement = cast<RankedTensorType>(aValue.getType()).getElementType();
    if (aRank > 2)
      aValue = tensor::CollapseShapeOp::create(builder, im.loc("/rows"),
                                               im.tensorType({rows, k}, aElement), aValue, groups);
    SmallVector<NamedAttribute> attrs;
    if (failed(macAttrs(im, a.quant, bQuant, "input A", "input B", attrs)))
      return failure();
    Value acc = im.emit(FullyConnectedOp::getOperationName(), {aValue, wValue},
                        im.tensorType({rows, n}, builder.getI32Type()), attrs);
    SmallVector<int64_t> shape(aShape.drop_back());
    shape.push_back(n);
    if (aRank > 2)
      acc = tensor::ExpandShapeOp::create(builder, im.loc("/rows"),
                                          im.tensorType(shape, builder.getI32Type()), acc, groups);
    return Accumulator{acc, shape};
  }
  if (transposed)
    return im.fail() << "input B must be a constant matrix";

  // The batch dimensions, aligned from the right as NumPy broadcasts them.
  ArrayRef<int64_t> aBatch = aShape.drop_back(2), bBatch = bShape.drop_back(2);
  size_t batchRank = std::max(aBatch.size(), bBatch.size());
  SmallVector<int64_t> shape;
  for (size_t d = 0; d < batchRank; ++d) {
    int64_t x = d + aBatch.size() >= batchRank ? aBatch[d + aBatch.size() - batchRank] : 1;
    int64_t y = d + bBatch.size() >= batchRank ? bBatch[d + bBatch.size() - batchRank] : 1;
    if (x != y && x != 1 && y != 1)
      return im.fail() << "the batch dimensions of A " << listText(aBatch) << " and B "
                       << listText(bBatch) << " do not broadcast";
    shape.push_back(x == 1 ? y : x);
  }
  shape.append({m, n});
  // A constant is emitted for this product alone: another node may read it
  // as host data.
  auto valueOf = [&](const TensorPtr &t, unsigned bits) {
    return t->constant && !t->value ? im.intConstant(*t->constant, bits) : im.integer(t, bits);
  };
  Value aValue = valueOf(aInts, a.quant.bits);
  Value bValue = valueOf(bInts, bQuant.bits);
  SmallVector<NamedAttribute> attrs;
  if (failed(macAttrs(im, a.quant, bQuant, "input A", "input B", attrs, "lhs", "rhs")))
    return failure();
  Value acc = im.emit(BatchMatmulOp::getOperationName(), {aValue, bValue},
                      im.tensorType(shape, builder.getI32Type()), attrs);
  if (!aVector && !bVector)
    return Accumulator{acc, shape};
  // Drop the dimension a vector operand was promoted with.
  SmallVector<int64_t> dropped(shape.begin(), shape.end() - 2);
  if (!aVector)
    dropped.push_back(m);
  if (!bVector)
    dropped.push_back(n);
  std::optional<SmallVector<ReassociationIndices>> groups =
      getReassociationIndicesForCollapse(shape, dropped);
  if (!groups)
    return im.fail() << "cannot drop the promoted dimension of a 1-D operand";
  acc = tensor::CollapseShapeOp::create(builder, im.loc("/vector"),
                                        im.tensorType(dropped, builder.getI32Type()), acc,
                                        *groups);
  return Accumulator{acc, dropped};
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
  PIKE_ASSIGN_OR_FAIL(source, im.input(index));
  HostArray bias;
  if (source->pendingDequantize && !source->value && source->intSource->isHostConstant()) {
    // A quantized constant bias (QONNX Quant, Brevitas' IntBias): its reals,
    // (q - zp) * scale in float32 as the model's executor computes them.
    const Quant &quant = *source->quant;
    bias = *source->intSource->constant;
    if (quant.axis && bias.shape.size() != 1)
      return im.fail() << "a per-channel quantized bias must be 1-D, got shape "
                       << listText(bias.shape);
    for (auto [i, v] : llvm::enumerate(bias.values)) {
      size_t c = quant.axis ? i : 0;
      v = double(float(v - double(quant.zeroPoints[c])) * float(quant.scales[c]));
    }
  } else {
    PIKE_ASSIGN_OR_FAIL(constant, im.constInput(index));
    bias = std::move(constant);
  }
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
  PIKE_ASSIGN_OR_FAIL(operand, intOperand(im, a, "input A"));
  if (operand.ints->shape.size() != 2 || b.ints->shape.size() != 2)
    return im.fail() << "Gemm needs 2-D inputs A and B";
  SmallVector<double> scales;
  PIKE_ASSIGN_OR_FAIL(acc, matmul(im, operand, b, transposed, scales));
  PIKE_ASSIGN_OR_FAIL(bias, biasInput(im, 2, acc.shape[1]));
  return Importer::Results{scale(im, acc, scales, bias, false)};
}

FailureOr<Importer::Results> convertMatMul(Importer &im) {
  PIKE_ASSIGN_OR_FAIL(a, im.input(0));
  PIKE_ASSIGN_OR_FAIL(bTensor, im.input(1));
  PIKE_ASSIGN_OR_FAIL(operand, intOperand(im, a, "input A"));
  // Constant B is the layer's weights (real ones quantized here per output
  // column); any other B is a quantized activation.
  bool constantB = bTensor->isHostConstant() ||
                   (bTensor->intSource && bTensor->intSource->constant &&
                    !bTensor->intSource->value);
  int64_t bRank = bTensor->shape.size();
  FailureOr<IntOperand> b =
      constantB ? weightsQuantized(im, bTensor, "input B", std::max<int64_t>(bRank - 1, 0))
                : intOperand(im, bTensor, "input B");
  if (failed(b))
    return failure();
  SmallVector<double> scales;
  PIKE_ASSIGN_OR_FAIL(acc, matmul(im, operand, *b, false, scales));
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
  int64_t bRank = b->shape.size();
  PIKE_ASSIGN_OR_FAIL(bQuant, qoperatorQuant(im, 4, 5, bRank, bRank - 1));
  PIKE_ASSIGN_OR_FAIL(yQuant, qoperatorQuant(im, 6, 7, a->shape.size(), 1));
  if (!yQuant.perTensor())
    return im.fail() << "the output quantizer must be per tensor";
  SmallVector<double> scales;
  PIKE_ASSIGN_OR_FAIL(acc, matmul(im, IntOperand{a, aQuant}, IntOperand{b, bQuant}, false,
                                  scales));
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
    // One scale per zero point: the products subtract each channel's.
    if (zp->size() > 1) {
      one.shape = {int64_t(zp->size())};
      one.values.assign(zp->size(), 1.0);
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
  int64_t aRank = a->shape.size(), bRank = b->shape.size();
  PIKE_ASSIGN_OR_FAIL(aQuant, integerQuant(im, a, 2, aRank, aRank - 1));
  PIKE_ASSIGN_OR_FAIL(bQuant, integerQuant(im, b, 3, bRank, bRank - 1));
  SmallVector<double> scales;
  PIKE_ASSIGN_OR_FAIL(acc, matmul(im, IntOperand{a, aQuant}, IntOperand{b, bQuant}, false,
                                  scales));
  auto out = std::make_shared<Tensor>();
  out->shape = acc.shape;
  out->element = Element{false, 32, false};
  out->value = acc.value;
  return Importer::Results{out};
}

} // namespace

ArrayRef<OnnxOperator> onnx_import::macOperators() {
  static const OnnxOperator rows[] = {
      {"", "Conv", 1, convertConv},
      {"", "Gemm", 1, convertGemm},
      {"", "MatMul", 1, convertMatMul},
      {"", "QLinearConv", 10, convertQLinearConv},
      {"", "QLinearMatMul", 10, convertQLinearMatMul},
      {"", "ConvInteger", 10, convertConvInteger},
      {"", "MatMulInteger", 10, convertMatMulInteger},
  };
  return rows;
}
