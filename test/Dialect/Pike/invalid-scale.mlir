// RUN: pike-opt %s -split-input-file -verify-diagnostics

func.func @scale_count(%acc: tensor<1x4x4x3xi32>) {
  // expected-error @+1 {{'pike.scale' op has 2 scales but dimension 3 has 3 channels}}
  %y = pike.scale %acc {scale = array<f64: 0.1, 0.2>} : tensor<1x4x4x3xi32> -> tensor<1x4x4x3xf32>
  return
}

// -----

func.func @dq_count(%acc: tensor<1x4x4x3xi32>) {
  // expected-error @+1 {{'pike.scale' op has 2 scales but dimension 3 has 3 channels}}
  %y = pike.scale %acc {scale = #pike.dq_scale<bits = 4, values = [1, 2], scale = 0.1>} : tensor<1x4x4x3xi32> -> tensor<1x4x4x3xf32>
  return
}

// -----

func.func @no_scale(%acc: tensor<1x4x4x3xi32>) {
  // expected-error @+1 {{'pike.scale' op has 0 scales but dimension 3 has 3 channels}}
  %y = pike.scale %acc {scale = array<f64>} : tensor<1x4x4x3xi32> -> tensor<1x4x4x3xf32>
  return
}

// -----

func.func @no_scale_dynamic(%acc: tensor<1x4x4x?xi32>) {
  // expected-error @+1 {{'pike.scale' op needs at least one scale}}
  %y = pike.scale %acc {scale = array<f64>} : tensor<1x4x4x?xi32> -> tensor<1x4x4x?xf32>
  return
}

// -----

func.func @nan_scale(%acc: tensor<2xi32>) {
  // expected-error @+1 {{'pike.scale' op scale #0 (nan) is not finite}}
  %y = pike.scale %acc {scale = array<f64: 0x7FF8000000000000>} : tensor<2xi32> -> tensor<2xf32>
  return
}

// -----

func.func @bias_count(%acc: tensor<1x3xi32>) {
  // expected-error @+1 {{'pike.scale' op has 2 biases but dimension 1 has 3 channels}}
  %y = pike.scale %acc {scale = array<f64: 0.1>, bias = array<f64: 1.0, 2.0>} : tensor<1x3xi32> -> tensor<1x3xf32>
  return
}

// -----

func.func @infinite_bias(%acc: tensor<1x1xi32>) {
  // expected-error @+1 {{'pike.scale' op bias #0 (INF) is not finite}}
  %y = pike.scale %acc {scale = array<f64: 0.1>, bias = array<f64: 0x7FF0000000000000>} : tensor<1x1xi32> -> tensor<1x1xf32>
  return
}

// -----

func.func @scalar(%acc: tensor<i32>) {
  // expected-error @+1 {{'pike.scale' op input must have at least one dimension}}
  %y = pike.scale %acc {scale = array<f64: 0.1>} : tensor<i32> -> tensor<f32>
  return
}

// -----

func.func @wrong_scale_kind(%acc: tensor<2xi32>) {
  // expected-error @+1 {{'pike.scale' op attribute 'scale' failed to satisfy constraint}}
  %y = pike.scale %acc {scale = #pike.fixed_point<bits = 8, multipliers = [64], shifts = [7]>} : tensor<2xi32> -> tensor<2xf32>
  return
}
