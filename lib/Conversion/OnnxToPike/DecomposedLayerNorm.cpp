//===- DecomposedLayerNorm.cpp - LayerNorm as opsets before 17 write it ---===//
//
// PyTorch exports nn.LayerNorm before opset 17 as seven nodes over the last
// axis: m = ReduceMean(x), c = Sub(x, m), s = Pow(c, 2), v = ReduceMean(s),
// e = Add(v, eps), d = Sqrt(e), y = Div(c, d). Each step is held as a
// Tensor::NormStep of x (no value) until the Div, which is one
// pike.layer_norm of x's reals, made integer between quantizers as any.
// onnxruntime's quantize_static quantizes the variance before and after
// the epsilon is added (QuantizeLinear, DequantizeLinear, the epsilon a
// dequantized constant): the quantizers go onto the layer_norm. A step read
// by anything else is an error naming the pattern.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include "pike/Dialect/Pike/IR/PikeOps.h"

#include <cmath>

using namespace mlir;
using namespace mlir::pike;
using namespace mlir::pike::onnx_import;

namespace {

using Kind = Tensor::NormStep::Kind;

TensorPtr step(Kind kind, const TensorPtr &source, const TensorPtr &like, double epsilon = 0) {
  auto out = std::make_shared<Tensor>();
  out->shape = like->shape;
  out->nhwc = like->nhwc;
  out->normStep = Tensor::NormStep{kind, source, epsilon};
  return out;
}

/// The next step of `from`'s variance, its quantizers kept.
TensorPtr next(Kind kind, const TensorPtr &from) {
  auto out = std::make_shared<Tensor>(*from);
  out->normStep->kind = kind;
  return out;
}

bool isStep(const TensorPtr &t, Kind kind) { return t && t->normStep && t->normStep->kind == kind; }

/// The one value of a host constant, if it is one.
std::optional<double> scalarConstant(const TensorPtr &t) {
  if (!t || !t->isHostConstant() || t->constant->size() != 1)
    return std::nullopt;
  return t->constant->values[0];
}

/// Whether the node's ReduceMean is over the last axis only, keeping it.
bool meanOfLastAxis(Importer &im, const TensorPtr &x) {
  int64_t rank = x->modelDims().size();
  SmallVector<int64_t> axes;
  if (im.hasInput(1)) {
    TensorPtr given = im.peek(1);
    if (!given || !given->isHostConstant())
      return false;
    for (double a : given->constant->values) {
      if (!std::isfinite(a) || a != std::floor(a) || std::fabs(a) >= kExactIntegers)
        return false;
      axes.push_back(int64_t(a));
    }
  } else if (std::optional<SmallVector<int64_t>> attr = im.intsAttr("axes")) {
    axes = *attr;
  }
  return rank >= 1 && axes.size() == 1 && (axes[0] == -1 || axes[0] == rank - 1) &&
         im.intAttr("keepdims", 1) == 1 && !x->nhwc;
}

} // namespace

