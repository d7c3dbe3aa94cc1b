//===- FoldBatchNorm.cpp - Fold batch-norm into per-channel scale and bias ===//

#include "pike/Dialect/Pike/Transforms/Passes.h"

#include "TransformUtils.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "pike/Numerics/FixedPoint.h"

#include <algorithm>
#include <cmath>

namespace mlir::pike {
#define GEN_PASS_DEF_PIKEFOLDBATCHNORM
#include "pike/Dialect/Pike/Transforms/Passes.h.inc"
} // namespace mlir::pike

using namespace mlir;
using namespace mlir::pike;

namespace {

/// The integer layer (conv2d or fully_connected) whose accumulator `value` is.
Operation *getMacProducer(Value value) {
  Operation *op = value.getDefiningOp();
  if (isa_and_nonnull<Conv2DOp, FullyConnectedOp>(op))
    return op;
  return nullptr;
}

/// Negates those of output channels `channels` of the constant weights (and
/// integer bias) of `mac` for which that is exact, and returns them. The
/// channel is dimension 0 of both weight layouts.
SmallVector<int64_t> negateChannels(RewriterBase &rewriter, Operation *mac,
                                    ArrayRef<int64_t> channels) {
  bool weightUnsigned, hasZeroWeightZp;
  Value weight, bias;
  if (auto conv = dyn_cast<Conv2DOp>(mac)) {
    weightUnsigned = conv.getWeightUnsigned();
    hasZeroWeightZp = conv.getWeightZp() == 0;
    weight = conv.getWeight();
    bias = conv.getBias();
  } else {
    auto fc = cast<FullyConnectedOp>(mac);
    weightUnsigned = fc.getWeightUnsigned();
    hasZeroWeightZp = fc.getWeightZp() == 0;
    weight = fc.getWeight();
    bias = fc.getBias();
  }
  DenseIntElementsAttr weights, biases;
  if (weightUnsigned || !hasZeroWeightZp ||
      !matchPattern(weight, m_Constant(&weights)))
    return {};
  if (bias && !matchPattern(bias, m_Constant(&biases)))
    return {};
  auto weightType = cast<RankedTensorType>(weights.getType());
  unsigned bits = weightType.getElementTypeBitWidth();
  int64_t lowest = ::mlir::pike::numerics::minValue(bits, /*isSigned=*/true);
  int64_t perChannel = weightType.getNumElements() / weightType.getDimSize(0);
  SmallVector<APInt> newWeights;
  for (const APInt &value : weights.getValues<APInt>())
    newWeights.push_back(value.sextOrTrunc(bits));
  SmallVector<int64_t> negated;
  for (int64_t channel : channels) {
    auto begin = newWeights.begin() + channel * perChannel;
    // -(-2^(b-1)) does not fit: such a channel keeps its sign.
    if (std::any_of(begin, begin + perChannel, [&](const APInt &value) {
          return value.getSExtValue() == lowest;
        }))
      continue;
    for (auto it = begin; it != begin + perChannel; ++it)
      *it = APInt(bits, uint64_t(-it->getSExtValue()), /*isSigned=*/true);
    negated.push_back(channel);
  }
  if (negated.empty())
    return {};
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(mac);
  Value newWeight = arith::ConstantOp::create(
      rewriter, weight.getLoc(), DenseIntElementsAttr::get(weightType, newWeights));
  rewriter.modifyOpInPlace(mac, [&] { mac->setOperand(1, newWeight); });
  if (bias) {
    SmallVector<APInt> newBiases(biases.getValues<APInt>());
    for (int64_t channel : negated)
      newBiases[channel].negate();
    Value newBias = arith::ConstantOp::create(
        rewriter, bias.getLoc(),
        DenseIntElementsAttr::get(cast<ShapedType>(biases.getType()), newBiases));
    rewriter.modifyOpInPlace(mac, [&] { mac->setOperand(2, newBias); });
  }
  return negated;
}

/// Folds one batch-norm with constant parameters into the scale before it.
struct FoldBatchNormIntoScale : public OpRewritePattern<BatchNormOp> {
  FoldBatchNormIntoScale(MLIRContext *context, PikeFoldBatchNormOptions options)
      : OpRewritePattern(context), options(options) {}

  LogicalResult matchAndRewrite(BatchNormOp bn, PatternRewriter &rewriter) const override {
    auto gamma = getConstantReals(bn.getScale());
    auto beta = getConstantReals(bn.getOffset());
    auto mean = getConstantReals(bn.getMean());
    auto variance = getConstantReals(bn.getVariance());
    if (!gamma || !beta || !mean || !variance)
      // Not foldable; pike-verify-integer reports it.
      return rewriter.notifyMatchFailure(bn, "parameters are not constant");
    size_t channels = gamma->size();
    double epsilon = bn.getEpsilon().convertToDouble();
    SmallVector<double> k(channels);
    for (size_t c = 0; c < channels; ++c) {
      double denominator = (*variance)[c] + epsilon;
      if (!(denominator > 0.0) || !std::isfinite(denominator))
        return bn.emitOpError() << "cannot fold: channel " << c
                                << " has variance + epsilon = " << denominator
                                << ", which has no real square root";
      k[c] = (*gamma)[c] / std::sqrt(denominator);
      if (!std::isfinite(k[c]))
        return bn.emitOpError() << "cannot fold: channel " << c
                                << " has a non-finite scale " << k[c];
    }

    Value input = bn.getInput();
    SmallVector<double> scale(channels), bias(channels);
    auto producer = input.getDefiningOp<ScaleOp>();
    for (size_t c = 0; c < channels; ++c) {
      double inScale = producer ? producer.getChannelScale(c) : 1.0;
      double inBias = 0.0;
      if (producer && producer.getBias())
        inBias = (*producer.getBias())[producer.getBias()->size() == 1 ? 0 : c];
      scale[c] = inScale * k[c];
      bias[c] = (inBias - (*mean)[c]) * k[c] + (*beta)[c];
    }
    Value newInput = producer ? producer.getInput() : input;

    if (options.foldSignIntoWeights && producer) {
      SmallVector<int64_t> negative;
      for (size_t c = 0; c < channels; ++c)
        if (scale[c] < 0.0)
          negative.push_back(int64_t(c));
      Operation *mac = getMacProducer(newInput);
      if (!negative.empty() && mac && newInput.hasOneUse())
        for (int64_t c : negateChannels(rewriter, mac, negative))
          scale[c] = -scale[c];
    }

    rewriter.setInsertionPoint(bn);
    MLIRContext *context = bn.getContext();
    auto folded = ScaleOp::create(rewriter, bn.getLoc(), bn.getType(), newInput,
                                  DenseF64ArrayAttr::get(context, scale),
                                  DenseF64ArrayAttr::get(context, bias));
    rewriter.replaceOp(bn, folded.getOutput());
    if (producer && producer->use_empty())
      rewriter.eraseOp(producer);
    return success();
  }

  PikeFoldBatchNormOptions options;
};

struct PikeFoldBatchNormPass
    : public mlir::pike::impl::PikeFoldBatchNormBase<PikeFoldBatchNormPass> {
  using PikeFoldBatchNormBase::PikeFoldBatchNormBase;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populatePikeFoldBatchNormPatterns(patterns, {foldSignIntoWeights});
    if (failed(applyPikePatterns(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void mlir::pike::populatePikeFoldBatchNormPatterns(RewritePatternSet &patterns,
                                                   const PikeFoldBatchNormOptions &options) {
  patterns.add<FoldBatchNormIntoScale>(patterns.getContext(), options);
}
