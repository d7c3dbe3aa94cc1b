//===- DHQ.cpp - Distribution-Heterogeneous Quantization of float weights -===//

#include "pike/Dialect/Pike/Transforms/Passes.h"

#include "TransformUtils.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/PatternMatch.h"
#include "pike/Numerics/FixedPoint.h"

#include <cmath>

namespace mlir::pike {
#define GEN_PASS_DEF_PIKEDHQ
#include "pike/Dialect/Pike/Transforms/Passes.h.inc"
} // namespace mlir::pike

using namespace mlir;
using namespace mlir::pike;
namespace num = ::mlir::pike::numerics;

namespace {

/// How one side (depthwise or pointwise) of a separable convolution is quantized.
struct SideOptions {
  StringRef name;
  unsigned bits;
  QuantScheme scheme;
  bool perChannel;
};

LogicalResult checkBits(Operation *root, StringRef name, unsigned bits) {
  if (bits < 2 || bits > kMaxQuantBits)
    return root->emitError() << "pike-dhq: " << name << "-bits = " << bits
                             << " is outside [2, " << kMaxQuantBits << "]";
  return success();
}

/// DHQ of one depthwise or pointwise convolution's float weights.
struct QuantizeSeparableWeights : public OpRewritePattern<Conv2DOp> {
  QuantizeSeparableWeights(MLIRContext *context, PikeDHQOptions options)
      : OpRewritePattern(context),
        depthwise{"dw", options.dwBits, options.dwScheme,
                  options.dwGranularity == Granularity::PerChannel},
        pointwise{"pw", options.pwBits, options.pwScheme,
                  options.pwGranularity == Granularity::PerChannel},
        report(options.report) {}

  SideOptions depthwise, pointwise;
  bool report;

  LogicalResult matchAndRewrite(Conv2DOp conv, PatternRewriter &rewriter) const override {
    RankedTensorType convWeightType = conv.getWeight().getType();
    bool isPointwise = conv.getGroups() == 1 && convWeightType.getDimSize(1) == 1 &&
                       convWeightType.getDimSize(2) == 1;
    if (!conv.isDepthwise() && !isPointwise)
      return rewriter.notifyMatchFailure(conv, "neither depthwise nor pointwise");
    const SideOptions &side = conv.isDepthwise() ? depthwise : pointwise;
    auto weightQuantize = conv.getWeight().getDefiningOp<QuantizeOp>();
    if (!weightQuantize)
      return rewriter.notifyMatchFailure(conv, "weights are not quantized floats");
    // DHQ rounds to nearest; a model's other rounding is kept as it is.
    if (weightQuantize.getRounding() != QuantizeRounding::half_even)
      return rewriter.notifyMatchFailure(conv, "weights are not rounded to nearest");
    std::optional<SmallVector<double>> weights =
        getConstantReals(weightQuantize.getInput());
    if (!weights)
      return rewriter.notifyMatchFailure(conv, "weights are not constant");
    RankedTensorType weightType = conv.getWeight().getType();
    int64_t outChannels = weightType.getDimSize(0);
    int64_t groups = side.perChannel ? outChannels : 1;
    int64_t groupSize = weightType.getNumElements() / groups;
    int64_t top = num::maxValue(side.bits, /*isSigned=*/true);

    SmallVector<double> scales(groups);
    SmallVector<APInt> values;
    double errorSquares = 0.0, weightSquares = 0.0;
    for (int64_t g = 0; g < groups; ++g) {
      double largest = 0.0;
      for (int64_t i = 0; i < groupSize; ++i)
        largest = std::max(largest, std::fabs((*weights)[g * groupSize + i]));
      double scale = largest > 0.0 ? largest / double(top) : 1.0;
      if (side.scheme == QuantScheme::pow2)
        scale = std::exp2(std::ceil(std::log2(scale)));
      if (!std::isfinite(scale) || scale <= 0.0)
        return conv.emitOpError() << "pike-dhq: weights of group " << g
                                  << " give the unusable scale " << scale;
      scales[g] = scale;
      for (int64_t i = 0; i < groupSize; ++i) {
        double w = (*weights)[g * groupSize + i];
        int64_t q = num::saturate(int64_t(num::roundHalfToEven(w / scale)), -top, top);
        values.push_back(APInt(side.bits, uint64_t(q), /*isSigned=*/true));
        errorSquares += (double(q) * scale - w) * (double(q) * scale - w);
        weightSquares += w * w;
      }
    }

    // The accumulator's dequantization must follow the new weight scales.
    QuantizerAttr old = weightQuantize.getQuantizer();
    SmallVector<ScaleOp> dequantizers;
    for (Operation *user : conv.getOutput().getUsers()) {
      auto scaleOp = dyn_cast<ScaleOp>(user);
      if (!scaleOp || !isa<DenseF64ArrayAttr>(scaleOp.getScale()))
        return conv.emitOpError()
               << "pike-dhq: the accumulator must be dequantized by pike.scale "
                  "with real scales (run pike-dhq before the other "
                  "quantization passes)";
      dequantizers.push_back(scaleOp);
    }

    MLIRContext *context = conv.getContext();
    auto intType = RankedTensorType::get(weightType.getShape(),
                                         IntegerType::get(context, side.bits));
    rewriter.setInsertionPoint(conv);
    Value newWeight = arith::ConstantOp::create(
        rewriter, weightQuantize.getLoc(), DenseIntElementsAttr::get(intType, values));
    rewriter.modifyOpInPlace(conv, [&] {
      conv.getWeightMutable().assign(newWeight);
      conv.setWeightZp(0);
      conv.setWeightUnsigned(false);
    });
    for (ScaleOp scaleOp : dequantizers) {
      SmallVector<double> updated;
      for (int64_t c = 0; c < outChannels; ++c) {
        double oldWeightScale = old.getScale(old.isPerChannel() ? c : 0);
        updated.push_back(scaleOp.getChannelScale(c) *
                          scales[side.perChannel ? c : 0] / oldWeightScale);
      }
      rewriter.modifyOpInPlace(scaleOp, [&] {
        scaleOp.setScaleAttr(DenseF64ArrayAttr::get(context, updated));
      });
    }
    if (weightQuantize->use_empty())
      rewriter.eraseOp(weightQuantize);
    if (report)
      conv.emitRemark() << "pike-dhq: " << side.name << " weights to "
                        << side.bits << "-bit "
                        << stringifyQuantScheme(side.scheme) << " "
                        << (side.perChannel ? "per-channel" : "per-tensor")
                        << ", relative RMS error "
                        << (weightSquares > 0.0
                                ? std::sqrt(errorSquares / weightSquares)
                                : 0.0);
    return success();
  }

};

struct PikeDHQPass : public mlir::pike::impl::PikeDHQBase<PikeDHQPass> {
  using PikeDHQBase::PikeDHQBase;

  void runOnOperation() override {
    Operation *root = getOperation();
    if (failed(checkBits(root, "dw", dwBits)) || failed(checkBits(root, "pw", pwBits)))
      return signalPassFailure();
    RewritePatternSet patterns(&getContext());
    populatePikeDHQPatterns(patterns, {dwBits, dwScheme, dwGranularity, pwBits, pwScheme,
                                       pwGranularity, report});
    if (failed(applyPikePatterns(root, std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void mlir::pike::populatePikeDHQPatterns(RewritePatternSet &patterns,
                                         const PikeDHQOptions &options) {
  patterns.add<QuantizeSeparableWeights>(patterns.getContext(), options);
}
