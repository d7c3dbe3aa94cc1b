//===- Float64Epilogue.cpp - Exact fixed-point scaling in float64 lanes ---===//
//
// round_shift(x * M + B, s) is round((x * M + B) * 2^-s). When |x| * M + |B|
// stays below 2^52, the exact value y = x * (M 2^-s) + B 2^-s is a multiple
// of 2^-s below 2^(52 - s) in magnitude, which a double holds: one fused
// multiply-add computes y without error from the exact (power-of-two
// scaled) doubles M 2^-s and B 2^-s, and rounding y to an integer is the
// fixed-point rounding. The i64 form needs even/odd lane splits, a 64-bit
// multiply per half and five ops of rounding; this one converts, multiplies
// and rounds in three instructions a half on AVX-512. Where the bound does
// not hold (long accumulations by large multipliers) or the rounding has no
// one-instruction float form, the kernels keep the i64 form.
//
//===----------------------------------------------------------------------===//

#include "KernelSupport.h"

#include "pike/Conversion/LoweringUtils.h"
#include "pike/Numerics/FixedPoint.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::pike;
using namespace mlir::pike::cpu;
using lowering::castInt;

namespace {

/// Magnitudes below this keep every intermediate exact, with room for the
/// half that `single` adds before its floor.
constexpr double kExactBound = 4503599627370496.0; // 2^52

/// Whether `mode` rounds a double by one instruction exactly as
/// round_shift does: ties to even (`half_even`), toward +inf (`single`,
/// `tvm_upward`: floor(y + 1/2)) or away from zero (`tvm_tonearest`).
bool hasFloat64Form(RoundingMode mode) {
  return mode == RoundingMode::half_even || mode == RoundingMode::single_round ||
         mode == RoundingMode::tvm_upward || mode == RoundingMode::tvm_tonearest;
}

/// `single` adds 1/2 to y, which stays exact while y's unit 2^-s is at
/// least 2^-52 (|y| < 2^(52 - s)).
bool shiftFits(RoundingMode mode, unsigned shift) {
  bool addsHalf = mode == RoundingMode::single_round || mode == RoundingMode::tvm_upward;
  return shift >= 1 && shift <= (addsHalf ? 52u : 62u);
}

Value splat(OpBuilder &b, Location loc, VectorType type, double value) {
  return arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(type, b.getFloatAttr(type.getElementType(), value)));
}

/// 1.5 * 2^52: for |y| < 2^51, y + kRoundingBias lies in [2^52, 2^53), where
/// doubles are the integers, so the add rounds y to nearest, ties to even
/// (IEEE's default rounding, which LLVM assumes), and the low 32 bits of
/// the sum's bit pattern are that integer in two's complement. Two adds on
/// any FP port instead of vrndscalepd's two uops on one.
constexpr double kRoundingBias = 6755399441055744.0;

/// `y` rounded to an integer as round_shift's `mode` rounds, as a double.
Value roundAs(OpBuilder &b, Location loc, Value y, RoundingMode mode) {
  auto type = cast<VectorType>(y.getType());
  if (mode == RoundingMode::half_even) {
    Value bias = splat(b, loc, type, kRoundingBias);
    return arith::SubFOp::create(b, loc, arith::AddFOp::create(b, loc, y, bias), bias);
  }
  if (mode == RoundingMode::tvm_tonearest)
    return math::RoundOp::create(b, loc, y);
  return math::FloorOp::create(b, loc, arith::AddFOp::create(b, loc, y, splat(b, loc, type, 0.5)));
}

/// `y` (|y| < 2^31) rounded as `mode` rounds, as i32 lanes.
Value roundToI32(OpBuilder &b, Location loc, Value y, RoundingMode mode) {
  auto type = cast<VectorType>(y.getType());
  if (mode != RoundingMode::half_even)
    return arith::FPToSIOp::create(b, loc, type.clone(b.getI32Type()), roundAs(b, loc, y, mode));
  Value biased = arith::AddFOp::create(b, loc, y, splat(b, loc, type, kRoundingBias));
  Value bits = arith::BitcastOp::create(b, loc, type.clone(b.getI64Type()), biased);
  return arith::TruncIOp::create(b, loc, type.clone(b.getI32Type()), bits);
}

