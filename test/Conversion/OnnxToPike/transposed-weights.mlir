// RUN: pike-opt %s --convert-onnx-to-pike | FileCheck %s

// PyTorch writes a Linear without bias as MatMul(x, Transpose(Quant(W))):
// the per-channel quantized weights are transposed at import, and their
// channel axis (0 of W, the 3 outputs) moves with the data to axis 1, so the
// product keeps one scale per output channel.
// CHECK-LABEL: func.func @main
// pike.fully_connected keeps weights as [outputs, inputs]; scales are s_in * s_w.
// CHECK: %[[W:.*]] = arith.constant dense<{{\[\[}}1, 2], [-2, 1], [2, -2]]> : tensor<3x2xi4>
// CHECK: pike.fully_connected %{{.*}}, %[[W]]
// CHECK: pike.scale %{{.*}} {scale = array<f64: 1.250000e-01, 1.250000e-01, 2.500000e-01>}
func.func @main(%x: tensor<1x2xf32> {pike_onnx.name = "x"}) -> (tensor<1x3xf32> {pike_onnx.name = "y"}) {
  %s = pike_onnx.constant "s" = dense<0.25> : tensor<f32>
  %z = pike_onnx.constant "z" = dense<0.0> : tensor<f32>
  %b8 = pike_onnx.constant "b8" = dense<8.0> : tensor<f32>
  %b4 = pike_onnx.constant "b4" = dense<4.0> : tensor<f32>
  %w = pike_onnx.constant "w" = dense<[[0.5, 1.0], [-1.0, 0.5], [2.0, -2.0]]> : tensor<3x2xf32>
  %sw = pike_onnx.constant "sw" = dense<[[0.5], [0.5], [1.0]]> : tensor<3x1xf32>
  %xq = pike_onnx.node "Quant"(%x, %s, %z, %b8) {domain = "qonnx.custom_op.general", node_name = "xq", node_attributes = {signed = 0 : si64}} : (tensor<1x2xf32>, tensor<f32>, tensor<f32>, tensor<f32>) -> none
  %wq = pike_onnx.node "Quant"(%w, %sw, %z, %b4) {domain = "qonnx.custom_op.general", node_name = "wq", node_attributes = {signed = 1 : si64, narrow = 1 : si64}} : (tensor<3x2xf32>, tensor<3x1xf32>, tensor<f32>, tensor<f32>) -> none
  %wt = pike_onnx.node "Transpose"(%wq) {node_name = "wt", node_attributes = {perm = array<i64: 1, 0>}} : (none) -> none
  %y = pike_onnx.node "MatMul"(%xq, %wt) {node_name = "fc"} : (none, none) -> tensor<1x3xf32>
  return %y : tensor<1x3xf32>
}
