// RUN: pike-opt %s --convert-pike-to-linalg | FileCheck %s
// RUN: pike-opt %s --pike-lower-to-llvm -o /dev/null
// RUN: pike-opt %s --pike-cpu-pipeline -o /dev/null

// An op whose result has no elements computes nothing: it becomes an empty
// tensor (padding a zero-sized batch would build out-of-bounds slices).
// CHECK-LABEL: func.func @empty_batch
// CHECK: %[[E:.*]] = tensor.empty() : tensor<0x4x4x16xi32>
// CHECK-NOT: pike.conv2d
// CHECK: return %[[E]]
func.func @empty_batch(%x: tensor<0x4x4x16xi8>) -> tensor<0x4x4x16xi32> {
  %w = arith.constant dense<1> : tensor<16x3x3x1xi8>
  %acc = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, groups = 16 : i64}
      : (tensor<0x4x4x16xi8>, tensor<16x3x3x1xi8>) -> tensor<0x4x4x16xi32>
  return %acc : tensor<0x4x4x16xi32>
}

// CHECK-LABEL: func.func @no_filters
// CHECK: tensor.empty() : tensor<1x4x4x0xi32>
func.func @no_filters(%x: tensor<1x4x4x16xi8>) -> tensor<1x4x4x0xi32> {
  %w = arith.constant dense<1> : tensor<0x1x1x16xi8>
  %acc = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>}
      : (tensor<1x4x4x16xi8>, tensor<0x1x1x16xi8>) -> tensor<1x4x4x0xi32>
  return %acc : tensor<1x4x4x0xi32>
}
