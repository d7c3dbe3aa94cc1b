//===- ActivationTest.cpp - Activation tables against their definition ----===//

#include "pike/Numerics/Activation.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace mlir::pike::numerics;

namespace {

// The definition written out again: dequantize, f, ONNX QuantizeLinear.
int64_t expected(double y, double scale, int64_t zp, int64_t lo, int64_t hi) {
  double q = std::nearbyint(y / scale) + double(zp); // FE_TONEAREST: ties to even
  return int64_t(std::fmin(std::fmax(q, double(lo)), double(hi)));
}

TEST(ActivationTable, SigmoidEveryInt8Input) {
  std::vector<int64_t> table;
  std::string error;
  ASSERT_TRUE(buildTable(Activation::Sigmoid, 0, 0, {0.05, 3, 8, true}, {1.0 / 256, 0, 8, false},
                         table, error));
  ASSERT_EQ(table.size(), 256u);
  for (int q = -128; q < 128; ++q) {
    double x = (q - 3) * 0.05;
    EXPECT_EQ(table[q + 128], expected(1 / (1 + std::exp(-x)), 1.0 / 256, 0, 0, 255)) << q;
  }
}

TEST(ActivationTable, TiesGoToEven) {
  // LeakyRelu with alpha 0.5 on equal scales: -3 -> -1.5 -> -2, -5 -> -2.5 -> -2.
  std::vector<int64_t> table;
  std::string error;
  ASSERT_TRUE(buildTable(Activation::LeakyRelu, 0.5, 0, {1.0, 0, 4, true}, {1.0, 0, 4, true},
                         table, error));
  EXPECT_EQ(table[-3 + 8], -2);
  EXPECT_EQ(table[-5 + 8], -2);
  EXPECT_EQ(table[-1 + 8], 0);
  EXPECT_EQ(table[7 + 8], 7);
}

TEST(ActivationTable, SaturatesAtTheOutputRange) {
  std::vector<int64_t> table;
  std::string error;
  ASSERT_TRUE(buildTable(Activation::HardSwish, 0, 0, {0.5, 0, 8, true}, {0.1, -100, 8, true},
                         table, error));
  EXPECT_EQ(table.front(), -100); // hard_swish(-64) = 0
  EXPECT_EQ(table.back(), 127);   // hard_swish(63.5) = 63.5, far above the range
}

TEST(ActivationTable, RefusesWideInputsAndBadScales) {
  std::vector<int64_t> table;
  std::string error;
  EXPECT_FALSE(buildTable(Activation::Tanh, 0, 0, {1.0, 0, 17, true}, {1.0, 0, 8, true}, table,
                          error));
  EXPECT_NE(error.find("1 to 16 bits"), std::string::npos) << error;
  EXPECT_FALSE(buildTable(Activation::Tanh, 0, 0, {0.0, 0, 8, true}, {1.0, 0, 8, true}, table,
                          error));
  EXPECT_NE(error.find("positive finite scales"), std::string::npos) << error;
}

TEST(ActivationFunctions, MatchTheirOnnxDefinitions) {
  EXPECT_DOUBLE_EQ(evaluate(Activation::HardSigmoid, 1.0, 0.2, 0.5), 0.7);
  EXPECT_DOUBLE_EQ(evaluate(Activation::HardSigmoid, 10.0, 0.2, 0.5), 1.0);
  EXPECT_DOUBLE_EQ(evaluate(Activation::HardSwish, 3.0, 0, 0), 3.0);
  EXPECT_DOUBLE_EQ(evaluate(Activation::HardSwish, -1.0, 0, 0), -1.0 / 3.0);
  EXPECT_DOUBLE_EQ(evaluate(Activation::LeakyRelu, -2.0, 0.01, 0), -0.02);
  EXPECT_NEAR(evaluate(Activation::Gelu, 1.0, 0, 0), 0.8413447460685429, 1e-15);
  EXPECT_NEAR(evaluate(Activation::Tanh, 0.5, 0, 0), 0.46211715726000974, 1e-15);
}

} // namespace
