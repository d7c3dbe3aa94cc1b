// RUN: pike-opt %s --convert-onnx-to-pike | FileCheck %s

// A Relu of a dequantized tensor keeps its quantizer for readers that are
// not quantizers; an Identity hands the real result on as it is, so the
// graph's output through it is the clamp itself, as without it.
// CHECK-LABEL: func.func @main
// CHECK: %[[D:.*]] = pike.dequantize
// CHECK: %[[R:.*]] = pike.clamp %[[D]]
// CHECK-NOT: pike.quantize
// CHECK: return %[[R]], %[[R]]
func.func @main(%x: tensor<1x4xui8> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}, none {pike_onnx.name = "z"}) {
  %s = pike_onnx.constant "s" = dense<0.5> : tensor<f32>
  %z = pike_onnx.constant "z" = dense<3> : tensor<ui8>
  %d = pike_onnx.node "DequantizeLinear"(%x, %s, %z) {node_name = "dq"} : (tensor<1x4xui8>, tensor<f32>, tensor<ui8>) -> none
  %r = pike_onnx.node "Relu"(%d) {node_name = "relu"} : (none) -> none
  %i = pike_onnx.node "Identity"(%r) {node_name = "id"} : (none) -> none
  return %r, %i : none, none
}
