//===- LowerMacOps.cpp - conv2d, fully_connected, batch_matmul to linalg --===//

#include "LoweringPatterns.h"
#include "pike/Conversion/LoweringUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"
#include "pike/Dialect/Pike/IR/PikeOps.h"

using namespace mlir;
using namespace mlir::pike;
using namespace mlir::pike::lowering;

namespace {

Value addBias(OpBuilder &b, Location loc, Value acc, Value bias) {
  if (!bias)
    return acc;
  auto type = cast<RankedTensorType>(acc.getType());
  ChannelValues channel{bias, Attribute(), -1};
  return elementwise(b, loc, type, acc, channel,
                     [](OpBuilder &nb, Location nl, ValueRange t, ValueRange c) {
                       return arith::AddIOp::create(nb, nl, t[0], c[0]).getResult();
                     });
}

/// A transposed copy of `value` with `permutation`.
Value transpose(OpBuilder &b, Location loc, Value value,
                ArrayRef<int64_t> permutation) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<int64_t> shape;
  for (int64_t p : permutation)
    shape.push_back(type.getDimSize(p));
  Value init = emptyTensor(b, loc, RankedTensorType::get(shape, type.getElementType()));
  return linalg::TransposeOp::create(b, loc, value, init, permutation)->getResult(0);
}

/// Grouped convolution that is neither plain nor depthwise, as one generic.
Value groupedConv(OpBuilder &b, Location loc, Conv2DOp op, Value input,
                  Value weight, Value init) {
  auto weightType = cast<RankedTensorType>(weight.getType());
  int64_t groups = op.getGroups();
  int64_t filtersPerGroup = weightType.getDimSize(0) / groups;
  int64_t channelsPerGroup = weightType.getDimSize(3);
  ArrayRef<int64_t> strides = op.getStrides(), dilations = op.getDilations();
  MLIRContext *context = b.getContext();
  // Dimensions: n, oh, ow, f, kh, kw, c.
  AffineExpr n, oh, ow, f, kh, kw, c;
  bindDims(context, n, oh, ow, f, kh, kw, c);
  AffineMap inputMap = AffineMap::get(
      7, 0,
      {n, oh * strides[0] + kh * dilations[0], ow * strides[1] + kw * dilations[1],
       f.floorDiv(filtersPerGroup) * channelsPerGroup + c},
      context);
  AffineMap weightMap = AffineMap::get(7, 0, {f, kh, kw, c}, context);
  AffineMap outputMap = AffineMap::get(7, 0, {n, oh, ow, f}, context);
  SmallVector<utils::IteratorType> iterators(4, utils::IteratorType::parallel);
  iterators.append(3, utils::IteratorType::reduction);
  return linalg::GenericOp::create(
             b, loc, init.getType(), ValueRange{input, weight}, init,
             ArrayRef<AffineMap>{inputMap, weightMap, outputMap}, iterators,
             [](OpBuilder &nb, Location nl, ValueRange args) {
               Value product = arith::MulIOp::create(nb, nl, args[0], args[1]);
               linalg::YieldOp::create(
                   nb, nl, ValueRange{arith::AddIOp::create(nb, nl, args[2], product)});
             })
      .getResult(0);
}

/// A MAC op's operands widened to its accumulator type and centered on
/// their zero points, and a zero-filled accumulator.
struct MacOperands {
  Value input, weight, init;
  IntegerType accType;
};

template <typename OpTy>
FailureOr<MacOperands> prepareMac(OpTy op, typename OpTy::Adaptor adaptor,
                                  ConversionPatternRewriter &rewriter) {
  RankedTensorType resultType = op.getOutput().getType();
  if (!resultType.hasStaticShape() || !op.getWeight().getType().hasStaticShape())
    return rewriter.notifyMatchFailure(op, "needs static shapes");
  Location loc = op.getLoc();
  auto accType = cast<IntegerType>(resultType.getElementType());
  MacOperands operands;
  operands.accType = accType;
  operands.input = widenAndCenter(rewriter, loc, adaptor.getInput(),
                                  op.getInputUnsigned(), op.getInputZp(), accType);
  operands.weight = widenAndCenter(rewriter, loc, adaptor.getWeight(),
                                   op.getWeightUnsigned(), op.getWeightZp(), accType);
  operands.init =
      emptyTensor(rewriter, loc, resultType, rewriter.getIntegerAttr(accType, 0));
  return operands;
}