/// `x` clamped to [lo, hi]; no lane is NaN, so no NaN handling is emitted.
Value clamp(OpBuilder &b, Location loc, Value x, int64_t lo, int64_t hi) {
  auto type = cast<VectorType>(x.getType());
  auto flags = arith::FastMathFlags::nnan | arith::FastMathFlags::nsz;
  Value low = arith::MaxNumFOp::create(b, loc, x, splat(b, loc, type, double(lo)), flags);
  return arith::MinNumFOp::create(b, loc, low, splat(b, loc, type, double(hi)), flags);
}

/// [min, max] of the requantizing op and its output zero point.
struct Clamp {
  int64_t zp, lo, hi;
};

Clamp clampOf(Operation *op) {
  if (auto quantNorm = dyn_cast<QuantNormOp>(op))
    return {int64_t(quantNorm.getOutputZp()), int64_t(quantNorm.getClampMin()),
            int64_t(quantNorm.getClampMax())};
  auto requantize = cast<RequantizeOp>(op);
  return {int64_t(requantize.getOutputZp()), int64_t(requantize.getClampMin()),
          int64_t(requantize.getClampMax())};
}

RoundingMode roundingOf(Operation *op) {
  if (auto quantNorm = dyn_cast<QuantNormOp>(op))
    return quantNorm.getMultiplier().getRounding();
  return cast<RequantizeOp>(op).getMultiplier().getRounding();
}

bool inI32(int64_t v) {
  return v >= std::numeric_limits<int32_t>::min() && v <= std::numeric_limits<int32_t>::max();
}

/// The add's output range, as Epilogue::apply clamps it.
std::pair<int64_t, int64_t> outputRange(AddOp add) {
  unsigned bits = add.getOutput().getType().getElementType().getIntOrFloatBitWidth();
  return {numerics::minValue(bits, !add.getOutputUnsigned()),
          numerics::maxValue(bits, !add.getOutputUnsigned())};
}

/// Largest |v| over an operand's integer type.
double largestMagnitude(Value operand, bool isUnsigned) {
  unsigned width =
      cast<RankedTensorType>(operand.getType()).getElementType().getIntOrFloatBitWidth();
  return std::max(std::abs(double(numerics::minValue(width, !isUnsigned))),
                  std::abs(double(numerics::maxValue(width, !isUnsigned))));
}

} // namespace

