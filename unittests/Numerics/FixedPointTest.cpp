//===- FixedPointTest.cpp - Unit tests of Pike's integer semantics --------===//

#include "pike/Numerics/FixedPoint.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

using namespace mlir::pike::numerics;

namespace {

TEST(Ranges, SignedAndUnsigned) {
  EXPECT_EQ(minValue(4, true), -8);
  EXPECT_EQ(maxValue(4, true), 7);
  EXPECT_EQ(minValue(4, false), 0);
  EXPECT_EQ(maxValue(4, false), 15);
  EXPECT_EQ(minValue(1, true), -1);
  EXPECT_EQ(maxValue(1, false), 1);
  EXPECT_EQ(maxValue(32, true), 2147483647);
  EXPECT_EQ(minValue(64, true), std::numeric_limits<int64_t>::min());
}

TEST(RoundHalfToEven, Ties) {
  EXPECT_EQ(roundHalfToEven(0.5), 0.0);
  EXPECT_EQ(roundHalfToEven(1.5), 2.0);
  EXPECT_EQ(roundHalfToEven(2.5), 2.0);
  EXPECT_EQ(roundHalfToEven(-0.5), 0.0);
  EXPECT_EQ(roundHalfToEven(-1.5), -2.0);
  EXPECT_EQ(roundHalfToEven(-2.5), -2.0);
  EXPECT_EQ(roundHalfToEven(2.4999), 2.0);
  EXPECT_EQ(roundHalfToEven(-2.5001), -3.0);
}

TEST(QLinearAdd, FixedPartAsOnnxruntimeContractsIt) {
  // 7 - fma(2, 3, 3 * 5).
  EXPECT_EQ(qlinearAddFixedPart(2.0f, 3.0f, 3, 5, 7), -14.0f);
  // r_l * 3 rounded alone gives 3 + 2^-21 (1.5 ulp up to even); the fma
  // keeps the exact 3 + 3 * 2^-23, so with r_r * zp_r = -3 the part is
  // -3 * 2^-23, not -2^-21.
  float r = 1.0f + 0x1p-23f;
  EXPECT_EQ(qlinearAddFixedPart(r, 1.0f, 3, -3, 0), -0x3p-23f);
}

TEST(QLinearAdd, RoundsHalfToEvenAndSaturates) {
  // y = fma(lhs, 1/2, fma(rhs, 1/2, 0)).
  EXPECT_EQ(qlinearAdd(1, 0, 0.5f, 0.5f, 0.0f, -128, 127), 0);
  EXPECT_EQ(qlinearAdd(3, 0, 0.5f, 0.5f, 0.0f, -128, 127), 2);
  EXPECT_EQ(qlinearAdd(1, 2, 0.5f, 0.5f, 0.0f, -128, 127), 2);
  EXPECT_EQ(qlinearAdd(-1, -2, 0.5f, 0.5f, 0.0f, -128, 127), -2);
  EXPECT_EQ(qlinearAdd(127, 127, 2.0f, 2.0f, 0.0f, -128, 127), 127);
  EXPECT_EQ(qlinearAdd(-128, -128, 2.0f, 2.0f, 0.0f, -128, 127), -128);
  // Past int32 the conversion gives 0x80000000: the type's minimum.
  EXPECT_EQ(qlinearAdd(32767, 0, 0x1p23f, 1.0f, 0.0f, 0, 255), 0);
  EXPECT_EQ(qlinearAdd(-32768, 0, 0x1p23f, 1.0f, 0.0f, 0, 255), 0);
}

TEST(Quantize, OnnxQuantizeLinear) {
  // 0.25 / 0.1 = 2.5 -> 2 (ties to even), + zp 3.
  EXPECT_EQ(quantize(0.25, 0.1, 3, 8, false), 5);
  EXPECT_EQ(quantize(-0.375, 0.25, 0, 8, true), -2); // -1.5 -> -2
  EXPECT_EQ(quantize(-0.625, 0.25, 0, 8, true), -2); // -2.5 -> -2
  // Saturation at both ends of u4 and s4.
  EXPECT_EQ(quantize(100.0, 0.1, 0, 4, false), 15);
  EXPECT_EQ(quantize(-1.0, 0.1, 0, 4, false), 0);
  EXPECT_EQ(quantize(-100.0, 0.1, 0, 4, true), -8);
  EXPECT_EQ(quantize(100.0, 0.1, 0, 4, true), 7);
  EXPECT_DOUBLE_EQ(dequantize(5, 0.1, 3), 0.2);
}

TEST(Quantize, QonnxRoundingModes) {
  // x / 0.5 = [1.5, -1.5, -0.6]: floor [1, -2, -1], ceil [2, -1, 0],
  // toward zero [1, -1, 0]; saturation after rounding.
  const RealRounding floor = RealRounding::Floor, ceil = RealRounding::Ceil,
                     zero = RealRounding::TowardZero;
  EXPECT_EQ(quantize(0.75, 0.5, 0, 4, true, floor), 1);
  EXPECT_EQ(quantize(-0.75, 0.5, 0, 4, true, floor), -2);
  EXPECT_EQ(quantize(-0.3, 0.5, 0, 4, true, floor), -1);
  EXPECT_EQ(quantize(0.75, 0.5, 0, 4, true, ceil), 2);
  EXPECT_EQ(quantize(-0.75, 0.5, 0, 4, true, ceil), -1);
  EXPECT_EQ(quantize(-0.3, 0.5, 0, 4, true, ceil), 0);
  EXPECT_EQ(quantize(0.75, 0.5, 0, 4, true, zero), 1);
  EXPECT_EQ(quantize(-0.75, 0.5, 0, 4, true, zero), -1);
  EXPECT_EQ(quantize(-0.3, 0.5, 0, 4, true, zero), 0);
  EXPECT_EQ(quantize(3.9, 0.5, 0, 4, true, ceil), 7);
  EXPECT_EQ(quantize(-4.1, 0.5, 0, 4, true, floor), -8);
  EXPECT_EQ(roundReal(2.5, RealRounding::HalfEven), 2.0);
}

TEST(RoundingShift, SingleRoundTiesTowardPlusInfinity) {
  EXPECT_EQ(roundingShift(3, 1, Rounding::Single), 2);   // 1.5 -> 2
  EXPECT_EQ(roundingShift(-3, 1, Rounding::Single), -1); // -1.5 -> -1
  EXPECT_EQ(roundingShift(5, 2, Rounding::Single), 1);   // 1.25 -> 1
  EXPECT_EQ(roundingShift(-5, 2, Rounding::Single), -1); // -1.25 -> -1
  EXPECT_EQ(roundingShift(-6, 2, Rounding::Single), -1); // -1.5 -> -1
  EXPECT_EQ(roundingShift(6, 2, Rounding::Single), 2);   // 1.5 -> 2
}

TEST(RoundingShift, DoubleRoundOnlyAboveShift31) {
  // Below shift 32 double rounding is single rounding.
  EXPECT_EQ(roundingShift(-3, 1, Rounding::Double), -1);
  // With s = 32, +2^30 for non-negative and -2^30 for negative inputs.
  int64_t half = int64_t(1) << 31;
  // x = 2^31 - 2^30 = 0.25 * 2^32 rounds to 0 once, but to 1 with the extra
  // 2^30 (x + 2^31 + 2^30 = 2^32).
  EXPECT_EQ(roundingShift(half - (int64_t(1) << 30), 32, Rounding::Single), 0);
  EXPECT_EQ(roundingShift(half - (int64_t(1) << 30), 32, Rounding::Double), 1);
  // -0.5 * 2^32 ties to 0 single; double subtracts 2^30 and gives -1.
  EXPECT_EQ(roundingShift(-half, 32, Rounding::Single), 0);
  EXPECT_EQ(roundingShift(-half, 32, Rounding::Double), -1);
}

TEST(RoundingShift, HalfEvenTiesToEven) {
  EXPECT_EQ(roundingShift(3, 1, Rounding::HalfEven), 2);   // 1.5 -> 2
  EXPECT_EQ(roundingShift(5, 1, Rounding::HalfEven), 2);   // 2.5 -> 2
  EXPECT_EQ(roundingShift(-3, 1, Rounding::HalfEven), -2); // -1.5 -> -2
  EXPECT_EQ(roundingShift(-5, 1, Rounding::HalfEven), -2); // -2.5 -> -2
  EXPECT_EQ(roundingShift(7, 2, Rounding::HalfEven), 2);   // 1.75 -> 2
  EXPECT_EQ(roundingShift(9, 2, Rounding::HalfEven), 2);   // 2.25 -> 2
  EXPECT_EQ(roundingShift(10, 2, Rounding::HalfEven), 2);  // 2.5 -> 2
  EXPECT_EQ(roundingShift(-9, 2, Rounding::HalfEven), -2); // -2.25 -> -2
  // Agrees with roundHalfToEven on every value and shift tried.
  for (int64_t v = -300; v <= 300; ++v)
    for (unsigned s = 1; s <= 6; ++s)
      EXPECT_EQ(roundingShift(v, s, Rounding::HalfEven),
                int64_t(roundHalfToEven(std::ldexp(double(v), -int(s)))))
          << v << " >> " << s;
}

TEST(ToFixedPoint, ExactPowersOfTwoAndLargeScales) {
  FixedPoint fp;
  std::string error;
  ASSERT_TRUE(toFixedPoint(0.5, 32, fp, error)) << error;
  EXPECT_EQ(fp.multiplier, int64_t(1) << 30);
  EXPECT_EQ(fp.shift, 31u);
  ASSERT_TRUE(toFixedPoint(1.0, 32, fp, error)) << error;
  EXPECT_EQ(fp.multiplier, int64_t(1) << 30);
  EXPECT_EQ(fp.shift, 30u);
  // Scales >= 1 keep full precision while the shift stays >= 2.
  ASSERT_TRUE(toFixedPoint(3.0, 32, fp, error)) << error;
  EXPECT_DOUBLE_EQ(fp.value(), 3.0);
  ASSERT_TRUE(toFixedPoint(1000.0, 16, fp, error)) << error;
  EXPECT_DOUBLE_EQ(fp.value(), 1000.0);
}

TEST(ToFixedPoint, MantissaRoundingUpToTheTop) {
  FixedPoint fp;
  std::string error;
  // 0.99999 rounds to 2^(bits-1) at 8 bits and must renormalise to 1.0.
  ASSERT_TRUE(toFixedPoint(0.99999, 8, fp, error)) << error;
  EXPECT_EQ(fp.multiplier, 64);
  EXPECT_EQ(fp.shift, 6u);
  EXPECT_LE(fp.multiplier, maxValue(8, true));
}

TEST(ToFixedPoint, RelativeErrorBound) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> exponent(-30.0, 10.0);
  for (unsigned bits : {4u, 8u, 16u, 32u}) {
    double bound = std::ldexp(1.0, -int(bits - 1));
    for (int i = 0; i < 2000; ++i) {
      double scale = std::exp2(exponent(rng));
      FixedPoint fp;
      std::string error;
      if (!toFixedPoint(scale, bits, fp, error))
        continue; // too large for this width: covered below
      EXPECT_LE(std::fabs(fp.value() - scale) / scale, bound)
          << "scale " << scale << " bits " << bits;
      EXPECT_GE(fp.multiplier, int64_t(1) << (bits - 2));
      EXPECT_LE(fp.multiplier, maxValue(bits, true));
    }
  }
}

