//===- PikeFolds.cpp - Folders of the pike ops ----------------------------===//
//
// Constant folding goes through the numerics library, the one definition of
// Pike's integer arithmetic (docs/Numerics.md).
//
//===----------------------------------------------------------------------===//

#include "pike/Dialect/Pike/IR/PikeOps.h"

#include "PikeVerifyUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/TypeUtilities.h"
#include "pike/Numerics/FixedPoint.h"

#include <cmath>

using namespace mlir;
using namespace mlir::pike;
namespace num = ::mlir::pike::numerics;

namespace {

/// The value of a scalar integer or splat integer vector constant.
std::optional<int64_t> constantInt(Attribute attr) {
  if (auto integer = dyn_cast_or_null<IntegerAttr>(attr))
    return integer.getValue().getSExtValue();
  if (auto splat = dyn_cast_or_null<SplatElementsAttr>(attr))
    if (isa<IntegerType>(splat.getElementType()))
      return splat.getSplatValue<APInt>().getSExtValue();
  return std::nullopt;
}

} // namespace

Operation *PikeDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                            Type type, Location loc) {
  if (auto typed = dyn_cast<TypedAttr>(value);
      typed && arith::ConstantOp::isBuildableWith(typed, type))
    return arith::ConstantOp::create(builder, loc, type, typed);
  return nullptr;
}

OpFoldResult ApplyScaleOp::fold(FoldAdaptor adaptor) {
  Type type = getType();
  // Only the 64-bit arithmetic Pike emits: narrower types would wrap.
  if (getElementTypeOrSelf(type).getIntOrFloatBitWidth() != 64)
    return {};
  std::optional<int64_t> value = constantInt(adaptor.getValue());
  std::optional<int64_t> multiplier = constantInt(adaptor.getMultiplier());
  std::optional<int64_t> shift = constantInt(adaptor.getShift());
  std::optional<int64_t> addend =
      getAddend() ? constantInt(adaptor.getAddend()) : std::optional<int64_t>(0);
  // Checked before the cast: a shift of 2^32 + 5 must not fold as 5.
  if (!value || !multiplier || !shift || !addend || *shift < 1 ||
      *shift > int64_t(num::kMaxShift))
    return {};
  int64_t result;
  if (!num::applyScale(*value, *multiplier, *addend, unsigned(*shift),
                       toNumericsRounding(getRounding()), result))
    return {};
  Builder b(getContext());
  if (auto vector = dyn_cast<VectorType>(type))
    return DenseElementsAttr::get(vector, b.getIntegerAttr(vector.getElementType(), result));
  return b.getIntegerAttr(type, result);
}

//===----------------------------------------------------------------------===//
// RequantizeOp
//===----------------------------------------------------------------------===//

/// Whether `fp` is exactly 1 in every channel (multiplier 2^shift).
static bool isIdentityScale(FixedPointAttr fp) {
  for (size_t c = 0, e = fp.getNumChannels(); c < e; ++c) {
    unsigned shift = fp.getShift(c);
    if (shift >= 63 || fp.getMultiplier(c) != (int64_t(1) << shift))
      return false;
  }
  return true;
}

OpFoldResult RequantizeOp::fold(FoldAdaptor) {
  // (x - zp) * 2^s >> s + zp = x for every rounding mode: the rounding terms
  // stay below 2^s. The clamp is a no-op only at the type's own range.
  Type outElement = getOutput().getType().getElementType();
  if (getInput().getType() != getOutput().getType() ||
      getInputZp() != getOutputZp() ||
      getInputUnsigned() != getOutputUnsigned() ||
      getClampMin() != detail::integerMin(outElement, getOutputUnsigned()) ||
      getClampMax() != detail::integerMax(outElement, getOutputUnsigned()) ||
      !isIdentityScale(getMultiplier()))
    return {};
  return getInput();
}