std::optional<std::pair<SmallVector<double>, SmallVector<double>>>
mlir::pike::cpu::planFloat64Scaling(const Epilogue &epilogue, int64_t channels) {
  Operation *op = epilogue.op;
  if (!op || epilogue.accType.getWidth() != 32 ||
      int64_t(epilogue.accumulatorBounds.size()) != channels)
    return std::nullopt;
  auto requantize = dyn_cast<RequantizeOp>(op);
  // An unsigned accumulator would need its own conversion; rare, left as is.
  if (requantize && requantize.getInputUnsigned())
    return std::nullopt;
  Clamp range = clampOf(op);
  if (!inI32(range.zp) || !inI32(range.lo - range.zp) || !inI32(range.hi - range.zp))
    return std::nullopt;
  FixedPointAttr fp = isa<QuantNormOp>(op) ? cast<QuantNormOp>(op).getMultiplier()
                                           : requantize.getMultiplier();
  RoundingMode mode = roundingOf(op);
  if (!hasFloat64Form(mode))
    return std::nullopt;
  std::optional<ArrayRef<int64_t>> bias;
  if (auto quantNorm = dyn_cast<QuantNormOp>(op))
    bias = quantNorm.getBias();
  int64_t inputZp = requantize ? requantize.getInputZp() : 0;
  int64_t padded = llvm::divideCeil(channels, epilogue.lanes) * epilogue.lanes;
  SmallVector<double> multipliers, biases;
  for (int64_t c = 0; c < padded; ++c) {
    int64_t real = std::min(c, channels - 1);
    unsigned shift = fp.getShift(real);
    if (!shiftFits(mode, shift))
      return std::nullopt;
    // The accumulator is an i32 whatever the bound says (it wraps).
    double x = std::min(double(epilogue.accumulatorBounds[real]), 2147483648.0);
    double m = double(fp.getMultiplier(real));
    // B, with a requantize's input zero point folded in: (a - zp) M = a M - zp M.
    double b = bias ? double((*bias)[bias->size() == 1 ? 0 : real]) : 0.0;
    double folded = b - double(inputZp) * m;
    if (x * m + std::abs(b) + std::abs(double(inputZp)) * m >= kExactBound ||
        std::abs(folded) >= kExactBound)
      return std::nullopt;
    // Powers of two scale exactly (no term here gets near the subnormals).
    multipliers.push_back(std::ldexp(m, -int(shift)));
    biases.push_back(std::ldexp(folded, -int(shift)));
  }
  return std::make_pair(std::move(multipliers), std::move(biases));
}

bool mlir::pike::cpu::residualFitsFloat64(const Epilogue &epilogue) {
  AddOp add = epilogue.residual;
  if (!add)
    return false;
  bool isLhs = epilogue.residualIsLhs;
  FixedPointAttr ownScale = *(isLhs ? add.getLhsScale() : add.getRhsScale());
  FixedPointAttr skipScale = *(isLhs ? add.getRhsScale() : add.getLhsScale());
  RoundingMode mode = ownScale.getRounding();
  unsigned shift = ownScale.getShift(0);
  if (!hasFloat64Form(mode) || !shiftFits(mode, shift))
    return false;
  auto [lo, hi] = outputRange(add);
  if (!inI32(add.getOutputZp()) || !inI32(lo - add.getOutputZp()) ||
      !inI32(hi - add.getOutputZp()))
    return false;
  // The own operand arrives less ownOffset(); the partial sums are at most
  // |own| Mo + |skip| Ms + |constant|, all in units of 2^-shift.
  double offset = std::abs(double(ownOffset(epilogue)));
  Value own = isLhs ? add.getLhs() : add.getRhs(), skip = isLhs ? add.getRhs() : add.getLhs();
  int64_t ownZp = isLhs ? add.getLhsZp() : add.getRhsZp();
  int64_t skipZp = isLhs ? add.getRhsZp() : add.getLhsZp();
  double mo = double(ownScale.getMultiplier(0)), ms = double(skipScale.getMultiplier(0));
  double ownMax = largestMagnitude(own, isLhs ? add.getLhsUnsigned() : add.getRhsUnsigned());
  double skipMax = largestMagnitude(skip, isLhs ? add.getRhsUnsigned() : add.getLhsUnsigned());
  double constant = (offset + std::abs(double(ownZp))) * mo + std::abs(double(skipZp)) * ms;
  return (ownMax + offset) * mo + skipMax * ms + constant < kExactBound;
}

int64_t mlir::pike::cpu::ownOffset(const Epilogue &epilogue) {
  return epilogue.scalesInFloat64 ? clampOf(epilogue.op).zp : 0;
}

Value mlir::pike::cpu::scaleInFloat64(OpBuilder &b, Location loc, const Epilogue &epilogue,
                                      Value acc, ValueRange tables) {
  auto doubles = VectorType::get({epilogue.lanes}, b.getF64Type());
  Value x = arith::SIToFPOp::create(b, loc, doubles, acc);
  Value y = math::FmaOp::create(b, loc, x, tables[0], tables[1]);
  Clamp range = clampOf(epilogue.op);
  // Clamping to integer bounds before rounding gives the rounded value's
  // clamp: rounding is monotone and keeps integers.
  return clamp(b, loc, y, range.lo - range.zp, range.hi - range.zp);
}

