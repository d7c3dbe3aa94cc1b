// The lowering of an integer-form network contains no real arithmetic.
// RUN: pike-opt %s --convert-pike-to-linalg | FileCheck %s
// RUN: pike-opt %s --convert-pike-to-linalg --pike-verify-integer

// CHECK-LABEL: func @integer_block
// CHECK-NOT: f16
// CHECK-NOT: f32
// CHECK-NOT: f64
// CHECK: return
func.func @integer_block(%x: tensor<1x8x8x4xi4>) -> tensor<1x10xi8> {
  %w = arith.constant dense<3> : tensor<4x3x3x1xi4>
  %acc = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, groups = 4, input_unsigned} : (tensor<1x8x8x4xi4>, tensor<4x3x3x1xi4>) -> tensor<1x8x8x4xi32>
  %q = pike.quant_norm %acc {multiplier = #pike.fixed_point<bits = 5, multipliers = [5, 7, 3, 9], shifts = [6]>, bias = array<i64: 3, -2, 0, 1>, output_unsigned} : tensor<1x8x8x4xi32> -> tensor<1x8x8x4xi4>
  %p = pike.avg_pool2d %q {kernel = array<i64: 8, 8>, input_unsigned} : tensor<1x8x8x4xi4> -> tensor<1x1x1x4xi4>
  %f = tensor.collapse_shape %p [[0], [1, 2, 3]] : tensor<1x1x1x4xi4> into tensor<1x4xi4>
  %fw = arith.constant dense<1> : tensor<10x4xi8>
  %logits = pike.fully_connected %f, %fw {input_unsigned} : (tensor<1x4xi4>, tensor<10x4xi8>) -> tensor<1x10xi32>
  %r = pike.requantize %logits {multiplier = #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [33]>} : tensor<1x10xi32> -> tensor<1x10xi8>
  return %r : tensor<1x10xi8>
}
