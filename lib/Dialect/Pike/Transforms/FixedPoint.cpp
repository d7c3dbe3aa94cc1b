//===- FixedPoint.cpp - Real rescales between quantizers to fixed point ---===//

#include "pike/Dialect/Pike/Transforms/Passes.h"

#include "TransformUtils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "pike/Numerics/Activation.h"
#include "pike/Numerics/FixedPoint.h"

namespace mlir::pike {
#define GEN_PASS_DEF_PIKEFIXEDPOINT
#include "pike/Dialect/Pike/Transforms/Passes.h.inc"
} // namespace mlir::pike

using namespace mlir;
using namespace mlir::pike;
namespace num = ::mlir::pike::numerics;

namespace {

/// Integer forms of a quantize and the real ops between it and the
/// quantizers before it.
struct QuantizeToFixedPoint : public OpRewritePattern<QuantizeOp> {
  QuantizeToFixedPoint(MLIRContext *context, PikeFixedPointOptions options)
      : OpRewritePattern(context), multiplierBits(options.multiplierBits),
        roundingMode(options.rounding == RoundingMode::float32 ? RoundingMode::half_even
                                                               : options.rounding),
        accumulatorRounding(options.rounding) {}

  unsigned multiplierBits;
  /// The rounding of every rescale; float32 reproduces a runtime's
  /// accumulator requantization only, and the rest round half to even.
  RoundingMode roundingMode;
  /// The rounding of a MAC accumulator's requantization.
  RoundingMode accumulatorRounding;

  FailureOr<num::FixedPoint> toFixed(Operation *op, double ratio,
                                     StringRef what) const {
    num::FixedPoint fp;
    std::string error;
    if (!num::toFixedPoint(ratio, multiplierBits, fp, error)) {
      op->emitOpError() << "cannot make " << what << " fixed point: " << error;
      return failure();
    }
    return fp;
  }

  /// onnxruntime's float32 scale of a MAC accumulator (float32 rounding).
  FailureOr<num::FixedPoint> toFloat32Fixed(Operation *op, double in, double out) const {
    num::FixedPoint fp;
    std::string error;
    if (!num::toFloat32FixedPoint(in, out, fp, error)) {
      op->emitOpError() << "cannot make the rescale a float32 fixed point: " << error;
      return failure();
    }
    return fp;
  }

  /// Replaces `quantize` by its integer form `result` and erases the real
  /// ops it came from (`real`, in order), then the dequantizes left unused.
  static void replaceRealChain(PatternRewriter &rewriter, QuantizeOp quantize, Value result,
                               ArrayRef<Operation *> real, ArrayRef<DequantizeOp> inputs) {
    rewriter.replaceOp(quantize, result);
    for (Operation *op : real)
      if (op)
        rewriter.eraseOp(op);
    for (DequantizeOp dequantize : inputs)
      if (dequantize->use_empty())
        rewriter.eraseOp(dequantize);
  }

  /// `ints` (quantized by `in`) requantized to `out`: pike.requantize, or
  /// `ints` itself when the quantizers are equal.
  FailureOr<Value> buildRequantize(PatternRewriter &rewriter, Operation *anchor, Value ints,
                                   QuantizerAttr in, QuantizerAttr out,
                                   Type outType) const {
    if (in == out)
      return ints;
    auto type = cast<RankedTensorType>(ints.getType());
    if (out.isPerChannel() || (in.getZeroPoints() && in.isPerChannel() &&
                               !llvm::all_equal(in.getZeroPoints().asArrayRef())))
      return rewriter.notifyMatchFailure(anchor, "per-channel output or zero points");
    if (in.isPerChannel() && *in.getAxis() != type.getRank() - 1)
      return rewriter.notifyMatchFailure(anchor, "requantize scales the last dimension only");
    bool asFloat32 = accumulatorRounding == RoundingMode::float32 && isMacAccumulator(ints);
    SmallVector<int64_t> multipliers, shifts;
    for (size_t c = 0, e = in.getScales().size(); c < e; ++c) {
      FailureOr<num::FixedPoint> fp =
          asFloat32 ? toFloat32Fixed(anchor, in.getScale(c), out.getScale(0))
                    : toFixed(anchor, in.getScale(c) / out.getScale(0), "the rescale");
      if (failed(fp))
        return failure();
      multipliers.push_back(fp->multiplier);
      shifts.push_back(fp->shift);
    }
    return RequantizeOp::create(
               rewriter, anchor->getLoc(), outType, ints,
               asFloat32 ? makeFixedPoint(anchor->getContext(), num::kFloat32MultiplierBits,
                                          multipliers, shifts, RoundingMode::float32)
                         : makeFixedPoint(anchor->getContext(), multiplierBits, multipliers,
                                          shifts, roundingMode),
               in.getZeroPoint(0), out.getZeroPoint(0), !in.getIsSigned(),
               !out.getIsSigned(), /*min=*/nullptr, /*max=*/nullptr)
        .getOutput();
  }

