// RUN: pike-opt %s | pike-opt | FileCheck %s

// CHECK-LABEL: func @single_default
// CHECK: #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [31]>
func.func @single_default(%x: tensor<4xi32>) -> tensor<4xi8> {
  %y = pike.requantize %x {multiplier = #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [31], rounding = single>} : tensor<4xi32> -> tensor<4xi8>
  return %y : tensor<4xi8>
}

// CHECK-LABEL: func @double_round
// CHECK: #pike.fixed_point<bits = 32, multipliers = [1518500250], shifts = [38], rounding = double>
func.func @double_round(%x: tensor<4xi32>) -> tensor<4xi8> {
  %y = pike.requantize %x {multiplier = #pike.fixed_point<bits = 32, multipliers = [1518500250], shifts = [38], rounding = double>} : tensor<4xi32> -> tensor<4xi8>
  return %y : tensor<4xi8>
}

// Double Quantization in integer form: low-bit per-channel multipliers and
// one shared shift.
// CHECK-LABEL: func @low_bit_shared_shift
// CHECK: #pike.fixed_point<bits = 4, multipliers = [5, 7, 3], shifts = [9]>
func.func @low_bit_shared_shift(%x: tensor<2x3xi32>) -> tensor<2x3xi4> {
  %y = pike.quant_norm %x {multiplier = #pike.fixed_point<bits = 4, multipliers = [5, 7, 3], shifts = [9]>} : tensor<2x3xi32> -> tensor<2x3xi4>
  return %y : tensor<2x3xi4>
}

// Extreme shifts of the allowed range.
// CHECK-LABEL: func @shift_range
// CHECK: shifts = [2, 62]
func.func @shift_range(%x: tensor<2x2xi32>) -> tensor<2x2xi8> {
  %y = pike.requantize %x {multiplier = #pike.fixed_point<bits = 16, multipliers = [1, 32767], shifts = [2, 62]>} : tensor<2x2xi32> -> tensor<2x2xi8>
  return %y : tensor<2x2xi8>
}

// Ties to even, as ONNX rounds; any multiplier width.
// CHECK-LABEL: func @half_even
// CHECK: #pike.fixed_point<bits = 8, multipliers = [64], shifts = [7], rounding = half_even>
func.func @half_even(%x: tensor<4xi32>) -> tensor<4xi8> {
  %y = pike.requantize %x {multiplier = #pike.fixed_point<bits = 8, multipliers = [64], shifts = [7], rounding = half_even>} : tensor<4xi32> -> tensor<4xi8>
  return %y : tensor<4xi8>
}
