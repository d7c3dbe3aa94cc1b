// A real embedding table plus positions, quantized (what PyTorch's
// quantization leaves of BERT's token embedding): see embedding.test.
func.func @main(%ids: tensor<2xi64>) -> tensor<2x2xi8> {
  %t = arith.constant dense<[[0.5, -1.0], [2.0, 0.27]]> : tensor<2x2xf32>
  %p = arith.constant dense<[[0.1, 0.3], [0.04, -0.2]]> : tensor<2x2xf32>
  %g = pike.gather %t, %ids : (tensor<2x2xf32>, tensor<2xi64>) -> tensor<2x2xf32>
  %s = pike.add %g, %p : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %q = pike.quantize %s {quantizer = #pike.quantizer<u8, scales = [0.1], zero_points = [128]>} : tensor<2x2xf32> -> tensor<2x2xi8>
  return %q : tensor<2x2xi8>
}
