//===- QuantNorm.cpp - Scale, bias, clip and quantize as one integer op ---===//

#include "pike/Dialect/Pike/Transforms/Passes.h"

#include "TransformUtils.h"
#include "mlir/IR/PatternMatch.h"
#include "pike/Numerics/FixedPoint.h"

#include <cmath>

namespace mlir::pike {
#define GEN_PASS_DEF_PIKEQUANTNORM
#include "pike/Dialect/Pike/Transforms/Passes.h.inc"
} // namespace mlir::pike

using namespace mlir;
using namespace mlir::pike;
namespace num = ::mlir::pike::numerics;

namespace {

/// Per-channel integer multipliers, shifts and the multiplier width.
struct ChannelMultipliers {
  unsigned bits = 0;
  SmallVector<int64_t> multipliers, shifts;
};

/// QuantNorm: an integer scale, its bias, clip and quantize as one op.
struct ScaleToQuantNorm : public OpRewritePattern<ScaleOp> {
  ScaleToQuantNorm(MLIRContext *context, PikeQuantNormOptions options)
      : OpRewritePattern(context), multiplierBits(options.multiplierBits),
        biasBits(options.biasBits), report(options.report),
        roundingMode(options.rounding) {}

  /// The rounding of a rescale float32 does not cover (a folded batch norm
  /// has no runtime float32 form): half to even.
  RoundingMode realRounding() const {
    return roundingMode == RoundingMode::float32 ? RoundingMode::half_even : roundingMode;
  }

  unsigned multiplierBits, biasBits;
  bool report;
  RoundingMode roundingMode;

  /// Double Quantization in integer form: when the shared scale over the
  /// output scale is 2^-k, the low-bit values are the multipliers and k
  /// the one shift.
  std::optional<ChannelMultipliers> fromDoubleQuant(DoubleQuantScaleAttr dq,
                                                    double outScale,
                                                    size_t channels) const {
    int exponent;
    double ratio = dq.getScale().convertToDouble() / outScale;
    if (std::frexp(ratio, &exponent) != 0.5)
      return std::nullopt;
    int shift = 1 - exponent; // ratio = 2^(exponent-1) = 2^-shift
    int lift = std::max(0, int(num::kMinShift) - shift);
    if (shift + lift > int(num::kMaxShift))
      return std::nullopt;
    // A lift past 31 bits cannot give a 32-bit multiplier (and would shift
    // past the width of int64 for huge ratios).
    if (lift > 31)
      return std::nullopt;
    ChannelMultipliers result;
    int64_t largest = 0;
    for (size_t c = 0; c < channels; ++c) {
      int64_t value = dq.getValues()[dq.getValues().size() == 1 ? 0 : c] * (int64_t(1) << lift);
      result.multipliers.push_back(value);
      largest = std::max(largest, value);
    }
    result.shifts.assign(channels, shift + lift);
    result.bits = std::max(2u, signedBitsNeeded(largest));
    if (result.bits > num::kMaxMultiplierBits)
      return std::nullopt;
    return result;
  }

