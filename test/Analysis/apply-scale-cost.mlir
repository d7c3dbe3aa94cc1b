// pike.apply_scale costs what pike-expand-apply-scale emits for it, in every
// rounding mode: a requantize costs the same as a pike op, lowered to linalg
// (one apply_scale in the body), and after the expansion. The counts are
// worked out by hand below from docs/ACEv2.md rules 1-3.
// RUN: pike-opt %s --split-input-file --pike-acev2="report=-" -o /dev/null | FileCheck %s
// RUN: pike-opt %s --split-input-file --convert-pike-to-linalg --pike-acev2="report=-" -o /dev/null | FileCheck %s
// RUN: pike-opt %s --split-input-file --convert-pike-to-linalg --pike-expand-apply-scale --pike-acev2="report=-" -o /dev/null | FileCheck %s

// Every case: 8 elements of i8 x, multipliers [24576, 17000] (i16, 16 bits),
// per-channel shifts [15, 40] (i7, 7 bits); the constant 1 is 2 bits, 0 and
// -1 are 1. Common to all: x * M, a 8 x 16 multiply (128), 24 bits wide; the
// clamp to i8 at the end, 2 others at the final width w. With a per-channel
// shift, 2^(s-1) is s - 1 (add at 7, 8 bits) and 1 << that (other at 8).
//
// single: + 2^(s-1) (add at 24, 25 bits), >> s (other at 25), clamp 2 * 25:
// 128 + 7 + 8 + 24 + 25 + 50 = 242 per element, 1936 in all.
// CHECK: "acev2": 1936,
// CHECK-NEXT: "adds": 16,
// CHECK: "muls": 8,
// CHECK: "others": 32
func.func @single(%x: tensor<4x2xi8>) -> tensor<4x2xi8> {
  %r = pike.requantize %x {multiplier = #pike.fixed_point<bits = 16, multipliers = [24576, 17000], shifts = [15, 40]>} : tensor<4x2xi8> -> tensor<4x2xi8>
  return %r : tensor<4x2xi8>
}

// -----

// half_even: + 2^(s-1) (add 24 -> 25); v >> s (other 24); & 1 (other 24);
// - 1 (add 25 -> 26); + the odd bit (add 26 -> 27); >> s (other 27); clamp
// 2 * 27: 128 + 7 + 8 + 24 + 24 + 24 + 25 + 26 + 27 + 54 = 347, 2776 in all.
// CHECK: "acev2": 2776,
// CHECK-NEXT: "adds": 32,
// CHECK: "muls": 8,
// CHECK: "others": 48
func.func @half_even(%x: tensor<4x2xi8>) -> tensor<4x2xi8> {
  %r = pike.requantize %x {multiplier = #pike.fixed_point<bits = 16, multipliers = [24576, 17000], shifts = [15, 40], rounding = half_even>} : tensor<4x2xi8> -> tensor<4x2xi8>
  return %r : tensor<4x2xi8>
}

// -----

// double (32-bit multipliers of the same values, still an i16 tensor):
// + 2^(s-1) (add 24 -> 25); v >= 0 (other 24); select 2^30 (i32) or
// -2^30 (i31) (other 32); s > 31 (other 7); select that or 0 (other 32);
// + adjust (add 32 -> 33); >> s (other 33); clamp 2 * 33:
// 128 + 7 + 8 + 24 + 24 + 32 + 7 + 32 + 32 + 33 + 66 = 393, 3144 in all.
// CHECK: "acev2": 3144,
// CHECK-NEXT: "adds": 24,
// CHECK: "muls": 8,
// CHECK: "others": 64
func.func @double(%x: tensor<4x2xi8>) -> tensor<4x2xi8> {
  %r = pike.requantize %x {multiplier = #pike.fixed_point<bits = 32, multipliers = [24576, 17000], shifts = [15, 40], rounding = double>} : tensor<4x2xi8> -> tensor<4x2xi8>
  return %r : tensor<4x2xi8>
}

// -----

// tvm_tonearest: + 2^(s-1) (add 24 -> 25); v < 0 (other 24); select -1 or 0
// (other 1); + that (add 25 -> 26); >> s (other 26); clamp 2 * 26:
// 128 + 7 + 8 + 24 + 24 + 1 + 25 + 26 + 52 = 295, 2360 in all.
// CHECK: "acev2": 2360,
// CHECK-NEXT: "adds": 24,
// CHECK: "muls": 8,
// CHECK: "others": 48
func.func @tvm_tonearest(%x: tensor<4x2xi8>) -> tensor<4x2xi8> {
  %r = pike.requantize %x {multiplier = #pike.fixed_point<bits = 16, multipliers = [24576, 17000], shifts = [15, 40], rounding = tvm_tonearest>} : tensor<4x2xi8> -> tensor<4x2xi8>
  return %r : tensor<4x2xi8>
}

// -----

// tflite: d = min(s, 31) (other 7); d - 1 (add 7 -> 8); 1 << that (other 8);
// v + 2^(d-1) (add 24 -> 25); h = that >> d (other 25); r = s - d (add 7 ->
// 8); 1 << r (other 8); - 1: the mask (add 8 -> 9); mask >> 1 (other 9);
// h & mask (other 25); h < 0 (other 25); select 1 or 0 (other 2); threshold
// + that (add 9); remainder > threshold (other 25); select 1 or 0 (other 2);
// h >> r (other 25); + the rounding bit (add 25 -> 26); clamp 2 * 26:
// 128 + 7 + 7 + 8 + 24 + 25 + 7 + 8 + 8 + 9 + 25 + 25 + 2 + 9 + 25 + 2 + 25
// + 25 + 52 = 421, 3368 in all.
// CHECK: "acev2": 3368,
// CHECK-NEXT: "adds": 48,
// CHECK: "muls": 8,
// CHECK: "others": 104
func.func @tflite(%x: tensor<4x2xi8>) -> tensor<4x2xi8> {
  %r = pike.requantize %x {multiplier = #pike.fixed_point<bits = 16, multipliers = [24576, 17000], shifts = [15, 40], rounding = tflite>} : tensor<4x2xi8> -> tensor<4x2xi8>
  return %r : tensor<4x2xi8>
}

// -----

// tflite with one shift, 40: every term of the shift alone is a constant.
// v + 2^30 (i32; add 32 -> 33); h = that >> 31 (other 33); h & 511 (other
// 33); h < 0 (other 33); select 1 or 0 (other 2); 255 (i9) + that (add 9);
// remainder > threshold (other 33); select (other 2); h >> 9 (other 33);
// + the rounding bit (add 33 -> 34); clamp 2 * 34:
// 128 + 32 + 33 + 33 + 33 + 2 + 9 + 33 + 2 + 33 + 33 + 68 = 439, 3512 in all.
// CHECK: "acev2": 3512,
// CHECK-NEXT: "adds": 24,
// CHECK: "muls": 8,
// CHECK: "others": 72
func.func @tflite_per_tensor(%x: tensor<4x2xi8>) -> tensor<4x2xi8> {
  %r = pike.requantize %x {multiplier = #pike.fixed_point<bits = 16, multipliers = [24576], shifts = [40], rounding = tflite>} : tensor<4x2xi8> -> tensor<4x2xi8>
  return %r : tensor<4x2xi8>
}
