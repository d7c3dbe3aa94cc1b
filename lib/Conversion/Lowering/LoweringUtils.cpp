//===- LoweringUtils.cpp - Builders shared by the pike lowerings ----------===//

#include "pike/Conversion/LoweringUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "pike/Dialect/Pike/IR/PikeOps.h"
#include "pike/Numerics/FixedPoint.h"

using namespace mlir;

namespace mlir::pike::lowering {

ChannelValues channelInts(OpBuilder &b, Location loc, ArrayRef<int64_t> values,
                          int64_t axis) {
  unsigned bits = 1;
  for (int64_t v : values)
    bits = std::max(bits, numerics::signedBitsOf(v));
  Type elementType = b.getIntegerType(bits);
  if (values.size() == 1)
    return {Value(), b.getIntegerAttr(elementType, values[0]), axis};
  auto type = RankedTensorType::get({int64_t(values.size())}, elementType);
  SmallVector<APInt> data;
  for (int64_t v : values)
    data.push_back(APInt(elementType.getIntOrFloatBitWidth(), uint64_t(v), true));
  return {arith::ConstantOp::create(b, loc, DenseIntElementsAttr::get(type, data)),
          Attribute(), axis};
}

ChannelValues channelReals(OpBuilder &b, Location loc, ArrayRef<double> values,
                           Type elementType, int64_t axis) {
  if (values.size() == 1)
    return {Value(), b.getFloatAttr(elementType, values[0]), axis};
  auto type = RankedTensorType::get({int64_t(values.size())}, elementType);
  SmallVector<Attribute> data;
  for (double v : values)
    data.push_back(b.getFloatAttr(elementType, v));
  return {arith::ConstantOp::create(b, loc, DenseElementsAttr::get(type, data)),
          Attribute(), axis};
}

Value emptyTensor(OpBuilder &b, Location loc, RankedTensorType type,
                  TypedAttr fill) {
  Value empty = tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType());
  if (!fill)
    return empty;
  Value value = arith::ConstantOp::create(b, loc, fill);
  return linalg::FillOp::create(b, loc, value, empty).getResult(0);
}

Value elementwise(OpBuilder &b, Location loc, RankedTensorType resultType,
                  ValueRange tensors, ArrayRef<ChannelValues> channels,
                  BodyBuilder body) {
  int64_t rank = resultType.getRank();
  MLIRContext *context = b.getContext();
  AffineMap identity = b.getMultiDimIdentityMap(rank);
  SmallVector<Value> inputs(tensors);
  SmallVector<AffineMap> maps(tensors.size(), identity);
  for (const ChannelValues &channel : channels)
    if (channel.tensor) {
      int64_t axis = channel.axis < 0 ? rank - 1 : channel.axis;
      inputs.push_back(channel.tensor);
      maps.push_back(AffineMap::get(rank, 0, b.getAffineDimExpr(axis), context));
    }
  maps.push_back(identity);
  SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
  Value init;
  if (resultType.hasStaticShape() || tensors.empty())
    init = emptyTensor(b, loc, resultType);
  else // dynamic sizes come from the first operand, which has the result's shape
    init = tensor::EmptyOp::create(b, loc, tensor::getMixedSizes(b, loc, tensors[0]),
                                   resultType.getElementType());
  auto generic = linalg::GenericOp::create(
      b, loc, resultType, inputs, init, maps, iterators,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        ValueRange tensorArgs = args.take_front(tensors.size());
        SmallVector<Value> channelArgs;
        size_t next = tensors.size();
        for (const ChannelValues &channel : channels) {
          if (channel.tensor)
            channelArgs.push_back(args[next++]);
          else
            channelArgs.push_back(arith::ConstantOp::create(
                nested, nestedLoc, cast<TypedAttr>(channel.shared)));
        }
        Value result = body(nested, nestedLoc, tensorArgs, channelArgs);
        linalg::YieldOp::create(nested, nestedLoc, result);
      });
  return generic.getResult(0);
}

