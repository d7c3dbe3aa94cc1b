// RUN: pike-opt %s --split-input-file --pike-fixed-point | FileCheck %s

// BipolarQuant of a dequantized tensor, as imported: a one-bit floor with
// zero point 0 is the sign of q - zp (-1 below the zero point, 0 from it),
// whatever the scales: an integer requantize by exactly 1 into [-1, 0].
// CHECK-LABEL: func.func @sign
// CHECK: %[[S:.*]] = pike.requantize %arg0 {input_unsigned, input_zp = 3 : i64, multiplier = #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [30]>} : tensor<4x8xi8> -> tensor<4x8xi1>
// CHECK-NOT: pike.dequantize
// CHECK: return %[[S]]
func.func @sign(%q: tensor<4x8xi8>) -> tensor<4x8xi1> {
  %x = pike.dequantize %q {quantizer = #pike.quantizer<u8, scales = [0.02], zero_points = [3]>} : tensor<4x8xi8> -> tensor<4x8xf32>
  %s = pike.quantize %x {quantizer = #pike.quantizer<s1, scales = [1.0]>, rounding = #pike<quantize_rounding floor>} : tensor<4x8xf32> -> tensor<4x8xi1>
  return %s : tensor<4x8xi1>
}

// -----

// Per channel, one zero point: still the sign.
// CHECK-LABEL: func.func @per_channel
// CHECK: pike.requantize %arg0 {input_zp = -2 : i64, multiplier
func.func @per_channel(%q: tensor<4x2xi8>) -> tensor<4x2xi1> {
  %x = pike.dequantize %q {quantizer = #pike.quantizer<s8, axis = 1, scales = [0.5, 0.25], zero_points = [-2, -2]>} : tensor<4x2xi8> -> tensor<4x2xf32>
  %s = pike.quantize %x {quantizer = #pike.quantizer<s1, scales = [1.0]>, rounding = #pike<quantize_rounding floor>} : tensor<4x2xf32> -> tensor<4x2xi1>
  return %s : tensor<4x2xi1>
}

// -----

// Not a sign, so the quantize keeps its real input: two zero points; an
// unsigned bit.
// CHECK-LABEL: func.func @two_zero_points
// CHECK: pike.quantize
func.func @two_zero_points(%q: tensor<4x2xi8>) -> tensor<4x2xi1> {
  %x = pike.dequantize %q {quantizer = #pike.quantizer<s8, axis = 1, scales = [0.5, 0.25], zero_points = [-2, 5]>} : tensor<4x2xi8> -> tensor<4x2xf32>
  %s = pike.quantize %x {quantizer = #pike.quantizer<s1, scales = [1.0]>, rounding = #pike<quantize_rounding floor>} : tensor<4x2xf32> -> tensor<4x2xi1>
  return %s : tensor<4x2xi1>
}

// -----

// CHECK-LABEL: func.func @unsigned_bit
// CHECK: pike.quantize
func.func @unsigned_bit(%q: tensor<4x2xi8>) -> tensor<4x2xi1> {
  %x = pike.dequantize %q {quantizer = #pike.quantizer<s8, scales = [0.5]>} : tensor<4x2xi8> -> tensor<4x2xf32>
  %s = pike.quantize %x {quantizer = #pike.quantizer<u1, scales = [1.0]>, rounding = #pike<quantize_rounding floor>} : tensor<4x2xf32> -> tensor<4x2xi1>
  return %s : tensor<4x2xi1>
}

// -----

// A step of 1e-4 / 4096 rounds to -0 in f16, whose floor is 0, not -1: the
// quantize keeps its real input.
// CHECK-LABEL: func.func @step_below_f16
// CHECK: pike.quantize
func.func @step_below_f16(%q: tensor<1x8xi8>) -> tensor<1x8xi1> {
  %x = pike.dequantize %q {quantizer = #pike.quantizer<s8, scales = [1.0e-04]>} : tensor<1x8xi8> -> tensor<1x8xf16>
  %s = pike.quantize %x {quantizer = #pike.quantizer<s1, scales = [4096.0]>, rounding = #pike<quantize_rounding floor>} : tensor<1x8xf16> -> tensor<1x8xi1>
  return %s : tensor<1x8xi1>
}
