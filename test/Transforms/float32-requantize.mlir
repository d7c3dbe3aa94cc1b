// RUN: pike-opt %s --split-input-file --pike-quantnorm=rounding=float32 | FileCheck %s

// float32 rounding reaches a MAC accumulator's requantization only: the
// float32 scale s_acc / s_out as a 25-bit significand and shift (0.25 =
// 2^23 * 2^-25, 0.75 = 3 * 2^22 * 2^-24), the bias in accumulator units
// (1.25 / 0.125 = 10, -0.75 / 0.375 = -2).
// CHECK-LABEL: func @conv
// CHECK: pike.quant_norm
// CHECK-SAME: bias = array<i64: 10, -2>
// CHECK-SAME: #pike.fixed_point<bits = 25, multipliers = [8388608, 12582912], shifts = [25, 24], rounding = float32>
func.func @conv(%x: tensor<1x2x2x1xi8>) -> tensor<1x2x2x2xi8> {
  %w = arith.constant dense<1> : tensor<2x1x1x1xi8>
  %acc = pike.conv2d %x, %w {padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x2x1xi8>, tensor<2x1x1x1xi8>) -> tensor<1x2x2x2xi32>
  %y = pike.scale %acc {scale = array<f64: 0.125, 0.375>, bias = array<f64: 1.25, -0.75>} : tensor<1x2x2x2xi32> -> tensor<1x2x2x2xf32>
  %q = pike.quantize %y {quantizer = #pike.quantizer<s8, scales = [0.5]>} : tensor<1x2x2x2xf32> -> tensor<1x2x2x2xi8>
  return %q : tensor<1x2x2x2xi8>
}

// -----

// Not an accumulator: half_even with the pipeline's 32-bit multipliers.
// CHECK-LABEL: func @not_mac
// CHECK: #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [32], rounding = half_even>
func.func @not_mac(%acc: tensor<1x2xi32>) -> tensor<1x2xi8> {
  %y = pike.scale %acc {scale = array<f64: 0.125>} : tensor<1x2xi32> -> tensor<1x2xf32>
  %q = pike.quantize %y {quantizer = #pike.quantizer<s8, scales = [0.5]>} : tensor<1x2xf32> -> tensor<1x2xi8>
  return %q : tensor<1x2xi8>
}

// -----

// A [batch, tokens, width] product runs as a fully connected one on its
// rows and is reshaped back: still a MAC accumulator (onnxruntime's
// QLinearMatMul), so float32 rounding.
// CHECK-LABEL: func @reshaped_rows
// CHECK: pike.quant_norm
// CHECK-SAME: rounding = float32
func.func @reshaped_rows(%x: tensor<1x2x3xi8>) -> tensor<1x2x2xi8> {
  %w = arith.constant dense<1> : tensor<2x3xi8>
  %rows = tensor.collapse_shape %x [[0, 1], [2]] : tensor<1x2x3xi8> into tensor<2x3xi8>
  %acc = pike.fully_connected %rows, %w : (tensor<2x3xi8>, tensor<2x3xi8>) -> tensor<2x2xi32>
  %back = tensor.expand_shape %acc [[0, 1], [2]] output_shape [1, 2, 2] : tensor<2x2xi32> into tensor<1x2x2xi32>
  %y = pike.scale %back {scale = array<f64: 0.125, 0.375>} : tensor<1x2x2xi32> -> tensor<1x2x2xf32>
  %q = pike.quantize %y {quantizer = #pike.quantizer<s8, scales = [0.5]>} : tensor<1x2x2xf32> -> tensor<1x2x2xi8>
  return %q : tensor<1x2x2xi8>
}
