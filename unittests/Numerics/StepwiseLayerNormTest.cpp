//===- StepwiseLayerNormTest.cpp - A layer norm quantized between its steps ---===//
//
// The integer form against the real steps computed in long double, the
// division by zero a variance quantized to 0 leaves, and the float32 table
// of onnxruntime's steps.
//
//===----------------------------------------------------------------------===//

#include "pike/Numerics/StepwiseLayerNorm.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <random>

using namespace mlir::pike::numerics;

namespace {

int64_t lowest(const TableQuantizer &q) { return q.isSigned ? -(int64_t(1) << (q.bits - 1)) : 0; }
int64_t highest(const TableQuantizer &q) {
  return q.isSigned ? (int64_t(1) << (q.bits - 1)) - 1 : (int64_t(1) << q.bits) - 1;
}

/// round(y / s) + zp, ties to even, saturated; `tie` says how near a half
/// step y / s came.
int64_t quantized(long double y, const TableQuantizer &q, long double *tie = nullptr) {
  long double t = y / q.scale;
  if (tie)
    *tie = std::fabs(t - std::floor(t) - 0.5L);
  long double v = std::nearbyintl(t) + q.zeroPoint;
  return int64_t(std::clamp<long double>(v, lowest(q), highest(q)));
}

struct Case {
  TableQuantizer in, variance, deviation, out;
  double epsilon, scale, bias;
};

} // namespace

TEST(IntegerStepwiseLayerNorm, FollowsTheRealSteps) {
  std::mt19937_64 rng(5);
  const Case cases[] = {
      {{0.05, 128, 8, false}, {0.02, 0, 8, false}, {0.0201, 0, 8, false}, {0.03, 125, 8, false},
       1e-5, 1.0, 0.0},
      {{0.1, -3, 8, true}, {0.05, -100, 8, true}, {0.05, -100, 8, true}, {0.02, 0, 8, true},
       1e-3, 1.5, 0.25},
      {{0.001, 0, 16, true}, {1e-5, 0, 16, false}, {1e-5, 0, 16, false}, {5e-4, 0, 16, true},
       1e-6, 0.75, -0.5},
  };
  int64_t rows = 0, skipped = 0;
  for (const Case &c : cases)
    for (int64_t n : {2, 8, 128, 768}) {
      VarianceSteps steps{c.variance, c.epsilon, std::nullopt, c.deviation};
      StepwiseLayerNormPlan plan;
      std::string error;
      ASSERT_TRUE(planStepwiseLayerNorm(c.in, steps, c.out, n, c.scale, c.bias, plan, error))
          << error;
      for (int round = 0; round < 40; ++round) {
        int spread = std::array{1, 3, 20, 120}[round % 4];
        std::uniform_int_distribution<int64_t> centre(lowest(c.in), highest(c.in)),
            offset(-spread, spread);
        std::vector<int64_t> row, out;
        int64_t middle = centre(rng);
        for (int64_t i = 0; i < n; ++i)
          row.push_back(std::clamp(middle + offset(rng), lowest(c.in), highest(c.in)));
        integerStepwiseLayerNorm(row, plan, out);
        long double mean = 0, var = 0;
        int64_t sum = 0;
        for (int64_t q : row) {
          mean += (long double)c.in.scale * (q - c.in.zeroPoint);
          sum += q;
        }
        mean /= n;
        for (int64_t q : row) {
          long double d = (long double)c.in.scale * (q - c.in.zeroPoint) - mean;
          var += d * d;
        }
        long double tie;
        int64_t v = quantized(var / n, c.variance, &tie);
        ++rows;
        // The variance's multiplier holds 31 bits and its ties go up: a
        // variance that close to a half step may round either way.
        if (tie < 1e-6L) {
          ++skipped;
          continue;
        }
        // The real steps after the variance, independently of the plan.
        long double e = (long double)(v - c.variance.zeroPoint) * c.variance.scale + c.epsilon;
        e = (long double)(quantized(e, c.deviation) - c.deviation.zeroPoint) * c.deviation.scale;
        for (int64_t i = 0; i < n; ++i) {
          long double d = (long double)c.in.scale * (row[i] - c.in.zeroPoint) - mean;
          int64_t want;
          if (e > 0)
            want = quantized(d / std::sqrt(e) * c.scale + c.bias, c.out);
          else // d's sign, exact: n * q_i - sum q
            want = e == 0 && n * row[i] > sum ? highest(c.out) : lowest(c.out);
          ASSERT_LE(std::llabs(out[i] - want), 1) << "n " << n << " spread " << spread;
        }
      }
    }
  // Exact ties come from short rows (n = 2) on round scales.
  EXPECT_LT(skipped, rows / 20) << skipped << " of " << rows;
}

