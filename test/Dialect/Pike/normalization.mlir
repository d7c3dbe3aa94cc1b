// RUN: pike-opt %s | pike-opt | FileCheck %s
// The normalization ops print and parse back unchanged.

// CHECK-LABEL: func.func @real
// CHECK: pike.softmax %{{.*}} : tensor<2x4xf32>
// CHECK: pike.layer_norm %{{.*}} {bias = array<f64: 0.000000e+00, 1.000000e-01, 0.000000e+00, 0.000000e+00>, epsilon = 1.000000e-05 : f64, scale = array<f64: 1.000000e+00>} : tensor<2x4xf32>
func.func @real(%x: tensor<2x4xf32>) -> (tensor<2x4xf32>, tensor<2x4xf32>) {
  %s = pike.softmax %x : tensor<2x4xf32>
  %l = pike.layer_norm %x {scale = array<f64: 1.0>, bias = array<f64: 0.0, 0.1, 0.0, 0.0>, epsilon = 1.0e-05 : f64} : tensor<2x4xf32>
  return %s, %l : tensor<2x4xf32>, tensor<2x4xf32>
}

// CHECK-LABEL: func.func @integer
// CHECK: pike.integer_softmax %{{.*}} {exp_table = array<i64: 4194304, 2097152>, input_unsigned, multiplier = 1073741824 : i64, output_unsigned, output_zp = 3 : i64, shift = 52 : i64} : (tensor<2x4xi8>) -> tensor<2x4xi8>
// CHECK: pike.integer_layer_norm %{{.*}} {beta = array<i64: 0, 1, 2, 3>, epsilon = 5 : i64, gamma = array<i64: 4, 5, 6, 7>, shift = 20 : i64} : (tensor<2x4xi8>) -> tensor<2x4xi16>
func.func @integer(%q: tensor<2x4xi8>) -> (tensor<2x4xi8>, tensor<2x4xi16>) {
  %s = pike.integer_softmax %q {exp_table = array<i64: 4194304, 2097152>, multiplier = 1073741824, shift = 52, output_zp = 3, input_unsigned, output_unsigned} : (tensor<2x4xi8>) -> tensor<2x4xi8>
  %l = pike.integer_layer_norm %q {gamma = array<i64: 4, 5, 6, 7>, beta = array<i64: 0, 1, 2, 3>, epsilon = 5, shift = 20} : (tensor<2x4xi8>) -> tensor<2x4xi16>
  return %s, %l : tensor<2x4xi8>, tensor<2x4xi16>
}

// A mask of kept elements on both softmax forms.
// CHECK-LABEL: func.func @masked
// CHECK: pike.softmax %{{.*}} mask(%{{.*}} : tensor<2x4xi1>) : tensor<2x4xf32>
// CHECK: pike.integer_softmax %{{.*}} mask %{{.*}} {exp_table = array<i64: 4194304>, multiplier = 1073741824 : i64, shift = 52 : i64} : (tensor<2x4xi8>, tensor<2x4xi1>) -> tensor<2x4xi8>
func.func @masked(%x: tensor<2x4xf32>, %q: tensor<2x4xi8>, %keep: tensor<2x4xi1>) -> (tensor<2x4xf32>, tensor<2x4xi8>) {
  %s = pike.softmax %x mask(%keep : tensor<2x4xi1>) : tensor<2x4xf32>
  %i = pike.integer_softmax %q mask %keep {exp_table = array<i64: 4194304>, multiplier = 1073741824, shift = 52} : (tensor<2x4xi8>, tensor<2x4xi1>) -> tensor<2x4xi8>
  return %s, %i : tensor<2x4xf32>, tensor<2x4xi8>
}

// A layer norm quantized between its steps, and its two integer forms.
// CHECK-LABEL: func.func @stepwise
// CHECK: pike.layer_norm %{{.*}} {bias = array<f64: 0.000000e+00>, deviation_quantizer = #pike.quantizer<u8, scales = [5.000000e-02]>, epsilon = 1.000000e-05 : f64, epsilon_quantizer = #pike.quantizer<u8, scales = [3.9215683999999997E-8]>, scale = array<f64: 1.000000e+00>, variance_quantizer = #pike.quantizer<u8, scales = [5.000000e-02], zero_points = [1]>} : tensor<2x8xf32>
// CHECK: pike.integer_stepwise_layer_norm %{{.*}} {biases = array<i64: 7, 7, 7, 14>, input_unsigned, multipliers = array<i64: -1, 0, 9, 8>, output_zp = 3 : i64, shifts = array<i64: 20, 20, 20, 21>, variance_max = 3 : i64, variance_min = 0 : i64, variance_multiplier = 1073741824 : i64, variance_shift = 40 : i64, variance_zp = 1 : i64} : (tensor<2x8xi8>) -> tensor<2x8xi8>
// CHECK: pike.float32_stepwise_layer_norm %{{.*}} {deviations = array<f32: 0.000000e+00, 1.000000e+00, 2.000000e+00, 3.000000e+00>, input_scale = 1.000000e-01 : f32, output_scale = 2.000000e-02 : f32, output_zp = -4 : i64, variance_max = 1 : i64, variance_min = -2 : i64, variance_scale = 5.000000e-02 : f32} : (tensor<2x8xi8>) -> tensor<2x8xi8>
func.func @stepwise(%x: tensor<2x8xf32>, %q: tensor<2x8xi8>) -> (tensor<2x8xf32>, tensor<2x8xi8>, tensor<2x8xi8>) {
  %l = pike.layer_norm %x {scale = array<f64: 1.0>, bias = array<f64: 0.0>, epsilon = 1.0e-05 : f64,
        variance_quantizer = #pike.quantizer<u8, scales = [0.05], zero_points = [1]>,
        epsilon_quantizer = #pike.quantizer<u8, scales = [3.9215684e-08]>,
        deviation_quantizer = #pike.quantizer<u8, scales = [0.05]>} : tensor<2x8xf32>
  %i = pike.integer_stepwise_layer_norm %q {variance_multiplier = 1073741824, variance_shift = 40, variance_zp = 1, variance_min = 0, variance_max = 3, multipliers = array<i64: -1, 0, 9, 8>, shifts = array<i64: 20, 20, 20, 21>, biases = array<i64: 7, 7, 7, 14>, output_zp = 3, input_unsigned} : (tensor<2x8xi8>) -> tensor<2x8xi8>
  %f = pike.float32_stepwise_layer_norm %q {input_scale = 0.1 : f32, variance_scale = 0.05 : f32, variance_min = -2, variance_max = 1, deviations = array<f32: 0.0, 1.0, 2.0, 3.0>, output_scale = 0.02 : f32, output_zp = -4} : (tensor<2x8xi8>) -> tensor<2x8xi8>
  return %l, %i, %f : tensor<2x8xf32>, tensor<2x8xi8>, tensor<2x8xi8>
}
