// RUN: pike-opt %s --convert-pike-to-cpu-kernels="target=vector row-parts=false" --canonicalize --cse | FileCheck %s
// RUN: pike-opt %s --pike-cpu-pipeline=target=vector | mlir-translate --mlir-to-llvmir \
// RUN:   | llc -O3 -mtriple=x86_64-linux-gnu -mcpu=x86-64-v3 | FileCheck %s --check-prefix=ASM

// Where the scaled value plus the output zero point provably stays in i32,
// the epilogue adds the zero point first and clamps to the op's own range.
// When that range is the stored type's, the clamp and the narrowing are one
// saturating pack per step (vpackssdw, vpackuswb): no vpmaxsd, vpminsd or
// byte mask, which the clamp-then-offset order needed.

// |acc| <= 32 * 255 * 100 = 816000; times 1518500250 / 2^40 is about 1127.
// CHECK-LABEL: func.func private @full_range_conv2d
// CHECK: vector.shuffle {{.*}} [0, 2, 8, 10, 4, 6, 12, 14, 16, 18, 24, 26, 20, 22, 28, 30]
// CHECK-NEXT: %[[OFFSET:.*]] = arith.addi
// CHECK-NEXT: %[[LOW:.*]] = arith.maxsi %[[OFFSET]]
// CHECK-NEXT: %[[HIGH:.*]] = arith.minsi %[[LOW]]
// CHECK-NEXT: arith.trunci %[[HIGH]] : vector<16xi32> to vector<16xi8>
// ASM-LABEL: full_range_conv2d:
// ASM-NOT: vpminsd
// ASM-NOT: vpmaxsd
// ASM: vpackssdw
// ASM-NOT: vpminsd
// ASM-NOT: vpmaxsd
// ASM: vpackuswb
// ASM-NOT: vpminsd
// ASM-NOT: vpmaxsd
// ASM-LABEL: full_range:
func.func @full_range(%x: tensor<1x4x4x32xi8>) -> tensor<1x4x4x16xi8> {
  %w = arith.constant dense<100> : tensor<16x1x1x32xi8>
  %acc = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, input_unsigned}
      : (tensor<1x4x4x32xi8>, tensor<16x1x1x32xi8>) -> tensor<1x4x4x16xi32>
  %y = pike.quant_norm %acc {multiplier = #pike.fixed_point<bits = 32, multipliers = [1518500250], shifts = [40], rounding = half_even>, output_zp = 3 : i64, output_unsigned} : tensor<1x4x4x16xi32> -> tensor<1x4x4x16xi8>
  return %y : tensor<1x4x4x16xi8>
}

// A clamp inside the type's range (a ReLU6-like bound) is still a min.
// ASM-LABEL: narrow_clamp_conv2d:
// ASM: vpminsd
// ASM-LABEL: narrow_clamp:
func.func @narrow_clamp(%x: tensor<1x4x4x32xi8>) -> tensor<1x4x4x16xi8> {
  %w = arith.constant dense<100> : tensor<16x1x1x32xi8>
  %acc = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, input_unsigned}
      : (tensor<1x4x4x32xi8>, tensor<16x1x1x32xi8>) -> tensor<1x4x4x16xi32>
  %y = pike.quant_norm %acc {multiplier = #pike.fixed_point<bits = 32, multipliers = [1518500250], shifts = [40], rounding = half_even>, output_zp = 3 : i64, max = 200 : i64, output_unsigned} : tensor<1x4x4x16xi32> -> tensor<1x4x4x16xi8>
  return %y : tensor<1x4x4x16xi8>
}

// 816000 * 1379779232 / 2^19 is 101 short of 2^31 - 1: with no zero point
// the value rounds in i32 lanes; a zero point of 200 could carry it past
// i32, so the doubles are clamped before they are rounded instead.
// CHECK-LABEL: func.func private @near_i32_conv2d
// CHECK: vector.shuffle {{.*}} [0, 2, 8, 10, 4, 6, 12, 14, 16, 18, 24, 26, 20, 22, 28, 30]
// CHECK-NOT: arith.maxnumf
// CHECK-LABEL: func.func @near_i32(
func.func @near_i32(%x: tensor<1x4x4x32xi8>) -> tensor<1x4x4x16xi8> {
  %w = arith.constant dense<100> : tensor<16x1x1x32xi8>
  %acc = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, input_unsigned}
      : (tensor<1x4x4x32xi8>, tensor<16x1x1x32xi8>) -> tensor<1x4x4x16xi32>
  %y = pike.quant_norm %acc {multiplier = #pike.fixed_point<bits = 32, multipliers = [1379779232], shifts = [19], rounding = half_even>, output_unsigned} : tensor<1x4x4x16xi32> -> tensor<1x4x4x16xi8>
  return %y : tensor<1x4x4x16xi8>
}

// CHECK-LABEL: func.func private @near_i32_offset_conv2d
// CHECK-NOT: vector.bitcast {{.*}} : vector<16xf64> to vector<32xi32>
// CHECK: arith.maxnumf {{.*}} : vector<16xf64>
// CHECK: arith.minnumf {{.*}} : vector<16xf64>
// CHECK-LABEL: func.func @near_i32_offset(
func.func @near_i32_offset(%x: tensor<1x4x4x32xi8>) -> tensor<1x4x4x16xi8> {
  %w = arith.constant dense<100> : tensor<16x1x1x32xi8>
  %acc = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, input_unsigned}
      : (tensor<1x4x4x32xi8>, tensor<16x1x1x32xi8>) -> tensor<1x4x4x16xi32>
  %y = pike.quant_norm %acc {multiplier = #pike.fixed_point<bits = 32, multipliers = [1379779232], shifts = [19], rounding = half_even>, output_zp = 200 : i64, output_unsigned} : tensor<1x4x4x16xi32> -> tensor<1x4x4x16xi8>
  return %y : tensor<1x4x4x16xi8>
}

// A u32 output's bounds may lie past i32 where the bounds less the zero
// point do not (here max 3e9, zp 2e9): it keeps the clamp to
// [min - zp, max - zp] and the offset after it.
// CHECK-LABEL: func.func private @u32_output_conv2d
// CHECK: vector.shuffle {{.*}} [0, 2, 8, 10, 4, 6, 12, 14, 16, 18, 24, 26, 20, 22, 28, 30]
// CHECK-NEXT: arith.maxsi {{.*}} : vector<16xi32>
// CHECK-NEXT: arith.minsi {{.*}} : vector<16xi32>
// CHECK-NEXT: arith.addi {{.*}} : vector<16xi32>
// CHECK-LABEL: func.func @u32_output(
func.func @u32_output(%x: tensor<1x4x4x32xi8>) -> tensor<1x4x4x16xi32> {
  %w = arith.constant dense<100> : tensor<16x1x1x32xi8>
  %acc = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, input_unsigned}
      : (tensor<1x4x4x32xi8>, tensor<16x1x1x32xi8>) -> tensor<1x4x4x16xi32>
  %y = pike.quant_norm %acc {multiplier = #pike.fixed_point<bits = 32, multipliers = [1518500250], shifts = [40], rounding = half_even>, output_zp = 2000000000 : i64, max = 3000000000 : i64, output_unsigned} : tensor<1x4x4x16xi32> -> tensor<1x4x4x16xi32>
  return %y : tensor<1x4x4x16xi32>
}
