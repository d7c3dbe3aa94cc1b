//===- LowerElementwiseOps.cpp - Elementwise pike ops to linalg.generic ---===//

#include "LoweringPatterns.h"
#include "pike/Conversion/LoweringUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"
#include "pike/Dialect/Pike/IR/PikeOps.h"
#include "pike/Numerics/FixedPoint.h"

#include <cmath>

using namespace mlir;
using namespace mlir::pike;
using namespace mlir::pike::lowering;
namespace num = ::mlir::pike::numerics;

namespace {

int64_t typeMin(Type type, bool isUnsigned) {
  return num::minValue(type.getIntOrFloatBitWidth(), !isUnsigned);
}
int64_t typeMax(Type type, bool isUnsigned) {
  return num::maxValue(type.getIntOrFloatBitWidth(), !isUnsigned);
}

SmallVector<double> quantizerScales(QuantizerAttr q) {
  return SmallVector<double>(q.getScales().asArrayRef());
}

SmallVector<int64_t> quantizerZeroPoints(QuantizerAttr q) {
  if (!q.getZeroPoints())
    return {0};
  return SmallVector<int64_t>(q.getZeroPoints().asArrayRef());
}

struct QuantizeLowering : public OpConversionPattern<QuantizeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(QuantizeOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    QuantizerAttr q = op.getQuantizer();
    Type realType = op.getInput().getType().getElementType();
    Type outType = op.getOutput().getType().getElementType();
    int64_t axis = q.getAxis().value_or(-1);
    ChannelValues scale = channelReals(rewriter, loc, quantizerScales(q), realType, axis);
    SmallVector<double> zps;
    for (int64_t zp : quantizerZeroPoints(q))
      zps.push_back(double(zp));
    ChannelValues zero = channelReals(rewriter, loc, zps, quantizeSumType(realType), axis);
    double lo = double(q.getMinValue()), hi = double(q.getMaxValue());
    Value result = elementwise(
        rewriter, loc, op.getOutput().getType(), adaptor.getInput(), {scale, zero},
        [&](OpBuilder &b, Location l, ValueRange t, ValueRange c) -> Value {
          return quantizeReal(b, l, t[0], c[0], c[1], lo, hi, outType, op.getRounding());
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct DequantizeLowering : public OpConversionPattern<DequantizeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(DequantizeOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    QuantizerAttr q = op.getQuantizer();
    Type realType = op.getOutput().getType().getElementType();
    int64_t axis = q.getAxis().value_or(-1);
    SmallVector<ChannelValues> channels = {
        channelReals(rewriter, loc, quantizerScales(q), realType, axis)};
    SmallVector<int64_t> zps = quantizerZeroPoints(q);
    bool hasZeroPoint = llvm::any_of(zps, [](int64_t zp) { return zp != 0; });
    if (hasZeroPoint)
      channels.push_back(channelInts(rewriter, loc, zps, axis));
    bool isUnsigned = !q.getIsSigned();
    Value result = elementwise(
        rewriter, loc, op.getOutput().getType(), adaptor.getInput(), channels,
        [&](OpBuilder &b, Location l, ValueRange t, ValueRange c) -> Value {
          return dequantizeInt(b, l, t[0], isUnsigned, hasZeroPoint ? c[1] : Value(), c[0],
                               realType);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct BatchNormLowering : public OpConversionPattern<BatchNormOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(BatchNormOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Type realType = op.getOutput().getType().getElementType();
    double epsilon = op.getEpsilon().convertToDouble();
    SmallVector<ChannelValues> params;
    for (Value param : {adaptor.getScale(), adaptor.getOffset(), adaptor.getMean(),
                        adaptor.getVariance()})
      params.push_back(ChannelValues{param, Attribute(), -1});
    Value result = elementwise(
        rewriter, loc, op.getOutput().getType(), adaptor.getInput(), params,
        [&](OpBuilder &b, Location l, ValueRange t, ValueRange c) -> Value {
          Value centered = arith::SubFOp::create(b, l, t[0], c[2]);
          Value variance = arith::AddFOp::create(b, l, c[3], scalarReal(b, l, realType, epsilon));
          Value deviation = math::SqrtOp::create(b, l, variance);
          Value normalized = arith::DivFOp::create(b, l, centered, deviation);
          Value scaled = arith::MulFOp::create(b, l, normalized, c[0]);
          return arith::AddFOp::create(b, l, scaled, c[1]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct ScaleLowering : public OpConversionPattern<ScaleOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(ScaleOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Type realType = op.getOutput().getType().getElementType();
    Type inType = op.getInput().getType().getElementType();
    SmallVector<double> scales;
    for (size_t c = 0, e = op.getNumScales(); c < e; ++c)
      scales.push_back(op.getChannelScale(c));
    SmallVector<ChannelValues> channels = {channelReals(rewriter, loc, scales, realType)};
    if (auto bias = op.getBias())
      channels.push_back(channelReals(rewriter, loc, *bias, realType));
    Value result = elementwise(
        rewriter, loc, op.getOutput().getType(), adaptor.getInput(), channels,
        [&](OpBuilder &b, Location l, ValueRange t, ValueRange c) -> Value {
          Value real = t[0];
          if (isa<IntegerType>(inType))
            real = arith::SIToFPOp::create(b, l, realType, real);
          else if (inType.getIntOrFloatBitWidth() < realType.getIntOrFloatBitWidth())
            real = arith::ExtFOp::create(b, l, realType, real);
          else if (inType != realType)
            real = arith::TruncFOp::create(b, l, realType, real);
          Value scaled = arith::MulFOp::create(b, l, real, c[0]);
          if (c.size() > 1)
            scaled = arith::AddFOp::create(b, l, scaled, c[1]);
          return scaled;
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// The per-channel constants of a requantization, in the order the body
/// receives them: multiplier, shift[, bias].
SmallVector<ChannelValues> requantizeChannels(OpBuilder &b, Location loc,
                                              FixedPointAttr fp,
                                              std::optional<ArrayRef<int64_t>> bias) {
  SmallVector<ChannelValues> channels = {
      channelInts(b, loc, fp.getMultipliers().asArrayRef()),
      channelInts(b, loc, fp.getShifts().asArrayRef())};
  if (bias)
    channels.push_back(channelInts(b, loc, *bias));
  return channels;
}

/// Widens every channel value to i64.
SmallVector<Value> widenAll(OpBuilder &b, Location l, ValueRange values) {
  SmallVector<Value> wide;
  for (Value v : values)
    wide.push_back(castInt(b, l, v, b.getI64Type(), /*isUnsigned=*/false));
  return wide;
}

struct QuantNormLowering : public OpConversionPattern<QuantNormOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(QuantNormOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    FixedPointAttr fp = op.getMultiplier();
    Type outType = op.getOutput().getType().getElementType();
    RoundingMode mode = fp.getRounding();
    std::optional<ArrayRef<int64_t>> bias = op.getBias();
    int64_t zp = op.getOutputZp(), lo = op.getClampMin(), hi = op.getClampMax();
    Value result = elementwise(
        rewriter, loc, op.getOutput().getType(), adaptor.getInput(),
        requantizeChannels(rewriter, loc, fp, bias),
        [&](OpBuilder &b, Location l, ValueRange t, ValueRange c) -> Value {
          SmallVector<Value> w = widenAll(b, l, c);
          Value x = castInt(b, l, t[0], b.getI64Type(), /*isUnsigned=*/false);
          return requantize(b, l, x, w[0], bias ? w[2] : Value(), w[1], mode,
                                  zp, lo, hi, outType);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct RequantizeLowering : public OpConversionPattern<RequantizeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(RequantizeOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    FixedPointAttr fp = op.getMultiplier();
    Type outType = op.getOutput().getType().getElementType();
    RoundingMode mode = fp.getRounding();
    bool inUnsigned = op.getInputUnsigned();
    int64_t inZp = op.getInputZp(), outZp = op.getOutputZp();
    int64_t lo = op.getClampMin(), hi = op.getClampMax();
    Value result = elementwise(
        rewriter, loc, op.getOutput().getType(), adaptor.getInput(),
        requantizeChannels(rewriter, loc, fp, std::nullopt),
        [&](OpBuilder &b, Location l, ValueRange t, ValueRange c) -> Value {
          Type i64 = b.getI64Type();
          SmallVector<Value> w = widenAll(b, l, c);
          Value x = castInt(b, l, t[0], i64, inUnsigned);
          if (inZp != 0)
            x = arith::SubIOp::create(b, l, x, narrowInt(b, l, i64, inZp));
          return requantize(b, l, x, w[0], Value(), w[1], mode, outZp, lo, hi,
                                  outType);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct ClampLowering : public OpConversionPattern<ClampOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(ClampOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Type type = op.getOutput().getType().getElementType();
    Value result;
    if (isa<FloatType>(type)) {
      double lo = cast<FloatAttr>(op.getMin()).getValueAsDouble();
      double hi = cast<FloatAttr>(op.getMax()).getValueAsDouble();
      result = elementwise(
          rewriter, loc, op.getOutput().getType(), adaptor.getInput(), {},
          [&](OpBuilder &b, Location l, ValueRange t, ValueRange) -> Value {
            Value low = arith::MaximumFOp::create(b, l, t[0], scalarReal(b, l, type, lo));
            return arith::MinimumFOp::create(b, l, low, scalarReal(b, l, type, hi));
          });
    } else {
      int64_t lo = cast<IntegerAttr>(op.getMin()).getInt();
      int64_t hi = cast<IntegerAttr>(op.getMax()).getInt();
      bool isUnsigned = op.getInputUnsigned();
      result = elementwise(
          rewriter, loc, op.getOutput().getType(), adaptor.getInput(), {},
          [&](OpBuilder &b, Location l, ValueRange t, ValueRange) -> Value {
            Value x = castInt(b, l, t[0], b.getI64Type(), isUnsigned);
            return castInt(b, l, clampInt(b, l, x, lo, hi), type, false);
          });
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// x read as signed or unsigned, widened to i64, minus its zero point.
Value centeredI64(OpBuilder &b, Location l, Value v, bool isUnsigned, int64_t zp) {
  Value x = castInt(b, l, v, b.getI64Type(), isUnsigned);
  if (zp != 0)
    x = arith::SubIOp::create(b, l, x, narrowInt(b, l, b.getI64Type(), zp));
  return x;
}

/// The real form of a binary elementwise op.
template <typename ArithOp>
Value realBinary(OpBuilder &b, Location loc, RankedTensorType type, ValueRange operands) {
  return elementwise(b, loc, type, operands, {},
                     [](OpBuilder &b, Location l, ValueRange t, ValueRange) -> Value {
                       return ArithOp::create(b, l, t[0], t[1]);
                     });
}

/// What the integer forms of pike.add and pike.mul read alike: operand
/// signedness and zero points, and the output's zero point and range.
struct BinaryInts {
  bool lhsUnsigned, rhsUnsigned;
  int64_t lhsZp, rhsZp, outZp, lo, hi;

  template <typename OpT>
  static BinaryInts of(OpT op) {
    Type outType = op.getOutput().getType().getElementType();
    bool outUnsigned = op.getOutputUnsigned();
    return {op.getLhsUnsigned(),         op.getRhsUnsigned(),
            int64_t(op.getLhsZp()),      int64_t(op.getRhsZp()),
            int64_t(op.getOutputZp()),   typeMin(outType, outUnsigned),
            typeMax(outType, outUnsigned)};
  }
};

/// A float32 scale's value: its multiplier times 2^-shift, exact.
float float32Ratio(FixedPointAttr scale) {
  return float(std::ldexp(double(scale.getMultiplier(0)), -int(scale.getShift(0))));
}

/// pike.add with float32 scales: onnxruntime's QLinearAdd in float32, as
/// MLAS computes it (num::qlinearAdd): two fmas on the stored integers, a
/// half-even rounding by adding and taking away 1.5 * 2^23 (exact below
/// 2^22; the sum is clamped first), and qmin for a sum outside int32.
Value lowerQLinearAdd(OpBuilder &rewriter, Location loc, AddOp op, ValueRange operands,
                      const BinaryInts &ints) {
  float lhsRatio = float32Ratio(*op.getLhsScale()), rhsRatio = float32Ratio(*op.getRhsScale());
  float fixedPart =
      num::qlinearAddFixedPart(lhsRatio, rhsRatio, ints.lhsZp, ints.rhsZp, ints.outZp);
  RankedTensorType resultType = op.getOutput().getType();
  Type outType = resultType.getElementType();
  return elementwise(
      rewriter, loc, resultType, operands, {},
      [&](OpBuilder &b, Location l, ValueRange t, ValueRange) -> Value {
        Type f32 = b.getF32Type();
        auto constant = [&](float value) -> Value {
          return arith::ConstantOp::create(b, l, b.getF32FloatAttr(value));
        };
        auto toFloat = [&](Value v, bool isUnsigned) -> Value {
          if (isUnsigned)
            return arith::UIToFPOp::create(b, l, f32, v);
          return arith::SIToFPOp::create(b, l, f32, v);
        };
        // One statement per op: the IR's order is the source's.
        Value lhs = toFloat(t[0], ints.lhsUnsigned);
        Value rhs = toFloat(t[1], ints.rhsUnsigned);
        Value lhsScale = constant(lhsRatio), rhsScale = constant(rhsRatio);
        Value fixed = constant(fixedPart);
        Value inner = math::FmaOp::create(b, l, rhs, rhsScale, fixed);
        Value y = math::FmaOp::create(b, l, lhs, lhsScale, inner);
        Value lowest = constant(-0x1p31f), past = constant(0x1p31f);
        Value above = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGE, y, lowest);
        Value below = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLT, y, past);
        Value inRange = arith::AndIOp::create(b, l, above, below);
        Value lo = constant(float(ints.lo)), hi = constant(float(ints.hi));
        Value clamped = arith::MinNumFOp::create(b, l, arith::MaxNumFOp::create(b, l, y, lo), hi);
        Value magic = constant(0x1.8p23f);
        Value rounded = arith::SubFOp::create(b, l, arith::AddFOp::create(b, l, clamped, magic),
                                              magic);
        Value wide = arith::FPToSIOp::create(b, l, b.getI32Type(), rounded);
        Value result = arith::SelectOp::create(
            b, l, inRange, wide, arith::ConstantOp::create(b, l, b.getI32IntegerAttr(ints.lo)));
        return castInt(b, l, result, outType, /*isUnsigned=*/false);
      });
}

struct AddLowering : public OpConversionPattern<AddOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(AddOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = op.getOutput().getType();
    Type outType = resultType.getElementType();
    SmallVector<Value> operands = {adaptor.getLhs(), adaptor.getRhs()};
    if (isa<FloatType>(outType)) {
      rewriter.replaceOp(op, realBinary<arith::AddFOp>(rewriter, loc, resultType, operands));
      return success();
    }
    FixedPointAttr lhs = *op.getLhsScale(), rhs = *op.getRhsScale();
    BinaryInts ints = BinaryInts::of(op);
    RoundingMode mode = lhs.getRounding();
    if (mode == RoundingMode::float32) {
      rewriter.replaceOp(op, lowerQLinearAdd(rewriter, loc, op, operands, ints));
      return success();
    }
    SmallVector<ChannelValues> channels = {
        channelInts(rewriter, loc, {lhs.getMultiplier(0)}),
        channelInts(rewriter, loc, {rhs.getMultiplier(0)}),
        channelInts(rewriter, loc, lhs.getShifts().asArrayRef())};
    Value result = elementwise(
        rewriter, loc, resultType, operands, channels,
        [&](OpBuilder &b, Location l, ValueRange t, ValueRange c) -> Value {
          SmallVector<Value> w = widenAll(b, l, c);
          // lhs * M_l + rhs * M_r, rounded and shifted once.
          Value rhsTerm = arith::MulIOp::create(
              b, l, centeredI64(b, l, t[1], ints.rhsUnsigned, ints.rhsZp), w[1]);
          return requantize(b, l, centeredI64(b, l, t[0], ints.lhsUnsigned, ints.lhsZp), w[0],
                            rhsTerm, w[2], mode, ints.outZp, ints.lo, ints.hi, outType);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct MulLowering : public OpConversionPattern<MulOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(MulOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = op.getOutput().getType();
    Type outType = resultType.getElementType();
    SmallVector<Value> operands = {adaptor.getLhs(), adaptor.getRhs()};
    if (isa<FloatType>(outType)) {
      rewriter.replaceOp(op, realBinary<arith::MulFOp>(rewriter, loc, resultType, operands));
      return success();
    }
    FixedPointAttr scale = *op.getScale();
    BinaryInts ints = BinaryInts::of(op);
    RoundingMode mode = scale.getRounding();
    SmallVector<ChannelValues> channels = {
        channelInts(rewriter, loc, {scale.getMultiplier(0)}),
        channelInts(rewriter, loc, scale.getShifts().asArrayRef())};
    Value result = elementwise(
        rewriter, loc, resultType, operands, channels,
        [&](OpBuilder &b, Location l, ValueRange t, ValueRange c) -> Value {
          SmallVector<Value> w = widenAll(b, l, c);
          // (lhs - zp) * (rhs - zp), exact in i64, rescaled and rounded once.
          Value product = arith::MulIOp::create(
              b, l, centeredI64(b, l, t[0], ints.lhsUnsigned, ints.lhsZp),
              centeredI64(b, l, t[1], ints.rhsUnsigned, ints.rhsZp));
          return requantize(b, l, product, w[0], Value(), w[1], mode, ints.outZp, ints.lo,
                            ints.hi, outType);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// f(x) in the element's real type, as numerics::evaluate defines it.
Value activation(OpBuilder &b, Location l, ActivationOp op, Value x) {
  Type type = x.getType();
  auto real = [&](double v) { return scalarReal(b, l, type, v); };
  auto unitClamp = [&](Value v) -> Value {
    return arith::MinimumFOp::create(b, l, arith::MaximumFOp::create(b, l, v, real(0.0)),
                                     real(1.0));
  };
  switch (op.getKind()) {
  case ActivationKind::sigmoid: {
    Value e = math::ExpOp::create(b, l, arith::NegFOp::create(b, l, x));
    return arith::DivFOp::create(b, l, real(1.0), arith::AddFOp::create(b, l, real(1.0), e));
  }
  case ActivationKind::tanh:
    return math::TanhOp::create(b, l, x);
  case ActivationKind::hard_sigmoid: {
    Value linear = arith::MulFOp::create(b, l, real(op.getAlphaOrDefault()), x);
    return unitClamp(arith::AddFOp::create(b, l, linear, real(op.getBetaOrDefault())));
  }
  case ActivationKind::hard_swish: {
    Value gate = arith::AddFOp::create(b, l, arith::DivFOp::create(b, l, x, real(6.0)), real(0.5));
    return arith::MulFOp::create(b, l, x, unitClamp(gate));
  }
  case ActivationKind::leaky_relu: {
    Value negative = arith::MulFOp::create(b, l, real(op.getAlphaOrDefault()), x);
    Value isPositive = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGE, x, real(0.0));
    return arith::SelectOp::create(b, l, isPositive, x, negative);
  }
  case ActivationKind::gelu: {
    Value erf = math::ErfOp::create(b, l, arith::DivFOp::create(b, l, x, real(std::sqrt(2.0))));
    Value half = arith::MulFOp::create(b, l, real(0.5), x);
    return arith::MulFOp::create(b, l, half, arith::AddFOp::create(b, l, real(1.0), erf));
  }
  case ActivationKind::erf:
    return math::ErfOp::create(b, l, x);
  }
  llvm_unreachable("unknown activation");
}

struct ActivationLowering : public OpConversionPattern<ActivationOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(ActivationOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Value result = elementwise(
        rewriter, op.getLoc(), op.getOutput().getType(), adaptor.getInput(), {},
        [&](OpBuilder &b, Location l, ValueRange t, ValueRange) -> Value {
          return activation(b, l, op, t[0]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// out = table[in - lo], read from a constant tensor indexed by the input's
/// bit pattern (the table rotated for signed inputs), so the index is a
/// free cast and the lookup is all the body does.
struct TableLowering : public OpConversionPattern<TableOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(TableOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Type outType = op.getOutput().getType().getElementType();
    ArrayRef<int64_t> entries = op.getTable();
    size_t size = entries.size(), half = op.getInputUnsigned() ? 0 : size / 2;
    SmallVector<APInt> byPattern;
    for (size_t pattern = 0; pattern < size; ++pattern)
      byPattern.push_back(APInt(outType.getIntOrFloatBitWidth(),
                                uint64_t(entries[(pattern + half) % size]), /*isSigned=*/true,
                                /*implicitTrunc=*/true));
    auto tableType = RankedTensorType::get({int64_t(size)}, outType);
    Value table = arith::ConstantOp::create(rewriter, loc,
                                            DenseIntElementsAttr::get(tableType, byPattern));
    Value result = elementwise(
        rewriter, loc, op.getOutput().getType(), adaptor.getInput(), {},
        [&](OpBuilder &b, Location l, ValueRange t, ValueRange) -> Value {
          Value index = arith::IndexCastUIOp::create(b, l, b.getIndexType(), t[0]);
          return tensor::ExtractOp::create(b, l, table, index);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void mlir::pike::lowering::populateElementwiseLoweringPatterns(
    RewritePatternSet &patterns) {
  patterns.add<QuantizeLowering, DequantizeLowering, BatchNormLowering,
               ScaleLowering, QuantNormLowering, RequantizeLowering,
               ClampLowering, AddLowering, MulLowering, ActivationLowering, TableLowering>(
      patterns.getContext());
}
