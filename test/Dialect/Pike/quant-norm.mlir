// RUN: pike-opt %s | pike-opt | FileCheck %s

// CHECK-LABEL: func @per_channel
// CHECK: pike.quant_norm %arg0 {bias = array<i64: 1024, -512>, multiplier = #pike.fixed_point<bits = 8, multipliers = [97, 121], shifts = [14]>, output_unsigned} : tensor<1x4x4x2xi32> -> tensor<1x4x4x2xi4>
func.func @per_channel(%acc: tensor<1x4x4x2xi32>) -> tensor<1x4x4x2xi4> {
  %q = pike.quant_norm %acc {multiplier = #pike.fixed_point<bits = 8, multipliers = [97, 121], shifts = [14]>, bias = array<i64: 1024, -512>, output_unsigned} : tensor<1x4x4x2xi32> -> tensor<1x4x4x2xi4>
  return %q : tensor<1x4x4x2xi4>
}

// A fused ReLU6-style clip and an output zero point, signed output.
// CHECK-LABEL: func @clipped
// CHECK: pike.quant_norm %arg0 {max = 5 : i64, min = -2 : i64, multiplier = {{.*}}, output_zp = -2 : i64} : tensor<2x3xi32> -> tensor<2x3xi4>
func.func @clipped(%acc: tensor<2x3xi32>) -> tensor<2x3xi4> {
  %q = pike.quant_norm %acc {multiplier = #pike.fixed_point<bits = 32, multipliers = [1073741824, 1073741824, 1073741824], shifts = [33, 34, 35]>, output_zp = -2, min = -2, max = 5} : tensor<2x3xi32> -> tensor<2x3xi4>
  return %q : tensor<2x3xi4>
}
