// RUN: pike-opt %s --convert-pike-to-cpu-kernels="target=vector row-parts=false" --canonicalize --cse | FileCheck %s

// A requantization scales in i64 lanes, then saturates to i32 before its
// clamp, unless the accumulator's bound shows every scaled value lies
// inside i32 already: AVX2 has no i64 min or max (a compare and a blend
// each), so the saturation costs more than the scaling's multiply.

// |acc| <= 16 * 255 * 100 = 408000; times 1518500250 is about 2^49.1, so a
// shift of 20 leaves 2^29.1: no saturation, only the clamp in i32.
// CHECK-LABEL: func.func private @inside_i32_conv2d
// CHECK: pike.apply_scale {{.*}} : vector<8xi64>
// CHECK-NOT: arith.maxsi {{.*}} : vector<8xi64>
// CHECK-NOT: arith.minsi {{.*}} : vector<8xi64>
// CHECK: arith.maxsi {{.*}} : vector<16xi32>
// CHECK-LABEL: func.func @inside_i32(
func.func @inside_i32(%x: tensor<1x4x4x16xi8>) -> tensor<1x4x4x16xi8> {
  %w = arith.constant dense<100> : tensor<16x1x1x16xi8>
  %acc = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, input_unsigned}
      : (tensor<1x4x4x16xi8>, tensor<16x1x1x16xi8>) -> tensor<1x4x4x16xi32>
  %y = pike.quant_norm %acc {multiplier = #pike.fixed_point<bits = 32, multipliers = [1518500250], shifts = [20]>, output_unsigned} : tensor<1x4x4x16xi32> -> tensor<1x4x4x16xi8>
  return %y : tensor<1x4x4x16xi8>
}

// A shift of 17 leaves 2^32.1: the scaled value may leave i32, so it is
// saturated first (and the clamp still follows).
// CHECK-LABEL: func.func private @past_i32_conv2d
// CHECK: pike.apply_scale {{.*}} : vector<8xi64>
// CHECK: arith.maxsi {{.*}} : vector<8xi64>
// CHECK: arith.minsi {{.*}} : vector<8xi64>
// CHECK: arith.maxsi {{.*}} : vector<16xi32>
// CHECK-LABEL: func.func @past_i32(
func.func @past_i32(%x: tensor<1x4x4x16xi8>) -> tensor<1x4x4x16xi8> {
  %w = arith.constant dense<100> : tensor<16x1x1x16xi8>
  %acc = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, input_unsigned}
      : (tensor<1x4x4x16xi8>, tensor<16x1x1x16xi8>) -> tensor<1x4x4x16xi32>
  %y = pike.quant_norm %acc {multiplier = #pike.fixed_point<bits = 32, multipliers = [1518500250], shifts = [17]>, output_unsigned} : tensor<1x4x4x16xi32> -> tensor<1x4x4x16xi8>
  return %y : tensor<1x4x4x16xi8>
}

// The bias is added before the shift: 2^52 more leaves i32 at shift 20.
// CHECK-LABEL: func.func private @bias_past_i32_conv2d
// CHECK: arith.maxsi {{.*}} : vector<8xi64>
// CHECK-LABEL: func.func @bias_past_i32(
func.func @bias_past_i32(%x: tensor<1x4x4x16xi8>) -> tensor<1x4x4x16xi8> {
  %w = arith.constant dense<100> : tensor<16x1x1x16xi8>
  %acc = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, input_unsigned}
      : (tensor<1x4x4x16xi8>, tensor<16x1x1x16xi8>) -> tensor<1x4x4x16xi32>
  %y = pike.quant_norm %acc {multiplier = #pike.fixed_point<bits = 32, multipliers = [1518500250], shifts = [20]>, bias = array<i64: 4503599627370496>, output_unsigned} : tensor<1x4x4x16xi32> -> tensor<1x4x4x16xi8>
  return %y : tensor<1x4x4x16xi8>
}