TEST(ToFixedPoint, TinyScalesLosePrecisionThenFail) {
  FixedPoint fp;
  std::string error;
  // Needs a shift above 62: the multiplier is shortened instead.
  ASSERT_TRUE(toFixedPoint(1e-12, 32, fp, error)) << error;
  EXPECT_EQ(fp.shift, kMaxShift);
  EXPECT_NEAR(fp.value(), 1e-12, 1e-12 * 1e-6);
  EXPECT_FALSE(toFixedPoint(1e-25, 32, fp, error));
  EXPECT_NE(error.find("too small"), std::string::npos) << error;
}

TEST(ToFixedPoint, RejectsBadScales) {
  FixedPoint fp;
  std::string error;
  double infinity = std::numeric_limits<double>::infinity();
  for (double bad : {0.0, -0.5, std::nan(""), infinity, -infinity}) {
    EXPECT_FALSE(toFixedPoint(bad, 32, fp, error)) << bad;
    EXPECT_NE(error.find("not a positive finite number"), std::string::npos);
  }
  EXPECT_FALSE(toFixedPoint(std::ldexp(1.0, 30), 32, fp, error));
  EXPECT_NE(error.find("too large"), std::string::npos) << error;
  EXPECT_FALSE(toFixedPoint(2.0, 4, fp, error));
  EXPECT_FALSE(toFixedPoint(0.5, 1, fp, error));
  EXPECT_FALSE(toFixedPoint(0.5, 33, fp, error));
}

