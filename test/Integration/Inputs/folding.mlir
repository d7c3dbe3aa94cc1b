// What canonicalization folds, computed at run time instead: constant weights
// quantized (ties, saturation, per channel), a clamp after a requantize, an
// identity requantize and a dequantize -> quantize pair. folding.test runs
// this module as is and canonicalized and requires the same bits.
func.func @main(%acc: tensor<64x4xi32>) -> (tensor<4x6xi8>, tensor<64x4xi8>) {
  %w = arith.constant dense<[[0.5, -0.26, 1.0e9, 0.375, -0.125, 2.5], [0.35, -0.7, 0.05, -1.0e9, 0.0, 1.25], [0.15, 0.45, -0.45, 0.625, -0.625, 3.0], [7.0, -7.5, 0.3, 0.6, -0.9, 0.01]]> : tensor<4x6xf32>
  %q = pike.quantize %w {quantizer = #pike.quantizer<s8, axis = 0, scales = [0.25, 0.1, 0.05, 0.5], zero_points = [1, 0, -3, 2]>} : tensor<4x6xf32> -> tensor<4x6xi8>
  %r = pike.requantize %acc {multiplier = #pike.fixed_point<bits = 32, multipliers = [1518500250, 1073741825, 2000000000, 1431655765], shifts = [38, 36, 40, 37]>, output_zp = -5} : tensor<64x4xi32> -> tensor<64x4xi8>
  %c = pike.clamp %r {min = -20 : i64, max = 60 : i64} : tensor<64x4xi8>
  %i = pike.requantize %c {multiplier = #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [30]>} : tensor<64x4xi8> -> tensor<64x4xi8>
  %d = pike.dequantize %i {quantizer = #pike.quantizer<s8, scales = [0.037]>} : tensor<64x4xi8> -> tensor<64x4xf32>
  %e = pike.quantize %d {quantizer = #pike.quantizer<s8, scales = [0.037]>} : tensor<64x4xf32> -> tensor<64x4xi8>
  return %q, %e : tensor<4x6xi8>, tensor<64x4xi8>
}
