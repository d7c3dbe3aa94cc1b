// RUN: pike-opt %s -split-input-file -verify-diagnostics

func.func @dynamic_row(%x: tensor<2x?xf32>) {
  // expected-error @+1 {{'pike.softmax' op needs a static last dimension to normalize over}}
  %y = pike.softmax %x : tensor<2x?xf32>
  return
}

// -----

func.func @scale_count(%x: tensor<2x4xf32>) {
  // expected-error @+1 {{'pike.layer_norm' op scale has 3 values; the row has 4}}
  %y = pike.layer_norm %x {scale = array<f64: 1.0, 1.0, 1.0>, bias = array<f64: 0.0>, epsilon = 1.0e-05 : f64} : tensor<2x4xf32>
  return
}

// -----

func.func @negative_epsilon(%x: tensor<2x4xf32>) {
  // expected-error @+1 {{'pike.layer_norm' op epsilon must be finite and non-negative, got -1}}
  %y = pike.layer_norm %x {scale = array<f64: 1.0>, bias = array<f64: 0.0>, epsilon = -1.0 : f64} : tensor<2x4xf32>
  return
}

// -----

func.func @wide_softmax(%x: tensor<2x4xi32>) {
  // expected-error @+1 {{'pike.integer_softmax' op needs an input of at most 16 bits, got i32}}
  %y = pike.integer_softmax %x {exp_table = array<i64: 4194304>, multiplier = 1073741824, shift = 52} : (tensor<2x4xi32>) -> tensor<2x4xi8>
  return
}

// -----

func.func @long_table(%x: tensor<2x4xi2>) {
  // expected-error @+1 {{'pike.integer_softmax' op exp_table needs 1 to 4 entries, got 5}}
  %y = pike.integer_softmax %x {exp_table = array<i64: 4194304, 4, 3, 2, 1>, multiplier = 1073741824, shift = 52} : (tensor<2x4xi2>) -> tensor<2x4xi8>
  return
}

// -----

func.func @large_entry(%x: tensor<2x4xi8>) {
  // expected-error @+1 {{'pike.integer_softmax' op exp_table entries must be in [0, 2^30], the first positive}}
  %y = pike.integer_softmax %x {exp_table = array<i64: 1073741825>, multiplier = 1073741824, shift = 52} : (tensor<2x4xi8>) -> tensor<2x4xi8>
  return
}

// -----

func.func @wide_multiplier(%x: tensor<2x4xi8>) {
  // expected-error @+1 {{'pike.integer_softmax' op multiplier must be in [1, 2^31), got 2147483648}}
  %y = pike.integer_softmax %x {exp_table = array<i64: 4194304>, multiplier = 2147483648, shift = 52} : (tensor<2x4xi8>) -> tensor<2x4xi8>
  return
}

// -----

func.func @zero_point(%x: tensor<2x4xi8>) {
  // expected-error @+1 {{'pike.integer_softmax' op output_zp}}
  %y = pike.integer_softmax %x {exp_table = array<i64: 4194304>, multiplier = 1073741824, shift = 52, output_zp = 300} : (tensor<2x4xi8>) -> tensor<2x4xi8>
  return
}

// -----

func.func @gamma_count(%x: tensor<2x4xi8>) {
  // expected-error @+1 {{'pike.integer_layer_norm' op gamma and beta need 4 values each, got 1 and 4}}
  %y = pike.integer_layer_norm %x {gamma = array<i64: 1>, beta = array<i64: 0, 0, 0, 0>, epsilon = 0, shift = 20} : (tensor<2x4xi8>) -> tensor<2x4xi8>
  return
}

// -----

func.func @large_gamma(%x: tensor<2x2xi8>) {
  // expected-error @+1 {{'pike.integer_layer_norm' op gamma entries must be below 2^30 in magnitude}}
  %y = pike.integer_layer_norm %x {gamma = array<i64: 1073741824, 1>, beta = array<i64: 0, 0>, epsilon = 0, shift = 20} : (tensor<2x2xi8>) -> tensor<2x2xi8>
  return
}

// -----

func.func @zero_shift(%x: tensor<2x2xi8>) {
  // expected-error @+1 {{'pike.integer_layer_norm' op shift must be in [1, 62], got 0}}
  %y = pike.integer_layer_norm %x {gamma = array<i64: 1, 1>, beta = array<i64: 0, 0>, epsilon = 0, shift = 0} : (tensor<2x2xi8>) -> tensor<2x2xi8>
  return
}

