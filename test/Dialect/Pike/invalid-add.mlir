// RUN: pike-opt %s -split-input-file -verify-diagnostics

#s15 = #pike.fixed_point<bits = 16, multipliers = [16384], shifts = [15]>

func.func @mixed(%a: tensor<4xf32>, %b: tensor<4xi8>) {
  // expected-error @+1 {{'pike.add' op operands and result must be all real or all integer}}
  %s = pike.add %a, %b : (tensor<4xf32>, tensor<4xi8>) -> tensor<4xf32>
  return
}

// -----

func.func @real_types(%a: tensor<4xf32>, %b: tensor<4xf16>) {
  // expected-error @+1 {{'pike.add' op real operands and result must have one element type}}
  %s = pike.add %a, %b : (tensor<4xf32>, tensor<4xf16>) -> tensor<4xf32>
  return
}

// -----

func.func @real_with_zp(%a: tensor<4xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{'pike.add' op scales, zero points and signedness apply to integer additions only}}
  %s = pike.add %a, %b {lhs_zp = 1} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @missing_scale(%a: tensor<4xi8>, %b: tensor<4xi8>) {
  // expected-error @+1 {{'pike.add' op integer addition needs lhs_scale and rhs_scale}}
  %s = pike.add %a, %b {lhs_scale = #pike.fixed_point<bits = 16, multipliers = [16384], shifts = [15]>} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  return
}

// -----

func.func @per_channel(%a: tensor<2xi8>, %b: tensor<2xi8>) {
  // expected-error @+1 {{'pike.add' op rhs_scale must be per tensor (one multiplier and one shift)}}
  %s = pike.add %a, %b {lhs_scale = #pike.fixed_point<bits = 16, multipliers = [16384], shifts = [15]>, rhs_scale = #pike.fixed_point<bits = 16, multipliers = [1, 2], shifts = [15]>} : (tensor<2xi8>, tensor<2xi8>) -> tensor<2xi8>
  return
}

// -----

func.func @shifts_differ(%a: tensor<4xi8>, %b: tensor<4xi8>) {
  // expected-error @+1 {{'pike.add' op lhs_scale and rhs_scale must share one shift (got 15 and 16) so the sum is rounded once}}
  %s = pike.add %a, %b {lhs_scale = #pike.fixed_point<bits = 16, multipliers = [16384], shifts = [15]>, rhs_scale = #pike.fixed_point<bits = 16, multipliers = [16384], shifts = [16]>} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  return
}

// -----

func.func @rounding_differs(%a: tensor<4xi8>, %b: tensor<4xi8>) {
  // expected-error @+1 {{'pike.add' op lhs_scale and rhs_scale must share one rounding mode}}
  %s = pike.add %a, %b {lhs_scale = #pike.fixed_point<bits = 32, multipliers = [16384], shifts = [35]>, rhs_scale = #pike.fixed_point<bits = 32, multipliers = [16384], shifts = [35], rounding = double>} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  return
}

// -----

func.func @zero_point(%a: tensor<4xi8>, %b: tensor<4xi8>) {
  // expected-error @+1 {{'pike.add' op rhs_zp (300) is outside [-128, 127], the range of signed 'i8'}}
  %s = pike.add %a, %b {lhs_scale = #pike.fixed_point<bits = 16, multipliers = [16384], shifts = [15]>, rhs_scale = #pike.fixed_point<bits = 16, multipliers = [16384], shifts = [15]>, rhs_zp = 300} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  return
}

// -----

func.func @overflow(%a: tensor<4xi32>, %b: tensor<4xi32>) {
  // Two i32 operands times full 32-bit multipliers can pass 2^63.
  // expected-error @+1 {{'pike.add' op the 64-bit requantization intermediate may overflow}}
  %s = pike.add %a, %b {lhs_scale = #pike.fixed_point<bits = 32, multipliers = [2147483647], shifts = [40]>, rhs_scale = #pike.fixed_point<bits = 32, multipliers = [2147483647], shifts = [40]>} : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi8>
  return
}

// -----

func.func @float32_wide_operand(%a: tensor<4xi32>, %b: tensor<4xi8>) {
  // onnxruntime's QLinearAdd in float32: an i32 operand is not exact there.
  // expected-error @+1 {{'pike.add' op a float32 addition takes operands and a result of at most 16 bits (exact in float32), got 'i32'}}
  %s = pike.add %a, %b {lhs_scale = #pike.fixed_point<bits = 16, multipliers = [16384], shifts = [15], rounding = float32>, rhs_scale = #pike.fixed_point<bits = 16, multipliers = [16384], shifts = [15], rounding = float32>} : (tensor<4xi32>, tensor<4xi8>) -> tensor<4xi8>
  return
}

// -----

func.func @float32_multiplier(%a: tensor<4xi8>, %b: tensor<4xi8>) {
  // A float32 scale is a positive float.
  // expected-error @+1 {{'pike.add' op rhs_scale's float32 multiplier must be positive, got 0}}
  %s = pike.add %a, %b {lhs_scale = #pike.fixed_point<bits = 25, multipliers = [16384], shifts = [15], rounding = float32>, rhs_scale = #pike.fixed_point<bits = 25, multipliers = [0], shifts = [30], rounding = float32>} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  return
}

// -----

func.func @float32_and_fixed(%a: tensor<4xi8>, %b: tensor<4xi8>) {
  // expected-error @+1 {{'pike.add' op lhs_scale and rhs_scale must share one rounding mode}}
  %s = pike.add %a, %b {lhs_scale = #pike.fixed_point<bits = 25, multipliers = [16384], shifts = [15], rounding = float32>, rhs_scale = #pike.fixed_point<bits = 16, multipliers = [16384], shifts = [15]>} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  return
}
