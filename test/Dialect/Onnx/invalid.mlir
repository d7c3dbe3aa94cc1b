// RUN: pike-opt %s -split-input-file -verify-diagnostics

func.func @not_elements() {
  // expected-error @+1 {{result #0 must be ranked tensor}}
  %c = "pike_onnx.constant"() {name = "c", value = 1.0 : f32} : () -> f32
  return
}

// -----

func.func @type_mismatch() {
  // expected-error @+1 {{failed to verify that all of {value, result} have same type}}
  %c = "pike_onnx.constant"() {name = "c", value = dense<1.0> : tensor<2xf32>} : () -> tensor<3xf32>
  return
}
