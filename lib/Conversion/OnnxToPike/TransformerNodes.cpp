//===- TransformerNodes.cpp - Softmax, LayerNormalization, constant math --===//
//
// What encoder transformers add to a CNN's operators: Softmax and
// LayerNormalization over the last axis (pike.softmax, pike.layer_norm,
// made integer by pike-fixed-point between quantizers), and the arithmetic
// of constants their exports carry (the attention scale sqrt(d) as
// Pow/Sqrt of constants), folded here.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include "pike/Dialect/Pike/IR/PikeOps.h"

#include <cmath>

using namespace mlir;
using namespace mlir::pike;
using namespace mlir::pike::onnx_import;

namespace {

/// The normalized axis of the current node (`axis` attribute, ONNX's
/// default `fallback`), which Pike takes only as the last axis of the
/// tensor in the model's order.
FailureOr<TensorPtr> lastAxisOf(Importer &im, TensorPtr x, int64_t fallback) {
  if (x->isHostConstant())
    return im.fail() << "a constant input is not supported";
  x = im.toModelOrder(x);
  int64_t rank = int64_t(x->shape.size());
  int64_t axis = im.intAttr("axis", fallback);
  if (axis < -rank || axis >= rank)
    return im.fail() << "axis " << axis << " is outside a rank-" << rank << " tensor";
  if ((axis + rank) % rank != rank - 1)
    return im.fail() << "only the last axis is supported, got axis " << axis << " of a rank-"
                     << rank << " tensor";
  if (ShapedType::isDynamic(x->shape.back()))
    return im.fail() << "the last axis needs a static size";
  return x;
}

FailureOr<TensorPtr> lastAxisInput(Importer &im, int64_t fallback) {
  PIKE_ASSIGN_OR_FAIL(x, im.input(0));
  return lastAxisOf(im, x, fallback);
}

/// Softmax (opset 13 on: one axis, -1 by default; before: the input
/// flattened to 2-D at `axis`, 1 by default, which is the last axis only
/// when `axis` is the last).
template <int64_t DefaultAxis>
FailureOr<Importer::Results> softmax(Importer &im) {
  // Scores a Where masked (MaskNodes.cpp): the softmax takes its mask.
  TensorPtr masked = im.peek(0);
  if (masked && masked->softmaxMask) {
    PIKE_ASSIGN_OR_FAIL(x, lastAxisOf(im, masked->softmaxMask->source, DefaultAxis));
    PIKE_ASSIGN_OR_FAIL(real, im.real(x));
    Value y = im.emit(SoftmaxOp::getOperationName(), {real, masked->softmaxMask->keep},
                      real.getType(), {});
    return Importer::Results{realResult(y, x->shape)};
  }
  PIKE_ASSIGN_OR_FAIL(x, lastAxisInput(im, DefaultAxis));
  PIKE_ASSIGN_OR_FAIL(real, im.real(x));
  Value y = im.emit(SoftmaxOp::getOperationName(), {real}, real.getType(), {});
  return Importer::Results{realResult(y, x->shape)};
}

/// The reals of constant input `index` (an initializer, or a dequantized
/// one as onnxruntime's quantizer writes a LayerNorm scale): one value or
/// `length`, as float32 values.
FailureOr<SmallVector<double>> rowConstant(Importer &im, unsigned index, int64_t length,
                                           StringRef what) {
  PIKE_ASSIGN_OR_FAIL(tensor, im.input(index));
  std::optional<HostArray> reals = im.hostReals(tensor);
  if (!reals)
    return im.fail() << what << " must be a constant";
  SmallVector<double> values(reals->values.begin(), reals->values.end());
  if (values.size() != 1 && int64_t(values.size()) != length)
    return im.fail() << what << " has " << values.size() << " values; the normalized axis has "
                     << length;
  if (llvm::any_of(values, [](double v) { return !std::isfinite(v); }))
    return im.fail() << what << " must be finite";
  return values;
}

/// LayerNormalization (opset 17) over the last axis, its scale and bias
/// constants; the optional Mean and InvStdDev outputs only when unused.
FailureOr<Importer::Results> layerNormalization(Importer &im) {
  OpBuilder &b = im.builder;
  for (unsigned i = 1; i < im.node->getNumResults(); ++i)
    if (!im.node->getResult(i).use_empty())
      return im.fail() << "the Mean and InvStdDev outputs are not supported";
  PIKE_ASSIGN_OR_FAIL(x, lastAxisInput(im, -1));
  int64_t length = x->shape.back();
  PIKE_ASSIGN_OR_FAIL(scale, rowConstant(im, 1, length, "the scale"));
  SmallVector<double> bias = {0.0};
  if (im.hasInput(2)) {
    PIKE_ASSIGN_OR_FAIL(given, rowConstant(im, 2, length, "the bias"));
    bias = std::move(given);
  }
  double epsilon = im.floatAttr("epsilon", 1e-5);
  if (!std::isfinite(epsilon) || epsilon < 0)
    return im.fail() << "epsilon must be finite and non-negative, got " << epsilon;
  PIKE_ASSIGN_OR_FAIL(real, im.real(x));
  Value y = im.emit(LayerNormOp::getOperationName(), {real}, real.getType(),
                    {b.getNamedAttr("scale", b.getDenseF64ArrayAttr(scale)),
                     b.getNamedAttr("bias", b.getDenseF64ArrayAttr(bias)),
                     b.getNamedAttr("epsilon", b.getF64FloatAttr(epsilon))});
  Importer::Results results{realResult(y, x->shape)};
  for (unsigned i = 1; i < im.node->getNumResults(); ++i)
    results.push_back(nullptr);
  return results;
}

/// NumPy broadcasting of two shapes (a dimension of 1 takes the other's,
/// 0 included), or nothing when they do not broadcast.
std::optional<SmallVector<int64_t>> broadcastShape(ArrayRef<int64_t> a, ArrayRef<int64_t> b) {
  size_t rank = std::max(a.size(), b.size());
  SmallVector<int64_t> out(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da != db && da != 1 && db != 1)
      return std::nullopt;
    out[i] = da == 1 ? db : da;
  }
  return out;
}


