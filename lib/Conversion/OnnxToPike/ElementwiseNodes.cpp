//===- ElementwiseNodes.cpp - Batch-norm, clipping, Add and pooling -------===//
//
// These act on reals in the quantized-graph form (pike.batch_norm,
// pike.clamp, pike.add, pike.avg_pool2d / max_pool2d); the quantize
// pipeline makes them integer.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include "pike/Dialect/Pike/IR/PikeOps.h"
#include "pike/Numerics/Pooling.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "llvm/ADT/StringSwitch.h"

#include <cmath>

using namespace mlir;
using namespace mlir::pike;
using namespace mlir::pike::onnx_import;

namespace {

/// `y`, computed from `x`, keeping x's quantizer when x is a dequantized
/// tensor (Tensor::keptQuant).
TensorPtr keepQuantizer(Importer &im, TensorPtr y, const TensorPtr &x) {
  y->keptQuant = x->gridQuant();
  y->keptBy = im.node;
  return y;
}

FailureOr<Importer::Results> batchNormalization(Importer &im) {
  OpBuilder &b = im.builder;
  if (im.node->getNumResults() > 1)
    return im.fail() << "training-mode outputs are not supported";
  PIKE_ASSIGN_OR_FAIL(input, im.input(0));
  TensorPtr x = im.toNhwc(input);
  PIKE_ASSIGN_OR_FAIL(source, im.real(x));
  if (x->shape.size() < 2)
    return im.fail() << "the input must have a channel dimension";
  int64_t channels = x->shape.back();
  if (!x->nhwc && x->shape.size() != 2)
    return im.fail() << "the input must be an NCHW activation or an (N, C) matrix";
  SmallVector<Value> operands = {source};
  static const char *const names[] = {"scale", "bias", "mean", "var"};
  for (unsigned i = 1; i <= 4; ++i) {
    PIKE_ASSIGN_OR_FAIL(param, im.constInput(i));
    if (param.size() != channels)
      return im.fail() << "'" << names[i - 1] << "' has " << param.size() << " values for "
                       << channels << " channels";
    param.shape = {channels};
    operands.push_back(im.realConstant(param));
  }
  double epsilon = im.floatAttr("epsilon", 1e-5);
  if (!(epsilon >= 0) || !std::isfinite(epsilon))
    return im.fail() << "epsilon must be a non-negative number";
  Value y = im.emit(BatchNormOp::getOperationName(), operands,
                    im.tensorType(x->shape, b.getF32Type()),
                    {b.getNamedAttr("epsilon", b.getF64FloatAttr(epsilon))});
  return Importer::Results{realResult(y, x->shape, x->nhwc)};
}

FailureOr<TensorPtr> clampReal(Importer &im, const TensorPtr &x, double lo, double hi) {
  OpBuilder &b = im.builder;
  PIKE_ASSIGN_OR_FAIL(source, im.real(x));
  if (std::isnan(lo) || std::isnan(hi) || lo > hi)
    return im.fail() << "the clip range [" << lo << ", " << hi << "] is empty";
  Value y = im.emit(ClampOp::getOperationName(), {source},
                    im.tensorType(x->shape, b.getF32Type()),
                    {b.getNamedAttr("min", b.getF64FloatAttr(lo)),
                     b.getNamedAttr("max", b.getF64FloatAttr(hi))});
  return keepQuantizer(im, realResult(y, x->shape, x->nhwc), x);
}

/// Clip of a plain integer tensor (no quantizer), within its own type.
FailureOr<TensorPtr> clampInt(Importer &im, const TensorPtr &x, double lo, double hi) {
  OpBuilder &b = im.builder;
  unsigned bits = x->element.bits;
  bool isUnsigned = x->element.isUnsigned;
  double typeLo = isUnsigned ? 0 : -std::ldexp(1.0, bits - 1);
  double typeHi = isUnsigned ? std::ldexp(1.0, bits) - 1 : std::ldexp(1.0, bits - 1) - 1;
  int64_t min = int64_t(std::max(std::ceil(lo), typeLo));
  int64_t max = int64_t(std::min(std::floor(hi), typeHi));
  if (min > max)
    return im.fail() << "the clip range is empty";
  SmallVector<NamedAttribute> attrs = {b.getNamedAttr("min", b.getI64IntegerAttr(min)),
                                       b.getNamedAttr("max", b.getI64IntegerAttr(max))};
  if (isUnsigned)
    attrs.push_back(b.getNamedAttr("input_unsigned", b.getUnitAttr()));
  Value source = im.integer(x, bits);
  auto out = std::make_shared<Tensor>(*x);
  out->constant.reset();
  out->value = im.emit(ClampOp::getOperationName(), {source}, source.getType(), attrs);
  return out;
}

FailureOr<double> scalarInput(Importer &im, unsigned index) {
  PIKE_ASSIGN_OR_FAIL(array, im.constInput(index));
  if (array.size() != 1)
    return im.fail() << "input #" << index << " must hold one value";
  return array.values[0];
}

FailureOr<Importer::Results> clip(Importer &im) {
  PIKE_ASSIGN_OR_FAIL(x, im.input(0));
  double lo = im.floatAttr("min", -INFINITY), hi = im.floatAttr("max", INFINITY);
  if (im.hasInput(1)) {
    PIKE_ASSIGN_OR_FAIL(value, scalarInput(im, 1));
    lo = value;
  }
  if (im.hasInput(2)) {
    PIKE_ASSIGN_OR_FAIL(value, scalarInput(im, 2));
    hi = value;
  }
  FailureOr<TensorPtr> y = x->isFloat() ? clampReal(im, x, lo, hi) : clampInt(im, x, lo, hi);
  if (failed(y))
    return failure();
  return Importer::Results{*y};
}

/// Per-channel values of a constant that broadcasts against `x` along its
/// channels only ([C], [1, C, 1, 1], [C, 1, 1] for an NCHW activation, [C]
/// or [1, C] for a matrix, or one value).
std::optional<SmallVector<double>> channelConstant(const Tensor &x, const HostArray &c) {
  if (x.shape.empty())
    return std::nullopt;
  int64_t channels = x.shape.back();
  if (c.size() == 1)
    return SmallVector<double>(channels, c.values[0]);
  if (c.size() != channels)
    return std::nullopt;
  SmallVector<int64_t> dims;
  for (int64_t d : c.shape)
    if (d != 1)
      dims.push_back(d);
  int64_t rank = x.shape.size();
  // The channel dimension of the constant, aligned to the right as ONNX broadcasts.
  int64_t position = -1;
  for (int64_t i = 0; i < int64_t(c.shape.size()); ++i)
    if (c.shape[i] == channels)
      position = rank - int64_t(c.shape.size()) + i;
  int64_t channelAxis = x.nhwc ? 1 : rank - 1;
  if (dims.size() != 1 || position != channelAxis)
    return std::nullopt;
  return SmallVector<double>(c.values.begin(), c.values.end());
}

/// Whether foldAffine can fold into x's producer.
LogicalResult foldableAffine(const TensorPtr &x) {
  auto producer = x->value ? x->value.getDefiningOp<ScaleOp>() : ScaleOp();
  return success(producer && isa<DenseF64ArrayAttr>(producer.getScale()));
}

/// x * m + a per channel, folded into the pike.scale that produced x (what
/// PyTorch's QAT ConvBn export writes: Conv, Div by the folded BN factor,
/// Add of the bias, then BatchNormalization).
FailureOr<TensorPtr> foldAffine(Importer &im, const TensorPtr &x, ArrayRef<double> m,
                                ArrayRef<double> a) {
  assert(succeeded(foldableAffine(x)) && "checked by the caller");
  auto producer = x->value.getDefiningOp<ScaleOp>();
  auto scales = cast<DenseF64ArrayAttr>(producer.getScale());
  OpBuilder &b = im.builder;
  SmallVector<double> scale(scales.asArrayRef());
  SmallVector<double> bias(scale.size(), 0.0);
  if (scale.size() == 1)
    scale.assign(m.size(), scale.front());
  if (auto oldBias = producer.getBias())
    bias.assign(oldBias->begin(), oldBias->end());
  if (bias.size() == 1)
    bias.assign(m.size(), bias.front());
  if (scale.size() != m.size() || bias.size() != m.size())
    return im.fail() << "the constant has " << m.size() << " values for " << scale.size()
                     << " channels";
  for (size_t c = 0; c < m.size(); ++c) {
    scale[c] *= m[c];
    bias[c] = bias[c] * m[c] + a[c];
  }
  Value y = im.emit(ScaleOp::getOperationName(), {producer.getInput()}, x->value.getType(),
                    {b.getNamedAttr("scale", b.getDenseF64ArrayAttr(scale)),
                     b.getNamedAttr("bias", b.getDenseF64ArrayAttr(bias))});
  return realResult(y, x->shape, x->nhwc);
}

/// x * m + a per position of the last axis joined to the layer
/// normalization that computed x (its own scale and bias, written as Mul and
/// Add after it: a LayerNorm before opset 17), when that is x's producer.
std::optional<TensorPtr> foldIntoLayerNorm(Importer &im, const TensorPtr &x, ArrayRef<double> m,
                                           ArrayRef<double> a) {
  auto norm = x->value ? x->value.getDefiningOp<LayerNormOp>() : LayerNormOp();
  if (!norm || x->nhwc)
    return std::nullopt;
  size_t n = m.size();
  SmallVector<double> scale(norm.getScale()), bias(norm.getBias());
  if (scale.size() == 1)
    scale.assign(n, scale[0]);
  if (bias.size() == 1)
    bias.assign(n, bias[0]);
  for (size_t i = 0; i < n; ++i) {
    scale[i] *= m[i];
    bias[i] = bias[i] * m[i] + a[i];
    if (!std::isfinite(scale[i]) || !std::isfinite(bias[i]))
      return std::nullopt; // left to the real arithmetic, which reports it
  }
  // One value when every position has the same (a quantized variance
  // takes only one scale and bias).
  auto uniform = [](SmallVector<double> &v) {
    if (llvm::all_equal(v))
      v.resize(1);
  };
  uniform(scale);
  uniform(bias);
  OpBuilder &b = im.builder;
  // The norm's other attributes (epsilon, the quantizers between its
  // steps) stay as they are.
  SmallVector<NamedAttribute> attrs;
  for (NamedAttribute attr : norm->getAttrs())
    if (attr.getName() != "scale" && attr.getName() != "bias")
      attrs.push_back(attr);
  attrs.push_back(b.getNamedAttr("scale", b.getDenseF64ArrayAttr(scale)));
  attrs.push_back(b.getNamedAttr("bias", b.getDenseF64ArrayAttr(bias)));
  Value y = im.emit(LayerNormOp::getOperationName(), {norm.getInput()}, norm.getType(), attrs);
  // The first stays for any other reader of x (unread, it is dropped).
  return realResult(y, x->shape, false);
}

/// Mul, Div, Add or Sub of a real tensor and a per-channel constant.
FailureOr<Importer::Results> affineByConstant(Importer &im, StringRef op) {
  if (auto step = decomposedLayerNorm(im, op))
    return std::move(*step);
  if (allInputsConstant(im))
    return foldConstantArithmetic(im, op);
  PIKE_ASSIGN_OR_FAIL(lhs, im.input(0));
  PIKE_ASSIGN_OR_FAIL(rhs, im.input(1));
  bool constantFirst = lhs->isHostConstant();
  if (constantFirst && (op == "Div" || op == "Sub"))
    return im.fail() << "a constant divided by or minus a tensor is not supported";
  const TensorPtr &x = constantFirst ? rhs : lhs;
  const TensorPtr &c = constantFirst ? lhs : rhs;
  if (!c->isHostConstant() || x->isHostConstant())
    return im.fail() << "one operand must be a constant and the other a tensor";
  if (x->shape.empty())
    return im.fail() << "a rank-0 (scalar) tensor scaled by a constant is not supported";
  std::optional<SmallVector<double>> values = channelConstant(*x, *c->constant);
  if (!values)
    return im.fail() << "the constant must hold one value or one per channel";
  size_t n = values->size();
  SmallVector<double> m(n, 1.0), a(n, 0.0);
  for (size_t i = 0; i < n; ++i) {
    double v = (*values)[i];
    if (!std::isfinite(v))
      return im.fail() << "the constant must be finite, got " << v;
    if (op == "Mul")
      m[i] = v;
    else if (op == "Div") {
      if (v == 0 || !std::isfinite(v))
        return im.fail() << "division by zero or a non-finite constant";
      m[i] = 1.0 / v;
    } else if (op == "Add")
      a[i] = v;
    else
      a[i] = -v;
  }
  // A positive factor of a dequantized tensor joins its scale (exact).
  std::optional<Quant> quant = x->gridQuant();
  if (quant && (op == "Mul" || op == "Div") && llvm::all_equal(m) && m[0] > 0) {
    Quant scaled = *quant;
    for (double &s : scaled.scales)
      s *= m[0];
    return Importer::Results{
        im.dequantized(x->intSource, scaled, im.node.getNodeName().str() + "/dequantize")};
  }
  if (succeeded(foldableAffine(x))) {
    PIKE_ASSIGN_OR_FAIL(y, foldAffine(im, x, m, a));
    return Importer::Results{y};
  }
  if (std::optional<TensorPtr> y = foldIntoLayerNorm(im, x, m, a))
    return Importer::Results{*y};
  // Any other real tensor: a pike.scale of its reals, which pike-fixed-point
  // folds into a table between quantizers.
  OpBuilder &b = im.builder;
  PIKE_ASSIGN_OR_FAIL(real, im.real(x));
  SmallVector<double> scale = llvm::all_equal(m) ? SmallVector<double>{m[0]} : SmallVector<double>(m);
  SmallVector<double> bias = llvm::all_equal(a) ? SmallVector<double>{a[0]} : SmallVector<double>(a);
  Value y = im.emit(ScaleOp::getOperationName(), {real}, real.getType(),
                    {b.getNamedAttr("scale", b.getDenseF64ArrayAttr(scale)),
                     b.getNamedAttr("bias", b.getDenseF64ArrayAttr(bias))});
  return Importer::Results{realResult(y, x->shape, x->nhwc)};
}

} // namespace