  /// quantize(dequantize(q)) to a signed bit with floor rounding and zero
  /// point 0 (BipolarQuant's sign, as imported) -> an integer clamp of
  /// q - zp to [-1, 0]: floor(x / s) is -1 or less exactly when x < 0, that
  /// is q < zp, and 0 or more otherwise (the scales are positive) — unless
  /// (q - zp) * s_in / s rounds to -0 in the real type, whose floor is 0,
  /// as it does when s_in / s is tiny or s infinite there: taken only where
  /// both scales are finite in the real type and s_in and s_in / s normal.
  LogicalResult rewriteSign(PatternRewriter &rewriter, QuantizeOp quantize,
                            DequantizeOp dequantize) const {
    QuantizerAttr in = dequantize.getQuantizer(), out = quantize.getQuantizer();
    bool oneZeroPoint = true;
    for (size_t c = 1, e = in.getScales().size(); c < e; ++c)
      oneZeroPoint &= in.getZeroPoint(c) == in.getZeroPoint(0);
    if (!oneZeroPoint)
      return rewriter.notifyMatchFailure(quantize, "not the sign of one zero point's values");
    const llvm::fltSemantics &real =
        cast<FloatType>(getElementTypeOrSelf(dequantize.getType())).getFloatSemantics();
    double smallestNormal = llvm::APFloat::getSmallestNormalized(real).convertToDouble();
    double largest = llvm::APFloat::getLargest(real).convertToDouble();
    bool normalSteps = out.getScale(0) <= largest;
    for (size_t c = 0, e = in.getScales().size(); c < e; ++c)
      normalSteps &= in.getScale(c) <= largest && in.getScale(c) >= smallestNormal &&
                     in.getScale(c) / out.getScale(0) >= smallestNormal;
    if (!normalSteps)
      return rewriter.notifyMatchFailure(quantize, "a step may round to -0");
    rewriter.setInsertionPoint(quantize);
    // round((q - zp) * 2^30 >> 30) is q - zp in every rounding mode.
    Value sign = RequantizeOp::create(
        rewriter, quantize.getLoc(), quantize.getType(), dequantize.getInput(),
        makeFixedPoint(quantize.getContext(), 32, {int64_t(1) << 30}, {30},
                       RoundingMode::single_round),
        in.getZeroPoint(0), /*output_zp=*/0, !in.getIsSigned(), /*output_unsigned=*/false,
        /*min=*/nullptr, /*max=*/nullptr);
    rewriter.replaceOp(quantize, sign);
    if (dequantize->use_empty())
      rewriter.eraseOp(dequantize);
    return success();
  }

  /// quantize(dequantize(x)) -> requantize(x).
  LogicalResult rewriteRequantize(PatternRewriter &rewriter, QuantizeOp quantize,
                                  DequantizeOp dequantize) const {
    rewriter.setInsertionPoint(quantize);
    FailureOr<Value> result =
        buildRequantize(rewriter, quantize, dequantize.getInput(), dequantize.getQuantizer(),
                        quantize.getQuantizer(), quantize.getType());
    if (failed(result))
      return failure();
    rewriter.replaceOp(quantize, *result);
    if (dequantize->use_empty())
      rewriter.eraseOp(dequantize);
    return success();
  }

  /// An integer clamp of `value` (quantized by `out`) to the quantized real
  /// bounds of `clamp`, or `value` when they do not narrow its range.
  /// A real clamp's bounds on `out`'s integers.
  static std::pair<int64_t, int64_t> quantizedBounds(ClampOp clamp, QuantizerAttr out) {
    auto at = [&](Attribute bound) {
      return num::quantize(cast<FloatAttr>(bound).getValueAsDouble(), out.getScale(0),
                           out.getZeroPoint(0), out.getBits(), out.getIsSigned());
    };
    return {at(clamp.getMin()), at(clamp.getMax())};
  }

  /// Whether a clamp leaves every integer of `out` as it is.
  static bool clampsNothing(ClampOp clamp, QuantizerAttr out) {
    auto [lo, hi] = quantizedBounds(clamp, out);
    return lo <= out.getMinValue() && hi >= out.getMaxValue();
  }

  Value clampQuantized(PatternRewriter &rewriter, ClampOp clamp, Value value,
                       QuantizerAttr out) const {
    if (clampsNothing(clamp, out))
      return value;
    auto [lo, hi] = quantizedBounds(clamp, out);
    return ClampOp::create(rewriter, clamp.getLoc(), value.getType(), value,
                           rewriter.getI64IntegerAttr(lo), rewriter.getI64IntegerAttr(hi),
                           out.getIsSigned() ? nullptr : rewriter.getUnitAttr());
  }

