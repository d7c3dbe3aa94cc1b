// RUN: pike-opt %s -split-input-file --pike-fixed-point -verify-diagnostics | FileCheck %s

// A real table gathered and quantized: the gather reads the table quantized
// (s8 at 0.1: 0.26 -> 3, 1.1 -> 11), nothing real is left.
// CHECK-LABEL: func @table_alone
// CHECK: %[[T:.*]] = arith.constant dense<{{\[}}[5, -10], [20, 3], [-3, 11]]> : tensor<3x2xi8>
// CHECK: %[[G:.*]] = pike.gather %[[T]], %arg0 : (tensor<3x2xi8>, tensor<4xi64>) -> tensor<4x2xi8>
// CHECK-NEXT: return %[[G]]
func.func @table_alone(%ids: tensor<4xi64>) -> tensor<4x2xi8> {
  %t = arith.constant dense<[[0.5, -1.0], [2.0, 0.26], [-0.3, 1.1]]> : tensor<3x2xf32>
  %g = pike.gather %t, %ids : (tensor<3x2xf32>, tensor<4xi64>) -> tensor<4x2xf32>
  %q = pike.quantize %g {quantizer = #pike.quantizer<s8, scales = [0.1]>} : tensor<4x2xf32> -> tensor<4x2xi8>
  return %q : tensor<4x2xi8>
}

// -----

// Plus positions: table and positions in fixed point with 24 fraction bits
// below the output's step (their largest value, 2.0, is 20 steps: 5 bits),
// e.g. 0.5 -> 5 * 2^24 = 83886080, 0.3 (as f32, 0.30000001) -> 50331650;
// one pike.add rounds their sum by
// 2^-24 (2^30 >> 54), ties to even, into u8 with zero point 128.
// CHECK-LABEL: func @table_and_positions
// CHECK-DAG: %[[T:.*]] = arith.constant dense<{{\[}}[83886080, -167772160], [335544320, 45298485]]> : tensor<2x2xi32>
// CHECK-DAG: %[[P:.*]] = arith.constant dense<{{\[}}[16777216, 50331650], [6710886, -33554432]]> : tensor<2x2xi32>
// CHECK: %[[G:.*]] = pike.gather %[[T]], %arg0 : (tensor<2x2xi32>, tensor<2xi64>) -> tensor<2x2xi32>
// CHECK: %[[S:.*]] = pike.add %[[G]], %[[P]] {lhs_scale = #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [54], rounding = half_even>, output_unsigned, output_zp = 128 : i64, rhs_scale = #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [54], rounding = half_even>} : (tensor<2x2xi32>, tensor<2x2xi32>) -> tensor<2x2xi8>
// CHECK-NEXT: return %[[S]]
func.func @table_and_positions(%ids: tensor<2xi64>) -> tensor<2x2xi8> {
  %t = arith.constant dense<[[0.5, -1.0], [2.0, 0.27]]> : tensor<2x2xf32>
  %p = arith.constant dense<[[0.1, 0.3], [0.04, -0.2]]> : tensor<2x2xf32>
  %g = pike.gather %t, %ids : (tensor<2x2xf32>, tensor<2xi64>) -> tensor<2x2xf32>
  %s = pike.add %g, %p : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %q = pike.quantize %s {quantizer = #pike.quantizer<u8, scales = [0.1], zero_points = [128]>} : tensor<2x2xf32> -> tensor<2x2xi8>
  return %q : tensor<2x2xi8>
}

// -----

// A table too wide for 32-bit fixed point with 8 fraction bits (2^30 steps
// of the output): a located error naming its size.
func.func @too_wide(%ids: tensor<2xi64>) -> tensor<2x2xi8> {
  %t = arith.constant dense<[[0.5, -1.0], [2.0, 1.0e8]]> : tensor<2x2xf32>
  %p = arith.constant dense<[[0.1, 0.3], [0.04, -0.2]]> : tensor<2x2xf32>
  %g = pike.gather %t, %ids : (tensor<2x2xf32>, tensor<2xi64>) -> tensor<2x2xf32>
  %s = pike.add %g, %p : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  // expected-error @+1 {{cannot make the embedding integer: its values reach 1.000000e+09 steps of the output quantizer, too many for 8 fraction bits in 32-bit fixed point}}
  %q = pike.quantize %s {quantizer = #pike.quantizer<u8, scales = [0.1], zero_points = [128]>} : tensor<2x2xf32> -> tensor<2x2xi8>
  return %q : tensor<2x2xi8>
}

// -----

// Values beyond the output's range saturate and NaN is the zero point, as
// the quantize has them (s8 at 0.1: 1e30 and +inf -> 127, -inf -> -128).
// CHECK-LABEL: func @saturating_table
// CHECK: arith.constant dense<{{\[}}[127, 127], [-128, 0]]> : tensor<2x2xi8>
func.func @saturating_table(%ids: tensor<2xi64>) -> tensor<2x2xi8> {
  %t = arith.constant dense<[[1.0e30, 0x7F800000], [0xFF800000, 0x7FC00000]]> : tensor<2x2xf32>
  %g = pike.gather %t, %ids : (tensor<2x2xf32>, tensor<2xi64>) -> tensor<2x2xf32>
  %q = pike.quantize %g {quantizer = #pike.quantizer<s8, scales = [0.1]>} : tensor<2x2xf32> -> tensor<2x2xi8>
  return %q : tensor<2x2xi8>
}

// -----

// Indices read as unsigned stay so (u8 id 150 of a 200-row table).
// CHECK-LABEL: func @unsigned_ids
// CHECK: pike.gather %{{.*}}, %arg0 {indices_unsigned}
func.func @unsigned_ids(%ids: tensor<2xi8>) -> tensor<2x1xi8> {
  %t = arith.constant dense<0.5> : tensor<200x1xf32>
  %g = pike.gather %t, %ids {indices_unsigned} : (tensor<200x1xf32>, tensor<2xi8>) -> tensor<2x1xf32>
  %q = pike.quantize %g {quantizer = #pike.quantizer<s8, scales = [0.1]>} : tensor<2x1xf32> -> tensor<2x1xi8>
  return %q : tensor<2x1xi8>
}

// -----

// With positions, a NaN has no fixed point: a located error.
func.func @nan_positions(%ids: tensor<2xi64>) -> tensor<2x2xi8> {
  %t = arith.constant dense<[[0.5, -1.0], [2.0, 0.27]]> : tensor<2x2xf32>
  %p = arith.constant dense<[[0.1, 0x7FC00000], [0.04, -0.2]]> : tensor<2x2xf32>
  %g = pike.gather %t, %ids : (tensor<2x2xf32>, tensor<2xi64>) -> tensor<2x2xf32>
  %s = pike.add %g, %p : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  // expected-error @+1 {{cannot make the embedding integer: a table or position value is not finite in steps of the output quantizer}}
  %q = pike.quantize %s {quantizer = #pike.quantizer<u8, scales = [0.1], zero_points = [128]>} : tensor<2x2xf32> -> tensor<2x2xi8>
  return %q : tensor<2x2xi8>
}