Value onnx_import::broadcastTo(Importer &im, Value value, ArrayRef<int64_t> from,
                               ArrayRef<int64_t> to) {
  OpBuilder &b = im.builder;
  SmallVector<int64_t> kept, added;
  for (size_t d = 0; d < to.size(); ++d) {
    if (from[d] == 1 && to[d] != 1)
      added.push_back(d);
    else
      kept.push_back(from[d]);
  }
  Type element = cast<RankedTensorType>(value.getType()).getElementType();
  if (added.empty())
    return value;
  if (kept.size() != from.size()) {
    SmallVector<ReassociationIndices> groups;
    if (!kept.empty())
      groups = *getReassociationIndicesForCollapse(from, kept);
    value = tensor::CollapseShapeOp::create(b, im.loc("/broadcast"),
                                            im.tensorType(kept, element), value, groups);
  }
  Value init = tensor::EmptyOp::create(b, im.loc("/broadcast"), to, element);
  return linalg::BroadcastOp::create(b, im.loc("/broadcast"), value, init, added)
      ->getResult(0);
}

namespace {

/// The operand `x` of a broadcasting Add brought to `full`'s shape: the
/// integers behind a dequantized tensor (so the add can become integer),
/// else the reals.
FailureOr<TensorPtr> broadcastOperand(Importer &im, const TensorPtr &x, const Tensor &full) {
  SmallVector<int64_t> dims = x->modelDims();
  SmallVector<int64_t> fullDims = full.modelDims();
  while (dims.size() < fullDims.size())
    dims.insert(dims.begin(), 1);
  SmallVector<int64_t> from = dims;
  if (full.nhwc)
    from = {dims[0], dims[2], dims[3], dims[1]};
  auto out = std::make_shared<Tensor>();
  out->shape = full.shape;
  out->nhwc = full.nhwc;
  if (std::optional<Quant> quant = x->gridQuant()) {
    Value ints = im.integer(x->intSource, quant->bits);
    if (x->shape != from)
      ints = tensor::ReshapeOp::create(
          im.builder, im.loc("/broadcast"), im.tensorType(from, cast<RankedTensorType>(ints.getType()).getElementType()),
          ints, arith::ConstantOp::create(im.builder, im.loc("/broadcast"),
                                          im.builder.getI64TensorAttr(from)));
    out->element = x->intSource->element;
    out->value = broadcastTo(im, ints, from, full.shape);
    return im.dequantized(out, *quant, im.node.getNodeName().str() + "/dequantize");
  }
  if (x->isHostConstant()) {
    HostArray array = *x->constant;
    array.shape = dims;
    if (full.nhwc)
      array = permuteHost(array, {0, 2, 3, 1});
    out->value = broadcastTo(im, im.realConstant(array), from, full.shape);
    return out;
  }
  PIKE_ASSIGN_OR_FAIL(real, im.real(x));
  if (x->shape != from)
    real = tensor::ReshapeOp::create(
        im.builder, im.loc("/broadcast"), im.tensorType(from, im.builder.getF32Type()), real,
        arith::ConstantOp::create(im.builder, im.loc("/broadcast"),
                                  im.builder.getI64TensorAttr(from)));
  out->value = broadcastTo(im, real, from, full.shape);
  return out;
}

/// Add or Mul of two tensors, broadcasting one to the other's shape.
FailureOr<Importer::Results> binary(Importer &im, StringRef op) {
  if (auto step = decomposedLayerNorm(im, op))
    return std::move(*step);
  if (allInputsConstant(im))
    return foldConstantArithmetic(im, op);
  // A constant after a layer normalization: its scale or bias.
  for (unsigned i = 0; i < 2; ++i) {
    TensorPtr x = im.peek(i), c = im.peek(1 - i);
    if (!x || !c || !c->isHostConstant() || !c->element.isFloat || x->isHostConstant())
      continue;
    std::optional<SmallVector<double>> values = channelConstant(*x, *c->constant);
    if (!values)
      continue;
    SmallVector<double> m(values->size(), 1.0), a(values->size(), 0.0);
    (op == "Mul" ? m : a) = *values;
    if (std::optional<TensorPtr> y = foldIntoLayerNorm(im, x, m, a))
      return Importer::Results{*y};
  }
  OpBuilder &b = im.builder;
  PIKE_ASSIGN_OR_FAIL(lhs, im.input(0));
  PIKE_ASSIGN_OR_FAIL(rhs, im.input(1));
  // Activations in pike's layout; a constant is broadcast in the model's.
  if (!lhs->isHostConstant())
    lhs = im.toNhwc(lhs);
  if (!rhs->isHostConstant())
    rhs = im.toNhwc(rhs);
  // A constant after a convolution or matrix product joins its scale; a
  // positive scalar factor of a dequantized tensor, its quantizer's; one
  // value (any shape that leaves x's) with a real tensor is a shared
  // pike.scale, which a table between quantizers absorbs (GELU's Erf form).
  if (lhs->isHostConstant() != rhs->isHostConstant()) {
    const TensorPtr &x = lhs->isHostConstant() ? rhs : lhs;
    const TensorPtr &c = lhs->isHostConstant() ? lhs : rhs;
    bool oneValue = c->constant->size() == 1 && c->shape.size() <= x->shape.size() &&
                    std::isfinite(c->constant->values[0]);
    bool positiveFactor = op == "Mul" && x->gridQuant() && oneValue &&
                          c->constant->values[0] > 0 && std::isfinite(c->constant->values[0]);
    bool sharedReal = oneValue && !x->gridQuant() && x->isFloat();
    if (positiveFactor || sharedReal || succeeded(foldableAffine(x)))
      return affineByConstant(im, op);
  }
  if (lhs->shape != rhs->shape || lhs->nhwc != rhs->nhwc) {
    // ONNX broadcasting, when one operand already has the result's shape.
    SmallVector<int64_t> l = lhs->modelDims(), r = rhs->modelDims();
    bool lhsFull = l.size() >= r.size() &&
                   llvm::all_of(llvm::seq<size_t>(0, r.size()), [&](size_t i) {
                     int64_t a = l[l.size() - r.size() + i], c = r[i];
                     return a == c || c == 1;
                   });
    bool rhsFull = r.size() >= l.size() &&
                   llvm::all_of(llvm::seq<size_t>(0, l.size()), [&](size_t i) {
                     int64_t a = r[r.size() - l.size() + i], c = l[i];
                     return a == c || c == 1;
                   });
    const TensorPtr &full = lhsFull ? lhs : rhs;
    if ((!lhsFull && !rhsFull) || (full->shape.size() == 4 && !full->nhwc))
      return im.fail() << "broadcasting " << listText(lhs->modelDims()) << " with " << listText(rhs->modelDims())
                       << " is not supported";
    PIKE_ASSIGN_OR_FAIL(other, broadcastOperand(im, lhsFull ? rhs : lhs, *full));
    if (lhsFull)
      rhs = other;
    else
      lhs = other;
  }
  PIKE_ASSIGN_OR_FAIL(l, im.real(lhs));
  PIKE_ASSIGN_OR_FAIL(r, im.real(rhs));
  StringRef name = op == "Mul" ? MulOp::getOperationName() : AddOp::getOperationName();
  Value y = im.emit(name, {l, r}, im.tensorType(lhs->shape, b.getF32Type()), {});
  return Importer::Results{realResult(y, lhs->shape, lhs->nhwc)};
}

/// How an ONNX pooling node places its windows.
struct PoolAttrs {
  SmallVector<int64_t> kernel, strides;
  SmallVector<int64_t> padding = {0, 0, 0, 0}; // [top, bottom, left, right]
  bool ceilMode = false;
  bool countIncludePad = false;
};

FailureOr<TensorPtr> pool(Importer &im, StringRef opName, TensorPtr x, PoolAttrs p) {
  OpBuilder &b = im.builder;
  x = im.toNhwc(x);
  if (x->shape.size() != 4 || !x->nhwc)
    return im.fail() << "pooling needs a 4-D activation";
  if (p.kernel.size() != 2 || p.strides.size() != 2 || p.padding.size() != 4 ||
      llvm::any_of(p.kernel, [](int64_t k) { return k < 1; }) ||
      llvm::any_of(p.strides, [](int64_t s) { return s < 1; }) ||
      llvm::any_of(p.padding, [](int64_t pad) { return pad < 0; }))
    return im.fail() << "kernel_shape and strides must be two positive integers, "
                        "pads four non-negative ones";
  // Bounded so that the window arithmetic below cannot overflow.
  constexpr int64_t kMaxWindow = int64_t(1) << 31;
  auto tooLarge = [&](int64_t v) { return v > kMaxWindow; };
  if (llvm::any_of(p.kernel, tooLarge) || llvm::any_of(p.strides, tooLarge) ||
      llvm::any_of(p.padding, tooLarge))
    return im.fail() << "kernel_shape, strides and pads must not exceed 2^31, got "
                     << listText(p.kernel) << ", " << listText(p.strides) << ", "
                     << listText(p.padding);
  int64_t n = x->shape[0], h = x->shape[1], w = x->shape[2], c = x->shape[3];
  SmallVector<int64_t> &padding = p.padding;
  if (h + padding[0] + padding[1] < p.kernel[0] || w + padding[2] + padding[3] < p.kernel[1])
    return im.fail() << "the window is larger than the padded input";
  if (padding[0] >= p.kernel[0] || padding[1] >= p.kernel[0] || padding[2] >= p.kernel[1] ||
      padding[3] >= p.kernel[1])
    return im.fail() << "padding must be smaller than the window";
  bool isMax = opName == MaxPool2DOp::getOperationName();
  int64_t oh = numerics::poolOutputSize(h, p.kernel[0], p.strides[0], padding[0], padding[1],
                                        p.ceilMode);
  int64_t ow = numerics::poolOutputSize(w, p.kernel[1], p.strides[1], padding[2], padding[3],
                                        p.ceilMode);
  int64_t extraH = numerics::poolExtraPadding(h, oh, p.kernel[0], p.strides[0], padding[0],
                                              padding[1]);
  int64_t extraW = numerics::poolExtraPadding(w, ow, p.kernel[1], p.strides[1], padding[2],
                                              padding[3]);
  bool ceilMatters = extraH > 0 || extraW > 0;
  if (isMax) {
    // Ceil mode's extra windows are more padding, which max pooling ignores.
    padding[1] += extraH;
    padding[3] += extraW;
  }
  SmallVector<int64_t> shape = {n, oh, ow, c};
  SmallVector<NamedAttribute> attrs = {
      b.getNamedAttr("kernel", b.getDenseI64ArrayAttr(p.kernel)),
      b.getNamedAttr("strides", b.getDenseI64ArrayAttr(p.strides))};
  bool padded = llvm::any_of(padding, [](int64_t pad) { return pad != 0; });
  if (padded)
    attrs.push_back(b.getNamedAttr("padding", b.getDenseI64ArrayAttr(padding)));
  if (!isMax && padded && p.countIncludePad)
    attrs.push_back(b.getNamedAttr("count_include_pad", b.getUnitAttr()));
  if (!isMax && ceilMatters)
    attrs.push_back(b.getNamedAttr("ceil_mode", b.getUnitAttr()));
  // The average's reader, QuantizeLinear, rounds it half to even, as
  // onnxruntime's QLinearAveragePool and PyTorch's quantized avg_pool2d do.
  if (!isMax)
    attrs.push_back(b.getNamedAttr(
        "rounding", AverageRoundingAttr::get(b.getContext(), AverageRounding::half_even)));
  PIKE_ASSIGN_OR_FAIL(source, im.real(x));
  Value y = im.emit(opName, {source}, im.tensorType(shape, b.getF32Type()), attrs);
  // A QuantizeLinear after an average rounds it once (Importer::input).
  return keepQuantizer(im, realResult(y, shape, true), x);
}

FailureOr<PoolAttrs> poolAttrs(Importer &im) {
  int64_t ceilMode = im.intAttr("ceil_mode", 0);
  if (ceilMode != 0 && ceilMode != 1)
    return im.fail() << "ceil_mode must be 0 or 1, got " << ceilMode;
  if (auto dilations = im.intsAttr("dilations"))
    if (llvm::any_of(*dilations, [](int64_t d) { return d != 1; }))
      return im.fail() << "dilated pooling is not supported";
  std::optional<SmallVector<int64_t>> kernel = im.intsAttr("kernel_shape");
  if (!kernel)
    return im.fail() << "'kernel_shape' is required";
  std::string autoPad = im.stringAttr("auto_pad", "NOTSET");
  if (autoPad != "NOTSET" && autoPad != "VALID")
    return im.fail() << "auto_pad '" << shown(autoPad) << "' is not supported";
  SmallVector<int64_t> pads = im.intsAttr("pads").value_or(SmallVector<int64_t>{0, 0, 0, 0});
  if (pads.size() != 4)
    return im.fail() << "'pads' must be four integers";
  PoolAttrs attrs;
  attrs.kernel = *kernel;
  attrs.strides = im.intsAttr("strides").value_or(SmallVector<int64_t>{1, 1});
  attrs.padding = {pads[0], pads[2], pads[1], pads[3]};
  if (autoPad == "VALID")
    attrs.padding = {0, 0, 0, 0};
  attrs.ceilMode = ceilMode == 1;
  return attrs;
}

/// A tensor whose model order is already NHWC (onnxruntime's
/// channels_last pooling), seen as pike's NHWC activation.
TensorPtr channelsLastView(const TensorPtr &x) {
  auto view = std::make_shared<Tensor>(*x);
  view->nhwc = true;
  if (x->intSource)
    view->intSource = channelsLastView(x->intSource);
  return view;
}

/// The pooling input: NHWC as pike keeps it, or as the model already has it.
FailureOr<TensorPtr> poolInput(Importer &im) {
  PIKE_ASSIGN_OR_FAIL(input, im.input(0));
  if (im.intAttr("pike_channels_last", 0) == 0)
    return im.toNhwc(input);
  if (input->shape.size() != 4)
    return im.fail() << "channels_last pooling needs a 4-D NHWC tensor";
  return channelsLastView(im.toModelOrder(input));
}

/// The pooled tensor, in the model's NHWC order for channels_last pooling.
TensorPtr poolOutput(Importer &im, TensorPtr y) {
  if (im.intAttr("pike_channels_last", 0) != 0)
    y->nhwc = false;
  return y;
}

FailureOr<Importer::Results> globalAveragePool(Importer &im) {
  PIKE_ASSIGN_OR_FAIL(x, poolInput(im));
  if (x->shape.size() != 4)
    return im.fail() << "pooling needs a 4-D activation";
  PoolAttrs global;
  global.kernel = {x->shape[1], x->shape[2]};
  global.strides = {1, 1};
  PIKE_ASSIGN_OR_FAIL(y, pool(im, AvgPool2DOp::getOperationName(), x, global));
  return Importer::Results{poolOutput(im, y)};
}

FailureOr<Importer::Results> averagePool(Importer &im) {
  PIKE_ASSIGN_OR_FAIL(attrs, poolAttrs(im));
  int64_t countIncludePad = im.intAttr("count_include_pad", 0);
  if (countIncludePad != 0 && countIncludePad != 1)
    return im.fail() << "count_include_pad must be 0 or 1, got " << countIncludePad;
  attrs.countIncludePad = countIncludePad == 1;
  PIKE_ASSIGN_OR_FAIL(x, poolInput(im));
  // A zero Pad before the pooling (PyTorch's export of count_include_pad)
  // is padding whose zeros count.
  bool unpadded = llvm::all_of(attrs.padding, [](int64_t p) { return p == 0; });
  if (x->paddedFrom && x->nhwc && (unpadded || attrs.countIncludePad)) {
    SmallVector<int64_t> total = attrs.padding;
    for (int i = 0; i < 4; ++i)
      total[i] += x->padding[i];
    if (total[0] < attrs.kernel[0] && total[1] < attrs.kernel[0] &&
        total[2] < attrs.kernel[1] && total[3] < attrs.kernel[1]) {
      x = x->paddedFrom;
      attrs.padding = total;
      attrs.countIncludePad = true;
    }
  }
  PIKE_ASSIGN_OR_FAIL(y, pool(im, AvgPool2DOp::getOperationName(), x, attrs));
  return Importer::Results{poolOutput(im, y)};
}

FailureOr<Importer::Results> maxPool(Importer &im) {
  if (im.node->getNumResults() > 1)
    return im.fail() << "the Indices output is not supported";
  PIKE_ASSIGN_OR_FAIL(attrs, poolAttrs(im));
  PIKE_ASSIGN_OR_FAIL(x, im.input(0));
  // The integers of a quantizing node (onnxruntime's QOperator format pools
  // a QLinearConv's output as it is): pooled as their dequantized reals,
  // which stay on the grid, and handed on as integers again.
  if (!x->isFloat() && x->quant && x->quant->perTensor()) {
    TensorPtr reals = im.dequantized(x, *x->quant, im.node.getNodeName().str() + "/dequantize");
    PIKE_ASSIGN_OR_FAIL(y, pool(im, MaxPool2DOp::getOperationName(), reals, attrs));
    PIKE_ASSIGN_OR_FAIL(settled, im.settle(y));
    return Importer::Results{settled->intSource};
  }
  PIKE_ASSIGN_OR_FAIL(y, pool(im, MaxPool2DOp::getOperationName(), x, attrs));
  return Importer::Results{y};
}

/// ReduceMean over the spatial axes of an NCHW activation: global average
/// pooling (PyTorch's x.mean([2, 3])), reshaped to [N, C] without keepdims.
FailureOr<Importer::Results> reduceMean(Importer &im) {
  if (auto step = decomposedLayerNorm(im, "ReduceMean"))
    return std::move(*step);
  PIKE_ASSIGN_OR_FAIL(input, im.input(0));
  TensorPtr x = im.toNhwc(input);
  SmallVector<int64_t> axes;
  if (im.hasInput(1)) {
    PIKE_ASSIGN_OR_FAIL(given, im.constInput(1));
    for (double a : given.values)
      axes.push_back(int64_t(a));
  } else if (std::optional<SmallVector<int64_t>> given = im.intsAttr("axes")) {
    axes = *given;
  }
  int64_t rank = x->shape.size();
  if (axes.empty() && im.intAttr("noop_with_empty_axes", 0) == 0)
    for (int64_t d = 0; d < rank; ++d)
      axes.push_back(d);
  for (int64_t &a : axes) {
    if (a < -rank || a >= rank)
      return im.fail() << "axis " << a << " is out of range for rank " << rank;
    if (a < 0)
      a += rank;
  }
  llvm::sort(axes);
  if (rank != 4 || !x->nhwc || axes != SmallVector<int64_t>{2, 3})
    return im.fail() << "only a mean over the spatial axes [2, 3] of a 4-D activation is "
                        "supported (global average pooling), got axes "
                     << listText(axes) << " of a rank-" << rank << " tensor";
  PoolAttrs global;
  global.kernel = {x->shape[1], x->shape[2]};
  global.strides = {1, 1};
  PIKE_ASSIGN_OR_FAIL(y, pool(im, AvgPool2DOp::getOperationName(), x, global));
  if (im.intAttr("keepdims", 1) != 0)
    return Importer::Results{y};
  // [N, 1, 1, C] -> [N, C]: the unit dimensions collapse in either layout.
  // A quantize of the result still makes the pooling integer
  // (pike-fixed-point quantizes before the reshape).
  OpBuilder &b = im.builder;
  SmallVector<int64_t> shape = {y->shape[0], y->shape[3]};
  auto out = std::make_shared<Tensor>(*y);
  out->shape = shape;
  out->nhwc = false;
  out->value = tensor::CollapseShapeOp::create(
      b, im.loc("/reshape"), im.tensorType(shape, b.getF32Type()), y->value,
      SmallVector<ReassociationIndices>{{0, 1, 2}, {3}});
  return Importer::Results{out};
}

/// Sigmoid, Tanh, HardSigmoid, HardSwish, LeakyRelu, Gelu, Erf: a real
/// pike.activation, which pike-fixed-point makes a table between quantizers.
FailureOr<Importer::Results> activation(Importer &im, StringRef op) {
  OpBuilder &b = im.builder;
  PIKE_ASSIGN_OR_FAIL(x, im.input(0));
  PIKE_ASSIGN_OR_FAIL(source, im.real(x));
  ActivationKind kind = llvm::StringSwitch<ActivationKind>(op)
                            .Case("Sigmoid", ActivationKind::sigmoid)
                            .Case("Tanh", ActivationKind::tanh)
                            .Case("HardSigmoid", ActivationKind::hard_sigmoid)
                            .Case("HardSwish", ActivationKind::hard_swish)
                            .Case("LeakyRelu", ActivationKind::leaky_relu)
                            .Case("Erf", ActivationKind::erf)
                            .Default(ActivationKind::gelu);
  SmallVector<NamedAttribute> attrs = {
      b.getNamedAttr("kind", ActivationKindAttr::get(b.getContext(), kind))};
  auto finite = [&](StringRef name, double value) -> LogicalResult {
    if (std::isfinite(value))
      return success();
    return im.fail() << "'" << name << "' must be a finite number, got " << value;
  };
  if (kind == ActivationKind::hard_sigmoid || kind == ActivationKind::leaky_relu) {
    double alpha = im.floatAttr("alpha", kind == ActivationKind::leaky_relu ? 0.01 : 0.2);
    if (failed(finite("alpha", alpha)))
      return failure();
    attrs.push_back(b.getNamedAttr("alpha", b.getF64FloatAttr(alpha)));
  }
  if (kind == ActivationKind::hard_sigmoid) {
    double beta = im.floatAttr("beta", 0.5);
    if (failed(finite("beta", beta)))
      return failure();
    attrs.push_back(b.getNamedAttr("beta", b.getF64FloatAttr(beta)));
  }
  if (kind == ActivationKind::gelu && im.stringAttr("approximate", "none") != "none")
    return im.fail() << "approximate = '" << shown(im.stringAttr("approximate", "none"))
                     << "' is not supported (the exact, erf form only)";
  Value y = im.emit(ActivationOp::getOperationName(), {source},
                    im.tensorType(x->shape, b.getF32Type()), attrs);
  return Importer::Results{realResult(y, x->shape, x->nhwc)};
}

FailureOr<Importer::Results> relu(Importer &im) {
  PIKE_ASSIGN_OR_FAIL(x, im.input(0));
  PIKE_ASSIGN_OR_FAIL(y, clampReal(im, x, 0.0, INFINITY));
  return Importer::Results{y};
}

/// The converter that reads the node's own type as its op.
template <FailureOr<Importer::Results> (*convert)(Importer &, StringRef)>
FailureOr<Importer::Results> byOpType(Importer &im) {
  return convert(im, im.node.getOpType());
}

} // namespace

