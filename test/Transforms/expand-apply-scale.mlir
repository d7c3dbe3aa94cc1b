// RUN: pike-opt %s --split-input-file --pike-expand-apply-scale | FileCheck %s

// single: (v * m + 2^(s-1)) >> s, the shift computed from the operand.
// CHECK-LABEL: func @single
// CHECK-SAME: (%[[V:.*]]: i64, %[[M:.*]]: i64, %[[S:.*]]: i64)
// CHECK-DAG: %[[ONE:.*]] = arith.constant 1 : i64
// CHECK: %[[P:.*]] = arith.muli %[[V]], %[[M]] : i64
// CHECK: %[[SM1:.*]] = arith.subi %[[S]], %[[ONE]] : i64
// CHECK: %[[HALF:.*]] = arith.shli %[[ONE]], %[[SM1]] : i64
// CHECK: %[[R:.*]] = arith.addi %[[P]], %[[HALF]] : i64
// CHECK: %[[OUT:.*]] = arith.shrsi %[[R]], %[[S]] : i64
// CHECK: return %[[OUT]]
// CHECK-NOT: pike.apply_scale
func.func @single(%v: i64, %m: i64, %s: i64) -> i64 {
  %r = pike.apply_scale %v * %m rshift %s, single : i64
  return %r : i64
}

// -----

// The addend joins the product before rounding.
// CHECK-LABEL: func @addend
// CHECK-SAME: (%[[V:.*]]: i64, %[[M:.*]]: i64, %[[B:.*]]: i64, %[[S:.*]]: i64)
// CHECK: %[[P:.*]] = arith.muli %[[V]], %[[M]] : i64
// CHECK: %[[PB:.*]] = arith.addi %[[P]], %[[B]] : i64
// CHECK: arith.addi %[[PB]]
func.func @addend(%v: i64, %m: i64, %b: i64, %s: i64) -> i64 {
  %r = pike.apply_scale %v * %m + %b rshift %s, single : i64
  return %r : i64
}

// -----

// half_even: 2^(s-1) - 1 plus the low bit of the quotient.
// CHECK-LABEL: func @half_even
// CHECK: %[[P:.*]] = arith.muli
// CHECK: %[[Q:.*]] = arith.shrsi %[[P]], %[[S:.*]] : i64
// CHECK: %[[ODD:.*]] = arith.andi %[[Q]], %{{.*}} : i64
// CHECK: %[[DOWN:.*]] = arith.subi
// CHECK: %[[R:.*]] = arith.addi %[[DOWN]], %[[ODD]] : i64
// CHECK: arith.shrsi %[[R]], %[[S]] : i64
func.func @half_even(%v: i64, %m: i64, %s: i64) -> i64 {
  %r = pike.apply_scale %v * %m rshift %s, half_even : i64
  return %r : i64
}

// -----

// double: +-2^30 by the sign, only where the shift exceeds 31.
// CHECK-LABEL: func @double
// CHECK-DAG: arith.constant 1073741824 : i64
// CHECK-DAG: arith.constant -1073741824 : i64
// CHECK-DAG: arith.constant 31 : i64
// CHECK: arith.cmpi sge
// CHECK: arith.select
// CHECK: arith.cmpi sgt
// CHECK: arith.select
func.func @double(%v: i64, %m: i64, %s: i64) -> i64 {
  %r = pike.apply_scale %v * %m rshift %s, double : i64
  return %r : i64
}

// -----

// Vectors expand elementwise, with splat constants.
// CHECK-LABEL: func @vector
// CHECK-DAG: arith.constant dense<1> : vector<16xi64>
// CHECK: arith.muli {{.*}} : vector<16xi64>
// CHECK: arith.shrsi {{.*}} : vector<16xi64>
// CHECK-NOT: pike.apply_scale
func.func @vector(%v: vector<16xi64>, %m: vector<16xi64>, %s: vector<16xi64>) -> vector<16xi64> {
  %r = pike.apply_scale %v * %m rshift %s, single : vector<16xi64>
  return %r : vector<16xi64>
}

// -----

// tflite: the doubling high multiply (value << max(31 - s, 0), nudge 2^30
// or 1 - 2^30 by sign, truncating division by 2^31), then RoundingDivideByPOT
// by max(s - 31, 0) (mask, remainder, threshold one higher below zero).
// CHECK-LABEL: func @tflite
// CHECK-DAG: arith.constant 2147483648 : i64
// CHECK-DAG: arith.constant -1073741823 : i64
// CHECK: arith.maxsi
// CHECK: arith.maxsi
// CHECK: arith.shli
// CHECK: arith.divsi
// CHECK: arith.andi
// CHECK: arith.cmpi sgt
// CHECK-NOT: pike.apply_scale
func.func @tflite(%v: i64, %m: i64, %s: i64) -> i64 {
  %r = pike.apply_scale %v * %m rshift %s, tflite : i64
  return %r : i64
}

// -----

// tvm_tonearest: single, one less below zero (ties away from zero);
// tvm_upward is single.
// CHECK-LABEL: func @tvm
// CHECK: arith.cmpi slt
// CHECK: arith.select
// CHECK: arith.shrsi
// CHECK-NOT: arith.cmpi
// CHECK: arith.shrsi
func.func @tvm(%v: i64, %m: i64, %s: i64) -> (i64, i64) {
  %a = pike.apply_scale %v * %m rshift %s, tvm_tonearest : i64
  %b = pike.apply_scale %v * %m rshift %s, tvm_upward : i64
  return %a, %b : i64, i64
}
