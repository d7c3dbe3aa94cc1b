// A softmax with a mask of kept elements between quantizers: rows of 16,
// s8 scores at 0.1 into u8 probabilities at 1/256, returned dequantized.
func.func @main(%x: tensor<2x4x16xf32>, %keep: tensor<2x4x16xi1>) -> tensor<2x4x16xf32> {
  %q = pike.quantize %x {quantizer = #pike.quantizer<s8, scales = [0.1]>} : tensor<2x4x16xf32> -> tensor<2x4x16xi8>
  %d = pike.dequantize %q {quantizer = #pike.quantizer<s8, scales = [0.1]>} : tensor<2x4x16xi8> -> tensor<2x4x16xf32>
  %s = pike.softmax %d mask(%keep : tensor<2x4x16xi1>) : tensor<2x4x16xf32>
  %sq = pike.quantize %s {quantizer = #pike.quantizer<u8, scales = [0.00390625]>} : tensor<2x4x16xf32> -> tensor<2x4x16xi8>
  %sd = pike.dequantize %sq {quantizer = #pike.quantizer<u8, scales = [0.00390625]>} : tensor<2x4x16xi8> -> tensor<2x4x16xf32>
  return %sd : tensor<2x4x16xf32>
}
