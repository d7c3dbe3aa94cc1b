// RUN: pike-opt %s --split-input-file --convert-pike-to-linalg | FileCheck %s

// QuantNorm: one pike.apply_scale (i64 multiply, bias, rounding shift),
// then the clamp and truncation. Constants take the narrowest type that holds
// them (the width ACEv2 counts them at) and are sign-extended in the body;
// per-channel values are 1-D inputs.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[CH:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func @quant_norm
// CHECK-DAG: %[[M:.*]] = arith.constant dense<[97, 121]> : tensor<2xi8>
// CHECK-DAG: %[[B:.*]] = arith.constant dense<[1024, -512]> : tensor<2xi12>
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[CH]], #[[CH]], #[[ID]]], {{.*}}} ins(%arg0, %[[M]], %[[B]] :
// CHECK: ^bb0(%[[ACC:.*]]: i32, %[[MUL:.*]]: i8, %[[BIAS:.*]]: i12, %{{.*}}: i4):
// CHECK-DAG: %[[S:.*]] = arith.constant 14 : i5
// CHECK-DAG: %[[M64:.*]] = arith.extsi %[[MUL]] : i8 to i64
// CHECK-DAG: %[[B64:.*]] = arith.extsi %[[BIAS]] : i12 to i64
// CHECK-DAG: %[[S64:.*]] = arith.extsi %[[S]] : i5 to i64
// CHECK-DAG: %[[X:.*]] = arith.extsi %[[ACC]] : i32 to i64
// CHECK:   %[[R:.*]] = pike.apply_scale %[[X]] * %[[M64]] + %[[B64]] rshift %[[S64]], single : i64
// CHECK:   arith.maxsi %[[R]]
// CHECK:   arith.minsi
// CHECK:   arith.trunci {{.*}} : i64 to i4
// CHECK-NOT: arith.{{.*}}f
// CHECK-NOT: arith.shrsi
func.func @quant_norm(%acc: tensor<1x2xi32>) -> tensor<1x2xi4> {
  %q = pike.quant_norm %acc {multiplier = #pike.fixed_point<bits = 8, multipliers = [97, 121], shifts = [14]>, bias = array<i64: 1024, -512>, output_unsigned} : tensor<1x2xi32> -> tensor<1x2xi4>
  return %q : tensor<1x2xi4>
}

// -----

// Double rounding is the apply_scale's mode.
// CHECK-LABEL: func @double_round
// CHECK: pike.apply_scale {{.*}}, double : i64
func.func @double_round(%x: tensor<4xi32>) -> tensor<4xi8> {
  %r = pike.requantize %x {multiplier = #pike.fixed_point<bits = 32, multipliers = [1518500250], shifts = [38], rounding = double>} : tensor<4xi32> -> tensor<4xi8>
  return %r : tensor<4xi8>
}

// -----

// Requantize reads the input as unsigned and subtracts its zero point.
// CHECK-LABEL: func @requantize
// CHECK: arith.extui {{.*}} : i8 to i64
// CHECK: arith.subi
func.func @requantize(%x: tensor<4xi8>) -> tensor<4xi8> {
  %r = pike.requantize %x {multiplier = #pike.fixed_point<bits = 16, multipliers = [16384], shifts = [15]>, input_zp = 128, input_unsigned} : tensor<4xi8> -> tensor<4xi8>
  return %r : tensor<4xi8>
}

// -----

// Residual add: both operands rescaled and summed before one rounding, the
// rhs term entering as the apply_scale's addend.
// CHECK-LABEL: func @add
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1 : tensor<8xi8>, tensor<8xi8>)
// CHECK: %[[RHS:.*]] = arith.muli
// CHECK: pike.apply_scale %{{.*}} * %{{.*}} + %[[RHS]] rshift %{{.*}}, single : i64
func.func @add(%a: tensor<8xi8>, %b: tensor<8xi8>) -> tensor<8xi8> {
  %s = pike.add %a, %b {lhs_scale = #pike.fixed_point<bits = 16, multipliers = [16384], shifts = [15]>, rhs_scale = #pike.fixed_point<bits = 16, multipliers = [24576], shifts = [15]>} : (tensor<8xi8>, tensor<8xi8>) -> tensor<8xi8>
  return %s : tensor<8xi8>
}

// -----

// Ties to even, as ONNX rounds.
// CHECK-LABEL: func @half_even
// CHECK: pike.apply_scale {{.*}}, half_even : i64
func.func @half_even(%x: tensor<4xi32>) -> tensor<4xi8> {
  %r = pike.requantize %x {multiplier = #pike.fixed_point<bits = 16, multipliers = [16384], shifts = [15], rounding = half_even>} : tensor<4xi32> -> tensor<4xi8>
  return %r : tensor<4xi8>
}
