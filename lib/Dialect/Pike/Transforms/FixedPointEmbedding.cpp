//===- FixedPointEmbedding.cpp - Real embedding tables made integer -------===//
//
// quantize(gather(T, ids)) and quantize(gather(T, ids) + P), T and P real
// constants: a token embedding that PyTorch's quantization leaves float,
// plus the positions. The first becomes a gather of T quantized (exact:
// quantization commutes with a gather). The second gathers T in fixed point
// (`fraction` bits below the output's step), adds P in the same fixed
// point and rounds once by pike.add: it differs from rounding the real sum
// only where that sum lies within 2^-fraction of a step's midpoint.
//
//===----------------------------------------------------------------------===//

#include "TransformUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Matchers.h"
#include "pike/Dialect/Pike/IR/PikeOps.h"
#include "pike/Numerics/FixedPoint.h"

#include <cmath>

using namespace mlir;
using namespace mlir::pike;
namespace num = ::mlir::pike::numerics;

namespace {

/// Fraction bits kept below the output's step at most: beyond float32's
/// 24-bit significand the real constants hold no more.
constexpr int kMaxFraction = 24;
/// Fewer fraction bits than this would round visibly differently from the
/// reals; such a table is left real (and reported by pike-verify-model).
constexpr int kMinFraction = 8;
/// Fixed-point table entries stay below 2^30 so that their sum fits i32.
constexpr int kEntryBits = 30;

DenseFPElementsAttr realConstant(Value v) {
  DenseFPElementsAttr attr;
  return matchPattern(v, m_Constant(&attr)) ? attr : DenseFPElementsAttr();
}

/// The largest magnitude in `values`, in steps of `step`.
double largestSteps(DenseFPElementsAttr values, double step) {
  double largest = 0;
  for (const APFloat &v : values.getValues<APFloat>())
    largest = std::max(largest, std::fabs(v.convertToDouble()) / step);
  return largest;
}

/// `values` as integers of `element`, each `map`ped from its real value.
template <typename Map>
Value integerConstant(PatternRewriter &rewriter, Location loc, DenseFPElementsAttr values,
                      IntegerType element, Map map) {
  SmallVector<APInt> ints;
  ints.reserve(values.getNumElements());
  for (const APFloat &v : values.getValues<APFloat>())
    ints.push_back(APInt(element.getWidth(), uint64_t(map(v.convertToDouble())),
                         /*isSigned=*/true, /*implicitTrunc=*/true));
  auto type = RankedTensorType::get(values.getType().getShape(), element);
  return arith::ConstantOp::create(rewriter, loc, DenseElementsAttr::get(type, ints));
}

} // namespace

LogicalResult mlir::pike::rewriteRealEmbedding(PatternRewriter &rewriter, QuantizeOp quantize,
                                               RoundingMode rounding) {
  QuantizerAttr out = quantize.getQuantizer();
  Value real = quantize.getInput();
  auto gather = real.getDefiningOp<GatherOp>();
  AddOp add;
  DenseFPElementsAttr positions;
  if (!gather) {
    add = real.getDefiningOp<AddOp>();
    for (unsigned i = 0; add && i < 2 && !gather; ++i) {
      positions = realConstant(add->getOperand(1 - i));
      if (positions)
        gather = add->getOperand(i).getDefiningOp<GatherOp>();
    }
    if (!gather || !add->hasOneUse())
      return rewriter.notifyMatchFailure(quantize, "not a real gather plus a constant");
  }
  DenseFPElementsAttr table = realConstant(gather.getTable());
  if (!table || !gather->hasOneUse() || out.isPerChannel())
    return rewriter.notifyMatchFailure(quantize, "not a gather of a real constant table");

  double step = out.getScale(0);
  int64_t zeroPoint = out.getZeroPoint(0);
  int64_t lo = num::minValue(out.getBits(), out.getIsSigned());
  int64_t hi = num::maxValue(out.getBits(), out.getIsSigned());
  auto resultType = cast<RankedTensorType>(quantize.getType());
  auto outElement = cast<IntegerType>(resultType.getElementType());
  rewriter.setInsertionPoint(quantize);
  Location loc = gather.getLoc();

  if (!add) {
    Value ints = integerConstant(rewriter, loc, table, outElement, [&](double v) {
      return std::clamp(int64_t(std::nearbyint(v / step)) + zeroPoint, lo, hi);
    });
    rewriter.replaceOpWithNewOp<GatherOp>(quantize, resultType, ints, gather.getIndices());
    rewriter.eraseOp(gather);
    return success();
  }

  double largest = std::max(largestSteps(table, step), largestSteps(positions, step));
  if (!std::isfinite(largest))
    return quantize.emitOpError() << "cannot make the embedding integer: a table value is not "
                                     "finite in steps of the output quantizer";
  int fraction = std::min(kMaxFraction, kEntryBits - 1 - int(std::ceil(std::log2(largest + 1))));
  if (fraction < kMinFraction)
    return quantize.emitOpError() << "cannot make the embedding integer: its values reach "
                                  << largest << " steps of the output quantizer, too many for "
                                  << kMinFraction << " fraction bits in 32-bit fixed point";
  double unit = std::ldexp(1.0, fraction) / step;
  auto toFixed = [&](double v) { return int64_t(std::nearbyint(v * unit)); };
  IntegerType i32 = rewriter.getI32Type();
  Value fixedTable = integerConstant(rewriter, loc, table, i32, toFixed);
  Value fixedPositions = integerConstant(rewriter, add.getLoc(), positions, i32, toFixed);
  auto gathered = GatherOp::create(
      rewriter, loc, RankedTensorType::get(gather.getType().getShape(), i32), fixedTable,
      gather.getIndices());
  // A 2^30 multiplier and 30 more bits of shift: 2^-fraction, as pike.add
  // takes its multipliers normalised to 32 bits.
  FixedPointAttr unitScale =
      makeFixedPoint(rewriter.getContext(), 32, {int64_t(1) << 30}, {fraction + 30}, rounding);
  Value sum = AddOp::create(rewriter, add.getLoc(), resultType, gathered, fixedPositions,
                            unitScale, unitScale, 0, 0, zeroPoint, false, false,
                            !out.getIsSigned());
  rewriter.replaceOp(quantize, sum);
  rewriter.eraseOp(add);
  rewriter.eraseOp(gather);
  return success();
}
