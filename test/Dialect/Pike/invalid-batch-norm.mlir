// RUN: pike-opt %s -split-input-file -verify-diagnostics

func.func @result_type(%x: tensor<1x4x4x8xf32>, %p: tensor<8xf32>) {
  // expected-error @+1 {{result type 'tensor<1x4x4x8xf16>' differs from the input type 'tensor<1x4x4x8xf32>'}}
  %y = pike.batch_norm %x, %p, %p, %p, %p : (tensor<1x4x4x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x4x4x8xf16>
  return
}

// -----

func.func @scalar_input(%x: tensor<f32>, %p: tensor<8xf32>) {
  // expected-error @+1 {{input must have at least one dimension}}
  %y = pike.batch_norm %x, %p, %p, %p, %p : (tensor<f32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<f32>
  return
}

// -----

func.func @param_rank(%x: tensor<1x4x4x8xf32>, %p: tensor<8xf32>, %q: tensor<1x8xf32>) {
  // expected-error @+1 {{mean must be 1-D, got 'tensor<1x8xf32>'}}
  %y = pike.batch_norm %x, %p, %p, %q, %p : (tensor<1x4x4x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<1x8xf32>, tensor<8xf32>) -> tensor<1x4x4x8xf32>
  return
}

// -----

func.func @param_element_type(%x: tensor<1x4x4x8xf32>, %p: tensor<8xf32>, %q: tensor<8xf16>) {
  // expected-error @+1 {{offset element type 'f16' differs from the input's 'f32'}}
  %y = pike.batch_norm %x, %p, %q, %p, %p : (tensor<1x4x4x8xf32>, tensor<8xf32>, tensor<8xf16>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x4x4x8xf32>
  return
}

// -----

func.func @param_size(%x: tensor<1x4x4x8xf32>, %p: tensor<8xf32>, %q: tensor<4xf32>) {
  // expected-error @+1 {{variance size is 4, expected 8}}
  %y = pike.batch_norm %x, %p, %p, %p, %q : (tensor<1x4x4x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<4xf32>) -> tensor<1x4x4x8xf32>
  return
}

// -----

func.func @negative_epsilon(%x: tensor<1x4x4x8xf32>, %p: tensor<8xf32>) {
  // expected-error @+1 {{epsilon (-1.000000e-05) must be a non-negative finite number}}
  %y = pike.batch_norm %x, %p, %p, %p, %p {epsilon = -1.0e-5 : f64} : (tensor<1x4x4x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x4x4x8xf32>
  return
}

// -----

func.func @integer_input(%x: tensor<1x4x4x8xi8>, %p: tensor<8xf32>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of floating-point values}}
  %y = pike.batch_norm %x, %p, %p, %p, %p : (tensor<1x4x4x8xi8>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x4x4x8xf32>
  return
}
