// A layer normalization whose variance is quantized between its steps (as
// onnxruntime's quantize_static leaves one exported before opset 17), over
// rows of 64 of a [4, 8, 64] real input quantized first; each entry returns
// the normalized integers dequantized.
// @main: u8 throughout, epsilon a quantized constant (onnxruntime's form).
func.func @main(%x: tensor<4x8x64xf32>) -> tensor<4x8x64xf32> {
  %q = pike.quantize %x {quantizer = #pike.quantizer<u8, scales = [0.05], zero_points = [128]>} : tensor<4x8x64xf32> -> tensor<4x8x64xi8>
  %d = pike.dequantize %q {quantizer = #pike.quantizer<u8, scales = [0.05], zero_points = [128]>} : tensor<4x8x64xi8> -> tensor<4x8x64xf32>
  %l = pike.layer_norm %d {scale = array<f64: 1.0>, bias = array<f64: 0.0>, epsilon = 9.9999997473787516E-6 : f64,
        variance_quantizer = #pike.quantizer<u8, scales = [0.05]>,
        epsilon_quantizer = #pike.quantizer<u8, scales = [3.9215684921600769E-8]>,
        deviation_quantizer = #pike.quantizer<u8, scales = [0.0501]>} : tensor<4x8x64xf32>
  %lq = pike.quantize %l {quantizer = #pike.quantizer<u8, scales = [0.03], zero_points = [125]>} : tensor<4x8x64xf32> -> tensor<4x8x64xi8>
  %ld = pike.dequantize %lq {quantizer = #pike.quantizer<u8, scales = [0.03], zero_points = [125]>} : tensor<4x8x64xi8> -> tensor<4x8x64xf32>
  return %ld : tensor<4x8x64xf32>
}

// @signed: s8 with zero points, a float epsilon, and one scale and bias
// (which only the integer form takes).
func.func @signed(%x: tensor<4x8x64xf32>) -> tensor<4x8x64xf32> {
  %q = pike.quantize %x {quantizer = #pike.quantizer<s8, scales = [0.05], zero_points = [-3]>} : tensor<4x8x64xf32> -> tensor<4x8x64xi8>
  %d = pike.dequantize %q {quantizer = #pike.quantizer<s8, scales = [0.05], zero_points = [-3]>} : tensor<4x8x64xi8> -> tensor<4x8x64xf32>
  %l = pike.layer_norm %d {scale = array<f64: 1.5>, bias = array<f64: 0.25>, epsilon = 1.0e-3 : f64,
        variance_quantizer = #pike.quantizer<s8, scales = [0.05], zero_points = [-100]>,
        deviation_quantizer = #pike.quantizer<s8, scales = [0.05], zero_points = [-100]>} : tensor<4x8x64xf32>
  %lq = pike.quantize %l {quantizer = #pike.quantizer<s8, scales = [0.02]>} : tensor<4x8x64xf32> -> tensor<4x8x64xi8>
  %ld = pike.dequantize %lq {quantizer = #pike.quantizer<s8, scales = [0.02]>} : tensor<4x8x64xi8> -> tensor<4x8x64xf32>
  return %ld : tensor<4x8x64xf32>
}
