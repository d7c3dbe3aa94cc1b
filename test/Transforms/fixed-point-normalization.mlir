// RUN: pike-opt %s --pike-fixed-point -split-input-file -verify-diagnostics | FileCheck %s
// Softmax and LayerNorm between per-tensor quantizers become integer ops
// whose constants come from the quantizers (docs/Numerics.md).

// Softmax, s8 at 0.5 into u8 at 1/256: exp_table[d] = round(2^30 exp(-d/2)),
// its trailing zeros dropped (2^30 exp(-43/2) < 1/2: 43 entries);
// 2^-30 / (1/256) = 2^-22 = 2^30 * 2^-52.
// CHECK-LABEL: func.func @softmax
// CHECK: pike.integer_softmax %arg0 {exp_table = array<i64: 1073741824, 651257337, 395007542, 239584185,
// CHECK-SAME: 4, 2, 1, 1>, multiplier = 1073741824 : i64, output_unsigned, shift = 52 : i64}
// CHECK-NOT: pike.softmax
// CHECK-NOT: pike.dequantize
func.func @softmax(%x: tensor<2x4xi8>) -> tensor<2x4xi8> {
  %d = pike.dequantize %x {quantizer = #pike.quantizer<s8, scales = [0.5], zero_points = [3]>} : tensor<2x4xi8> -> tensor<2x4xf32>
  %s = pike.softmax %d : tensor<2x4xf32>
  %q = pike.quantize %s {quantizer = #pike.quantizer<u8, scales = [0.00390625]>} : tensor<2x4xf32> -> tensor<2x4xi8>
  return %q : tensor<2x4xi8>
}

// -----

// LayerNorm over rows of 4, s8 at 0.5 into s8 at 0.25 (zero point 3):
// gamma = scale * sqrt(4) / 0.25 * 2^shift = 8 scale 2^shift, the largest
// shift keeping |gamma| < 2^30 is 25; beta = bias / 0.25 * 2^25. The sum
// of squares takes c scaled by 2^20 (4 (4 * 255 * 2^20)^2 < 2^62), epsilon
// with it: 0.5 * 4^3 / 0.5^2 * 4^20 = 2^47.
// CHECK-LABEL: func.func @layer_norm
// CHECK: pike.integer_layer_norm %arg0 {beta = array<i64: 33554432, 0, -16777216, 0>, epsilon = 140737488355328 : i64, gamma = array<i64: 536870912, 268435456, 268435456, -268435456>, headroom = 20 : i64, output_zp = 3 : i64, shift = 25 : i64}
func.func @layer_norm(%x: tensor<2x4xi8>) -> tensor<2x4xi8> {
  %d = pike.dequantize %x {quantizer = #pike.quantizer<s8, scales = [0.5]>} : tensor<2x4xi8> -> tensor<2x4xf32>
  %l = pike.layer_norm %d {scale = array<f64: 2.0, 1.0, 1.0, -1.0>, bias = array<f64: 0.25, 0.0, -0.125, 0.0>, epsilon = 0.5 : f64} : tensor<2x4xf32>
  %q = pike.quantize %l {quantizer = #pike.quantizer<s8, scales = [0.25], zero_points = [3]>} : tensor<2x4xf32> -> tensor<2x4xi8>
  return %q : tensor<2x4xi8>
}

// -----

// Rows of 4096 16-bit values could overflow the 64-bit sum of squares: the
// error names the op and the cause instead of risking it.
func.func @overflow(%x: tensor<1x4096xi16>) -> tensor<1x4096xi8> {
  %d = pike.dequantize %x {quantizer = #pike.quantizer<s16, scales = [0.001]>} : tensor<1x4096xi16> -> tensor<1x4096xf32>
  // expected-error @+1 {{'pike.layer_norm' op cannot be made integer: the sum of squares of a row of 4096 16-bit values}}
  %l = pike.layer_norm %d {scale = array<f64: 1.0>, bias = array<f64: 0.0>, epsilon = 1.0e-05 : f64} : tensor<1x4096xf32>
  %q = pike.quantize %l {quantizer = #pike.quantizer<s8, scales = [0.05]>} : tensor<1x4096xf32> -> tensor<1x4096xi8>
  return %q : tensor<1x4096xi8>
}

// -----

// A variance quantized between the steps: s8 at 0.5 in rows of 4, the
// variance u8 at 1/256, epsilon 0, into 1/64. The variance's integer is
// round(T * 0.5^2 / (4^3 / 256)) = round(T * 2^30 * 2^-30); each entry is
// 0.5 / (4 * sqrt(v / 256) / 64) = 128 / sqrt(v), each at the largest shift
// keeping it below 2^31 (23 for 128, 24 for 128 / sqrt(2) to 128 / 2), and
// 0 where v / 256 = 0 (a division by zero).
// CHECK-LABEL: func.func @stepwise
// CHECK: pike.integer_stepwise_layer_norm %arg0 {biases = array<i64: 0, 0, 0,
// CHECK-SAME: multipliers = array<i64: 0, 1073741824, 1518500250, 1239850262, 1073741824, 1920767767,
// CHECK-SAME: shifts = array<i64: 62, 23, 24, 24, 24, 25,
// CHECK-SAME: variance_max = 255 : i64, variance_min = 0 : i64, variance_multiplier = 1073741824 : i64, variance_shift = 30 : i64}
func.func @stepwise(%x: tensor<2x4xi8>) -> tensor<2x4xi8> {
  %d = pike.dequantize %x {quantizer = #pike.quantizer<s8, scales = [0.5]>} : tensor<2x4xi8> -> tensor<2x4xf32>
  %l = pike.layer_norm %d {scale = array<f64: 1.0>, bias = array<f64: 0.0>, epsilon = 0.0 : f64, variance_quantizer = #pike.quantizer<u8, scales = [0.00390625]>} : tensor<2x4xf32>
  %q = pike.quantize %l {quantizer = #pike.quantizer<s8, scales = [0.015625]>} : tensor<2x4xf32> -> tensor<2x4xi8>
  return %q : tensor<2x4xi8>
}

// -----

// A quantized variance takes one scale and one bias (folded into the table).
func.func @stepwise_per_position(%x: tensor<2x4xi8>) -> tensor<2x4xi8> {
  %d = pike.dequantize %x {quantizer = #pike.quantizer<s8, scales = [0.5]>} : tensor<2x4xi8> -> tensor<2x4xf32>
  // expected-error @+1 {{'pike.layer_norm' op cannot be made integer: a quantized variance takes one scale and one bias, not one per position}}
  %l = pike.layer_norm %d {scale = array<f64: 1.0, 2.0, 1.0, 1.0>, bias = array<f64: 0.0>, epsilon = 0.0 : f64, variance_quantizer = #pike.quantizer<u8, scales = [0.00390625]>} : tensor<2x4xf32>
  %q = pike.quantize %l {quantizer = #pike.quantizer<s8, scales = [0.015625]>} : tensor<2x4xf32> -> tensor<2x4xi8>
  return %q : tensor<2x4xi8>
}

// -----

func.func @deviation_only(%x: tensor<2x4xi8>) -> tensor<2x4xi8> {
  %d = pike.dequantize %x {quantizer = #pike.quantizer<s8, scales = [0.5]>} : tensor<2x4xi8> -> tensor<2x4xf32>
  // expected-error @+1 {{'pike.layer_norm' op cannot be made integer: variance plus epsilon is quantized but the variance is not}}
  %l = pike.layer_norm %d {scale = array<f64: 1.0>, bias = array<f64: 0.0>, epsilon = 0.0 : f64, deviation_quantizer = #pike.quantizer<u8, scales = [0.00390625]>} : tensor<2x4xf32>
  %q = pike.quantize %l {quantizer = #pike.quantizer<s8, scales = [0.015625]>} : tensor<2x4xf32> -> tensor<2x4xi8>
  return %q : tensor<2x4xi8>
}

// -----

// Variance plus epsilon requantized at 1e-30 saturates at 2.55e-28: no
// 31-bit multiplier holds its inverse square root. The error names it.
func.func @stepwise_tiny_deviation(%x: tensor<2x4xi8>) -> tensor<2x4xi8> {
  %d = pike.dequantize %x {quantizer = #pike.quantizer<s8, scales = [0.5]>} : tensor<2x4xi8> -> tensor<2x4xf32>
  // expected-error @+1 {{'pike.layer_norm' op cannot be made integer: variance plus epsilon dequantizes to 2.55e-28 at variance integer 1: normalizing by it into output scale 0.015625 needs a multiplier past 31 bits}}
  %l = pike.layer_norm %d {scale = array<f64: 1.0>, bias = array<f64: 0.0>, epsilon = 0.0 : f64, variance_quantizer = #pike.quantizer<u8, scales = [0.00390625]>, deviation_quantizer = #pike.quantizer<u8, scales = [1.0e-30]>} : tensor<2x4xf32>
  %q = pike.quantize %l {quantizer = #pike.quantizer<s8, scales = [0.015625]>} : tensor<2x4xf32> -> tensor<2x4xi8>
  return %q : tensor<2x4xi8>
}