/// A constant of `type`, a scalar or a vector splat, of the element
/// attribute `element` makes for the element type.
static Value splatConstant(OpBuilder &b, Location loc, Type type,
                           function_ref<TypedAttr(Type)> element) {
  if (auto vector = dyn_cast<VectorType>(type))
    return arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(vector, element(vector.getElementType())));
  return arith::ConstantOp::create(b, loc, element(type));
}

Value scalarInt(OpBuilder &b, Location loc, Type type, int64_t value) {
  return splatConstant(b, loc, type, [&](Type t) { return b.getIntegerAttr(t, value); });
}

Value narrowInt(OpBuilder &b, Location loc, Type type, int64_t value) {
  Type narrow = b.getIntegerType(numerics::signedBitsOf(value));
  if (auto vector = dyn_cast<VectorType>(type))
    narrow = vector.clone(narrow);
  return castInt(b, loc, scalarInt(b, loc, narrow, value), type, false);
}

Value scalarReal(OpBuilder &b, Location loc, Type type, double value) {
  return splatConstant(b, loc, type, [&](Type t) { return b.getFloatAttr(t, value); });
}

/// `elementType` in the shape of `like` (itself when `like` is a scalar).
static Type shapedLike(Value like, Type elementType) {
  if (auto vector = dyn_cast<VectorType>(like.getType()))
    return vector.clone(elementType);
  return elementType;
}

Type quantizeSumType(Type real) {
  if (real.getIntOrFloatBitWidth() < 32)
    return Float32Type::get(real.getContext());
  return real;
}

Value quantizeReal(OpBuilder &b, Location loc, Value x, Value scale, Value zero, double lo,
                   double hi, Type outType, QuantizeRounding rounding) {
  // ONNX QuantizeLinear: the division in the input's type, ties to even.
  Value scaled = arith::DivFOp::create(b, loc, x, scale);
  Value rounded;
  switch (rounding) {
  case QuantizeRounding::half_even:
    rounded = math::RoundEvenOp::create(b, loc, scaled);
    break;
  case QuantizeRounding::floor:
    rounded = math::FloorOp::create(b, loc, scaled);
    break;
  case QuantizeRounding::ceil:
    rounded = math::CeilOp::create(b, loc, scaled);
    break;
  case QuantizeRounding::toward_zero:
    rounded = math::TruncOp::create(b, loc, scaled);
    break;
  }
  Type sumType = shapedLike(x, quantizeSumType(getElementTypeOrSelf(x.getType())));
  if (sumType != x.getType())
    rounded = arith::ExtFOp::create(b, loc, sumType, rounded);
  Value shifted = arith::AddFOp::create(b, loc, rounded, zero);
  Value low = arith::MaxNumFOp::create(b, loc, shifted, scalarReal(b, loc, sumType, lo));
  Value clamped = arith::MinNumFOp::create(b, loc, low, scalarReal(b, loc, sumType, hi));
  // NaN is no number: it quantizes to the zero point, real 0
  // (docs/Numerics.md); infinities saturate through the clamp.
  Value isNan = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, x, x);
  clamped = arith::SelectOp::create(b, loc, isNan, zero, clamped);
  // Quantizers are at most 16 bits wide, so the clamped value is an i32:
  // AVX2 converts 8 floats to i32 lanes an instruction, but to i64 one at a
  // time.
  Value wide = arith::FPToSIOp::create(b, loc, shapedLike(x, b.getI32Type()), clamped);
  return castInt(b, loc, wide, outType, /*isUnsigned=*/false);
}

