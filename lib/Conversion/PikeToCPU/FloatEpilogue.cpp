//===- FloatEpilogue.cpp - Exact fixed-point scaling in float lanes -------===//
//
// float64: round_shift(x * M + B, s) is round((x * M + B) * 2^-s). When
// |x| * M + |B| stays below 2^52, the exact value y = x * (M 2^-s) + B 2^-s
// is a multiple of 2^-s below 2^(52 - s) in magnitude, which a double
// holds: one fused multiply-add computes y without error from the exact
// (power-of-two scaled) doubles M 2^-s and B 2^-s, and rounding y to an
// integer is the fixed-point rounding.
//
// float32 (the `float32` rounding, onnxruntime's): x + B and then its
// product by M each rounded to 24 significant bits, ties to even, then a
// half_even shift by s. That is float32 arithmetic: sitofp of the i32
// x + B, one multiply by M 2^-s (scaling by a power of two commutes with
// the rounding), and a half-even rounding.
//
// Either way the value is clamped to [min - zp, max - zp] before it is
// rounded (the same as after: the bounds are integers and rounding is
// monotone), then rounded half-even by adding 1.5 * 2^(p - 1) (p the
// significand's bits), whose sum's low bits are the integer. Where no bound
// holds or the rounding has no float form, the kernels keep i64 lanes.
//
// In AVX2's 256-bit registers, where the rounded words go straight to i32
// lanes, the doubles hold each register's 128-bit blocks by halves
// (`doublesByHalves`): the accumulators, offset by 2^31 in the kernel's
// correction table (no instruction), are unpacked against the high word of
// 2^52 (the double 2^52 + 2^31 + x, less that constant exactly x), and the
// low words of the two halves come back in order by one in-block shuffle
// (vshufps). The conversion (vcvtdq2pd after vextracti128) and the
// cross-block gather (vpermpd) it replaces crowded the shuffle ports.
//
//===----------------------------------------------------------------------===//

#include "FloatEpilogue.h"

#include "pike/Conversion/LoweringUtils.h"
#include "pike/Numerics/FixedPoint.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

#include "llvm/ADT/bit.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::pike;
using namespace mlir::pike::cpu;
using lowering::castInt;
using ScaleLanes = Epilogue::ScaleLanes;

namespace {

/// Magnitudes below this keep every float64 intermediate exact, with room
/// for the half that `single` adds before its floor.
constexpr double kExactBound = 4503599627370496.0; // 2^52
/// Clamped float32 values stay below this, where the rounding add works.
constexpr int64_t kFloat32Range = int64_t(1) << 22;

/// Whether `mode` takes float64 lanes: ties to even (`half_even`), which
/// the add of 1.5 * 2^52 rounds. `single`, `tvm_upward` and
/// `tvm_tonearest` would need floor or round (vrndscalepd, two uops on one
/// port), which made a depthwise layer 1.6x slower than its i64 lanes
/// (bench/RESULTS.md); they keep i64 lanes.
bool hasFloat64Form(RoundingMode mode) { return mode == RoundingMode::half_even; }

bool shiftFits(unsigned shift) { return shift >= 1 && shift <= 62; }

Value splat(OpBuilder &b, Location loc, VectorType type, double value) {
  return arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(type, b.getFloatAttr(type.getElementType(), value)));
}

/// 1.5 * 2^(p - 1) for a significand of p bits: for |y| < 2^(p - 2),
/// y + bias lies in [2^(p - 1), 2^p), where the floats are the integers, so
/// the add rounds y to nearest, ties to even (IEEE's default rounding,
/// which LLVM assumes), and the sum's bit pattern less the bias's is that
/// integer. Two adds on any FP port, where vrndscalepd is two uops on one.
double roundingBias(Type element) {
  return element.isF64() ? 6755399441055744.0 : 12582912.0;
}

