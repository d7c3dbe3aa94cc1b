// RUN: pike-opt %s | pike-opt | FileCheck %s

// CHECK-LABEL: func @bn
// CHECK: pike.batch_norm %arg0, %arg1, %arg2, %arg3, %arg4 {epsilon = 1.000000e-03 : f64}
func.func @bn(%x: tensor<1x4x4x8xf32>, %g: tensor<8xf32>, %b: tensor<8xf32>, %m: tensor<8xf32>, %v: tensor<8xf32>) -> tensor<1x4x4x8xf32> {
  %y = pike.batch_norm %x, %g, %b, %m, %v {epsilon = 1.0e-3 : f64} : (tensor<1x4x4x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x4x4x8xf32>
  return %y : tensor<1x4x4x8xf32>
}

// The default epsilon (1e-5) is elided; the op works on [N, C] too.
// CHECK-LABEL: func @bn_default_epsilon
// CHECK: pike.batch_norm %arg0, %arg1, %arg2, %arg3, %arg4 :
func.func @bn_default_epsilon(%x: tensor<2x8xf32>, %g: tensor<8xf32>, %b: tensor<8xf32>, %m: tensor<8xf32>, %v: tensor<8xf32>) -> tensor<2x8xf32> {
  %y = pike.batch_norm %x, %g, %b, %m, %v : (tensor<2x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}
