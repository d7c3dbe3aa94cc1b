//===- PikeToLinalg.cpp - The convert-pike-to-linalg pass -----------------===//

#include "pike/Conversion/PikeToLinalg/PikeToLinalg.h"

#include "LoweringPatterns.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"
#include "pike/Conversion/Passes.h"
#include "pike/Dialect/Pike/IR/PikeOps.h"

namespace mlir::pike {
#define GEN_PASS_DEF_CONVERTPIKETOLINALG
#include "pike/Conversion/Passes.h.inc"
} // namespace mlir::pike

using namespace mlir;
using namespace mlir::pike;

namespace {

/// A pike op whose results have no elements computes nothing: its results
/// are empty tensors. (Windows and padding on a zero-sized dimension would
/// otherwise build out-of-bounds slices.)
struct EmptyResultLowering : public ConversionPattern {
  EmptyResultLowering(MLIRContext *context)
      : ConversionPattern(MatchAnyOpTypeTag(), /*benefit=*/2, context) {}

  LogicalResult matchAndRewrite(Operation *op, ArrayRef<Value>,
                                ConversionPatternRewriter &rewriter) const override {
    if (!isa<PikeDialect>(op->getDialect()) || op->getNumResults() == 0)
      return failure();
    SmallVector<Value> empties;
    for (Type type : op->getResultTypes()) {
      auto tensor = dyn_cast<RankedTensorType>(type);
      if (!tensor || !tensor.hasStaticShape() || tensor.getNumElements() != 0)
        return failure();
      empties.push_back(tensor::EmptyOp::create(rewriter, op->getLoc(), tensor.getShape(),
                                                tensor.getElementType()));
    }
    rewriter.replaceOp(op, empties);
    return success();
  }
};

} // namespace

void mlir::pike::populatePikeToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<EmptyResultLowering>(patterns.getContext());
  lowering::populateMacLoweringPatterns(patterns);
  lowering::populateElementwiseLoweringPatterns(patterns);
  lowering::populatePoolLoweringPatterns(patterns);
  lowering::populateNormalizationLoweringPatterns(patterns);
  lowering::populateFloat32NormalizationLoweringPatterns(patterns);
  lowering::populateIndexLoweringPatterns(patterns);
}

void mlir::pike::configurePikeToLinalgTarget(ConversionTarget &target) {
  target.addIllegalDialect<PikeDialect>();
  target.addLegalOp<ApplyScaleOp, VectorDot4Op, VectorDot2Op, VectorDot2BytesOp, VectorMmlaOp>();
  target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
}

namespace {

struct ConvertPikeToLinalgPass
    : public mlir::pike::impl::ConvertPikeToLinalgBase<ConvertPikeToLinalgPass> {
  using ConvertPikeToLinalgBase::ConvertPikeToLinalgBase;

  void runOnOperation() override {
    // Elementwise ops lower with dynamic shapes; windows and products need
    // static ones.
    WalkResult dynamic = getOperation()->walk([](Operation *op) {
      if (!isa<mlir::pike::Conv2DOp, FullyConnectedOp, BatchMatmulOp, AvgPool2DOp,
               MaxPool2DOp>(op))
        return WalkResult::advance();
      for (Type type : llvm::concat<Type>(op->getOperandTypes(), op->getResultTypes()))
        if (!cast<ShapedType>(type).hasStaticShape()) {
          op->emitOpError("convert-pike-to-linalg needs static shapes here, got ")
              << type;
          return WalkResult::interrupt();
        }
      return WalkResult::advance();
    });
    if (dynamic.wasInterrupted())
      return signalPassFailure();
    MLIRContext *context = &getContext();
    ConversionTarget target(*context);
    configurePikeToLinalgTarget(target);
    RewritePatternSet patterns(context);
    populatePikeToLinalgPatterns(patterns);
    if (failed(applyPartialConversion(getOperation(), target, std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
