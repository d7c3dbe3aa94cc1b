// RUN: pike-opt %s --convert-onnx-to-pike | FileCheck %s

// Concat of dequantized tensors sharing one quantizer concatenates the
// integers (NCHW axis 1 is NHWC dimension 3); an Add that broadcasts a
// [1, 2, 1, 1] operand over [1, 2, 3, 3] broadcasts its integers (unit
// dimensions collapsed, then linalg.broadcast over H and W).

// CHECK-LABEL: func.func @main
// CHECK: %[[QX:.*]] = pike.quantize %{{.*}} : tensor<1x3x3x2xf32> -> tensor<1x3x3x2xi8>
// CHECK: %[[CAT:.*]] = tensor.concat dim(3) %[[QX]], %[[QX]] : (tensor<1x3x3x2xi8>, tensor<1x3x3x2xi8>) -> tensor<1x3x3x4xi8>
// CHECK: %[[QZ:.*]] = pike.quantize %{{.*}} : tensor<1x1x1x2xf32> -> tensor<1x1x1x2xi8>
// CHECK: %[[FLAT:.*]] = tensor.collapse_shape %[[QZ]] {{\[\[}}0], [1, 2, 3]] : tensor<1x1x1x2xi8> into tensor<1x2xi8>
// CHECK: %[[B:.*]] = linalg.broadcast ins(%[[FLAT]] : tensor<1x2xi8>) outs(%{{.*}} : tensor<1x3x3x2xi8>) dimensions = [1, 2]
// CHECK: %[[DX:.*]] = pike.dequantize %[[QX]]
// CHECK: %[[DB:.*]] = pike.dequantize %[[B]]
// CHECK: pike.add %[[DX]], %[[DB]]
// CHECK: pike.dequantize %[[CAT]]
func.func @main(%x: tensor<1x2x3x3xf32> {pike_onnx.name = "x"}, %z: tensor<1x2x1x1xf32> {pike_onnx.name = "z"})
    -> (tensor<1x4x3x3xf32> {pike_onnx.name = "cat"}, tensor<1x2x3x3xf32> {pike_onnx.name = "sum"}) {
  %s = pike_onnx.constant "s" = dense<0.5> : tensor<f32>
  %zp = pike_onnx.constant "zp" = dense<0> : tensor<si8>
  %qx = pike_onnx.node "QuantizeLinear"(%x, %s, %zp) {node_name = "qx"} : (tensor<1x2x3x3xf32>, tensor<f32>, tensor<si8>) -> none
  %dx = pike_onnx.node "DequantizeLinear"(%qx, %s, %zp) {node_name = "dx"} : (none, tensor<f32>, tensor<si8>) -> none
  %cat = pike_onnx.node "Concat"(%dx, %dx) {node_name = "concat", node_attributes = {axis = 1 : i64}} : (none, none) -> tensor<1x4x3x3xf32>
  %qz = pike_onnx.node "QuantizeLinear"(%z, %s, %zp) {node_name = "qz"} : (tensor<1x2x1x1xf32>, tensor<f32>, tensor<si8>) -> none
  %dz = pike_onnx.node "DequantizeLinear"(%qz, %s, %zp) {node_name = "dz"} : (none, tensor<f32>, tensor<si8>) -> none
  %sum = pike_onnx.node "Add"(%dx, %dz) {node_name = "add"} : (none, none) -> tensor<1x2x3x3xf32>
  return %cat, %sum : tensor<1x4x3x3xf32>, tensor<1x2x3x3xf32>
}
