//===- LowerPoolOps.cpp - pike pooling to linalg pooling ops --------------===//

#include "LoweringPatterns.h"
#include "LoweringUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"
#include "pike/Dialect/Pike/IR/PikeOps.h"
#include "pike/Numerics/FixedPoint.h"

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
    Type elementType = resultType.getElementType();
    int64_t count = op.getKernel()[0] * op.getKernel()[1];
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
    auto sumTensorType = RankedTensorType::get(resultType.getShape(), sumType);
    Value init = emptyTensor(rewriter, loc, sumTensorType,
                             cast<TypedAttr>(rewriter.getZeroAttr(sumType)));
    Value sum = linalg::PoolingNhwcSumOp::create(
                    rewriter, loc, sumTensorType,
                    ValueRange{input, windowShape(rewriter, loc, op.getKernel(), sumType)},
                    init, strides, dilations)
                    ->getResult(0);
    Value result;
    if (isa<FloatType>(elementType)) {
      result = elementwise(rewriter, loc, resultType, sum, {},
                           [&](OpBuilder &b, Location l, ValueRange t, ValueRange) -> Value {
                             return arith::DivFOp::create(
                                 b, l, t[0], scalarReal(b, l, elementType, double(count)));
                           });
    } else {
      bool isUnsigned = op.getInputUnsigned();
      unsigned bits = elementType.getIntOrFloatBitWidth();
      int64_t lo = num::minValue(bits, !isUnsigned), hi = num::maxValue(bits, !isUnsigned);
      int64_t zp = op.getOutputZp();
      result = elementwise(
          rewriter, loc, resultType, sum, {},
          [&](OpBuilder &b, Location l, ValueRange t, ValueRange) -> Value {
            Type i64 = b.getI64Type();
            Value sum = castInt(b, l, t[0], i64, false);
            // floor((2 * sum + n) / (2 * n)): round half up.
            Value twice = arith::MulIOp::create(b, l, sum, narrowInt(b, l, i64, 2));
            Value numerator = arith::AddIOp::create(b, l, twice, narrowInt(b, l, i64, count));
            Value mean = arith::FloorDivSIOp::create(b, l, numerator,
                                                     narrowInt(b, l, i64, 2 * count));
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
