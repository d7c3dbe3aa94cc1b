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
namespace num = ::pike::numerics;

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
    Type sumType = isa<FloatType>(elementType) ? elementType : rewriter.getI64Type();
    Value input = adaptor.getInput();
    if (!isa<FloatType>(elementType))
      input = widenAndCenter(rewriter, loc, input, op.getInputUnsigned(),
                             op.getInputZp(), rewriter.getI64Type());
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
            // floor((2 * sum + n) / (2 * n)): round half up.
            Value twice = arith::MulIOp::create(b, l, t[0], scalarInt(b, l, i64, 2));
            Value numerator = arith::AddIOp::create(b, l, twice, scalarInt(b, l, i64, count));
            Value mean = arith::FloorDivSIOp::create(b, l, numerator,
                                                     scalarInt(b, l, i64, 2 * count));
            Value shifted = arith::AddIOp::create(b, l, mean, scalarInt(b, l, i64, zp));
            return castInt(b, l, clampInt(b, l, shifted, lo, hi), elementType, false);
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
    Type workType = isReal ? elementType : rewriter.getI64Type();
    Value input = adaptor.getInput();
    if (!isReal)
      input = widenAndCenter(rewriter, loc, input, op.getInputUnsigned(), 0,
                             rewriter.getI64Type());
    // Padding never wins: the lowest value of the working type.
    TypedAttr lowest =
        isReal ? cast<TypedAttr>(rewriter.getFloatAttr(
                     elementType, -std::numeric_limits<double>::infinity()))
               : cast<TypedAttr>(rewriter.getIntegerAttr(
                     workType, std::numeric_limits<int64_t>::min()));
    input = padNHWC(rewriter, loc, input, op.getPadding(), lowest);
    auto workTensorType = RankedTensorType::get(resultType.getShape(), workType);
    Value init = emptyTensor(rewriter, loc, workTensorType, lowest);
    Value result = linalg::PoolingNhwcMaxOp::create(
                       rewriter, loc, workTensorType,
                       ValueRange{input, windowShape(rewriter, loc, op.getKernel(), workType)},
                       init, rewriter.getI64TensorAttr(op.getStrides()),
                       rewriter.getI64TensorAttr({1, 1}))
                       ->getResult(0);
    if (!isReal)
      result = elementwise(rewriter, loc, resultType, result, {},
                           [&](OpBuilder &b, Location l, ValueRange t, ValueRange) -> Value {
                             return castInt(b, l, t[0], elementType, false);
                           });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void mlir::pike::lowering::populatePoolLoweringPatterns(RewritePatternSet &patterns) {
  patterns.add<AvgPoolLowering, MaxPoolLowering>(patterns.getContext());
}
