// pike.requantize next to tosa.rescale with the same multipliers, shifts,
// zero points and rounding; tosa-rescale.test runs both on the same inputs.

// 32-bit multipliers, single rounding, per channel: exact ties (2^30 at
// shift 31 halves odd inputs), shifts from 10 to the extreme 62.
func.func @pike_single(%x: tensor<64x8xi32>) -> tensor<64x8xi8> {
  %r = pike.requantize %x {multiplier = #pike.fixed_point<bits = 32, multipliers = [1073741824, 1073741824, 1518500250, 2147483647, 1073741825, 2147483647, 1431655765, 1717986918], shifts = [31, 32, 33, 40, 50, 62, 20, 10]>} : tensor<64x8xi32> -> tensor<64x8xi8>
  return %r : tensor<64x8xi8>
}
func.func @tosa_single(%x: tensor<64x8xi32>) -> tensor<64x8xi8> {
  %m = "tosa.const"() <{values = dense<[1073741824, 1073741824, 1518500250, 2147483647, 1073741825, 2147483647, 1431655765, 1717986918]> : tensor<8xi32>}> : () -> tensor<8xi32>
  %s = "tosa.const"() <{values = dense<[31, 32, 33, 40, 50, 62, 20, 10]> : tensor<8xi8>}> : () -> tensor<8xi8>
  %izp = "tosa.const"() <{values = dense<0> : tensor<1xi32>}> : () -> tensor<1xi32>
  %ozp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %r = tosa.rescale %x, %m, %s, %izp, %ozp {input_unsigned = false, output_unsigned = false, per_channel = true, rounding_mode = SINGLE_ROUND, scale32 = true} : (tensor<64x8xi32>, tensor<8xi32>, tensor<8xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<64x8xi8>
  return %r : tensor<64x8xi8>
}

// Double rounding: only shifts above 31 differ from single rounding.
func.func @pike_double(%x: tensor<64x8xi32>) -> tensor<64x8xi16> {
  %r = pike.requantize %x {multiplier = #pike.fixed_point<bits = 32, multipliers = [1073741824, 1073741824, 2147483647, 1518500250, 1073741824, 1999999999, 1234567890, 2147483647], shifts = [31, 32, 33, 36, 40, 45, 50, 62], rounding = double>} : tensor<64x8xi32> -> tensor<64x8xi16>
  return %r : tensor<64x8xi16>
}
func.func @tosa_double(%x: tensor<64x8xi32>) -> tensor<64x8xi16> {
  %m = "tosa.const"() <{values = dense<[1073741824, 1073741824, 2147483647, 1518500250, 1073741824, 1999999999, 1234567890, 2147483647]> : tensor<8xi32>}> : () -> tensor<8xi32>
  %s = "tosa.const"() <{values = dense<[31, 32, 33, 36, 40, 45, 50, 62]> : tensor<8xi8>}> : () -> tensor<8xi8>
  %izp = "tosa.const"() <{values = dense<0> : tensor<1xi32>}> : () -> tensor<1xi32>
  %ozp = "tosa.const"() <{values = dense<0> : tensor<1xi16>}> : () -> tensor<1xi16>
  %r = tosa.rescale %x, %m, %s, %izp, %ozp {input_unsigned = false, output_unsigned = false, per_channel = true, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<64x8xi32>, tensor<8xi32>, tensor<8xi8>, tensor<1xi32>, tensor<1xi16>) -> tensor<64x8xi16>
  return %r : tensor<64x8xi16>
}

// 16-bit multipliers (scale32 = false) on i16 input, one scale.
func.func @pike_scale16(%x: tensor<64x8xi16>) -> tensor<64x8xi8> {
  %r = pike.requantize %x {multiplier = #pike.fixed_point<bits = 16, multipliers = [16384], shifts = [17]>} : tensor<64x8xi16> -> tensor<64x8xi8>
  return %r : tensor<64x8xi8>
}
func.func @tosa_scale16(%x: tensor<64x8xi16>) -> tensor<64x8xi8> {
  %m = "tosa.const"() <{values = dense<16384> : tensor<1xi16>}> : () -> tensor<1xi16>
  %s = "tosa.const"() <{values = dense<17> : tensor<1xi8>}> : () -> tensor<1xi8>
  %izp = "tosa.const"() <{values = dense<0> : tensor<1xi16>}> : () -> tensor<1xi16>
  %ozp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %r = tosa.rescale %x, %m, %s, %izp, %ozp {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = SINGLE_ROUND, scale32 = false} : (tensor<64x8xi16>, tensor<1xi16>, tensor<1xi8>, tensor<1xi16>, tensor<1xi8>) -> tensor<64x8xi8>
  return %r : tensor<64x8xi8>
}

// i8 to u8 with zero points on both sides; shift 2 (the smallest) halves
// the rescaled value's range into ties.
func.func @pike_zero_points(%x: tensor<64x8xi8>) -> tensor<64x8xi8> {
  %r = pike.requantize %x {multiplier = #pike.fixed_point<bits = 32, multipliers = [2], shifts = [2]>, input_zp = -3, output_zp = 100, output_unsigned} : tensor<64x8xi8> -> tensor<64x8xi8>
  return %r : tensor<64x8xi8>
}
func.func @tosa_zero_points(%x: tensor<64x8xi8>) -> tensor<64x8xi8> {
  %m = "tosa.const"() <{values = dense<2> : tensor<1xi32>}> : () -> tensor<1xi32>
  %s = "tosa.const"() <{values = dense<2> : tensor<1xi8>}> : () -> tensor<1xi8>
  %izp = "tosa.const"() <{values = dense<-3> : tensor<1xi8>}> : () -> tensor<1xi8>
  %ozp = "tosa.const"() <{values = dense<100> : tensor<1xi8>}> : () -> tensor<1xi8>
  %r = tosa.rescale %x, %m, %s, %izp, %ozp {input_unsigned = false, output_unsigned = true, per_channel = false, rounding_mode = SINGLE_ROUND, scale32 = true} : (tensor<64x8xi8>, tensor<1xi32>, tensor<1xi8>, tensor<1xi8>, tensor<1xi8>) -> tensor<64x8xi8>
  return %r : tensor<64x8xi8>
}
