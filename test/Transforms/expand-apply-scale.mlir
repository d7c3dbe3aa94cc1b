// RUN: pike-opt %s --split-input-file --pike-expand-apply-scale | FileCheck %s

// single: (v * m + 2^(s-1)) >> s, the shift computed from the operand.
// Constants have the narrowest type that holds them (what ACEv2 counts).
// CHECK-LABEL: func @single
// CHECK-SAME: (%[[V:.*]]: i64, %[[M:.*]]: i64, %[[S:.*]]: i64)
// CHECK: %[[P:.*]] = arith.muli %[[V]], %[[M]] : i64
// CHECK: %[[C1:.*]] = arith.constant 1 : i2
// CHECK: %[[ONE:.*]] = arith.extsi %[[C1]] : i2 to i64
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

// A constant shift (a per-tensor scale): 2^(s-1) is a constant.
// CHECK-LABEL: func @single_constant_shift
// CHECK: %[[P:.*]] = arith.muli
// CHECK: %[[C:.*]] = arith.constant 262144 : i20
// CHECK: %[[HALF:.*]] = arith.extsi %[[C]] : i20 to i64
// CHECK: %[[R:.*]] = arith.addi %[[P]], %[[HALF]] : i64
// CHECK: arith.shrsi %[[R]], %{{.*}} : i64
// CHECK-NOT: arith.shli
func.func @single_constant_shift(%v: i64, %m: i64) -> i64 {
  %c = arith.constant 19 : i6
  %s = arith.extsi %c : i6 to i64
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
// CHECK: %[[HALF:.*]] = arith.addi %[[P]]
// CHECK: %[[Q:.*]] = arith.shrsi %[[P]], %[[S:.*]] : i64
// CHECK: %[[ODD:.*]] = arith.andi %[[Q]], %{{.*}} : i64
// CHECK: %[[DOWN:.*]] = arith.subi %[[HALF]]
// CHECK: %[[R:.*]] = arith.addi %[[DOWN]], %[[ODD]] : i64
// CHECK: arith.shrsi %[[R]], %[[S]] : i64
func.func @half_even(%v: i64, %m: i64, %s: i64) -> i64 {
  %r = pike.apply_scale %v * %m rshift %s, half_even : i64
  return %r : i64
}

// -----

// double: +-2^30 by the sign, only where the shift exceeds 31.
// CHECK-LABEL: func @double
// CHECK: arith.cmpi sge
// CHECK: arith.constant 1073741824 : i32
// CHECK: arith.constant -1073741824 : i31
// CHECK: arith.select
// CHECK: arith.constant 31 : i6
// CHECK: arith.cmpi sgt
// CHECK: arith.select
// CHECK: arith.addi
// CHECK: arith.shrsi
func.func @double(%v: i64, %m: i64, %s: i64) -> i64 {
  %r = pike.apply_scale %v * %m rshift %s, double : i64
  return %r : i64
}

// -----

// A constant shift of at most 31: double is single.
// CHECK-LABEL: func @double_short_shift
// CHECK-NOT: arith.select
// CHECK: arith.shrsi
func.func @double_short_shift(%v: i64, %m: i64) -> i64 {
  %s = arith.constant 31 : i64
  %r = pike.apply_scale %v * %m rshift %s, double : i64
  return %r : i64
}

// -----

// Vectors expand elementwise, with splat constants.
// CHECK-LABEL: func @vector
// CHECK: arith.muli {{.*}} : vector<16xi64>
// CHECK: arith.constant dense<1> : vector<16xi2>
// CHECK: arith.extsi {{.*}} : vector<16xi2> to vector<16xi64>
// CHECK: arith.shrsi {{.*}} : vector<16xi64>
// CHECK-NOT: pike.apply_scale
func.func @vector(%v: vector<16xi64>, %m: vector<16xi64>, %s: vector<16xi64>) -> vector<16xi64> {
  %r = pike.apply_scale %v * %m rshift %s, single : vector<16xi64>
  return %r : vector<16xi64>
}

// -----

// tflite: the doubling high multiply as single rounding by d = min(s, 31)
// (no left shift), then RoundingDivideByPOT by s - d (mask, remainder,
// threshold one higher below zero).
// CHECK-LABEL: func @tflite
// CHECK-SAME: (%{{.*}}: i64, %{{.*}}: i64, %[[S:.*]]: i64)
// CHECK: %[[P:.*]] = arith.muli
// CHECK: %[[D:.*]] = arith.minsi %[[S]], %{{.*}} : i64
// CHECK: %[[DM1:.*]] = arith.subi %[[D]]
// CHECK: %[[HALF:.*]] = arith.shli %{{.*}}, %[[DM1]]
// CHECK: %[[SUM:.*]] = arith.addi %[[P]], %[[HALF]]
// CHECK: %[[HIGH:.*]] = arith.shrsi %[[SUM]], %[[D]]
// CHECK: %[[RIGHT:.*]] = arith.subi %[[S]], %[[D]]
// CHECK: arith.andi %[[HIGH]]
// CHECK: arith.cmpi slt, %[[HIGH]]
// CHECK: arith.cmpi sgt
// CHECK: arith.shrsi %[[HIGH]], %[[RIGHT]]
// CHECK-NOT: arith.shli %[[P]]
// CHECK-NOT: arith.divsi
// CHECK-NOT: pike.apply_scale
func.func @tflite(%v: i64, %m: i64, %s: i64) -> i64 {
  %r = pike.apply_scale %v * %m rshift %s, tflite : i64
  return %r : i64
}

// -----

// tflite with a constant shift below 31 is one rounding; above 31 the
// second rounding's mask (2^9 - 1) and threshold are constants.
// CHECK-LABEL: func @tflite_constant_shifts
// CHECK: %[[HALF:.*]] = arith.constant 268435456 : i30
// CHECK: arith.shrsi
// CHECK-NOT: arith.cmpi
// CHECK: arith.constant 511 : i10
// CHECK: arith.constant 255 : i9
// CHECK: arith.andi
// CHECK: arith.cmpi slt
// CHECK-NOT: arith.shli
func.func @tflite_constant_shifts(%v: i64, %m: i64) -> (i64, i64) {
  %s29 = arith.constant 29 : i64
  %s40 = arith.constant 40 : i64
  %a = pike.apply_scale %v * %m rshift %s29, tflite : i64
  %b = pike.apply_scale %v * %m rshift %s40, tflite : i64
  return %a, %b : i64, i64
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

// -----

// float32: the bias joins the value, which is rounded to 24 significant
// bits (ctlz finds how many to drop), multiplied, rounded again, then
// shifted half to even.
// CHECK-LABEL: func @float32
// CHECK: arith.addi
// CHECK: math.ctlz
// CHECK: arith.muli
// CHECK: math.ctlz
// CHECK: arith.andi
// CHECK: arith.shrsi
// CHECK-NOT: math.ctlz
func.func @float32(%v: i64, %m: i64, %b: i64) -> i64 {
  %s = arith.constant 40 : i64
  %a = pike.apply_scale %v * %m + %b rshift %s, float32 : i64
  return %a : i64
}
