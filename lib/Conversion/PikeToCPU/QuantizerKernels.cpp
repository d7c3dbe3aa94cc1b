//===- QuantizerKernels.cpp - Vectorized quantize and dequantize ----------===//
//
// The model's boundary (float image in, float logits out) as 16 elements a
// step over the flattened tensor, with the arithmetic of the linalg lowering
// (lowering::quantizeReal / dequantizeInt) applied to vectors.
//
//===----------------------------------------------------------------------===//

#include "QuantizerKernels.h"
#include "KernelSupport.h"

#include "pike/Conversion/LoweringUtils.h"
#include "pike/Dialect/Pike/IR/PikeOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mlir::pike;
using namespace mlir::pike::cpu;

namespace {

/// Per-channel values as a table read at each step's channel, or one value
/// splat to the step's width.
struct ChannelTable {
  Value table;                // 1-D tensor when per channel
  double shared = 0;          // else this value
  Type elementType;

  Value read(OpBuilder &b, Location loc, Value channel, int64_t width) const {
    auto type = VectorType::get({width}, elementType);
    if (table)
      return readVector(b, loc, type, table, channel);
    if (isa<FloatType>(elementType))
      return lowering::scalarReal(b, loc, type, shared);
    return lowering::scalarInt(b, loc, type, int64_t(shared));
  }
};

ChannelTable realTable(OpBuilder &b, Location loc, ArrayRef<double> values, Type type) {
  if (values.size() == 1)
    return {Value(), values[0], type};
  auto tensorType = RankedTensorType::get({int64_t(values.size())}, type);
  SmallVector<Attribute> attrs;
  for (double v : values)
    attrs.push_back(b.getFloatAttr(type, v));
  return {arith::ConstantOp::create(b, loc, DenseElementsAttr::get(tensorType, attrs)), 0, type};
}

/// Channels of an NCHW image whose bytes a transposed quantize interleaves
/// in registers; more make it a real transpose, left to linalg.
constexpr int64_t kMaxInterleavedChannels = 4;

/// quantize(transpose(x) to NHWC) for an NCHW float image of a few
/// channels, with one scale and zero point, stored as `storedType`: one
/// parallel loop over output rows, each reading `lanes` floats of every
/// channel plane, quantizing them and writing them interleaved, so the
/// float image is never written in NHWC order. Null when the op is not of
/// that form.
Value quantizeTransposed(OpBuilder &b, QuantizeOp quantize, int64_t lanes, Type storedType,
                         const ChannelTable &scale, const ChannelTable &zero, double lo,
                         double hi) {
  auto transpose = quantize.getInput().getDefiningOp<linalg::TransposeOp>();
  if (!transpose || !transpose->hasOneUse() ||
      transpose.getPermutation() != ArrayRef<int64_t>{0, 2, 3, 1})
    return Value();
  Value image = transpose.getInput();
  auto imageType = cast<RankedTensorType>(image.getType());
  int64_t channels = imageType.getDimSize(1), width = imageType.getDimSize(3);
  if (channels > kMaxInterleavedChannels)
    return Value();
  Location loc = quantize.getLoc();
  auto outType = cast<RankedTensorType>(quantize.getType());
  Value dest = tensor::EmptyOp::create(b, loc, outType.getShape(), storedType);
  return forEachOutputRow(b, loc, dest, [&](OpBuilder &rb, Location rl, Value n, Value h,
                                             Value row) {
    SmallVector<ReassociationIndices> pixels = {{0, 1, 2, 3}};
    Value flat = tensor::CollapseShapeOp::create(rb, rl, row, pixels);
    flat = forEachTile(rb, rl, width, lanes, flat,
                       [&](OpBuilder &tb, Location tl, Value w, int64_t size, Value out) {
      // Channel planes concatenated, then their lanes interleaved.
      Value planes;
      for (int64_t c = 0; c < channels; ++c) {
        Value channel = indexConst(tb, tl, c);
        Value x = readVector(tb, tl, VectorType::get({size}, imageType.getElementType()), image,
                             ValueRange{n, channel, h, w});
        Value q = lowering::quantizeReal(tb, tl, x, scale.read(tb, tl, channel, size),
                                         zero.read(tb, tl, channel, size), lo, hi, storedType,
                                         quantize.getRounding());
        if (!planes) {
          planes = q;
          continue;
        }
        SmallVector<int64_t> concat = llvm::to_vector(llvm::seq<int64_t>(0, (c + 1) * size));
        planes = vector::ShuffleOp::create(tb, tl, planes, q, concat);
      }
      SmallVector<int64_t> interleave;
      for (int64_t p = 0; p < size; ++p)
        for (int64_t c = 0; c < channels; ++c)
          interleave.push_back(c * size + p);
      Value bytes = vector::ShuffleOp::create(tb, tl, planes, planes, interleave);
      return vector::TransferWriteOp::create(tb, tl, bytes, out,
                                             ValueRange{indexMulAdd(tb, tl, w, channels, {})},
                                             ArrayRef<bool>{true})
          .getResult();
    });
    return tensor::ExpandShapeOp::create(rb, rl, cast<RankedTensorType>(row.getType()), flat,
                                         pixels)
        .getResult();
  });
}

} // namespace