  /// quantize(clamp(dequantize(x))) -> [requantize] + integer clamp: the
  /// quantization is monotone, so clipping before or after it agrees.
  LogicalResult rewriteClamp(PatternRewriter &rewriter, QuantizeOp quantize, ClampOp clamp,
                             DequantizeOp dequantize) const {
    QuantizerAttr out = quantize.getQuantizer();
    if (out.isPerChannel() || !clamp->hasOneUse() || !isa<FloatAttr>(clamp.getMin()))
      return rewriter.notifyMatchFailure(quantize, "not a per-tensor clamp of reals");
    rewriter.setInsertionPoint(quantize);
    FailureOr<Value> ints = buildRequantize(rewriter, quantize, dequantize.getInput(),
                                            dequantize.getQuantizer(), out, quantize.getType());
    if (failed(ints))
      return failure();
    rewriter.replaceOp(quantize, clampQuantized(rewriter, clamp, *ints, out));
    rewriter.eraseOp(clamp);
    if (dequantize->use_empty())
      rewriter.eraseOp(dequantize);
    return success();
  }

  /// Whether `operand`, as the add reads it, repeats along output axis
  /// `axis` (a linalg.broadcast the importer wrote for ONNX broadcasting).
  static bool repeatsAlong(Value operand, int64_t axis) {
    auto broadcast = operand.getDefiningOp<linalg::BroadcastOp>();
    return broadcast && llvm::is_contained(broadcast.getDimensions(), axis);
  }

  /// onnxruntime's QLinearAdd as an add's operand order and float32 scales.
  struct QLinearAddPlan {
    bool swap;
    num::FixedPoint lhs, rhs;
  };

  /// Whether the float32 rounding makes this add onnxruntime's QLinearAdd,
  /// and how (docs/Numerics.md): onnxruntime fuses a QDQ add into
  /// QLinearAdd for one 8-bit type throughout and no clipping in between (a
  /// Relu or Clip that clips keeps its float graph), with ratios a float32
  /// fixed point holds exactly. MLAS's kernel takes an operand repeated
  /// along the innermost axis of size above 1 as a scalar, which gives the
  /// general formula with that operand second: `swap` when the lhs is that
  /// operand. The scales are in the planned order.
  std::optional<QLinearAddPlan> planQLinearAdd(Value lhs, QuantizerAttr lq, QuantizerAttr rq,
                                               QuantizerAttr out, ClampOp clamp,
                                               RankedTensorType type) const {
    if (accumulatorRounding != RoundingMode::float32 || out.getBits() != 8 ||
        lq.getBits() != 8 || rq.getBits() != 8 || lq.getIsSigned() != out.getIsSigned() ||
        rq.getIsSigned() != out.getIsSigned() || !type.hasStaticShape() ||
        (clamp && !clampsNothing(clamp, out)))
      return std::nullopt;
    auto exactScale = [&](QuantizerAttr in) -> std::optional<num::FixedPoint> {
      num::FixedPoint fp;
      std::string error;
      float ratio = float(double(float(in.getScale(0))) / double(float(out.getScale(0))));
      if (!num::toFloat32FixedPoint(in.getScale(0), out.getScale(0), fp, error) ||
          std::ldexp(double(fp.multiplier), -int(fp.shift)) != double(ratio))
        return std::nullopt;
      return fp;
    };
    std::optional<num::FixedPoint> lfp = exactScale(lq), rfp = exactScale(rq);
    if (!lfp || !rfp)
      return std::nullopt;
    bool swap = false;
    for (int64_t axis = type.getRank() - 1; axis >= 0; --axis)
      if (type.getDimSize(axis) > 1) {
        swap = repeatsAlong(lhs, axis);
        break;
      }
    return swap ? QLinearAddPlan{true, *rfp, *lfp} : QLinearAddPlan{false, *lfp, *rfp};
  }

