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

/// TFLite's MultiplyByQuantizedMultiplier on the product `value`: the
/// doubling high multiply's rounding division by 2^31 (of the value shifted
/// left by 31 - s when s < 31), then RoundingDivideByPOT by s - 31.
Value expandTflite(PatternRewriter &rewriter, Location loc, Value value, Value shift,
                   function_ref<Value(int64_t)> constant) {
  auto select = [&](Value condition, Value a, Value b) {
    return arith::SelectOp::create(rewriter, loc, condition, a, b).getResult();
  };
  auto compare = [&](arith::CmpIPredicate predicate, Value a, Value b) {
    return arith::CmpIOp::create(rewriter, loc, predicate, a, b).getResult();
  };
  Value left = arith::MaxSIOp::create(
      rewriter, loc, arith::SubIOp::create(rewriter, loc, constant(31), shift), constant(0));
  Value right = arith::MaxSIOp::create(
      rewriter, loc, arith::SubIOp::create(rewriter, loc, shift, constant(31)), constant(0));
  Value product = arith::ShLIOp::create(rewriter, loc, value, left);
  Value nudge = select(compare(arith::CmpIPredicate::sge, product, constant(0)),
                       constant(int64_t(1) << 30), constant(1 - (int64_t(1) << 30)));
  Value high = arith::DivSIOp::create(rewriter, loc,
                                      arith::AddIOp::create(rewriter, loc, product, nudge),
                                      constant(int64_t(1) << 31));
  Value mask = arith::SubIOp::create(
      rewriter, loc, arith::ShLIOp::create(rewriter, loc, constant(1), right), constant(1));
  Value remainder = arith::AndIOp::create(rewriter, loc, high, mask);
  Value threshold = arith::AddIOp::create(
      rewriter, loc, arith::ShRSIOp::create(rewriter, loc, mask, constant(1)),
      select(compare(arith::CmpIPredicate::slt, high, constant(0)), constant(1), constant(0)));
  Value up = select(compare(arith::CmpIPredicate::sgt, remainder, threshold), constant(1),
                    constant(0));
  return arith::AddIOp::create(rewriter, loc, arith::ShRSIOp::create(rewriter, loc, high, right),
                               up);
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
    if (mode == RoundingMode::tflite) {
      rewriter.replaceOp(op, expandTflite(rewriter, loc, value, shift, constant));
      return success();
    }
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
    if (mode == RoundingMode::tvm_tonearest) {
      // One less below zero: a tie moves away from zero.
      Value negative = arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::slt, value,
                                             constant(0));
      rounded = arith::AddIOp::create(
          rewriter, loc, rounded,
          arith::SelectOp::create(rewriter, loc, negative, constant(-1), constant(0)));
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