// Inside i32 with `single` rounding and a shift of 32 or more, the i64
// lanes keep only the high words of x M + B + 2^(s-1): the two halves'
// words 2j + 1 in lane order (one blend), shifted by s - 32 in i32 lanes.
// CHECK-LABEL: func.func private @high_words_conv2d
// CHECK-NOT: pike.apply_scale
// CHECK: arith.muli {{.*}} : vector<8xi64>
// CHECK: arith.addi {{.*}} : vector<8xi64>
// CHECK: vector.shuffle {{.*}} [1, 17, 3, 19, 5, 21, 7, 23, 9, 25, 11, 27, 13, 29, 15, 31] : vector<16xi32>, vector<16xi32>
// CHECK: arith.shrsi {{.*}} : vector<16xi32>
// CHECK-NOT: pike.apply_scale
// CHECK-LABEL: func.func @high_words(
func.func @high_words(%x: tensor<1x4x4x16xi8>) -> tensor<1x4x4x16xi8> {
  %w = arith.constant dense<100> : tensor<16x1x1x16xi8>
  %acc = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, input_unsigned}
      : (tensor<1x4x4x16xi8>, tensor<16x1x1x16xi8>) -> tensor<1x4x4x16xi32>
  %y = pike.quant_norm %acc {multiplier = #pike.fixed_point<bits = 32, multipliers = [1518500250], shifts = [40]>, bias = array<i64: -3000000000>, output_unsigned} : tensor<1x4x4x16xi32> -> tensor<1x4x4x16xi8>
  return %y : tensor<1x4x4x16xi8>
}

// `double` rounding adds by the sign: it keeps the i64 scaling.
// CHECK-LABEL: func.func private @double_rounding_conv2d
// CHECK: pike.apply_scale {{.*}} double : vector<8xi64>
// CHECK-LABEL: func.func @double_rounding(
func.func @double_rounding(%x: tensor<1x4x4x16xi8>) -> tensor<1x4x4x16xi8> {
  %w = arith.constant dense<100> : tensor<16x1x1x16xi8>
  %acc = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, input_unsigned}
      : (tensor<1x4x4x16xi8>, tensor<16x1x1x16xi8>) -> tensor<1x4x4x16xi32>
  %y = pike.quant_norm %acc {multiplier = #pike.fixed_point<bits = 32, multipliers = [1518500250], shifts = [40], rounding = double>, output_unsigned} : tensor<1x4x4x16xi32> -> tensor<1x4x4x16xi8>
  return %y : tensor<1x4x4x16xi8>
}

// The bound counts the output zero point, which the i32 lanes then add
// before their clamp: 408000 * 1379779231 >> 18, plus the rounding's 2, is
// 101 short of 2^31 - 1. A zero point of 50 still fits (no saturation; the
// offset, then the clamp to the op's range), one of 200 does not.
// CHECK-LABEL: func.func private @offset_inside_i32_conv2d
// CHECK-NOT: arith.maxsi {{.*}} : vector<8xi64>
// CHECK: vector.shuffle {{.*}} [0, 16, 2, 18, 4, 20, 6, 22, 8, 24, 10, 26, 12, 28, 14, 30]
// CHECK-NEXT: %[[OFFSET:.*]] = arith.addi {{.*}} : vector<16xi32>
// CHECK-NEXT: arith.maxsi %[[OFFSET]], {{.*}} : vector<16xi32>
// CHECK-LABEL: func.func @offset_inside_i32(
func.func @offset_inside_i32(%x: tensor<1x4x4x16xi8>) -> tensor<1x4x4x16xi8> {
  %w = arith.constant dense<100> : tensor<16x1x1x16xi8>
  %acc = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, input_unsigned}
      : (tensor<1x4x4x16xi8>, tensor<16x1x1x16xi8>) -> tensor<1x4x4x16xi32>
  %y = pike.quant_norm %acc {multiplier = #pike.fixed_point<bits = 32, multipliers = [1379779231], shifts = [18]>, output_zp = 50 : i64, output_unsigned} : tensor<1x4x4x16xi32> -> tensor<1x4x4x16xi8>
  return %y : tensor<1x4x4x16xi8>
}

// CHECK-LABEL: func.func private @offset_past_i32_conv2d
// CHECK: arith.maxsi {{.*}} : vector<8xi64>
// CHECK: arith.minsi {{.*}} : vector<8xi64>
// CHECK-LABEL: func.func @offset_past_i32(
func.func @offset_past_i32(%x: tensor<1x4x4x16xi8>) -> tensor<1x4x4x16xi8> {
  %w = arith.constant dense<100> : tensor<16x1x1x16xi8>
  %acc = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, input_unsigned}
      : (tensor<1x4x4x16xi8>, tensor<16x1x1x16xi8>) -> tensor<1x4x4x16xi32>
  %y = pike.quant_norm %acc {multiplier = #pike.fixed_point<bits = 32, multipliers = [1379779231], shifts = [18]>, output_zp = 200 : i64, output_unsigned} : tensor<1x4x4x16xi32> -> tensor<1x4x4x16xi8>
  return %y : tensor<1x4x4x16xi8>
}