  /// A MAC accumulator requantized as onnxruntime's MLAS does: the bias an
  /// integer of the accumulator's scale (added before the float32
  /// conversion), the multiplier its float32 scale (toFloat32FixedPoint).
  LogicalResult rewriteFloat32(ScaleOp scale, QuantizeOp quantize, ClampOp clamp,
                               PatternRewriter &rewriter) const {
    QuantizerAttr quantizer = quantize.getQuantizer();
    double outScale = quantizer.getScale(0);
    std::optional<ArrayRef<double>> biasValues = scale.getBias();
    size_t channels = std::max<size_t>(scale.getNumScales(), biasValues ? biasValues->size() : 1);
    SmallVector<int64_t> multipliers, shifts, bias;
    bool anyBias = false;
    for (size_t c = 0; c < channels; ++c) {
      double accScale = scale.getChannelScale(c);
      num::FixedPoint fp;
      std::string error;
      if (!num::toFloat32FixedPoint(accScale, outScale, fp, error))
        return scale.emitOpError() << "float32 requantization cannot represent channel " << c
                                   << ": " << error;
      multipliers.push_back(fp.multiplier);
      shifts.push_back(fp.shift);
      if (!biasValues)
        continue;
      double steps = (*biasValues)[biasValues->size() == 1 ? 0 : c] / accScale;
      double rounded = num::roundHalfToEven(steps);
      // An integer bias in the accumulator's scale (a QLinearConv's int32 B)
      // comes back within double rounding; another bias has no float32 form.
      if (!std::isfinite(rounded) || std::fabs(rounded) > double(num::maxValue(32, true)) ||
          std::fabs(steps - rounded) > 1e-6 * std::max(1.0, std::fabs(rounded)))
        return scale.emitOpError() << "float32 requantization needs an integer bias in the "
                                      "accumulator's scale; channel "
                                   << c << "'s is " << steps << " steps";
      bias.push_back(int64_t(rounded));
      anyBias |= bias.back() != 0;
    }
    int64_t zeroPoint = quantizer.getZeroPoint(0);
    int64_t lo = quantizer.getMinValue(), hi = quantizer.getMaxValue();
    if (clamp) {
      lo = num::quantize(cast<FloatAttr>(clamp.getMin()).getValueAsDouble(), outScale, zeroPoint,
                         quantizer.getBits(), quantizer.getIsSigned());
      hi = num::quantize(cast<FloatAttr>(clamp.getMax()).getValueAsDouble(), outScale, zeroPoint,
                         quantizer.getBits(), quantizer.getIsSigned());
    }
    MLIRContext *context = scale.getContext();
    rewriter.setInsertionPoint(quantize);
    auto quantNorm = QuantNormOp::create(
        rewriter, quantize.getLoc(), quantize.getType(), scale.getInput(),
        makeFixedPoint(context, num::kFloat32MultiplierBits, multipliers, shifts,
                       RoundingMode::float32),
        anyBias ? DenseI64ArrayAttr::get(context, bias) : nullptr,
        rewriter.getI64IntegerAttr(zeroPoint),
        lo != quantizer.getMinValue() ? rewriter.getI64IntegerAttr(lo) : nullptr,
        hi != quantizer.getMaxValue() ? rewriter.getI64IntegerAttr(hi) : nullptr,
        quantizer.getIsSigned() ? nullptr : rewriter.getUnitAttr());
    rewriter.replaceOp(quantize, quantNorm.getOutput());
    if (clamp)
      rewriter.eraseOp(clamp);
    rewriter.eraseOp(scale);
    return success();
  }

