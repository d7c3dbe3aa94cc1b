// RUN: pike-opt %s -split-input-file --convert-onnx-to-pike | FileCheck %s

// Reshape and Transpose of a dequantized activation rearrange its integers
// in the model's (NCHW) order: back from NHWC first, then tensor.reshape to
// [1, 2, 2, 2, 2] and linalg.transpose by the node's perm; the result is a
// plain tensor of the model's order, brought to NHWC again for the pooling.

// CHECK-LABEL: func.func @main
// CHECK: %[[Q:.*]] = pike.quantize %{{.*}} -> tensor<1x2x2x4xi8>
// CHECK: %[[NCHW:.*]] = linalg.transpose ins(%[[Q]] : tensor<1x2x2x4xi8>) {{.*}} permutation = [0, 3, 1, 2]
// CHECK: %[[R:.*]] = tensor.reshape %[[NCHW]](%{{.*}}) : (tensor<1x4x2x2xi8>, tensor<5xi64>) -> tensor<1x2x2x2x2xi8>
// CHECK: %[[T:.*]] = linalg.transpose ins(%[[R]] : tensor<1x2x2x2x2xi8>) {{.*}} permutation = [0, 2, 1, 3, 4]
// CHECK: %[[M:.*]] = tensor.reshape %[[T]](%{{.*}}) : (tensor<1x2x2x2x2xi8>, tensor<4xi64>) -> tensor<1x4x2x2xi8>
// CHECK: %[[NHWC:.*]] = linalg.transpose ins(%[[M]] : tensor<1x4x2x2xi8>) {{.*}} permutation = [0, 2, 3, 1]
// CHECK: %[[D:.*]] = pike.dequantize %[[NHWC]]
// CHECK: pike.max_pool2d %[[D]]
func.func @main(%x: tensor<1x4x2x2xf32> {pike_onnx.name = "x"}) -> (tensor<1x4x1x1xf32> {pike_onnx.name = "y"}) {
  %s = pike_onnx.constant "s" = dense<0.5> : tensor<f32>
  %z = pike_onnx.constant "z" = dense<0> : tensor<si8>
  %split = pike_onnx.constant "split" = dense<[1, 2, 2, 2, 2]> : tensor<5xsi64>
  %merged = pike_onnx.constant "merged" = dense<[1, 4, 2, 2]> : tensor<4xsi64>
  %q = pike_onnx.node "QuantizeLinear"(%x, %s, %z) {node_name = "q"} : (tensor<1x4x2x2xf32>, tensor<f32>, tensor<si8>) -> none
  %d = pike_onnx.node "DequantizeLinear"(%q, %s, %z) {node_name = "d"} : (none, tensor<f32>, tensor<si8>) -> none
  %r = pike_onnx.node "Reshape"(%d, %split) {node_name = "split"} : (none, tensor<5xsi64>) -> none
  %t = pike_onnx.node "Transpose"(%r) {node_name = "shuffle", node_attributes = {perm = array<i64: 0, 2, 1, 3, 4>}} : (none) -> none
  %m = pike_onnx.node "Reshape"(%t, %merged) {node_name = "merge"} : (none, tensor<4xsi64>) -> none
  %y = pike_onnx.node "MaxPool"(%m) {node_name = "pool", node_attributes = {kernel_shape = array<i64: 2, 2>}} : (none) -> tensor<1x4x1x1xf32>
  return %y : tensor<1x4x1x1xf32>
}

// -----

// A scalar is its own transpose.
// CHECK-LABEL: func.func @main
// CHECK-NOT: linalg.transpose
// CHECK: return %arg0 : tensor<f32>
func.func @main(%x: tensor<f32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
  %y = pike_onnx.node "Transpose"(%x) {node_name = "t"} : (tensor<f32>) -> none
  return %y : none
}
