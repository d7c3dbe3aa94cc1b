// RUN: pike-opt %s -split-input-file --convert-onnx-to-pike | FileCheck %s

// ShuffleNet's x.chunk(2, dim=1): two Slices of channels of a dequantized
// activation take the integers in the model's (NCHW) order, channels [0, 2)
// and [2, 4), and stay on their grid, so the pooling after each is integer.

// CHECK-LABEL: func.func @main
// CHECK: %[[Q:.*]] = pike.quantize %{{.*}} -> tensor<1x2x2x4xi8>
// CHECK: %[[NCHW:.*]] = linalg.transpose ins(%[[Q]] : tensor<1x2x2x4xi8>) {{.*}} permutation = [0, 3, 1, 2]
// CHECK: %[[A:.*]] = tensor.extract_slice %[[NCHW]][0, 0, 0, 0] [1, 2, 2, 2] [1, 1, 1, 1] : tensor<1x4x2x2xi8> to tensor<1x2x2x2xi8>
// CHECK: %[[B:.*]] = tensor.extract_slice %{{.*}}[0, 2, 0, 0] [1, 2, 2, 2] [1, 1, 1, 1] : tensor<1x4x2x2xi8> to tensor<1x2x2x2xi8>
// CHECK: pike.max_pool2d
// CHECK: pike.max_pool2d
func.func @main(%x: tensor<1x4x2x2xf32> {pike_onnx.name = "x"}) -> (tensor<1x2x1x1xf32> {pike_onnx.name = "y0"}, tensor<1x2x1x1xf32> {pike_onnx.name = "y1"}) {
  %s = pike_onnx.constant "s" = dense<0.5> : tensor<f32>
  %z = pike_onnx.constant "z" = dense<0> : tensor<si8>
  %c0 = pike_onnx.constant "c0" = dense<[0]> : tensor<1xsi64>
  %c2 = pike_onnx.constant "c2" = dense<[2]> : tensor<1xsi64>
  %end = pike_onnx.constant "end" = dense<[9223372036854775807]> : tensor<1xsi64>
  %axis = pike_onnx.constant "axis" = dense<[1]> : tensor<1xsi64>
  %q = pike_onnx.node "QuantizeLinear"(%x, %s, %z) {node_name = "q"} : (tensor<1x4x2x2xf32>, tensor<f32>, tensor<si8>) -> none
  %d = pike_onnx.node "DequantizeLinear"(%q, %s, %z) {node_name = "d"} : (none, tensor<f32>, tensor<si8>) -> none
  %a = pike_onnx.node "Slice"(%d, %c0, %c2, %axis) {node_name = "first"} : (none, tensor<1xsi64>, tensor<1xsi64>, tensor<1xsi64>) -> none
  %b = pike_onnx.node "Slice"(%d, %c2, %end, %axis) {node_name = "second"} : (none, tensor<1xsi64>, tensor<1xsi64>, tensor<1xsi64>) -> none
  %y0 = pike_onnx.node "MaxPool"(%a) {node_name = "pool0", node_attributes = {kernel_shape = array<i64: 2, 2>}} : (none) -> tensor<1x2x1x1xf32>
  %y1 = pike_onnx.node "MaxPool"(%b) {node_name = "pool1", node_attributes = {kernel_shape = array<i64: 2, 2>}} : (none) -> tensor<1x2x1x1xf32>
  return %y0, %y1 : tensor<1x2x1x1xf32>, tensor<1x2x1x1xf32>
}

// -----

// Negative bounds count from the end, steps stride, and axes may be
// negative: rows -3 to the end by 2 (rows 1 and 3 of 4), columns [0, 3)
// by 2 (0 and 2). A constant is sliced at import: rows and columns 1 and 3
// of 0..15 in a 4x4 are [[5, 7], [13, 15]].

// CHECK-LABEL: func.func @main
// CHECK: tensor.extract_slice %{{.*}}[0, 0, 1, 0] [1, 3, 2, 2] [1, 1, 2, 2] : tensor<1x3x4x4xi8> to tensor<1x3x2x2xi8>
// CHECK: arith.constant dense<{{\[}}[5.000000e+00, 7.000000e+00], [1.300000e+01, 1.500000e+01]]> : tensor<2x2xf32>
func.func @main(%x: tensor<1x3x4x4xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}, tensor<2x2xf32> {pike_onnx.name = "c"}) {
  %s = pike_onnx.constant "s" = dense<0.5> : tensor<f32>
  %z = pike_onnx.constant "z" = dense<0> : tensor<si8>
  %starts = pike_onnx.constant "starts" = dense<[-3, 0]> : tensor<2xsi64>
  %ends = pike_onnx.constant "ends" = dense<[100, 3]> : tensor<2xsi64>
  %axes = pike_onnx.constant "axes" = dense<[-2, 3]> : tensor<2xsi64>
  %steps = pike_onnx.constant "steps" = dense<[2, 2]> : tensor<2xsi64>
  %cstarts = pike_onnx.constant "cstarts" = dense<[1, 1]> : tensor<2xsi64>
  %cends = pike_onnx.constant "cends" = dense<[4, 4]> : tensor<2xsi64>
  %caxes = pike_onnx.constant "caxes" = dense<[0, 1]> : tensor<2xsi64>
  %table = pike_onnx.constant "table" = dense<[[0.0, 1.0, 2.0, 3.0], [4.0, 5.0, 6.0, 7.0], [8.0, 9.0, 10.0, 11.0], [12.0, 13.0, 14.0, 15.0]]> : tensor<4x4xf32>
  %q = pike_onnx.node "QuantizeLinear"(%x, %s, %z) {node_name = "q"} : (tensor<1x3x4x4xf32>, tensor<f32>, tensor<si8>) -> none
  %d = pike_onnx.node "DequantizeLinear"(%q, %s, %z) {node_name = "d"} : (none, tensor<f32>, tensor<si8>) -> none
  %y = pike_onnx.node "Slice"(%d, %starts, %ends, %axes, %steps) {node_name = "strided"} : (none, tensor<2xsi64>, tensor<2xsi64>, tensor<2xsi64>, tensor<2xsi64>) -> none
  %c = pike_onnx.node "Slice"(%table, %cstarts, %cends, %caxes, %steps) {node_name = "host"} : (tensor<4x4xf32>, tensor<2xsi64>, tensor<2xsi64>, tensor<2xsi64>, tensor<2xsi64>) -> tensor<2x2xf32>
  return %y, %c : none, tensor<2x2xf32>
}