std::optional<FailureOr<Importer::Results>> onnx_import::decomposedLayerNorm(Importer &im,
                                                                             StringRef op) {
  TensorPtr a = im.peek(0), b = im.hasInput(1) ? im.peek(1) : TensorPtr();
  if (!a)
    return std::nullopt;
  auto result = [](TensorPtr t) -> std::optional<FailureOr<Importer::Results>> {
    return FailureOr<Importer::Results>(Importer::Results{std::move(t)});
  };
  if (op == "ReduceMean") {
    if (isStep(a, Kind::Squared))
      return meanOfLastAxis(im, a) ? result(step(Kind::Variance, a->normStep->source, a))
                                   : std::nullopt;
    if (!a->normStep && !a->softmaxMask && a->isFloat() && !a->isHostConstant() &&
        meanOfLastAxis(im, a))
      return result(step(Kind::Mean, a, a));
    return std::nullopt;
  }
  if (op == "Sub" && b && isStep(b, Kind::Mean) && b->normStep->source == a)
    return result(step(Kind::Centered, a, a));
  if (op == "Pow" && isStep(a, Kind::Centered) && scalarConstant(b) == 2.0)
    return result(step(Kind::Squared, a->normStep->source, a));
  if (op == "Add" && b) {
    TensorPtr v = isStep(a, Kind::Variance) ? a : isStep(b, Kind::Variance) ? b : TensorPtr();
    if (!v || v->normStep->quantized)
      return std::nullopt;
    TensorPtr other = v == a ? b : a;
    std::optional<double> epsilon = scalarConstant(other);
    // A QDQ epsilon: its dequantized value, and its quantizer.
    std::optional<Quant> epsilonQuant;
    if (!epsilon && other->pendingDequantize && other->quant && other->quant->perTensor())
      if (std::optional<HostArray> reals = im.hostReals(other); reals && reals->size() == 1) {
        epsilon = reals->values[0];
        epsilonQuant = other->quant;
      }
    if (!epsilon)
      return std::nullopt;
    if (!std::isfinite(*epsilon) || *epsilon < 0)
      return FailureOr<Importer::Results>(
          im.fail() << "the layer normalization's epsilon must be finite and non-negative, got "
                    << *epsilon);
    if (v->normStep->withEpsilon && (epsilonQuant || v->normStep->epsilonQuant))
      return FailureOr<Importer::Results>(
          im.fail() << "a layer normalization written out adds one quantized epsilon, "
                       "not two");
    if (v->normStep->deviation)
      return std::nullopt;
    TensorPtr sum = next(Kind::Variance, v);
    sum->normStep->epsilon += *epsilon;
    sum->normStep->withEpsilon = true;
    if (epsilonQuant)
      sum->normStep->epsilonQuant = epsilonQuant;
    return result(sum);
  }
  if (op == "Sqrt" && isStep(a, Kind::Variance) && !a->normStep->quantized)
    return result(next(Kind::Deviation, a));
  if (op == "Div" && b && isStep(a, Kind::Centered) && isStep(b, Kind::Deviation) &&
      a->normStep->source == b->normStep->source) {
    // Read as any reader reads it: a tensor that keeps its input's quantizer
    // is quantized again first (Importer::input does the same).
    FailureOr<TensorPtr> x = im.settle(a->normStep->source);
    if (failed(x))
      return FailureOr<Importer::Results>(failure());
    OpBuilder &builder = im.builder;
    FailureOr<Value> real = im.real(*x);
    if (failed(real))
      return FailureOr<Importer::Results>(failure());
    const Tensor::NormStep &deviation = *b->normStep;
    SmallVector<NamedAttribute> attrs = {
        builder.getNamedAttr("scale", builder.getDenseF64ArrayAttr({1.0})),
        builder.getNamedAttr("bias", builder.getDenseF64ArrayAttr({0.0})),
        builder.getNamedAttr("epsilon", builder.getF64FloatAttr(deviation.epsilon))};
    for (auto [name, quant] : {std::pair{"variance_quantizer", &deviation.variance},
                               std::pair{"epsilon_quantizer", &deviation.epsilonQuant},
                               std::pair{"deviation_quantizer", &deviation.deviation}})
      if (*quant)
        attrs.push_back(builder.getNamedAttr(name, (*quant)->attr(builder.getContext())));
    Value y = im.emit(LayerNormOp::getOperationName(), {*real}, real->getType(), attrs);
    return result(realResult(y, (*x)->shape));
  }
  return std::nullopt;
}

std::optional<FailureOr<Importer::Results>>
onnx_import::quantizedNormStep(Importer &im, bool quantize, std::optional<Element> element) {
  TensorPtr v = im.peek(0);
  if (!isStep(v, Kind::Variance) || v->normStep->quantized != !quantize)
    return std::nullopt;
  auto refuse = [](InFlightDiagnostic diagnostic) -> std::optional<FailureOr<Importer::Results>> {
    return FailureOr<Importer::Results>(static_cast<LogicalResult>(diagnostic));
  };
  TensorPtr out = next(Kind::Variance, v);
  std::optional<Quant> &slot =
      v->normStep->withEpsilon ? out->normStep->deviation : out->normStep->variance;
  if (quantize && slot)
    return refuse(im.fail() << "a layer normalization's variance is quantized twice in a row");
  FailureOr<HostArray> scale = im.constInput(1);
  FailureOr<Importer::ZeroPoint> zero = im.zeroPointInput(2);
  if (failed(scale) || failed(zero))
    return FailureOr<Importer::Results>(failure());
  std::optional<unsigned> bits;
  std::optional<bool> isSigned;
  if (!quantize) {
    bits = slot->bits;
    isSigned = slot->isSigned;
  }
  std::optional<Element> zpElement = zero->element ? zero->element : element;
  FailureOr<Quant> quant = im.quantizer(*scale, zero->values, zpElement, im.intAttr("axis", 1),
                                        v->shape.size(), v->nhwc, bits, isSigned);
  if (failed(quant))
    return FailureOr<Importer::Results>(failure());
  if (!quant->perTensor() || im.intAttr("block_size", 0) != 0)
    return refuse(im.fail() << "a layer normalization's variance must be quantized per tensor");
  if (quantize) {
    if (slot)
      return refuse(im.fail() << "a layer normalization's variance is quantized twice in a row");
    slot = *quant;
  } else if (!slot->sameAs(*quant)) {
    return refuse(im.fail() << "a layer normalization's variance is dequantized with a "
                               "quantizer other than the one that quantized it");
  }
  out->normStep->quantized = quantize;
  return FailureOr<Importer::Results>(Importer::Results{out});
}
