//===- ShapeNodes.cpp - Flatten, Reshape and constant-only operators ------===//
//
// Reshapes of activations become tensor.collapse_shape (through NCHW order
// when the channels are not the only non-unit dimension); slices with
// constant bounds tensor.extract_slice. Cast, Constant,
// ConstantOfShape and Reshape of constants fold here; a Cast that does not
// change the element type (PyTorch writes one after every uint8
// QuantizeLinear) is dropped.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"
#include "pike/Numerics/IntRange.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace mlir::pike;
using namespace mlir::pike::onnx_import;

namespace {


TensorPtr constantTensor(HostArray array, Element element) {
  auto out = std::make_shared<Tensor>();
  out->shape = array.shape;
  out->element = element;
  out->constant = std::move(array);
  return out;
}

/// [N, C, H, W] (NHWC inside) or [N, ...] to [N, rest], in ONNX order.
FailureOr<TensorPtr> flatten(Importer &im, const TensorPtr &x) {
  if (x->shape.size() < 2)
    return im.fail() << "flattening needs a tensor of rank 2 or more";
  if (x->intSource && x->quant && x->quant->perTensor() && x->intSource->value) {
    // Flatten the integers, so that a following Gemm still sees them.
    PIKE_ASSIGN_OR_FAIL(ints, flatten(im, x->intSource));
    return im.dequantized(ints, *x->quant, im.node.getNodeName().str() + "/dequantize");
  }
  bool isFloat = x->isFloat();
  Value value;
  if (isFloat) {
    PIKE_ASSIGN_OR_FAIL(real, im.real(x));
    value = real;
  } else if (x->value) {
    value = x->value;
  } else {
    return im.fail() << "cannot flatten a constant";
  }
  SmallVector<int64_t> shape = x->shape;
  if (x->nhwc && (shape[1] != 1 || shape[2] != 1)) {
    value = im.transpose(value, {0, 3, 1, 2}, im.node.getNodeName().str() + "/nchw");
    shape = {shape[0], shape[3], shape[1], shape[2]};
  }
  int64_t rest = 1;
  ReassociationIndices tail;
  for (size_t d = 1; d < shape.size(); ++d) {
    rest *= shape[d];
    tail.push_back(d);
  }
  SmallVector<ReassociationIndices> groups = {{0}, tail};
  Type element = cast<RankedTensorType>(value.getType()).getElementType();
  auto outType = im.tensorType({shape[0], rest}, element);
  auto out = std::make_shared<Tensor>();
  out->shape = {shape[0], rest};
  out->element = isFloat ? Element{true, 32, false} : x->element;
  out->quant = isFloat ? std::nullopt : x->quant;
  out->value = tensor::CollapseShapeOp::create(im.builder, im.loc(), outType, value, groups);
  return out;
}

} // namespace

/// x's data in the model's order rearranged into model-order `shape`:
/// `build` on the integers behind a dequantized tensor (so that a quantize
/// after it stays integer), else on the reals or integers; `host` on a
/// constant. The result is a plain tensor of the model's order.
FailureOr<TensorPtr> onnx_import::rearrange(Importer &im, const TensorPtr &x, ArrayRef<int64_t> shape,
                               function_ref<Value(Value, Type)> build,
                               function_ref<HostArray(const HostArray &)> host) {
  if (std::optional<Quant> quant = x->gridQuant()) {
    PIKE_ASSIGN_OR_FAIL(ints, rearrange(im, x->intSource, shape, build, host));
    return im.dequantized(ints, *quant, im.node.getNodeName().str() + "/dequantize");
  }
  auto out = std::make_shared<Tensor>();
  out->shape.assign(shape.begin(), shape.end());
  if (x->isHostConstant()) {
    HostArray array = *x->constant;
    if (x->nhwc)
      array = permuteHost(array, {0, 3, 1, 2});
    out->constant = host(array);
    out->element = x->element;
    out->quant = x->quant;
    return out;
  }
  Value value;
  if (x->isFloat()) {
    PIKE_ASSIGN_OR_FAIL(real, im.real(x));
    value = real;
    out->element = Element{true, 32, false};
  } else {
    value = x->value;
    out->element = x->element;
    out->quant = x->quant;
  }
  if (x->nhwc)
    value = im.transpose(value, {0, 3, 1, 2}, im.node.getNodeName().str() + "/nchw");
  Type element = cast<RankedTensorType>(value.getType()).getElementType();
  out->value = build(value, im.tensorType(shape, element));
  return out;
}

