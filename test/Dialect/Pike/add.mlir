// RUN: pike-opt %s | pike-opt | FileCheck %s

// CHECK-LABEL: func @real
// CHECK: pike.add %arg0, %arg1 : (tensor<1x4x4x8xf32>, tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32>
func.func @real(%a: tensor<1x4x4x8xf32>, %b: tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32> {
  %s = pike.add %a, %b : (tensor<1x4x4x8xf32>, tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32>
  return %s : tensor<1x4x4x8xf32>
}

// CHECK-LABEL: func @residual
// CHECK: pike.add %arg0, %arg1 {lhs_scale = #pike.fixed_point<bits = 16, multipliers = [16384], shifts = [15]>, lhs_zp = 3 : i64, output_zp = -1 : i64, rhs_scale = #pike.fixed_point<bits = 16, multipliers = [24576], shifts = [15]>}
func.func @residual(%a: tensor<1x4x4x8xi8>, %b: tensor<1x4x4x8xi8>) -> tensor<1x4x4x8xi8> {
  %s = pike.add %a, %b {lhs_scale = #pike.fixed_point<bits = 16, multipliers = [16384], shifts = [15]>, rhs_scale = #pike.fixed_point<bits = 16, multipliers = [24576], shifts = [15]>, lhs_zp = 3, output_zp = -1} : (tensor<1x4x4x8xi8>, tensor<1x4x4x8xi8>) -> tensor<1x4x4x8xi8>
  return %s : tensor<1x4x4x8xi8>
}

// Unsigned 4-bit operands summed into an unsigned 4-bit result.
// CHECK-LABEL: func @unsigned_low_bit
// CHECK: pike.add %arg0, %arg1 {lhs_scale = {{.*}}, lhs_unsigned, output_unsigned, rhs_scale = {{.*}}, rhs_unsigned} : (tensor<8xi4>, tensor<8xi4>) -> tensor<8xi4>
func.func @unsigned_low_bit(%a: tensor<8xi4>, %b: tensor<8xi4>) -> tensor<8xi4> {
  %s = pike.add %a, %b {lhs_scale = #pike.fixed_point<bits = 8, multipliers = [64], shifts = [7]>, rhs_scale = #pike.fixed_point<bits = 8, multipliers = [32], shifts = [7]>, lhs_unsigned, rhs_unsigned, output_unsigned} : (tensor<8xi4>, tensor<8xi4>) -> tensor<8xi4>
  return %s : tensor<8xi4>
}