struct Conv2DLowering : public OpConversionPattern<Conv2DOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(Conv2DOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    FailureOr<MacOperands> operands = prepareMac(op, adaptor, rewriter);
    if (failed(operands))
      return failure();
    Location loc = op.getLoc();
    RankedTensorType resultType = op.getOutput().getType();
    IntegerType accType = operands->accType;
    Value weight = operands->weight, init = operands->init;
    // Zero after centering is the real zero: padding contributes nothing.
    Value input = padNHWC(rewriter, loc, operands->input, op.getPadding(),
                          rewriter.getIntegerAttr(accType, 0));
    Attribute strides = rewriter.getI64TensorAttr(op.getStrides());
    Attribute dilations = rewriter.getI64TensorAttr(op.getDilations());
    RankedTensorType weightType = op.getWeight().getType();
    int64_t channels = op.getInput().getType().getDimSize(3);
    int64_t filters = weightType.getDimSize(0);
    Value result;
    if (op.getGroups() == 1) {
      result = linalg::Conv2DNhwcFhwcOp::create(rewriter, loc, resultType,
                                                ValueRange{input, weight}, init,
                                                strides, dilations)
                   ->getResult(0);
    } else if (op.isDepthwise()) {
      int64_t multiplier = filters / channels;
      int64_t kh = weightType.getDimSize(1), kw = weightType.getDimSize(2);
      // [C*M, KH, KW, 1] -> [C, M, KH, KW] -> [KH, KW, C, M].
      Value grouped = tensor::CollapseShapeOp::create(
          rewriter, loc, RankedTensorType::get({filters, kh, kw}, accType), weight,
          ArrayRef<ReassociationIndices>{{0}, {1}, {2, 3}});
      if (multiplier == 1) {
        Value hwc = transpose(rewriter, loc, grouped, {1, 2, 0});
        result = linalg::DepthwiseConv2DNhwcHwcOp::create(
                     rewriter, loc, resultType, ValueRange{input, hwc}, init,
                     strides, dilations)
                     ->getResult(0);
      } else {
        Value split = tensor::ExpandShapeOp::create(
            rewriter, loc,
            RankedTensorType::get({channels, multiplier, kh, kw}, accType), grouped,
            ArrayRef<ReassociationIndices>{{0, 1}, {2}, {3}});
        Value hwcm = transpose(rewriter, loc, split, {2, 3, 0, 1});
        SmallVector<int64_t> wideShape(resultType.getShape().take_front(3));
        wideShape.append({channels, multiplier});
        auto wideType = RankedTensorType::get(wideShape, accType);
        Value wideInit = emptyTensor(rewriter, loc, wideType,
                                     rewriter.getIntegerAttr(accType, 0));
        Value wide = linalg::DepthwiseConv2DNhwcHwcmOp::create(
                         rewriter, loc, wideType, ValueRange{input, hwcm}, wideInit,
                         strides, dilations)
                         ->getResult(0);
        result = tensor::CollapseShapeOp::create(
            rewriter, loc, resultType, wide,
            ArrayRef<ReassociationIndices>{{0}, {1}, {2}, {3, 4}});
      }
    } else {
      result = groupedConv(rewriter, loc, op, input, weight, init);
    }
    rewriter.replaceOp(op, addBias(rewriter, loc, result, adaptor.getBias()));
    return success();
  }
};

struct FullyConnectedLowering : public OpConversionPattern<FullyConnectedOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(FullyConnectedOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    FailureOr<MacOperands> operands = prepareMac(op, adaptor, rewriter);
    if (failed(operands))
      return failure();
    Location loc = op.getLoc();
    RankedTensorType resultType = op.getOutput().getType();
    Value weightT = transpose(rewriter, loc, operands->weight, {1, 0});
    Value product = linalg::MatmulOp::create(rewriter, loc, resultType,
                                             ValueRange{operands->input, weightT},
                                             operands->init)
                        ->getResult(0);
    rewriter.replaceOp(op, addBias(rewriter, loc, product, adaptor.getBias()));
    return success();
  }
};