TEST(Requantize, SaturatesAndAddsZeroPoint) {
  // 100 * 0.5 + zp 3 = 53, clamped to u4's 15.
  EXPECT_EQ(requantize(100, 1 << 30, 0, 31, Rounding::Single, 3, 0, 15), 15);
  EXPECT_EQ(requantize(10, 1 << 30, 0, 31, Rounding::Single, 3, 0, 15), 8);
  // Bias in units of 2^-shift: 10 * 0.5 + 2^30/2^31 = 5.5 -> 6.
  EXPECT_EQ(requantize(10, 1 << 30, 1 << 30, 31, Rounding::Single, 0, -8, 7), 6);
  EXPECT_EQ(requantize(-100, 1 << 30, 0, 31, Rounding::Single, 0, -8, 7), -8);
}

TEST(DivideRoundHalfUp, TiesTowardPlusInfinity) {
  EXPECT_EQ(divideRoundHalfUp(5, 2), 3);
  EXPECT_EQ(divideRoundHalfUp(-5, 2), -2);
  EXPECT_EQ(divideRoundHalfUp(7, 3), 2);
  EXPECT_EQ(divideRoundHalfUp(-7, 3), -2);
  EXPECT_EQ(divideRoundHalfUp(-8, 3), -3);
  EXPECT_EQ(divideRoundHalfUp(0, 49), 0);
}

