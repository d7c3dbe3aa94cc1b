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

/// Whether `scale`'s channel `c` followed by `quantize` (a floor to a signed
/// bit) gives -1 for accumulator `acc`: the arithmetic of their lowering in
/// the real type `Real` (an int-to-real conversion, a product and a sum,
/// then a division), so -0 is not negative, nor is a NaN sum (the quantize
/// takes it to its zero point).
template <typename Real>
bool signIsNegative(int64_t acc, double scale, std::optional<double> bias, double outScale) {
  Real value = Real(acc) * Real(scale);
  if (bias)
    value = value + Real(*bias);
  return value / Real(outScale) < Real(0);
}

/// The sign of a BipolarQuant after a batch norm, as one threshold per
/// channel (FINN's thresholds): scale (positive) then floor to a signed bit
/// is -1 exactly below some accumulator T_c, the products and sums being
/// monotone in it; a QuantNorm by exactly 1 (4 >> 2) with bias -4 T_c,
/// clamped to [-1, 0], gives the same bits. Searches T_c over the accumulator's range
/// with the lowering's own real arithmetic (float32 or float64).
LogicalResult rewriteSignThresholds(ScaleOp scale, QuantizeOp quantize, PatternRewriter &rewriter) {
  QuantizerAttr out = quantize.getQuantizer();
  auto real = dyn_cast<FloatType>(scale.getOutput().getType().getElementType());
  auto acc = dyn_cast<IntegerType>(scale.getInput().getType().getElementType());
  if (!real || !(real.isF32() || real.isF64()) || !acc || acc.getWidth() > 32 ||
      !scale.getOutput().hasOneUse())
    return rewriter.notifyMatchFailure(quantize, "not the sign of a scaled accumulator");
  RankedTensorType type = scale.getInput().getType();
  int64_t channelDim = type.getDimSize(type.getRank() - 1);
  std::optional<ArrayRef<double>> biasValues = scale.getBias();
  size_t channels = std::max<size_t>(scale.getNumScales(), biasValues ? biasValues->size() : 1);
  if (channels > 1 && ShapedType::isDynamic(channelDim))
    return rewriter.notifyMatchFailure(quantize, "dynamic channels");
  // An output scale that is 0 or infinite in the real type makes the
  // division NaN for some accumulators, which the floor takes to -1 however
  // they compare: no threshold gives that.
  double outScale = out.getScale(0);
  if (!(real.isF32() ? std::isnormal(float(outScale)) : std::isnormal(outScale)))
    return rewriter.notifyMatchFailure(quantize, "an output scale that is not normal");
  int64_t lo = num::minValue(acc.getWidth(), true), hi = num::maxValue(acc.getWidth(), true);
  SmallVector<int64_t> bias;
  for (size_t c = 0; c < channels; ++c) {
    double channelScale = scale.getChannelScale(scale.getNumScales() == 1 ? 0 : c);
    std::optional<double> channelBias;
    if (biasValues)
      channelBias = (*biasValues)[biasValues->size() == 1 ? 0 : c];
    // A scale that is negative (or rounds to 0) gives no threshold from below.
    if (!(real.isF32() ? float(channelScale) > 0 : channelScale > 0))
      return rewriter.notifyMatchFailure(quantize, "a scale that is not positive");
    auto negative = [&](int64_t x) {
      return real.isF32() ? signIsNegative<float>(x, channelScale, channelBias, outScale)
                          : signIsNegative<double>(x, channelScale, channelBias, outScale);
    };
    // The first accumulator that is not negative, hi + 1 if none is.
    int64_t first = lo, last = hi + 1;
    while (first < last) {
      int64_t middle = first + (last - first) / 2;
      if (negative(middle))
        first = middle + 1;
      else
        last = middle;
    }
    // (acc * 4 - 4 T) >> 2 = acc - T exactly: -1 after the clamp iff acc < T.
    bias.push_back(-4 * first);
  }
  MLIRContext *context = scale.getContext();
  rewriter.setInsertionPoint(quantize);
  auto sign =
      QuantNormOp::create(rewriter, quantize.getLoc(), quantize.getType(), scale.getInput(),
                          makeFixedPoint(context, 32, {4}, {2}, RoundingMode::single_round),
                          DenseI64ArrayAttr::get(context, bias), rewriter.getI64IntegerAttr(0),
                          /*min=*/nullptr, /*max=*/nullptr, /*output_unsigned=*/nullptr);
  rewriter.replaceOp(quantize, sign.getOutput());
  rewriter.eraseOp(scale);
  return success();
}

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
    if (scale.getOutput().hasOneUse())
      if (auto sign = dyn_cast<QuantizeOp>(*scale.getOutput().getUsers().begin());
          sign && isSignQuantize(sign))
        return rewriteSignThresholds(scale, sign, rewriter);
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