TEST(IntegerStepwiseLayerNorm, AVarianceQuantizedToZeroDividesByZero) {
  // Epsilon 1e-5 requantized at 0.0201 is 0: a constant row is 0 / 0 (a
  // NaN: the lowest value), a row one step apart is +-infinity.
  TableQuantizer in{0.05, 128, 8, false}, var{0.02, 0, 8, false}, out{0.03, 125, 8, false};
  VarianceSteps steps{var, 1e-5, std::nullopt, TableQuantizer{0.0201, 0, 8, false}};
  StepwiseLayerNormPlan plan;
  std::string error;
  ASSERT_TRUE(planStepwiseLayerNorm(in, steps, out, 4, 1.0, 0.0, plan, error)) << error;
  EXPECT_EQ(plan.multipliers[0], 0);
  std::vector<int64_t> result;
  integerStepwiseLayerNorm({140, 140, 140, 140}, plan, result);
  EXPECT_EQ(result, (std::vector<int64_t>{0, 0, 0, 0}));
  integerStepwiseLayerNorm({140, 141, 140, 140}, plan, result);
  EXPECT_EQ(result, (std::vector<int64_t>{0, 255, 0, 0}));
}

TEST(IntegerStepwiseLayerNorm, RefusesWhatItCannotHold) {
  StepwiseLayerNormPlan plan;
  std::string error;
  VarianceSteps steps{{0.02, 0, 8, false}, 1e-5, std::nullopt, std::nullopt};
  EXPECT_FALSE(planStepwiseLayerNorm({0.001, 0, 16, true}, steps, {0.01, 0, 8, true}, 1 << 16,
                                     1.0, 0.0, plan, error));
  EXPECT_NE(error.find("could overflow"), std::string::npos) << error;
  EXPECT_FALSE(planStepwiseLayerNorm({0.1, 0, 8, true}, steps, {0.01, 0, 8, true}, 8, -1.0, 0.0,
                                     plan, error));
  EXPECT_NE(error.find("positive finite scale"), std::string::npos) << error;
}

TEST(Float32StepwiseDeviations, OnnxRuntimesQLinearAddOfEpsilon) {
  // quantize_static's epsilon: 255 at 1e-5 / 255. Added to the variance by
  // QLinearAdd into a quantizer of the variance's scale, it moves no
  // integer (1e-5 is 0.002 of a step): each entry is sqrtf(f32(v) * s).
  float s = 0.00548323f;
  VarianceSteps steps{{s, 0, 8, false}, double(255 * 3.9215686e-8f),
                      TableQuantizer{3.9215686e-8, 0, 8, false}, TableQuantizer{s, 0, 8, false}};
  std::vector<float> deviations;
  std::string error;
  ASSERT_TRUE(float32StepwiseDeviations(steps, deviations, error)) << error;
  ASSERT_EQ(deviations.size(), 256u);
  for (int v = 0; v < 256; ++v)
    EXPECT_EQ(deviations[v], std::sqrt(float(v) * s)) << v;
  // A signed variance with a float epsilon, added in float32: integers far
  // enough below its zero point dequantize negative, whose root is a NaN.
  steps = {{0.01, -100, 8, true}, 0.1, std::nullopt, std::nullopt};
  ASSERT_TRUE(float32StepwiseDeviations(steps, deviations, error)) << error;
  EXPECT_TRUE(std::isnan(deviations[0]));                  // v = -128: -0.28 + 0.1
  EXPECT_EQ(deviations[-100 + 128], std::sqrt(0.1f));      // v = -100: 0 + 0.1
  EXPECT_EQ(deviations[0 + 128], std::sqrt(1.0f + 0.1f));  // v = 0: 1 + 0.1
}
