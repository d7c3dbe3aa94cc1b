//===- FixedPointEmbedding.cpp - Real embedding tables made integer -------===//
//
// quantize(gather(T, ids)) and quantize(gather(T, ids) + P), T and P real
// constants: a token embedding that PyTorch's quantization leaves float,
// plus the positions. The first becomes a gather of T quantized as the
// quantize computes it (exact: quantization commutes with a gather). The second gathers T in fixed point
// (`fraction` bits below the output's step), adds P in the same fixed
// point and rounds once by pike.add (ties to even, as the quantize): it
// differs from rounding the real sum only where that sum lies within
// 2^-fraction of a step's midpoint.
//
//===----------------------------------------------------------------------===//

#include "TransformUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
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
/// reals: such a table is refused with its size.
constexpr int kMinFraction = 8;
/// Fixed-point table entries stay below 2^30 so that their sum fits i32.
constexpr int kEntryBits = 30;

/// The largest magnitude in `values`, in steps of `step`: NaN if one is NaN.
double largestSteps(ArrayRef<double> values, double step) {
  double largest = 0;
  for (double v : values) {
    if (std::isnan(v))
      return v;
    largest = std::max(largest, std::fabs(v) / step);
  }
  return largest;
}

/// `values` (of `shape`) as a constant of `element` integers, each `map`ped.
template <typename Map>
Value integerConstant(PatternRewriter &rewriter, Location loc, ArrayRef<double> values,
                      ArrayRef<int64_t> shape, IntegerType element, Map map) {
  SmallVector<APInt> ints;
  ints.reserve(values.size());
  for (double v : values)
    ints.push_back(APInt(element.getWidth(), uint64_t(map(v)), /*isSigned=*/true,
                         /*implicitTrunc=*/true));
  auto type = RankedTensorType::get(shape, element);
  return arith::ConstantOp::create(rewriter, loc, DenseElementsAttr::get(type, ints));
}

ArrayRef<int64_t> shapeOf(Value v) { return cast<RankedTensorType>(v.getType()).getShape(); }

} // namespace

LogicalResult mlir::pike::rewriteRealEmbedding(PatternRewriter &rewriter, QuantizeOp quantize) {
  QuantizerAttr out = quantize.getQuantizer();
  Value real = quantize.getInput();
  auto gather = real.getDefiningOp<GatherOp>();
  AddOp add;
  Value positionsValue;
  std::optional<SmallVector<double>> positions;
  if (!gather) {
    add = real.getDefiningOp<AddOp>();
    for (unsigned i = 0; add && i < 2 && !gather; ++i) {
      positionsValue = add->getOperand(1 - i);
      positions = getConstantReals(positionsValue);
      if (positions)
        gather = add->getOperand(i).getDefiningOp<GatherOp>();
    }
    if (!gather || !add->hasOneUse())
      return rewriter.notifyMatchFailure(quantize, "not a real gather plus a constant");
  }
  std::optional<SmallVector<double>> table = getConstantReals(gather.getTable());
  if (!table || !gather->hasOneUse() || out.isPerChannel())
    return rewriter.notifyMatchFailure(quantize, "not a gather of a real constant table");

  double step = out.getScale(0);
  int64_t zeroPoint = out.getZeroPoint(0);
  auto resultType = cast<RankedTensorType>(quantize.getType());
  auto outElement = cast<IntegerType>(resultType.getElementType());
  Location loc = gather.getLoc();
  auto gatherOf = [&](Value tableValue, Type type) {
    return GatherOp::create(rewriter, loc, type, tableValue, gather.getIndices(),
                            gather.getIndicesUnsigned());
  };

  if (!add) {
    // The table quantized as the quantize computes each value (float32,
    // NaN to the zero point, saturating).
    rewriter.setInsertionPoint(quantize);
    Value ints = integerConstant(rewriter, loc, *table, shapeOf(gather.getTable()), outElement,
                                 [&](double v) {
                                   return num::quantizeFloat32(v, step, zeroPoint, out.getBits(),
                                                               out.getIsSigned());
                                 });
    rewriter.replaceOp(quantize, gatherOf(ints, resultType).getResult());
    rewriter.eraseOp(gather);
    return success();
  }

  double tableSteps = largestSteps(*table, step), positionSteps = largestSteps(*positions, step);
  double largest = std::max(tableSteps, positionSteps);
  if (!std::isfinite(tableSteps) || !std::isfinite(positionSteps))
    return quantize.emitOpError() << "cannot make the embedding integer: a table or position "
                                     "value is not finite in steps of the output quantizer";
  int fraction = std::min(kMaxFraction, kEntryBits - 1 - int(std::ceil(std::log2(largest + 1))));
  if (fraction < kMinFraction)
    return quantize.emitOpError() << "cannot make the embedding integer: its values reach "
                                  << largest << " steps of the output quantizer, too many for "
                                  << kMinFraction << " fraction bits in 32-bit fixed point";
  rewriter.setInsertionPoint(quantize);
  double unit = std::ldexp(1.0, fraction) / step;
  auto toFixed = [&](double v) { return int64_t(std::nearbyint(v * unit)); };
  IntegerType i32 = rewriter.getI32Type();
  Value fixedTable = integerConstant(rewriter, loc, *table, shapeOf(gather.getTable()), i32,
                                     toFixed);
  Value fixedPositions =
      integerConstant(rewriter, add.getLoc(), *positions, shapeOf(positionsValue), i32, toFixed);
  auto gathered = gatherOf(fixedTable, RankedTensorType::get(gather.getType().getShape(), i32));
  // A 2^30 multiplier and 30 more bits of shift: 2^-fraction, as pike.add
  // takes its multipliers normalised to 32 bits; ties to even, as the
  // quantize it replaces rounds.
  FixedPointAttr unitScale = makeFixedPoint(rewriter.getContext(), 32, {int64_t(1) << 30},
                                            {fraction + 30}, RoundingMode::half_even);
  Value sum = AddOp::create(rewriter, add.getLoc(), resultType, gathered, fixedPositions,
                            unitScale, unitScale, 0, 0, zeroPoint, false, false,
                            !out.getIsSigned());
  rewriter.replaceOp(quantize, sum);
  rewriter.eraseOp(add);
  rewriter.eraseOp(gather);
  return success();
}
