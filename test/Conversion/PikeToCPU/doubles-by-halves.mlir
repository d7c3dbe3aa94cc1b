// RUN: pike-opt %s --convert-pike-to-cpu-kernels="target=vector row-parts=false" --canonicalize --cse | FileCheck %s
// RUN: pike-opt %s --convert-pike-to-cpu-kernels="target=avx512-vnni row-parts=false" --canonicalize --cse | FileCheck %s --check-prefix=VNNI
// RUN: pike-opt %s --pike-cpu-pipeline=target=vector | mlir-translate --mlir-to-llvmir \
// RUN:   | llc -O3 -mtriple=x86_64-linux-gnu -mcpu=x86-64-v3 | FileCheck %s --check-prefix=ASM

// In AVX2's 256-bit registers the float64 epilogue holds each register's
// 128-bit blocks by halves. The kernel's correction table carries 2^31, so
// the accumulators read as unsigned numbers; unpacked against 0x43300000
// (the high word of 2^52) they are the doubles 2^52 + 2^31 + acc, and one
// exact subtraction leaves acc. Double q of a vector is then accumulator
// lane [0, 1, 4, 5, 2, 3, 6, 7, 8, ...][q], so the tables M 2^-s are stored
// in that order, and an in-block shuffle (vshufps) puts the rounded low
// words back in lane order: no vcvtdq2pd, vextracti128 or vpermpd.

