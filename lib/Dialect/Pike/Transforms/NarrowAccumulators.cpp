//===- NarrowAccumulators.cpp - The narrowest proven accumulator ----------===//

#include "pike/Dialect/Pike/Transforms/Passes.h"

#include "TransformUtils.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"
#include "pike/Dialect/Pike/IR/AccumulatorBounds.h"
#include "pike/Dialect/Pike/IR/PikeOps.h"

namespace mlir::pike {
#define GEN_PASS_DEF_PIKENARROWACCUMULATORS
#include "pike/Dialect/Pike/Transforms/Passes.h.inc"
} // namespace mlir::pike

using namespace mlir;
using namespace mlir::pike;
using numerics::IntRange;

namespace {

struct NarrowAccumulator : public RewritePattern {
  NarrowAccumulator(MLIRContext *context, SmallVector<unsigned> widths)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, context),
        widths(std::move(widths)) {}

  LogicalResult matchAndRewrite(Operation *op, PatternRewriter &rewriter) const override {
    if (!isa<Conv2DOp, FullyConnectedOp>(op))
      return failure();
    Value acc = op->getResult(0);
    if (!llvm::all_of(acc.getUsers(), [](Operation *user) {
          return isa<QuantNormOp, RequantizeOp>(user);
        }))
      return rewriter.notifyMatchFailure(op, "a user needs this accumulator type");
    std::optional<AccumulatorBounds> bounds = computeAccumulatorBounds(op);
    if (!bounds || !bounds->biasKnown)
      return rewriter.notifyMatchFailure(op, "no bound");
    IntRange range = bounds->worstCase;
    if (std::optional<IntRange> exact = bounds->weightAware())
      if (exact->signedBits() < range.signedBits())
        range = *exact;
    auto accType = cast<RankedTensorType>(acc.getType());
    unsigned current = accType.getElementTypeBitWidth();
    unsigned operandBits = 0;
    for (Value operand : op->getOperands().take_front(2))
      operandBits = std::max(operandBits,
                             cast<ShapedType>(operand.getType()).getElementTypeBitWidth());
    std::optional<unsigned> chosen;
    for (unsigned width : widths)
      if (width >= operandBits && width < current && range.fits(width, /*isSigned=*/true)) {
        chosen = width;
        break;
      }
    if (!chosen)
      return rewriter.notifyMatchFailure(op, "no narrower width holds the bound");
    Type element = rewriter.getIntegerType(*chosen);
    if (op->getNumOperands() > 2) {
      DenseIntElementsAttr bias;
      if (!matchPattern(op->getOperand(2), m_Constant(&bias)))
        return rewriter.notifyMatchFailure(op, "bias not constant");
      auto biasType = RankedTensorType::get(bias.getType().getShape(), element);
      // The bias fits: the bound includes it.
      auto narrowBias = cast<DenseIntElementsAttr>(bias.mapValues(
          element, [&](const APInt &value) { return value.trunc(*chosen); }));
      rewriter.setInsertionPoint(op);
      Value newBias = arith::ConstantOp::create(rewriter, op->getLoc(), biasType, narrowBias);
      rewriter.modifyOpInPlace(op, [&] { op->setOperand(2, newBias); });
    }
    rewriter.modifyOpInPlace(op, [&] {
      acc.setType(RankedTensorType::get(accType.getShape(), element));
    });
    for (Operation *user : acc.getUsers())
      rewriter.modifyOpInPlace(user, [] {});
    return success();
  }

  SmallVector<unsigned> widths;
};

struct PikeNarrowAccumulatorsPass
    : public mlir::pike::impl::PikeNarrowAccumulatorsBase<PikeNarrowAccumulatorsPass> {
  using PikeNarrowAccumulatorsBase::PikeNarrowAccumulatorsBase;

  void runOnOperation() override {
    SmallVector<unsigned> chosen(widths.begin(), widths.end());
    if (chosen.empty())
      chosen.assign(std::begin(kDefaultAccumulatorWidths), std::end(kDefaultAccumulatorWidths));
    llvm::sort(chosen);
    for (unsigned width : chosen)
      if (width < 2 || width > 64) {
        getOperation()->emitError() << "pike-narrow-accumulators: width " << width
                                    << " is outside [2, 64]";
        return signalPassFailure();
      }
    RewritePatternSet patterns(&getContext());
    patterns.add<NarrowAccumulator>(&getContext(), chosen);
    if (failed(applyPikePatterns(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
