// RUN: pike-opt %s --pike-fixed-point=rounding=float32 -split-input-file -verify-diagnostics
// onnxruntime scales a softmax's probabilities by floor(1 / s_out) in
// float32; a step as fine as 1e-40 makes that infinite: an error naming
// the scale (two types, so no QLinearSoftmax form either).

func.func @overflowing_multiplier(%x: tensor<2x8xi8>) -> tensor<2x8xi8> {
  %d = pike.dequantize %x {quantizer = #pike.quantizer<s8, scales = [0.5]>} : tensor<2x8xi8> -> tensor<2x8xf32>
  // expected-error @+1 {{'pike.softmax' op cannot be made integer: onnxruntime's softmax scales by floor(1 / output scale) in float32, which overflows for an output scale of 1e-40}}
  %s = pike.softmax %d : tensor<2x8xf32>
  %q = pike.quantize %s {quantizer = #pike.quantizer<u8, scales = [1.0e-40]>} : tensor<2x8xf32> -> tensor<2x8xi8>
  return %q : tensor<2x8xi8>
}