FailureOr<TensorPtr> onnx_import::reshapeTo(Importer &im, const TensorPtr &x,
                                            ArrayRef<int64_t> shape) {
  SmallVector<int64_t> target(shape);
  return rearrange(
      im, x, shape,
      [&](Value value, Type type) -> Value {
        Value dims = arith::ConstantOp::create(im.builder, im.loc(),
                                               im.builder.getI64TensorAttr(target));
        return tensor::ReshapeOp::create(im.builder, im.loc(), type, value, dims);
      },
      [&](const HostArray &array) {
        HostArray out = array;
        out.shape = target;
        return out;
      });
}

namespace {

FailureOr<Importer::Results> convertFlatten(Importer &im) {
  PIKE_ASSIGN_OR_FAIL(x, im.input(0));
  int64_t rank = x->shape.size();
  int64_t axis = im.intAttr("axis", 1);
  if (axis < -rank || axis > rank)
    return im.fail() << "axis " << axis << " is out of range for rank " << rank;
  if (axis < 0)
    axis += rank;
  if (axis == 1) {
    PIKE_ASSIGN_OR_FAIL(y, flatten(im, x));
    return Importer::Results{y};
  }
  SmallVector<int64_t> dims = x->modelDims();
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < rank; ++d)
    (d < axis ? outer : inner) *= dims[d];
  PIKE_ASSIGN_OR_FAIL(y, reshapeTo(im, x, {outer, inner}));
  return Importer::Results{y};
}

FailureOr<Importer::Results> convertTranspose(Importer &im) {
  PIKE_ASSIGN_OR_FAIL(x, im.input(0));
  int64_t rank = x->shape.size();
  SmallVector<int64_t> perm;
  if (std::optional<SmallVector<int64_t>> given = im.intsAttr("perm"))
    perm = *given;
  else
    for (int64_t d = rank - 1; d >= 0; --d)
      perm.push_back(d);
  SmallVector<int64_t> sorted = perm;
  llvm::sort(sorted);
  if (int64_t(perm.size()) != rank ||
      llvm::any_of(llvm::enumerate(sorted), [](auto p) { return int64_t(p.index()) != p.value(); }))
    return im.fail() << "'perm' " << listText(perm) << " is not a permutation of " << rank
                     << " dimensions";
  if (rank == 0)
    return Importer::Results{x}; // a scalar is its own transpose
  SmallVector<int64_t> dims = x->modelDims(), shape;
  for (int64_t p : perm)
    shape.push_back(dims[p]);
  // Per-channel quantized constant weights (PyTorch's Linear without bias:
  // MatMul(x, Transpose(Quant(W)))): the channel axis moves with the data.
  if (x->pendingDequantize && x->quant && x->quant->axis && x->intSource &&
      x->intSource->isHostConstant() && !x->nhwc && !x->intSource->nhwc) {
    auto ints = std::make_shared<Tensor>(*x->intSource);
    ints->shape = shape;
    ints->constant = permuteHost(*x->intSource->constant, perm);
    Quant quant = *x->quant;
    quant.axis = llvm::find(perm, *quant.axis) - perm.begin();
    ints->quant = quant;
    return Importer::Results{
        im.dequantized(ints, quant, im.node.getNodeName().str() + "/dequantize")};
  }
  PIKE_ASSIGN_OR_FAIL(
      y, rearrange(
             im, x, shape,
             [&](Value value, Type type) -> Value {
               return im.transpose(value, perm, im.node.getNodeName().str());
             },
             [&](const HostArray &array) { return permuteHost(array, perm); }));
  return Importer::Results{y};
}