// A residual add fused into the kernel (its scaling in i64 lanes) bounds
// its sum from the operands' ranges: (255 + 255) * 1077952524 >> 8, plus 2,
// is 102 short of 2^31 - 1. With a zero point of 50 it is offset, then
// clamped; with 200 it is clamped to [-200, 55], then offset.
// CHECK-LABEL: func.func private @residual_offset_inside_conv2d
// CHECK: pike.apply_scale {{.*}} + {{.*}}, single : vector<8xi64>
// CHECK: vector.shuffle {{.*}} [0, 16, 2, 18, 4, 20, 6, 22, 8, 24, 10, 26, 12, 28, 14, 30]
// CHECK-NEXT: %[[OFFSET:.*]] = arith.addi {{.*}} : vector<16xi32>
// CHECK-NEXT: arith.maxsi %[[OFFSET]], {{.*}} : vector<16xi32>
// CHECK-LABEL: func.func @residual_offset_inside(
func.func @residual_offset_inside(%x: tensor<1x4x4x16xi8>) -> tensor<1x4x4x16xi8> {
  %w = arith.constant dense<2> : tensor<16x3x3x1xi8>
  %acc = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, groups = 16 : i64,
                             input_unsigned}
      : (tensor<1x4x4x16xi8>, tensor<16x3x3x1xi8>) -> tensor<1x4x4x16xi32>
  %y = pike.quant_norm %acc {multiplier = #pike.fixed_point<bits = 16, multipliers = [20000], shifts = [20]>, output_unsigned}
      : tensor<1x4x4x16xi32> -> tensor<1x4x4x16xi8>
  %s = pike.add %y, %x {lhs_scale = #pike.fixed_point<bits = 32, multipliers = [1077952524], shifts = [8]>,
                        rhs_scale = #pike.fixed_point<bits = 32, multipliers = [1077952524], shifts = [8]>,
                        lhs_unsigned, rhs_unsigned, output_zp = 50 : i64, output_unsigned}
      : (tensor<1x4x4x16xi8>, tensor<1x4x4x16xi8>) -> tensor<1x4x4x16xi8>
  return %s : tensor<1x4x4x16xi8>
}

// CHECK-LABEL: func.func private @residual_offset_past_conv2d
// CHECK: pike.apply_scale {{.*}} + {{.*}}, single : vector<8xi64>
// CHECK: vector.shuffle {{.*}} [0, 16, 2, 18, 4, 20, 6, 22, 8, 24, 10, 26, 12, 28, 14, 30]
// CHECK-NEXT: arith.maxsi {{.*}} : vector<16xi32>
// CHECK-NEXT: arith.minsi {{.*}} : vector<16xi32>
// CHECK-NEXT: arith.addi {{.*}} : vector<16xi32>
// CHECK-LABEL: func.func @residual_offset_past(
func.func @residual_offset_past(%x: tensor<1x4x4x16xi8>) -> tensor<1x4x4x16xi8> {
  %w = arith.constant dense<2> : tensor<16x3x3x1xi8>
  %acc = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, groups = 16 : i64,
                             input_unsigned}
      : (tensor<1x4x4x16xi8>, tensor<16x3x3x1xi8>) -> tensor<1x4x4x16xi32>
  %y = pike.quant_norm %acc {multiplier = #pike.fixed_point<bits = 16, multipliers = [20000], shifts = [20]>, output_unsigned}
      : tensor<1x4x4x16xi32> -> tensor<1x4x4x16xi8>
  %s = pike.add %y, %x {lhs_scale = #pike.fixed_point<bits = 32, multipliers = [1077952524], shifts = [8]>,
                        rhs_scale = #pike.fixed_point<bits = 32, multipliers = [1077952524], shifts = [8]>,
                        lhs_unsigned, rhs_unsigned, output_zp = 200 : i64, output_unsigned}
      : (tensor<1x4x4x16xi8>, tensor<1x4x4x16xi8>) -> tensor<1x4x4x16xi8>
  return %s : tensor<1x4x4x16xi8>
}
