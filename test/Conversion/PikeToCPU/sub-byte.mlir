// RUN: pike-opt %s --convert-pike-to-cpu-kernels=target=vector --canonicalize | FileCheck %s

// 4-bit activations: a vector of i4 is packed but a buffer of i4 is not, so
// kernels read and write i8 holding the same numbers. The quantized image
// goes from the quantizer's i8 straight into the first kernel, its i8 output
// straight into the second; only the model's own i4 result is truncated
// back (an elementwise linalg.generic).
// CHECK-LABEL: func.func @main(
// CHECK-SAME: %[[X:.*]]: tensor<1x4x4x16xf32>) -> tensor<1x4x4x16xi4>
// CHECK: %[[Q:.*]] = scf.for {{.*}} -> (tensor<256xi8>)
// CHECK: %[[IMAGE:.*]] = tensor.expand_shape %[[Q]] {{.*}} into tensor<1x4x4x16xi8>
// CHECK: %[[A:.*]] = call @main_conv2d(%[[IMAGE]], %{{.*}}) : (tensor<1x4x4x16xi8>, tensor<1x4x4x16xi8>) -> tensor<1x4x4x16xi8>
// CHECK: %[[B:.*]] = call @main_conv2d_0(%[[A]], %{{.*}}) : (tensor<1x4x4x16xi8>, tensor<1x4x4x16xi8>) -> tensor<1x4x4x16xi8>
// CHECK: %[[OUT:.*]] = linalg.generic {{.*}} ins(%[[B]] : tensor<1x4x4x16xi8>)
// CHECK: arith.trunci {{.*}} : i8 to i4
// CHECK: return %[[OUT]] : tensor<1x4x4x16xi4>
func.func @main(%x: tensor<1x4x4x16xf32>) -> tensor<1x4x4x16xi4> {
  %q = pike.quantize %x {quantizer = #pike.quantizer<u4, scales = [0.0625]>} : tensor<1x4x4x16xf32> -> tensor<1x4x4x16xi4>
  %w = arith.constant dense<1> : tensor<16x1x1x16xi4>
  %acc = pike.conv2d %q, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, input_unsigned}
      : (tensor<1x4x4x16xi4>, tensor<16x1x1x16xi4>) -> tensor<1x4x4x16xi32>
  %a = pike.quant_norm %acc {multiplier = #pike.fixed_point<bits = 16, multipliers = [20000], shifts = [20]>, output_unsigned}
      : tensor<1x4x4x16xi32> -> tensor<1x4x4x16xi4>
  %acc2 = pike.conv2d %a, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, input_unsigned}
      : (tensor<1x4x4x16xi4>, tensor<16x1x1x16xi4>) -> tensor<1x4x4x16xi32>
  %b = pike.quant_norm %acc2 {multiplier = #pike.fixed_point<bits = 16, multipliers = [20000], shifts = [20]>, output_unsigned}
      : tensor<1x4x4x16xi32> -> tensor<1x4x4x16xi4>
  return %b : tensor<1x4x4x16xi4>
}

// A 4-bit input the kernels did not produce is widened first, as the op
// reads it (here signed).
// CHECK-LABEL: func.func @argument
// CHECK: linalg.generic {{.*}} ins(%arg0 : tensor<1x2x2x4xi4>)
// CHECK: arith.extsi {{.*}} : i4 to i8
// CHECK: call @argument_conv2d
func.func @argument(%x: tensor<1x2x2x4xi4>) -> tensor<1x2x2x16xi32> {
  %w = arith.constant dense<1> : tensor<16x1x1x4xi8>
  %acc = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>}
      : (tensor<1x2x2x4xi4>, tensor<16x1x1x4xi8>) -> tensor<1x2x2x16xi32>
  return %acc : tensor<1x2x2x16xi32>
}