FailureOr<Importer::Results> convertReshape(Importer &im) {
  PIKE_ASSIGN_OR_FAIL(x, im.input(0));
  PIKE_ASSIGN_OR_FAIL(targetArray, im.constInput(1));
  SmallVector<int64_t> target;
  for (double d : targetArray.values)
    target.push_back(int64_t(d));
  SmallVector<int64_t> shape = x->modelDims();
  int64_t total = 1;
  for (int64_t d : shape)
    total *= d;
  // Resolve 0 (copy) and -1 (infer) as ONNX does (allowzero = 0).
  SmallVector<int64_t> resolved;
  int64_t known = 1, inferred = -1;
  for (auto [i, d] : llvm::enumerate(target)) {
    if (d == 0 && i < shape.size())
      d = shape[i];
    if (d == -1 && inferred < 0) {
      inferred = i;
      resolved.push_back(1);
      continue;
    }
    if (d < 1)
      return im.fail() << "cannot reshape " << listText(shape) << " to " << listText(target);
    known *= d;
    resolved.push_back(d);
  }
  if (inferred >= 0 && known > 0 && total % known == 0)
    resolved[inferred] = total / known;
  int64_t count = 1;
  for (int64_t d : resolved)
    count *= d;
  if (count != total)
    return im.fail() << "cannot reshape " << listText(shape) << " to " << listText(target);
  if (x->isHostConstant()) {
    HostArray array = *x->constant;
    array.shape = resolved;
    return Importer::Results{constantTensor(std::move(array), x->element)};
  }
  if (resolved.size() == 2 && resolved[0] == shape[0] && shape.size() >= 2) {
    PIKE_ASSIGN_OR_FAIL(y, flatten(im, x));
    return Importer::Results{y};
  }
  PIKE_ASSIGN_OR_FAIL(y, reshapeTo(im, x, resolved));
  return Importer::Results{y};
}

} // namespace

/// The elements of `array` (model order) at `offsets` + i·`strides` for i
/// below `sizes`.
HostArray onnx_import::sliceHost(const HostArray &array, ArrayRef<int64_t> offsets,
                    ArrayRef<int64_t> sizes, ArrayRef<int64_t> strides) {
  HostArray out;
  out.shape.assign(sizes.begin(), sizes.end());
  int64_t rank = sizes.size(), count = 1;
  for (int64_t d : sizes)
    count *= d;
  SmallVector<int64_t> index(rank, 0), pitch(rank, 1);
  for (int64_t d = rank - 2; d >= 0; --d)
    pitch[d] = pitch[d + 1] * array.shape[d + 1];
  out.values.reserve(count);
  for (int64_t n = 0; n < count; ++n) {
    int64_t at = 0;
    for (int64_t d = 0; d < rank; ++d)
      at += (offsets[d] + index[d] * strides[d]) * pitch[d];
    out.values.push_back(array.values[at]);
    for (int64_t d = rank - 1; d >= 0 && ++index[d] == sizes[d]; --d)
      index[d] = 0;
  }
  return out;
}