/// One linalg.generic over (batch..., m, k, n): the operands' batch
/// dimensions are read through NumPy's broadcast (a dimension of 1 against a
/// wider one reads index 0), so no operand is copied to the result's batch.
/// n innermost: each step adds lhs[m, k] times a contiguous row of rhs to a
/// contiguous row of the result, which the loop vectorizer takes (k
/// innermost strides through rhs by its row length).
struct BatchMatmulLowering : public OpConversionPattern<BatchMatmulOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(BatchMatmulOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType = op.getOutput().getType();
    RankedTensorType lhsType = op.getLhs().getType(), rhsType = op.getRhs().getType();
    if (!resultType.hasStaticShape() || !lhsType.hasStaticShape() ||
        !rhsType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    Location loc = op.getLoc();
    auto accType = cast<IntegerType>(resultType.getElementType());
    Value lhs = widenAndCenter(rewriter, loc, adaptor.getLhs(), op.getLhsUnsigned(),
                               op.getLhsZp(), accType);
    Value rhs = widenAndCenter(rewriter, loc, adaptor.getRhs(), op.getRhsUnsigned(),
                               op.getRhsZp(), accType);
    Value init =
        emptyTensor(rewriter, loc, resultType, rewriter.getIntegerAttr(accType, 0));

    MLIRContext *context = rewriter.getContext();
    int64_t batchRank = resultType.getRank() - 2;
    unsigned numDims = batchRank + 3;
    AffineExpr m = rewriter.getAffineDimExpr(batchRank),
               k = rewriter.getAffineDimExpr(batchRank + 1),
               n = rewriter.getAffineDimExpr(batchRank + 2);
    auto batchExprs = [&](RankedTensorType type) {
      SmallVector<AffineExpr> exprs;
      int64_t offset = batchRank - (type.getRank() - 2);
      for (int64_t d = 0; d < type.getRank() - 2; ++d) {
        bool broadcast = type.getDimSize(d) == 1 && resultType.getDimSize(d + offset) != 1;
        exprs.push_back(broadcast ? rewriter.getAffineConstantExpr(0)
                                  : rewriter.getAffineDimExpr(d + offset));
      }
      return exprs;
    };
    SmallVector<AffineExpr> lhsExprs = batchExprs(lhsType), rhsExprs = batchExprs(rhsType),
                            outExprs;
    lhsExprs.append({m, k});
    rhsExprs.append({k, n});
    for (int64_t d = 0; d < batchRank; ++d)
      outExprs.push_back(rewriter.getAffineDimExpr(d));
    outExprs.append({m, n});
    SmallVector<AffineMap> maps = {AffineMap::get(numDims, 0, lhsExprs, context),
                                   AffineMap::get(numDims, 0, rhsExprs, context),
                                   AffineMap::get(numDims, 0, outExprs, context)};
    SmallVector<utils::IteratorType> iterators(batchRank + 3,
                                               utils::IteratorType::parallel);
    iterators[batchRank + 1] = utils::IteratorType::reduction;
    Value product =
        linalg::GenericOp::create(
            rewriter, loc, resultType, ValueRange{lhs, rhs}, init, maps, iterators,
            [](OpBuilder &nb, Location nl, ValueRange args) {
              Value mul = arith::MulIOp::create(nb, nl, args[0], args[1]);
              linalg::YieldOp::create(
                  nb, nl, ValueRange{arith::AddIOp::create(nb, nl, args[2], mul)});
            })
            .getResult(0);
    rewriter.replaceOp(op, product);
    return success();
  }
};

} // namespace

void mlir::pike::lowering::populateMacLoweringPatterns(RewritePatternSet &patterns) {
  patterns.add<Conv2DLowering, FullyConnectedLowering, BatchMatmulLowering>(
      patterns.getContext());
}