  /// quantize([clamp](add(dequantize(a), dequantize(b)))) -> integer add
  /// [+ integer clamp]: clipping commutes with the monotone quantization.
  LogicalResult rewriteAdd(PatternRewriter &rewriter, QuantizeOp quantize, AddOp add,
                           ClampOp clamp) const {
    auto lhs = add.getLhs().getDefiningOp<DequantizeOp>();
    auto rhs = add.getRhs().getDefiningOp<DequantizeOp>();
    QuantizerAttr out = quantize.getQuantizer();
    if (!lhs || !rhs || out.isPerChannel() || !add->hasOneUse() ||
        (clamp && !clamp->hasOneUse()))
      return rewriter.notifyMatchFailure(quantize, "not an add of dequantized values");
    QuantizerAttr lq = lhs.getQuantizer(), rq = rhs.getQuantizer();
    if (lq.isPerChannel() || rq.isPerChannel())
      return rewriter.notifyMatchFailure(quantize, "per-channel add operands");
    MLIRContext *context = add.getContext();
    FixedPointAttr lhsScale, rhsScale;
    if (std::optional<QLinearAddPlan> plan =
            planQLinearAdd(lhs.getInput(), lq, rq, out, clamp, quantize.getType())) {
      if (plan->swap) {
        std::swap(lhs, rhs);
        std::swap(lq, rq);
      }
      auto scaleAttr = [&](const num::FixedPoint &fp) {
        return makeFixedPoint(context, num::kFloat32MultiplierBits, {fp.multiplier},
                              {int64_t(fp.shift)}, RoundingMode::float32);
      };
      lhsScale = scaleAttr(plan->lhs);
      rhsScale = scaleAttr(plan->rhs);
    } else {
      FailureOr<num::FixedPoint> lfp =
          toFixed(add, lq.getScale(0) / out.getScale(0), "the lhs rescale");
      FailureOr<num::FixedPoint> rfp =
          toFixed(add, rq.getScale(0) / out.getScale(0), "the rhs rescale");
      if (failed(lfp) || failed(rfp))
        return failure();
      // One shift for both: the smaller keeps the larger ratio's multiplier in range.
      unsigned shift = std::min(lfp->shift, rfp->shift);
      auto scaleAttr = [&](const num::FixedPoint &fp) {
        int64_t m = fp.shift == shift ? fp.multiplier
                                      : num::roundingShift(fp.multiplier, fp.shift - shift,
                                                           num::Rounding::Single);
        return makeFixedPoint(context, multiplierBits, {m}, {int64_t(shift)}, roundingMode);
      };
      lhsScale = scaleAttr(*lfp);
      rhsScale = scaleAttr(*rfp);
    }
    rewriter.setInsertionPoint(quantize);
    Value result = AddOp::create(
        rewriter, add.getLoc(), quantize.getType(), lhs.getInput(), rhs.getInput(), lhsScale,
        rhsScale, lq.getZeroPoint(0), rq.getZeroPoint(0), out.getZeroPoint(0),
        !lq.getIsSigned(), !rq.getIsSigned(), !out.getIsSigned());
    if (clamp)
      result = clampQuantized(rewriter, clamp, result, out);
    replaceRealChain(rewriter, quantize, result, {clamp, add}, {lhs, rhs});
    return success();
  }

  /// The rounding of an average rescaled in one step: a half-even average
  /// rounds its product half to even too (the single real rounding ONNX
  /// reads); a half-up one keeps the pass's mode, as every rescale does
  /// (the default, single, ties toward +inf: the same rule).
  RoundingMode rescaleRounding(AvgPool2DOp avg) const {
    switch (avg.getRounding()) {
    case AverageRounding::half_up:
      return roundingMode;
    case AverageRounding::half_even:
      return RoundingMode::half_even;
    }
    llvm_unreachable("unknown average rounding");
  }

  /// quantize(avg_pool(dequantize(x))) between different quantizers, with
  /// one rounding: the window sums (a depthwise convolution by ones, exact
  /// in i32) requantized by s_in / (s_out * window), rounded as the
  /// average says (rescaleRounding).
  LogicalResult rewriteRescaledAverage(PatternRewriter &rewriter, QuantizeOp quantize,
                                       AvgPool2DOp avg, DequantizeOp dequantize) const {
    QuantizerAttr in = dequantize.getQuantizer(), out = quantize.getQuantizer();
    Value input = dequantize.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    ArrayRef<int64_t> kernel = avg.getKernel();
    int64_t channels = inputType.getDimSize(3), window = kernel[0] * kernel[1];
    if (inputType.getRank() != 4 || ShapedType::isDynamic(channels))
      return rewriter.notifyMatchFailure(quantize, "not a static NHWC pooling");
    Location loc = avg.getLoc();
    auto onesType = RankedTensorType::get({channels, kernel[0], kernel[1], 1},
                                          rewriter.getIntegerType(8));
    Value ones = arith::ConstantOp::create(
        rewriter, loc, DenseElementsAttr::get(onesType, rewriter.getIntegerAttr(
                                                            rewriter.getIntegerType(8), 1)));
    auto sumType = RankedTensorType::get(cast<RankedTensorType>(avg.getType()).getShape(),
                                         rewriter.getI32Type());
    Value sums = Conv2DOp::create(
        rewriter, loc, sumType, input, ones, /*bias=*/Value(), avg.getStridesAttr(),
        avg.getPaddingAttr(), rewriter.getDenseI64ArrayAttr({1, 1}),
        rewriter.getI64IntegerAttr(channels), rewriter.getI64IntegerAttr(in.getZeroPoint(0)),
        rewriter.getI64IntegerAttr(0), in.getIsSigned() ? UnitAttr() : rewriter.getUnitAttr(),
        /*weight_unsigned=*/UnitAttr());
    FailureOr<num::FixedPoint> fp = toFixed(
        quantize, in.getScale(0) / (out.getScale(0) * double(window)), "the average's rescale");
    if (failed(fp))
      return failure();
    Value result = RequantizeOp::create(
        rewriter, quantize.getLoc(), quantize.getType(), sums,
        makeFixedPoint(quantize.getContext(), multiplierBits, {fp->multiplier},
                       {int64_t(fp->shift)}, rescaleRounding(avg)),
        /*input_zp=*/0, out.getZeroPoint(0), /*input_unsigned=*/false, !out.getIsSigned(),
        /*min=*/nullptr, /*max=*/nullptr);
    replaceRealChain(rewriter, quantize, result, {avg}, {dequantize});
    return success();
  }

