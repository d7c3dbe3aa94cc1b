// The fold (the numerics library), the expansion (folded by arith, which
// wraps as the generated code does) and the NumPy reference agree on
// pike.apply_scale at the edges of the 64-bit intermediate; one past an
// edge the fold refuses, since the generated code would wrap there.
// RUN: pike-opt %s --split-input-file --canonicalize | FileCheck %s --check-prefixes=CHECK,FOLD
// RUN: pike-opt %s --split-input-file --pike-expand-apply-scale --canonicalize | FileCheck %s --check-prefixes=CHECK,EXPAND
// RUN: %pike_python -c "from pike.reference import round_shift as r; M = 2**63 - 1; v = 1500000000 * 1610612736; print(r(M - 2, 2, 'single'), r(v, 29, 'tflite'), r(-v, 29, 'tflite'), r(M - 2**30, 40, 'tflite'), r(M - 2**31 - 2**30, 32, 'double'), r(-2**63, 2, 'half_even'))" | FileCheck %s --check-prefix=REF
// REF: 2305843009213693951 4500000000 -4500000000 8388608 2147483647 -2305843009213693952

// single: (2^63 - 3) + 2^1 = 2^63 - 1, the largest int64; >> 2 is 2^61 - 1
// (2^61 - 3/4 rounds to 2^61 - 1).
// CHECK-LABEL: func @single_top
// CHECK: %[[C:.*]] = arith.constant 2305843009213693951 : i64
// CHECK: return %[[C]]
func.func @single_top() -> i64 {
  %v = arith.constant 9223372036854775805 : i64
  %m = arith.constant 1 : i64
  %s = arith.constant 2 : i64
  %r = pike.apply_scale %v * %m rshift %s, single : i64
  return %r : i64
}

// -----

// One more and v + 2 is 2^63: the code wraps to -2^63 >> 2 = -2^61, so the
// fold refuses.
// CHECK-LABEL: func @single_past_top
// FOLD: pike.apply_scale
// EXPAND: arith.constant -2305843009213693952 : i64
func.func @single_past_top() -> i64 {
  %v = arith.constant 9223372036854775806 : i64
  %m = arith.constant 1 : i64
  %s = arith.constant 2 : i64
  %r = pike.apply_scale %v * %m rshift %s, single : i64
  return %r : i64
}

// -----

// tflite with s = 29 < 31 (TFLite's left shift by 2): M / 2^29 = 3, so
// +-1.5e9 gives +-4.5e9 exactly. v = 1.5e9 * M = 2415919104000000000 fits,
// 4v does not: the result must not go through v << 2.
// CHECK-LABEL: func @tflite_left_shift
// CHECK-DAG: %[[P:.*]] = arith.constant 4500000000 : i64
// CHECK-DAG: %[[N:.*]] = arith.constant -4500000000 : i64
// CHECK: return %[[P]], %[[N]]
func.func @tflite_left_shift() -> (i64, i64) {
  %v = arith.constant 1500000000 : i64
  %n = arith.constant -1500000000 : i64
  %m = arith.constant 1610612736 : i64
  %s = arith.constant 29 : i64
  %a = pike.apply_scale %v * %m rshift %s, tflite : i64
  %b = pike.apply_scale %n * %m rshift %s, tflite : i64
  return %a, %b : i64, i64
}

// -----

// tflite with s = 40: v + 2^30 = 2^63 - 1; h = (2^63 - 1) >> 31 = 2^32 - 1,
// then / 2^9 = 8388607.998 rounds to 8388608 = 2^23 (v / 2^40 is just
// below 2^23).
// CHECK-LABEL: func @tflite_top
// CHECK: %[[C:.*]] = arith.constant 8388608 : i64
// CHECK: return %[[C]]
func.func @tflite_top() -> i64 {
  %v = arith.constant 9223372035781033983 : i64
  %m = arith.constant 1 : i64
  %s = arith.constant 40 : i64
  %r = pike.apply_scale %v * %m rshift %s, tflite : i64
  return %r : i64
}

// -----

// One more: v + 2^30 leaves int64.
// CHECK-LABEL: func @tflite_past_top
// FOLD: pike.apply_scale
func.func @tflite_past_top() -> i64 {
  %v = arith.constant 9223372035781033984 : i64
  %m = arith.constant 1 : i64
  %s = arith.constant 40 : i64
  %r = pike.apply_scale %v * %m rshift %s, tflite : i64
  return %r : i64
}

// -----

// double with s = 32: v + 2^31 + 2^30 = 2^63 - 1; >> 32 = 2^31 - 1.
// CHECK-LABEL: func @double_top
// CHECK: %[[C:.*]] = arith.constant 2147483647 : i64
// CHECK: return %[[C]]
func.func @double_top() -> i64 {
  %v = arith.constant 9223372033633550335 : i64
  %m = arith.constant 1 : i64
  %s = arith.constant 32 : i64
  %r = pike.apply_scale %v * %m rshift %s, double : i64
  return %r : i64
}

// -----

// One more: the +2^30 of double rounding leaves int64 (single would not).
// CHECK-LABEL: func @double_past_top
// FOLD: pike.apply_scale {{.*}}double
// CHECK-LABEL: func @single_same_value
// CHECK: arith.constant 2147483647 : i64
func.func @double_past_top() -> i64 {
  %v = arith.constant 9223372033633550336 : i64
  %m = arith.constant 1 : i64
  %s = arith.constant 32 : i64
  %r = pike.apply_scale %v * %m rshift %s, double : i64
  return %r : i64
}
func.func @single_same_value() -> i64 {
  %v = arith.constant 9223372033633550336 : i64
  %m = arith.constant 1 : i64
  %s = arith.constant 32 : i64
  %r = pike.apply_scale %v * %m rshift %s, single : i64
  return %r : i64
}

// -----

// half_even at the bottom: -2^63 + 2 - 1 + 0 fits; -2^63 / 4 = -2^61.
// CHECK-LABEL: func @half_even_bottom
// CHECK: %[[C:.*]] = arith.constant -2305843009213693952 : i64
// CHECK: return %[[C]]
func.func @half_even_bottom() -> i64 {
  %v = arith.constant -9223372036854775808 : i64
  %m = arith.constant 1 : i64
  %s = arith.constant 2 : i64
  %r = pike.apply_scale %v * %m rshift %s, half_even : i64
  return %r : i64
}