namespace {

/// clamp(requantize(x)) -> requantize(x) with the clamp's bounds: the clamp
/// reads the requantize's output with the same signedness.
struct MergeClampIntoRequantize : public OpRewritePattern<ClampOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(ClampOp clamp, PatternRewriter &rewriter) const override {
    auto requantize = clamp.getInput().getDefiningOp<RequantizeOp>();
    if (!requantize || !requantize->hasOneUse())
      return rewriter.notifyMatchFailure(clamp, "not the only user of a requantize");
    if (clamp.getInputUnsigned() != requantize.getOutputUnsigned())
      return rewriter.notifyMatchFailure(clamp, "reads the value with other signedness");
    auto lo = dyn_cast<IntegerAttr>(clamp.getMin());
    auto hi = dyn_cast<IntegerAttr>(clamp.getMax());
    if (!lo || !hi)
      return rewriter.notifyMatchFailure(clamp, "real bounds");
    int64_t min = std::max(requantize.getClampMin(), lo.getInt());
    int64_t max = std::min(requantize.getClampMax(), hi.getInt());
    if (min > max) // the clamp leaves one value: max(min(x, hi), lo) = lo
      max = min = lo.getInt();
    rewriter.modifyOpInPlace(requantize, [&] {
      requantize.setMinAttr(rewriter.getI64IntegerAttr(min));
      requantize.setMaxAttr(rewriter.getI64IntegerAttr(max));
    });
    rewriter.replaceOp(clamp, requantize.getOutput());
    return success();
  }
};

/// quantize(dequantize(q)) with one quantizer and type -> q: with at most 16
/// bits, (q - zp) * s / s rounds back to q - zp exactly in any real type.
struct RemoveDequantizeQuantize : public OpRewritePattern<QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(QuantizeOp quantize, PatternRewriter &rewriter) const override {
    auto dequantize = quantize.getInput().getDefiningOp<DequantizeOp>();
    // Only rounding to nearest absorbs the float error of (q - zp) * s / s.
    if (quantize.getRounding() != QuantizeRounding::half_even)
      return rewriter.notifyMatchFailure(quantize, "rounding is not to nearest");
    if (!dequantize || dequantize.getQuantizer() != quantize.getQuantizer() ||
        dequantize.getInput().getType() != quantize.getOutput().getType())
      return rewriter.notifyMatchFailure(quantize, "not an inverse pair");
    rewriter.replaceOp(quantize, dequantize.getInput());
    return success();
  }
};

} // namespace

void RequantizeOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                               MLIRContext *context) {
  patterns.add<MergeClampIntoRequantize>(context);
}

//===----------------------------------------------------------------------===//
// QuantizeOp
//===----------------------------------------------------------------------===//

void QuantizeOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                             MLIRContext *context) {
  patterns.add<RemoveDequantizeQuantize>(context);
}

OpFoldResult QuantizeOp::fold(FoldAdaptor adaptor) {
  auto reals = dyn_cast_or_null<DenseFPElementsAttr>(adaptor.getInput());
  if (!reals)
    return {};
  QuantizerAttr q = getQuantizer();
  RankedTensorType type = getOutput().getType();
  ArrayRef<int64_t> shape = type.getShape();
  int64_t axis = q.getAxis().value_or(-1);
  // Elements between two steps of the channel axis.
  int64_t inner = 1;
  for (int64_t d = axis + 1; axis >= 0 && d < int64_t(shape.size()); ++d)
    inner *= shape[d];
  int64_t channels = axis >= 0 ? shape[axis] : 1;
  const llvm::fltSemantics &semantics = cast<FloatType>(reals.getElementType()).getFloatSemantics();
  unsigned bits = type.getElementTypeBitWidth();
  SmallVector<APInt> values;
  values.reserve(reals.getNumElements());
  int64_t index = 0;
  for (APFloat x : reals.getValues<APFloat>()) {
    int64_t c = axis >= 0 ? (index / inner) % channels : 0;
    ++index;
    // x / scale in the input's real type, as the lowering divides.
    APFloat scale(q.getScale(c));
    bool losesInfo;
    scale.convert(semantics, APFloat::rmNearestTiesToEven, &losesInfo);
    x.divide(scale, APFloat::rmNearestTiesToEven);
    x.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &losesInfo);
    double quotient = x.convertToDouble(); // exact: widening
    int64_t value = num::quantize(quotient, 1.0, q.getZeroPoint(c), q.getBits(),
                                  q.getIsSigned(), toNumericsRounding(getRounding()));
    values.push_back(APInt(bits, uint64_t(value), /*isSigned=*/true));
  }
  return DenseIntElementsAttr::get(type, values);
}