  /// quantize(pool(dequantize(x))) -> integer pooling in the input's
  /// quantizer, then a requantize to the output's when they differ. Exact
  /// for max pooling (monotone); an average then rounds twice (docs/Transforms.md).
  LogicalResult rewritePool(PatternRewriter &rewriter, QuantizeOp quantize,
                            Operation *pool) const {
    auto dequantize = pool->getOperand(0).getDefiningOp<DequantizeOp>();
    if (!dequantize || !pool->hasOneUse() || quantize.getQuantizer().isPerChannel() ||
        dequantize.getQuantizer().isPerChannel())
      return rewriter.notifyMatchFailure(quantize, "not a per-tensor pool of dequantized values");
    QuantizerAttr q = dequantize.getQuantizer();
    rewriter.setInsertionPoint(quantize);
    Value input = dequantize.getInput();
    auto avg = dyn_cast<AvgPool2DOp>(pool);
    // One rounding when every window has one divisor (a convolution by ones
    // pads with the zero point as the average does); else two.
    if (avg && q != quantize.getQuantizer() && avg.hasUniformDivisor())
      return rewriteRescaledAverage(rewriter, quantize, avg, dequantize);
    auto poolType = RankedTensorType::get(cast<RankedTensorType>(pool->getResult(0).getType()).getShape(),
                                          cast<RankedTensorType>(input.getType()).getElementType());
    Operation *intPool;
    if (auto avg = dyn_cast<AvgPool2DOp>(pool))
      intPool = AvgPool2DOp::create(rewriter, avg.getLoc(), poolType, input, avg.getKernel(),
                                    avg.getStrides(), avg.getPadding(),
                                    avg.getCountIncludePad(), avg.getCeilMode(),
                                    q.getZeroPoint(0), q.getZeroPoint(0), !q.getIsSigned(),
                                    avg.getRounding());
    else {
      auto max = cast<MaxPool2DOp>(pool);
      intPool = MaxPool2DOp::create(rewriter, max.getLoc(), poolType, input, max.getKernel(),
                                    max.getStrides(), max.getPadding(), !q.getIsSigned());
    }
    FailureOr<Value> result = buildRequantize(rewriter, quantize, intPool->getResult(0), q,
                                              quantize.getQuantizer(), quantize.getType());
    if (failed(result)) {
      rewriter.eraseOp(intPool);
      return failure();
    }
    replaceRealChain(rewriter, quantize, *result, {pool}, {dequantize});
    return success();
  }

  /// quantize(collapse_shape(pool(...))) -> collapse_shape(quantize(pool(...))):
  /// quantizing is elementwise, so it commutes with the reshape, and the
  /// pooling then becomes integer (ONNX ReduceMean without keepdims).
  LogicalResult quantizeBeforeReshape(PatternRewriter &rewriter, QuantizeOp quantize,
                                      tensor::CollapseShapeOp collapse) const {
    Operation *pool = collapse.getSrc().getDefiningOp();
    if (!isa_and_nonnull<AvgPool2DOp, MaxPool2DOp>(pool) || !collapse->hasOneUse() ||
        quantize.getQuantizer().isPerChannel())
      return rewriter.notifyMatchFailure(quantize, "not a reshaped pooling");
    rewriter.setInsertionPoint(quantize);
    auto sourceType = collapse.getSrcType();
    auto intType = RankedTensorType::get(sourceType.getShape(),
                                         quantize.getType().getElementType());
    auto ints = QuantizeOp::create(rewriter, quantize.getLoc(), intType, collapse.getSrc(),
                                   quantize.getQuantizerAttr());
    rewriter.replaceOpWithNewOp<tensor::CollapseShapeOp>(
        quantize, quantize.getType(), ints.getResult(), collapse.getReassociationIndices());
    rewriter.eraseOp(collapse);
    // The driver visits existing ops only: make the new quantize integer now
    // (if it cannot be, it stays real before the reshape, as correct).
    (void)rewritePool(rewriter, ints, pool);
    return success();
  }

