//===- LowerBFloat16.cpp - bf16 without a runtime call, correctly rounded -===//
//
// bf16 arithmetic runs in f32: a bf16 operation's exact result rounded to
// f32 and then to bf16 is its correctly rounded bf16 result for + - * / and
// sqrt (24 >= 2 * 8 + 2 bits). A conversion into bf16 from a wider value
// (f64, an integer of more than 8 significant bits, a fused multiply-add)
// would round twice that way. It first rounds to f32 "to odd" (toward
// zero, the last bit set when inexact), which keeps the one rounding to
// bf16 correct, since f32 holds 2 bits more than bf16 needs.
//
//===----------------------------------------------------------------------===//

#include "pike/Conversion/LoweringUtils.h"
#include "pike/Conversion/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::pike {
#define GEN_PASS_DEF_PIKELOWERBFLOAT16
#include "pike/Conversion/Passes.h.inc"
} // namespace mlir::pike

using namespace mlir;
using mlir::pike::lowering::scalarInt;
using mlir::pike::lowering::scalarReal;

namespace {

/// `element` in the shape of `like`.
Type shaped(Type like, Type element) {
  if (auto vector = dyn_cast<VectorType>(like))
    return vector.clone(element);
  return element;
}

bool isBF16(Type type) { return getElementTypeOrSelf(type).isBF16(); }

/// `bits` (of the value nearest to an exact one) rounded to odd instead:
/// one step toward zero where it lay `past` the exact value, then the last
/// bit set where it was `inexact`.
Value toOdd(OpBuilder &b, Location loc, Value bits, Value past, Value inexact) {
  Value one = scalarInt(b, loc, bits.getType(), 1);
  bits = arith::SelectOp::create(b, loc, past, arith::SubIOp::create(b, loc, bits, one), bits);
  return arith::SelectOp::create(b, loc, inexact, arith::OrIOp::create(b, loc, bits, one), bits);
}

/// The f64 `sum` (the nearest to x + y) rounded to odd instead: when the
/// error of the sum (Knuth's TwoSum, exact) is not 0, the sum stepped
/// toward zero if it lay past x + y, and its last bit set.
Value oddSum(OpBuilder &b, Location loc, Value x, Value y) {
  Type f64 = x.getType(), i64 = shaped(f64, b.getI64Type());
  Value sum = arith::AddFOp::create(b, loc, x, y);
  Value yPart = arith::SubFOp::create(b, loc, sum, x);
  Value xPart = arith::SubFOp::create(b, loc, sum, yPart);
  Value error = arith::AddFOp::create(b, loc, arith::SubFOp::create(b, loc, x, xPart),
                                      arith::SubFOp::create(b, loc, y, yPart));
  Value zero = scalarReal(b, loc, f64, 0.0);
  Value inexact = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::ONE, error, zero);
  // Past x + y: the error's sign is not the sum's.
  Value sumNegative = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, sum, zero);
  Value errorNegative = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, error, zero);
  Value past = arith::AndIOp::create(b, loc, inexact,
                                     arith::XOrIOp::create(b, loc, sumNegative, errorNegative));
  Value bits = arith::BitcastOp::create(b, loc, i64, sum);
  return arith::BitcastOp::create(b, loc, f64, toOdd(b, loc, bits, past, inexact));
}

/// The f64 `value` rounded to f32 to odd (NaN stays NaN; past f32's range,
/// its largest finite value, which still rounds to bf16's infinity).
Value oddF32(OpBuilder &b, Location loc, Value value) {
  Type f32 = shaped(value.getType(), b.getF32Type()), i32 = shaped(f32, b.getI32Type());
  Value nearest = arith::TruncFOp::create(b, loc, f32, value);
  Value back = arith::ExtFOp::create(b, loc, value.getType(), nearest);
  Value inexact = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::ONE, back, value);
  Value past =
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, math::AbsFOp::create(b, loc, back),
                            math::AbsFOp::create(b, loc, value));
  Value bits = arith::BitcastOp::create(b, loc, i32, nearest);
  return arith::BitcastOp::create(b, loc, f32, toOdd(b, loc, bits, past, inexact));
}

