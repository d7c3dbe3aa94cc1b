// RUN: pike-opt %s | pike-opt | FileCheck %s

// The generic ONNX form prints and parses back unchanged: op type, domain,
// node name, attributes, blobs in ONNX's own element types, absent inputs.

// CHECK-LABEL: func.func @main(
// CHECK-SAME: %{{.*}}: tensor<1x3x8x8xf32> {pike_onnx.name = "x"}
func.func @main(%x: tensor<1x3x8x8xf32> {pike_onnx.name = "x"})
    -> (tensor<1x3x8x8xui8> {pike_onnx.name = "q"}, tensor<4xf32>) {
  // CHECK: %[[NONE:.*]] = pike_onnx.none
  %none = pike_onnx.none
  // CHECK: pike_onnx.constant "scale" = dense<5.000000e-02> : tensor<f32>
  %s = pike_onnx.constant "scale" = dense<0.05> : tensor<f32>
  // CHECK: pike_onnx.constant "zp" = dense_resource<zp_blob> : tensor<ui8>
  %zp = pike_onnx.constant "zp" = dense_resource<zp_blob> : tensor<ui8>
  // CHECK: pike_onnx.node "QuantizeLinear"(%{{.*}}, %{{.*}}, %{{.*}}) {node_attributes = {axis = 1 : i64}, node_name = "quantize"}
  %q = pike_onnx.node "QuantizeLinear"(%x, %s, %zp) {node_name = "quantize", node_attributes = {axis = 1 : i64}}
      : (tensor<1x3x8x8xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x3x8x8xui8>
  %v = pike_onnx.constant "v" = dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  // Default-valued attributes (an empty node name) are elided.
  // CHECK: pike_onnx.node "Clip"(%{{.*}}, %[[NONE]], %{{.*}}) {domain = "ai.onnx"} : (tensor<4xf32>, none, tensor<f32>) -> none
  %c = pike_onnx.node "Clip"(%v, %none, %s) {domain = "ai.onnx", node_name = ""} : (tensor<4xf32>, none, tensor<f32>) -> none
  // CHECK: pike_onnx.node "Custom"() {domain = "com.example", node_name = "n"} : () -> ()
  pike_onnx.node "Custom"() {domain = "com.example", node_name = "n"} : () -> ()
  return %q, %v : tensor<1x3x8x8xui8>, tensor<4xf32>
}

{-#
  dialect_resources: {
    builtin: {
      zp_blob: "0x0100000080"
    }
  }
#-}
