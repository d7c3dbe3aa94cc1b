// Input of float32-rounding.test: a convolution's accumulators (biased up
// to 2^25, past float32's 24 exact bits) requantized with float32 rounding.
func.func @main(%x: tensor<1x8x8x4xi8>) -> tensor<1x8x8x16xi8> {
  %w = arith.constant dense<[[[[43, 78, -123, 78]]], [[[-8, 3, 33, -55]]], [[[122, -115, -57, -30]]], [[[18, -24, -95, -117]]], [[[-128, -116, -90, 127]]], [[[-80, 39, 64, -68]]], [[[-56, -17, -61, 121]]], [[[-83, 101, 76, 88]]], [[[-99, -28, 32, -2]]], [[[42, 45, 41, -113]]], [[[117, 14, 103, -59]]], [[[-36, 97, -81, -112]]], [[[-33, 45, -97, 94]]], [[[-41, -70, 11, 101]]], [[[98, 95, -50, -124]]], [[[71, 53, 69, -128]]]]> : tensor<16x1x1x4xi8>
  %acc = pike.conv2d %x, %w {padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x8x8x4xi8>, tensor<16x1x1x4xi8>) -> tensor<1x8x8x16xi32>
  %y = pike.quant_norm %acc {multiplier = #pike.fixed_point<bits = 25, multipliers = [8706199, 12611130, 11200086, 12051636, 16200949, 10093616, 12817626, 11114424, 10862965, 15151632, 9673901, 11043200, 9385063, 9638834, 10745921, 14248151], shifts = [43], rounding = float32>,
                             bias = array<i64: 5338170, -3453147, -22176254, 20061489, 20118351, -17749191, -29547704, -12094048, -23756201, 20124574, 1312000, 474334, -14055208, 428490, 31370655, -17703713>, output_zp = 3}
      : tensor<1x8x8x16xi32> -> tensor<1x8x8x16xi8>
  return %y : tensor<1x8x8x16xi8>
}
