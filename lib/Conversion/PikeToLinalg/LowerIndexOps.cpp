//===- LowerIndexOps.cpp - pike.gather to linalg --------------------------===//

#include "LoweringPatterns.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"
#include "pike/Dialect/Pike/IR/PikeOps.h"

using namespace mlir;
using namespace mlir::pike;

namespace {

/// A linalg.generic over the output reading each index once: wrapped if
/// negative, clamped into [0, rows), then the table's element at it.
struct GatherLowering : public OpConversionPattern<GatherOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(GatherOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto outType = cast<RankedTensorType>(op.getOutput().getType());
    auto indexType = cast<RankedTensorType>(op.getIndices().getType());
    Value table = adaptor.getTable();
    int64_t rows = cast<RankedTensorType>(op.getTable().getType()).getDimSize(0);
    int64_t rank = outType.getRank(), indexRank = indexType.getRank();
    bool isUnsigned = op.getIndicesUnsigned();
    SmallVector<AffineExpr> indexDims;
    for (int64_t d = 0; d < indexRank; ++d)
      indexDims.push_back(rewriter.getAffineDimExpr(d));
    SmallVector<AffineMap> maps = {AffineMap::get(rank, 0, indexDims, rewriter.getContext()),
                                   rewriter.getMultiDimIdentityMap(rank)};
    Value init = tensor::EmptyOp::create(rewriter, loc, outType.getShape(),
                                         outType.getElementType());
    auto generic = linalg::GenericOp::create(
        rewriter, loc, outType, ValueRange{adaptor.getIndices()}, ValueRange{init}, maps,
        SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
        [&](OpBuilder &b, Location l, ValueRange args) {
          Type i64 = b.getI64Type();
          Value index = args[0];
          unsigned width = index.getType().getIntOrFloatBitWidth();
          if (width < 64)
            index = isUnsigned ? arith::ExtUIOp::create(b, l, i64, index).getResult()
                               : arith::ExtSIOp::create(b, l, i64, index).getResult();
          auto constant = [&](int64_t v) { return arith::ConstantIntOp::create(b, l, i64, v); };
          if (!isUnsigned) {
            Value negative = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, index,
                                                   constant(0));
            index = arith::SelectOp::create(b, l, negative,
                                            arith::AddIOp::create(b, l, index, constant(rows)),
                                            index);
            index = arith::MaxSIOp::create(b, l, index, constant(0));
          }
          // Unsigned 64-bit indices compare as unsigned; others are non-negative here.
          index = arith::MinUIOp::create(b, l, index, constant(rows - 1));
          SmallVector<Value> at = {arith::IndexCastOp::create(b, l, b.getIndexType(), index)};
          for (int64_t d = indexRank; d < rank; ++d)
            at.push_back(linalg::IndexOp::create(b, l, d));
          linalg::YieldOp::create(b, l, tensor::ExtractOp::create(b, l, table, at).getResult());
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

} // namespace

void mlir::pike::lowering::populateIndexLoweringPatterns(RewritePatternSet &patterns) {
  patterns.add<GatherLowering>(patterns.getContext());
}