// Filter f has one weight f + 1 on an input of zero point 3: its correction
// -3 (f + 1), plus 2^31, wraps to 2^31 - 3 (f + 1). Multipliers 2 (c + 1)
// by 2^-2: the table reads (c + 1) / 2 in the doubles' order, vector by
// vector.
// CHECK-LABEL: func.func private @per_channel_conv2d
// CHECK-DAG: arith.constant dense<[2147483645, 2147483642, 2147483639, 2147483636, 2147483633, 2147483630, 2147483627, 2147483624, 2147483621, 2147483618, 2147483615, 2147483612, 2147483609, 2147483606, 2147483603, 2147483600, 2147483597, 2147483594, 2147483591, 2147483588, 2147483585, 2147483582, 2147483579, 2147483576, 2147483573, 2147483570, 2147483567, 2147483564, 2147483561, 2147483558, 2147483555, 2147483552]> : tensor<32xi32>
// CHECK-DAG: arith.constant dense<[5.000000e-01, 1.000000e+00, 2.500000e+00, 3.000000e+00, 1.500000e+00, 2.000000e+00, 3.500000e+00, 4.000000e+00, 4.500000e+00, 5.000000e+00, 6.500000e+00, 7.000000e+00, 5.500000e+00, 6.000000e+00, 7.500000e+00, 8.000000e+00, 8.500000e+00, 9.000000e+00, 1.050000e+01, 1.100000e+01, 9.500000e+00, 1.000000e+01, 1.150000e+01, 1.200000e+01, 1.250000e+01, 1.300000e+01, 1.450000e+01, 1.500000e+01, 1.350000e+01, 1.400000e+01, 1.550000e+01, 1.600000e+01]> : tensor<32xf64>
// CHECK: vector.shuffle {{.*}} [0, 16, 1, 17, 4, 20, 5, 21, 2, 18, 3, 19, 6, 22, 7, 23, 8, 24, 9, 25, 12, 28, 13, 29, 10, 26, 11, 27, 14, 30, 15, 31] : vector<16xi32>, vector<16xi32>
// CHECK-NEXT: vector.bitcast {{.*}} : vector<32xi32> to vector<16xf64>
// CHECK-NEXT: arith.subf {{.*}} : vector<16xf64>
// CHECK-NEXT: math.fma
// CHECK: vector.shuffle {{.*}} [0, 2, 8, 10, 4, 6, 12, 14, 16, 18, 24, 26, 20, 22, 28, 30] : vector<32xi32>, vector<32xi32>
// With 512-bit registers the doubles keep lane order: converted, their
// low words gathered by one vpermt2d.
// VNNI-LABEL: func.func private @per_channel_conv2d
// VNNI-DAG: arith.constant dense<[-3, -6, -9,
// VNNI-DAG: arith.constant dense<[5.000000e-01, 1.000000e+00, 1.500000e+00, 2.000000e+00, 2.500000e+00,
// VNNI: arith.sitofp {{.*}} : vector<16xi32> to vector<16xf64>
// VNNI: vector.shuffle {{.*}} [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30]
// ASM-LABEL: per_channel_conv2d:
// ASM-NOT: vcvtdq2pd
// ASM-NOT: vpermpd
// ASM: vpunpckldq
// ASM-NOT: vcvtdq2pd
// ASM-NOT: vpermpd
// ASM: vshufps
// ASM-NOT: vcvtdq2pd
// ASM-NOT: vpermpd
// ASM-LABEL: per_channel:
func.func @per_channel(%x: tensor<1x4x4x4xi8>) -> tensor<1x4x4x32xi8> {
  %w = arith.constant dense<[[[[1, 0, 0, 0]]], [[[2, 0, 0, 0]]], [[[3, 0, 0, 0]]], [[[4, 0, 0, 0]]], [[[5, 0, 0, 0]]], [[[6, 0, 0, 0]]], [[[7, 0, 0, 0]]], [[[8, 0, 0, 0]]], [[[9, 0, 0, 0]]], [[[10, 0, 0, 0]]], [[[11, 0, 0, 0]]], [[[12, 0, 0, 0]]], [[[13, 0, 0, 0]]], [[[14, 0, 0, 0]]], [[[15, 0, 0, 0]]], [[[16, 0, 0, 0]]], [[[17, 0, 0, 0]]], [[[18, 0, 0, 0]]], [[[19, 0, 0, 0]]], [[[20, 0, 0, 0]]], [[[21, 0, 0, 0]]], [[[22, 0, 0, 0]]], [[[23, 0, 0, 0]]], [[[24, 0, 0, 0]]], [[[25, 0, 0, 0]]], [[[26, 0, 0, 0]]], [[[27, 0, 0, 0]]], [[[28, 0, 0, 0]]], [[[29, 0, 0, 0]]], [[[30, 0, 0, 0]]], [[[31, 0, 0, 0]]], [[[32, 0, 0, 0]]]]> : tensor<32x1x1x4xi8>
  %acc = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, input_unsigned, input_zp = 3 : i64}
      : (tensor<1x4x4x4xi8>, tensor<32x1x1x4xi8>) -> tensor<1x4x4x32xi32>
  %y = pike.quant_norm %acc {multiplier = #pike.fixed_point<bits = 32, multipliers = [2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 34, 36, 38, 40, 42, 44, 46, 48, 50, 52, 54, 56, 58, 60, 62, 64], shifts = [2], rounding = half_even>, output_zp = 3 : i64, output_unsigned} : tensor<1x4x4x32xi32> -> tensor<1x4x4x32xi8>
  return %y : tensor<1x4x4x32xi8>
}

// Where the doubles are clamped before they are rounded (a value plus the
// zero point may leave i32), they are converted in lane order.
// CHECK-LABEL: func.func private @clamped_doubles_conv2d
// CHECK-DAG: arith.constant dense<0> : tensor<16xi32>
// CHECK: arith.sitofp {{.*}} : vector<16xi32> to vector<16xf64>
// CHECK-NOT: arith.constant dense<1127219200>
// CHECK-LABEL: func.func @clamped_doubles(
func.func @clamped_doubles(%x: tensor<1x4x4x32xi8>) -> tensor<1x4x4x16xi8> {
  %w = arith.constant dense<100> : tensor<16x1x1x32xi8>
  %acc = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, input_unsigned}
      : (tensor<1x4x4x32xi8>, tensor<16x1x1x32xi8>) -> tensor<1x4x4x16xi32>
  %y = pike.quant_norm %acc {multiplier = #pike.fixed_point<bits = 32, multipliers = [1379779232], shifts = [19], rounding = half_even>, output_zp = 200 : i64, output_unsigned} : tensor<1x4x4x16xi32> -> tensor<1x4x4x16xi8>
  return %y : tensor<1x4x4x16xi8>
}
