// Softmax and layer normalization over rows of 64 on quantized edges: each
// entry quantizes a [2, 8, 64] real input, normalizes it both ways, and
// returns both results dequantized (softmax first, then LayerNorm).
// @main: s8 input, u8 softmax, s8 LayerNorm with per-position scale and bias.
func.func @main(%x: tensor<2x8x64xf32>) -> tensor<4x8x64xf32> {
  %q = pike.quantize %x {quantizer = #pike.quantizer<s8, scales = [0.04]>} : tensor<2x8x64xf32> -> tensor<2x8x64xi8>
  %d = pike.dequantize %q {quantizer = #pike.quantizer<s8, scales = [0.04]>} : tensor<2x8x64xi8> -> tensor<2x8x64xf32>
  %s = pike.softmax %d : tensor<2x8x64xf32>
  %sq = pike.quantize %s {quantizer = #pike.quantizer<u8, scales = [0.00390625]>} : tensor<2x8x64xf32> -> tensor<2x8x64xi8>
  %sd = pike.dequantize %sq {quantizer = #pike.quantizer<u8, scales = [0.00390625]>} : tensor<2x8x64xi8> -> tensor<2x8x64xf32>
  %l = pike.layer_norm %d {scale = array<f64: -1.6685, 1.6735, 1.1761, 0.7859, 0.3917, -0.9517, 0.9944, 0.377, 0.3829, 1.9986, -1.409, 0.6987, 1.0394, 1.9561, 1.8261, -1.7352, 0.9671, 1.1381, 1.4504, 0.4034, -1.2445, 0.7615, 1.7954, 0.4092, 1.4546, -1.7792, 0.6864, 1.8223, 1.7827, 0.3315, -1.5027, 0.302, 1.1557, 1.0423, 0.6455, -0.8524, 1.6706, 0.838, 0.5534, 1.4875, -1.0625, 1.6582, 0.7004, 0.8436, 1.6598, -1.162, 1.1609, 0.7015, 0.3247, 1.8865, -0.4459, 1.7364, 0.9254, 1.9167, 0.979, -1.892, 1.2455, 0.7082, 1.5604, 1.4465, -1.4631, 1.0885, 0.6772, 1.3896>, bias = array<f64: -0.7858, 0.3844, 0.2708, -0.247, 0.597, -0.6119, -0.2191, 0.5959, -0.239, 0.4265, 0.225, 0.882, 0.9834, 0.4474, 0.6177, -0.6943, 0.4258, 0.6952, -0.1975, 0.1065, -0.041, 0.917, -0.3654, -0.1958, -0.9982, -0.1596, 0.2629, 0.8699, 0.8474, -0.3453, 0.9777, -0.6247, 0.6465, -0.6855, -0.1898, -0.8531, 0.7161, 0.6576, -0.7204, 0.0542, -0.4837, -0.0164, 0.1064, -0.7875, 0.7288, -0.4426, -0.1058, -0.8855, -0.9945, -0.6097, -0.3166, 0.8562, 0.7795, -0.039, -0.0905, 0.334, 0.7175, -0.3254, 0.5873, -0.202, 0.1881, 0.4749, 0.0027, 0.3816>, epsilon = 1.0e-05 : f64} : tensor<2x8x64xf32>
  %lq = pike.quantize %l {quantizer = #pike.quantizer<s8, scales = [0.03], zero_points = [-5]>} : tensor<2x8x64xf32> -> tensor<2x8x64xi8>
  %ld = pike.dequantize %lq {quantizer = #pike.quantizer<s8, scales = [0.03], zero_points = [-5]>} : tensor<2x8x64xi8> -> tensor<2x8x64xf32>
  %all = tensor.concat dim(0) %sd, %ld : (tensor<2x8x64xf32>, tensor<2x8x64xf32>) -> tensor<4x8x64xf32>
  return %all : tensor<4x8x64xf32>
}

// @unsigned: u8 input off-centre, s8 softmax, u8 LayerNorm with one scale and bias.
func.func @unsigned(%x: tensor<2x8x64xf32>) -> tensor<4x8x64xf32> {
  %q = pike.quantize %x {quantizer = #pike.quantizer<u8, scales = [0.05], zero_points = [100]>} : tensor<2x8x64xf32> -> tensor<2x8x64xi8>
  %d = pike.dequantize %q {quantizer = #pike.quantizer<u8, scales = [0.05], zero_points = [100]>} : tensor<2x8x64xi8> -> tensor<2x8x64xf32>
  %s = pike.softmax %d : tensor<2x8x64xf32>
  %sq = pike.quantize %s {quantizer = #pike.quantizer<s8, scales = [0.00390625], zero_points = [-128]>} : tensor<2x8x64xf32> -> tensor<2x8x64xi8>
  %sd = pike.dequantize %sq {quantizer = #pike.quantizer<s8, scales = [0.00390625], zero_points = [-128]>} : tensor<2x8x64xi8> -> tensor<2x8x64xf32>
  %l = pike.layer_norm %d {scale = array<f64: 1.5>, bias = array<f64: -0.25>, epsilon = 1.0e-03 : f64} : tensor<2x8x64xf32>
  %lq = pike.quantize %l {quantizer = #pike.quantizer<u8, scales = [0.02], zero_points = [128]>} : tensor<2x8x64xf32> -> tensor<2x8x64xi8>
  %ld = pike.dequantize %lq {quantizer = #pike.quantizer<u8, scales = [0.02], zero_points = [128]>} : tensor<2x8x64xi8> -> tensor<2x8x64xf32>
  %all = tensor.concat dim(0) %sd, %ld : (tensor<2x8x64xf32>, tensor<2x8x64xf32>) -> tensor<4x8x64xf32>
  return %all : tensor<4x8x64xf32>
}

// @wide: 16-bit input and outputs.
func.func @wide(%x: tensor<2x8x64xf32>) -> tensor<4x8x64xf32> {
  %q = pike.quantize %x {quantizer = #pike.quantizer<s16, scales = [0.0002]>} : tensor<2x8x64xf32> -> tensor<2x8x64xi16>
  %d = pike.dequantize %q {quantizer = #pike.quantizer<s16, scales = [0.0002]>} : tensor<2x8x64xi16> -> tensor<2x8x64xf32>
  %s = pike.softmax %d : tensor<2x8x64xf32>
  %sq = pike.quantize %s {quantizer = #pike.quantizer<u16, scales = [1.52587890625e-05]>} : tensor<2x8x64xf32> -> tensor<2x8x64xi16>
  %sd = pike.dequantize %sq {quantizer = #pike.quantizer<u16, scales = [1.52587890625e-05]>} : tensor<2x8x64xi16> -> tensor<2x8x64xf32>
  %l = pike.layer_norm %d {scale = array<f64: -1.6685, 1.6735, 1.1761, 0.7859, 0.3917, -0.9517, 0.9944, 0.377, 0.3829, 1.9986, -1.409, 0.6987, 1.0394, 1.9561, 1.8261, -1.7352, 0.9671, 1.1381, 1.4504, 0.4034, -1.2445, 0.7615, 1.7954, 0.4092, 1.4546, -1.7792, 0.6864, 1.8223, 1.7827, 0.3315, -1.5027, 0.302, 1.1557, 1.0423, 0.6455, -0.8524, 1.6706, 0.838, 0.5534, 1.4875, -1.0625, 1.6582, 0.7004, 0.8436, 1.6598, -1.162, 1.1609, 0.7015, 0.3247, 1.8865, -0.4459, 1.7364, 0.9254, 1.9167, 0.979, -1.892, 1.2455, 0.7082, 1.5604, 1.4465, -1.4631, 1.0885, 0.6772, 1.3896>, bias = array<f64: -0.7858, 0.3844, 0.2708, -0.247, 0.597, -0.6119, -0.2191, 0.5959, -0.239, 0.4265, 0.225, 0.882, 0.9834, 0.4474, 0.6177, -0.6943, 0.4258, 0.6952, -0.1975, 0.1065, -0.041, 0.917, -0.3654, -0.1958, -0.9982, -0.1596, 0.2629, 0.8699, 0.8474, -0.3453, 0.9777, -0.6247, 0.6465, -0.6855, -0.1898, -0.8531, 0.7161, 0.6576, -0.7204, 0.0542, -0.4837, -0.0164, 0.1064, -0.7875, 0.7288, -0.4426, -0.1058, -0.8855, -0.9945, -0.6097, -0.3166, 0.8562, 0.7795, -0.039, -0.0905, 0.334, 0.7175, -0.3254, 0.5873, -0.202, 0.1881, 0.4749, 0.0027, 0.3816>, epsilon = 1.0e-05 : f64} : tensor<2x8x64xf32>
  %lq = pike.quantize %l {quantizer = #pike.quantizer<s16, scales = [0.0002], zero_points = [7]>} : tensor<2x8x64xf32> -> tensor<2x8x64xi16>
  %ld = pike.dequantize %lq {quantizer = #pike.quantizer<s16, scales = [0.0002], zero_points = [7]>} : tensor<2x8x64xi16> -> tensor<2x8x64xf32>
  %all = tensor.concat dim(0) %sd, %ld : (tensor<2x8x64xf32>, tensor<2x8x64xf32>) -> tensor<4x8x64xf32>
  return %all : tensor<4x8x64xf32>
}

// @flags: 1-bit integers given as -1 (all bits set in the byte): stored as
// the bit alone, so the row's two values are equal, never 254 apart.
func.func @flags(%q: tensor<1x2xi1>) -> tensor<1x2xi8> {
  %p = pike.integer_softmax %q {exp_table = array<i64: 1073741824, 651257337>, multiplier = 1073741824, shift = 52, output_unsigned} : (tensor<1x2xi1>) -> tensor<1x2xi8>
  return %p : tensor<1x2xi8>
}