namespace {

/// Slice with constant starts, ends, axes and positive steps (ShuffleNet's
/// `x.chunk(2, dim=1)`): tensor.extract_slice of the integers behind a
/// dequantized tensor, which keeps them on their grid.
FailureOr<Importer::Results> convertSlice(Importer &im) {
  if (im.hasAttr("starts") || im.hasAttr("ends"))
    return im.fail() << "Slice before opset 10 (bounds as attributes) is not supported";
  PIKE_ASSIGN_OR_FAIL(x, im.input(0));
  SmallVector<int64_t> dims = x->modelDims();
  int64_t rank = dims.size();
  PIKE_ASSIGN_OR_FAIL(starts, im.constInput(1));
  PIKE_ASSIGN_OR_FAIL(ends, im.constInput(2));
  if (starts.size() != ends.size())
    return im.fail() << "'starts' has " << starts.size() << " values and 'ends' "
                     << ends.size();
  std::vector<double> axes, steps(starts.size(), 1.0);
  if (im.hasInput(3)) {
    PIKE_ASSIGN_OR_FAIL(given, im.constInput(3));
    axes = given.values;
  } else {
    for (int64_t d = 0; d < starts.size(); ++d)
      axes.push_back(d);
  }
  if (im.hasInput(4)) {
    PIKE_ASSIGN_OR_FAIL(given, im.constInput(4));
    steps = given.values;
  }
  if (int64_t(axes.size()) != starts.size() || int64_t(steps.size()) != starts.size())
    return im.fail() << "'axes' and 'steps' need one value per start (" << starts.size() << ")";
  for (const std::vector<double> *list : {&starts.values, &ends.values, &axes, &steps})
    if (llvm::any_of(*list, [](double v) { return !std::isfinite(v) || v != std::floor(v); }))
      return im.fail() << "starts, ends, axes and steps must be integers";
  // For messages: the values are int64 in the model, held as doubles here.
  auto whole = [](double v) { return int64_t(std::clamp(v, -9.0e18, 9.0e18)); };
  SmallVector<int64_t> offsets(rank, 0), sizes(dims), strides(rank, 1);
  SmallVector<bool> seen(rank, false);
  for (size_t i = 0; i < axes.size(); ++i) {
    double axis = axes[i] < 0 ? axes[i] + rank : axes[i];
    if (!(axis >= 0 && axis < rank) || seen[int64_t(axis)])
      return im.fail() << "axis " << whole(axes[i]) << " is out of range for rank " << rank
                       << " or repeated";
    int64_t d = axis;
    seen[d] = true;
    if (!(steps[i] >= 1 && steps[i] <= double(dims[d]) + 1))
      return im.fail() << "step " << whole(steps[i]) << " on axis " << d
                       << " is not supported (only positive steps)";
    // ONNX clamps starts and ends into [0, dim] after adding dim to negative
    // ones; done in doubles, as the model may write INT64_MAX for "to the end".
    auto clamp = [&](double v) {
      double size = dims[d];
      v = v < 0 ? v + size : v;
      return int64_t(std::min(std::max(v, 0.0), size));
    };
    int64_t start = clamp(starts.values[i]), end = clamp(ends.values[i]);
    int64_t step = steps[i];
    offsets[d] = start;
    strides[d] = step;
    sizes[d] = end > start ? (end - start + step - 1) / step : 0;
    if (sizes[d] == 0)
      return im.fail() << "the slice of axis " << d << " is empty (Pike has no empty tensors)";
  }
  PIKE_ASSIGN_OR_FAIL(
      y, rearrange(
             im, x, sizes,
             [&](Value value, Type type) -> Value {
               return tensor::ExtractSliceOp::create(im.builder, im.loc(),
                                                     cast<RankedTensorType>(type), value,
                                                     ValueRange{}, ValueRange{}, ValueRange{},
                                                     offsets, sizes, strides);
             },
             [&](const HostArray &array) { return sliceHost(array, offsets, sizes, strides); }));
  return Importer::Results{y};
}

/// ONNX TensorProto.DataType codes Pike handles.
std::optional<Element> elementOfCode(int64_t code) {
  switch (code) {
  case 1: return Element{true, 32, false};
  case 10: return Element{true, 16, false};
  case 11: return Element{true, 64, false};
  case 2: return Element{false, 8, true};
  case 3: return Element{false, 8, false};
  case 4: return Element{false, 16, true};
  case 5: return Element{false, 16, false};
  case 6: return Element{false, 32, false};
  case 7: return Element{false, 64, false};
  case 9: return Element{false, 1, true};
  default: return std::nullopt;
  }
}

/// A value converted as NumPy's astype does (truncation toward zero, then
/// wrap-around for integers).
double castValue(double v, Element to) {
  if (to.isFloat)
    return to.bits == 64 ? v : double(float(v));
  if (to.bits == 1)
    return v != 0 ? 1 : 0;
  if (!std::isfinite(v))
    return 0;
  double t = std::trunc(v);
  double range = std::ldexp(1.0, to.bits);
  double wrapped = std::fmod(t, range);
  if (wrapped < 0)
    wrapped += range;
  if (!to.isUnsigned && wrapped >= range / 2)
    wrapped -= range;
  return wrapped;
}

FailureOr<Importer::Results> convertCast(Importer &im) {
  PIKE_ASSIGN_OR_FAIL(x, im.input(0));
  std::optional<Element> to = elementOfCode(im.intAttr("to", 0));
  if (!to)
    return im.fail() << "'to' names an element type Pike does not support";
  if (x->isHostConstant()) {
    HostArray array = *x->constant;
    for (double &v : array.values)
      v = castValue(v, *to);
    return Importer::Results{constantTensor(std::move(array), *to)};
  }
  Element from = x->pendingDequantize ? Element{true, 32, false} : x->element;
  if (from.isFloat == to->isFloat && from.bits == to->bits &&
      (from.isFloat || from.isUnsigned == to->isUnsigned))
    return Importer::Results{x};
  return im.fail() << "a Cast from " << from.str() << " to " << to->str()
                   << " is supported on constants only";
}

FailureOr<Importer::Results> convertConstant(Importer &im) {
  DictionaryAttr attrs = im.node.getNodeAttributes();
  if (auto value = dyn_cast_or_null<ElementsAttr>(attrs.get("value"))) {
    std::optional<HostArray> array = readElements(value);
    std::optional<Element> element = elementOf(value.getType());
    if (!array || !element)
      return im.fail() << "the value has an unsupported type";
    return Importer::Results{constantTensor(std::move(*array), *element)};
  }
  HostArray array;
  Element element{true, 32, false};
  if (auto real = dyn_cast_or_null<FloatAttr>(attrs.get("value_float"))) {
    array.values = {real.getValueAsDouble()};
  } else if (auto integer = dyn_cast_or_null<IntegerAttr>(attrs.get("value_int"))) {
    array.values = {double(integer.getInt())};
    element = Element{false, 64, false};
  } else if (auto reals = dyn_cast_or_null<DenseF32ArrayAttr>(attrs.get("value_floats"))) {
    array.values.assign(reals.asArrayRef().begin(), reals.asArrayRef().end());
    array.shape = {int64_t(array.values.size())};
  } else if (auto ints = dyn_cast_or_null<DenseI64ArrayAttr>(attrs.get("value_ints"))) {
    for (int64_t v : ints.asArrayRef())
      array.values.push_back(double(v));
    array.shape = {int64_t(array.values.size())};
    element = Element{false, 64, false};
  } else {
    return im.fail() << "only the value, value_float, value_int, value_floats and "
                        "value_ints forms of Constant are supported";
  }
  return Importer::Results{constantTensor(std::move(array), element)};
}

FailureOr<Importer::Results> convertConstantOfShape(Importer &im) {
  PIKE_ASSIGN_OR_FAIL(shapeArray, im.constInput(0));
  HostArray array;
  int64_t count = 1;
  for (double d : shapeArray.values) {
    if (d < 0 || d != std::round(d) || d > double(1 << 30))
      return im.fail() << "the shape must hold non-negative integers";
    array.shape.push_back(int64_t(d));
    count *= int64_t(d);
    if (count > (int64_t(1) << 30))
      return im.fail() << "the constant would be too large";
  }
  Element element{true, 32, false};
  double fill = 0;
  if (auto value = dyn_cast_or_null<ElementsAttr>(im.node.getNodeAttributes().get("value"))) {
    std::optional<HostArray> one = readElements(value);
    std::optional<Element> declared = elementOf(value.getType());
    if (!one || !declared || one->size() != 1)
      return im.fail() << "'value' must be a one-element tensor of a supported type";
    fill = one->values[0];
    element = *declared;
  }
  array.values.assign(count, fill);
  return Importer::Results{constantTensor(std::move(array), element)};
}

/// Concat along `axis` (the model's order). Dequantized inputs that share
/// one quantizer are concatenated as integers; otherwise the reals are, and
/// pike-fixed-point makes a quantize of them integer.
FailureOr<Importer::Results> convertConcat(Importer &im) {
  unsigned count = im.node->getNumOperands();
  if (count == 0)
    return im.fail() << "Concat needs at least one input";
  SmallVector<TensorPtr> inputs;
  for (unsigned i = 0; i < count; ++i) {
    PIKE_ASSIGN_OR_FAIL(x, im.input(i));
    inputs.push_back(x);
  }
  // One layout for all: pike's for activations.
  if (llvm::any_of(inputs, [](const TensorPtr &x) { return x->nhwc; }))
    for (TensorPtr &x : inputs)
      x = im.toNhwc(x);
  const TensorPtr &first = inputs.front();
  int64_t rank = first->shape.size();
  if (!im.hasAttr("axis"))
    return im.fail() << "'axis' is required";
  int64_t axis = im.intAttr("axis", 0);
  if (axis < -rank || axis >= rank)
    return im.fail() << "axis " << axis << " is out of range for rank " << rank;
  if (axis < 0)
    axis += rank;
  static const int64_t nchwToNhwc[] = {0, 3, 1, 2};
  int64_t dim = first->nhwc ? nchwToNhwc[axis] : axis;
  SmallVector<int64_t> shape = first->shape;
  shape[dim] = 0;
  bool sameQuant = first->gridQuant().has_value();
  bool allReal = true, allInt = true;
  for (auto [i, x] : llvm::enumerate(inputs)) {
    if (int64_t(x->shape.size()) != rank || x->nhwc != first->nhwc)
      return im.fail() << "input #" << i << " has a different rank or layout";
    for (int64_t d = 0; d < rank; ++d)
      if (d != dim && x->shape[d] != first->shape[d])
        return im.fail() << "input #" << i << " differs from input #0 outside the axis";
    shape[dim] += x->shape[dim];
    std::optional<Quant> q = x->gridQuant();
    sameQuant = sameQuant && q && q->sameAs(*first->gridQuant());
    allReal = allReal && x->isFloat();
    allInt = allInt && !x->isFloat() && x->element.bits == first->element.bits &&
             x->element.isUnsigned == first->element.isUnsigned;
  }
  SmallVector<Value> values;
  auto out = std::make_shared<Tensor>();
  out->shape = shape;
  out->nhwc = first->nhwc;
  if (!first->nhwc && (allReal || allInt) &&
      llvm::all_of(inputs, [](const TensorPtr &x) { return x->isHostConstant(); })) {
    // Constants (an export's shape arithmetic) join on the host.
    int64_t outer = 1, inner = 1;
    for (int64_t d = 0; d < dim; ++d)
      outer *= shape[d];
    for (int64_t d = dim + 1; d < rank; ++d)
      inner *= shape[d];
    HostArray joined;
    joined.shape = shape;
    for (int64_t o = 0; o < outer; ++o)
      for (const TensorPtr &x : inputs) {
        int64_t block = x->shape[dim] * inner;
        auto begin = x->constant->values.begin() + o * block;
        joined.values.insert(joined.values.end(), begin, begin + block);
      }
    out->element = first->element;
    out->constant = std::move(joined);
    return Importer::Results{out};
  }
  if (sameQuant) {
    Quant quant = *first->gridQuant();
    for (const TensorPtr &x : inputs)
      values.push_back(im.integer(x->intSource, quant.bits));
    out->element = Element{false, quant.bits, !quant.isSigned};
    out->quant = quant;
    out->value = tensor::ConcatOp::create(im.builder, im.loc(), dim, values);
    return Importer::Results{
        im.dequantized(out, quant, im.node.getNodeName().str() + "/dequantize")};
  }
  if (allReal) {
    for (const TensorPtr &x : inputs) {
      PIKE_ASSIGN_OR_FAIL(value, im.real(x));
      values.push_back(value);
    }
    out->value = tensor::ConcatOp::create(im.builder, im.loc(), dim, values);
    return Importer::Results{out};
  }
  if (allInt) {
    for (const TensorPtr &x : inputs)
      values.push_back(im.integer(x, x->element.bits));
    out->element = first->element;
    out->value = tensor::ConcatOp::create(im.builder, im.loc(), dim, values);
    return Importer::Results{out};
  }
  return im.fail() << "the inputs mix reals and integers";
}

/// `value` padded by `padding` ([top, bottom, left, right]) of an NHWC
/// tensor with the constant `fill` of its element type.
Value padSpatial(Importer &im, Value value, ArrayRef<int64_t> padding, TypedAttr fill) {
  OpBuilder &b = im.builder;
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<int64_t> low = {0, padding[0], padding[2], 0};
  SmallVector<int64_t> high = {0, padding[1], padding[3], 0};
  SmallVector<int64_t> shape(type.getShape());
  for (int d = 0; d < 4; ++d)
    shape[d] += low[d] + high[d];
  Value padValue = arith::ConstantOp::create(b, im.loc("/value"), fill);
  SmallVector<OpFoldResult> lowSizes, highSizes;
  for (int d = 0; d < 4; ++d) {
    lowSizes.push_back(b.getIndexAttr(low[d]));
    highSizes.push_back(b.getIndexAttr(high[d]));
  }
  return tensor::PadOp::create(b, im.loc(), im.tensorType(shape, type.getElementType()), value,
                               lowSizes, highSizes, padValue);
}

/// Pad of a 4-D activation's height and width with a constant. On a
/// quantization grid the integers are padded with the value's quantized
/// form, which must be exact; a zero padding is remembered so that an
/// AveragePool can take it as counted padding.
FailureOr<Importer::Results> convertPad(Importer &im) {
  OpBuilder &b = im.builder;
  PIKE_ASSIGN_OR_FAIL(input, im.input(0));
  std::string mode = im.stringAttr("mode", "constant");
  if (mode != "constant")
    return im.fail() << "mode '" << shown(mode) << "' is not supported (constant padding only)";
  SmallVector<int64_t> pads;
  double value = im.floatAttr("value", 0.0);
  if (im.hasInput(1)) {
    PIKE_ASSIGN_OR_FAIL(given, im.constInput(1));
    for (double p : given.values)
      pads.push_back(int64_t(p));
    if (im.hasInput(2)) {
      PIKE_ASSIGN_OR_FAIL(fill, im.constInput(2));
      if (fill.size() != 1)
        return im.fail() << "the constant_value input must hold one value";
      value = fill.values[0];
    }
  } else if (std::optional<SmallVector<int64_t>> given = im.intsAttr("pads")) {
    pads = *given;
  } else {
    return im.fail() << "the pads are required";
  }
  int64_t rank = input->shape.size();
  if (im.hasInput(3)) {
    // Opset 18 axes: pads for these axes only.
    PIKE_ASSIGN_OR_FAIL(axesArray, im.constInput(3));
    int64_t count = axesArray.size();
    if (int64_t(pads.size()) != 2 * count)
      return im.fail() << "'pads' must hold two values per axis";
    SmallVector<int64_t> full(2 * rank, 0);
    for (int64_t i = 0; i < count; ++i) {
      int64_t axis = int64_t(axesArray.values[i]);
      if (axis < -rank || axis >= rank)
        return im.fail() << "axis " << axis << " is out of range for rank " << rank;
      if (axis < 0)
        axis += rank;
      full[axis] = pads[i];
      full[rank + axis] = pads[count + i];
    }
    pads = full;
  }
  if (int64_t(pads.size()) != 2 * rank)
    return im.fail() << "'pads' has " << pads.size() << " values for a rank-" << rank
                     << " tensor";
  if (llvm::any_of(pads, [](int64_t p) { return p < 0; }))
    return im.fail() << "negative pads (cropping) are not supported";
  if (rank != 4 || pads[0] || pads[1] || pads[4] || pads[5])
    return im.fail() << "only the height and width of a 4-D activation can be padded, got pads "
                     << listText(pads);
  if (!std::isfinite(value))
    return im.fail() << "the pad value must be finite, got " << value;
  SmallVector<int64_t> padding = {pads[2], pads[6], pads[3], pads[7]};
  TensorPtr x = im.toNhwc(input);
  // Sizes from the model: the padded tensor must have a size, not a wrapped one.
  SmallVector<int64_t> paddedShape(x->shape.begin(), x->shape.end());
  if (__builtin_add_overflow(paddedShape[1], padding[0], &paddedShape[1]) ||
      __builtin_add_overflow(paddedShape[1], padding[1], &paddedShape[1]) ||
      __builtin_add_overflow(paddedShape[2], padding[2], &paddedShape[2]) ||
      __builtin_add_overflow(paddedShape[2], padding[3], &paddedShape[2]) ||
      !numerics::checkedProduct(paddedShape, 1, int64_t(1) << 40))
    return im.fail() << "the padded tensor would have more than 2^40 elements, pads "
                     << listText(pads);
  auto shaped = [&](const TensorPtr &from, Value padded) {
    auto out = std::make_shared<Tensor>(*from);
    out->shape.assign(cast<RankedTensorType>(padded.getType()).getShape().begin(),
                      cast<RankedTensorType>(padded.getType()).getShape().end());
    out->value = padded;
    out->constant.reset();
    out->paddedFrom.reset();
    out->keptQuant.reset();
    out->settled.reset();
    out->intSource.reset();
    out->pendingDequantize = false;
    return out;
  };
  TensorPtr out;
  if (std::optional<Quant> quant = x->gridQuant()) {
    double scaled = value / quant->scales[0];
    double q = std::round(scaled) + double(quant->zeroPoints[0]);
    if (std::abs(scaled - std::round(scaled)) > 1e-6 * std::max(1.0, std::abs(scaled)) ||
        q < double(quant->lo()) || q > double(quant->hi()))
      return im.fail() << "the pad value " << value
                       << " is not on the input's quantization grid (scale "
                       << quant->scales[0] << ", zero point " << quant->zeroPoints[0] << ")";
    Value ints = im.integer(x->intSource, quant->bits);
    Type element = cast<RankedTensorType>(ints.getType()).getElementType();
    TensorPtr padded =
        shaped(x->intSource, padSpatial(im, ints, padding, b.getIntegerAttr(element, int64_t(q))));
    out = im.dequantized(padded, *quant, im.node.getNodeName().str() + "/dequantize");
  } else if (x->isFloat()) {
    PIKE_ASSIGN_OR_FAIL(real, im.real(x));
    out = shaped(x, padSpatial(im, real, padding, b.getF32FloatAttr(float(value))));
    out->element = Element{true, 32, false};
    out->quant.reset();
  } else {
    if (value != std::round(value))
      return im.fail() << "the pad value " << value << " is not an integer";
    Value ints = im.integer(x, x->element.bits);
    Type element = cast<RankedTensorType>(ints.getType()).getElementType();
    out = shaped(x, padSpatial(im, ints, padding, b.getIntegerAttr(element, int64_t(value))));
  }
  if (value == 0 && x->isFloat()) {
    out->paddedFrom = x;
    out->padding.assign(padding.begin(), padding.end());
  }
  return Importer::Results{out};
}

FailureOr<Importer::Results> convertIdentity(Importer &im) {
  PIKE_ASSIGN_OR_FAIL(x, im.input(0));
  return Importer::Results{x};
}

} // namespace

ArrayRef<OnnxOperator> onnx_import::shapeOperators() {
  static const OnnxOperator rows[] = {
      {"", "Flatten", 1, convertFlatten},
      // The target shape as an input (opset 5 on), not an attribute.
      {"", "Reshape", 5, convertReshape},
      {"", "Transpose", 1, convertTranspose},
      // `to` as a data type number (opset 6 on), not a string.
      {"", "Cast", 6, convertCast},
      {"", "Identity", 1, convertIdentity},
      {"", "Constant", 1, convertConstant},
      {"", "ConstantOfShape", 9, convertConstantOfShape},
      {"", "Concat", 1, convertConcat},
      // `pads` (opset 2 on; opset 1 spelled it `paddings`), as an attribute or an input.
      {"", "Pad", 2, convertPad},
      // Bounds as inputs (opset 10 on), not attributes.
      {"", "Slice", 10, convertSlice},
  };
  return rows;
}