  /// quantize(concat(dequantize(a), dequantize(b), ...)) -> concat of each
  /// operand requantized to the output's quantizer (one rounding each, as
  /// the reals are).
  LogicalResult rewriteConcat(PatternRewriter &rewriter, QuantizeOp quantize,
                              tensor::ConcatOp concat) const {
    QuantizerAttr out = quantize.getQuantizer();
    if (out.isPerChannel() || !concat->hasOneUse())
      return rewriter.notifyMatchFailure(quantize, "not a per-tensor concat");
    SmallVector<DequantizeOp> dequantizes;
    for (Value operand : concat.getInputs()) {
      auto dequantize = operand.getDefiningOp<DequantizeOp>();
      if (!dequantize || dequantize.getQuantizer().isPerChannel())
        return rewriter.notifyMatchFailure(quantize, "a concat operand is not dequantized");
      dequantizes.push_back(dequantize);
    }
    rewriter.setInsertionPoint(quantize);
    SmallVector<Value> ints;
    for (DequantizeOp dequantize : dequantizes) {
      auto type = RankedTensorType::get(dequantize.getType().getShape(),
                                        quantize.getType().getElementType());
      FailureOr<Value> value = buildRequantize(rewriter, quantize, dequantize.getInput(),
                                               dequantize.getQuantizer(), out, type);
      if (failed(value))
        return failure();
      ints.push_back(*value);
    }
    Value result = tensor::ConcatOp::create(rewriter, concat.getLoc(), quantize.getType(),
                                            concat.getDimAttr(), ints);
    replaceRealChain(rewriter, quantize, result, {concat}, dequantizes);
    return success();
  }

  /// quantize(mul(dequantize(a), dequantize(b))) -> integer pike.mul: the
  /// centered product rescaled by s_a * s_b / s_out, rounded once.
  LogicalResult rewriteMul(PatternRewriter &rewriter, QuantizeOp quantize, MulOp mul) const {
    auto lhs = mul.getLhs().getDefiningOp<DequantizeOp>();
    auto rhs = mul.getRhs().getDefiningOp<DequantizeOp>();
    QuantizerAttr out = quantize.getQuantizer();
    if (!lhs || !rhs || out.isPerChannel() || !mul->hasOneUse() ||
        lhs.getQuantizer().isPerChannel() || rhs.getQuantizer().isPerChannel())
      return rewriter.notifyMatchFailure(quantize, "not a per-tensor product of dequantized values");
    QuantizerAttr lq = lhs.getQuantizer(), rq = rhs.getQuantizer();
    FailureOr<num::FixedPoint> fp =
        toFixed(mul, lq.getScale(0) * rq.getScale(0) / out.getScale(0), "the product's rescale");
    if (failed(fp))
      return failure();
    rewriter.setInsertionPoint(quantize);
    auto product = MulOp::create(
        rewriter, mul.getLoc(), quantize.getType(), lhs.getInput(), rhs.getInput(),
        makeFixedPoint(mul.getContext(), multiplierBits, {fp->multiplier},
                       {int64_t(fp->shift)}, roundingMode),
        lq.getZeroPoint(0), rq.getZeroPoint(0), out.getZeroPoint(0), !lq.getIsSigned(),
        !rq.getIsSigned(), !out.getIsSigned());
    if (failed(product.verify())) {
      rewriter.eraseOp(product);
      return failure();
    }
    replaceRealChain(rewriter, quantize, product.getOutput(), {mul}, {lhs, rhs});
    return success();
  }

  /// The elementwise real ops computing `v` from one integer tensor alone
  /// (activations, and products, sums and clamps of such values), all of
  /// `v`'s shape; `sources` are the dequantizes reading that tensor (one, or
  /// several with their own quantizers: PyTorch's export dequantizes each use
  /// of a quantized value). Empty if `v` is not such.
  static bool collectUnary(Value v, SmallVectorImpl<DequantizeOp> &sources,
                           SmallVectorImpl<Operation *> &ops) {
    if (auto dequantize = v.getDefiningOp<DequantizeOp>()) {
      if (!sources.empty() && sources.front().getInput() != dequantize.getInput())
        return false;
      if (!llvm::is_contained(sources, dequantize))
        sources.push_back(dequantize);
      return true;
    }
    Operation *op = v.getDefiningOp();
    if (auto scale = dyn_cast_or_null<ScaleOp>(op); scale && !sharedAffine(scale))
      return false;
    if (!isa_and_nonnull<ActivationOp, MulOp, AddOp, ClampOp, ScaleOp>(op) ||
        !isa<FloatType>(cast<RankedTensorType>(v.getType()).getElementType()))
      return false;
    for (Value operand : op->getOperands())
      if (operand.getType() != v.getType() || !collectUnary(operand, sources, ops))
        return false;
    if (!llvm::is_contained(ops, op))
      ops.push_back(op);
    return true;
  }

  /// A real pike.scale with one scale and at most one bias: x * s + b.
  static bool sharedAffine(ScaleOp scale) {
    auto scales = dyn_cast<DenseF64ArrayAttr>(scale.getScale());
    return scales && scales.size() == 1 && (!scale.getBias() || scale.getBias()->size() == 1) &&
           isa<FloatType>(scale.getInput().getType().getElementType());
  }