/// The flat index into `shape` (right-aligned, broadcast) of element `flat`
/// of `full`.
int64_t broadcastIndex(ArrayRef<int64_t> shape, ArrayRef<int64_t> full, int64_t flat) {
  int64_t index = 0, stride = 1;
  for (size_t i = 0; i < shape.size(); ++i) {
    size_t d = shape.size() - 1 - i, fd = full.size() - 1 - i;
    int64_t coordinate = flat % full[fd];
    flat /= full[fd];
    if (shape[d] != 1)
      index += coordinate * stride;
    stride *= shape[d];
  }
  return index;
}

/// `a op b` of integers below 2^53 (what a HostArray holds exactly),
/// computed in 128 bits; nothing when the result is not below 2^53 either.
std::optional<double> applyIntegers(StringRef op, double a, double b) {
  __int128 x = __int128(a), y = __int128(b), r = 0;
  if (op == "Add")
    r = x + y;
  else if (op == "Sub")
    r = x - y;
  else if (op == "Mul")
    r = x * y;
  else if (op == "Neg")
    r = -x;
  else
    r = x / y; // Div: the caller refused y == 0; truncation toward zero, as ONNX
  if (r >= __int128(kExactIntegers) || r <= -__int128(kExactIntegers))
    return std::nullopt;
  return double(int64_t(r));
}

double apply(StringRef op, double a, double b) {
  float x = float(a), y = float(b);
  if (op == "Add") return double(x + y);
  if (op == "Sub") return double(x - y);
  if (op == "Mul") return double(x * y);
  if (op == "Div") return double(x / y);
  if (op == "Pow") return double(std::pow(x, y));
  if (op == "Sqrt") return double(std::sqrt(x));
  return double(-x); // Neg
}

} // namespace

