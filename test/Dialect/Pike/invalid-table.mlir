// RUN: pike-opt %s -split-input-file -verify-diagnostics

func.func @short_table(%x: tensor<4xi4>) {
  // expected-error @+1 {{'pike.table' op table has 3 entries; an i4 input needs 16}}
  %y = pike.table %x {table = array<i64: 0, 1, 2>} : (tensor<4xi4>) -> tensor<4xi4>
  return
}

// -----

func.func @entry_out_of_range(%x: tensor<4xi2>) {
  // expected-error @+1 {{'pike.table' op table entry 3 (8) is outside [-8, 7], the range of signed 'i4'}}
  %y = pike.table %x {table = array<i64: 0, 1, 2, 8>} : (tensor<4xi2>) -> tensor<4xi4>
  return
}

// -----

func.func @wide_input(%x: tensor<4xi32>) {
  // expected-error @+1 {{'pike.table' op a table needs an input of at most 16 bits, got i32}}
  %y = pike.table %x {table = array<i64: 0>} : (tensor<4xi32>) -> tensor<4xi8>
  return
}

// -----

func.func @real_table(%x: tensor<4xf32>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of signless integer of 1 to 64 bits values}}
  %y = pike.table %x {table = array<i64: 0>} : (tensor<4xf32>) -> tensor<4xi8>
  return
}

// -----

func.func @tanh_alpha(%x: tensor<4xf32>) {
  // expected-error @+1 {{'pike.activation' op 'tanh' takes no alpha}}
  %y = pike.activation %x {kind = #pike<activation tanh>, alpha = 0.5 : f64} : tensor<4xf32>
  return
}

// -----

func.func @leaky_beta(%x: tensor<4xf32>) {
  // expected-error @+1 {{'pike.activation' op 'leaky_relu' takes no beta}}
  %y = pike.activation %x {kind = #pike<activation leaky_relu>, beta = 0.5 : f64} : tensor<4xf32>
  return
}

// -----

func.func @integer_activation(%x: tensor<4xi8>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of floating-point values}}
  %y = pike.activation %x {kind = #pike<activation sigmoid>} : tensor<4xi8>
  return
}

// -----

func.func @unknown_kind(%x: tensor<4xf32>) {
  // expected-error @+2 {{expected ::mlir::pike::ActivationKind to be one of: sigmoid, tanh, hard_sigmoid, hard_swish, leaky_relu, gelu}}
  // expected-error @+1 {{failed to parse Pike_ActivationKindAttr parameter 'value'}}
  %y = pike.activation %x {kind = #pike<activation swish>} : tensor<4xf32>
  return
}
