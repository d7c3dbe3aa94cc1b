// RUN: pike-opt %s | pike-opt | FileCheck %s

// CHECK-LABEL: func @classifier
// CHECK: pike.fully_connected %arg0, %arg1, %arg2 {input_unsigned} : (tensor<1x1024xi4>, tensor<1000x1024xi4>, tensor<1000xi32>) -> tensor<1x1000xi32>
func.func @classifier(%x: tensor<1x1024xi4>, %w: tensor<1000x1024xi4>, %b: tensor<1000xi32>) -> tensor<1x1000xi32> {
  %acc = pike.fully_connected %x, %w, %b {input_unsigned} : (tensor<1x1024xi4>, tensor<1000x1024xi4>, tensor<1000xi32>) -> tensor<1x1000xi32>
  return %acc : tensor<1x1000xi32>
}

// CHECK-LABEL: func @zero_points
// CHECK: pike.fully_connected %arg0, %arg1 {input_zp = -3 : i64, weight_zp = 1 : i64} : (tensor<4x16xi8>, tensor<8x16xi8>) -> tensor<4x8xi32>
func.func @zero_points(%x: tensor<4x16xi8>, %w: tensor<8x16xi8>) -> tensor<4x8xi32> {
  %acc = pike.fully_connected %x, %w {input_zp = -3, weight_zp = 1} : (tensor<4x16xi8>, tensor<8x16xi8>) -> tensor<4x8xi32>
  return %acc : tensor<4x8xi32>
}
