// RUN: pike-opt %s -split-input-file -verify-diagnostics

func.func @width_mismatch(%x: tensor<4xf32>) {
  // expected-error @+1 {{'pike.quantize' op result element type 'i8' does not match the quantizer's 4 bits; expected i4}}
  %q = pike.quantize %x {quantizer = #pike.quantizer<u4, scales = [0.1]>} : tensor<4xf32> -> tensor<4xi8>
  return
}

// -----

func.func @channel_count(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'pike.quantize' op has 2 quantizer scales but dimension 1 has 3 channels}}
  %q = pike.quantize %x {quantizer = #pike.quantizer<s4, axis = 1, scales = [0.1, 0.2]>} : tensor<2x3xf32> -> tensor<2x3xi4>
  return
}

// -----

func.func @axis_out_of_rank(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'pike.quantize' op channel axis 2 is outside the rank-2 operand}}
  %q = pike.quantize %x {quantizer = #pike.quantizer<s4, axis = 2, scales = [0.1]>} : tensor<2x3xf32> -> tensor<2x3xi4>
  return
}

// -----

func.func @per_channel_needs_all(%x: tensor<2x3xf32>) {
  // A per-channel quantizer names every channel; one scale is per-tensor.
  // expected-error @+1 {{'pike.quantize' op has 1 quantizer scales but dimension 1 has 3 channels}}
  %q = pike.quantize %x {quantizer = #pike.quantizer<s4, axis = 1, scales = [0.1]>} : tensor<2x3xf32> -> tensor<2x3xi4>
  return
}

// -----

func.func @real_result(%x: tensor<4xf32>) {
  // expected-error @+1 {{'pike.quantize' op result #0 must be ranked tensor of signless integer of 1 to 64 bits values}}
  %q = pike.quantize %x {quantizer = #pike.quantizer<u4, scales = [0.1]>} : tensor<4xf32> -> tensor<4xf32>
  return
}

// -----

func.func @shape_mismatch(%x: tensor<4xf32>) {
  // expected-error @+1 {{'pike.quantize' op requires the same shape for all operands and results}}
  %q = pike.quantize %x {quantizer = #pike.quantizer<u4, scales = [0.1]>} : tensor<4xf32> -> tensor<5xi4>
  return
}

// -----

func.func @dequantize_width(%q: tensor<4xi8>) {
  // expected-error @+1 {{'pike.dequantize' op input element type 'i8' does not match the quantizer's 4 bits; expected i4}}
  %x = pike.dequantize %q {quantizer = #pike.quantizer<s4, scales = [0.1]>} : tensor<4xi8> -> tensor<4xf32>
  return
}

// -----

func.func @dequantize_channels(%w: tensor<3x2xi4>) {
  // expected-error @+1 {{'pike.dequantize' op has 2 quantizer scales but dimension 0 has 3 channels}}
  %x = pike.dequantize %w {quantizer = #pike.quantizer<s4, axis = 0, scales = [0.1, 0.2]>} : tensor<3x2xi4> -> tensor<3x2xf32>
  return
}

// -----

func.func @unknown_rounding(%x: tensor<4xf32>) {
  // expected-error @+2 {{expected ::mlir::pike::QuantizeRounding to be one of: half_even, floor, ceil, toward_zero}}
  // expected-error @+1 {{failed to parse Pike_QuantizeRoundingAttr parameter}}
  %q = pike.quantize %x {quantizer = #pike.quantizer<s4, scales = [0.1]>, rounding = #pike<quantize_rounding half_up>} : tensor<4xf32> -> tensor<4xi4>
  return
}

// -----

// The scale is used in the input's real type: 1e-50 is 0 in f32.
func.func @scale_zero_in_f32(%x: tensor<4xf32>) {
  // expected-error @+1 {{'pike.quantize' op quantizer scale #1 (1.000000e-50) is 0 in 'f32'; the scale must be positive and finite in the real type}}
  %q = pike.quantize %x {quantizer = #pike.quantizer<s8, axis = 0, scales = [0.1, 1.0e-50, 0.1, 0.1]>} : tensor<4xf32> -> tensor<4xi8>
  return
}

// -----

func.func @scale_infinite_in_f16(%q: tensor<4xi8>) {
  // expected-error @+1 {{'pike.dequantize' op quantizer scale #0 (1.000000e+05) is infinite in 'f16'}}
  %x = pike.dequantize %q {quantizer = #pike.quantizer<s8, scales = [1.0e5]>} : tensor<4xi8> -> tensor<4xf16>
  return
}

// -----

func.func @scale_infinite_in_f32(%x: tensor<4xf32>) {
  // expected-error @+1 {{'pike.quantize' op quantizer scale #0 (1.000000e+40) is infinite in 'f32'}}
  %q = pike.quantize %x {quantizer = #pike.quantizer<s8, scales = [1.0e40]>} : tensor<4xf32> -> tensor<4xi8>
  return
}

// -----

// A scale that is subnormal but not 0 in f32, and f64's wide range.
func.func @scale_fits(%x: tensor<4xf32>, %y: tensor<4xf64>) {
  %q = pike.quantize %x {quantizer = #pike.quantizer<s8, scales = [1.0e-40]>} : tensor<4xf32> -> tensor<4xi8>
  %r = pike.quantize %y {quantizer = #pike.quantizer<s8, scales = [1.0e-300]>} : tensor<4xf64> -> tensor<4xi8>
  return
}

// -----

// float8 E4M3FN has no infinity: 1000 overflows to NaN.
func.func @scale_nan_in_f8(%q: tensor<4xi8>) {
  // expected-error @+1 {{'pike.dequantize' op quantizer scale #0 (1.000000e+03) is NaN in 'f8E4M3FN'}}
  %x = pike.dequantize %q {quantizer = #pike.quantizer<s8, scales = [1.0e3]>} : tensor<4xi8> -> tensor<4xf8E4M3FN>
  return
}
