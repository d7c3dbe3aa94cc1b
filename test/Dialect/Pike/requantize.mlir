// RUN: pike-opt %s | pike-opt | FileCheck %s

// CHECK-LABEL: func @per_tensor
// CHECK: pike.requantize %arg0 {multiplier = #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [40]>, output_zp = -3 : i64} : tensor<1x4xi32> -> tensor<1x4xi8>
func.func @per_tensor(%acc: tensor<1x4xi32>) -> tensor<1x4xi8> {
  %r = pike.requantize %acc {multiplier = #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [40]>, output_zp = -3} : tensor<1x4xi32> -> tensor<1x4xi8>
  return %r : tensor<1x4xi8>
}

// u8 -> u4 with zero points on both sides and a per-channel scale.
// CHECK-LABEL: func @narrowing
// CHECK: pike.requantize %arg0 {input_unsigned, input_zp = 128 : i64, multiplier = #pike.fixed_point<bits = 16, multipliers = [16384, 20000], shifts = [18, 18]>, output_unsigned, output_zp = 8 : i64} : tensor<3x2xi8> -> tensor<3x2xi4>
func.func @narrowing(%x: tensor<3x2xi8>) -> tensor<3x2xi4> {
  %r = pike.requantize %x {multiplier = #pike.fixed_point<bits = 16, multipliers = [16384, 20000], shifts = [18, 18]>, input_zp = 128, output_zp = 8, input_unsigned, output_unsigned} : tensor<3x2xi8> -> tensor<3x2xi4>
  return %r : tensor<3x2xi4>
}
