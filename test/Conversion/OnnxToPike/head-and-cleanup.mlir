// RUN: pike-opt %s --convert-onnx-to-pike | FileCheck %s

// A classifier head with the clean-ups PyTorch exports need: a Cast to the
// type a value already has is dropped, ConstantOfShape and Cast of constants
// fold, and an absent Clip minimum is -inf. Pooling and clipping of
// dequantized values are quantized again with the same quantizer, so a
// QuantizeLinear with that quantizer after them adds nothing, and the Gemm
// reads the pool's integers. Real Gemm weights are quantized
// to 8-bit symmetric per output channel (a column of Gemm's K x N input B):
// max|w| / 127 = 3.96875 / 127 = 1/32 and 1.984375 / 127 = 1/64, so the
// columns [3.96875, -1] and [0.5, 1.984375] become [127, -32] and [32, 127];
// the scales are 0.125 / 32 = 0.00390625 and 0.125 / 64 = 0.001953125.

// CHECK-LABEL: func.func @main(
// CHECK-SAME: -> (tensor<1x2xf32> {pike.name = "logits"}, tensor<1x2x2x2xi8> {pike.name = "q", pike.unsigned})
// CHECK: %[[Q:.*]] = pike.quantize
// CHECK-NOT: Cast
// CHECK: %[[R:.*]] = pike.max_pool2d %{{.*}} {kernel = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
// CHECK-SAME: tensor<1x3x3x2xf32> -> tensor<1x2x2x2xf32>
// CHECK: pike.clamp %{{.*}} {max = 6.000000e+00 : f64, min = 0xFFF0000000000000 : f64}
// CHECK: %[[G:.*]] = pike.avg_pool2d %{{.*}} {kernel = array<i64: 2, 2>, rounding = #pike<average_rounding half_even>} : tensor<1x2x2x2xf32> -> tensor<1x1x1x2xf32>
// CHECK: %[[GQ:.*]] = pike.quantize %[[G]]
// CHECK: %[[FLAT:.*]] = tensor.collapse_shape %[[GQ]] {{\[\[}}0], [1, 2, 3]] : tensor<1x1x1x2xi8> into tensor<1x2xi8>
// CHECK: %[[W:.*]] = arith.constant dense<{{\[\[}}127, -32], [32, 127]]> : tensor<2x2xi8>
// CHECK: %[[ACC:.*]] = pike.fully_connected %[[FLAT]], %[[W]] {input_unsigned}
// CHECK: pike.scale %[[ACC]] {bias = array<f64: 0.000000e+00, 0.000000e+00>, scale = array<f64: 3.906250e-03, 0.001953125>}
func.func @main(%x: tensor<1x2x3x3xf32> {pike_onnx.name = "x"})
    -> (tensor<1x2xf32> {pike_onnx.name = "logits"}, tensor<1x2x2x2xui8> {pike_onnx.name = "q"}) {
  %none = pike_onnx.none
  %s = pike_onnx.constant "s" = dense<0.125> : tensor<f32>
  %z = pike_onnx.constant "z" = dense<0> : tensor<ui8>
  %six = pike_onnx.constant "six" = dense<6.0> : tensor<f32>
  %w = pike_onnx.constant "w" = dense<[[3.96875, 0.5], [-1.0, 1.984375]]> : tensor<2x2xf32>
  %shape = pike_onnx.constant "shape" = dense<[2]> : tensor<1xsi64>
  %q = pike_onnx.node "QuantizeLinear"(%x, %s, %z) {node_name = "xq"}
      : (tensor<1x2x3x3xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x2x3x3xui8>
  %cast = pike_onnx.node "Cast"(%q) {node_name = "noop_cast", node_attributes = {to = 2 : i64}}
      : (tensor<1x2x3x3xui8>) -> tensor<1x2x3x3xui8>
  %xd = pike_onnx.node "DequantizeLinear"(%cast, %s, %z) {node_name = "xd"}
      : (tensor<1x2x3x3xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x2x3x3xf32>
  %m = pike_onnx.node "MaxPool"(%xd) {node_name = "pool", node_attributes = {kernel_shape = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}}
      : (tensor<1x2x3x3xf32>) -> none
  %c = pike_onnx.node "Clip"(%m, %none, %six) {node_name = "relu6"} : (none, none, tensor<f32>) -> none
  %mq = pike_onnx.node "QuantizeLinear"(%c, %s, %z) {node_name = "mq"} : (none, tensor<f32>, tensor<ui8>) -> tensor<1x2x2x2xui8>
  %md = pike_onnx.node "DequantizeLinear"(%mq, %s, %z) {node_name = "md"} : (tensor<1x2x2x2xui8>, tensor<f32>, tensor<ui8>) -> none
  %g = pike_onnx.node "GlobalAveragePool"(%md) {node_name = "gap"} : (none) -> none
  %gq = pike_onnx.node "QuantizeLinear"(%g, %s, %z) {node_name = "gq"} : (none, tensor<f32>, tensor<ui8>) -> none
  %gd = pike_onnx.node "DequantizeLinear"(%gq, %s, %z) {node_name = "gd"} : (none, tensor<f32>, tensor<ui8>) -> none
  %f = pike_onnx.node "Flatten"(%gd) {node_name = "flatten"} : (none) -> none
  %zeros = pike_onnx.node "ConstantOfShape"(%shape) {node_name = "zeros"} : (tensor<1xsi64>) -> none
  %bias = pike_onnx.node "Cast"(%zeros) {node_name = "bias_cast", node_attributes = {to = 1 : i64}} : (none) -> none
  %id = pike_onnx.node "Identity"(%bias) {node_name = "id"} : (none) -> none
  %y = pike_onnx.node "Gemm"(%f, %w, %id) {node_name = "fc"} : (none, tensor<2x2xf32>, none) -> tensor<1x2xf32>
  return %y, %mq : tensor<1x2xf32>, tensor<1x2x2x2xui8>
}
