// Input of requantize-boundaries.test: requantizations at the edge of the
// 64-bit intermediate, which the verifiers accept and the code must compute
// without wrapping.

// TFLite's left shift (s = 29 < 31): M / 2^29 = 3, and 4 * x * M leaves int64
// for |x| >= 2^31 / 2.67. The result saturates at the i8 range.
func.func @tflite_left_shift(%x: tensor<2x4xi32>) -> tensor<2x4xi8> {
  %r = pike.requantize %x {multiplier = #pike.fixed_point<bits = 32, multipliers = [1610612736], shifts = [29], rounding = tflite>} : tensor<2x4xi32> -> tensor<2x4xi8>
  return %r : tensor<2x4xi8>
}

// Channel 0 reaches 2^63 - 1 exactly: (2^31 - 1)^2 + (2^62 - 2) + 2^32 at
// acc = 2^31 - 1. Channel 1 is far from it.
func.func @quant_norm_top(%x: tensor<4x2xi32>) -> tensor<4x2xi32> {
  %r = pike.quant_norm %x {multiplier = #pike.fixed_point<bits = 32, multipliers = [2147483647, 1073741824], shifts = [33, 33]>, bias = array<i64: 4611686018427387902, 0>} : tensor<4x2xi32> -> tensor<4x2xi32>
  return %r : tensor<4x2xi32>
}

// tflite with per-channel shifts on both sides of 31 (the generated code's
// single rounding by min(s, 31), then RoundingDivideByPOT), over all of i32.
func.func @tflite_shifts(%x: tensor<256x6xi32>) -> tensor<256x6xi32> {
  %r = pike.requantize %x {multiplier = #pike.fixed_point<bits = 32, multipliers = [1610612736, 1073741824, 2147483647, 1073741825, 1431655765, 1999999999], shifts = [29, 30, 31, 32, 36, 45], rounding = tflite>} : tensor<256x6xi32> -> tensor<256x6xi32>
  return %r : tensor<256x6xi32>
}