/// `y` rounded half to even, as a float (both float forms round so).
Value roundHalfEven(OpBuilder &b, Location loc, Value y) {
  auto type = cast<VectorType>(y.getType());
  Value bias = splat(b, loc, type, roundingBias(type.getElementType()));
  return arith::SubFOp::create(b, loc, arith::AddFOp::create(b, loc, y, bias), bias);
}

/// `y` (clamped: |y| < 2^31, below 2^22 in float32) rounded half to even,
/// plus `offset`, as i32 lanes.
Value roundToI32(OpBuilder &b, Location loc, Value y, int64_t offset) {
  auto type = cast<VectorType>(y.getType());
  auto words = type.clone(b.getI32Type());
  double bias = roundingBias(type.getElementType());
  Value biased = arith::AddFOp::create(b, loc, y, splat(b, loc, type, bias));
  if (type.getElementType().isF32()) {
    // The biased sum's bits less the bias's bits: the integer, and the
    // offset in the same subtraction.
    Value bits = arith::BitcastOp::create(b, loc, words, biased);
    int64_t biasBits = llvm::bit_cast<int32_t>(float(bias));
    return arith::SubIOp::create(b, loc, bits,
                                 lowering::narrowInt(b, loc, words, biasBits - offset));
  }
  // A double's low 32 bits: the integer in two's complement (the bias's
  // low 32 bits are zero).
  Value bits = arith::BitcastOp::create(b, loc, type.clone(b.getI64Type()), biased);
  Value integers = arith::TruncIOp::create(b, loc, words, bits);
  if (offset != 0)
    integers = arith::AddIOp::create(b, loc, integers, lowering::narrowInt(b, loc, words, offset));
  return integers;
}

