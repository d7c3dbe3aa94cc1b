// Quantizing values that are not finite numbers (docs/Numerics.md): NaN goes
// to the zero point, infinities saturate. Per tensor and per channel.
func.func @per_tensor(%x: tensor<6xf32>) -> tensor<6xi8> {
  %q = pike.quantize %x {quantizer = #pike.quantizer<s8, scales = [0.5], zero_points = [3]>} : tensor<6xf32> -> tensor<6xi8>
  return %q : tensor<6xi8>
}
func.func @per_channel(%x: tensor<3x2xf32>) -> tensor<3x2xi4> {
  %q = pike.quantize %x {quantizer = #pike.quantizer<u4, axis = 1, scales = [0.5, 0.25], zero_points = [2, 9]>} : tensor<3x2xf32> -> tensor<3x2xi4>
  return %q : tensor<3x2xi4>
}
