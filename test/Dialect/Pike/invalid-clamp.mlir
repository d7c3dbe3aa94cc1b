// RUN: pike-opt %s -split-input-file -verify-diagnostics

func.func @real_with_int_bounds(%x: tensor<4xf32>) {
  // expected-error @+1 {{'pike.clamp' op bounds of a real clamp must be f64 attributes}}
  %y = pike.clamp %x {min = 0 : i64, max = 6 : i64} : tensor<4xf32>
  return
}

// -----

func.func @real_unsigned(%x: tensor<4xf32>) {
  // expected-error @+1 {{'pike.clamp' op input_unsigned applies to integer tensors only}}
  %y = pike.clamp %x {min = 0.0 : f64, max = 6.0 : f64, input_unsigned} : tensor<4xf32>
  return
}

// -----

func.func @nan_bound(%x: tensor<4xf32>) {
  // expected-error @+1 {{'pike.clamp' op clamp bounds must not be NaN}}
  %y = pike.clamp %x {min = 0.0 : f64, max = 0x7FF8000000000000 : f64} : tensor<4xf32>
  return
}

// -----

func.func @real_min_above_max(%x: tensor<4xf32>) {
  // expected-error @+1 {{'pike.clamp' op min (6.000000e+00) exceeds max (0.000000e+00)}}
  %y = pike.clamp %x {min = 6.0 : f64, max = 0.0 : f64} : tensor<4xf32>
  return
}

// -----

func.func @int_with_real_bounds(%x: tensor<4xi8>) {
  // expected-error @+1 {{'pike.clamp' op bounds of an integer clamp must be i64 attributes}}
  %y = pike.clamp %x {min = 0.0 : f64, max = 6.0 : f64} : tensor<4xi8>
  return
}

// -----

func.func @int_out_of_range(%x: tensor<4xi4>) {
  // expected-error @+1 {{'pike.clamp' op max (15) is outside [-8, 7], the range of signed 'i4'}}
  %y = pike.clamp %x {min = 0 : i64, max = 15 : i64} : tensor<4xi4>
  return
}

// -----

func.func @int_min_above_max(%x: tensor<4xi8>) {
  // expected-error @+1 {{'pike.clamp' op min (5) exceeds max (1)}}
  %y = pike.clamp %x {min = 5 : i64, max = 1 : i64} : tensor<4xi8>
  return
}

// -----

func.func @bound_type(%x: tensor<4xi8>) {
  // expected-error @+1 {{'pike.clamp' op attribute 'min' failed to satisfy constraint}}
  %y = pike.clamp %x {min = 5 : i32, max = 1 : i64} : tensor<4xi8>
  return
}