  /// What `v` (collected by collectUnary) is at the source integer `q`.
  static double evaluateAt(Value v, double q) {
    Operation *op = v.getDefiningOp();
    if (auto dequantize = dyn_cast<DequantizeOp>(op)) {
      QuantizerAttr in = dequantize.getQuantizer();
      return (q - double(in.getZeroPoint(0))) * in.getScale(0);
    }
    if (auto activation = dyn_cast<ActivationOp>(op))
      return num::evaluate(toNumerics(activation.getKind()), evaluateAt(activation.getInput(), q),
                           activation.getAlphaOrDefault(), activation.getBetaOrDefault());
    if (auto mul = dyn_cast<MulOp>(op))
      return evaluateAt(mul.getLhs(), q) * evaluateAt(mul.getRhs(), q);
    if (auto add = dyn_cast<AddOp>(op))
      return evaluateAt(add.getLhs(), q) + evaluateAt(add.getRhs(), q);
    if (auto scale = dyn_cast<ScaleOp>(op))
      return evaluateAt(scale.getInput(), q) * scale.getChannelScale(0) +
             (scale.getBias() ? (*scale.getBias())[0] : 0.0);
    auto clamp = cast<ClampOp>(op);
    return std::clamp(evaluateAt(clamp.getInput(), q),
                      cast<FloatAttr>(clamp.getMin()).getValueAsDouble(),
                      cast<FloatAttr>(clamp.getMax()).getValueAsDouble());
  }

  /// quantize(f(dequantize(x))), `f` any chain of activations, products,
  /// sums and clamps of x alone -> a lookup table over every integer of x's
  /// quantizer (per tensor, at most 16 bits), exact by construction: each
  /// entry is the real function, quantized. PyTorch writes Hardswish as
  /// Mul(x, HardSigmoid(x)), which becomes one table too.
  LogicalResult rewriteTable(PatternRewriter &rewriter, QuantizeOp quantize) const {
    SmallVector<DequantizeOp> sources;
    SmallVector<Operation *> ops;
    QuantizerAttr out = quantize.getQuantizer();
    Value real = quantize.getInput();
    if (!collectUnary(real, sources, ops) || ops.empty() || out.isPerChannel() ||
        llvm::any_of(sources, [](DequantizeOp d) { return d.getQuantizer().isPerChannel(); }) ||
        llvm::any_of(sources, [&](DequantizeOp d) {
          QuantizerAttr q = d.getQuantizer(), first = sources.front().getQuantizer();
          return q.getBits() != first.getBits() || q.getIsSigned() != first.getIsSigned();
        }) ||
        llvm::any_of(ops, [&](Operation *op) {
          return llvm::any_of(op->getUsers(),
                              [&](Operation *user) { return user != quantize && !llvm::is_contained(ops, user); });
        }))
      return rewriter.notifyMatchFailure(quantize, "not a function of one dequantized tensor");
    QuantizerAttr in = sources.front().getQuantizer();
    double inScale = in.getScale(0);
    int64_t inZeroPoint = in.getZeroPoint(0);
    std::vector<int64_t> table;
    std::string error;
    // buildTableOf hands each integer dequantized by `in`; the chain is
    // evaluated at the integer, so every source applies its own quantizer.
    auto atInteger = [&](double x) {
      return evaluateAt(real, std::nearbyint(x / inScale) + double(inZeroPoint));
    };
    if (!num::buildTableOf(atInteger, {inScale, inZeroPoint, in.getBits(), in.getIsSigned()},
                           {out.getScale(0), out.getZeroPoint(0), out.getBits(), out.getIsSigned()},
                           table, error))
      return quantize.emitOpError() << "cannot make the function of one tensor integer: " << error;
    rewriter.setInsertionPoint(quantize);
    Value result = TableOp::create(rewriter, real.getLoc(), quantize.getType(),
                                   sources.front().getInput(), rewriter.getDenseI64ArrayAttr(table),
                                   !in.getIsSigned(), !out.getIsSigned());
    // The chain's last op first, so that each is unused when erased.
    SmallVector<Operation *> chain(llvm::reverse(ops));
    replaceRealChain(rewriter, quantize, result, chain, sources);
    return success();
  }

  static num::Activation toNumerics(ActivationKind kind) {
    switch (kind) {
    case ActivationKind::sigmoid:
      return num::Activation::Sigmoid;
    case ActivationKind::tanh:
      return num::Activation::Tanh;
    case ActivationKind::hard_sigmoid:
      return num::Activation::HardSigmoid;
    case ActivationKind::hard_swish:
      return num::Activation::HardSwish;
    case ActivationKind::leaky_relu:
      return num::Activation::LeakyRelu;
    case ActivationKind::gelu:
      return num::Activation::Gelu;
    case ActivationKind::erf:
      return num::Activation::Erf;
    }
    llvm_unreachable("unknown activation");
  }

