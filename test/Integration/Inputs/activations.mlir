// Every activation on a quantized edge: an s8 input at 0.03 (about -3.8 .. 3.8)
// through each function into its own s8 quantizer; the results are
// dequantized and concatenated, one row per activation.
func.func @main(%x: tensor<1x256xf32>) -> tensor<6x256xf32> {
  %q = pike.quantize %x {quantizer = #pike.quantizer<s8, scales = [0.03]>} : tensor<1x256xf32> -> tensor<1x256xi8>
  %d = pike.dequantize %q {quantizer = #pike.quantizer<s8, scales = [0.03]>} : tensor<1x256xi8> -> tensor<1x256xf32>
  %a0 = pike.activation %d {kind = #pike<activation sigmoid>} : tensor<1x256xf32>
  %q0 = pike.quantize %a0 {quantizer = #pike.quantizer<s8, scales = [0.00390625], zero_points = [-128]>} : tensor<1x256xf32> -> tensor<1x256xi8>
  %r0 = pike.dequantize %q0 {quantizer = #pike.quantizer<s8, scales = [0.00390625], zero_points = [-128]>} : tensor<1x256xi8> -> tensor<1x256xf32>
  %a1 = pike.activation %d {kind = #pike<activation tanh>} : tensor<1x256xf32>
  %q1 = pike.quantize %a1 {quantizer = #pike.quantizer<s8, scales = [0.0078125]>} : tensor<1x256xf32> -> tensor<1x256xi8>
  %r1 = pike.dequantize %q1 {quantizer = #pike.quantizer<s8, scales = [0.0078125]>} : tensor<1x256xi8> -> tensor<1x256xf32>
  %a2 = pike.activation %d {kind = #pike<activation hard_sigmoid>, alpha = 0.2 : f64, beta = 0.5 : f64} : tensor<1x256xf32>
  %q2 = pike.quantize %a2 {quantizer = #pike.quantizer<s8, scales = [0.00390625], zero_points = [-128]>} : tensor<1x256xf32> -> tensor<1x256xi8>
  %r2 = pike.dequantize %q2 {quantizer = #pike.quantizer<s8, scales = [0.00390625], zero_points = [-128]>} : tensor<1x256xi8> -> tensor<1x256xf32>
  %a3 = pike.activation %d {kind = #pike<activation hard_swish>} : tensor<1x256xf32>
  %q3 = pike.quantize %a3 {quantizer = #pike.quantizer<s8, scales = [0.0234375], zero_points = [-110]>} : tensor<1x256xf32> -> tensor<1x256xi8>
  %r3 = pike.dequantize %q3 {quantizer = #pike.quantizer<s8, scales = [0.0234375], zero_points = [-110]>} : tensor<1x256xi8> -> tensor<1x256xf32>
  %a4 = pike.activation %d {kind = #pike<activation leaky_relu>, alpha = 0.1 : f64} : tensor<1x256xf32>
  %q4 = pike.quantize %a4 {quantizer = #pike.quantizer<s8, scales = [0.03], zero_points = [-20]>} : tensor<1x256xf32> -> tensor<1x256xi8>
  %r4 = pike.dequantize %q4 {quantizer = #pike.quantizer<s8, scales = [0.03], zero_points = [-20]>} : tensor<1x256xi8> -> tensor<1x256xf32>
  %a5 = pike.activation %d {kind = #pike<activation gelu>} : tensor<1x256xf32>
  %q5 = pike.quantize %a5 {quantizer = #pike.quantizer<s8, scales = [0.025], zero_points = [-100]>} : tensor<1x256xf32> -> tensor<1x256xi8>
  %r5 = pike.dequantize %q5 {quantizer = #pike.quantizer<s8, scales = [0.025], zero_points = [-100]>} : tensor<1x256xi8> -> tensor<1x256xf32>
  %all = tensor.concat dim(0) %r0, %r1, %r2, %r3, %r4, %r5 : (tensor<1x256xf32>, tensor<1x256xf32>, tensor<1x256xf32>, tensor<1x256xf32>, tensor<1x256xf32>, tensor<1x256xf32>) -> tensor<6x256xf32>
  return %all : tensor<6x256xf32>
}

// A 16-bit input: a table of 65,536 entries.
func.func @wide(%x: tensor<1x256xf32>) -> tensor<1x256xf32> {
  %q = pike.quantize %x {quantizer = #pike.quantizer<s16, scales = [0.0001220703125]>} : tensor<1x256xf32> -> tensor<1x256xi16>
  %d = pike.dequantize %q {quantizer = #pike.quantizer<s16, scales = [0.0001220703125]>} : tensor<1x256xi16> -> tensor<1x256xf32>
  %a = pike.activation %d {kind = #pike<activation tanh>} : tensor<1x256xf32>
  %o = pike.quantize %a {quantizer = #pike.quantizer<s8, scales = [0.0078125]>} : tensor<1x256xf32> -> tensor<1x256xi8>
  %r = pike.dequantize %o {quantizer = #pike.quantizer<s8, scales = [0.0078125]>} : tensor<1x256xi8> -> tensor<1x256xf32>
  return %r : tensor<1x256xf32>
}

// Swish as MobileNetV3 gates: x * sigmoid(x), an integer product of x and
// its sigmoid's table.
func.func @gate(%x: tensor<1x256xf32>) -> tensor<1x256xf32> {
  %q = pike.quantize %x {quantizer = #pike.quantizer<s8, scales = [0.03]>} : tensor<1x256xf32> -> tensor<1x256xi8>
  %d = pike.dequantize %q {quantizer = #pike.quantizer<s8, scales = [0.03]>} : tensor<1x256xi8> -> tensor<1x256xf32>
  %s = pike.activation %d {kind = #pike<activation sigmoid>} : tensor<1x256xf32>
  %sq = pike.quantize %s {quantizer = #pike.quantizer<u8, scales = [0.00390625]>} : tensor<1x256xf32> -> tensor<1x256xi8>
  %sd = pike.dequantize %sq {quantizer = #pike.quantizer<u8, scales = [0.00390625]>} : tensor<1x256xi8> -> tensor<1x256xf32>
  %p = pike.mul %d, %sd : (tensor<1x256xf32>, tensor<1x256xf32>) -> tensor<1x256xf32>
  %o = pike.quantize %p {quantizer = #pike.quantizer<s8, scales = [0.03]>} : tensor<1x256xf32> -> tensor<1x256xi8>
  %r = pike.dequantize %o {quantizer = #pike.quantizer<s8, scales = [0.03]>} : tensor<1x256xi8> -> tensor<1x256xf32>
  return %r : tensor<1x256xf32>
}
