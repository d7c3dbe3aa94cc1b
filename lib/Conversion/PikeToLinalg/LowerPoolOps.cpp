//===- LowerPoolOps.cpp - pike pooling to linalg pooling ops --------------===//

#include "LoweringPatterns.h"
#include "pike/Conversion/LoweringUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"
#include "pike/Dialect/Pike/IR/PikeOps.h"
#include "pike/Numerics/FixedPoint.h"
#include "pike/Numerics/Pooling.h"

#include <limits>

using namespace mlir;
using namespace mlir::pike;
using namespace mlir::pike::lowering;
namespace num = ::mlir::pike::numerics;

namespace {

/// The window operand the linalg pooling ops take for its shape.
Value windowShape(OpBuilder &b, Location loc, ArrayRef<int64_t> kernel, Type type) {
  return tensor::EmptyOp::create(b, loc, kernel, type);
}

struct AvgPoolLowering : public OpConversionPattern<AvgPool2DOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(AvgPool2DOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = op.getOutput().getType();
    RankedTensorType inputType = op.getInput().getType();
    Type elementType = resultType.getElementType();
    ArrayRef<int64_t> kernel = op.getKernel();
    bool uniform = op.hasUniformDivisor();
    if (!uniform && (!inputType.hasStaticShape() || !resultType.hasStaticShape()))
      return rewriter.notifyMatchFailure(op, "per-window divisors need static shapes");
    Attribute strides = rewriter.getI64TensorAttr(op.getStrides());
    Attribute dilations = rewriter.getI64TensorAttr({1, 1});
    // An exact integer sum: i32 holds any window of 16-bit values.
    Type sumType = isa<FloatType>(elementType) ? elementType
                   : elementType.getIntOrFloatBitWidth() <= 16 ? rewriter.getI32Type()
                                                               : rewriter.getI64Type();
    Value input = adaptor.getInput();
    if (!isa<FloatType>(elementType))
      input = widenAndCenter(rewriter, loc, input, op.getInputUnsigned(),
                             op.getInputZp(), cast<IntegerType>(sumType));
    // Padding adds zeros (input_zp once centered), and ceil mode more of them
    // after the last row and column: they never count, the divisor says so.
    SmallVector<int64_t> padding(op.getPadding());
    if (op.getCeilMode() && inputType.hasStaticShape() && resultType.hasStaticShape())
      for (unsigned axis = 0; axis < 2; ++axis)
        padding[2 * axis + 1] += num::poolExtraPadding(
            inputType.getDimSize(1 + axis), resultType.getDimSize(1 + axis), kernel[axis],
            op.getStrides()[axis], padding[2 * axis], padding[2 * axis + 1]);
    input = padNHWC(rewriter, loc, input, padding,
                    cast<TypedAttr>(rewriter.getZeroAttr(sumType)));
    auto sumTensorType = RankedTensorType::get(resultType.getShape(), sumType);
    Value init = emptyTensor(rewriter, loc, sumTensorType,
                             cast<TypedAttr>(rewriter.getZeroAttr(sumType)));
    Value sum = linalg::PoolingNhwcSumOp::create(
                    rewriter, loc, sumTensorType,
                    ValueRange{input, windowShape(rewriter, loc, kernel, sumType)},
                    init, strides, dilations)
                    ->getResult(0);
    // The divisor: one constant, or rows[h] * columns[w] per window.
    SmallVector<ChannelValues> divisors;
    if (!uniform)
      for (unsigned axis = 0; axis < 2; ++axis) {
        std::vector<int64_t> counts = op.windowCounts(axis);
        if (isa<FloatType>(elementType))
          divisors.push_back(channelReals(rewriter, loc,
                                          SmallVector<double>(counts.begin(), counts.end()),
                                          elementType, 1 + axis));
        else
          divisors.push_back(channelInts(rewriter, loc, counts, 1 + axis));
      }
    int64_t count = kernel[0] * kernel[1];
    Value result;
    if (isa<FloatType>(elementType)) {
      result = elementwise(rewriter, loc, resultType, sum, divisors,
                           [&](OpBuilder &b, Location l, ValueRange t, ValueRange d) -> Value {
                             Value n = uniform ? scalarReal(b, l, elementType, double(count))
                                               : arith::MulFOp::create(b, l, d[0], d[1]);
                             return arith::DivFOp::create(b, l, t[0], n);
                           });
    } else {
      bool isUnsigned = op.getInputUnsigned();
      unsigned bits = elementType.getIntOrFloatBitWidth();
      int64_t lo = num::minValue(bits, !isUnsigned), hi = num::maxValue(bits, !isUnsigned);
      int64_t zp = op.getOutputZp();
      AverageRounding rounding = op.getRounding();
      result = elementwise(
          rewriter, loc, resultType, sum, divisors,
          [&](OpBuilder &b, Location l, ValueRange t, ValueRange d) -> Value {
            Type i64 = b.getI64Type();
            Value sum = castInt(b, l, t[0], i64, false);
            Value n;
            if (uniform) {
              n = narrowInt(b, l, i64, count);
            } else {
              Value rows = castInt(b, l, d[0], i64, false);
              Value columns = castInt(b, l, d[1], i64, false);
              n = arith::MulIOp::create(b, l, rows, columns);
            }
            Value mean;
            switch (rounding) {
            case AverageRounding::half_up: {
              // floor((2 * sum + n) / (2 * n)).
              Value twice = arith::MulIOp::create(b, l, sum, narrowInt(b, l, i64, 2));
              Value numerator = arith::AddIOp::create(b, l, twice, n);
              Value denominator = uniform ? narrowInt(b, l, i64, 2 * count)
                                          : arith::MulIOp::create(b, l, n,
                                                                  narrowInt(b, l, i64, 2));
              mean = arith::FloorDivSIOp::create(b, l, numerator, denominator);
              break;
            }
            case AverageRounding::half_even: {
              // q = floor(sum / n), r = sum - q * n in [0, n): q + 1 when
              // 2r > n, or when 2r == n and q is odd.
              Value q = arith::FloorDivSIOp::create(b, l, sum, n);
              Value r = arith::SubIOp::create(b, l, sum, arith::MulIOp::create(b, l, q, n));
              Value twiceR = arith::MulIOp::create(b, l, r, narrowInt(b, l, i64, 2));
              Value above = arith::CmpIOp::create(b, l, arith::CmpIPredicate::sgt, twiceR, n);
              Value tie = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, twiceR, n);
              Value odd = arith::TruncIOp::create(b, l, b.getI1Type(), q);
              Value up = arith::OrIOp::create(b, l, above,
                                              arith::AndIOp::create(b, l, tie, odd));
              mean = arith::AddIOp::create(b, l, q, arith::ExtUIOp::create(b, l, i64, up));
              break;
            }
            }
            if (zp != 0)
              mean = arith::AddIOp::create(b, l, mean, narrowInt(b, l, i64, zp));
            return castInt(b, l, clampInt(b, l, mean, lo, hi), elementType, false);
          });
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct MaxPoolLowering : public OpConversionPattern<MaxPool2DOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(MaxPool2DOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = op.getOutput().getType();
    Type elementType = resultType.getElementType();
    bool isReal = isa<FloatType>(elementType);
    bool isUnsigned = op.getInputUnsigned();
    // Padding never wins: the lowest value of the element type.
    TypedAttr lowest;
    if (isReal)
      lowest = rewriter.getFloatAttr(elementType, -std::numeric_limits<double>::infinity());
    else
      lowest = rewriter.getIntegerAttr(
          elementType, num::minValue(elementType.getIntOrFloatBitWidth(), !isUnsigned));
    Value input = padNHWC(rewriter, loc, adaptor.getInput(), op.getPadding(), lowest);
    Value init = emptyTensor(rewriter, loc, resultType, lowest);
    SmallVector<Value> inputs = {input, windowShape(rewriter, loc, op.getKernel(), elementType)};
    Attribute strides = rewriter.getI64TensorAttr(op.getStrides());
    Attribute dilations = rewriter.getI64TensorAttr({1, 1});
    Operation *pool;
    if (isUnsigned)
      pool = linalg::PoolingNhwcMaxUnsignedOp::create(rewriter, loc, resultType, inputs,
                                                      init, strides, dilations);
    else
      pool = linalg::PoolingNhwcMaxOp::create(rewriter, loc, resultType, inputs, init,
                                              strides, dilations);
    rewriter.replaceOp(op, pool->getResults());
    return success();
  }
};

} // namespace

void mlir::pike::lowering::populatePoolLoweringPatterns(RewritePatternSet &patterns) {
  patterns.add<AvgPoolLowering, MaxPoolLowering>(patterns.getContext());
}