// -----

func.func @squares_overflow(%x: tensor<2x4096xi16>) {
  // expected-error @+1 {{could overflow the 64-bit sum of squares}}
  %y = pike.integer_layer_norm %x {gamma = array<i64: 1>, beta = array<i64: 0>, epsilon = 0, shift = 20} : (tensor<2x4096xi16>) -> tensor<2x4096xi16>
  return
}

// -----

func.func @most_negative_gamma(%x: tensor<2x2xi8>) {
  // expected-error @+1 {{'pike.integer_layer_norm' op gamma entries must be below 2^30 in magnitude}}
  %y = pike.integer_layer_norm %x {gamma = array<i64: -9223372036854775808, 1>, beta = array<i64: 0, 0>, epsilon = 0, shift = 20} : (tensor<2x2xi8>) -> tensor<2x2xi8>
  return
}

// -----

func.func @headroom_overflow(%x: tensor<2x64xi8>) {
  // expected-error @+1 {{epsilon 0 and headroom 20 with rows of 64 values could overflow the 64-bit sum of squares}}
  %y = pike.integer_layer_norm %x {gamma = array<i64: 1>, beta = array<i64: 0>, epsilon = 0, shift = 20, headroom = 20} : (tensor<2x64xi8>) -> tensor<2x64xi8>
  return
}

// -----

func.func @softmax_shift(%x: tensor<2x4xi8>) {
  // expected-error @+1 {{'pike.integer_softmax' op shift must be in [1, 62], got 63}}
  %y = pike.integer_softmax %x {exp_table = array<i64: 1073741824>, multiplier = 1073741824, shift = 63} : (tensor<2x4xi8>) -> tensor<2x4xi8>
  return
}

// -----

func.func @wide_result(%x: tensor<2x4xi8>) {
  // expected-error @+1 {{'pike.integer_softmax' op needs a result of at most 32 bits, got i64}}
  %y = pike.integer_softmax %x {exp_table = array<i64: 1073741824>, multiplier = 1073741824, shift = 52} : (tensor<2x4xi8>) -> tensor<2x4xi64>
  return
}

// -----

func.func @headroom_range(%x: tensor<2x2xi8>) {
  // expected-error @+1 {{'pike.integer_layer_norm' op headroom must be in [0, 31], got 32}}
  %y = pike.integer_layer_norm %x {gamma = array<i64: 1, 1>, beta = array<i64: 0, 0>, epsilon = 0, shift = 20, headroom = 32} : (tensor<2x2xi8>) -> tensor<2x2xi8>
  return
}

// -----

func.func @large_beta(%x: tensor<2x2xi8>) {
  // expected-error @+1 {{'pike.integer_layer_norm' op beta entries must be below 2^61 in magnitude}}
  %y = pike.integer_layer_norm %x {gamma = array<i64: 1, 1>, beta = array<i64: 2305843009213693952, 0>, epsilon = 0, shift = 20} : (tensor<2x2xi8>) -> tensor<2x2xi8>
  return
}

// -----

func.func @wide_norm_input(%x: tensor<2x2xi32>) {
  // expected-error @+1 {{'pike.integer_layer_norm' op needs an input of at most 16 bits, got i32}}
  %y = pike.integer_layer_norm %x {gamma = array<i64: 1, 1>, beta = array<i64: 0, 0>, epsilon = 0, shift = 20} : (tensor<2x2xi32>) -> tensor<2x2xi8>
  return
}

// -----

func.func @dynamic_gather(%t: tensor<4x2xi8>, %i: tensor<?xi64>) {
  // expected-error @+1 {{'pike.gather' op needs static shapes and a table of at least one row}}
  %y = pike.gather %t, %i : (tensor<4x2xi8>, tensor<?xi64>) -> tensor<?x2xi8>
  return
}

// -----

func.func @gather_shape(%t: tensor<4x2xi8>, %i: tensor<3xi64>) {
  // expected-error @+1 {{'pike.gather' op result shape must be the indices' followed by a row's}}
  %y = pike.gather %t, %i : (tensor<4x2xi8>, tensor<3xi64>) -> tensor<3x4xi8>
  return
}

// -----

func.func @mask_shape(%x: tensor<2x4xf32>, %keep: tensor<2x1xi1>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'pike.softmax' op mask shape 'tensor<2x1xi1>' differs from the input's 'tensor<2x4xf32>'}}
  %s = pike.softmax %x mask(%keep : tensor<2x1xi1>) : tensor<2x4xf32>
  return %s : tensor<2x4xf32>
}