/// `x` clamped to [lo, hi]; no lane is NaN, so no NaN handling is emitted.
Value clamp(OpBuilder &b, Location loc, Value x, int64_t lo, int64_t hi) {
  auto type = cast<VectorType>(x.getType());
  auto flags = arith::FastMathFlags::nnan | arith::FastMathFlags::nsz;
  Value low = arith::MaxNumFOp::create(b, loc, x, splat(b, loc, type, double(lo)), flags);
  return arith::MinNumFOp::create(b, loc, low, splat(b, loc, type, double(hi)), flags);
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

/// Per-channel tables of the op's float scaling: the multipliers M 2^-s and
/// the addends (B 2^-s in float64 lanes, B as an i32 in float32 lanes, the
/// requantize's input zero point folded into B).
struct Plan {
  ScaleLanes lanes;
  SmallVector<double> multipliers;
  SmallVector<int64_t> integerAddends;
  SmallVector<double> addends;
  /// Every scaled value plus the output zero point less than 2^31 - 1 in
  /// magnitude (float64 lanes).
  bool fitsI32 = true;
};

std::optional<Plan> planScaling(const Epilogue &epilogue, int64_t channels) {
  Operation *op = epilogue.op;
  if (!op || epilogue.accType.getWidth() != 32 ||
      int64_t(epilogue.accumulatorBounds.size()) != channels)
    return std::nullopt;
  auto requantize = dyn_cast<RequantizeOp>(op);
  // An unsigned accumulator would need its own conversion; rare, left as is.
  if (requantize && requantize.getInputUnsigned())
    return std::nullopt;
  Clamp range = clampOf(op);
  FixedPointAttr fp = multiplierOf(op);
  RoundingMode mode = fp.getRounding();
  bool float32 = mode == RoundingMode::float32;
  int64_t reach = float32 ? kFloat32Range : int64_t(1) << 31;
  auto within = [&](int64_t v) { return v > -reach && v < reach; };
  if (!inI32(range.zp) || !within(range.lo - range.zp) || !within(range.hi - range.zp) ||
      !(float32 || hasFloat64Form(mode)))
    return std::nullopt;
  std::optional<ArrayRef<int64_t>> bias;
  if (auto quantNorm = dyn_cast<QuantNormOp>(op))
    bias = quantNorm.getBias();
  double inputZp = requantize ? double(int64_t(requantize.getInputZp())) : 0.0;
  int64_t padded = llvm::divideCeil(channels, epilogue.lanes) * epilogue.lanes;
  Plan plan{float32 ? ScaleLanes::f32 : ScaleLanes::f64, {}, {}, {}};
  for (int64_t c = 0; c < padded; ++c) {
    int64_t real = std::min(c, channels - 1);
    unsigned shift = fp.getShift(real);
    // The accumulator is an i32 whatever the bound says (it wraps).
    double x = std::min(double(epilogue.accumulatorBounds[real]), 2147483648.0);
    double m = double(fp.getMultiplier(real));
    double b = bias ? double((*bias)[bias->size() == 1 ? 0 : real]) : 0.0;
    // (a - zp) M + B = a M + (B - zp M); float32 adds B - zp to a first.
    if (float32) {
      // x + B - zp is computed in i32; M and M 2^-s are exact floats.
      if (x + std::abs(b) + std::abs(inputZp) >= 2147483648.0 || m >= double(1 << 24) ||
          shift > 100)
        return std::nullopt;
      plan.multipliers.push_back(std::ldexp(m, -int(shift)));
      plan.integerAddends.push_back(int64_t(b - inputZp));
      continue;
    }
    if (!shiftFits(shift))
      return std::nullopt;
    double folded = b - inputZp * m;
    if (x * m + std::abs(b) + std::abs(inputZp) * m >= kExactBound ||
        std::abs(folded) >= kExactBound)
      return std::nullopt;
    // |x M + B - zp M| 2^-s bounds the value before rounding; the output
    // zero point is added to it in i32 (storeInI32).
    if (std::ldexp(x * m + std::abs(folded), -int(shift)) + std::abs(double(range.zp)) >=
        2147483647.0)
      plan.fitsI32 = false;
    // Powers of two scale exactly (no term here gets near the subnormals).
    plan.multipliers.push_back(std::ldexp(m, -int(shift)));
    plan.addends.push_back(std::ldexp(folded, -int(shift)));
  }
  return plan;
}

/// Whether the fused residual add's scaling is exact in float64 lanes,
/// reading the op's rounded lanes less its output zero point.
bool residualFits(const Epilogue &epilogue) {
  AddOp add = epilogue.residual;
  if (!add)
    return false;
  bool isLhs = epilogue.residualIsLhs;
  FixedPointAttr ownScale = *(isLhs ? add.getLhsScale() : add.getRhsScale());
  FixedPointAttr skipScale = *(isLhs ? add.getRhsScale() : add.getLhsScale());
  RoundingMode mode = ownScale.getRounding();
  unsigned shift = ownScale.getShift(0);
  if (!hasFloat64Form(mode) || !shiftFits(shift))
    return false;
  auto [lo, hi] = outputRange(add);
  if (!inI32(add.getOutputZp()) || !inI32(lo - add.getOutputZp()) ||
      !inI32(hi - add.getOutputZp()))
    return false;
  // The partial sums are at most |own| Mo + |skip| Ms + |constant|, in
  // units of 2^-shift.
  double offset = std::abs(double(clampOf(epilogue.op).zp));
  Value own = isLhs ? add.getLhs() : add.getRhs(), skip = isLhs ? add.getRhs() : add.getLhs();
  int64_t ownZp = isLhs ? add.getLhsZp() : add.getRhsZp();
  int64_t skipZp = isLhs ? add.getRhsZp() : add.getLhsZp();
  double mo = double(ownScale.getMultiplier(0)), ms = double(skipScale.getMultiplier(0));
  double ownMax = largestMagnitude(own, isLhs ? add.getLhsUnsigned() : add.getRhsUnsigned());
  double skipMax = largestMagnitude(skip, isLhs ? add.getRhsUnsigned() : add.getLhsUnsigned());
  double constant = (offset + std::abs(double(ownZp))) * mo + std::abs(double(skipZp)) * ms;
  return (ownMax + offset) * mo + skipMax * ms + constant < kExactBound;
}

Value floatTable(OpBuilder &b, Location loc, ArrayRef<double> values, FloatType type) {
  auto tableType = RankedTensorType::get({int64_t(values.size())}, type);
  SmallVector<Attribute> attrs;
  for (double v : values)
    attrs.push_back(b.getFloatAttr(type, v));
  return arith::ConstantOp::create(b, loc, DenseElementsAttr::get(tableType, attrs));
}

/// Double position q of a `lanes`-lane vector holds i32 lane order[q]: per
/// register of `registerLanes`, the low halves of its 128-bit blocks, then
/// the high halves (what vpunpckldq and vpunpckhdq produce).
SmallVector<int64_t> halvesOrder(int64_t lanes, int64_t registerLanes) {
  SmallVector<int64_t> order;
  for (int64_t reg = 0; reg < lanes; reg += registerLanes)
    for (int64_t half : {0, 2})
      for (int64_t block = 0; block < registerLanes; block += 4)
        for (int64_t j : {0, 1})
          order.push_back(reg + block + half + j);
  return order;
}

/// The accumulators `offsetAcc` (offset by 2^31 in the kernel's correction,
/// Epilogue::correctionOffset: unsigned numbers) as doubles in halvesOrder,
/// exactly: the low words of 2^52 + 2^31 + acc, less that.
Value doublesByHalves(OpBuilder &b, Location loc, const Epilogue &epilogue, Value offsetAcc) {
  int64_t lanes = epilogue.lanes;
  auto words = VectorType::get({lanes}, b.getI32Type());
  // 0x43300000: the high word of 2^52.
  Value exponent = lowering::narrowInt(b, loc, words, 0x43300000);
  SmallVector<int64_t> picks;
  for (int64_t lane : halvesOrder(lanes, epilogue.registerLanes))
    picks.append({lane, lanes + lane});
  Value pairs = vector::ShuffleOp::create(b, loc, offsetAcc, exponent, picks);
  auto doubles = VectorType::get({lanes}, b.getF64Type());
  Value biased = vector::BitCastOp::create(b, loc, doubles, pairs);
  return arith::SubFOp::create(b, loc, biased, splat(b, loc, doubles, 0x1p52 + 0x1p31));
}

/// The op's scaled value in the epilogue's float lanes, not yet clamped.
Value scaled(OpBuilder &b, Location loc, const Epilogue &epilogue, Value acc, ValueRange tables) {
  if (epilogue.scaleLanes == ScaleLanes::f32) {
    // float(a + B) * (M 2^-s): the two float32 roundings.
    auto floats = VectorType::get({epilogue.lanes}, b.getF32Type());
    Value biased = arith::AddIOp::create(b, loc, acc, tables[1]);
    return arith::MulFOp::create(b, loc, arith::SIToFPOp::create(b, loc, floats, biased),
                                 tables[0]);
  }
  auto doubles = VectorType::get({epilogue.lanes}, b.getF64Type());
  Value x = epilogue.doublesByHalves ? doublesByHalves(b, loc, epilogue, acc)
                                     : arith::SIToFPOp::create(b, loc, doubles, acc).getResult();
  return math::FmaOp::create(b, loc, x, tables[0], tables[1]);
}

/// The op's scaled value clamped to [min - zp, max - zp], not yet rounded.
Value clampedScale(OpBuilder &b, Location loc, const Epilogue &epilogue, Value acc,
                   ValueRange tables) {
  Clamp range = clampOf(epilogue.op);
  Value y = scaled(b, loc, epilogue, acc, tables);
  return clamp(b, loc, y, range.lo - range.zp, range.hi - range.zp);
}

/// The element type the op's numbers are stored in: its own, or i8 when
/// narrower.
Type opByteType(OpBuilder &b, const Epilogue &epilogue) {
  Type outType = cast<RankedTensorType>(epilogue.op->getResult(0).getType()).getElementType();
  return outType.getIntOrFloatBitWidth() < 8 ? b.getI8Type() : outType;
}

/// The op's stored vector when every scaled value plus the zero point
/// rounds into i32: the float64 lanes rounded as they are, their low words
/// gathered into one i32 vector (one shuffle), then offset and clamped
/// there. Clamping the i32 lanes instead of the doubles spares two min/max
/// pairs and narrows from 32 bits, not 64 (a 112x112 16 -> 96 pointwise
/// layer: 0.302 -> 0.266 ms on AVX-512). The zero point is not folded into
/// the rounding bias: ties to even would then round to the even sum.
Value storeInI32(OpBuilder &b, Location loc, const Epilogue &epilogue, Value acc,
                 ValueRange tables) {
  int64_t lanes = epilogue.lanes;
  auto doubles = VectorType::get({lanes}, b.getF64Type());
  Value y = scaled(b, loc, epilogue, acc, tables);
  Value biased =
      arith::AddFOp::create(b, loc, y, splat(b, loc, doubles, roundingBias(b.getF64Type())));
  // A double's low 32 bits: the integer in two's complement (the bias's
  // low 32 bits are zero); the even words of the doubles' bits.
  auto allWords = VectorType::get({2 * lanes}, b.getI32Type());
  Value bits = vector::BitCastOp::create(b, loc, allWords, biased);
  SmallVector<int64_t> lowWords(lanes);
  SmallVector<int64_t> order = epilogue.doublesByHalves
                                   ? halvesOrder(lanes, epilogue.registerLanes)
                                   : llvm::to_vector(llvm::seq<int64_t>(0, lanes));
  for (int64_t q = 0; q < lanes; ++q)
    lowWords[order[q]] = 2 * q;
  Value integers = vector::ShuffleOp::create(b, loc, bits, bits, lowWords);
  Clamp range = clampOf(epilogue.op);
  return clampOffset(b, loc, integers, range.zp, range.lo, range.hi, opByteType(b, epilogue),
                     /*offsetFits=*/true);
}

/// Whether the float64 lanes of `plan` hold the doubles by halves: in
/// 256-bit x86 registers, where the rounded words go straight to i32 lanes
/// (storeInI32). By llvm-mca's port models a 16-output step gains on every
/// 256-bit core but Zen 2 (reciprocal throughput 3.0 -> 2.0 on Zen 3, 5.0 ->
/// 3.0 on Skylake), not with 512-bit registers on Ice Lake (6.0 -> 7.0),
/// where vpermt2d gathers the words in one shuffle anyway.
bool byHalves(const Epilogue &epilogue, const Plan &plan) {
  return plan.lanes == ScaleLanes::f64 && plan.fitsI32 && !epilogue.residual &&
         epilogue.registerLanes == 8 && epilogue.lanes % 8 == 0;
}

} // namespace

