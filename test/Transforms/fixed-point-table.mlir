// RUN: pike-opt %s -split-input-file --pike-fixed-point | FileCheck %s
// RUN: pike-opt %s -split-input-file --pike-fixed-point --convert-pike-to-linalg | FileCheck %s --check-prefix=LINALG
// RUN: pike-opt %s -split-input-file --pike-fixed-point --pike-acev2 | FileCheck %s --check-prefix=COST

// An activation between two quantizers becomes a table over every input
// integer: s4 at 0.5 (-4 .. 3.5) through sigmoid into u4 at 1/16, e.g.
// entry 0 is round(sigmoid(-4) * 16) = round(0.29) = 0, entry 8 is
// round(0.5 * 16) = 8, and the top saturates at 15.
// CHECK-LABEL: func @sigmoid
// CHECK: %[[T:.*]] = pike.table %arg0 {output_unsigned, table = array<i64: 0, 0, 1, 1, 2, 3, 4, 6, 8, 10, 12, 13, 14, 15, 15, 15>} : (tensor<4xi4>) -> tensor<4xi4>
// CHECK-NEXT: return %[[T]]
// The lowering reads a constant by the input's bit pattern: the table
// rotated by 8, so that pattern 0 (value 0) reads entry 8; the u4 entries
// 8 .. 15 print as the signless i4 values -8 .. -1.
// LINALG-LABEL: func @sigmoid
// LINALG: arith.constant dense<[-8, -6, -4, -3, -2, -1, -1, -1, 0, 0, 1, 1, 2, 3, 4, 6]> : tensor<16xi4>
// LINALG: linalg.generic
// LINALG: arith.index_castui
// LINALG: tensor.extract
// One lookup per element at the output's 4 bits.
// COST: pike.table {{.*}}pike.cost = {ace = 0 : i64, acev2 = 16 : i64, {{.*}}lookups = 4 : i64
func.func @sigmoid(%q: tensor<4xi4>) -> tensor<4xi4> {
  %d = pike.dequantize %q {quantizer = #pike.quantizer<s4, scales = [0.5]>} : tensor<4xi4> -> tensor<4xf32>
  %a = pike.activation %d {kind = #pike<activation sigmoid>} : tensor<4xf32>
  %o = pike.quantize %a {quantizer = #pike.quantizer<u4, scales = [0.0625]>} : tensor<4xf32> -> tensor<4xi4>
  return %o : tensor<4xi4>
}

// -----

// Zero points on both sides: leaky ReLU (alpha 0.1) into s4 at 0.25, zero
// point 2: entry 0 is -4 * 0.1 / 0.25 + 2 = 0.4 -> 0.
// CHECK-LABEL: func @leaky_relu
// CHECK: pike.table %arg0 {table = array<i64: 0, 1, 1, 1, 1, 1, 2, 2, 2, 4, 6, 7, 7, 7, 7, 7>}
func.func @leaky_relu(%q: tensor<4xi4>) -> tensor<4xi4> {
  %d = pike.dequantize %q {quantizer = #pike.quantizer<s4, scales = [0.5]>} : tensor<4xi4> -> tensor<4xf32>
  %a = pike.activation %d {kind = #pike<activation leaky_relu>, alpha = 0.1 : f64} : tensor<4xf32>
  %o = pike.quantize %a {quantizer = #pike.quantizer<s4, scales = [0.25], zero_points = [2]>} : tensor<4xf32> -> tensor<4xi4>
  return %o : tensor<4xi4>
}

// -----

// Not between quantizers (its result is returned real): left alone, for
// pike-verify-integer to report.
// CHECK-LABEL: func @real_result
// CHECK: pike.activation
func.func @real_result(%q: tensor<4xi8>) -> tensor<4xf32> {
  %d = pike.dequantize %q {quantizer = #pike.quantizer<s8, scales = [0.5]>} : tensor<4xi8> -> tensor<4xf32>
  %a = pike.activation %d {kind = #pike<activation tanh>} : tensor<4xf32>
  return %a : tensor<4xf32>
}

// -----

// A product of dequantized values: the centered integers multiplied and
// rescaled once by 0.5 * 0.25 / 0.25 = 0.5 (2^30 >> 31).
// CHECK-LABEL: func @product
// CHECK: pike.mul %arg0, %arg1 {lhs_unsigned, lhs_zp = 128 : i64, rhs_zp = -3 : i64, scale = #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [31]>}
// CHECK-NOT: pike.dequantize
func.func @product(%a: tensor<4xi8>, %b: tensor<4xi8>) -> tensor<4xi8> {
  %da = pike.dequantize %a {quantizer = #pike.quantizer<u8, scales = [0.5], zero_points = [128]>} : tensor<4xi8> -> tensor<4xf32>
  %db = pike.dequantize %b {quantizer = #pike.quantizer<s8, scales = [0.25], zero_points = [-3]>} : tensor<4xi8> -> tensor<4xf32>
  %m = pike.mul %da, %db : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %q = pike.quantize %m {quantizer = #pike.quantizer<s8, scales = [0.25]>} : tensor<4xf32> -> tensor<4xi8>
  return %q : tensor<4xi8>
}

// -----

// PyTorch exports Hardswish at opset 13 as Mul(x, HardSigmoid(x)): a
// function of one quantized tensor, so one table. s4 at 0.5 into s4 at
// 0.25: entry 12 (x = 2) is 2 * (2/6 + 1/2) / 0.25 = 6.67 -> 7.
// CHECK-LABEL: func @hardswish_as_exported
// CHECK: %[[T:.*]] = pike.table %arg0 {table = array<i64: 0, 0, 0, -1, -1, -1, -1, -1, 0, 1, 3, 5, 7, 7, 7, 7>}
// CHECK-NEXT: return %[[T]]
func.func @hardswish_as_exported(%q: tensor<4xi4>) -> tensor<4xi4> {
  %d = pike.dequantize %q {quantizer = #pike.quantizer<s4, scales = [0.5]>} : tensor<4xi4> -> tensor<4xf32>
  %g = pike.activation %d {kind = #pike<activation hard_sigmoid>, alpha = 0.1666666716337204 : f64, beta = 0.5 : f64} : tensor<4xf32>
  %m = pike.mul %d, %g : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %o = pike.quantize %m {quantizer = #pike.quantizer<s4, scales = [0.25]>} : tensor<4xf32> -> tensor<4xi4>
  return %o : tensor<4xi4>
}

// -----

// Two dequantizes of one integer tensor, each with its own scale (PyTorch's
// export dequantizes each use; GELU's Div by sqrt(2) joins one of them):
// 0.25q * 0.5q = q^2/8 quantized to u4 at 1: one table, e.g. entry 0
// (q = -8) is 8, q = -6 is 4.5 -> 4 (half to even), q = 7 is 6.125 -> 6.
// CHECK-LABEL: func @two_dequantizes
// CHECK: pike.table %arg0 {output_unsigned, table = array<i64: 8, 6, 4, 3, 2, 1, 0, 0, 0, 0, 0, 1, 2, 3, 4, 6>}
// CHECK-NOT: pike.dequantize
func.func @two_dequantizes(%q: tensor<4xi4>) -> tensor<4xi4> {
  %a = pike.dequantize %q {quantizer = #pike.quantizer<s4, scales = [0.25]>} : tensor<4xi4> -> tensor<4xf32>
  %b = pike.dequantize %q {quantizer = #pike.quantizer<s4, scales = [0.5]>} : tensor<4xi4> -> tensor<4xf32>
  %m = pike.mul %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %o = pike.quantize %m {quantizer = #pike.quantizer<u4, scales = [1.0]>} : tensor<4xf32> -> tensor<4xi4>
  return %o : tensor<4xi4>
}

// -----

// Dequantizes of two different tensors are not a function of one: a
// product of dequantized values instead.
// CHECK-LABEL: func @two_sources
// CHECK-NOT: pike.table
// CHECK: pike.mul %arg0, %arg1 {{{.*}}scale = #pike.fixed_point
func.func @two_sources(%q: tensor<4xi4>, %r: tensor<4xi4>) -> tensor<4xi4> {
  %a = pike.dequantize %q {quantizer = #pike.quantizer<s4, scales = [0.25]>} : tensor<4xi4> -> tensor<4xf32>
  %b = pike.dequantize %r {quantizer = #pike.quantizer<s4, scales = [0.5]>} : tensor<4xi4> -> tensor<4xf32>
  %m = pike.mul %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %o = pike.quantize %m {quantizer = #pike.quantizer<u4, scales = [1.0]>} : tensor<4xf32> -> tensor<4xi4>
  return %o : tensor<4xi4>
}

// -----

// The dequantizes' own zero points: (q - 1) * 0.25 * (q + 2) * 0.5 =
// (q - 1)(q + 2) / 8 into u4 at 1, e.g. q = -8 is 6.75 -> 7, q = -6 is
// 3.5 -> 4, q = -3 is 0.5 -> 0, q = 0 is -0.25 -> 0.
// CHECK-LABEL: func @dequantizes_with_zero_points
// CHECK: pike.table %arg0 {output_unsigned, table = array<i64: 7, 5, 4, 2, 1, 0, 0, 0, 0, 0, 0, 1, 2, 4, 5, 7>}
func.func @dequantizes_with_zero_points(%q: tensor<4xi4>) -> tensor<4xi4> {
  %a = pike.dequantize %q {quantizer = #pike.quantizer<s4, scales = [0.25], zero_points = [1]>} : tensor<4xi4> -> tensor<4xf32>
  %b = pike.dequantize %q {quantizer = #pike.quantizer<s4, scales = [0.5], zero_points = [-2]>} : tensor<4xi4> -> tensor<4xf32>
  %m = pike.mul %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %o = pike.quantize %m {quantizer = #pike.quantizer<u4, scales = [1.0]>} : tensor<4xf32> -> tensor<4xi4>
  return %o : tensor<4xi4>
}
