// Input of the embedding example: an ONNX graph as `pike import` serializes
// it (the generic pike_onnx form), imported by the C++ conversion that
// embed-pike links — no Python involved. A QDQ 1x1 convolution and ReLU:
// 1x2x2 outputs x 2 filters of 3 i8 MACs = 24 MACs, ACE 24*64 = 1536.
// CHECK: input: ops {{[0-9]+}} macs 24 ace 1536
// CHECK: integer form: ops {{[0-9]+}} macs 24 ace 1536
// CHECK: lowered to affine: yes

func.func @main(%x: tensor<1x3x2x2xf32> {pike_onnx.name = "x"}) -> (tensor<1x2x2x2xf32> {pike_onnx.name = "y"}) {
  %s = pike_onnx.constant "s" = dense<0.05> : tensor<f32>
  %z = pike_onnx.constant "z" = dense<10> : tensor<ui8>
  %w = pike_onnx.constant "w" = dense<[[[[1]], [[-2]], [[3]]], [[[4]], [[5]], [[-6]]]]> : tensor<2x3x1x1xsi8>
  %ws = pike_onnx.constant "ws" = dense<[0.1, 0.2]> : tensor<2xf32>
  %wz = pike_onnx.constant "wz" = dense<0> : tensor<2xsi8>
  %ys = pike_onnx.constant "ys" = dense<0.1> : tensor<f32>
  %q = pike_onnx.node "QuantizeLinear"(%x, %s, %z) {node_name = "xq"} : (tensor<1x3x2x2xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x3x2x2xui8>
  %xd = pike_onnx.node "DequantizeLinear"(%q, %s, %z) {node_name = "xd"} : (tensor<1x3x2x2xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x3x2x2xf32>
  %wd = pike_onnx.node "DequantizeLinear"(%w, %ws, %wz) {node_name = "wd", node_attributes = {axis = 0 : i64}} : (tensor<2x3x1x1xsi8>, tensor<2xf32>, tensor<2xsi8>) -> tensor<2x3x1x1xf32>
  %c = pike_onnx.node "Conv"(%xd, %wd) {node_name = "conv"} : (tensor<1x3x2x2xf32>, tensor<2x3x1x1xf32>) -> tensor<1x2x2x2xf32>
  %r = pike_onnx.node "Relu"(%c) {node_name = "relu"} : (tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %yq = pike_onnx.node "QuantizeLinear"(%r, %ys, %z) {node_name = "yq"} : (tensor<1x2x2x2xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x2x2x2xui8>
  %y = pike_onnx.node "DequantizeLinear"(%yq, %ys, %z) {node_name = "y"} : (tensor<1x2x2x2xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}