// -----

func.func @integer_mask_shape(%q: tensor<2x4xi8>, %keep: tensor<4xi1>) -> tensor<2x4xi8> {
  // expected-error @+1 {{'pike.integer_softmax' op requires the same shape for all operands and results}}
  %s = pike.integer_softmax %q mask %keep {exp_table = array<i64: 4194304>, multiplier = 1073741824, shift = 52} : (tensor<2x4xi8>, tensor<4xi1>) -> tensor<2x4xi8>
  return %s : tensor<2x4xi8>
}

// -----

func.func @negative_headroom(%x: tensor<2x2xi8>) {
  // expected-error @+1 {{'pike.integer_layer_norm' op headroom must be in [0, 31], got -1}}
  %y = pike.integer_layer_norm %x {gamma = array<i64: 1, 1>, beta = array<i64: 0, 0>, epsilon = 0, shift = 20, headroom = -1} : (tensor<2x2xi8>) -> tensor<2x2xi8>
  return
}

// -----

func.func @negative_integer_epsilon(%x: tensor<2x2xi8>) {
  // expected-error @+1 {{'pike.integer_layer_norm' op epsilon must be non-negative, got -5}}
  %y = pike.integer_layer_norm %x {gamma = array<i64: 1, 1>, beta = array<i64: 0, 0>, epsilon = -5, shift = 20} : (tensor<2x2xi8>) -> tensor<2x2xi8>
  return
}

// -----

func.func @f32ln_row_not_multiple_of_8(%x: tensor<2x4xi8>) {
  // expected-error @+1 {{'pike.float32_layer_norm' op follows onnxruntime's vector kernel, which takes rows of a multiple of 8 values; got 4}}
  %y = pike.float32_layer_norm %x {gamma = array<f32: 1.0, 1.0, 1.0, 1.0>, beta = array<f32: 0.0, 0.0, 0.0, 0.0>, input_scale = 0.1 : f32, epsilon = 1.0e-05 : f32, output_scale = 0.1 : f32} : (tensor<2x4xi8>) -> tensor<2x4xi8>
  return
}

// -----

func.func @f32ln_wide_result(%x: tensor<2x8xi8>) {
  // expected-error @+1 {{'pike.float32_layer_norm' op needs an input and a result of at most 16 bits, got i8 and i32}}
  %y = pike.float32_layer_norm %x {gamma = array<f32: 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0>, beta = array<f32: 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0>, input_scale = 0.1 : f32, epsilon = 1.0e-05 : f32, output_scale = 0.1 : f32} : (tensor<2x8xi8>) -> tensor<2x8xi32>
  return
}

// -----

func.func @f32ln_short_gamma(%x: tensor<2x8xi8>) {
  // expected-error @+1 {{'pike.float32_layer_norm' op gamma and beta need 8 values each, got 1 and 8}}
  %y = pike.float32_layer_norm %x {gamma = array<f32: 1.0>, beta = array<f32: 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0>, input_scale = 0.1 : f32, epsilon = 1.0e-05 : f32, output_scale = 0.1 : f32} : (tensor<2x8xi8>) -> tensor<2x8xi8>
  return
}

// -----

func.func @f32ln_nan_beta(%x: tensor<2x8xi8>) {
  // expected-error @+1 {{'pike.float32_layer_norm' op gamma and beta must be finite}}
  %y = pike.float32_layer_norm %x {gamma = array<f32: 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0>, beta = array<f32: 0.0, 0.0, 0.0, 0x7FC00000, 0.0, 0.0, 0.0, 0.0>, input_scale = 0.1 : f32, epsilon = 1.0e-05 : f32, output_scale = 0.1 : f32} : (tensor<2x8xi8>) -> tensor<2x8xi8>
  return
}

// -----

func.func @f32ln_zero_scale(%x: tensor<2x8xi8>) {
  // expected-error @+1 {{'pike.float32_layer_norm' op input_scale must be positive and finite}}
  %y = pike.float32_layer_norm %x {gamma = array<f32: 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0>, beta = array<f32: 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0>, input_scale = 0.0 : f32, epsilon = 1.0e-05 : f32, output_scale = 0.1 : f32} : (tensor<2x8xi8>) -> tensor<2x8xi8>
  return
}

// -----

