//===- CheckOverflow.cpp - Prove accumulators hold their sums -------------===//

#include "pike/Dialect/Pike/Transforms/Passes.h"

#include "mlir/IR/BuiltinTypes.h"
#include "pike/Dialect/Pike/IR/AccumulatorBounds.h"
#include "pike/Dialect/Pike/IR/PikeOps.h"

namespace mlir::pike {
#define GEN_PASS_DEF_PIKECHECKOVERFLOW
#include "pike/Dialect/Pike/Transforms/Passes.h.inc"
} // namespace mlir::pike

using namespace mlir;
using namespace mlir::pike;
using numerics::IntRange;

namespace {

struct PikeCheckOverflowPass
    : public mlir::pike::impl::PikeCheckOverflowBase<PikeCheckOverflowPass> {
  using PikeCheckOverflowBase::PikeCheckOverflowBase;

  /// Reports an accumulator no bound proves safe; true if that fails the pass.
  bool unproven(Operation *op, const Twine &message) {
    if (severity == OverflowSeverity::Warning) {
      op->emitWarning() << "pike-check-overflow: " << message;
      return false;
    }
    op->emitOpError() << "pike-check-overflow: " << message;
    return true;
  }

  bool check(Operation *op) {
    std::optional<AccumulatorBounds> bounds = computeAccumulatorBounds(op);
    if (!bounds)
      return false; // dynamic shapes: nothing to bound
    auto accType = cast<IntegerType>(
        cast<ShapedType>(op->getResult(0).getType()).getElementType());
    unsigned bits = accType.getWidth();
    if (!bounds->biasKnown)
      return unproven(op, "the bias is computed at run time, so no bound covers the "
                          "sum; make it a constant");
    bool worstFits = bounds->worstCase.fits(bits, /*isSigned=*/true);
    std::optional<IntRange> exact = bounds->weightAware();
    bool exactFits = exact && exact->fits(bits, /*isSigned=*/true);
    if (report) {
      InFlightDiagnostic remark = op->emitRemark();
      remark << "accumulator i" << bits << ": worst case " << bounds->worstCase.str()
             << " (" << bounds->worstCase.signedBits() << " bits)";
      if (exact)
        remark << ", with its weights " << exact->str() << " (" << exact->signedBits()
               << " bits)";
      remark << "; "
             << (worstFits   ? "proven by the worst case"
                 : exactFits ? "proven by the weights"
                             : "not proven");
    }
    if (worstFits || exactFits)
      return false;
    if (bounds->perChannel)
      for (auto [c, range] : llvm::enumerate(*bounds->perChannel))
        if (!range.fits(bits, /*isSigned=*/true))
          return unproven(op, "accumulator i" + Twine(bits) + " of output channel " +
                                  Twine(c) + " reaches " + range.str());
    return unproven(op, "accumulator i" + Twine(bits) + " reaches " +
                            bounds->worstCase.str() + " in the worst case");
  }

  void runOnOperation() override {
    bool failedAny = false;
    getOperation()->walk([&](Operation *op) {
      if (isa<Conv2DOp, FullyConnectedOp>(op))
        failedAny |= check(op);
    });
    if (failedAny)
      signalPassFailure();
  }
};

} // namespace
