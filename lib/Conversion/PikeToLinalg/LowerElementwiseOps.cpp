//===- LowerElementwiseOps.cpp - Elementwise pike ops to linalg.generic ---===//

#include "LoweringPatterns.h"
#include "LoweringUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Transforms/DialectConversion.h"
#include "pike/Dialect/Pike/IR/PikeOps.h"
#include "pike/Numerics/FixedPoint.h"

using namespace mlir;
using namespace mlir::pike;
using namespace mlir::pike::lowering;
namespace num = ::pike::numerics;

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
    ChannelValues zero = channelReals(rewriter, loc, zps, realType, axis);
    double lo = double(q.getMinValue()), hi = double(q.getMaxValue());
    // ONNX QuantizeLinear: the division in the input's type, ties to even.
    Value result = elementwise(
        rewriter, loc, op.getOutput().getType(), adaptor.getInput(), {scale, zero},
        [&](OpBuilder &b, Location l, ValueRange t, ValueRange c) -> Value {
          Value scaled = arith::DivFOp::create(b, l, t[0], c[0]);
          Value rounded = math::RoundEvenOp::create(b, l, scaled);
          Value shifted = arith::AddFOp::create(b, l, rounded, c[1]);
          Value low = arith::MaxNumFOp::create(b, l, shifted, scalarReal(b, l, realType, lo));
          Value clamped = arith::MinNumFOp::create(b, l, low, scalarReal(b, l, realType, hi));
          Value wide = arith::FPToSIOp::create(b, l, b.getI64Type(), clamped);
          return arith::TruncIOp::create(b, l, outType, wide);
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
    ChannelValues scale = channelReals(rewriter, loc, quantizerScales(q), realType, axis);
    ChannelValues zero = channelInts(rewriter, loc, quantizerZeroPoints(q),
                                     rewriter.getI64Type(), axis);
    bool isUnsigned = !q.getIsSigned();
    Value result = elementwise(
        rewriter, loc, op.getOutput().getType(), adaptor.getInput(), {scale, zero},
        [&](OpBuilder &b, Location l, ValueRange t, ValueRange c) -> Value {
          Value wide = castInt(b, l, t[0], b.getI64Type(), isUnsigned);
          Value centered = arith::SubIOp::create(b, l, wide, c[1]);
          Value real = arith::SIToFPOp::create(b, l, realType, centered);
          return arith::MulFOp::create(b, l, real, c[0]);
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

/// clamp(zp + round_shift(x * M + B, s), lo, hi) truncated to `outType`;
/// `x` is already an i64 scalar.
Value requantizeScalar(OpBuilder &b, Location l, Value x, Value multiplier,
                       Value bias, Value shift, bool doubleRound, int64_t zp,
                       int64_t lo, int64_t hi, Type outType) {
  Value product = arith::MulIOp::create(b, l, x, multiplier);
  if (bias)
    product = arith::AddIOp::create(b, l, product, bias);
  Value shifted = roundingShift(b, l, product, shift, doubleRound);
  if (zp != 0)
    shifted = arith::AddIOp::create(b, l, shifted, scalarInt(b, l, b.getI64Type(), zp));
  Value clamped = clampInt(b, l, shifted, lo, hi);
  return castInt(b, l, clamped, outType, /*isUnsigned=*/false);
}

struct QuantNormLowering : public OpConversionPattern<QuantNormOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(QuantNormOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    FixedPointAttr fp = op.getMultiplier();
    Type i64 = rewriter.getI64Type();
    Type outType = op.getOutput().getType().getElementType();
    SmallVector<ChannelValues> channels = {
        channelInts(rewriter, loc, fp.getMultipliers().asArrayRef(), i64),
        channelInts(rewriter, loc, fp.getShifts().asArrayRef(), i64)};
    if (auto bias = op.getBias())
      channels.push_back(channelInts(rewriter, loc, *bias, i64));
    bool doubleRound = fp.getRounding() == RoundingMode::double_round;
    int64_t zp = op.getOutputZp(), lo = op.getClampMin(), hi = op.getClampMax();
    Value result = elementwise(
        rewriter, loc, op.getOutput().getType(), adaptor.getInput(), channels,
        [&](OpBuilder &b, Location l, ValueRange t, ValueRange c) -> Value {
          Value x = castInt(b, l, t[0], i64, /*isUnsigned=*/false);
          return requantizeScalar(b, l, x, c[0], c.size() > 2 ? c[2] : Value(), c[1],
                                  doubleRound, zp, lo, hi, outType);
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
    Type i64 = rewriter.getI64Type();
    Type outType = op.getOutput().getType().getElementType();
    SmallVector<ChannelValues> channels = {
        channelInts(rewriter, loc, fp.getMultipliers().asArrayRef(), i64),
        channelInts(rewriter, loc, fp.getShifts().asArrayRef(), i64)};
    bool doubleRound = fp.getRounding() == RoundingMode::double_round;
    bool inUnsigned = op.getInputUnsigned(), outUnsigned = op.getOutputUnsigned();
    int64_t inZp = op.getInputZp(), outZp = op.getOutputZp();
    int64_t lo = typeMin(outType, outUnsigned), hi = typeMax(outType, outUnsigned);
    Value result = elementwise(
        rewriter, loc, op.getOutput().getType(), adaptor.getInput(), channels,
        [&](OpBuilder &b, Location l, ValueRange t, ValueRange c) -> Value {
          Value x = castInt(b, l, t[0], i64, inUnsigned);
          if (inZp != 0)
            x = arith::SubIOp::create(b, l, x, scalarInt(b, l, i64, inZp));
          return requantizeScalar(b, l, x, c[0], Value(), c[1], doubleRound, outZp,
                                  lo, hi, outType);
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

struct AddLowering : public OpConversionPattern<AddOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(AddOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = op.getOutput().getType();
    Type outType = resultType.getElementType();
    SmallVector<Value> operands = {adaptor.getLhs(), adaptor.getRhs()};
    Value result;
    if (isa<FloatType>(outType)) {
      result = elementwise(rewriter, loc, resultType, operands, {},
                           [](OpBuilder &b, Location l, ValueRange t, ValueRange) -> Value {
                             return arith::AddFOp::create(b, l, t[0], t[1]);
                           });
    } else {
      FixedPointAttr lhs = *op.getLhsScale(), rhs = *op.getRhsScale();
      Type i64 = rewriter.getI64Type();
      bool inUnsigned = op.getInputUnsigned(), outUnsigned = op.getOutputUnsigned();
      int64_t lhsZp = op.getLhsZp(), rhsZp = op.getRhsZp(), outZp = op.getOutputZp();
      int64_t lo = typeMin(outType, outUnsigned), hi = typeMax(outType, outUnsigned);
      bool doubleRound = lhs.getRounding() == RoundingMode::double_round;
      result = elementwise(
          rewriter, loc, resultType, operands, {},
          [&](OpBuilder &b, Location l, ValueRange t, ValueRange) -> Value {
            auto term = [&](Value v, int64_t zp, int64_t multiplier) -> Value {
              Value x = castInt(b, l, v, i64, inUnsigned);
              x = arith::SubIOp::create(b, l, x, scalarInt(b, l, i64, zp));
              return arith::MulIOp::create(b, l, x, scalarInt(b, l, i64, multiplier));
            };
            Value sum = arith::AddIOp::create(b, l, term(t[0], lhsZp, lhs.getMultiplier(0)),
                                              term(t[1], rhsZp, rhs.getMultiplier(0)));
            Value one = scalarInt(b, l, i64, 1);
            return requantizeScalar(b, l, sum, one, Value(),
                                    scalarInt(b, l, i64, lhs.getShift(0)), doubleRound,
                                    outZp, lo, hi, outType);
          });
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void mlir::pike::lowering::populateElementwiseLoweringPatterns(
    RewritePatternSet &patterns) {
  patterns.add<QuantizeLowering, DequantizeLowering, BatchNormLowering,
               ScaleLowering, QuantNormLowering, RequantizeLowering,
               ClampLowering, AddLowering>(patterns.getContext());
}