Value mlir::pike::cpu::storeScaled(OpBuilder &b, Location loc, const Epilogue &epilogue,
                                   Value scaled) {
  auto type = cast<VectorType>(scaled.getType()).clone(b.getI32Type());
  Value integers = roundToI32(b, loc, scaled, roundingOf(epilogue.op));
  int64_t zp = clampOf(epilogue.op).zp;
  if (zp != 0)
    integers = arith::AddIOp::create(b, loc, integers, lowering::narrowInt(b, loc, type, zp));
  Type outType = cast<RankedTensorType>(epilogue.op->getResult(0).getType()).getElementType();
  if (outType.getIntOrFloatBitWidth() < 8)
    outType = b.getI8Type();
  return castInt(b, loc, integers, outType, /*isUnsigned=*/false);
}

Value mlir::pike::cpu::addResidualInFloat64(OpBuilder &b, Location loc, const Epilogue &epilogue,
                                            Value scaled, Value stored, ValueRange position,
                                            bool partial) {
  AddOp add = epilogue.residual;
  auto doubles = VectorType::get({epilogue.lanes}, b.getF64Type());
  auto words = VectorType::get({epilogue.lanes}, b.getI32Type());
  bool isLhs = epilogue.residualIsLhs;
  FixedPointAttr ownScale = *(isLhs ? add.getLhsScale() : add.getRhsScale());
  FixedPointAttr skipScale = *(isLhs ? add.getRhsScale() : add.getLhsScale());
  int64_t ownZp = isLhs ? add.getLhsZp() : add.getRhsZp();
  int64_t skipZp = isLhs ? add.getRhsZp() : add.getLhsZp();
  bool ownUnsigned = isLhs ? add.getLhsUnsigned() : add.getRhsUnsigned();
  bool skipUnsigned = isLhs ? add.getRhsUnsigned() : add.getLhsUnsigned();
  // The op's numbers less ownOffset: its float64 lanes as scaled, or the
  // stored vector converted.
  Value own = epilogue.scalesInFloat64
                  ? roundAs(b, loc, scaled, roundingOf(epilogue.op))
                  : arith::SIToFPOp::create(b, loc, doubles,
                                            castInt(b, loc, stored, words, ownUnsigned))
                        .getResult();
  int shift = int(ownScale.getShift(0));
  double ownM = std::ldexp(double(ownScale.getMultiplier(0)), -shift);
  double skipM = std::ldexp(double(skipScale.getMultiplier(0)), -shift);
  Value skipBytes = readVector(b, loc, VectorType::get({epilogue.lanes}, b.getI8Type()),
                               epilogue.skip, position, partial);
  Value skip = arith::SIToFPOp::create(b, loc, doubles,
                                       castInt(b, loc, skipBytes, words, skipUnsigned));
  // (own + offset - ownZp) Mo + (skip - skipZp) Ms, both zero points in
  // one constant.
  double constant =
      double(ownOffset(epilogue) - ownZp) * ownM - double(skipZp) * skipM;
  Value partialSum = math::FmaOp::create(b, loc, skip, splat(b, loc, doubles, skipM),
                                         splat(b, loc, doubles, constant));
  Value y = math::FmaOp::create(b, loc, own, splat(b, loc, doubles, ownM), partialSum);
  auto [lo, hi] = outputRange(add);
  int64_t zp = add.getOutputZp();
  Value clamped = clamp(b, loc, y, lo - zp, hi - zp);
  Value integers = roundToI32(b, loc, clamped, ownScale.getRounding());
  if (zp != 0)
    integers = arith::AddIOp::create(b, loc, integers, lowering::narrowInt(b, loc, words, zp));
  return castInt(b, loc, integers, epilogue.byteType(), /*isUnsigned=*/false);
}
