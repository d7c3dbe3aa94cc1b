// RUN: pike-opt %s --split-input-file -verify-diagnostics

func.func @mismatched(%v: i64, %m: i32, %s: i64) -> i64 {
  // expected-error @+1 {{'pike.apply_scale' op failed to verify that all of {value, multiplier, shift} have same type}}
  %r = "pike.apply_scale"(%v, %m, %s) <{rounding = #pike<rounding single>}> : (i64, i32, i64) -> i64
  return %r : i64
}

// -----

func.func @real(%v: f32) -> f32 {
  // expected-error @+1 {{'pike.apply_scale' op operand #0 must be signless integer or vector of signless integers, but got 'f32'}}
  %r = "pike.apply_scale"(%v, %v, %v) <{rounding = #pike<rounding single>}> : (f32, f32, f32) -> f32
  return %r : f32
}

// -----

func.func @unknown_rounding(%v: i64) -> i64 {
  // expected-error @+2 {{expected ::mlir::pike::RoundingMode to be one of: single, double, half_even}}
  // expected-error @+1 {{failed to parse Pike_RoundingModeAttr parameter 'value'}}
  %r = pike.apply_scale %v * %v rshift %v, nearest : i64
  return %r : i64
}

// -----

// Tensors are not elements: apply_scale lives in linalg bodies, and its
// expansion and ACEv2 cost are per element.
func.func @tensor(%v: tensor<4xi64>) -> tensor<4xi64> {
  // expected-error @+1 {{'pike.apply_scale' op operand #0 must be signless integer or vector of signless integers, but got 'tensor<4xi64>'}}
  %r = "pike.apply_scale"(%v, %v, %v) <{rounding = #pike<rounding single>}> : (tensor<4xi64>, tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  return %r : tensor<4xi64>
}

// -----

func.func @tensor_custom_form(%v: tensor<4xi64>) -> tensor<4xi64> {
  // expected-error @+1 {{'value' must be signless integer or vector of signless integers, but got 'tensor<4xi64>'}}
  %r = pike.apply_scale %v * %v rshift %v, single : tensor<4xi64>
  return %r : tensor<4xi64>
}
