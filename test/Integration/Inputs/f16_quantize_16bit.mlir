// float16 images (an s8 tensor dequantized: 1000 a step, up to +-128000,
// so past float16's largest, 65504, to infinity) quantized to 16 bits, with
// zero points past float16's exact integers (2048).
func.func @main(%q: tensor<2x4x4x3xi8>) -> (tensor<2x4x4x3xi16>, tensor<2x4x4x3xi16>, tensor<2x3x4x4xi16>) {
  %x = pike.dequantize %q {quantizer = #pike.quantizer<s8, scales = [1000.0]>} : tensor<2x4x4x3xi8> -> tensor<2x4x4x3xf16>
  %s = pike.quantize %x {quantizer = #pike.quantizer<s16, scales = [1.0], zero_points = [-2051]>} : tensor<2x4x4x3xf16> -> tensor<2x4x4x3xi16>
  %u = pike.quantize %x {quantizer = #pike.quantizer<u16, scales = [2.0], zero_points = [40001]>} : tensor<2x4x4x3xf16> -> tensor<2x4x4x3xi16>
  // An NCHW image transposed and quantized: the row kernel's form.
  %n = pike.dequantize %q {quantizer = #pike.quantizer<s8, scales = [1000.0]>} : tensor<2x4x4x3xi8> -> tensor<2x4x4x3xf16>
  %c = tensor.empty() : tensor<2x3x4x4xf16>
  %nchw = linalg.transpose ins(%n : tensor<2x4x4x3xf16>) outs(%c : tensor<2x3x4x4xf16>) permutation = [0, 3, 1, 2]
  %e = tensor.empty() : tensor<2x4x4x3xf16>
  %nhwc = linalg.transpose ins(%nchw : tensor<2x3x4x4xf16>) outs(%e : tensor<2x4x4x3xf16>) permutation = [0, 2, 3, 1]
  %t = pike.quantize %nhwc {quantizer = #pike.quantizer<s16, scales = [0.5], zero_points = [3]>} : tensor<2x4x4x3xf16> -> tensor<2x4x4x3xi16>
  %r = tensor.empty() : tensor<2x3x4x4xi16>
  %back = linalg.transpose ins(%t : tensor<2x4x4x3xi16>) outs(%r : tensor<2x3x4x4xi16>) permutation = [0, 3, 1, 2]
  return %s, %u, %back : tensor<2x4x4x3xi16>, tensor<2x4x4x3xi16>, tensor<2x3x4x4xi16>
}
