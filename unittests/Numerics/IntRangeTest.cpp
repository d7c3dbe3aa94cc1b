//===- IntRangeTest.cpp - Exact, overflow-reporting integer ranges --------===//

#include "pike/Numerics/IntRange.h"

#include <gtest/gtest.h>

#include <limits>

namespace {

using namespace mlir::pike::numerics;
using Wide = IntRange::Wide;

TEST(IntRange, TypeBounds) {
  EXPECT_EQ(IntRange::ofType(8, true).str(), "[-128, 127]");
  EXPECT_EQ(IntRange::ofType(4, false).str(), "[0, 15]");
  EXPECT_EQ(IntRange::ofType(64, false).str(), "[0, 18446744073709551615]");
  EXPECT_EQ(IntRange::ofType(64, true).str(),
            "[-9223372036854775808, 9223372036854775807]");
}

TEST(IntRange, DotProductIsExactAndAsymmetric) {
  // s8 x s8 over 10 terms: (-128)(-128) = 16384 and (-128)(127) = -16256.
  IntRange s8 = IntRange::ofType(8, true);
  IntRange sum = (s8 * s8).sumOf(10);
  EXPECT_EQ(sum.str(), "[-162560, 163840]");
  EXPECT_TRUE(sum.fits(19, true));
  EXPECT_FALSE(sum.fits(18, true));
  EXPECT_EQ(sum.signedBits(), 19u);
  EXPECT_EQ(toString(sum.extreme()), "163840");
}

TEST(IntRange, SumReachingTwoToThe64DoesNotFitI64) {
  // i32 x i32, K = 4: 4 * (-2^31)^2 = 2^64, which a saturating check missed.
  IntRange i32 = IntRange::ofType(32, true);
  IntRange sum = (i32 * i32).sumOf(4);
  EXPECT_EQ(toString(sum.hi()), "18446744073709551616");
  EXPECT_FALSE(sum.fits(64, true));
  EXPECT_EQ(sum.signedBits(), 66u);
}

TEST(IntRange, BiasWidensTheSum) {
  // 64 products of [0, 16] x [-16, 16] plus a bias of 32767 leave i16.
  IntRange products = (IntRange(0, 16) * IntRange(-16, 16)).sumOf(64);
  EXPECT_TRUE(products.fits(16, true));
  IntRange withBias = products + IntRange::point(32767);
  EXPECT_FALSE(withBias.fits(16, true));
  EXPECT_EQ(toString(withBias.hi()), "49151");
}

TEST(IntRange, ZeroPointsOnSixtyFourBitOperands) {
  // [INT64_MIN, INT64_MAX] minus a zero point of INT64_MAX: no wrap.
  IntRange shifted = IntRange::ofType(64, true) -
                     IntRange::point(std::numeric_limits<int64_t>::max());
  EXPECT_EQ(toString(shifted.lo()), "-18446744073709551615");
  EXPECT_EQ(toString(shifted.hi()), "0");
}

TEST(IntRange, OverflowIsReportedNotWrapped) {
  IntRange u64 = IntRange::ofType(64, false);
  EXPECT_TRUE((u64 * u64).isOverflowed()); // (2^64-1)^2 > 2^127
  IntRange u63 = IntRange::ofType(63, false);
  IntRange square = u63 * u63;
  EXPECT_FALSE(square.isOverflowed()); // (2^63-1)^2 < 2^126
  IntRange huge = square * IntRange::point(4);
  EXPECT_TRUE(huge.isOverflowed());
  EXPECT_FALSE(huge.fits(64, true));
  EXPECT_EQ(huge.str(), "beyond 2^127");
  EXPECT_EQ(huge.signedBits(), 129u);
  EXPECT_TRUE((huge + IntRange::point(1)).isOverflowed());
}

TEST(IntRange, Hull) {
  EXPECT_EQ(IntRange(-3, 2).hull(IntRange(5, 9)).str(), "[-3, 9]");
}

} // namespace
