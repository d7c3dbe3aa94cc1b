// Input of runtime-roundings.test: x * 2^30 >> 31 halves (odd inputs are
// exact ties); >> 32 quarters, where tflite rounds twice.
func.func @tvm_tonearest(%x: tensor<64x8xi32>) -> tensor<64x8xi16> {
  %r = pike.requantize %x {multiplier = #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [31], rounding = tvm_tonearest>} : tensor<64x8xi32> -> tensor<64x8xi16>
  return %r : tensor<64x8xi16>
}
func.func @tvm_upward(%x: tensor<64x8xi32>) -> tensor<64x8xi16> {
  %r = pike.requantize %x {multiplier = #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [31], rounding = tvm_upward>} : tensor<64x8xi32> -> tensor<64x8xi16>
  return %r : tensor<64x8xi16>
}
func.func @tflite(%x: tensor<64x8xi32>) -> tensor<64x8xi16> {
  %r = pike.requantize %x {multiplier = #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [32], rounding = tflite>} : tensor<64x8xi32> -> tensor<64x8xi16>
  return %r : tensor<64x8xi16>
}
