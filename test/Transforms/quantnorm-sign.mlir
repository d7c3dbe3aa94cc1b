// RUN: pike-opt %s --split-input-file --pike-quantnorm | FileCheck %s

// A batch norm's scale and bias, then BipolarQuant's floor to a signed bit:
// -1 exactly below a threshold per channel (FINN's thresholds). In float32,
// acc * 0.5 - 1.25 < 0 below 3 and acc * 0.25 + 4 < 0 below -16: a QuantNorm
// by exactly 1 (4 >> 2) with bias -4 T, clamped to [-1, 0].
// CHECK-LABEL: func.func @thresholds
// CHECK: %[[S:.*]] = pike.quant_norm %arg0 {bias = array<i64: -12, 64>, multiplier = #pike.fixed_point<bits = 32, multipliers = [4], shifts = [2]>} : tensor<2x2xi32> -> tensor<2x2xi1>
// CHECK-NOT: pike.scale
// CHECK: return %[[S]]
func.func @thresholds(%acc: tensor<2x2xi32>) -> tensor<2x2xi1> {
  %y = pike.scale %acc {scale = array<f64: 0.5, 0.25>, bias = array<f64: -1.25, 4.0>} : tensor<2x2xi32> -> tensor<2x2xf32>
  %s = pike.quantize %y {quantizer = #pike.quantizer<s1, scales = [1.0]>, rounding = #pike<quantize_rounding floor>} : tensor<2x2xf32> -> tensor<2x2xi1>
  return %s : tensor<2x2xi1>
}

// -----

// The threshold follows the real type's arithmetic: in float32 the bias
// -(2^24 + 1) rounds to -2^24, and so does 2^24 + 1 as an accumulator, so
// the sum is negative exactly below 2^24; in float64 below 2^24 + 1.
// CHECK-LABEL: func.func @float32_rounding
// CHECK: bias = array<i64: -67108864>
// CHECK-LABEL: func.func @float64_exact
// CHECK: bias = array<i64: -67108868>
func.func @float32_rounding(%acc: tensor<4xi32>) -> tensor<4xi1> {
  %y = pike.scale %acc {scale = array<f64: 1.0>, bias = array<f64: -16777217.0>} : tensor<4xi32> -> tensor<4xf32>
  %s = pike.quantize %y {quantizer = #pike.quantizer<s1, scales = [1.0]>, rounding = #pike<quantize_rounding floor>} : tensor<4xf32> -> tensor<4xi1>
  return %s : tensor<4xi1>
}
func.func @float64_exact(%acc: tensor<4xi32>) -> tensor<4xi1> {
  %y = pike.scale %acc {scale = array<f64: 1.0>, bias = array<f64: -16777217.0>} : tensor<4xi32> -> tensor<4xf64>
  %s = pike.quantize %y {quantizer = #pike.quantizer<s1, scales = [1.0]>, rounding = #pike<quantize_rounding floor>} : tensor<4xf64> -> tensor<4xi1>
  return %s : tensor<4xi1>
}

// -----

// A negative scale has no threshold from below: left as it is.
// CHECK-LABEL: func.func @negative_scale
// CHECK: pike.scale
// CHECK: pike.quantize
func.func @negative_scale(%acc: tensor<2xi32>) -> tensor<2xi1> {
  %y = pike.scale %acc {scale = array<f64: -0.5>} : tensor<2xi32> -> tensor<2xf32>
  %s = pike.quantize %y {quantizer = #pike.quantizer<s1, scales = [1.0]>, rounding = #pike<quantize_rounding floor>} : tensor<2xf32> -> tensor<2xi1>
  return %s : tensor<2xi1>
}
