// RUN: pike-opt %s --split-input-file --canonicalize | FileCheck %s

// (x - 3) * 2^30 >> 30 + 3 = x: an identity requantize folds away.
// CHECK-LABEL: func @identity_requantize
// CHECK-NEXT: return %arg0
func.func @identity_requantize(%x: tensor<4xi8>) -> tensor<4xi8> {
  %r = pike.requantize %x {multiplier = #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [30], rounding = double>, input_zp = 3, output_zp = 3} : tensor<4xi8> -> tensor<4xi8>
  return %r : tensor<4xi8>
}

// -----

// Not an identity: another zero point, a clamp, a scale other than one, or
// another signedness.
// CHECK-LABEL: func @not_identity
// CHECK-COUNT-4: pike.requantize
func.func @not_identity(%x: tensor<4xi8>) -> (tensor<4xi8>, tensor<4xi8>, tensor<4xi8>, tensor<4xi8>) {
  %a = pike.requantize %x {multiplier = #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [30]>, input_zp = 3, output_zp = 4} : tensor<4xi8> -> tensor<4xi8>
  %b = pike.requantize %x {multiplier = #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [30]>, min = 0 : i64} : tensor<4xi8> -> tensor<4xi8>
  %c = pike.requantize %x {multiplier = #pike.fixed_point<bits = 32, multipliers = [1073741825], shifts = [30]>} : tensor<4xi8> -> tensor<4xi8>
  %d = pike.requantize %x {multiplier = #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [30]>, input_unsigned} : tensor<4xi8> -> tensor<4xi8>
  return %a, %b, %c, %d : tensor<4xi8>, tensor<4xi8>, tensor<4xi8>, tensor<4xi8>
}

// -----

// A ReLU6-style clamp after a requantize becomes its bounds.
// CHECK-LABEL: func @clamp_into_requantize
// CHECK: %[[R:.*]] = pike.requantize %arg0 {max = 6 : i64, min = 0 : i64, multiplier = {{.*}}} : tensor<8xi32> -> tensor<8xi8>
// CHECK-NOT: pike.clamp
// CHECK: return %[[R]]
func.func @clamp_into_requantize(%x: tensor<8xi32>) -> tensor<8xi8> {
  %r = pike.requantize %x {multiplier = #pike.fixed_point<bits = 32, multipliers = [1518500250], shifts = [38]>} : tensor<8xi32> -> tensor<8xi8>
  %c = pike.clamp %r {min = 0 : i64, max = 6 : i64} : tensor<8xi8>
  return %c : tensor<8xi8>
}

// -----

// Two clamps in a row narrow to their intersection; an unsigned clamp of an
// unsigned output merges too.
// CHECK-LABEL: func @clamps_intersect
// CHECK: pike.requantize %arg0 {max = 200 : i64, min = 10 : i64, {{.*}}output_unsigned}
// CHECK-NOT: pike.clamp
func.func @clamps_intersect(%x: tensor<8xi32>) -> tensor<8xi8> {
  %r = pike.requantize %x {multiplier = #pike.fixed_point<bits = 32, multipliers = [1518500250], shifts = [38]>, output_unsigned} : tensor<8xi32> -> tensor<8xi8>
  %c = pike.clamp %r {min = 0 : i64, max = 200 : i64, input_unsigned} : tensor<8xi8>
  %d = pike.clamp %c {min = 10 : i64, max = 255 : i64, input_unsigned} : tensor<8xi8>
  return %d : tensor<8xi8>
}

// -----

// Not merged: the clamp reads the bits with the other signedness, or the
// requantize has another user.
// CHECK-LABEL: func @clamp_kept
// CHECK-COUNT-2: pike.clamp
func.func @clamp_kept(%x: tensor<8xi32>) -> (tensor<8xi8>, tensor<8xi8>, tensor<8xi8>) {
  %r = pike.requantize %x {multiplier = #pike.fixed_point<bits = 32, multipliers = [1518500250], shifts = [38]>} : tensor<8xi32> -> tensor<8xi8>
  %c = pike.clamp %r {min = 0 : i64, max = 200 : i64, input_unsigned} : tensor<8xi8>
  %s = pike.requantize %x {multiplier = #pike.fixed_point<bits = 32, multipliers = [1518500250], shifts = [38]>} : tensor<8xi32> -> tensor<8xi8>
  %d = pike.clamp %s {min = 0 : i64, max = 6 : i64} : tensor<8xi8>
  return %c, %d, %s : tensor<8xi8>, tensor<8xi8>, tensor<8xi8>
}

// -----

// A dequantize -> quantize pair with one quantizer is the integer input.
// CHECK-LABEL: func @dequantize_quantize
// CHECK-NEXT: return %arg0
func.func @dequantize_quantize(%q: tensor<4xi8>) -> tensor<4xi8> {
  %d = pike.dequantize %q {quantizer = #pike.quantizer<u8, scales = [0.0123], zero_points = [128]>} : tensor<4xi8> -> tensor<4xf32>
  %r = pike.quantize %d {quantizer = #pike.quantizer<u8, scales = [0.0123], zero_points = [128]>} : tensor<4xf32> -> tensor<4xi8>
  return %r : tensor<4xi8>
}

// -----

// Different quantizers are a real rescale, kept.
// CHECK-LABEL: func @rescale_kept
// CHECK: pike.dequantize
// CHECK: pike.quantize
func.func @rescale_kept(%q: tensor<4xi8>) -> tensor<4xi8> {
  %d = pike.dequantize %q {quantizer = #pike.quantizer<s8, scales = [0.5]>} : tensor<4xi8> -> tensor<4xf32>
  %r = pike.quantize %d {quantizer = #pike.quantizer<s8, scales = [0.25]>} : tensor<4xf32> -> tensor<4xi8>
  return %r : tensor<4xi8>
}

// -----

// Constant weights are quantized at compile time, per tensor and per channel:
// 0.5 / 0.25 = 2 (+1 = 3); -0.26 / 0.25 = -1.04 -> -1 (+1 = 0); 1e9
// saturates at 127; 0.375 / 0.25 = 1.5 ties to 2 (+1 = 3); NaN -> the zero point.
// Per channel along axis 0 with scales 0.5 and 0.1: 1.0 / 0.5 = 2, 0.25 / 0.5 =
// 0.5 -> 0; 0.35 / 0.1 is exactly 3.5 in f32 (as the lowering divides) -> 4,
// -0.7 / 0.1 = -7.
// CHECK-LABEL: func @constant_weights
// CHECK-DAG: arith.constant dense<[3, 0, 127, 3, 1]> : tensor<5xi8>
// CHECK-DAG: arith.constant dense<{{\[\[}}2, 0], [4, -7]]> : tensor<2x2xi4>
// CHECK-NOT: pike.quantize
func.func @constant_weights() -> (tensor<5xi8>, tensor<2x2xi4>) {
  %w = arith.constant dense<[0.5, -0.26, 1.0e9, 0.375, 0x7FC00000]> : tensor<5xf32>
  %q = pike.quantize %w {quantizer = #pike.quantizer<s8, scales = [0.25], zero_points = [1]>} : tensor<5xf32> -> tensor<5xi8>
  %v = arith.constant dense<[[1.0, 0.25], [0.35, -0.7]]> : tensor<2x2xf32>
  %p = pike.quantize %v {quantizer = #pike.quantizer<s4, axis = 0, scales = [0.5, 0.1]>} : tensor<2x2xf32> -> tensor<2x2xi4>
  return %q, %p : tensor<5xi8>, tensor<2x2xi4>
}
