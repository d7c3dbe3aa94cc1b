//===- MacOperands.cpp - Which MAC ops a kernel computes exactly ----------===//

#include "MacOperands.h"

#include "pike/Dialect/Pike/IR/PikeOps.h"
#include "pike/Numerics/FixedPoint.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"

#include <cstdlib>
#include <limits>

using namespace mlir;
using namespace mlir::pike;
using namespace mlir::pike::cpu;

namespace {

constexpr int64_t kMaxPackedWeights = int64_t(1) << 24;
/// Depthwise kernels unroll their taps.
constexpr int64_t kMaxDepthwiseTaps = 64;

/// The integers of a constant operand as the op reads them.
FailureOr<std::vector<int64_t>> constantInts(Value value, bool isUnsigned) {
  DenseIntElementsAttr attr;
  if (!value || !matchPattern(value, m_Constant(&attr)))
    return failure();
  std::vector<int64_t> ints;
  ints.reserve(attr.getNumElements());
  for (const APInt &v : attr.getValues<APInt>())
    ints.push_back(isUnsigned ? int64_t(v.getZExtValue()) : v.getSExtValue());
  return ints;
}

/// `op` applied to `value` (of at most 8 bits: no intermediate overflows)
/// in `channel` (its last channel if it has fewer).
int64_t requantizeValue(RequantizeOp op, size_t channel, int64_t value) {
  FixedPointAttr fp = op.getMultiplier();
  channel = std::min(channel, fp.getNumChannels() - 1);
  return numerics::requantize(value - op.getInputZp(), fp.getMultiplier(channel), 0,
                              fp.getShift(channel), toNumericsRounding(fp.getRounding()),
                              op.getOutputZp(), op.getClampMin(), op.getClampMax());
}

/// Whether `chain` (the input's requantize first) takes every value of its
/// last op's input to -1 or +1 (less `zp`) in every channel, those to -1
/// being the same values below a threshold in each: if so, records the
/// threshold in `mac`.
bool matchThreshold(ArrayRef<RequantizeOp> chain, int64_t zp, MacOperands &mac) {
  RequantizeOp first = chain.back();
  unsigned width = first.getInput().getType().getElementTypeBitWidth();
  if (width > 8)
    return false;
  for (size_t i = 0; i + 1 < chain.size(); ++i) {
    RequantizeOp reader = chain[i], writer = chain[i + 1];
    if (reader.getInputUnsigned() != writer.getOutputUnsigned())
      return false;
  }
  bool isUnsigned = first.getInputUnsigned();
  int64_t lo = numerics::minValue(width, !isUnsigned), hi = numerics::maxValue(width, !isUnsigned);
  size_t channels = 1;
  for (RequantizeOp op : chain)
    channels = std::max(channels, op.getMultiplier().getNumChannels());
  std::optional<std::vector<bool>> minusOnes;
  for (size_t c = 0; c < channels; ++c) {
    std::vector<bool> minus;
    for (int64_t x = lo; x <= hi; ++x) {
      int64_t value = x;
      for (RequantizeOp op : llvm::reverse(chain))
        value = requantizeValue(op, c, value);
      if (value - zp != 1 && value - zp != -1)
        return false;
      minus.push_back(value - zp == -1);
    }
    if (minusOnes && *minusOnes != minus)
      return false;
    minusOnes = std::move(minus);
  }
  // -1 exactly below the first +1, and neither everywhere nor nowhere.
  const std::vector<bool> &minus = *minusOnes;
  auto firstPlus = llvm::find(minus, false);
  if (firstPlus == minus.begin() || firstPlus == minus.end() ||
      std::find(firstPlus, minus.end(), true) != minus.end())
    return false;
  mac.bipolarThreshold = lo + (firstPlus - minus.begin());
  mac.bipolarSource = first.getInput();
  mac.bipolarSourceUnsigned = isUnsigned;
  return true;
}

/// Records in `mac` where its input's -1 and +1 come from, if they do from
/// a requantize chain matchThreshold accepts (the longest one).
void matchBipolarSource(Value input, int64_t zp, MacOperands &mac) {
  SmallVector<Operation *> reshapes;
  Value value = input;
  while (isa_and_nonnull<tensor::CollapseShapeOp, tensor::ExpandShapeOp, linalg::TransposeOp>(
      value.getDefiningOp())) {
    reshapes.push_back(value.getDefiningOp());
    value = value.getDefiningOp()->getOperand(0);
  }
  auto sign = value.getDefiningOp<RequantizeOp>();
  if (!sign || sign.getOutputUnsigned() != mac.inputUnsigned)
    return;
  SmallVector<RequantizeOp> chain = {sign};
  if (auto before = sign.getInput().getDefiningOp<RequantizeOp>())
    chain.push_back(before);
  for (size_t length = chain.size(); length > 0; --length)
    if (matchThreshold(ArrayRef(chain).take_front(length), zp, mac)) {
      mac.bipolarChain = reshapes;
      for (RequantizeOp op : ArrayRef(chain).take_front(length))
        mac.bipolarChain.push_back(op);
      return;
    }
}

LogicalResult fail(std::string &whyNot, const Twine &reason) {
  whyNot = reason.str();
  return failure();
}

template <typename OpTy>
LogicalResult matchCommon(OpTy op, MacOperands &mac, std::string &whyNot) {
  for (Type type : llvm::concat<Type>(op->getOperandTypes(), op->getResultTypes())) {
    auto shaped = cast<ShapedType>(type);
    if (!shaped.hasStaticShape())
      return fail(whyNot, "dynamic shape");
    std::optional<int64_t> elements = checkedNumElements(shaped);
    if (!elements)
      return fail(whyNot, "more than 2^62 elements");
    if (*elements == 0)
      return fail(whyNot, "empty tensor");
  }
  if (op.getInput().getType().getElementType().getIntOrFloatBitWidth() > 8)
    return fail(whyNot, "input wider than 8 bits");
  if (op.getWeight().getType().getElementType().getIntOrFloatBitWidth() > 8)
    return fail(whyNot, "weights wider than 8 bits");
  mac.accType = cast<IntegerType>(op.getOutput().getType().getElementType());
  if (mac.accType.getWidth() > 32)
    return fail(whyNot, "accumulator wider than 32 bits");
  mac.input = op.getInput();
  mac.inputBits =
      cast<RankedTensorType>(mac.input.getType()).getElementType().getIntOrFloatBitWidth();
  mac.inputUnsigned = op.getInputUnsigned();
  mac.inputZp = op.getInputZp();
  int64_t zpLow = mac.inputUnsigned ? 0 : -128, zpHigh = mac.inputUnsigned ? 255 : 127;
  if (mac.inputZp < zpLow || mac.inputZp > zpHigh)
    return fail(whyNot, "input zero point outside the input type");
  // Packing reads every weight at compile time: bound the work (a splat
  // constant can describe any size).
  if (op.getWeight().getType().getNumElements() > kMaxPackedWeights)
    return fail(whyNot, "more than " + Twine(kMaxPackedWeights) + " weights to pack");
  FailureOr<std::vector<int64_t>> weights =
      constantInts(op.getWeight(), op.getWeightUnsigned());
  if (failed(weights))
    return fail(whyNot, "weights are not a constant");
  for (int64_t w : *weights) {
    int64_t centered = w - int64_t(op.getWeightZp());
    if (centered < -128 || centered > 127)
      return fail(whyNot, "a centered weight does not fit in 8 bits");
    mac.weights.push_back(int8_t(centered));
  }
  int64_t filters = op.getWeight().getType().getDimSize(0);
  mac.bias.assign(filters, 0);
  if (Value bias = op.getBias()) {
    FailureOr<std::vector<int64_t>> values = constantInts(bias, /*isUnsigned=*/false);
    if (failed(values))
      return fail(whyNot, "bias is not a constant");
    mac.bias = *values;
  }
  mac.filters = filters;
  matchBipolarSource(mac.input, mac.inputZp, mac);
  return success();
}

} // namespace