bool mlir::pike::cpu::rewriteQuantizer(Operation *op, int64_t lanes, ByteStorage &storage,
                                       std::string &whyNot) {
  auto quantize = dyn_cast<QuantizeOp>(op);
  auto dequantize = dyn_cast<DequantizeOp>(op);
  QuantizerAttr q = quantize ? quantize.getQuantizer() : dequantize.getQuantizer();
  auto inType = cast<RankedTensorType>(op->getOperand(0).getType());
  auto outType = cast<RankedTensorType>(op->getResult(0).getType());
  Type intType = quantize ? outType.getElementType() : inType.getElementType();
  Type realType = quantize ? inType.getElementType() : outType.getElementType();
  std::optional<int64_t> elements = checkedNumElements(inType);
  if (!elements || inType.getRank() == 0 || *elements == 0) {
    whyNot = "not a static, non-empty shape of rank 1 or more, under 2^62 elements";
    return false;
  }
  unsigned width = intType.getIntOrFloatBitWidth();
  if (width > 8 && width != 16 && width != 32) {
    whyNot = "integer side is not 8 bits or fewer, 16 or 32";
    return false;
  }
  // A sub-byte side is handled as i8 holding its numbers.
  bool isUnsigned = !q.getIsSigned();
  Type storedIntType = width < 8 ? IntegerType::get(op->getContext(), 8) : intType;
  int64_t rank = inType.getRank(), channels = inType.getShape().back();
  bool perChannel = q.getScales().size() > 1;
  if (perChannel &&
      (q.getAxis().value_or(-1) != rank - 1 || channels % lanes != 0)) {
    whyNot = "per-channel scales not along a last dimension of whole vectors";
    return false;
  }

  OpBuilder b(op);
  Location loc = op->getLoc();
  SmallVector<double> scales(q.getScales().asArrayRef());
  SmallVector<double> zeroPoints;
  for (size_t i = 0, e = q.getZeroPoints() ? q.getZeroPoints().size() : 1; i < e; ++i)
    zeroPoints.push_back(double(q.getZeroPoints() ? q.getZeroPoints()[i] : 0));
  ChannelTable scale = realTable(b, loc, scales, realType);
  // Zero points: reals for quantize (added in quantizeSumType), integers
  // for dequantize (subtracted in i32, or i64 past 16 bits).
  ChannelTable zero =
      realTable(b, loc, zeroPoints, quantize ? lowering::quantizeSumType(realType) : realType);
  if (dequantize) {
    zero.elementType = b.getI64Type();
    if (zero.table) {
      SmallVector<int64_t> ints(q.getZeroPoints().asArrayRef());
      zero.table = constantTable(b, loc, ints, b.getI64Type());
    }
  }
  bool hasZeroPoint = llvm::any_of(zeroPoints, [](double z) { return z != 0; });

  double lo = double(q.getMinValue()), hi = double(q.getMaxValue());
  if (quantize && !perChannel && zeroPoints.size() == 1)
    if (Value result = quantizeTransposed(b, quantize, lanes, storedIntType, scale, zero, lo, hi)) {
      Operation *transpose = quantize.getInput().getDefiningOp();
      if (storedIntType != intType)
        result = storage.narrow(b, loc, result, intType, isUnsigned);
      op->getResult(0).replaceAllUsesWith(result);
      op->erase();
      transpose->erase();
      return true;
    }

  int64_t total = *elements;
  SmallVector<ReassociationIndices> flat = {llvm::to_vector(llvm::seq<int64_t>(0, rank))};
  Value source = op->getOperand(0);
  // A sub-byte side is read as the bytes that hold it; 16 and 32 bits as they are.
  if (dequantize && width < 8)
    source = storage.asBytes(b, loc, source, isUnsigned);
  Value input = tensor::CollapseShapeOp::create(b, loc, source, flat);
  Value dest = tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{total},
                                       quantize ? storedIntType : realType);
  Value result = forEachTile(
      b, loc, total, lanes, dest,
      [&](OpBuilder &nb, Location nl, Value start, int64_t size, Value out) {
        Value channel = start;
        if (perChannel)
          channel = arith::RemUIOp::create(nb, nl, start, indexConst(nb, nl, channels));
        auto inVector = VectorType::get(
            {size}, cast<RankedTensorType>(input.getType()).getElementType());
        Value x = readVector(nb, nl, inVector, input, start);
        Value s = scale.read(nb, nl, channel, size);
        Value y;
        if (quantize)
          y = lowering::quantizeReal(nb, nl, x, s, zero.read(nb, nl, channel, size), lo, hi,
                                     storedIntType, quantize.getRounding());
        else
          y = lowering::dequantizeInt(nb, nl, x, isUnsigned,
                                      hasZeroPoint ? zero.read(nb, nl, channel, size) : Value(),
                                      s, realType);
        return vector::TransferWriteOp::create(nb, nl, y, out, ValueRange{start},
                                               ArrayRef<bool>{true})
            .getResult();
      });
  result = tensor::ExpandShapeOp::create(
      b, loc, RankedTensorType::get(outType.getShape(), getElementTypeOrSelf(result.getType())),
      result, flat);
  if (quantize && storedIntType != intType)
    result = storage.narrow(b, loc, result, intType, isUnsigned);
  op->getResult(0).replaceAllUsesWith(result);
  op->erase();
  return true;
}
