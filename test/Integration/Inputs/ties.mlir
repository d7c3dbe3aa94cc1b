// Input of half-even.test: halving, so odd inputs are exact ties.
func.func @ties(%x: tensor<64x8xi32>) -> tensor<64x8xi16> {
  %r = pike.requantize %x {multiplier = #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [31], rounding = half_even>} : tensor<64x8xi32> -> tensor<64x8xi16>
  return %r : tensor<64x8xi16>
}