/// An integer as f64 rounded to odd: exact up to 32 bits; wider ones (up
/// to 64) as their high and low words, each exact, summed to odd.
Value integerToOddF64(OpBuilder &b, Location loc, Value integer, bool isUnsigned) {
  Type type = integer.getType(), f64 = shaped(type, b.getF64Type());
  unsigned width = getElementTypeOrSelf(type).getIntOrFloatBitWidth();
  auto convert = [&](Value v, bool asUnsigned) -> Value {
    if (asUnsigned)
      return arith::UIToFPOp::create(b, loc, f64, v);
    return arith::SIToFPOp::create(b, loc, f64, v);
  };
  if (width <= 32)
    return convert(integer, isUnsigned);
  Type i64 = shaped(type, b.getI64Type()), i32 = shaped(type, b.getI32Type());
  if (width < 64)
    integer = isUnsigned ? arith::ExtUIOp::create(b, loc, i64, integer).getResult()
                         : arith::ExtSIOp::create(b, loc, i64, integer).getResult();
  Value thirtyTwo = scalarInt(b, loc, i64, 32);
  Value high = isUnsigned ? arith::ShRUIOp::create(b, loc, integer, thirtyTwo).getResult()
                          : arith::ShRSIOp::create(b, loc, integer, thirtyTwo).getResult();
  Value highF =
      arith::MulFOp::create(b, loc, convert(arith::TruncIOp::create(b, loc, i32, high), isUnsigned),
                            scalarReal(b, loc, f64, 4294967296.0));
  Value lowF = convert(arith::TruncIOp::create(b, loc, i32, integer), /*asUnsigned=*/true);
  return oddSum(b, loc, highF, lowF);
}

/// Conversions into bf16 that would round twice through f32, rewritten to
/// round once. Returns failure for an integer wider than 64 bits.
LogicalResult roundOnceIntoBF16(Operation *root) {
  LogicalResult result = success();
  root->walk([&](Operation *op) {
    if (op->getNumResults() != 1 || !isBF16(op->getResult(0).getType()))
      return;
    OpBuilder b(op);
    Location loc = op->getLoc();
    Type bf16 = op->getResult(0).getType();
    Type f64 = shaped(bf16, b.getF64Type());
    Value wide;
    if (isa<arith::SIToFPOp, arith::UIToFPOp>(op)) {
      Value integer = op->getOperand(0);
      unsigned width = getElementTypeOrSelf(integer.getType()).getIntOrFloatBitWidth();
      if (width <= 8)
        return; // exact in f32, one rounding
      if (width > 64) {
        result = op->emitOpError("converts an integer wider than 64 bits to bf16");
        return;
      }
      wide = integerToOddF64(b, loc, integer, isa<arith::UIToFPOp>(op));
    } else if (auto trunc = dyn_cast<arith::TruncFOp>(op)) {
      if (!getElementTypeOrSelf(trunc.getIn().getType()).isF64())
        return;
      wide = trunc.getIn();
    } else if (auto fma = dyn_cast<math::FmaOp>(op)) {
      // a * b is exact in f64 (16 bits); the sum is rounded to odd.
      auto ext = [&](Value v) { return arith::ExtFOp::create(b, loc, f64, v).getResult(); };
      Value product = arith::MulFOp::create(b, loc, ext(fma.getA()), ext(fma.getB()));
      wide = oddSum(b, loc, product, ext(fma.getC()));
    } else {
      return;
    }
    Value narrow = arith::TruncFOp::create(b, loc, bf16, oddF32(b, loc, wide));
    op->getResult(0).replaceAllUsesWith(narrow);
    op->erase();
  });
  return result;
}

struct PikeLowerBFloat16Pass
    : public mlir::pike::impl::PikeLowerBFloat16Base<PikeLowerBFloat16Pass> {
  void runOnOperation() override {
    Operation *root = getOperation();
    if (failed(roundOnceIntoBF16(root)))
      return signalPassFailure();
    // bf16 arithmetic and math in f32 (f16 stays: x86-64-v3 converts it).
    OpPassManager promote(root->getName());
    arith::ArithEmulateUnsupportedFloatsOptions arithOptions;
    arithOptions.sourceTypeStrs = {"bf16"};
    promote.addPass(arith::createArithEmulateUnsupportedFloats(arithOptions));
    math::MathExtendToSupportedTypesOptions mathOptions;
    mathOptions.extraTypeStrs = {"f16"};
    promote.addPass(math::createMathExtendToSupportedTypes(mathOptions));
    if (failed(runPipeline(promote, root)))
      return signalPassFailure();
    // The emulation marks its casts `contract`, which lets extf(truncf(x))
    // fold to x: that would skip bf16's rounding of each result.
    auto exact = arith::FastMathFlagsAttr::get(&getContext(), arith::FastMathFlags::none);
    root->walk([&](Operation *op) {
      if (isa<arith::ExtFOp, arith::TruncFOp>(op))
        op->setAttr("fastmath", exact);
    });
    RewritePatternSet patterns(&getContext());
    arith::populateExpandBFloat16Patterns(patterns);
    if (failed(applyPatternsGreedily(root, std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
