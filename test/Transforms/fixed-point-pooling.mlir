// RUN: pike-opt %s --split-input-file --pike-fixed-point | FileCheck %s

// Padded and ceil-mode averages between identical quantizers run on the
// integers with the same windows and divisors.
// CHECK-LABEL: func @padded_average
// CHECK: pike.avg_pool2d %arg0 {count_include_pad, input_zp = 3 : i64, kernel = array<i64: 3, 3>, output_zp = 3 : i64, padding = array<i64: 1, 1, 1, 1>} : tensor<1x4x4x2xi8> -> tensor<1x4x4x2xi8>
// CHECK: pike.avg_pool2d %arg0 {ceil_mode, input_zp = 3 : i64, kernel = array<i64: 3, 3>, output_zp = 3 : i64, strides = array<i64: 2, 2>} : tensor<1x4x4x2xi8> -> tensor<1x2x2x2xi8>
func.func @padded_average(%x: tensor<1x4x4x2xi8>) -> (tensor<1x4x4x2xi8>, tensor<1x2x2x2xi8>) {
  %d = pike.dequantize %x {quantizer = #pike.quantizer<s8, scales = [0.5], zero_points = [3]>} : tensor<1x4x4x2xi8> -> tensor<1x4x4x2xf32>
  %a = pike.avg_pool2d %d {kernel = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>, count_include_pad} : tensor<1x4x4x2xf32> -> tensor<1x4x4x2xf32>
  %qa = pike.quantize %a {quantizer = #pike.quantizer<s8, scales = [0.5], zero_points = [3]>} : tensor<1x4x4x2xf32> -> tensor<1x4x4x2xi8>
  %c = pike.avg_pool2d %d {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, ceil_mode} : tensor<1x4x4x2xf32> -> tensor<1x2x2x2xf32>
  %qc = pike.quantize %c {quantizer = #pike.quantizer<s8, scales = [0.5], zero_points = [3]>} : tensor<1x2x2x2xf32> -> tensor<1x2x2x2xi8>
  return %qa, %qc : tensor<1x4x4x2xi8>, tensor<1x2x2x2xi8>
}

// -----

// Between different quantizers, counted padding keeps one divisor (9): the
// window sums are a convolution by ones padded with the zero point, then one
// requantize by 0.5 / (0.25 * 9) = 2/9 = 1908874354 * 2^-33. Padding that does not count gives
// windows of 4, 6 and 9 inputs: the integer average in the input's
// quantizer, then a requantize by 0.5 / 0.25 = 2.
// CHECK-LABEL: func @padded_average_changing_scale
// CHECK: %[[S:.*]] = pike.conv2d %arg0, %{{.*}} {groups = 2 : i64, input_zp = 3 : i64, padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>}
// CHECK: pike.requantize %[[S]] {multiplier = #pike.fixed_point<bits = 32, multipliers = [1908874354], shifts = [33]>}
// CHECK: %[[A:.*]] = pike.avg_pool2d %arg0 {input_zp = 3 : i64, kernel = array<i64: 3, 3>, output_zp = 3 : i64, padding = array<i64: 1, 1, 1, 1>}
// CHECK: pike.requantize %[[A]] {input_zp = 3 : i64, multiplier = #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [29]>}
func.func @padded_average_changing_scale(%x: tensor<1x4x4x2xi8>) -> (tensor<1x4x4x2xi8>, tensor<1x4x4x2xi8>) {
  %d = pike.dequantize %x {quantizer = #pike.quantizer<s8, scales = [0.5], zero_points = [3]>} : tensor<1x4x4x2xi8> -> tensor<1x4x4x2xf32>
  %a = pike.avg_pool2d %d {kernel = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>, count_include_pad} : tensor<1x4x4x2xf32> -> tensor<1x4x4x2xf32>
  %qa = pike.quantize %a {quantizer = #pike.quantizer<s8, scales = [0.25]>} : tensor<1x4x4x2xf32> -> tensor<1x4x4x2xi8>
  %e = pike.avg_pool2d %d {kernel = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>} : tensor<1x4x4x2xf32> -> tensor<1x4x4x2xf32>
  %qe = pike.quantize %e {quantizer = #pike.quantizer<s8, scales = [0.25]>} : tensor<1x4x4x2xf32> -> tensor<1x4x4x2xi8>
  return %qa, %qe : tensor<1x4x4x2xi8>, tensor<1x4x4x2xi8>
}

// -----

// ONNX ReduceMean without keepdims: the quantize after the reshape moves
// before it (quantizing is elementwise), and the pooling becomes integer.
// CHECK-LABEL: func @mean_then_reshape
// CHECK: %[[A:.*]] = pike.avg_pool2d %arg0 {input_zp = 3 : i64, kernel = array<i64: 4, 4>, output_zp = 3 : i64} : tensor<1x4x4x2xi8> -> tensor<1x1x1x2xi8>
// CHECK: %[[R:.*]] = tensor.collapse_shape %[[A]] {{\[\[}}0, 1, 2], [3]] : tensor<1x1x1x2xi8> into tensor<1x2xi8>
// CHECK: return %[[R]]
func.func @mean_then_reshape(%x: tensor<1x4x4x2xi8>) -> tensor<1x2xi8> {
  %d = pike.dequantize %x {quantizer = #pike.quantizer<s8, scales = [0.5], zero_points = [3]>} : tensor<1x4x4x2xi8> -> tensor<1x4x4x2xf32>
  %a = pike.avg_pool2d %d {kernel = array<i64: 4, 4>} : tensor<1x4x4x2xf32> -> tensor<1x1x1x2xf32>
  %r = tensor.collapse_shape %a [[0, 1, 2], [3]] : tensor<1x1x1x2xf32> into tensor<1x2xf32>
  %q = pike.quantize %r {quantizer = #pike.quantizer<s8, scales = [0.5], zero_points = [3]>} : tensor<1x2xf32> -> tensor<1x2xi8>
  return %q : tensor<1x2xi8>
}

// -----

// A half-even average stays half-even when it becomes integer, and between
// different quantizers its one rescale (2/9, as above) rounds half to even
// too, although the pass's rounding is single.
// CHECK-LABEL: func @half_even_average
// CHECK: pike.avg_pool2d %arg0 {input_zp = 3 : i64, kernel = array<i64: 2, 2>, output_zp = 3 : i64, rounding = #pike<average_rounding half_even>, strides = array<i64: 2, 2>}
// CHECK: %[[S:.*]] = pike.conv2d %arg0
// CHECK: pike.requantize %[[S]] {multiplier = #pike.fixed_point<bits = 32, multipliers = [1908874354], shifts = [33], rounding = half_even>}
// CHECK: %[[A:.*]] = pike.avg_pool2d %arg0 {input_zp = 3 : i64, kernel = array<i64: 3, 3>, output_zp = 3 : i64, padding = array<i64: 1, 1, 1, 1>, rounding = #pike<average_rounding half_even>}
// CHECK: pike.requantize %[[A]]
func.func @half_even_average(%x: tensor<1x4x4x2xi8>) -> (tensor<1x2x2x2xi8>, tensor<1x4x4x2xi8>, tensor<1x4x4x2xi8>) {
  %d = pike.dequantize %x {quantizer = #pike.quantizer<s8, scales = [0.5], zero_points = [3]>} : tensor<1x4x4x2xi8> -> tensor<1x4x4x2xf32>
  %s = pike.avg_pool2d %d {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, rounding = #pike<average_rounding half_even>} : tensor<1x4x4x2xf32> -> tensor<1x2x2x2xf32>
  %qs = pike.quantize %s {quantizer = #pike.quantizer<s8, scales = [0.5], zero_points = [3]>} : tensor<1x2x2x2xf32> -> tensor<1x2x2x2xi8>
  %a = pike.avg_pool2d %d {kernel = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>, count_include_pad, rounding = #pike<average_rounding half_even>} : tensor<1x4x4x2xf32> -> tensor<1x4x4x2xf32>
  %qa = pike.quantize %a {quantizer = #pike.quantizer<s8, scales = [0.25]>} : tensor<1x4x4x2xf32> -> tensor<1x4x4x2xi8>
  %e = pike.avg_pool2d %d {kernel = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>, rounding = #pike<average_rounding half_even>} : tensor<1x4x4x2xf32> -> tensor<1x4x4x2xf32>
  %qe = pike.quantize %e {quantizer = #pike.quantizer<s8, scales = [0.25]>} : tensor<1x4x4x2xf32> -> tensor<1x4x4x2xi8>
  return %qs, %qa, %qe : tensor<1x2x2x2xi8>, tensor<1x4x4x2xi8>, tensor<1x4x4x2xi8>
}