TEST(DivideRoundHalfEven, TiesToEven) {
  EXPECT_EQ(divideRoundHalfEven(5, 2), 2);   // 2.5
  EXPECT_EQ(divideRoundHalfEven(7, 2), 4);   // 3.5
  EXPECT_EQ(divideRoundHalfEven(-5, 2), -2); // -2.5
  EXPECT_EQ(divideRoundHalfEven(-7, 2), -4); // -3.5
  EXPECT_EQ(divideRoundHalfEven(7, 3), 2);
  EXPECT_EQ(divideRoundHalfEven(-8, 3), -3);
  EXPECT_EQ(divideRoundHalfEven(147, 98), 2);  // 1.5
  EXPECT_EQ(divideRoundHalfEven(-49, 98), 0);  // -0.5
  EXPECT_EQ(divideRoundHalfEven(0, 49), 0);
}

TEST(Quantize, NonFiniteInputs) {
  // docs/Numerics.md: NaN -> zero point, infinities saturate.
  double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(quantize(std::nan(""), 0.5, 3, 8, true), 3);
  EXPECT_EQ(quantize(inf, 0.5, 3, 8, true), 127);
  EXPECT_EQ(quantize(-inf, 0.5, 3, 8, true), -128);
  EXPECT_EQ(quantize(-inf, 0.25, 9, 4, false), 0);
}

TEST(SignedBitsFor, Boundaries) {
  EXPECT_EQ(signedBitsFor(127), 8u);
  EXPECT_EQ(signedBitsFor(128), 9u);
  EXPECT_EQ(signedBitsFor(0), 1u);
}

TEST(Limits, SixtyFourBitsWithoutOverflow) {
  EXPECT_EQ(minValue(64, true), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(maxValue(64, true), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(maxValue(63, false), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(minValue(64, false), 0);
}

// The integer rounding to a float32 significand against the CPU's own
// int64 -> float conversion (round to nearest even), on every magnitude.
TEST(RoundToFloat32, MatchesFloatConversion) {
  std::mt19937_64 rng(29);
  for (int bits = 1; bits <= 62; ++bits)
    for (int i = 0; i < 2000; ++i) {
      int64_t value = int64_t(rng() >> (64 - bits));
      if (i % 3 == 0) // a tie: an odd multiple of half the last kept bit
        value = bits > 25 ? ((value >> (bits - 25)) | 1) << (bits - 25) : value;
      for (int64_t v : {value, -value})
        ASSERT_EQ(roundToFloat32(v), int64_t(float(v))) << v;
    }
}

// float32 rounding of a biased accumulator times a float32 scale, against
// float32 arithmetic done by the CPU.
TEST(ApplyScale, Float32MatchesFloatArithmetic) {
  std::mt19937_64 rng(31);
  for (int i = 0; i < 200000; ++i) {
    int64_t multiplier = int64_t((uint64_t(1) << 23) + rng() % (uint64_t(1) << 23));
    unsigned shift = 24 + unsigned(rng() % 24);
    int64_t acc = int64_t(int32_t(rng()));
    int64_t bias = int64_t(int32_t(rng())) >> (rng() % 32);
    float scale = std::ldexp(float(multiplier), -int(shift));
    float product = float(acc + bias) * scale;
    int64_t got = 0;
    ASSERT_TRUE(applyScale(acc, multiplier, bias, shift, Rounding::Float32, got));
    ASSERT_EQ(got, int64_t(std::nearbyint(product))) << acc << " + " << bias << " times "
                                                      << multiplier << " >> " << shift;
  }
}

} // namespace