func.func @f32ln_negative_epsilon(%x: tensor<2x8xi8>) {
  // expected-error @+1 {{'pike.float32_layer_norm' op epsilon must be finite and non-negative, got -1}}
  %y = pike.float32_layer_norm %x {gamma = array<f32: 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0>, beta = array<f32: 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0>, input_scale = 0.1 : f32, epsilon = -1.0 : f32, output_scale = 0.1 : f32} : (tensor<2x8xi8>) -> tensor<2x8xi8>
  return
}

// -----

func.func @f32ln_zero_point(%x: tensor<2x8xi8>) {
  // expected-error @+1 {{'pike.float32_layer_norm' op input_zp (300) is outside [-128, 127], the range of signed 'i8'}}
  %y = pike.float32_layer_norm %x {gamma = array<f32: 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0>, beta = array<f32: 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0>, input_scale = 0.1 : f32, input_zp = 300, epsilon = 1.0e-05 : f32, output_scale = 0.1 : f32} : (tensor<2x8xi8>) -> tensor<2x8xi8>
  return
}

// -----

func.func @f32sm_wide(%x: tensor<2x4xi16>) {
  // expected-error @+1 {{'pike.float32_softmax' op follows onnxruntime's QLinearSoftmax, which takes 8-bit integers; got i16 to i8}}
  %y = pike.float32_softmax %x {exp_table = array<f32: 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0>, multiplier = 255.0 : f32} : (tensor<2x4xi16>) -> tensor<2x4xi8>
  return
}

// -----

func.func @f32sm_short_table(%x: tensor<2x4xi8>) {
  // expected-error @+1 {{'pike.float32_softmax' op exp_table needs 256 entries, got 2}}
  %y = pike.float32_softmax %x {exp_table = array<f32: 1.0, 0.5>, multiplier = 255.0 : f32} : (tensor<2x4xi8>) -> tensor<2x4xi8>
  return
}

// -----

func.func @f32sm_zero_first(%x: tensor<2x4xi8>) {
  // expected-error @+1 {{'pike.float32_softmax' op exp_table entries must be finite and non-negative, the first positive}}
  %y = pike.float32_softmax %x {exp_table = array<f32: 0.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0>, multiplier = 255.0 : f32} : (tensor<2x4xi8>) -> tensor<2x4xi8>
  return
}

// -----

func.func @f32sm_small_multiplier(%x: tensor<2x4xi8>) {
  // expected-error @+1 {{'pike.float32_softmax' op multiplier must be finite and at least 1, got 5.000000e-01}}
  %y = pike.float32_softmax %x {exp_table = array<f32: 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0>, multiplier = 0.5 : f32} : (tensor<2x4xi8>) -> tensor<2x4xi8>
  return
}

// -----

// i0 holds no values (and is no type for LLVM's arithmetic).
func.func @zero_width_result(%x: tensor<1x8xi8>) {
  // expected-error @+1 {{result #0 must be ranked tensor of signless integer of 1 to 64 bits values, but got 'tensor<1x8xi0>'}}
  %y = pike.float32_layer_norm %x {input_scale = 1.0 : f32, gamma = array<f32: 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0>, beta = array<f32: 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0>, epsilon = 1.0 : f32, output_scale = 1.0 : f32} : (tensor<1x8xi8>) -> tensor<1x8xi0>
  return
}

// -----