  LogicalResult matchAndRewrite(QuantizeOp quantize,
                                PatternRewriter &rewriter) const override {
    if (auto dequantize = quantize.getInput().getDefiningOp<DequantizeOp>();
        dequantize && isSignQuantize(quantize) &&
        succeeded(rewriteSign(rewriter, quantize, dequantize)))
      return success();
    // Requantization and tables round to nearest; a floor/ceil/toward-zero
    // quantize keeps its real input (exact, as the model defines it).
    if (quantize.getRounding() != QuantizeRounding::half_even)
      return rewriter.notifyMatchFailure(quantize, "rounding is not half_even");
    Operation *producer = quantize.getInput().getDefiningOp();
    if (auto dequantize = dyn_cast_or_null<DequantizeOp>(producer))
      return rewriteRequantize(rewriter, quantize, dequantize);
    if (isa_and_nonnull<GatherOp>(producer))
      return rewriteRealEmbedding(rewriter, quantize);
    if (auto add = dyn_cast_or_null<AddOp>(producer)) {
      // A real table gathered plus constant positions, else dequantized sums.
      if (llvm::any_of(add->getOperands(), [](Value v) { return v.getDefiningOp<GatherOp>(); }))
        return rewriteRealEmbedding(rewriter, quantize);
      return rewriteAdd(rewriter, quantize, add, ClampOp());
    }
    if (auto clamp = dyn_cast_or_null<ClampOp>(producer)) {
      if (auto add = clamp.getInput().getDefiningOp<AddOp>())
        return rewriteAdd(rewriter, quantize, add, clamp);
      if (auto dequantize = clamp.getInput().getDefiningOp<DequantizeOp>())
        return rewriteClamp(rewriter, quantize, clamp, dequantize);
    }
    if (isa_and_nonnull<AvgPool2DOp, MaxPool2DOp>(producer))
      return rewritePool(rewriter, quantize, producer);
    if (auto collapse = dyn_cast_or_null<tensor::CollapseShapeOp>(producer))
      return quantizeBeforeReshape(rewriter, quantize, collapse);
    if (auto concat = dyn_cast_or_null<tensor::ConcatOp>(producer))
      return rewriteConcat(rewriter, quantize, concat);
    if (isa_and_nonnull<ActivationOp>(producer))
      return rewriteTable(rewriter, quantize);
    if (auto scale = dyn_cast_or_null<ScaleOp>(producer); scale && sharedAffine(scale))
      return rewriteTable(rewriter, quantize);
    // onnxruntime fuses dequantize -> Softmax -> quantize into its
    // QLinearSoftmax kernel; a masked one (a Where between) runs in float.
    if (auto softmax = dyn_cast_or_null<SoftmaxOp>(producer)) {
      bool floatInRuntime = accumulatorRounding == RoundingMode::float32 && softmax.getMask();
      Location loc = softmax.getLoc();
      LogicalResult rewritten = rewriteIntegerSoftmax(
          rewriter, quantize, softmax,
          accumulatorRounding == RoundingMode::float32 && !softmax.getMask());
      if (succeeded(rewritten) && floatInRuntime)
        warnIntegerForm(loc, "onnxruntime runs a masked softmax in float");
      return rewritten;
    }
    if (auto norm = dyn_cast_or_null<LayerNormOp>(producer))
      return rewriteIntegerLayerNorm(rewriter, quantize, norm,
                                     accumulatorRounding == RoundingMode::float32);
    if (auto mul = dyn_cast_or_null<MulOp>(producer)) {
      // x * f(x) of one tensor is a table; a product of two, an integer mul.
      if (succeeded(rewriteTable(rewriter, quantize)))
        return success();
      return rewriteMul(rewriter, quantize, mul);
    }
    return rewriter.notifyMatchFailure(quantize, "no real op to make integer");
  }

};

struct PikeFixedPointPass
    : public mlir::pike::impl::PikeFixedPointBase<PikeFixedPointPass> {
  using PikeFixedPointBase::PikeFixedPointBase;
  explicit PikeFixedPointPass(const RequantizeOverrides &given) {
    if (given.multiplierBits)
      multiplierBits = *given.multiplierBits;
    if (given.rounding)
      rounding = *given.rounding;
  }

  void runOnOperation() override {
    if (!num::isValidMultiplierBits(multiplierBits)) {
      getOperation()->emitError()
          << "pike-fixed-point: multiplier-bits must be in [2, 32]";
      return signalPassFailure();
    }
    RewritePatternSet patterns(&getContext());
    populatePikeFixedPointPatterns(
        patterns, {multiplierBits, resolveRounding(getOperation(), rounding)});
    if (failed(applyPikePatterns(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void mlir::pike::populatePikeFixedPointPatterns(RewritePatternSet &patterns,
                                                const PikeFixedPointOptions &options) {
  patterns.add<QuantizeToFixedPoint>(patterns.getContext(), options);
}

std::unique_ptr<Pass> mlir::pike::createPikeFixedPoint(const RequantizeOverrides &given) {
  return std::make_unique<PikeFixedPointPass>(given);
}
