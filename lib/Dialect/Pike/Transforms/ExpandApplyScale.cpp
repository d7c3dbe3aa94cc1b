//===- ExpandApplyScale.cpp - pike.apply_scale to arith -------------------===//
//
// The only integer spelling of the rounding right shift in generated code
// (the CPU kernels' FloatEpilogue.cpp computes it in float64 lanes where
// that is exact); its definition is docs/Numerics.md and the numerics
// library's roundingShift.
// The ACEv2 analysis counts what buildApplyScaleExpansion emits and the
// overflow checks bound its intermediates (numerics::roundingShiftIntermediates),
// so a change here is a change to both.
//
//===----------------------------------------------------------------------===//

#include "pike/Dialect/Pike/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"
#include "pike/Dialect/Pike/IR/PikeOps.h"
#include "pike/Numerics/FixedPoint.h"

#include <optional>

namespace mlir::pike {
#define GEN_PASS_DEF_PIKEEXPANDAPPLYSCALE
#include "pike/Dialect/Pike/Transforms/Passes.h.inc"
} // namespace mlir::pike

using namespace mlir;
using namespace mlir::pike;
using arith::CmpIPredicate;

namespace {

/// The arith ops of one expansion, on scalars or vectors of `type`.
struct Expander {
  OpBuilder &b;
  Location loc;
  Type type;

  /// An integer constant in the narrowest type that holds it, sign-extended
  /// to `type` (a splat for vectors): ACEv2 counts a constant at its type's
  /// width (docs/ACEv2.md rule 2), as for the lowering's constants.
  Value constant(int64_t value) {
    unsigned bits = 1;
    while (bits < 64 && (value < -(int64_t(1) << (bits - 1)) ||
                         value > (int64_t(1) << (bits - 1)) - 1))
      ++bits;
    Type narrow = b.getIntegerType(bits);
    TypedAttr attr = b.getIntegerAttr(narrow, value);
    if (auto vector = dyn_cast<VectorType>(type)) {
      auto narrowVector = vector.clone(narrow);
      attr = SplatElementsAttr::get(narrowVector, attr);
    }
    Value result = arith::ConstantOp::create(b, loc, attr);
    if (bits == getElementTypeOrSelf(type).getIntOrFloatBitWidth())
      return result;
    return arith::ExtSIOp::create(b, loc, type, result);
  }

  Value add(Value x, Value y) { return arith::AddIOp::create(b, loc, x, y); }
  Value sub(Value x, Value y) { return arith::SubIOp::create(b, loc, x, y); }
  Value shl(Value x, Value y) { return arith::ShLIOp::create(b, loc, x, y); }
  Value shr(Value x, Value y) { return arith::ShRSIOp::create(b, loc, x, y); }
  Value andi(Value x, Value y) { return arith::AndIOp::create(b, loc, x, y); }
  Value min(Value x, Value y) { return arith::MinSIOp::create(b, loc, x, y); }
  Value max(Value x, Value y) { return arith::MaxSIOp::create(b, loc, x, y); }
  Value xori(Value x, Value y) { return arith::XOrIOp::create(b, loc, x, y); }
  Value cmp(CmpIPredicate p, Value x, Value y) { return arith::CmpIOp::create(b, loc, p, x, y); }
  Value select(Value c, Value x, Value y) { return arith::SelectOp::create(b, loc, c, x, y); }

  /// 2^(s-1); a constant when the shift is one. (Operands are built one
  /// statement at a time so that the order of ops does not depend on the
  /// compiler's order of evaluating arguments.)
  Value half(Value shift, std::optional<int64_t> known) {
    if (known)
      return constant(int64_t(1) << (*known - 1));
    Value one = constant(1);
    Value exponent = sub(shift, one);
    return shl(one, exponent);
  }

  /// `condition ? a : b` of two constants.
  Value choose(Value condition, int64_t a, int64_t b) {
    Value x = constant(a);
    Value y = constant(b);
    return select(condition, x, y);
  }