ArrayRef<OnnxOperator> onnx_import::elementwiseOperators() {
  // Binary ops from opset 7, where they broadcast as NumPy does (before:
  // a `broadcast` attribute).
  static const OnnxOperator rows[] = {
      {"", "BatchNormalization", 1, batchNormalization},
      {"", "Relu", 1, relu},
      {"", "Clip", 1, clip},
      {"", "Sigmoid", 1, byOpType<activation>},
      {"", "Tanh", 1, byOpType<activation>},
      {"", "HardSigmoid", 1, byOpType<activation>},
      {"", "HardSwish", 14, byOpType<activation>},
      {"", "LeakyRelu", 1, byOpType<activation>},
      {"", "Gelu", 20, byOpType<activation>},
      // Erf (opset 9 on; 13 adds bfloat16): GELU as exported before opset 20.
      {"", "Erf", 9, byOpType<activation>},
      // onnxruntime's, in models of any opset: ONNX's exact form.
      {"com.microsoft", "Gelu", 1, byOpType<activation>},
      {"", "Add", 7, byOpType<binary>},
      {"", "Mul", 7, byOpType<binary>},
      {"", "Sub", 7, byOpType<affineByConstant>},
      {"", "Div", 7, byOpType<affineByConstant>},
      {"", "GlobalAveragePool", 1, globalAveragePool},
      {"", "AveragePool", 1, averagePool},
      {"", "MaxPool", 1, maxPool},
      {"", "ReduceMean", 1, reduceMean},
  };
  return rows;
}
