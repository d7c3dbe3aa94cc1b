//===- ExpandApplyScale.cpp - pike.apply_scale to arith -------------------===//
//
// The only C++ spelling of the rounding right shift in generated code; its
// definition is docs/Numerics.md and the numerics library's roundingShift.
//
//===----------------------------------------------------------------------===//

#include "pike/Dialect/Pike/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "pike/Dialect/Pike/IR/PikeOps.h"

namespace mlir::pike {
#define GEN_PASS_DEF_PIKEEXPANDAPPLYSCALE
#include "pike/Dialect/Pike/Transforms/Passes.h.inc"
} // namespace mlir::pike

using namespace mlir;
using namespace mlir::pike;

namespace {

/// An integer constant of `type` (scalar, or splat vector).
Value constantLike(PatternRewriter &rewriter, Location loc, Type type,
                   int64_t value) {
  Type element = getElementTypeOrSelf(type);
  TypedAttr attr = rewriter.getIntegerAttr(element, value);
  if (auto vector = dyn_cast<VectorType>(type))
    attr = SplatElementsAttr::get(vector, attr);
  return arith::ConstantOp::create(rewriter, loc, attr);
}

struct ExpandApplyScale : public OpRewritePattern<ApplyScaleOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(ApplyScaleOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Type type = op.getType();
    RoundingMode mode = op.getRounding();
    auto constant = [&](int64_t value) { return constantLike(rewriter, loc, type, value); };
    Value shift = op.getShift();
    Value value = arith::MulIOp::create(rewriter, loc, op.getValue(), op.getMultiplier());
    if (Value addend = op.getAddend())
      value = arith::AddIOp::create(rewriter, loc, value, addend);
    // 2^(s-1): ties toward +inf once shifted (single, double).
    Value half = arith::ShLIOp::create(
        rewriter, loc, constant(1), arith::SubIOp::create(rewriter, loc, shift, constant(1)));
    Value rounded = arith::AddIOp::create(rewriter, loc, value, half);
    if (mode == RoundingMode::half_even) {
      // 2^(s-1) - 1 + (floor(v / 2^s) & 1): a tie goes up only from an odd
      // quotient.
      Value quotient = arith::ShRSIOp::create(rewriter, loc, value, shift);
      Value odd = arith::AndIOp::create(rewriter, loc, quotient, constant(1));
      rounded = arith::AddIOp::create(
          rewriter, loc, arith::SubIOp::create(rewriter, loc, rounded, constant(1)), odd);
    }
    if (mode == RoundingMode::double_round) {
      // +-2^30 by the sign of the value, for shifts above 31 only.
      Value nonNegative = arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::sge,
                                                value, constant(0));
      Value adjust = arith::SelectOp::create(rewriter, loc, nonNegative,
                                             constant(int64_t(1) << 30),
                                             constant(-(int64_t(1) << 30)));
      Value wide = arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::sgt,
                                         shift, constant(31));
      adjust = arith::SelectOp::create(rewriter, loc, wide, adjust, constant(0));
      rounded = arith::AddIOp::create(rewriter, loc, rounded, adjust);
    }
    rewriter.replaceOpWithNewOp<arith::ShRSIOp>(op, rounded, shift);
    return success();
  }
};

struct PikeExpandApplyScalePass
    : public mlir::pike::impl::PikeExpandApplyScaleBase<PikeExpandApplyScalePass> {
  using PikeExpandApplyScaleBase::PikeExpandApplyScaleBase;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populatePikeExpandApplyScalePatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void mlir::pike::populatePikeExpandApplyScalePatterns(RewritePatternSet &patterns) {
  patterns.add<ExpandApplyScale>(patterns.getContext());
}