  Value cmpConstant(CmpIPredicate p, Value x, int64_t c) { return cmp(p, x, constant(c)); }
};

/// The value of a constant shift (scalar or splat), seen through the
/// extensions that widen the lowering's narrow constants.
std::optional<int64_t> constantShift(Value shift) {
  while (Operation *def = shift.getDefiningOp()) {
    if (!isa<arith::ExtSIOp, arith::ExtUIOp>(def))
      break;
    shift = def->getOperand(0);
  }
  APInt value;
  if (!matchPattern(shift, m_ConstantInt(&value)))
    return std::nullopt;
  int64_t s = value.getSExtValue();
  // Outside [1, 62] the result is undefined; keep the general form.
  if (s < 1 || s > 62)
    return std::nullopt;
  return s;
}

/// TFLite's MultiplyByQuantizedMultiplier on the value v: the doubling high
/// multiply rounds as single rounding by d = min(s, 31) does (docs/Numerics.md,
/// so no left shift and nothing past v + 2^(d-1) to overflow), then
/// RoundingDivideByPOT by s - d, ties away from zero.
Value expandTflite(Expander &e, Value value, Value shift, std::optional<int64_t> known) {
  std::optional<int64_t> first;
  Value d;
  if (known) {
    first = std::min<int64_t>(*known, 31);
    d = *known <= 31 ? shift : e.constant(31);
  } else {
    d = e.min(shift, e.constant(31));
  }
  Value half = e.half(d, first);
  Value high = e.shr(e.add(value, half), d);
  if (known && *known <= 31)
    return high;
  Value right, mask, threshold;
  if (known) {
    int64_t r = *known - 31;
    right = e.constant(r);
    mask = e.constant((int64_t(1) << r) - 1);
    threshold = e.constant(((int64_t(1) << r) - 1) >> 1);
  } else {
    right = e.sub(shift, d);
    Value one = e.constant(1);
    mask = e.sub(e.shl(one, right), one);
    threshold = e.shr(mask, one);
  }
  Value remainder = e.andi(high, mask);
  // One higher below zero: a tie goes away from zero.
  Value negative = e.cmpConstant(CmpIPredicate::slt, high, 0);
  threshold = e.add(threshold, e.choose(negative, 1, 0));
  Value up = e.choose(e.cmp(CmpIPredicate::sgt, remainder, threshold), 1, 0);
  Value quotient = e.shr(high, right);
  return e.add(quotient, up);
}

/// `value` rounded to a float32's 24 significant bits, ties to even
/// (numerics::roundToFloat32): on the magnitude, the bits below the top 24
/// rounded off as half_even rounds a shift by d = max(length - 24, 1), then
/// shifted back; kept as is when it has at most 24 bits.
Value roundToFloat32(Expander &e, Value value) {
  unsigned width = getElementTypeOrSelf(value.getType()).getIntOrFloatBitWidth();
  Value sign = e.shr(value, e.constant(width - 1));
  Value magnitude = e.sub(e.xori(value, sign), sign);
  Value zeros = math::CountLeadingZerosOp::create(e.b, e.loc, magnitude);
  Value excess = e.sub(e.constant(int64_t(width) - numerics::kFloat32SignificandBits), zeros);
  Value one = e.constant(1);
  Value drop = e.max(excess, one);
  Value quotient = e.shr(magnitude, drop);
  Value odd = e.andi(quotient, one);
  Value half = e.shl(one, e.sub(drop, one));
  Value rounded = e.add(e.sub(e.add(magnitude, half), one), odd);
  Value kept = e.shl(e.shr(rounded, drop), drop);
  Value wide = e.cmp(CmpIPredicate::sgt, excess, e.constant(0));
  Value result = e.select(wide, kept, magnitude);
  return e.sub(e.xori(result, sign), sign);
}

struct ExpandApplyScale : public OpRewritePattern<ApplyScaleOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(ApplyScaleOp op,
                                PatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, buildApplyScaleExpansion(rewriter, op.getLoc(), op.getValue(),
                                                    op.getMultiplier(), op.getAddend(),
                                                    op.getShift(), op.getRounding()));
    return success();
  }
};

struct PikeExpandApplyScalePass
    : public mlir::pike::impl::PikeExpandApplyScaleBase<PikeExpandApplyScalePass> {
  using PikeExpandApplyScaleBase::PikeExpandApplyScaleBase;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populatePikeExpandApplyScalePatterns(patterns);
    // No folding: the narrow constants stay as ACEv2 counts them.
    walkAndApplyPatterns(getOperation(), std::move(patterns));
  }
};

} // namespace

Value mlir::pike::buildApplyScaleExpansion(OpBuilder &b, Location loc, Value x,
                                           Value multiplier, Value addend, Value shift,
                                           RoundingMode mode) {
  Expander e{b, loc, x.getType()};
  // Terms of the shift alone are constants when the shift is (per-tensor
  // scales): they are not per-element work.
  std::optional<int64_t> known = constantShift(shift);
  // float32: the biased value and its product each rounded as float32
  // arithmetic rounds them, then a half_even shift.
  if (mode == RoundingMode::float32) {
    if (addend)
      x = e.add(x, addend);
    addend = Value();
    x = roundToFloat32(e, x);
  }
  Value value = arith::MulIOp::create(b, loc, x, multiplier);
  if (addend)
    value = e.add(value, addend);
  if (mode == RoundingMode::float32) {
    value = roundToFloat32(e, value);
    mode = RoundingMode::half_even;
  }
  if (mode == RoundingMode::tflite)
    return expandTflite(e, value, shift, known);
  // v + 2^(s-1): ties toward +inf once shifted (single, double).
  Value half = e.half(shift, known);
  Value rounded = e.add(value, half);
  switch (mode) {
  case RoundingMode::single_round:
  case RoundingMode::tvm_upward:
  case RoundingMode::tflite:
    break;
  case RoundingMode::float32: // its product is rounded above
  case RoundingMode::half_even: {
    // - 1 + (floor(v / 2^s) & 1): a tie goes up only from an odd quotient.
    Value quotient = e.shr(value, shift);
    Value odd = e.andi(quotient, e.constant(1));
    rounded = e.add(e.sub(rounded, e.constant(1)), odd);
    break;
  }
  case RoundingMode::tvm_tonearest: {
    // One less below zero: a tie moves away from zero.
    Value negative = e.cmpConstant(CmpIPredicate::slt, value, 0);
    rounded = e.add(rounded, e.choose(negative, -1, 0));
    break;
  }
  case RoundingMode::double_round: {
    // +-2^30 by the sign of the value, for shifts above 31 only.
    if (known && *known <= 31)
      break;
    Value nonNegative = e.cmpConstant(CmpIPredicate::sge, value, 0);
    Value adjust = e.choose(nonNegative, int64_t(1) << 30, -(int64_t(1) << 30));
    if (!known) {
      Value wide = e.cmpConstant(CmpIPredicate::sgt, shift, 31);
      adjust = e.select(wide, adjust, e.constant(0));
    }
    rounded = e.add(rounded, adjust);
    break;
  }
  }
  return e.shr(rounded, shift);
}

void mlir::pike::populatePikeExpandApplyScalePatterns(RewritePatternSet &patterns) {
  patterns.add<ExpandApplyScale>(patterns.getContext());
}
