//===- DoubleQuantize.cpp - Quantize per-channel scales to low-bit integers ===//

#include "pike/Dialect/Pike/Transforms/Passes.h"

#include "TransformUtils.h"
#include "mlir/IR/PatternMatch.h"
#include "pike/Numerics/FixedPoint.h"

#include <cmath>

namespace mlir::pike {
#define GEN_PASS_DEF_PIKEDOUBLEQUANTIZE
#include "pike/Dialect/Pike/Transforms/Passes.h.inc"
} // namespace mlir::pike

using namespace mlir;
using namespace mlir::pike;

namespace {

/// Double Quantization of one pike.scale's real per-channel scales.
struct DoubleQuantizeScale : public OpRewritePattern<ScaleOp> {
  DoubleQuantizeScale(MLIRContext *context, PikeDoubleQuantizeOptions options)
      : OpRewritePattern(context), options(options) {}

  /// The shared scale: a power-of-two fraction of the next quantizer's
  /// scale when there is one (so QuantNorm absorbs it as a shift), else the
  /// scale that maps the largest channel to the top integer.
  static double chooseSharedScale(ScaleOp op, double maxScale, int64_t top) {
    QuantizeOp next = getQuantizeConsumer(op.getOutput());
    if (!next)
      return maxScale / double(top);
    double outScale = next.getQuantizer().getScale(0);
    int k = int(std::floor(std::log2(double(top) * outScale / maxScale)));
    while (maxScale / std::ldexp(outScale, -k) > double(top))
      --k;
    while (maxScale / std::ldexp(outScale, -(k + 1)) <= double(top))
      ++k;
    return std::ldexp(outScale, -k);
  }

  LogicalResult matchAndRewrite(ScaleOp op, PatternRewriter &rewriter) const override {
    auto scales = dyn_cast<DenseF64ArrayAttr>(op.getScale());
    if (!scales)
      return rewriter.notifyMatchFailure(op, "already double-quantized");
    double maxScale = 0.0;
    for (auto [c, scale] : llvm::enumerate(scales.asArrayRef())) {
      if (!(scale > 0.0))
        return op.emitOpError()
               << "cannot double-quantize: channel " << c << " has scale "
               << scale << "; double quantization needs positive scales";
      maxScale = std::max(maxScale, scale);
    }
    unsigned bits = options.bits;
    int64_t top = numerics::maxValue(bits, /*isSigned=*/false);
    double shared = chooseSharedScale(op, maxScale, top);
    SmallVector<int64_t> values;
    double worst = 0.0, sum = 0.0;
    size_t worstChannel = 0;
    for (auto [c, scale] : llvm::enumerate(scales.asArrayRef())) {
      int64_t value = int64_t(numerics::roundHalfToEven(scale / shared));
      value = numerics::saturate(value, 1, top);
      values.push_back(value);
      double error = std::fabs(double(value) * shared - scale) / scale;
      sum += error;
      if (error > worst) {
        worst = error;
        worstChannel = c;
      }
    }
    MLIRContext *context = op.getContext();
    rewriter.modifyOpInPlace(op, [&] {
      op.setScaleAttr(DoubleQuantScaleAttr::get(
          context, bits, DenseI64ArrayAttr::get(context, values), APFloat(shared)));
    });
    if (options.report)
      op.emitRemark() << "double quantization to " << bits
                      << " bits: worst relative scale error " << worst
                      << " (channel " << worstChannel << "), mean "
                      << sum / double(values.size());
    return success();
  }

  PikeDoubleQuantizeOptions options;
};

struct PikeDoubleQuantizePass
    : public mlir::pike::impl::PikeDoubleQuantizeBase<PikeDoubleQuantizePass> {
  using PikeDoubleQuantizeBase::PikeDoubleQuantizeBase;
  explicit PikeDoubleQuantizePass(const DoubleQuantizeOverrides &given) {
    if (given.bits)
      bits = *given.bits;
    ifTrained = given.ifTrained;
  }

  void runOnOperation() override {
    // With if-trained, only a model that says it was trained for it.
    if (ifTrained && !findModelAttr(getOperation(), PikeDialect::DoubleQuantizeBitsAttrHelper::getNameStr()))
      return;
    unsigned resolved = resolveModelOption(getOperation(), bits, PikeDialect::DoubleQuantizeBitsAttrHelper::getNameStr());
    if (resolved < 1 || resolved > kMaxQuantBits) {
      getOperation()->emitError() << "pike-double-quantize: bits = " << resolved
                                  << " is outside [1, " << kMaxQuantBits << "]";
      return signalPassFailure();
    }
    RewritePatternSet patterns(&getContext());
    populatePikeDoubleQuantizePatterns(patterns, {resolved, report, ifTrained});
    if (failed(applyPikePatterns(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void mlir::pike::populatePikeDoubleQuantizePatterns(RewritePatternSet &patterns,
                                                    const PikeDoubleQuantizeOptions &options) {
  patterns.add<DoubleQuantizeScale>(patterns.getContext(), options);
}

std::unique_ptr<Pass>
mlir::pike::createPikeDoubleQuantize(const DoubleQuantizeOverrides &given) {
  return std::make_unique<PikeDoubleQuantizePass>(given);
}
