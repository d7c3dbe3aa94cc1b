//===- StepwiseLayerNorm.h - A layer norm quantized between its steps -*- C++ -*-===//
//
// The one definition of pike.integer_stepwise_layer_norm's constants and of
// pike.float32_stepwise_layer_norm's table (docs/Numerics.md, "A LayerNorm
// quantized between its steps"): a layer normalization written out in steps
// whose variance, and variance plus epsilon, are quantized, as onnxruntime's
// quantize_static leaves a model exported before opset 17. The variance's
// integer takes at most 2^16 values, so everything after it is a table
// built here at compile time. Pure C++.
//
//===----------------------------------------------------------------------===//

#ifndef PIKE_NUMERICS_STEPWISELAYERNORM_H
#define PIKE_NUMERICS_STEPWISELAYERNORM_H

#include "pike/Numerics/Activation.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mlir::pike::numerics {

/// The steps between the variance and the square root: the variance's
/// quantizer, epsilon (the dequantized integer of `epsilonQuantizer` when
/// the model quantized it) and the quantizer of variance plus epsilon.
struct VarianceSteps {
  TableQuantizer variance;
  double epsilon = 0;
  std::optional<TableQuantizer> epsilonQuantizer;
  std::optional<TableQuantizer> deviation;
};

/// pike.integer_stepwise_layer_norm's constants.
struct StepwiseLayerNormPlan {
  /// s_in^2 / (n^3 * s_var) as varianceMultiplier * 2^-varianceShift.
  int64_t varianceMultiplier = 0;
  unsigned varianceShift = 0;
  int64_t varianceZeroPoint = 0, varianceLo = 0, varianceHi = 0;
  /// Per variance integer v (from varianceLo): round(scale * s_in / (n *
  /// sqrt(e) * s_out) * 2^shift_v) for the dequantized e that v leads to,
  /// each at its own shift (the largest keeping it below 2^31); 0 for
  /// e = 0, -1 for e < 0.
  std::vector<int64_t> multipliers;
  std::vector<int64_t> shifts;
  /// round(bias / s_out * 2^shift_v).
  std::vector<int64_t> biases;
  int64_t outZeroPoint = 0, outLo = 0, outHi = 0;
};

/// The real e = the dequantized (variance + epsilon) that the variance
/// integer `v` leads to, in exact arithmetic (ties to even).
double stepwiseDeviation(const VarianceSteps &steps, int64_t v);

/// The constants of quantize(layer_norm(dequantize(q))) whose variance is
/// quantized, with one `scale` (positive) and one `bias`. False with
/// `error` when a scale is not positive and finite, the row is too long for
/// the 64-bit sums, or a constant cannot be held.
bool planStepwiseLayerNorm(const TableQuantizer &in, const VarianceSteps &steps,
                           const TableQuantizer &out, int64_t length, double scale, double bias,
                           StepwiseLayerNormPlan &plan, std::string &error);

/// One row: c_i = n * q_i - sum q, T = sum c^2, v = clamp(zp_v + round half
/// up of T * multiplier * 2^-shift) (in 128 bits), then y_i from entry
/// v - lo of the multipliers, shifts and biases.
void integerStepwiseLayerNorm(const std::vector<int64_t> &row, const StepwiseLayerNormPlan &plan,
                              std::vector<int64_t> &out);

/// pike.float32_stepwise_layer_norm's deviations: per variance integer v,
/// the float32 square root of what onnxruntime's steps make of it: an 8-bit
/// QDQ add of a quantized epsilon as its QLinearAdd (num::qlinearAdd, the
/// epsilon second), any other add in float32 then its QuantizeLinear, then
/// its DequantizeLinear. False with `error` when a scale is not a positive
/// float32.
bool float32StepwiseDeviations(const VarianceSteps &steps, std::vector<float> &deviations,
                               std::string &error);

} // namespace mlir::pike::numerics

#endif // PIKE_NUMERICS_STEPWISELAYERNORM_H
