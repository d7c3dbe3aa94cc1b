//===- ExpandBFloat16Casts.cpp - bf16 casts without a runtime call --------===//

#include "pike/Conversion/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::pike {
#define GEN_PASS_DEF_PIKEEXPANDBFLOAT16CASTS
#include "pike/Conversion/Passes.h.inc"
} // namespace mlir::pike

using namespace mlir;

namespace {

struct PikeExpandBFloat16CastsPass
    : public mlir::pike::impl::PikeExpandBFloat16CastsBase<PikeExpandBFloat16CastsPass> {
  void runOnOperation() override {
    // The emulation marks its casts `contract`, which lets extf(truncf(x))
    // fold to x: that would skip bf16's rounding of each result.
    auto exact = arith::FastMathFlagsAttr::get(&getContext(), arith::FastMathFlags::none);
    getOperation()->walk([&](Operation *op) {
      if (isa<arith::ExtFOp, arith::TruncFOp>(op))
        op->setAttr("fastmath", exact);
    });
    RewritePatternSet patterns(&getContext());
    arith::populateExpandBFloat16Patterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
