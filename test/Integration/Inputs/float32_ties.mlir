// Input of float32-rounding.test: float32 requantization, one float32 scale
// (a 24-bit significand and a shift) per channel.
func.func @main(%x: tensor<256x8xi32>) -> tensor<256x8xi16> {
  %r = pike.requantize %x {multiplier = #pike.fixed_point<bits = 25, multipliers = [11443297, 8388608, 16777215, 9000001, 12345679, 15000001, 8400001, 13000003], shifts = [30, 30, 31, 33, 36, 40, 44, 30], rounding = float32>} : tensor<256x8xi32> -> tensor<256x8xi16>
  return %r : tensor<256x8xi16>
}
