// RUN: pike-opt %s -split-input-file -verify-diagnostics

func.func @no_scale(%a: tensor<4xi8>, %b: tensor<4xi8>) {
  // expected-error @+1 {{'pike.mul' op an integer product needs a scale}}
  %y = pike.mul %a, %b : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  return
}

// -----

func.func @real_with_scale(%a: tensor<4xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{'pike.mul' op a scale, zero points and signedness apply to integer products only}}
  %y = pike.mul %a, %b {lhs_zp = 1 : i64} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @mixed(%a: tensor<4xf32>, %b: tensor<4xi8>) {
  // expected-error @+1 {{'pike.mul' op operands and result must be all real or all integer}}
  %y = pike.mul %a, %b : (tensor<4xf32>, tensor<4xi8>) -> tensor<4xf32>
  return
}

// -----

func.func @per_channel(%a: tensor<4xi8>, %b: tensor<4xi8>) {
  // expected-error @+1 {{'pike.mul' op scale must be per tensor (one multiplier and one shift)}}
  %y = pike.mul %a, %b {scale = #pike.fixed_point<bits = 8, multipliers = [64, 65], shifts = [7, 7]>} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  return
}

// -----

// Two 32-bit operands times a 32-bit multiplier can leave int64.
func.func @overflow(%a: tensor<4xi32>, %b: tensor<4xi32>) {
  // expected-error @+1 {{'pike.mul' op the 64-bit requantization intermediate may overflow}}
  %y = pike.mul %a, %b {scale = #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [40]>} : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi8>
  return
}
