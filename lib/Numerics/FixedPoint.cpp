//===- FixedPoint.cpp - Pike's integer semantics, free of MLIR ------------===//

#include "pike/Numerics/FixedPoint.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

namespace mlir::pike::numerics {

int64_t minValue(unsigned bits, bool isSigned) {
  if (!isSigned)
    return 0;
  if (bits >= 64)
    return std::numeric_limits<int64_t>::min();
  return -(int64_t(1) << (bits - 1));
}

int64_t maxValue(unsigned bits, bool isSigned) {
  if (bits >= 64 || (!isSigned && bits >= 63))
    return std::numeric_limits<int64_t>::max();
  return isSigned ? (int64_t(1) << (bits - 1)) - 1 : (int64_t(1) << bits) - 1;
}

int64_t saturate(int64_t value, int64_t lo, int64_t hi) {
  return std::min(std::max(value, lo), hi);
}

double roundHalfToEven(double value) {
  // nearbyint rounds with the current mode, which is to-nearest-even by
  // default; spelling it out keeps the result independent of fesetround.
  double floorValue = std::floor(value);
  double diff = value - floorValue;
  if (diff < 0.5)
    return floorValue;
  if (diff > 0.5)
    return floorValue + 1.0;
  return std::fmod(floorValue, 2.0) == 0.0 ? floorValue : floorValue + 1.0;
}

double roundReal(double value, RealRounding mode) {
  switch (mode) {
  case RealRounding::HalfEven:
    return roundHalfToEven(value);
  case RealRounding::Floor:
    return std::floor(value);
  case RealRounding::Ceil:
    return std::ceil(value);
  case RealRounding::TowardZero:
    return std::trunc(value);
  }
  return value;
}

int64_t quantize(double x, double scale, int64_t zeroPoint, unsigned bits,
                 bool isSigned, RealRounding mode) {
  double lo = double(minValue(bits, isSigned));
  double hi = double(maxValue(bits, isSigned));
  double q = roundReal(x / scale, mode) + double(zeroPoint);
  if (std::isnan(q))
    return zeroPoint;
  return int64_t(std::min(std::max(q, lo), hi));
}

double dequantize(int64_t q, double scale, int64_t zeroPoint) {
  return double(q - zeroPoint) * scale;
}

int64_t quantizeFloat32(double x, double scale, int64_t zeroPoint, unsigned bits,
                        bool isSigned) {
  float scaled = float(x) / float(scale);
  if (std::isnan(scaled))
    return zeroPoint;
  double shifted = double(std::nearbyint(scaled)) + double(zeroPoint);
  return int64_t(std::clamp(shifted, double(minValue(bits, isSigned)),
                            double(maxValue(bits, isSigned))));
}

namespace {

/// gemmlowp's RoundingDivideByPOT: x / 2^exponent, ties away from zero.
__int128 roundingDivideByPOT(__int128 x, unsigned exponent) {
  if (exponent == 0)
    return x;
  __int128 mask = (__int128(1) << exponent) - 1;
  __int128 remainder = x & mask;
  __int128 threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

/// TFLite's MultiplyByQuantizedMultiplier on the product `value` (already
/// x * multiplier): the doubling high multiply's rounding division by 2^31
/// (nudge 2^30, or 1 - 2^30 below zero, then truncation), then the
/// rounding division by 2^(shift - 31).
int64_t tfliteShift(int64_t value, unsigned shift) {
  __int128 product = __int128(value);
  if (shift < 31)
    product *= __int128(1) << (31 - shift);
  __int128 nudge = product >= 0 ? (__int128(1) << 30) : 1 - (__int128(1) << 30);
  __int128 high = (product + nudge) / (__int128(1) << 31); // C++ truncates toward zero
  return int64_t(roundingDivideByPOT(high, shift > 31 ? shift - 31 : 0));
}

} // namespace

int64_t roundToFloat32(int64_t value) {
  uint64_t magnitude = value < 0 ? 0 - uint64_t(value) : uint64_t(value);
  unsigned length = magnitude == 0 ? 0 : 64 - unsigned(__builtin_clzll(magnitude));
  if (length <= kFloat32SignificandBits)
    return value;
  unsigned drop = length - kFloat32SignificandBits;
  // Ties to even at bit `drop`, as roundingShift's HalfEven; the carry may
  // make the magnitude 2^64, which saturates (never reached from i64 apply_scale).
  unsigned __int128 quotient = magnitude >> drop;
  unsigned __int128 remainder = magnitude & ((uint64_t(1) << drop) - 1);
  uint64_t half = uint64_t(1) << (drop - 1);
  if (remainder > half || (remainder == half && (quotient & 1)))
    ++quotient;
  unsigned __int128 rounded = quotient << drop;
  if (rounded > uint64_t(std::numeric_limits<int64_t>::max()))
    return value < 0 ? std::numeric_limits<int64_t>::min() : std::numeric_limits<int64_t>::max();
  return value < 0 ? -int64_t(rounded) : int64_t(rounded);
}

IntRange roundToFloat32(const IntRange &value) {
  // Rounding is monotone and moves a value by at most 2^-24 of it.
  using Wide = IntRange::Wide;
  auto slack = [](Wide v) { return (v < 0 ? -v : v) >> 23; };
  if (value.isOverflowed())
    return value;
  return IntRange(value.lo() - slack(value.lo()) - 1, value.hi() + slack(value.hi()) + 1);
}

int64_t roundingShift(int64_t value, unsigned shift, Rounding mode) {
  if (mode == Rounding::Float32)
    return roundingShift(roundToFloat32(value), shift, Rounding::HalfEven);
  if (mode == Rounding::Tflite)
    return tfliteShift(value, shift);
  if (mode == Rounding::TvmToNearest) {
    // 2^(s-1) added above zero, 2^(s-1) - 1 below: a tie moves away from zero.
    __int128 half = __int128(1) << (shift - 1);
    return int64_t((__int128(value) + (value >= 0 ? half : half - 1)) >> shift);
  }
  if (mode == Rounding::HalfEven) {
    // (v + 2^(s-1) - 1 + (floor(v / 2^s) & 1)) >> s: a tie goes up only
    // from an odd quotient.
    __int128 quotient = __int128(value) >> shift;
    __int128 rounded = __int128(value) + (__int128(1) << (shift - 1)) - 1 + (quotient & 1);
    return int64_t(rounded >> shift);
  }
  __int128 rounded = __int128(value) + (__int128(1) << (shift - 1));
  if (mode == Rounding::Double && shift > 31)
    rounded += value >= 0 ? (__int128(1) << 30) : -(__int128(1) << 30);
  // Arithmetic shift: floor division by 2^shift.
  return int64_t(rounded >> shift);
}

std::vector<Intermediate> roundingShiftIntermediates(const IntRange &value,
                                                     unsigned shift, Rounding mode) {
  using Wide = IntRange::Wide;
  IntRange base = value;
  auto plus = [&](Wide lo, Wide hi) { return base + IntRange(lo, hi); };
  // tflite's first rounding is single rounding by min(s, 31) (docs/Numerics.md).
  unsigned first = mode == Rounding::Tflite ? std::min(shift, 31u) : shift;
  Wide half = Wide(1) << (first - 1);
  std::vector<Intermediate> result;
  if (mode == Rounding::Float32) {
    base = roundToFloat32(value);
    result.push_back({"the value rounded to float32", base});
  }
  result.push_back({"the value plus the rounding term", plus(half, half)});
  switch (mode) {
  case Rounding::Single:
  case Rounding::TvmUpward:
  case Rounding::Tflite:
    break;
  case Rounding::Float32:
  case Rounding::HalfEven:
    result.push_back({"the value plus the rounding term minus 1", plus(half - 1, half - 1)});
    result.push_back({"the value plus the ties-to-even term", plus(half - 1, half)});
    break;
  case Rounding::TvmToNearest:
    result.push_back({"the value plus the ties-away term", plus(half - 1, half)});
    break;
  case Rounding::Double: {
    // +-2^30 by the value's sign: the sum is monotonic, so the ends bound it.
    Wide extra = shift > 31 ? Wide(1) << 30 : 0;
    IntRange rounded = plus(half, half);
    if (!rounded.isOverflowed())
      rounded = IntRange(rounded.lo() + (value.lo() < 0 ? -extra : extra),
                         rounded.hi() + (value.hi() < 0 ? -extra : extra));
    result.push_back({"the value plus the double-rounding term", rounded});
    break;
  }
  }
  return result;
}

bool applyScale(int64_t value, int64_t multiplier, int64_t addend,
                unsigned shift, Rounding mode, int64_t &result) {
  int64_t product, sum;
  if (mode == Rounding::Float32) {
    // The addend is an integer bias of the accumulator, added before the
    // conversion to float32; the multiplier is a float32 significand.
    if (multiplier < 0 || multiplier > (int64_t(1) << kFloat32SignificandBits) ||
        __builtin_add_overflow(value, addend, &sum))
      return false;
    value = roundToFloat32(sum);
    addend = 0;
  }
  if (shift < 1 || shift > kMaxShift ||
      __builtin_mul_overflow(value, multiplier, &product) ||
      __builtin_add_overflow(product, addend, &sum))
    return false;
  // Where the 64-bit code would wrap, there is no one value to fold to.
  for (const Intermediate &step : roundingShiftIntermediates(IntRange::point(sum), shift, mode))
    if (!step.range.fits(64, /*isSigned=*/true))
      return false;
  result = roundingShift(sum, shift, mode);
  return true;
}

double FixedPoint::value() const {
  return std::ldexp(double(multiplier), -int(shift));
}

bool toFixedPoint(double scale, unsigned bits, FixedPoint &result,
                  std::string &error) {
  std::ostringstream os;
  if (!isValidMultiplierBits(bits)) {
    os << "multiplier bit-width " << bits << " is outside [" << kMinMultiplierBits << ", "
       << kMaxMultiplierBits << "]";
    error = os.str();
    return false;
  }
  if (!std::isfinite(scale) || scale <= 0.0) {
    os << "scale " << scale << " is not a positive finite number";
    error = os.str();
    return false;
  }
  int exponent = 0;
  double mantissa = std::frexp(scale, &exponent); // scale = mantissa * 2^exponent
  int64_t top = int64_t(1) << (bits - 1);
  int64_t multiplier = int64_t(roundHalfToEven(std::ldexp(mantissa, bits - 1)));
  if (multiplier == top) {
    multiplier /= 2;
    ++exponent;
  }
  int shift = int(bits) - 1 - exponent;
  if (shift < int(kMinShift)) {
    os << "scale " << scale << " is too large for a " << bits
       << "-bit multiplier (it needs a right shift of " << shift
       << ", the smallest allowed is " << kMinShift << ")";
    error = os.str();
    return false;
  }
  if (shift > int(kMaxShift)) {
    // Drop precision rather than exceed the shift range, as TOSA does.
    unsigned excess = unsigned(shift) - kMaxShift;
    multiplier = excess >= 63 ? 0 : roundingShift(multiplier, excess, Rounding::Single);
    shift = kMaxShift;
    if (multiplier == 0) {
      os << "scale " << scale << " is too small: a " << bits
         << "-bit multiplier with a right shift of at most " << kMaxShift
         << " rounds it to zero";
      error = os.str();
      return false;
    }
  }
  result.multiplier = multiplier;
  result.shift = unsigned(shift);
  return true;
}

bool toFloat32FixedPoint(double accScale, double outScale, FixedPoint &result,
                         std::string &error) {
  float ratio = float(double(float(accScale)) / double(float(outScale)));
  if (!std::isnormal(ratio) || ratio < 0) {
    std::ostringstream os;
    os << "the float32 scale " << accScale << " / " << outScale << " is not a positive normal float";
    error = os.str();
    return false;
  }
  return toFixedPoint(double(ratio), kFloat32MultiplierBits, result, error);
}

float qlinearAddFixedPart(float lhsRatio, float rhsRatio, int64_t lhsZp, int64_t rhsZp,
                          int64_t outZp) {
  // onnxruntime's build contracts r_l * zp_l + r_r * zp_r into
  // fma(r_l, zp_l, r_r * zp_r) (measured: the other forms part from it on
  // some models). The product is exact in double, rounded once to float.
  float rhsPart = float(double(rhsRatio) * double(float(rhsZp)));
  float sum = std::fmaf(lhsRatio, float(lhsZp), rhsPart);
  return float(outZp) - sum;
}

int64_t qlinearAdd(int64_t lhs, int64_t rhs, float lhsRatio, float rhsRatio, float fixedPart,
                   int64_t lo, int64_t hi) {
  float y = std::fmaf(float(lhs), lhsRatio, std::fmaf(float(rhs), rhsRatio, fixedPart));
  if (!(y >= -2147483648.0f && y < 2147483648.0f))
    return lo;
  return std::clamp(int64_t(std::nearbyint(double(y))), lo, hi);
}

int64_t requantize(int64_t acc, int64_t multiplier, int64_t bias,
                   unsigned shift, Rounding mode, int64_t outZp, int64_t lo,
                   int64_t hi) {
  // The verifiers prove the 64-bit intermediate cannot overflow.
  int64_t scaled = 0;
  applyScale(acc, multiplier, bias, shift, mode, scaled);
  return saturate(scaled + outZp, lo, hi);
}

int64_t divideRoundHalfUp(int64_t sum, int64_t count) {
  __int128 numerator = __int128(sum) * 2 + count;
  __int128 denominator = __int128(count) * 2;
  __int128 quotient = numerator / denominator;
  if ((numerator % denominator != 0) && ((numerator < 0) != (denominator < 0)))
    --quotient; // floor, not truncation
  return int64_t(quotient);
}

int64_t divideRoundHalfEven(int64_t sum, int64_t count) {
  int64_t quotient = sum / count;
  if (sum % count != 0 && sum < 0)
    --quotient; // floor, not truncation
  __int128 twice = (__int128(sum) - __int128(quotient) * count) * 2;
  if (twice > count || (twice == count && (quotient & 1) != 0))
    ++quotient;
  return quotient;
}

unsigned signedBitsFor(int64_t magnitude) {
  unsigned bits = 1;
  while (bits < 64 && maxValue(bits, /*isSigned=*/true) < magnitude)
    ++bits;
  return bits;
}

unsigned signedBitsOf(int64_t value) {
  uint64_t magnitude = value < 0 ? uint64_t(-(value + 1)) : uint64_t(value);
  unsigned bits = 1;
  while (bits < 64 && (magnitude >> (bits - 1)) != 0)
    ++bits;
  return bits;
}

} // namespace mlir::pike::numerics