bool mlir::pike::cpu::scalesByHalves(const Epilogue &epilogue, int64_t channels) {
  std::optional<Plan> plan = planScaling(epilogue, channels);
  return plan && byHalves(epilogue, *plan);
}

bool mlir::pike::cpu::materializeFloatScaling(OpBuilder &b, Location loc, Epilogue &epilogue,
                                              int64_t channels) {
  std::optional<Plan> plan = planScaling(epilogue, channels);
  if (!plan)
    return false;
  epilogue.scaleLanes = plan->lanes;
  epilogue.scaledFitsI32 = plan->lanes == ScaleLanes::f64 && plan->fitsI32;
  epilogue.residualInFloat64 = residualFits(epilogue);
  epilogue.doublesByHalves = byHalves(epilogue, *plan);
  assert((!epilogue.doublesByHalves || epilogue.offsetAsked) &&
         "a kernel whose doubles go by halves must offset its correction");
  if (epilogue.doublesByHalves) {
    // Each vector's table entries in the order its doubles hold them.
    SmallVector<int64_t> order = halvesOrder(epilogue.lanes, epilogue.registerLanes);
    for (SmallVector<double> *table : {&plan->multipliers, &plan->addends}) {
      SmallVector<double> inOrder(*table);
      for (size_t first = 0; first < table->size(); first += epilogue.lanes)
        for (int64_t q = 0; q < epilogue.lanes; ++q)
          (*table)[first + q] = inOrder[first + order[q]];
    }
  }
  if (plan->lanes == ScaleLanes::f32)
    epilogue.channelTables = {floatTable(b, loc, plan->multipliers, b.getF32Type()),
                              constantTable(b, loc, plan->integerAddends, b.getI32Type())};
  else
    epilogue.channelTables = {floatTable(b, loc, plan->multipliers, b.getF64Type()),
                              floatTable(b, loc, plan->addends, b.getF64Type())};
  return true;
}

