// RUN: pike-opt %s --split-input-file --pike-quantnorm=rounding=float32 -verify-diagnostics

// A bias that is not an integer of the accumulator's scale has no float32 form.
func.func @fractional_bias(%x: tensor<1x2x2x1xi8>) -> tensor<1x2x2x1xi8> {
  %w = arith.constant dense<1> : tensor<1x1x1x1xi8>
  %acc = pike.conv2d %x, %w {padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x2x1xi8>, tensor<1x1x1x1xi8>) -> tensor<1x2x2x1xi32>
  // expected-error @+1 {{'pike.scale' op float32 requantization needs an integer bias in the accumulator's scale; channel 0's is 2.500000e+00 steps}}
  %y = pike.scale %acc {scale = array<f64: 0.125>, bias = array<f64: 0.3125>} : tensor<1x2x2x1xi32> -> tensor<1x2x2x1xf32>
  %q = pike.quantize %y {quantizer = #pike.quantizer<s8, scales = [0.5]>} : tensor<1x2x2x1xf32> -> tensor<1x2x2x1xi8>
  return %q : tensor<1x2x2x1xi8>
}

// -----

// A scale ratio below float32's normal range.
func.func @subnormal_scale(%x: tensor<1x2x2x1xi8>) -> tensor<1x2x2x1xi8> {
  %w = arith.constant dense<1> : tensor<1x1x1x1xi8>
  %acc = pike.conv2d %x, %w {padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x2x1xi8>, tensor<1x1x1x1xi8>) -> tensor<1x2x2x1xi32>
  // expected-error @+1 {{'pike.scale' op float32 requantization cannot represent channel 0: the float32 scale 1e-40 / 1 is not a positive normal float}}
  %y = pike.scale %acc {scale = array<f64: 1.0e-40>} : tensor<1x2x2x1xi32> -> tensor<1x2x2x1xf32>
  %q = pike.quantize %y {quantizer = #pike.quantizer<s8, scales = [1.0]>} : tensor<1x2x2x1xf32> -> tensor<1x2x2x1xi8>
  return %q : tensor<1x2x2x1xi8>
}
