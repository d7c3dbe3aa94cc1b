// RUN: pike-opt %s --split-input-file -verify-diagnostics | FileCheck %s

// The accumulator check is exact for constant weights: a layer that fits
// only thanks to its weights (the l1 bound) verifies; one step past the
// bound does not, naming the channel. x is i8: [-128, 127].

// All-ones i4 weights, K = 64: the worst case over all i4 weights reaches
// 64 * 128 * 8 = 65536 (17 bits), but these weights give [-8192, 8128].
// CHECK-LABEL: func @l1_fits
func.func @l1_fits(%x: tensor<1x64xi8>) -> tensor<1x2xi16> {
  %w = arith.constant dense<1> : tensor<2x64xi4>
  %a = pike.fully_connected %x, %w : (tensor<1x64xi8>, tensor<2x64xi4>) -> tensor<1x2xi16>
  return %a : tensor<1x2xi16>
}

// -----

// Weights of 4: 64 * 4 * [-128, 127] = [-32768, 32512], exactly i16.
// CHECK-LABEL: func @at_the_bound
func.func @at_the_bound(%x: tensor<1x64xi8>) -> tensor<1x2xi16> {
  %w = arith.constant dense<4> : tensor<2x64xi4>
  %a = pike.fully_connected %x, %w : (tensor<1x64xi8>, tensor<2x64xi4>) -> tensor<1x2xi16>
  return %a : tensor<1x2xi16>
}

// -----

// Weights of -4 in channel 1: 64 * -4 * -128 = 32768, one past i16.
func.func @one_past(%x: tensor<1x64xi8>) -> tensor<1x2xi16> {
  %w = arith.constant dense<[[1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], [-4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4]]> : tensor<2x64xi4>
  // expected-error @+1 {{accumulator type 'i16' may overflow in output channel 1: with its constant weights the sum of 64 products reaches 32768, which needs 17 bits}}
  %a = pike.fully_connected %x, %w : (tensor<1x64xi8>, tensor<2x64xi4>) -> tensor<1x2xi16>
  return %a : tensor<1x2xi16>
}

// -----

// The bias counts per channel: 8128 + 24639 = 32767 fits, + 24640 does not.
// CHECK-LABEL: func @bias_at_the_bound
func.func @bias_at_the_bound(%x: tensor<1x64xi8>) -> tensor<1x2xi16> {
  %w = arith.constant dense<1> : tensor<2x64xi4>
  %b = arith.constant dense<[24639, -24576]> : tensor<2xi16>
  %a = pike.fully_connected %x, %w, %b : (tensor<1x64xi8>, tensor<2x64xi4>, tensor<2xi16>) -> tensor<1x2xi16>
  return %a : tensor<1x2xi16>
}

// -----

func.func @bias_one_past(%x: tensor<1x64xi8>) -> tensor<1x2xi16> {
  %w = arith.constant dense<1> : tensor<2x64xi4>
  %b = arith.constant dense<[0, 24640]> : tensor<2xi16>
  // expected-error @+1 {{accumulator type 'i16' may overflow in output channel 1: with its constant weights the sum of 64 products and the bias reaches 32768, which needs 17 bits}}
  %a = pike.fully_connected %x, %w, %b : (tensor<1x64xi8>, tensor<2x64xi4>, tensor<2xi16>) -> tensor<1x2xi16>
  return %a : tensor<1x2xi16>
}

// -----

// The same for convolutions (OHWI weights, one channel per output): a 3x3
// depthwise i8 x i4 layer of weights in [-1, 1] holds in i12 (9 * 128 = 1152).
// CHECK-LABEL: func @depthwise_l1
func.func @depthwise_l1(%x: tensor<1x6x6x2xi8>) -> tensor<1x4x4x2xi12> {
  %w = arith.constant dense<[[[[1], [-1], [1]], [[0], [1], [-1]], [[1], [1], [1]]], [[[-1], [-1], [-1]], [[-1], [-1], [-1]], [[-1], [-1], [-1]]]]> : tensor<2x3x3x1xi4>
  %a = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, groups = 2} : (tensor<1x6x6x2xi8>, tensor<2x3x3x1xi4>) -> tensor<1x4x4x2xi12>
  return %a : tensor<1x4x4x2xi12>
}
