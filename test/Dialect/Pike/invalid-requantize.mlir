// RUN: pike-opt %s -split-input-file -verify-diagnostics

func.func @channels(%x: tensor<2x3xi32>) {
  // expected-error @+1 {{'pike.requantize' op has 2 multipliers but dimension 1 has 3 channels}}
  %y = pike.requantize %x {multiplier = #pike.fixed_point<bits = 32, multipliers = [1, 2], shifts = [30]>} : tensor<2x3xi32> -> tensor<2x3xi8>
  return
}

// -----

func.func @shifts(%x: tensor<2x3xi32>) {
  // expected-error @+1 {{'pike.requantize' op has 2 shifts but dimension 1 has 3 channels}}
  %y = pike.requantize %x {multiplier = #pike.fixed_point<bits = 32, multipliers = [1], shifts = [30, 31]>} : tensor<2x3xi32> -> tensor<2x3xi8>
  return
}

// -----

func.func @input_zp(%x: tensor<4xi8>) {
  // expected-error @+1 {{'pike.requantize' op input_zp (128) is outside [-128, 127], the range of signed 'i8'}}
  %y = pike.requantize %x {multiplier = #pike.fixed_point<bits = 16, multipliers = [16384], shifts = [15]>, input_zp = 128} : tensor<4xi8> -> tensor<4xi8>
  return
}

// -----

func.func @output_zp(%x: tensor<4xi8>) {
  // expected-error @+1 {{'pike.requantize' op output_zp (-1) is outside [0, 255], the range of unsigned 'i8'}}
  %y = pike.requantize %x {multiplier = #pike.fixed_point<bits = 16, multipliers = [16384], shifts = [15]>, output_zp = -1, output_unsigned} : tensor<4xi8> -> tensor<4xi8>
  return
}

// -----

func.func @overflow(%x: tensor<4xi32>) {
  // A zero point makes |i32 - zp| exceed 2^31; times a full 32-bit multiplier it passes 2^63.
  // expected-error @+1 {{'pike.requantize' op the 64-bit requantization intermediate may overflow}}
  %y = pike.requantize %x {multiplier = #pike.fixed_point<bits = 32, multipliers = [2147483647], shifts = [40]>, input_zp = -2147483648} : tensor<4xi32> -> tensor<4xi8>
  return
}

// -----

func.func @real_input(%x: tensor<4xf32>) {
  // expected-error @+1 {{'pike.requantize' op operand #0 must be ranked tensor of signless integer of 1 to 64 bits values}}
  %y = pike.requantize %x {multiplier = #pike.fixed_point<bits = 16, multipliers = [16384], shifts = [15]>} : tensor<4xf32> -> tensor<4xi8>
  return
}

// -----

func.func @scalar(%x: tensor<i32>) {
  // expected-error @+1 {{'pike.requantize' op input must have at least one dimension}}
  %y = pike.requantize %x {multiplier = #pike.fixed_point<bits = 16, multipliers = [16384], shifts = [15]>} : tensor<i32> -> tensor<i8>
  return
}

// -----

func.func @min_outside_type(%x: tensor<4xi32>) -> tensor<4xi8> {
  // expected-error @+1 {{'pike.requantize' op min (-129) is outside [-128, 127], the range of signed 'i8'}}
  %r = pike.requantize %x {multiplier = #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [31]>, min = -129 : i64} : tensor<4xi32> -> tensor<4xi8>
  return %r : tensor<4xi8>
}

// -----

func.func @min_above_max(%x: tensor<4xi32>) -> tensor<4xi8> {
  // expected-error @+1 {{'pike.requantize' op min (10) exceeds max (6)}}
  %r = pike.requantize %x {multiplier = #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [31]>, min = 10 : i64, max = 6 : i64} : tensor<4xi32> -> tensor<4xi8>
  return %r : tensor<4xi8>
}

// -----

// Per channel: x + 2^31 is in [0, 2^32 - 1]; channel 0 (M = 2^30, s = 40)
// fits, channel 1 (M = 2^31 - 1) reaches (2^32 - 1)(2^31 - 1) =
// 9223372030412324865, and adding 2^39 passes 2^63: 9223372580168138753.
func.func @overflow_in_channel(%x: tensor<4x2xi32>) {
  // expected-error @+1 {{'pike.requantize' op the 64-bit requantization intermediate may overflow in channel 1: the value plus the rounding term reaches [549755813888, 9223372580168138753]}}
  %y = pike.requantize %x {multiplier = #pike.fixed_point<bits = 32, multipliers = [1073741824, 2147483647], shifts = [40, 40]>, input_zp = -2147483648} : tensor<4x2xi32> -> tensor<4x2xi8>
  return
}
