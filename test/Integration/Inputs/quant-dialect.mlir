// Input of quant-dialect.test: quant casts around a pike layer.
func.func @main(%x: tensor<2x4xf32>) -> tensor<2x3xf32> {
  %q = quant.qcast %x : tensor<2x4xf32> to tensor<2x4x!quant.uniform<u8:f32, 0.02:128>>
  %s = quant.scast %q : tensor<2x4x!quant.uniform<u8:f32, 0.02:128>> to tensor<2x4xi8>
  %w = arith.constant dense<[[1, -2, 3, -4], [5, 6, -7, 8], [-9, 10, 11, -12]]> : tensor<3x4xi8>
  %acc = pike.fully_connected %s, %w {input_unsigned, input_zp = 128} : (tensor<2x4xi8>, tensor<3x4xi8>) -> tensor<2x3xi32>
  %y = pike.scale %acc {scale = array<f64: 0.002, 0.001, 0.003>, bias = array<f64: 0.1, -0.2, 0.3>} : tensor<2x3xi32> -> tensor<2x3xf32>
  %o = quant.qcast %y : tensor<2x3xf32> to tensor<2x3x!quant.uniform<i8:f32, 0.01>>
  %d = quant.dcast %o : tensor<2x3x!quant.uniform<i8:f32, 0.01>> to tensor<2x3xf32>
  return %d : tensor<2x3xf32>
}
