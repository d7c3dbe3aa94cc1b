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

// Multipliers 2 (c + 1) by 2^-2: the table reads (c + 1) / 2 in the doubles' order.
// CHECK-LABEL: func.func private @per_channel_conv2d
// CHECK-DAG: arith.constant dense<-2147483648> : tensor<16xi32>
// CHECK-DAG: arith.constant dense<[5.000000e-01, 1.000000e+00, 2.500000e+00, 3.000000e+00, 1.500000e+00, 2.000000e+00, 3.500000e+00, 4.000000e+00, 4.500000e+00, 5.000000e+00, 6.500000e+00, 7.000000e+00, 5.500000e+00, 6.000000e+00, 7.500000e+00, 8.000000e+00]> : tensor<16xf64>
// CHECK: vector.shuffle {{.*}} [0, 16, 1, 17, 4, 20, 5, 21, 2, 18, 3, 19, 6, 22, 7, 23, 8, 24, 9, 25, 12, 28, 13, 29, 10, 26, 11, 27, 14, 30, 15, 31] : vector<16xi32>, vector<16xi32>
// CHECK-NEXT: vector.bitcast {{.*}} : vector<32xi32> to vector<16xf64>
// CHECK-NEXT: arith.subf {{.*}} : vector<16xf64>
// CHECK-NEXT: math.fma
// CHECK: vector.shuffle {{.*}} [0, 2, 8, 10, 4, 6, 12, 14, 16, 18, 24, 26, 20, 22, 28, 30] : vector<32xi32>, vector<32xi32>
// With 512-bit registers the doubles keep lane order: converted, their
// low words gathered by one vpermt2d.
// VNNI-LABEL: func.func private @per_channel_conv2d
// VNNI-DAG: arith.constant dense<0> : tensor<16xi32>
// VNNI-DAG: arith.constant dense<[5.000000e-01, 1.000000e+00, 1.500000e+00, 2.000000e+00, 2.500000e+00
// VNNI: arith.sitofp {{.*}} : vector<16xi32> to vector<16xf64>
// VNNI: vector.shuffle {{.*}} [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30]
// ASM-LABEL: per_channel_conv2d:
// ASM-NOT: vcvtdq2pd
// ASM-NOT: vpermpd
// ASM: vpunpckldq
// ASM: vshufps
// ASM-NOT: vcvtdq2pd
// ASM-NOT: vpermpd
// ASM-LABEL: per_channel:
func.func @per_channel(%x: tensor<1x4x4x32xi8>) -> tensor<1x4x4x16xi8> {
  %w = arith.constant dense<100> : tensor<16x1x1x32xi8>
  %acc = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, input_unsigned}
      : (tensor<1x4x4x32xi8>, tensor<16x1x1x32xi8>) -> tensor<1x4x4x16xi32>
  %y = pike.quant_norm %acc {multiplier = #pike.fixed_point<bits = 32, multipliers = [2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32], shifts = [2], rounding = half_even>, output_zp = 3 : i64, output_unsigned} : tensor<1x4x4x16xi32> -> tensor<1x4x4x16xi8>
  return %y : tensor<1x4x4x16xi8>
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
