// A float16 and a bfloat16 argument quantized (per channel, with zero
// points) and dequantized back: pike-run's half-width real arguments.
func.func @half(%x: tensor<4x16xf16>) -> (tensor<4x16xi8>, tensor<4x16xf16>) {
  %q = pike.quantize %x {quantizer = #pike.quantizer<u8, axis = 0, scales = [0.1015625, 0.3, 2.5, 0.007], zero_points = [128, 3, 0, 255]>} : tensor<4x16xf16> -> tensor<4x16xi8>
  %d = pike.dequantize %q {quantizer = #pike.quantizer<u8, axis = 0, scales = [0.1015625, 0.3, 2.5, 0.007], zero_points = [128, 3, 0, 255]>} : tensor<4x16xi8> -> tensor<4x16xf16>
  return %q, %d : tensor<4x16xi8>, tensor<4x16xf16>
}

func.func @brain(%x: tensor<4x16xbf16>) -> (tensor<4x16xi8>, tensor<4x16xbf16>) {
  %q = pike.quantize %x {quantizer = #pike.quantizer<s8, axis = 0, scales = [0.1015625, 0.3125, 2.5, 0.0068359375], zero_points = [3, -7, 0, 100]>} : tensor<4x16xbf16> -> tensor<4x16xi8>
  %d = pike.dequantize %q {quantizer = #pike.quantizer<s8, axis = 0, scales = [0.1015625, 0.3125, 2.5, 0.0068359375], zero_points = [3, -7, 0, 100]>} : tensor<4x16xi8> -> tensor<4x16xbf16>
  return %q, %d : tensor<4x16xi8>, tensor<4x16xbf16>
}
