//===- AccumulatorBounds.cpp - What a MAC op's accumulator can hold -------===//

#include "pike/Dialect/Pike/IR/AccumulatorBounds.h"

#include "PikeVerifyUtils.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"
#include "pike/Dialect/Pike/IR/PikeOps.h"

#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::pike;
using namespace mlir::pike::detail;
using numerics::IntRange;

namespace {

/// What conv2d, fully_connected and batch_matmul share for the bound.
struct MacView {
  Value input, weight, bias;
  int64_t inputZp, weightZp;
  bool inputUnsigned, weightUnsigned;
  int64_t terms; // products per output
  // The weights are [channels, terms] in memory (conv2d, fully_connected),
  // which the per-channel bounds read; batch_matmul's rhs is [..., K, N].
  bool channelMajor = true;
};

std::optional<MacView> viewOf(Operation *op) {
  return llvm::TypeSwitch<Operation *, std::optional<MacView>>(op)
      .Case([](Conv2DOp conv) -> std::optional<MacView> {
        RankedTensorType w = conv.getWeight().getType();
        if (!w.hasStaticShape())
          return std::nullopt;
        return MacView{conv.getInput(), conv.getWeight(), conv.getBias(),
                       int64_t(conv.getInputZp()), int64_t(conv.getWeightZp()),
                       conv.getInputUnsigned(),
                       conv.getWeightUnsigned(),
                       w.getDimSize(1) * w.getDimSize(2) * w.getDimSize(3)};
      })
      .Case([](FullyConnectedOp fc) -> std::optional<MacView> {
        RankedTensorType w = fc.getWeight().getType();
        if (!w.hasStaticShape())
          return std::nullopt;
        return MacView{fc.getInput(), fc.getWeight(), fc.getBias(),
                       int64_t(fc.getInputZp()), int64_t(fc.getWeightZp()),
                       fc.getInputUnsigned(),
                       fc.getWeightUnsigned(), w.getDimSize(1)};
      })
      .Case([](BatchMatmulOp mm) -> std::optional<MacView> {
        RankedTensorType lhs = mm.getLhs().getType();
        int64_t k = lhs.getDimSize(lhs.getRank() - 1);
        if (ShapedType::isDynamic(k))
          return std::nullopt;
        return MacView{mm.getLhs(), mm.getRhs(), Value(),
                       int64_t(mm.getLhsZp()), int64_t(mm.getRhsZp()),
                       mm.getLhsUnsigned(), mm.getRhsUnsigned(), k,
                       /*channelMajor=*/false};
      })
      .Default([](Operation *) { return std::nullopt; });
}

/// Weight-aware bounds read at most this many weights of a non-splat
/// constant.
constexpr int64_t kMaxWeightsRead = int64_t(1) << 26;

/// The values of a constant integer tensor read with `isUnsigned`.
std::optional<SmallVector<int64_t>> constantValues(Value value, bool isUnsigned) {
  DenseIntElementsAttr elements;
  if (!value || !matchPattern(value, m_Constant(&elements)))
    return std::nullopt;
  SmallVector<int64_t> values;
  values.reserve(elements.getNumElements());
  for (const APInt &element : elements)
    values.push_back(isUnsigned ? int64_t(element.getZExtValue()) : element.getSExtValue());
  return values;
}

} // namespace

std::optional<IntRange> AccumulatorBounds::weightAware() const {
  if (!perChannel || perChannel->empty())
    return std::nullopt;
  IntRange hull = perChannel->front();
  for (const IntRange &range : *perChannel)
    hull = hull.hull(range);
  return hull;
}

std::optional<AccumulatorBounds> mlir::pike::computeAccumulatorBounds(Operation *op,
                                                                      bool withWeights) {
  std::optional<MacView> mac = viewOf(op);
  if (!mac)
    return std::nullopt;
  Type inElement = cast<ShapedType>(mac->input.getType()).getElementType();
  Type wElement = cast<ShapedType>(mac->weight.getType()).getElementType();
  IntRange x = operandRange(inElement, mac->inputUnsigned, mac->inputZp);
  IntRange w = operandRange(wElement, mac->weightUnsigned, mac->weightZp);

  AccumulatorBounds bounds;
  std::optional<SmallVector<int64_t>> biases;
  if (mac->bias) {
    biases = constantValues(mac->bias, /*isUnsigned=*/false);
    bounds.biasKnown = biases.has_value();
  }
  bounds.worstCase = (x * w).sumOf(mac->terms);
  if (biases && !biases->empty()) {
    IntRange biasRange = IntRange::point(biases->front());
    for (int64_t b : *biases)
      biasRange = biasRange.hull(IntRange::point(b));
    bounds.worstCase = bounds.worstCase + biasRange;
  }

  if (!withWeights || mac->terms <= 0 || !mac->channelMajor)
    return bounds;
  DenseIntElementsAttr weightAttr;
  if (!matchPattern(mac->weight, m_Constant(&weightAttr)))
    return bounds;
  int64_t count = weightAttr.getNumElements();
  // A splat is the same weight everywhere: one channel's sums serve all, in
  // O(channels) however large the tensor it describes. Other constants this
  // large are not read (the worst case still bounds them).
  bool splat = weightAttr.isSplat();
  if (!splat && count > kMaxWeightsRead)
    return bounds;
  std::optional<SmallVector<int64_t>> weights;
  if (!splat)
    weights = constantValues(mac->weight, mac->weightUnsigned);
  auto weightAt = [&](int64_t index) -> IntRange::Wide {
    if (!splat)
      return (*weights)[index];
    const APInt &v = weightAttr.getSplatValue<APInt>();
    return mac->weightUnsigned ? IntRange::Wide(v.getZExtValue()) : IntRange::Wide(v.getSExtValue());
  };
  int64_t channels = count / mac->terms;
  SmallVector<IntRange> perChannel;
  perChannel.reserve(channels);
  for (int64_t c = 0; c < channels; ++c) {
    // Each input element varies on its own: the positive centered weights
    // (sum P) and the negative ones (sum N) reach [P*lo + N*hi, P*hi + N*lo].
    IntRange::Wide positive = 0, negative = 0;
    if (splat) {
      IntRange::Wide value = weightAt(0) - mac->weightZp;
      (value > 0 ? positive : negative) = value * mac->terms;
    } else {
      for (int64_t k = 0; k < mac->terms; ++k) {
        IntRange::Wide value = weightAt(c * mac->terms + k) - mac->weightZp;
        (value > 0 ? positive : negative) += value;
      }
    }
    IntRange range = IntRange::point(positive) * x + IntRange::point(negative) * x;
    if (biases && !biases->empty())
      range = range + IntRange::point((*biases)[biases->size() == 1 ? 0 : c]);
    perChannel.push_back(range);
  }
  bounds.perChannel = std::move(perChannel);
  return bounds;
}
