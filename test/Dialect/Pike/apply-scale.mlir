// RUN: pike-opt %s --split-input-file | pike-opt --split-input-file | FileCheck %s --check-prefix=ROUND
// RUN: pike-opt %s --split-input-file --canonicalize | FileCheck %s --check-prefix=FOLD

// ROUND-LABEL: func @round_trip
// ROUND: pike.apply_scale %arg0 * %arg1 rshift %arg2, single : i64
// ROUND: pike.apply_scale %arg0 * %arg1 + %arg0 rshift %arg2, double : i64
// ROUND: pike.apply_scale %arg3 * %arg3 rshift %arg3, half_even : vector<8xi64>
func.func @round_trip(%v: i64, %m: i64, %s: i64, %w: vector<8xi64>) -> (i64, i64, vector<8xi64>) {
  %a = pike.apply_scale %v * %m rshift %s, single : i64
  %b = pike.apply_scale %v * %m + %v rshift %s, double : i64
  %c = pike.apply_scale %w * %w rshift %w, half_even : vector<8xi64>
  return %a, %b, %c : i64, i64, vector<8xi64>
}

// -----

// Constants fold through the numerics library, each mode on a tie:
// 3 * 1 = 3 at shift 1 is 1.5: single -> 2 (toward +inf), half_even -> 2;
// -3 at shift 1 is -1.5: single -> -1, half_even -> -2.
// 5 * 2^30 at shift 32 is 1.25: single -> 1; double adds 2^30 more first:
// (5 * 2^30 + 2^31 + 2^30) >> 32 = (8 * 2^30) >> 32 = 2.
// FOLD-LABEL: func @fold
// FOLD-DAG: %[[A:.*]] = arith.constant 2 : i64
// FOLD-DAG: %[[B:.*]] = arith.constant -1 : i64
// FOLD-DAG: %[[C:.*]] = arith.constant -2 : i64
// FOLD-DAG: %[[D:.*]] = arith.constant 1 : i64
// FOLD: return %[[A]], %[[B]], %[[A]], %[[C]], %[[D]], %[[A]]
func.func @fold() -> (i64, i64, i64, i64, i64, i64) {
  %three = arith.constant 3 : i64
  %minus3 = arith.constant -3 : i64
  %one = arith.constant 1 : i64
  %five = arith.constant 5 : i64
  %m = arith.constant 1073741824 : i64
  %s32 = arith.constant 32 : i64
  %a = pike.apply_scale %three * %one rshift %one, single : i64
  %b = pike.apply_scale %minus3 * %one rshift %one, single : i64
  %c = pike.apply_scale %three * %one rshift %one, half_even : i64
  %d = pike.apply_scale %minus3 * %one rshift %one, half_even : i64
  %e = pike.apply_scale %five * %m rshift %s32, single : i64
  %f = pike.apply_scale %five * %m rshift %s32, double : i64
  return %a, %b, %c, %d, %e, %f : i64, i64, i64, i64, i64, i64
}

// -----

// No fold where the 64-bit arithmetic would wrap or the shift is out of range.
// FOLD-LABEL: func @no_fold
// FOLD-COUNT-2: pike.apply_scale
func.func @no_fold() -> (i64, i64) {
  %big = arith.constant 4611686018427387904 : i64
  %four = arith.constant 4 : i64
  %zero = arith.constant 0 : i64
  %a = pike.apply_scale %big * %four rshift %four, single : i64
  %b = pike.apply_scale %four * %four rshift %zero, single : i64
  return %a, %b : i64, i64
}
