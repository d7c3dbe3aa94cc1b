// RUN: pike-opt %s -split-input-file -verify-diagnostics

func.func @multiplier_count(%acc: tensor<1x3xi32>) {
  // expected-error @+1 {{'pike.quant_norm' op has 2 multipliers but dimension 1 has 3 channels}}
  %q = pike.quant_norm %acc {multiplier = #pike.fixed_point<bits = 8, multipliers = [64, 65], shifts = [10]>} : tensor<1x3xi32> -> tensor<1x3xi4>
  return
}

// -----

func.func @shift_count(%acc: tensor<1x3xi32>) {
  // expected-error @+1 {{'pike.quant_norm' op has 2 shifts but dimension 1 has 3 channels}}
  %q = pike.quant_norm %acc {multiplier = #pike.fixed_point<bits = 8, multipliers = [64], shifts = [10, 11]>} : tensor<1x3xi32> -> tensor<1x3xi4>
  return
}

// -----

func.func @bias_count(%acc: tensor<1x3xi32>) {
  // expected-error @+1 {{'pike.quant_norm' op has 2 biases but dimension 1 has 3 channels}}
  %q = pike.quant_norm %acc {multiplier = #pike.fixed_point<bits = 8, multipliers = [64], shifts = [10]>, bias = array<i64: 1, 2>} : tensor<1x3xi32> -> tensor<1x3xi4>
  return
}

// -----

func.func @output_zp(%acc: tensor<1x3xi32>) {
  // expected-error @+1 {{'pike.quant_norm' op output_zp (16) is outside [0, 15], the range of unsigned 'i4'}}
  %q = pike.quant_norm %acc {multiplier = #pike.fixed_point<bits = 8, multipliers = [64], shifts = [10]>, output_zp = 16, output_unsigned} : tensor<1x3xi32> -> tensor<1x3xi4>
  return
}

// -----

func.func @min_range(%acc: tensor<1x3xi32>) {
  // expected-error @+1 {{'pike.quant_norm' op min (-9) is outside [-8, 7], the range of signed 'i4'}}
  %q = pike.quant_norm %acc {multiplier = #pike.fixed_point<bits = 8, multipliers = [64], shifts = [10]>, min = -9} : tensor<1x3xi32> -> tensor<1x3xi4>
  return
}

// -----

func.func @max_range(%acc: tensor<1x3xi32>) {
  // expected-error @+1 {{'pike.quant_norm' op max (8) is outside [-8, 7], the range of signed 'i4'}}
  %q = pike.quant_norm %acc {multiplier = #pike.fixed_point<bits = 8, multipliers = [64], shifts = [10]>, max = 8} : tensor<1x3xi32> -> tensor<1x3xi4>
  return
}

// -----

func.func @min_above_max(%acc: tensor<1x3xi32>) {
  // expected-error @+1 {{'pike.quant_norm' op min (6) exceeds max (2)}}
  %q = pike.quant_norm %acc {multiplier = #pike.fixed_point<bits = 8, multipliers = [64], shifts = [10]>, min = 6, max = 2} : tensor<1x3xi32> -> tensor<1x3xi4>
  return
}

// -----

func.func @intermediate_overflow(%acc: tensor<1x1xi32>) {
  // 2^31 * (2^31 - 1) plus a bias of 2^62 passes 2^63.
  // expected-error @+1 {{'pike.quant_norm' op the 64-bit requantization intermediate may overflow}}
  %q = pike.quant_norm %acc {multiplier = #pike.fixed_point<bits = 32, multipliers = [2147483647], shifts = [40]>, bias = array<i64: 4611686018427387904>} : tensor<1x1xi32> -> tensor<1x1xi8>
  return
}

// -----

func.func @scalar(%acc: tensor<i32>) {
  // expected-error @+1 {{'pike.quant_norm' op input must have at least one dimension}}
  %q = pike.quant_norm %acc {multiplier = #pike.fixed_point<bits = 8, multipliers = [64], shifts = [10]>} : tensor<i32> -> tensor<i4>
  return
}

// -----

// Channel 0 reaches 2^63 - 1 exactly ((2^31 - 1)^2 + 2^62 - 2 + 2^32, see
// test/Integration/requantize-boundaries.test); channel 1, with a bias one
// larger, reaches 2^63.
func.func @overflow_in_channel(%acc: tensor<1x2xi32>) {
  // expected-error @+1 {{'pike.quant_norm' op the 64-bit requantization intermediate may overflow in channel 1: the value plus the rounding term reaches [6442450943, 9223372036854775808]}}
  %q = pike.quant_norm %acc {multiplier = #pike.fixed_point<bits = 32, multipliers = [2147483647], shifts = [33]>, bias = array<i64: 4611686018427387902, 4611686018427387903>} : tensor<1x2xi32> -> tensor<1x2xi32>
  return
}

// -----

// double rounding adds 2^30 more where single rounding fits: the largest
// product 2^62 - 2^32 + 1 plus the bias 2^62 - 2^30 - 1 plus 2^32 is
// 2^63 - 2^30, and + 2^30 (s > 31) is 2^63.
func.func @overflow_double(%acc: tensor<1x1xi32>) {
  // expected-error @+1 {{'pike.quant_norm' op the 64-bit requantization intermediate may overflow: the value plus the double-rounding term reaches}}
  %q = pike.quant_norm %acc {multiplier = #pike.fixed_point<bits = 32, multipliers = [2147483647], shifts = [33], rounding = double>, bias = array<i64: 4611686017353646079>} : tensor<1x1xi32> -> tensor<1x1xi32>
  return
}
