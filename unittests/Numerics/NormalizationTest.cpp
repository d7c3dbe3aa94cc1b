//===- NormalizationTest.cpp - Integer softmax and LayerNorm vs reals -----===//
//
// The integer forms against the real functions they stand for, computed
// here in long double from the definitions: the stated error bound (one
// step of the output quantizer) on random rows of many lengths and scales.
//
//===----------------------------------------------------------------------===//

#include "pike/Numerics/Normalization.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

using namespace mlir::pike::numerics;

namespace {

int64_t quantizeExact(long double y, const TableQuantizer &q) {
  long double v = std::nearbyintl(y / q.scale) + q.zeroPoint;
  long double lo = q.isSigned ? -std::ldexp(1.0L, q.bits - 1) : 0;
  long double hi = q.isSigned ? std::ldexp(1.0L, q.bits - 1) - 1 : std::ldexp(1.0L, q.bits) - 1;
  return int64_t(std::fmin(std::fmax(v, lo), hi));
}

std::vector<int64_t> randomRow(std::mt19937_64 &rng, const TableQuantizer &in, int64_t n,
                               int spread) {
  int64_t lo = in.isSigned ? -(int64_t(1) << (in.bits - 1)) : 0;
  int64_t hi = in.isSigned ? (int64_t(1) << (in.bits - 1)) - 1 : (int64_t(1) << in.bits) - 1;
  std::uniform_int_distribution<int64_t> centre(lo, hi), offset(-spread, spread);
  int64_t c = centre(rng);
  std::vector<int64_t> row;
  for (int64_t i = 0; i < n; ++i)
    row.push_back(std::clamp(c + offset(rng), lo, hi));
  return row;
}

TEST(IntegerSqrt, FloorOfTheRoot) {
  for (int64_t v = 0; v < 100000; ++v) {
    int64_t r = integerSqrt(v);
    ASSERT_LE(r * r, v);
    ASSERT_GT((r + 1) * (r + 1), v);
  }
  // The largest root of an int64 (r * r + 2r would pass INT64_MAX for it).
  EXPECT_EQ(integerSqrt(INT64_MAX), int64_t(3037000499));
  for (int64_t r : {int64_t(3037000499), int64_t(2147483648), int64_t(1) << 30}) {
    EXPECT_EQ(integerSqrt(r * r), r);
    EXPECT_EQ(integerSqrt(r * r - 1), r - 1);
    if (r < int64_t(3037000499))
      EXPECT_EQ(integerSqrt(r * r + 2 * r), r);
  }
}

struct SoftmaxCase {
  TableQuantizer in, out;
};

TEST(IntegerSoftmax, WithinOneStepOfTheReal) {
  std::mt19937_64 rng(7);
  const SoftmaxCase cases[] = {
      {{0.02, 0, 8, true}, {1.0 / 256, 0, 8, false}},
      {{0.125, 17, 8, false}, {1.0 / 255, 0, 8, false}},
      {{0.5, -3, 8, true}, {1.0 / 256, -128, 8, true}},
      {{0.003, 0, 16, true}, {1.0 / 65536, 0, 16, false}},
      {{0.07, 0, 4, true}, {1.0 / 16, 0, 4, false}},
      // Long rows into 16 bits: the entries' rounding, summed over the row.
      {{0.1594238495287876, 0, 8, true}, {1.0 / 65536, 0, 16, false}},
  };
  int64_t total = 0, exact = 0;
  for (const SoftmaxCase &c : cases)
    for (int64_t n : {1, 2, 7, 128, 197, 300, 1000}) {
      SoftmaxPlan plan;
      std::string error;
      ASSERT_TRUE(planSoftmax(c.in, c.out, n, plan, error)) << error;
      EXPECT_EQ(plan.expTable.front(), int64_t(1) << kSoftmaxExpBits);
      for (int spread : {0, 3, 40, 100, 1 << 15}) {
        std::vector<int64_t> row = randomRow(rng, c.in, n, spread), out;
        integerSoftmax(row, plan, out);
        ASSERT_EQ(out.size(), row.size());
        // exp(x_i - max x): the real softmax, free of overflow.
        int64_t top = *std::max_element(row.begin(), row.end());
        auto expOf = [&](int64_t q) {
          return std::exp((long double)c.in.scale * (long double)(q - top));
        };
        long double sum = 0;
        for (int64_t q : row)
          sum += expOf(q);
        for (size_t i = 0; i < row.size(); ++i) {
          long double p = expOf(row[i]) / sum;
          int64_t want = quantizeExact(p, c.out);
          ASSERT_LE(std::llabs(out[i] - want), 1)
              << "n " << n << " q " << row[i] << " scale " << c.in.scale;
          exact += out[i] == want;
          ++total;
        }
      }
    }
  // The bound is one step; the rounding differs from the real's only near ties.
  EXPECT_GT(double(exact) / double(total), 0.999) << exact << " of " << total;
}

TEST(IntegerSoftmax, EntryRoundingDoesNotAddUpAlongARow) {
  // exp(-s * 100) * 2^22 is 0.5000001: with 22 fraction bits each of the 299
  // small entries rounds up by half a unit, three steps of a 16-bit output.
  TableQuantizer in{0.1594238495287876, 0, 8, true}, out{1.0 / 65536, 0, 16, false};
  SoftmaxPlan plan;
  std::string error;
  ASSERT_TRUE(planSoftmax(in, out, 300, plan, error)) << error;
  std::vector<int64_t> row(300, 27), result;
  row[0] = 127;
  integerSoftmax(row, plan, result);
  long double small = std::exp(-(long double)in.scale * 100);
  long double top = 1 / (1 + 299 * small);
  EXPECT_LE(std::llabs(result[0] - quantizeExact(top, out)), 1);
  EXPECT_LE(std::llabs(result[1] - quantizeExact(small * top, out)), 1);
}

TEST(IntegerSoftmax, RefusesWideInputsAndLongRows) {
  SoftmaxPlan plan;
  std::string error;
  EXPECT_FALSE(planSoftmax({0.1, 0, 17, true}, {1.0 / 256, 0, 8, false}, 4, plan, error));
  EXPECT_NE(error.find("1 to 16 bits"), std::string::npos) << error;
  EXPECT_FALSE(planSoftmax({0.1, 0, 8, true}, {1.0 / 256, 0, 8, false},
                           kMaxNormalizedRow + 1, plan, error));
  EXPECT_FALSE(planSoftmax({0.1, 0, 8, true}, {0.0, 0, 8, false}, 4, plan, error));
}

struct LayerNormCase {
  TableQuantizer in, out;
  double epsilon;
};

TEST(IntegerLayerNorm, WithinOneStepOfTheReal) {
  std::mt19937_64 rng(11);
  const LayerNormCase cases[] = {
      {{0.05, 128, 8, false}, {0.03, 0, 8, true}, 1e-5},
      {{0.2, 0, 8, true}, {0.02, 130, 8, false}, 1e-12},
      {{0.01, 3, 8, true}, {0.05, -2, 8, true}, 1e-3},
      {{0.001, 0, 16, true}, {0.0005, 0, 16, true}, 1e-5},
      {{0.3, 1, 4, true}, {0.1, 0, 4, true}, 1e-5},
      // Short rows of one-step spreads into a fine output: epsilon is of the
      // size of the sum of squares, so its rounding must keep fraction bits.
      {{0.01, 0, 8, true}, {1.0 / 4096, 0, 16, true}, 1e-5},
      {{0.003, 0, 8, true}, {1.0 / 8192, 0, 16, true}, 1e-6},
  };
  std::uniform_real_distribution<double> gammaDist(0.2, 2.0), betaDist(-1.0, 1.0);
  int64_t total = 0, exact = 0;
  for (const LayerNormCase &c : cases)
    for (int64_t n : {2, 3, 4, 7, 128, 192, 768}) {
      std::vector<double> gamma, beta;
      for (int64_t i = 0; i < n; ++i) {
        gamma.push_back(gammaDist(rng) * (i % 3 == 0 ? -1 : 1));
        beta.push_back(betaDist(rng));
      }
      LayerNormPlan plan;
      std::string error;
      ASSERT_TRUE(planLayerNorm(c.in, c.out, n, gamma, beta, c.epsilon, plan, error)) << error;
      for (int spread : {1, 2, 20, 120}) {
        std::vector<int64_t> row = randomRow(rng, c.in, n, spread), out;
        integerLayerNorm(row, plan, out);
        long double mean = 0, var = 0;
        for (int64_t q : row)
          mean += (long double)c.in.scale * (q - c.in.zeroPoint);
        mean /= n;
        for (int64_t q : row) {
          long double d = (long double)c.in.scale * (q - c.in.zeroPoint) - mean;
          var += d * d;
        }
        var /= n;
        for (int64_t i = 0; i < n; ++i) {
          long double x = (long double)c.in.scale * (row[i] - c.in.zeroPoint);
          long double y = (x - mean) / std::sqrt(var + c.epsilon) * gamma[i] + beta[i];
          int64_t want = quantizeExact(y, c.out);
          ASSERT_LE(std::llabs(out[i] - want), 1) << "n " << n << " spread " << spread;
          exact += out[i] == want;
          ++total;
        }
      }
    }
  EXPECT_GT(double(exact) / double(total), 0.999) << exact << " of " << total;
}

TEST(IntegerLayerNorm, AConstantRowGivesTheBias) {
  LayerNormPlan plan;
  std::string error;
  TableQuantizer in{0.1, 0, 8, true}, out{0.01, 5, 8, true};
  ASSERT_TRUE(planLayerNorm(in, out, 4, {1.5}, {0.25, -0.3, 0.0, 0.5}, 1e-5, plan, error));
  std::vector<int64_t> result;
  integerLayerNorm({-7, -7, -7, -7}, plan, result);
  EXPECT_EQ(result, (std::vector<int64_t>{30, -25, 5, 55}));
}

TEST(IntegerLayerNorm, ReportsOverflowInsteadOfRiskingIt) {
  LayerNormPlan plan;
  std::string error;
  EXPECT_FALSE(planLayerNorm({0.001, 0, 16, true}, {0.01, 0, 8, true}, kMaxNormalizedRow,
                             {1.0}, {0.0}, 1e-5, plan, error));
  EXPECT_NE(error.find("could overflow"), std::string::npos) << error;
  EXPECT_FALSE(planLayerNorm({0.1, 0, 8, true}, {0.01, 0, 8, true}, 4, {1.0, 2.0}, {0.0}, 1e-5,
                             plan, error));
  EXPECT_FALSE(planLayerNorm({0.1, 0, 8, true}, {1e-12, 0, 8, true}, 4, {1e6}, {0.0}, 1e-5,
                             plan, error));
  EXPECT_NE(error.find("too small"), std::string::npos) << error;
  EXPECT_FALSE(planLayerNorm({0.1, 0, 8, true}, {0.01, 0, 8, true}, 2, {1.0, std::nan("")},
                             {0.0}, 1e-5, plan, error));
  EXPECT_NE(error.find("finite"), std::string::npos) << error;
}

} // namespace