  LogicalResult matchAndRewrite(ScaleOp scale, PatternRewriter &rewriter) const override {
    if (!isa<IntegerType>(scale.getInput().getType().getElementType()))
      return rewriter.notifyMatchFailure(scale, "real input");
    ClampOp clamp;
    QuantizeOp quantize = getQuantizeConsumer(scale.getOutput(), &clamp);
    if (!quantize) // nothing to fuse with; pike-verify-integer reports it
      return rewriter.notifyMatchFailure(scale, "no quantize to fuse with");
    QuantizerAttr quantizer = quantize.getQuantizer();
    double outScale = quantizer.getScale(0);
    int64_t zeroPoint = quantizer.getZeroPoint(0);
    RankedTensorType type = scale.getInput().getType();
    int64_t channelDim = type.getDimSize(type.getRank() - 1);
    size_t scaleCount = scale.getNumScales();
    std::optional<ArrayRef<double>> biasValues = scale.getBias();
    size_t channels = std::max<size_t>(scaleCount, biasValues ? biasValues->size() : 1);
    if (channels > 1 && ShapedType::isDynamic(channelDim))
      return scale.emitOpError("QuantNorm needs a static channel dimension");

    if (roundingMode == RoundingMode::float32 && isMacAccumulator(scale.getInput()) &&
        !isa<DoubleQuantScaleAttr>(scale.getScale()))
      return rewriteFloat32(scale, quantize, clamp, rewriter);

    std::optional<ChannelMultipliers> fixed;
    if (auto dq = dyn_cast<DoubleQuantScaleAttr>(scale.getScale()))
      fixed = fromDoubleQuant(dq, outScale, channels);
    if (!fixed) {
      fixed.emplace();
      fixed->bits = multiplierBits;
      for (size_t c = 0; c < channels; ++c) {
        double realScale = scale.getChannelScale(c);
        if (!(realScale > 0.0))
          return scale.emitOpError()
                 << "QuantNorm cannot represent channel " << c << "'s scale "
                 << realScale
                 << ": fixed-point multipliers are non-negative and non-zero";
        num::FixedPoint fp;
        std::string error;
        if (!num::toFixedPoint(realScale / outScale, multiplierBits, fp, error))
          return scale.emitOpError() << "QuantNorm cannot represent channel "
                                     << c << ": " << error;
        fixed->multipliers.push_back(fp.multiplier);
        fixed->shifts.push_back(fp.shift);
      }
    }

    // The bias in units of 2^-shift of the output scale.
    SmallVector<int64_t> bias;
    bool anyBias = false;
    int64_t biasLimit = num::maxValue(biasBits, /*isSigned=*/true);
    for (size_t c = 0; biasValues && c < channels; ++c) {
      double real = (*biasValues)[biasValues->size() == 1 ? 0 : c] / outScale;
      double scaled = std::ldexp(real, int(fixed->shifts[c]));
      double rounded = num::roundHalfToEven(scaled);
      if (!std::isfinite(rounded) || std::fabs(rounded) > double(biasLimit))
        return scale.emitOpError()
               << "QuantNorm bias of channel " << c << " (" << real
               << " output steps, " << rounded << " at shift "
               << fixed->shifts[c] << ") does not fit " << unsigned(biasBits) << " bits";
      bias.push_back(int64_t(rounded));
      anyBias |= bias.back() != 0;
    }

    // Quantization is monotone, so clipping before it is clipping after it.
    unsigned outBits = quantizer.getBits();
    bool isSigned = quantizer.getIsSigned();
    int64_t lo = quantizer.getMinValue(), hi = quantizer.getMaxValue();
    if (clamp) {
      auto clampLo = cast<FloatAttr>(clamp.getMin()).getValueAsDouble();
      auto clampHi = cast<FloatAttr>(clamp.getMax()).getValueAsDouble();
      lo = num::quantize(clampLo, outScale, zeroPoint, outBits, isSigned);
      hi = num::quantize(clampHi, outScale, zeroPoint, outBits, isSigned);
    }

    MLIRContext *context = scale.getContext();
    rewriter.setInsertionPoint(quantize);
    auto multiplier = makeFixedPoint(context, fixed->bits, fixed->multipliers,
                                     fixed->shifts, realRounding());
    auto quantNorm = QuantNormOp::create(
        rewriter, quantize.getLoc(), quantize.getType(), scale.getInput(),
        multiplier, anyBias ? DenseI64ArrayAttr::get(context, bias) : nullptr,
        rewriter.getI64IntegerAttr(zeroPoint),
        lo != quantizer.getMinValue() ? rewriter.getI64IntegerAttr(lo) : nullptr,
        hi != quantizer.getMaxValue() ? rewriter.getI64IntegerAttr(hi) : nullptr,
        isSigned ? nullptr : rewriter.getUnitAttr());
    if (report) {
      double worst = 0.0, sum = 0.0;
      size_t worstChannel = 0;
      for (size_t c = 0; c < channels; ++c) {
        double wanted = scale.getChannelScale(c) / outScale;
        double got = num::FixedPoint{fixed->multipliers[c], unsigned(fixed->shifts[c])}.value();
        double error = std::fabs(got - wanted) / wanted;
        sum += error;
        if (error > worst) {
          worst = error;
          worstChannel = c;
        }
      }
      quantNorm.emitRemark() << "QuantNorm with " << fixed->bits
                             << "-bit multipliers: worst relative scale error "
                             << worst << " (channel " << worstChannel << "), mean "
                             << sum / double(channels);
    }
    rewriter.replaceOp(quantize, quantNorm.getOutput());
    if (clamp)
      rewriter.eraseOp(clamp);
    rewriter.eraseOp(scale);
    return success();
  }

};

struct PikeQuantNormPass : public mlir::pike::impl::PikeQuantNormBase<PikeQuantNormPass> {
  using PikeQuantNormBase::PikeQuantNormBase;
  explicit PikeQuantNormPass(const RequantizeOverrides &given) {
    if (given.multiplierBits)
      multiplierBits = *given.multiplierBits;
    if (given.rounding)
      rounding = *given.rounding;
  }

  void runOnOperation() override {
    unsigned bits =
        resolveModelOption(getOperation(), multiplierBits, PikeDialect::QuantnormMultiplierBitsAttrHelper::getNameStr());
    if (!num::isValidMultiplierBits(bits) || biasBits < 2 || biasBits > 62) {
      getOperation()->emitError()
          << "pike-quantnorm: multiplier-bits must be in [2, 32] and bias-bits "
             "in [2, 62], got "
          << bits << " and " << unsigned(biasBits);
      return signalPassFailure();
    }
    RewritePatternSet patterns(&getContext());
    populatePikeQuantNormPatterns(patterns, {bits, biasBits, report,
                                             resolveRounding(getOperation(), rounding)});
    if (failed(applyPikePatterns(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void mlir::pike::populatePikeQuantNormPatterns(RewritePatternSet &patterns,
                                               const PikeQuantNormOptions &options) {
  patterns.add<ScaleToQuantNorm>(patterns.getContext(), options);
}

std::unique_ptr<Pass> mlir::pike::createPikeQuantNorm(const RequantizeOverrides &given) {
  return std::make_unique<PikeQuantNormPass>(given);
}
