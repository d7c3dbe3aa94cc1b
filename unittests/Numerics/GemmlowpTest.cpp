//===- GemmlowpTest.cpp - tflite rounding against gemmlowp itself ---------===//
//
// Pike's `tflite` rounding, bit for bit against TFLite's
// MultiplyByQuantizedMultiplier built from Debian's libgemmlowp-dev
// (fixedpoint/fixedpoint.h) over generated and edge-case vectors. Pike's
// multiplier M and shift s are TFLite's quantized multiplier and 31 - shift
// (docs/Numerics.md).
//
//===----------------------------------------------------------------------===//

#include "pike/Numerics/FixedPoint.h"

#include <gemmlowp/fixedpoint/fixedpoint.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>

namespace num = mlir::pike::numerics;

namespace {

/// TFLite's reference MultiplyByQuantizedMultiplier (tensorflow/lite/kernels/
/// internal/common.h), on gemmlowp's primitives.
int32_t tfliteMultiply(int32_t x, int32_t quantizedMultiplier, int shift) {
  int leftShift = shift > 0 ? shift : 0;
  int rightShift = shift > 0 ? 0 : -shift;
  return gemmlowp::RoundingDivideByPOT(
      gemmlowp::SaturatingRoundingDoublingHighMul(x * (1 << leftShift), quantizedMultiplier),
      rightShift);
}

int64_t pikeTflite(int32_t x, int32_t multiplier, int shift) {
  int64_t result = 0;
  EXPECT_TRUE(num::applyScale(x, multiplier, 0, unsigned(31 - shift), num::Rounding::Tflite,
                              result));
  return result;
}

TEST(Gemmlowp, RandomVectors) {
  std::mt19937_64 rng(5);
  std::uniform_int_distribution<int32_t> multipliers(1 << 30, std::numeric_limits<int32_t>::max());
  int checked = 0;
  for (int shift = -31; shift <= 30; ++shift) {
    for (int i = 0; i < 400; ++i) {
      int32_t multiplier = multipliers(rng);
      // x * 2^left must stay an int32, as TFLite requires.
      int left = shift > 0 ? shift : 0;
      int64_t bound = (int64_t(1) << (31 - left)) - 1;
      std::uniform_int_distribution<int64_t> values(-bound, bound);
      int32_t x = int32_t(values(rng));
      ASSERT_EQ(pikeTflite(x, multiplier, shift), tfliteMultiply(x, multiplier, shift))
          << "x " << x << " multiplier " << multiplier << " shift " << shift;
      ++checked;
    }
  }
  EXPECT_GT(checked, 20000);
}

TEST(Gemmlowp, TiesAndEdges) {
  // Exact halves of both roundings, both signs, the ends of the ranges.
  const int32_t multipliers[] = {1 << 30, (1 << 30) + 1, std::numeric_limits<int32_t>::max(),
                                 1518500250, 1 << 30 | 1 << 29};
  const int32_t values[] = {0, 1, -1, 2, -2, 3, -3, 1 << 15, -(1 << 15), 12345, -12345,
                            std::numeric_limits<int32_t>::max(),
                            std::numeric_limits<int32_t>::min() + 1, 1 << 30, -(1 << 30)};
  for (int32_t multiplier : multipliers)
    for (int shift = -31; shift <= 0; ++shift)
      for (int32_t x : values)
        ASSERT_EQ(pikeTflite(x, multiplier, shift), tfliteMultiply(x, multiplier, shift))
            << "x " << x << " multiplier " << multiplier << " shift " << shift;
  // M = 2^30 is one half, so every odd x is a tie at the first rounding:
  // 1.5 -> 2, but -1.5 -> -1 (the nudge below zero is 1 - 2^30, then the
  // division truncates toward zero).
  EXPECT_EQ(pikeTflite(3, 1 << 30, 0), 2);
  EXPECT_EQ(pikeTflite(-3, 1 << 30, 0), -1);
  EXPECT_EQ(tfliteMultiply(-3, 1 << 30, 0), -1);
  // Two roundings: 5 * 2^-1 = 2.5 -> 3 at the first (away from zero), then
  // 3 / 2 = 1.5 -> 2 at the second; one rounding of 5/4 = 1.25 would give 1.
  EXPECT_EQ(pikeTflite(5, 1 << 30, -1), 2);
  EXPECT_EQ(tfliteMultiply(5, 1 << 30, -1), 2);
}

} // namespace
