// RUN: pike-opt %s --split-input-file --pike-narrow-accumulators | FileCheck %s
// RUN: pike-opt %s --split-input-file --pike-narrow-accumulators="widths=32" | FileCheck %s --check-prefix=WIDE
// RUN: not pike-opt %s --pike-narrow-accumulators="widths=1" 2>&1 | FileCheck %s --check-prefix=BAD
// BAD: pike-narrow-accumulators: width 1 is outside [2, 64]

// The weights bound the sum to [-8192, 8128] + bias: i16, bias retyped.
// CHECK-LABEL: func @by_the_weights
// CHECK: %[[B:.*]] = arith.constant dense<[100, -100]> : tensor<2xi16>
// CHECK: pike.fully_connected %arg0, %{{.*}}, %[[B]] : (tensor<1x64xi8>, tensor<2x64xi4>, tensor<2xi16>) -> tensor<1x2xi16>
// CHECK: pike.requantize {{.*}} : tensor<1x2xi16> -> tensor<1x2xi8>
// WIDE-LABEL: func @by_the_weights
// WIDE: -> tensor<1x2xi32>
func.func @by_the_weights(%x: tensor<1x64xi8>) -> tensor<1x2xi8> {
  %w = arith.constant dense<1> : tensor<2x64xi4>
  %b = arith.constant dense<[100, -100]> : tensor<2xi32>
  %a = pike.fully_connected %x, %w, %b : (tensor<1x64xi8>, tensor<2x64xi4>, tensor<2xi32>) -> tensor<1x2xi32>
  %y = pike.requantize %a {multiplier = #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [38]>} : tensor<1x2xi32> -> tensor<1x2xi8>
  return %y : tensor<1x2xi8>
}

// -----

// Weights of 7, K = 64: 64 * 7 * 128 = 57344 needs 17 bits: stays i32.
// CHECK-LABEL: func @too_wide
// CHECK: -> tensor<1x2xi32>
func.func @too_wide(%x: tensor<1x64xi8>) -> tensor<1x2xi8> {
  %w = arith.constant dense<7> : tensor<2x64xi4>
  %a = pike.fully_connected %x, %w : (tensor<1x64xi8>, tensor<2x64xi4>) -> tensor<1x2xi32>
  %y = pike.requantize %a {multiplier = #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [38]>} : tensor<1x2xi32> -> tensor<1x2xi8>
  return %y : tensor<1x2xi8>
}

// -----

// A user that needs the i32 accumulator (here the function result) keeps it.
// CHECK-LABEL: func @returned
// CHECK: -> tensor<1x2xi32>
func.func @returned(%x: tensor<1x64xi8>) -> tensor<1x2xi32> {
  %w = arith.constant dense<1> : tensor<2x64xi4>
  %a = pike.fully_connected %x, %w : (tensor<1x64xi8>, tensor<2x64xi4>) -> tensor<1x2xi32>
  return %a : tensor<1x2xi32>
}

// -----

// The worst case suffices without constant weights: u4 x s4, K = 9 -> [-1080, 945].
// CHECK-LABEL: func @worst_case
// CHECK: -> tensor<1x4x4x8xi16>
// CHECK: pike.quant_norm {{.*}} : tensor<1x4x4x8xi16> -> tensor<1x4x4x8xi4>
func.func @worst_case(%x: tensor<1x4x4x8xi4>, %w: tensor<8x3x3x1xi4>) -> tensor<1x4x4x8xi4> {
  %a = pike.conv2d %x, %w {groups = 8 : i64, input_unsigned, padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x4x4x8xi4>, tensor<8x3x3x1xi4>) -> tensor<1x4x4x8xi32>
  %q = pike.quant_norm %a {multiplier = #pike.fixed_point<bits = 8, multipliers = [97], shifts = [14]>, output_unsigned} : tensor<1x4x4x8xi32> -> tensor<1x4x4x8xi4>
  return %q : tensor<1x4x4x8xi4>
}