func.func @per_channel_variance(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  // expected-error @+1 {{'pike.layer_norm' op variance_quantizer must be per tensor}}
  %y = pike.layer_norm %x {scale = array<f64: 1.0>, bias = array<f64: 0.0>, epsilon = 1.0e-05 : f64, variance_quantizer = #pike.quantizer<u8, axis = 0, scales = [0.05, 0.05], zero_points = [0, 0]>} : tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}

// -----

func.func @stepwise_table_size(%q: tensor<2x8xi8>) -> tensor<2x8xi8> {
  // expected-error @+1 {{'pike.integer_stepwise_layer_norm' op needs one table entry per variance value (4), got 3}}
  %y = pike.integer_stepwise_layer_norm %q {variance_multiplier = 1, variance_shift = 40, variance_min = 0, variance_max = 3, multipliers = array<i64: 1, 2, 3>, shifts = array<i64: 20, 20, 20>, biases = array<i64: 0, 0, 0>} : (tensor<2x8xi8>) -> tensor<2x8xi8>
  return %y : tensor<2x8xi8>
}

// -----

func.func @stepwise_multiplier(%q: tensor<2x8xi8>) -> tensor<2x8xi8> {
  // expected-error @+1 {{'pike.integer_stepwise_layer_norm' op multipliers must be in [-1, 2^31)}}
  %y = pike.integer_stepwise_layer_norm %q {variance_multiplier = 1, variance_shift = 40, variance_min = 0, variance_max = 1, multipliers = array<i64: -2, 2>, shifts = array<i64: 20, 20>, biases = array<i64: 0, 0>} : (tensor<2x8xi8>) -> tensor<2x8xi8>
  return %y : tensor<2x8xi8>
}

// -----

func.func @stepwise_overflow(%q: tensor<2x70000xi16>) -> tensor<2x70000xi16> {
  // expected-error @+1 {{'pike.integer_stepwise_layer_norm' op rows of 70000 16-bit values could overflow the 64-bit sum of squares}}
  %y = pike.integer_stepwise_layer_norm %q {variance_multiplier = 1, variance_shift = 40, variance_min = 0, variance_max = 1, multipliers = array<i64: 1, 2>, shifts = array<i64: 20, 20>, biases = array<i64: 0, 0>} : (tensor<2x70000xi16>) -> tensor<2x70000xi16>
  return %y : tensor<2x70000xi16>
}

// -----

func.func @stepwise_variance_zp(%q: tensor<2x8xi8>) -> tensor<2x8xi8> {
  // expected-error @+1 {{'pike.float32_stepwise_layer_norm' op variance_zp 5 is outside [-2, 1]}}
  %y = pike.float32_stepwise_layer_norm %q {input_scale = 0.1 : f32, variance_scale = 0.05 : f32, variance_zp = 5, variance_min = -2, variance_max = 1, deviations = array<f32: 0.0, 1.0, 2.0, 3.0>, output_scale = 0.02 : f32} : (tensor<2x8xi8>) -> tensor<2x8xi8>
  return %y : tensor<2x8xi8>
}

// -----

func.func @stepwise_rows(%q: tensor<2x12xi8>) -> tensor<2x12xi8> {
  // expected-error @+1 {{'pike.float32_stepwise_layer_norm' op follows onnxruntime's ReduceMean, which takes rows of a multiple of 8 values; got 12}}
  %y = pike.float32_stepwise_layer_norm %q {input_scale = 0.1 : f32, variance_scale = 0.05 : f32, variance_min = 0, variance_max = 1, deviations = array<f32: 0.0, 1.0>, output_scale = 0.02 : f32} : (tensor<2x12xi8>) -> tensor<2x12xi8>
  return %y : tensor<2x12xi8>
}

// -----

func.func @stepwise_shifts(%q: tensor<2x8xi8>) -> tensor<2x8xi8> {
  // expected-error @+1 {{'pike.integer_stepwise_layer_norm' op needs as many shifts and biases as multipliers (2), got 1 and 2}}
  %y = pike.integer_stepwise_layer_norm %q {variance_multiplier = 1, variance_shift = 40, variance_min = 0, variance_max = 1, multipliers = array<i64: 1, 2>, shifts = array<i64: 20>, biases = array<i64: 0, 0>} : (tensor<2x8xi8>) -> tensor<2x8xi8>
  return %y : tensor<2x8xi8>
}

// -----

func.func @stepwise_variance_range(%q: tensor<2x8xi8>) -> tensor<2x8xi8> {
  // expected-error @+1 {{'pike.float32_stepwise_layer_norm' op variance_min and variance_max must span 1 to 65536 values of a 16-bit integer, got [-9223372036854775808, 9223372036854775807]}}
  %y = pike.float32_stepwise_layer_norm %q {input_scale = 0.1 : f32, variance_scale = 0.05 : f32, variance_min = -9223372036854775808, variance_max = 9223372036854775807, deviations = array<f32>, output_scale = 0.02 : f32} : (tensor<2x8xi8>) -> tensor<2x8xi8>
  return %y : tensor<2x8xi8>
}

// -----

func.func @epsilon_off_its_grid(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  // expected-error @+1 {{'pike.layer_norm' op epsilon 1.000000e-05 is not a value of epsilon_quantizer}}
  %y = pike.layer_norm %x {scale = array<f64: 1.0>, bias = array<f64: 0.0>, epsilon = 1.0e-05 : f64, epsilon_quantizer = #pike.quantizer<u8, scales = [3.0e-08]>, variance_quantizer = #pike.quantizer<u8, scales = [0.05]>} : tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}