Value mlir::pike::cpu::storeFloatScaled(OpBuilder &b, Location loc, const Epilogue &epilogue,
                                        Value acc, ValueRange tables) {
  if (epilogue.scaledFitsI32 && !epilogue.residual)
    return storeInI32(b, loc, epilogue, acc, tables);
  Value clamped = clampedScale(b, loc, epilogue, acc, tables);
  Value integers = roundToI32(b, loc, clamped, clampOf(epilogue.op).zp);
  return castInt(b, loc, integers, opByteType(b, epilogue), /*isUnsigned=*/false);
}

Value mlir::pike::cpu::addResidualInFloat64(OpBuilder &b, Location loc, const Epilogue &epilogue,
                                            Value acc, ValueRange tables, ValueRange position,
                                            bool partial) {
  AddOp add = epilogue.residual;
  auto doubles = VectorType::get({epilogue.lanes}, b.getF64Type());
  auto words = VectorType::get({epilogue.lanes}, b.getI32Type());
  // The op's numbers less its zero point, rounded, in float64 lanes.
  Value own = roundHalfEven(b, loc, clampedScale(b, loc, epilogue, acc, tables));
  if (epilogue.scaleLanes == ScaleLanes::f32)
    own = arith::ExtFOp::create(b, loc, doubles, own);
  bool isLhs = epilogue.residualIsLhs;
  FixedPointAttr ownScale = *(isLhs ? add.getLhsScale() : add.getRhsScale());
  FixedPointAttr skipScale = *(isLhs ? add.getRhsScale() : add.getLhsScale());
  int64_t ownZp = isLhs ? add.getLhsZp() : add.getRhsZp();
  int64_t skipZp = isLhs ? add.getRhsZp() : add.getLhsZp();
  bool skipUnsigned = isLhs ? add.getRhsUnsigned() : add.getLhsUnsigned();
  int shift = int(ownScale.getShift(0));
  double ownM = std::ldexp(double(ownScale.getMultiplier(0)), -shift);
  double skipM = std::ldexp(double(skipScale.getMultiplier(0)), -shift);
  Value skipBytes = epilogue.readSkip(b, loc, position, partial);
  Value skip = arith::SIToFPOp::create(b, loc, doubles,
                                       castInt(b, loc, skipBytes, words, skipUnsigned));
  // (own + zp - ownZp) Mo + (skip - skipZp) Ms, both zero points in one
  // constant.
  double constant =
      double(clampOf(epilogue.op).zp - ownZp) * ownM - double(skipZp) * skipM;
  Value partialSum = math::FmaOp::create(b, loc, skip, splat(b, loc, doubles, skipM),
                                         splat(b, loc, doubles, constant));
  Value y = math::FmaOp::create(b, loc, own, splat(b, loc, doubles, ownM), partialSum);
  auto [lo, hi] = outputRange(add);
  int64_t zp = add.getOutputZp();
  Value integers = roundToI32(b, loc, clamp(b, loc, y, lo - zp, hi - zp), zp);
  return castInt(b, loc, integers, epilogue.byteType(), /*isUnsigned=*/false);
}
