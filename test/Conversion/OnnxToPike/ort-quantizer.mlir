// RUN: pike-opt %s -split-input-file --convert-onnx-to-pike | FileCheck %s

// What onnxruntime's quantize_static writes in the QOperator format with
// per_channel: a QGemm whose B has one scale per output column. With transB
// B is [N, K], so its scales lie along axis 0; the product's scales are
// a_scale * b_scale[n] = 0.5 * [0.25, 0.5, 1] and the int32 bias is in those
// units: [4, -2, 1] * [0.125, 0.25, 0.5] = [0.5, -0.5, 0.5].
// CHECK-LABEL: func.func @main
// CHECK: pike.fully_connected
// CHECK: pike.scale %{{.*}} {bias = array<f64: 5.000000e-01, -5.000000e-01, 5.000000e-01>, scale = array<f64: 1.250000e-01, 2.500000e-01, 5.000000e-01>}
func.func @main(%a: tensor<1x2xui8> {pike_onnx.name = "a"}) -> (tensor<1x3xui8> {pike_onnx.name = "y"}) {
  %sa = pike_onnx.constant "sa" = dense<0.5> : tensor<f32>
  %za = pike_onnx.constant "za" = dense<128> : tensor<ui8>
  %b = pike_onnx.constant "b" = dense<[[1, 2], [-2, 1], [2, -2]]> : tensor<3x2xsi8>
  %sb = pike_onnx.constant "sb" = dense<[0.25, 0.5, 1.0]> : tensor<3xf32>
  %zb = pike_onnx.constant "zb" = dense<[0, 0, 0]> : tensor<3xsi8>
  %c = pike_onnx.constant "c" = dense<[4, -2, 1]> : tensor<3xsi32>
  %sy = pike_onnx.constant "sy" = dense<0.25> : tensor<f32>
  %zy = pike_onnx.constant "zy" = dense<128> : tensor<ui8>
  %y = pike_onnx.node "QGemm"(%a, %sa, %za, %b, %sb, %zb, %c, %sy, %zy) {domain = "com.microsoft", node_name = "fc", node_attributes = {transB = 1 : si64}}
      : (tensor<1x2xui8>, tensor<f32>, tensor<ui8>, tensor<3x2xsi8>, tensor<3xf32>, tensor<3xsi8>, tensor<3xsi32>, tensor<f32>, tensor<ui8>) -> tensor<1x3xui8>
  return %y : tensor<1x3xui8>
}

// -----

// The QOperator format pools a QLinearConv's int8 output as it is (MaxPool
// of integers, ONNX opset 12): pooled on the integers' grid and read by the
// next QLinearConv as integers again, with no requantization between.
// CHECK-LABEL: func.func @main
// CHECK: %[[C:.*]] = pike.quantize %{{.*}} -> tensor<1x4x4x1xi8>
// CHECK: %[[D:.*]] = pike.dequantize %[[C]]
// CHECK: %[[P:.*]] = pike.max_pool2d %[[D]]
// CHECK: %[[Q:.*]] = pike.quantize %[[P]] {{.*}} -> tensor<1x2x2x1xi8>
// CHECK: pike.conv2d %[[Q]]
func.func @main(%x: tensor<1x1x4x4xsi8> {pike_onnx.name = "x"}) -> (tensor<1x1x2x2xsi8> {pike_onnx.name = "y"}) {
  %s = pike_onnx.constant "s" = dense<0.5> : tensor<f32>
  %z = pike_onnx.constant "z" = dense<-3> : tensor<si8>
  %w = pike_onnx.constant "w" = dense<2> : tensor<1x1x1x1xsi8>
  %sw = pike_onnx.constant "sw" = dense<0.25> : tensor<f32>
  %zw = pike_onnx.constant "zw" = dense<0> : tensor<si8>
  %c = pike_onnx.node "QLinearConv"(%x, %s, %z, %w, %sw, %zw, %s, %z) {node_name = "conv1"}
      : (tensor<1x1x4x4xsi8>, tensor<f32>, tensor<si8>, tensor<1x1x1x1xsi8>, tensor<f32>, tensor<si8>, tensor<f32>, tensor<si8>) -> none
  %p = pike_onnx.node "MaxPool"(%c) {node_name = "pool", node_attributes = {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>}} : (none) -> none
  %y = pike_onnx.node "QLinearConv"(%p, %s, %z, %w, %sw, %zw, %s, %z) {node_name = "conv2"}
      : (none, tensor<f32>, tensor<si8>, tensor<1x1x1x1xsi8>, tensor<f32>, tensor<si8>, tensor<f32>, tensor<si8>) -> tensor<1x1x2x2xsi8>
  return %y : tensor<1x1x2x2xsi8>
}
