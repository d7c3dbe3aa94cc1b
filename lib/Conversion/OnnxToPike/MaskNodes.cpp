//===- MaskNodes.cpp - Attention masks: Unsqueeze, Equal, Not, Where ------===//
//
// PyTorch exports a padding mask of attention as
//   Where(Equal(Unsqueeze(mask), 0), -inf, scores) -> Softmax
// (masked_fill). The mask is an integer or boolean graph input; Equal and
// Not make i1 tensors of it, Unsqueeze and Squeeze reshape any tensor, and a
// Where that replaces scores by a constant so negative that its exp is 0
// beside any score becomes the mask of the Softmax reading it.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <cmath>

using namespace mlir;
using namespace mlir::pike;
using namespace mlir::pike::onnx_import;

namespace {

/// exp(c - x) underflows float32 to 0 once c - x < -104 (exp(-104) is below
/// the smallest subnormal): a masking constant at least this far below every
/// score drops the element in float32 exactly.
constexpr double kMaskMargin = 104.0;

constexpr Element kBool{false, 1, true};

/// The axes of an Unsqueeze or Squeeze: the `axes` input (opset 13 on) or
/// attribute (before), each made non-negative for a result of `rank`.
FailureOr<SmallVector<int64_t>> axesOf(Importer &im, int64_t rank, bool required) {
  SmallVector<int64_t> axes;
  if (im.peek(1)) {
    PIKE_ASSIGN_OR_FAIL(values, im.constInput(1));
    PIKE_ASSIGN_OR_FAIL(element, im.constElement(1));
    if (element.isFloat)
      return im.fail() << "axes must be integers, got " << element.str();
    for (double v : values.values) {
      if (!(std::fabs(v) <= double(rank))) {
        InFlightDiagnostic diagnostic = im.fail() << "axis ";
        if (std::fabs(v) < kExactIntegers)
          diagnostic << int64_t(v);
        else
          diagnostic << v;
        return diagnostic << " is outside a rank-" << rank << " result";
      }
      axes.push_back(int64_t(v));
    }
  } else if (std::optional<SmallVector<int64_t>> attr = im.intsAttr("axes")) {
    axes = *attr;
  } else if (required) {
    return im.fail() << "needs axes";
  }
  for (int64_t &axis : axes) {
    if (axis < -rank || axis >= rank)
      return im.fail() << "axis " << axis << " is outside a rank-" << rank << " result";
    if (axis < 0)
      axis += rank;
  }
  llvm::sort(axes);
  if (std::adjacent_find(axes.begin(), axes.end()) != axes.end())
    return im.fail() << "axes repeat: " << listText(axes);
  return axes;
}

FailureOr<Importer::Results> unsqueeze(Importer &im) {
  PIKE_ASSIGN_OR_FAIL(x, im.input(0));
  SmallVector<int64_t> dims = x->modelDims();
  int64_t rank = int64_t(dims.size());
  int64_t added = 0;
  if (im.peek(1)) {
    PIKE_ASSIGN_OR_FAIL(values, im.constInput(1));
    added = values.size();
  } else if (std::optional<SmallVector<int64_t>> attr = im.intsAttr("axes")) {
    added = int64_t(attr->size());
  }
  PIKE_ASSIGN_OR_FAIL(axes, axesOf(im, rank + added, /*required=*/true));
  SmallVector<int64_t> shape;
  auto next = dims.begin();
  for (int64_t d = 0; d < rank + added; ++d)
    shape.push_back(llvm::is_contained(axes, d) ? 1 : *next++);
  PIKE_ASSIGN_OR_FAIL(y, reshapeTo(im, x, shape));
  return Importer::Results{y};
}

FailureOr<Importer::Results> squeeze(Importer &im) {
  PIKE_ASSIGN_OR_FAIL(x, im.input(0));
  SmallVector<int64_t> dims = x->modelDims();
  PIKE_ASSIGN_OR_FAIL(axes, axesOf(im, int64_t(dims.size()), /*required=*/false));
  SmallVector<int64_t> shape;
  for (auto [d, size] : llvm::enumerate(dims)) {
    bool listed = llvm::is_contained(axes, int64_t(d));
    if (listed && size != 1)
      return im.fail() << "axis " << d << " has size " << size << ", not 1";
    if (!listed && !(axes.empty() && size == 1))
      shape.push_back(size);
  }
  PIKE_ASSIGN_OR_FAIL(y, reshapeTo(im, x, shape));
  return Importer::Results{y};
}

/// An i1 tensor of `value` (elementwise arith on tensors, which
/// convert-elementwise-to-linalg lowers and the NumPy reference reads).
TensorPtr booleanTensor(Value value) {
  auto out = std::make_shared<Tensor>();
  auto type = cast<RankedTensorType>(value.getType());
  out->shape.assign(type.getShape().begin(), type.getShape().end());
  out->element = kBool;
  out->value = value;
  return out;
}

/// A splat constant of `x`'s type holding `value`.
Value splatLike(Importer &im, Value x, const APInt &value) {
  auto type = cast<RankedTensorType>(x.getType());
  return arith::ConstantOp::create(im.builder, im.loc(), DenseElementsAttr::get(type, value));
}

/// The complement of boolean `x`.
TensorPtr negation(Importer &im, const TensorPtr &x) {
  Value ones = splatLike(im, x->value, APInt(1, 1));
  return booleanTensor(arith::XOrIOp::create(im.builder, im.loc(), x->value, ones));
}

/// A one-value constant whose shape leaves `x`'s as the result's (ONNX
/// broadcasting could make the result's rank larger).
LogicalResult checkLeavesShape(Importer &im, const HostArray &c, const Tensor &x, StringRef what) {
  if (c.shape.size() > x.shape.size())
    return im.fail() << what << " of shape " << listText(c.shape)
                     << " would broadcast the result beyond the tensor's "
                     << listText(x.modelDims());
  return success();
}

/// An integer or boolean tensor computed at run time (a mask input and
/// what is made of it), in the model's order.
FailureOr<TensorPtr> runtimeIntegers(Importer &im, unsigned index) {
  PIKE_ASSIGN_OR_FAIL(x, im.input(index));
  if (x->isFloat() || x->isHostConstant() || !x->value)
    return im.fail() << "input #" << index
                     << " must be an integer or boolean tensor computed at run time (a mask)";
  return im.toModelOrder(x);
}

/// Equal of a run-time integer tensor and one constant value: i1.
FailureOr<Importer::Results> equal(Importer &im) {
  if (allInputsConstant(im))
    return im.fail() << "an Equal of constants is not supported";
  unsigned tensorIndex = im.peek(0) && im.peek(0)->isHostConstant() ? 1 : 0;
  PIKE_ASSIGN_OR_FAIL(x, runtimeIntegers(im, tensorIndex));
  PIKE_ASSIGN_OR_FAIL(c, im.constInput(1 - tensorIndex));
  if (c.size() != 1)
    return im.fail() << "Equal needs one constant value to compare with, got " << c.size();
  if (failed(checkLeavesShape(im, c, *x, "the constant")))
    return failure();
  PIKE_ASSIGN_OR_FAIL(cElement, im.constElement(1 - tensorIndex));
  if (cElement.isFloat != x->element.isFloat || cElement.bits != x->element.bits ||
      cElement.isUnsigned != x->element.isUnsigned)
    return im.fail() << "Equal compares tensors of one type, got " << x->element.str() << " and "
                     << cElement.str();
  double value = c.values[0];
  unsigned bits = x->element.bits;
  if (value != std::trunc(value) || std::fabs(value) >= kExactIntegers)
    return im.fail() << "Equal compares integers with an integer below 2^53, got " << value;
  Value k = splatLike(im, x->value,
                      APInt(bits, uint64_t(int64_t(value)), /*isSigned=*/true,
                            /*implicitTrunc=*/true));
  return Importer::Results{booleanTensor(
      arith::CmpIOp::create(im.builder, im.loc(), arith::CmpIPredicate::eq, x->value, k))};
}

FailureOr<Importer::Results> logicalNot(Importer &im) {
  PIKE_ASSIGN_OR_FAIL(x, runtimeIntegers(im, 0));
  if (x->element.bits != 1)
    return im.fail() << "Not needs a boolean tensor, got " << x->element.str();
  return Importer::Results{negation(im, x)};
}

/// The lowest real a tensor can hold: its quantizer's lowest step when it
/// is dequantized per tensor, else nothing known.
std::optional<double> lowestReal(const TensorPtr &x) {
  std::optional<Quant> q = x->quant;
  if (!x->pendingDequantize || !q || !q->perTensor())
    return std::nullopt;
  return (double(q->lo()) - double(q->zeroPoints.empty() ? 0 : q->zeroPoints[0])) *
         q->scales[0];
}

/// Where(cond, c, x) or Where(cond, x, c): scores `x` masked by one very
/// negative constant `c`, for a Softmax to read.
FailureOr<Importer::Results> where(Importer &im) {
  PIKE_ASSIGN_OR_FAIL(cond, runtimeIntegers(im, 0));
  if (cond->element.bits != 1)
    return im.fail() << "the condition must be boolean, got " << cond->element.str();
  TensorPtr a = im.peek(1), b = im.peek(2);
  if (!a || !b || a->isHostConstant() == b->isHostConstant())
    return im.fail() << "Pike takes a Where of one tensor and one constant (a masked fill)";
  bool constantWhenTrue = a->isHostConstant();
  PIKE_ASSIGN_OR_FAIL(scoresIn, im.input(constantWhenTrue ? 2 : 1));
  PIKE_ASSIGN_OR_FAIL(fill, im.constInput(constantWhenTrue ? 1 : 2));
  if (!scoresIn->isFloat())
    return im.fail() << "the masked tensor must be real (dequantized scores)";
  PIKE_ASSIGN_OR_FAIL(fillElement, im.constElement(constantWhenTrue ? 1 : 2));
  if (!fillElement.isFloat || fillElement.bits != 32)
    return im.fail() << "the fill must be float32, as the scores, got " << fillElement.str();
  if (fill.size() != 1)
    return im.fail() << "the fill must be one value, got " << fill.size();
  if (failed(checkLeavesShape(im, fill, *scoresIn, "the fill")))
    return failure();
  double c = fill.values[0];
  std::optional<double> lowest = lowestReal(scoresIn);
  bool dropsExactly = c == -INFINITY || (lowest && std::isfinite(c) && c <= *lowest - kMaskMargin);
  if (!dropsExactly) {
    InFlightDiagnostic diagnostic = im.fail() << "a Where filling with " << c;
    if (lowest)
      return diagnostic << " is not a mask: its exp is not 0 beside the lowest score, "
                        << *lowest << " (Pike takes fills of -inf or at least " << kMaskMargin
                        << " below every score)";
    return diagnostic << " is not a mask Pike can prove: only -inf, or a fill at least "
                      << kMaskMargin << " below the lowest step of dequantized scores";
  }
  TensorPtr scores = im.toModelOrder(scoresIn);
  SmallVector<int64_t> to = scores->shape;
  if (cond->shape.size() < to.size()) {
    // ONNX aligns shapes at the right: leading dimensions of 1.
    SmallVector<int64_t> padded(to.size() - cond->shape.size(), 1);
    padded.append(cond->shape.begin(), cond->shape.end());
    PIKE_ASSIGN_OR_FAIL(reshapedCond, reshapeTo(im, cond, padded));
    cond = reshapedCond;
  }
  SmallVector<int64_t> from = cond->shape;
  if (from.size() != to.size() ||
      llvm::any_of(llvm::seq<size_t>(0, to.size()),
                   [&](size_t d) { return from[d] != to[d] && from[d] != 1; }))
    return im.fail() << "the condition's shape " << listText(from)
                     << " does not broadcast to the scores' " << listText(to);
  TensorPtr keep = constantWhenTrue ? negation(im, cond) : cond;
  auto out = std::make_shared<Tensor>();
  out->shape = to;
  out->element = Element{true, 32, false};
  out->softmaxMask = Tensor::SoftmaxMask{scores, broadcastTo(im, keep->value, from, to)};
  return Importer::Results{out};
}

} // namespace

ArrayRef<OnnxOperator> onnx_import::maskOperators() {
  static const OnnxOperator rows[] = {
      // `axes` an attribute (before opset 13) or an input (13 on).
      {"", "Unsqueeze", 1, unsqueeze},
      {"", "Squeeze", 1, squeeze},
      {"", "Equal", 7, equal},
      {"", "Not", 1, logicalNot},
      {"", "Where", 9, where},
  };
  return rows;
}