Value dequantizeInt(OpBuilder &b, Location loc, Value q, bool isUnsigned, Value zero,
                    Value scale, Type realType) {
  // q - zero of 16 bits or fewer fits i32, which AVX2 converts to floats 8
  // lanes an instruction (i64 one lane at a time).
  unsigned width = getElementTypeOrSelf(q.getType()).getIntOrFloatBitWidth();
  Type wideType = width <= 16 ? b.getI32Type() : b.getI64Type();
  Value wide = castInt(b, loc, q, wideType, isUnsigned);
  if (zero)
    wide = arith::SubIOp::create(b, loc, wide, castInt(b, loc, zero, wideType, false));
  Value real = arith::SIToFPOp::create(b, loc, shapedLike(q, realType), wide);
  return arith::MulFOp::create(b, loc, real, scale);
}

Value castInt(OpBuilder &b, Location loc, Value value, Type to, bool isUnsigned) {
  unsigned from = getElementTypeOrSelf(value.getType()).getIntOrFloatBitWidth();
  unsigned width = getElementTypeOrSelf(to).getIntOrFloatBitWidth();
  if (auto vector = dyn_cast<VectorType>(value.getType()))
    to = vector.clone(getElementTypeOrSelf(to));
  if (from == width)
    return value;
  if (from > width)
    return arith::TruncIOp::create(b, loc, to, value);
  if (isUnsigned)
    return arith::ExtUIOp::create(b, loc, to, value);
  return arith::ExtSIOp::create(b, loc, to, value);
}

Value widenAndCenter(OpBuilder &b, Location loc, Value input, bool isUnsigned,
                     int64_t zeroPoint, IntegerType to) {
  auto type = cast<RankedTensorType>(input.getType());
  auto resultType = RankedTensorType::get(type.getShape(), to);
  return elementwise(b, loc, resultType, input, {},
                     [&](OpBuilder &nb, Location nl, ValueRange args, ValueRange) {
                       Value wide = castInt(nb, nl, args[0], to, isUnsigned);
                       if (zeroPoint == 0)
                         return wide;
                       return arith::SubIOp::create(
                                  nb, nl, wide, narrowInt(nb, nl, to, zeroPoint))
                           .getResult();
                     });
}

Value clampInt(OpBuilder &b, Location loc, Value value, int64_t lo, int64_t hi) {
  Type type = value.getType();
  Value low = arith::MaxSIOp::create(b, loc, value, narrowInt(b, loc, type, lo));
  return arith::MinSIOp::create(b, loc, low, narrowInt(b, loc, type, hi));
}

Value requantize(OpBuilder &b, Location loc, Value x, Value multiplier, Value addend,
                 Value shift, RoundingMode mode, int64_t zp, int64_t lo, int64_t hi,
                 Type outType) {
  Value shifted = ApplyScaleOp::create(b, loc, x, multiplier, addend, shift, mode);
  if (zp != 0)
    shifted = arith::AddIOp::create(b, loc, shifted, narrowInt(b, loc, x.getType(), zp));
  Value clamped = clampInt(b, loc, shifted, lo, hi);
  return castInt(b, loc, clamped, outType, /*isUnsigned=*/false);
}

Value padNHWC(OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> padding,
              TypedAttr value) {
  if (llvm::all_of(padding, [](int64_t p) { return p == 0; }))
    return input;
  auto type = cast<RankedTensorType>(input.getType());
  SmallVector<int64_t> low = {0, padding[0], padding[2], 0};
  SmallVector<int64_t> high = {0, padding[1], padding[3], 0};
  SmallVector<int64_t> shape(type.getShape());
  for (int i = 0; i < 4; ++i)
    if (!ShapedType::isDynamic(shape[i]))
      shape[i] += low[i] + high[i];
  auto paddedType = RankedTensorType::get(shape, type.getElementType());
  Value padValue = arith::ConstantOp::create(b, loc, value);
  SmallVector<OpFoldResult> lowSizes, highSizes;
  for (int i = 0; i < 4; ++i) {
    lowSizes.push_back(b.getIndexAttr(low[i]));
    highSizes.push_back(b.getIndexAttr(high[i]));
  }
  return tensor::PadOp::create(b, loc, paddedType, input, lowSizes, highSizes,
                               padValue);
}

} // namespace mlir::pike::lowering
