// A pike.requantize and a tosa.rescale that compute the same function cost
// the same: tosa.rescale is costed as that pike.requantize (docs/ACEv2.md).
// Per-channel 32-bit single and double rounding, 16-bit multipliers, zero
// points with unsigned reading (i8 -> u8).
// RUN: pike-opt %s --pike-acev2="report=%t.json" -o /dev/null
// RUN: %pike_python %S/Inputs/compare_costs.py pairs %t.json | FileCheck %s
// The rescale tests of test/Integration execute these pairs bit for bit.
// RUN: pike-opt %pike_src_root/test/Integration/Inputs/rescale.mlir --pike-acev2="report=%t.exec.json" -o /dev/null
// RUN: %pike_python %S/Inputs/compare_costs.py pairs %t.exec.json | FileCheck %s --check-prefix=EXEC
// CHECK-COUNT-3: pike.requantize == tosa.rescale: acev2 {{[1-9][0-9]*}}
// CHECK-NOT: MISMATCH
// EXEC-COUNT-4: pike.requantize == tosa.rescale: acev2 {{[1-9][0-9]*}}

func.func @per_channel_single(%x: tensor<1x56x56x8xi32>) -> tensor<1x56x56x8xi8> {
  %r = pike.requantize %x {multiplier = #pike.fixed_point<bits = 32, multipliers = [1073741824, 1518500250, 2147483647, 1073741825, 1431655765, 1717986918, 1227133513, 1999999999], shifts = [31, 32, 33, 40, 36, 35, 38, 37]>} : tensor<1x56x56x8xi32> -> tensor<1x56x56x8xi8>
  return %r : tensor<1x56x56x8xi8>
}
func.func @per_channel_single_tosa(%x: tensor<1x56x56x8xi32>) -> tensor<1x56x56x8xi8> {
  %m = "tosa.const"() <{values = dense<[1073741824, 1518500250, 2147483647, 1073741825, 1431655765, 1717986918, 1227133513, 1999999999]> : tensor<8xi32>}> : () -> tensor<8xi32>
  %s = "tosa.const"() <{values = dense<[31, 32, 33, 40, 36, 35, 38, 37]> : tensor<8xi8>}> : () -> tensor<8xi8>
  %izp = "tosa.const"() <{values = dense<0> : tensor<1xi32>}> : () -> tensor<1xi32>
  %ozp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %r = tosa.rescale %x, %m, %s, %izp, %ozp {input_unsigned = false, output_unsigned = false, per_channel = true, rounding_mode = SINGLE_ROUND, scale32 = true} : (tensor<1x56x56x8xi32>, tensor<8xi32>, tensor<8xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x56x56x8xi8>
  return %r : tensor<1x56x56x8xi8>
}

func.func @per_tensor_double(%x: tensor<64x8xi32>) -> tensor<64x8xi16> {
  %r = pike.requantize %x {multiplier = #pike.fixed_point<bits = 32, multipliers = [1518500250], shifts = [36], rounding = double>} : tensor<64x8xi32> -> tensor<64x8xi16>
  return %r : tensor<64x8xi16>
}
func.func @per_tensor_double_tosa(%x: tensor<64x8xi32>) -> tensor<64x8xi16> {
  %m = "tosa.const"() <{values = dense<1518500250> : tensor<1xi32>}> : () -> tensor<1xi32>
  %s = "tosa.const"() <{values = dense<36> : tensor<1xi8>}> : () -> tensor<1xi8>
  %izp = "tosa.const"() <{values = dense<0> : tensor<1xi32>}> : () -> tensor<1xi32>
  %ozp = "tosa.const"() <{values = dense<0> : tensor<1xi16>}> : () -> tensor<1xi16>
  %r = tosa.rescale %x, %m, %s, %izp, %ozp {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<64x8xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi16>) -> tensor<64x8xi16>
  return %r : tensor<64x8xi16>
}

// i8 -> u8 with zero points: (x + 5) * M >> s + 128, read unsigned on output.
func.func @zero_points(%x: tensor<32x101xi8>) -> tensor<32x101xi8> {
  %r = pike.requantize %x {multiplier = #pike.fixed_point<bits = 16, multipliers = [24576], shifts = [15]>, input_zp = -5, output_zp = 128, output_unsigned} : tensor<32x101xi8> -> tensor<32x101xi8>
  return %r : tensor<32x101xi8>
}
func.func @zero_points_tosa(%x: tensor<32x101xi8>) -> tensor<32x101xi8> {
  %m = "tosa.const"() <{values = dense<24576> : tensor<1xi16>}> : () -> tensor<1xi16>
  %s = "tosa.const"() <{values = dense<15> : tensor<1xi8>}> : () -> tensor<1xi8>
  %izp = "tosa.const"() <{values = dense<-5> : tensor<1xi8>}> : () -> tensor<1xi8>
  %ozp = "tosa.const"() <{values = dense<-128> : tensor<1xi8>}> : () -> tensor<1xi8>
  %r = tosa.rescale %x, %m, %s, %izp, %ozp {input_unsigned = false, output_unsigned = true, per_channel = false, rounding_mode = SINGLE_ROUND, scale32 = false} : (tensor<32x101xi8>, tensor<1xi16>, tensor<1xi8>, tensor<1xi8>, tensor<1xi8>) -> tensor<32x101xi8>
  return %r : tensor<32x101xi8>
}
