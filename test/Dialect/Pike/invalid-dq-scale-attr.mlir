// RUN: pike-opt %s -split-input-file -verify-diagnostics

func.func @bits(%acc: tensor<2xi32>) {
  // expected-error @+1 {{double-quantized scale bit-width 0 is outside [1, 16]}}
  %y = pike.scale %acc {scale = #pike.dq_scale<bits = 0, values = [1], scale = 0.1>} : tensor<2xi32> -> tensor<2xf32>
  return
}

// -----

func.func @no_values(%acc: tensor<2xi32>) {
  // expected-error @+1 {{double-quantized scale needs at least one value}}
  %y = pike.scale %acc {scale = #pike.dq_scale<bits = 4, values = [], scale = 0.1>} : tensor<2xi32> -> tensor<2xf32>
  return
}

// -----

func.func @value_too_large(%acc: tensor<2xi32>) {
  // expected-error @+1 {{double-quantized scale value #1 (16) is outside [1, 15] of u4}}
  %y = pike.scale %acc {scale = #pike.dq_scale<bits = 4, values = [3, 16], scale = 0.1>} : tensor<2xi32> -> tensor<2xf32>
  return
}

// -----

func.func @value_zero(%acc: tensor<2xi32>) {
  // A scale of zero would erase the channel.
  // expected-error @+1 {{double-quantized scale value #0 (0) is outside [1, 15] of u4}}
  %y = pike.scale %acc {scale = #pike.dq_scale<bits = 4, values = [0, 3], scale = 0.1>} : tensor<2xi32> -> tensor<2xf32>
  return
}

// -----

func.func @shared_scale(%acc: tensor<2xi32>) {
  // expected-error @+1 {{double-quantized shared scale (-1.000000e-01) is not a positive finite number}}
  %y = pike.scale %acc {scale = #pike.dq_scale<bits = 4, values = [1, 3], scale = -0.1>} : tensor<2xi32> -> tensor<2xf32>
  return
}