FailureOr<MacOperands> mlir::pike::cpu::matchMacOperands(Operation *op,
                                                         const CpuTargetInfo &target,
                                                         std::string &whyNot) {
  MacOperands mac;
  if (auto conv = dyn_cast<Conv2DOp>(op)) {
    if (failed(matchCommon(conv, mac, whyNot)))
      return failure();
    ArrayRef<int64_t> in = conv.getInput().getType().getShape();
    ArrayRef<int64_t> w = conv.getWeight().getType().getShape();
    ArrayRef<int64_t> out = conv.getOutput().getType().getShape();
    mac.batch = in[0], mac.height = in[1], mac.width = in[2], mac.channels = in[3];
    mac.groups = conv.getGroups();
    if (mac.isDepthwise() && w[1] * w[2] > kMaxDepthwiseTaps)
      return fail(whyNot, "depthwise window of more than " + Twine(kMaxDepthwiseTaps) + " taps");
    // A filter vector of a grouped convolution packs the channels of every
    // group its filters meet: with fewer than a vector of filters per group, more
    // bytes than the op has weights.
    int64_t groupFilters = w[0] / mac.groups, packed = 0;
    int64_t lanes = target.lanes();
    for (int64_t f = 0; f < w[0] && !mac.isDepthwise(); f += lanes) {
      int64_t groupsMet = (std::min(f + lanes, w[0]) - 1) / groupFilters - f / groupFilters + 1;
      packed += lanes * w[1] * w[2] * llvm::alignTo(groupsMet * w[3], 8);
    }
    if (packed > kMaxPackedWeights)
      return fail(whyNot, "more than " + Twine(kMaxPackedWeights) + " bytes of packed weights");
    mac.kernelH = w[1], mac.kernelW = w[2];
    mac.outH = out[1], mac.outW = out[2];
    mac.strides.assign(conv.getStrides().begin(), conv.getStrides().end());
    mac.dilations.assign(conv.getDilations().begin(), conv.getDilations().end());
    mac.padding.assign(conv.getPadding().begin(), conv.getPadding().end());
    return mac;
  }
  auto fc = cast<FullyConnectedOp>(op);
  if (failed(matchCommon(fc, mac, whyNot)))
    return failure();
  ArrayRef<int64_t> in = fc.getInput().getType().getShape();
  // [M, K] rows are the pixels of a 1x1 convolution over [1, 1, M, K].
  mac.batch = 1, mac.height = 1, mac.width = in[0], mac.channels = in[1];
  mac.kernelH = mac.kernelW = 1;
  mac.outH = 1, mac.outW = in[0];
  mac.strides = {1, 1};
  mac.dilations = {1, 1};
  mac.padding = {0, 0, 0, 0};
  return mac;
}

SmallVector<int64_t> mlir::pike::cpu::accumulatorBounds(const MacOperands &mac) {
  int64_t lo = numerics::minValue(mac.inputBits, !mac.inputUnsigned) - mac.inputZp;
  int64_t hi = numerics::maxValue(mac.inputBits, !mac.inputUnsigned) - mac.inputZp;
  __int128 input = std::max(std::abs(lo), std::abs(hi));
  int64_t perFilter = int64_t(mac.weights.size()) / mac.filters;
  SmallVector<int64_t> bounds;
  for (int64_t f = 0; f < mac.filters; ++f) {
    __int128 sum = 0;
    for (int64_t i = f * perFilter; i < (f + 1) * perFilter; ++i)
      sum += std::abs(int64_t(mac.weights[i]));
    __int128 bound = input * sum + std::abs(__int128(mac.bias[f]));
    bounds.push_back(int64_t(std::min<__int128>(bound, std::numeric_limits<int64_t>::max())));
  }
  return bounds;
}
