// A pike.requantize and a tosa.rescale that compute the same function cost
// the same: tosa.rescale is costed as that pike.requantize (docs/ACEv2.md).
// Per-channel 32-bit single and double rounding, 16-bit multipliers, zero
// points with unsigned reading (i8 -> u8).
// RUN: pike-opt %s --pike-acev2="report=%t.json" -o /dev/null
// RUN: %pike_python %S/Inputs/compare_costs.py pairs %t.json | FileCheck %s
// The rescale tests of test/Integration execute these pairs bit for bit.
// RUN: pike-opt %pike_src_root/test/Integration/Inputs/rescale.mlir --pike-acev2="report=%t.exec.json" -o /dev/null
// RUN: %pike_python %S/Inputs/compare_costs.py pairs %t.exec.json | FileCheck %s --check-prefix=EXEC
// Counted by hand (docs/ACEv2.md rules 1-3 and 7; the clamp to the output
// type is 2 others at the final width):
// per_channel_single: 56*56*8 = 25088 elements of x (i32) * M (i32 tensor):
// 32 x 32 = 1024, 64 bits; s - 1 (i7 shifts: add at 7) and 1 << that (other
// at 8); + 2^(s-1) (add at 64); >> s (other 64); clamp 2 * 64. 1295 each.
// CHECK: pike.requantize == tosa.rescale: acev2 32488960
// per_tensor_double: 512 elements; s = 36 is a constant, so 2^35 (i37) and
// +-2^30 are too: 1024; + 2^35 (add 64); v >= 0 (other 64); select 2^30
// (i32) or -2^30 (i31) (other 32); + that (add 64); >> s (other 64); clamp
// 2 * 64. 1440 each.
// CHECK: pike.requantize == tosa.rescale: acev2 737280
// zero_points: 32*101 = 3232 elements; x (i8) + 5 (add 8, 9 bits); * 24576
// (i16): 9 x 16 = 144, 25 bits; + 2^14 (add 25); >> 15 (other 26); + 128
// (add 26); clamp to [0, 255] 2 * 27. 283 each.
// CHECK: pike.requantize == tosa.rescale: acev2 914656
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
