//===- IndexNodes.cpp - Split, Gather and Shape ---------------------------===//
//
// Shape of a static tensor (a constant), Split into constant sizes and
// Gather: by constant indices (a transformer's
// class token: a slice of the activation) or, from a constant table, by
// indices the model reads at run time (a token embedding). Both move the
// integers behind a dequantized tensor, which keeps them on their grid.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include "pike/Dialect/Pike/IR/PikeOps.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <cmath>

using namespace mlir;
using namespace mlir::pike;
using namespace mlir::pike::onnx_import;

namespace {

/// A constant list of whole numbers (sizes, indices), as int64.
FailureOr<SmallVector<int64_t>> wholeNumbers(Importer &im, const HostArray &array,
                                             StringRef what) {
  SmallVector<int64_t> out;
  for (double v : array.values) {
    if (!std::isfinite(v) || v != std::floor(v) || std::fabs(v) >= kExactIntegers)
      return im.fail() << what << " must hold integers";
    out.push_back(int64_t(v));
  }
  return out;
}

FailureOr<int64_t> axisOf(Importer &im, int64_t rank, int64_t fallback) {
  int64_t axis = im.intAttr("axis", fallback);
  if (axis < -rank || axis >= rank)
    return im.fail() << "axis " << axis << " is outside a rank-" << rank << " tensor";
  return axis < 0 ? axis + rank : axis;
}

/// The box of `x` (model order) starting at `offset` along `axis` with
/// `size` there; the axis dropped when `dropAxis` (size 1).
FailureOr<TensorPtr> sliceAlong(Importer &im, const TensorPtr &x, int64_t axis, int64_t offset,
                                int64_t size, bool dropAxis) {
  SmallVector<int64_t> dims = x->modelDims();
  int64_t rank = dims.size();
  SmallVector<int64_t> offsets(rank, 0), sizes(dims), strides(rank, 1);
  offsets[axis] = offset;
  sizes[axis] = size;
  SmallVector<int64_t> shape(sizes);
  if (dropAxis)
    shape.erase(shape.begin() + axis);
  return rearrange(
      im, x, shape,
      [&](Value value, Type type) -> Value {
        return tensor::ExtractSliceOp::create(im.builder, im.loc(), cast<RankedTensorType>(type),
                                              value, ValueRange{}, ValueRange{}, ValueRange{},
                                              offsets, sizes, strides);
      },
      [&](const HostArray &array) {
        HostArray out = sliceHost(array, offsets, sizes, strides);
        out.shape = shape;
        return out;
      });
}

/// Split (opset 2 on) into the sizes of the `split` attribute (before opset
/// 13) or input, or into equal parts (one per output, or `num_outputs`).
FailureOr<Importer::Results> split(Importer &im) {
  PIKE_ASSIGN_OR_FAIL(x, im.input(0));
  SmallVector<int64_t> dims = x->modelDims();
  PIKE_ASSIGN_OR_FAIL(axis, axisOf(im, dims.size(), 0));
  int64_t outputs = im.node->getNumResults(), length = dims[axis];
  SmallVector<int64_t> sizes;
  if (im.hasInput(1)) {
    PIKE_ASSIGN_OR_FAIL(given, im.constInput(1));
    PIKE_ASSIGN_OR_FAIL(list, wholeNumbers(im, given, "'split'"));
    sizes = std::move(list);
  } else if (std::optional<SmallVector<int64_t>> attr = im.intsAttr("split")) {
    sizes = *attr;
  } else {
    int64_t parts = im.intAttr("num_outputs", outputs);
    if (parts != outputs || parts < 1)
      return im.fail() << "num_outputs " << parts << " differs from the node's " << outputs
                       << " outputs";
    int64_t each = (length + parts - 1) / parts; // ONNX: the last part may be smaller
    for (int64_t i = 0, left = length; i < parts; ++i, left -= each)
      sizes.push_back(std::min(each, left));
  }
  if (int64_t(sizes.size()) != outputs)
    return im.fail() << "'split' has " << sizes.size() << " sizes for " << outputs << " outputs";
  int64_t total = 0;
  for (int64_t s : sizes) {
    if (s < 1 || s > length)
      return im.fail() << "split sizes must be in [1, " << length << "], got " << s;
    total += s;
  }
  if (total != length)
    return im.fail() << "split sizes add up to " << total << ", the axis has " << length;
  Importer::Results results;
  int64_t offset = 0;
  for (int64_t s : sizes) {
    PIKE_ASSIGN_OR_FAIL(part, sliceAlong(im, x, axis, offset, s, false));
    results.push_back(part);
    offset += s;
  }
  return results;
}

/// Gather of rows of a constant table (axis 0) by run-time indices:
/// pike.gather, which clamps an index outside [-rows, rows) (ONNX leaves it
/// undefined, onnxruntime rejects it), so no read leaves the table.
FailureOr<TensorPtr> gatherRows(Importer &im, const TensorPtr &table, TensorPtr indices) {
  OpBuilder &b = im.builder;
  const TensorPtr &source = table->pendingDequantize ? table->intSource : table;
  if (!source->constant || source->pendingDequantize)
    return im.fail() << "Gather by indices computed at run time needs a constant table";
  if (indices->isFloat() || !indices->value)
    return im.fail() << "the indices must be an integer tensor";
  indices = im.toModelOrder(indices);
  if (table->pendingDequantize && !table->quant->perTensor())
    return im.fail() << "a table quantized per channel is not supported";
  const HostArray &data = *source->constant;
  if (data.shape.empty() || data.shape[0] < 1)
    return im.fail() << "the table needs a first dimension of at least one row";
  bool integers = table->pendingDequantize || !source->element.isFloat;
  if (integers && !table->pendingDequantize &&
      llvm::any_of(data.values, [](double v) { return std::fabs(v) >= kExactIntegers; }))
    return im.fail() << "integer table entries at or beyond 2^53 are not supported";
  Value tableValue = table->pendingDequantize ? im.integer(source, table->quant->bits)
                     : integers               ? im.integer(source, source->element.bits)
                                              : im.realConstant(data);
  SmallVector<int64_t> shape(indices->shape);
  shape.append(data.shape.begin() + 1, data.shape.end());
  Type element = cast<RankedTensorType>(tableValue.getType()).getElementType();
  SmallVector<NamedAttribute> attrs;
  if (indices->element.isUnsigned)
    attrs.push_back(b.getNamedAttr("indices_unsigned", b.getUnitAttr()));
  auto out = std::make_shared<Tensor>();
  out->shape = shape;
  out->value = im.emit(GatherOp::getOperationName(), {tableValue, indices->value},
                       im.tensorType(shape, element), attrs);
  if (!table->pendingDequantize) {
    out->element = source->element;
    return out;
  }
  out->element = source->element;
  return im.dequantized(out, *table->quant, im.node.getNodeName().str() + "/dequantize");
}

/// Gather (opset 1 on). Constant indices take slices of the data along
/// `axis` (a scalar index drops the axis, as ONNX does); indices read at run
/// time take rows of a constant table.
FailureOr<Importer::Results> gather(Importer &im) {
  PIKE_ASSIGN_OR_FAIL(data, im.input(0));
  PIKE_ASSIGN_OR_FAIL(indices, im.input(1));
  data = im.toModelOrder(data);
  SmallVector<int64_t> dims = data->modelDims();
  PIKE_ASSIGN_OR_FAIL(axis, axisOf(im, dims.size(), 0));
  if (!indices->isHostConstant()) {
    if (axis != 0)
      return im.fail() << "Gather by indices computed at run time is supported on axis 0 only";
    PIKE_ASSIGN_OR_FAIL(y, gatherRows(im, data, indices));
    return Importer::Results{y};
  }
  PIKE_ASSIGN_OR_FAIL(list, wholeNumbers(im, *indices->constant, "the indices"));
  if (indices->constant->shape.size() > 1)
    return im.fail() << "constant indices of rank " << indices->constant->shape.size()
                     << " are not supported (a scalar or a list)";
  for (int64_t &i : list) {
    if (i < -dims[axis] || i >= dims[axis])
      return im.fail() << "index " << i << " is outside the axis of " << dims[axis];
    i = i < 0 ? i + dims[axis] : i;
  }
  bool scalar = indices->constant->shape.empty();
  if (scalar) {
    PIKE_ASSIGN_OR_FAIL(y, sliceAlong(im, data, axis, list[0], 1, true));
    return Importer::Results{y};
  }
  // A list of indices: consecutive ones are one slice.
  if (list.empty() || llvm::any_of(llvm::seq<size_t>(1, list.size()),
                                   [&](size_t i) { return list[i] != list[0] + int64_t(i); }))
    return im.fail() << "constant indices must be a scalar or consecutive";
  PIKE_ASSIGN_OR_FAIL(y, sliceAlong(im, data, axis, list[0], int64_t(list.size()), false));
  return Importer::Results{y};
}

/// Shape (opset 1; `start` and `end` from 15) of a tensor of static shape:
/// an int64 constant in the model's order, which the shape arithmetic an
/// export writes around it (Gather, Concat, Reshape) folds.
FailureOr<Importer::Results> shape(Importer &im) {
  PIKE_ASSIGN_OR_FAIL(x, im.input(0));
  SmallVector<int64_t> dims = x->modelDims();
  if (llvm::any_of(dims, ShapedType::isDynamic))
    return im.fail() << "the input's shape is not static";
  int64_t rank = dims.size();
  auto clamp = [&](int64_t v) { return std::clamp(v < 0 ? v + rank : v, int64_t(0), rank); };
  int64_t start = clamp(im.intAttr("start", 0)), end = clamp(im.intAttr("end", rank));
  auto out = std::make_shared<Tensor>();
  out->element = Element{false, 64, false};
  HostArray values;
  for (int64_t d = start; d < end; ++d)
    values.values.push_back(double(dims[d]));
  values.shape = {int64_t(values.values.size())};
  out->shape = values.shape;
  out->constant = std::move(values);
  return Importer::Results{out};
}

} // namespace

ArrayRef<OnnxOperator> onnx_import::indexOperators() {
  static const OnnxOperator rows[] = {
      {"", "Split", 2, split},
      {"", "Gather", 1, gather},
      {"", "Shape", 1, shape},
  };
  return rows;
}
