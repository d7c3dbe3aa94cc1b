// RUN: pike-opt %s | pike-opt | FileCheck %s

// CHECK-LABEL: func @same_batch
// CHECK: pike.batch_matmul %arg0, %arg1 {lhs_unsigned, lhs_zp = 113 : i64, rhs_unsigned, rhs_zp = 114 : i64} : (tensor<2x2x4xi8>, tensor<2x4x3xi8>) -> tensor<2x2x3xi32>
func.func @same_batch(%a: tensor<2x2x4xi8>, %b: tensor<2x4x3xi8>) -> tensor<2x2x3xi32> {
  %acc = pike.batch_matmul %a, %b {lhs_unsigned, lhs_zp = 113, rhs_unsigned, rhs_zp = 114} : (tensor<2x2x4xi8>, tensor<2x4x3xi8>) -> tensor<2x2x3xi32>
  return %acc : tensor<2x2x3xi32>
}

// A 2-D rhs broadcasts over the batch; [2, 1] against [3] broadcasts to [2, 3].
// CHECK-LABEL: func @broadcast
// CHECK: pike.batch_matmul %arg0, %arg1 : (tensor<2x3x4x5xi8>, tensor<5x6xi4>) -> tensor<2x3x4x6xi32>
// CHECK: pike.batch_matmul %arg2, %arg3 : (tensor<2x1x4x5xi8>, tensor<3x5x6xi8>) -> tensor<2x3x4x6xi32>
func.func @broadcast(%a: tensor<2x3x4x5xi8>, %b: tensor<5x6xi4>, %c: tensor<2x1x4x5xi8>, %d: tensor<3x5x6xi8>)
    -> (tensor<2x3x4x6xi32>, tensor<2x3x4x6xi32>) {
  %x = pike.batch_matmul %a, %b : (tensor<2x3x4x5xi8>, tensor<5x6xi4>) -> tensor<2x3x4x6xi32>
  %y = pike.batch_matmul %c, %d : (tensor<2x1x4x5xi8>, tensor<3x5x6xi8>) -> tensor<2x3x4x6xi32>
  return %x, %y : tensor<2x3x4x6xi32>, tensor<2x3x4x6xi32>
}

// Unknown sizes are checked once known.
// CHECK-LABEL: func @dynamic
// CHECK: pike.batch_matmul %arg0, %arg1 : (tensor<?x4x5xi8>, tensor<?x5x6xi8>) -> tensor<?x4x6xi32>
func.func @dynamic(%a: tensor<?x4x5xi8>, %b: tensor<?x5x6xi8>) -> tensor<?x4x6xi32> {
  %acc = pike.batch_matmul %a, %b : (tensor<?x4x5xi8>, tensor<?x5x6xi8>) -> tensor<?x4x6xi32>
  return %acc : tensor<?x4x6xi32>
}
