// RUN: pike-opt %s --split-input-file --convert-pike-to-linalg --verify-diagnostics | FileCheck %s

// Elementwise ops lower with dynamic shapes: the result's sizes come from the input.
// CHECK-LABEL: func @quantize_dynamic
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK: %[[D0:.*]] = tensor.dim %arg0, %[[C0]] : tensor<?x4xf32>
// CHECK: tensor.empty(%[[D0]]) : tensor<?x4xi8>
// CHECK: linalg.generic
func.func @quantize_dynamic(%x: tensor<?x4xf32>) -> tensor<?x4xi8> {
  %q = pike.quantize %x {quantizer = #pike.quantizer<s8, scales = [0.1]>} : tensor<?x4xf32> -> tensor<?x4xi8>
  return %q : tensor<?x4xi8>
}

// -----

func.func @conv_dynamic(%x: tensor<?x4x4x2xi8>, %w: tensor<2x1x1x2xi8>) -> tensor<?x4x4x2xi32> {
  // expected-error @+1 {{'pike.conv2d' op convert-pike-to-linalg needs static shapes here, got 'tensor<?x4x4x2xi8>'}}
  %a = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>} : (tensor<?x4x4x2xi8>, tensor<2x1x1x2xi8>) -> tensor<?x4x4x2xi32>
  return %a : tensor<?x4x4x2xi32>
}