bool onnx_import::allInputsConstant(Importer &im) {
  // Looked at, not read: reading would report (and settle) inputs twice.
  for (unsigned i = 0; i < im.node->getNumOperands(); ++i) {
    if (!im.hasInput(i))
      continue;
    TensorPtr x = im.peek(i);
    if (!x || !x->isHostConstant())
      return false;
  }
  return im.node->getNumOperands() > 0;
}

FailureOr<Importer::Results> onnx_import::foldConstantArithmetic(Importer &im, StringRef op) {
  bool unary = op == "Sqrt" || op == "Neg";
  PIKE_ASSIGN_OR_FAIL(a, im.input(0));
  TensorPtr b = a;
  if (!unary) {
    PIKE_ASSIGN_OR_FAIL(second, im.input(1));
    b = second;
  }
  if (!a->isHostConstant() || !b->isHostConstant())
    return im.fail() << op << " is supported between constants only here";
  bool isFloat = a->element.isFloat;
  if (isFloat != b->element.isFloat || (!isFloat && (op == "Pow" || op == "Sqrt")))
    return im.fail() << op << " of these element types is not supported";
  const HostArray &x = *a->constant, &y = *b->constant;
  std::optional<SmallVector<int64_t>> shape = broadcastShape(x.shape, y.shape);
  if (!shape)
    return im.fail() << "shapes " << listText(x.shape) << " and " << listText(y.shape)
                     << " do not broadcast";
  int64_t count = 1;
  for (int64_t d : *shape) {
    if (d < 0 || (d > 0 && count > (int64_t(1) << 24) / d))
      return im.fail() << "a folded constant of shape " << listText(*shape) << " is too large";
    count *= d;
  }
  HostArray out;
  out.shape = *shape;
  out.values.reserve(size_t(count));
  if (count == 0)
    return im.fail() << "a folded constant of shape " << listText(*shape)
                     << " has no elements (Pike has no empty tensors)";
  for (int64_t i = 0; i < count; ++i) {
    double u = x.values[size_t(broadcastIndex(x.shape, *shape, i))];
    double v = y.values[size_t(broadcastIndex(y.shape, *shape, i))];
    if (isFloat) {
      out.values.push_back(apply(op, u, v));
      continue;
    }
    if (op == "Div" && v == 0)
      return im.fail() << "integer division by zero";
    std::optional<double> r = std::fabs(u) < kExactIntegers && std::fabs(v) < kExactIntegers
                                  ? applyIntegers(op, u, v)
                                  : std::nullopt;
    if (!r)
      return im.fail() << "folding integers at or beyond 2^53 is not supported (they are "
                          "not exact here)";
    out.values.push_back(*r);
  }
  auto result = std::make_shared<Tensor>();
  result->shape = out.shape;
  result->element = a->element;
  result->constant = std::move(out);
  return Importer::Results{result};
}

namespace {
template <llvm::StringLiteral const &Op>
FailureOr<Importer::Results> constantOnly(Importer &im) {
  if (auto step = decomposedLayerNorm(im, Op))
    return std::move(*step);
  return foldConstantArithmetic(im, Op);
}
constexpr llvm::StringLiteral kPow = "Pow", kSqrt = "Sqrt", kNeg = "Neg";
} // namespace

ArrayRef<OnnxOperator> onnx_import::transformerOperators() {
  static const OnnxOperator rows[] = {
      {"", "Softmax", 1, softmax<1>},
      // One axis, -1 by default, from opset 13.
      {"", "Softmax", 13, softmax<-1>},
      {"", "LayerNormalization", 17, layerNormalization},
      // Of constants only (the attention's scale).
      {"", "Pow", 7, constantOnly<kPow>},
      {"", "Sqrt", 6, constantOnly<kSqrt>},
      {"", "Neg", 6, constantOnly<kNeg>},
  };
  return rows;
}
