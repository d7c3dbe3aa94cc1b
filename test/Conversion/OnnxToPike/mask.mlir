// RUN: pike-opt %s -split-input-file --convert-onnx-to-pike | FileCheck %s

// A padding mask as PyTorch exports masked_fill(mask == 0, -inf) before a
// softmax: the int64 mask unsqueezed to [1, 1, 1, 4], compared with 0
// (Equal, an arith.cmpi on tensors), its complement kept (the fill
// replaces where Equal holds),
// broadcast over heads and queries, and the softmax of the dequantized
// scores takes it as its mask.
// CHECK-LABEL: func.func @main
// CHECK: %[[R1:.*]] = tensor.reshape %arg1({{.*}}) : (tensor<1x4xi64>, tensor<3xi64>) -> tensor<1x1x4xi64>
// CHECK: %[[R:.*]] = tensor.reshape %[[R1]]({{.*}}) : (tensor<1x1x4xi64>, tensor<4xi64>) -> tensor<1x1x1x4xi64>
// CHECK: %[[Z:.*]] = arith.constant dense<0> : tensor<1x1x1x4xi64>
// CHECK: %[[EQ:.*]] = arith.cmpi eq, %[[R]], %[[Z]] : tensor<1x1x1x4xi64>
// CHECK: %[[T:.*]] = arith.constant dense<true> : tensor<1x1x1x4xi1>
// CHECK: arith.xori %[[EQ]], %[[T]] : tensor<1x1x1x4xi1>
// CHECK: %[[B:.*]] = linalg.broadcast ins(%{{.*}} : tensor<1x4xi1>) outs(%{{.*}} : tensor<1x2x4x4xi1>) dimensions = [1, 2]
// CHECK: %[[D:.*]] = pike.dequantize %{{.*}} {quantizer = #pike.quantizer<u8, scales = [1.250000e-01], zero_points = [128]>}
// CHECK: pike.softmax %[[D]] mask(%[[B]] : tensor<1x2x4x4xi1>) : tensor<1x2x4x4xf32>
func.func @main(%x: tensor<1x2x4x4xf32> {pike_onnx.name = "x"}, %mask: tensor<1x4xsi64> {pike_onnx.name = "mask"}) -> (none {pike_onnx.name = "y"}) {
  %s = pike_onnx.constant "s" = dense<0.125> : tensor<f32>
  %z = pike_onnx.constant "z" = dense<128> : tensor<ui8>
  %a1 = pike_onnx.constant "a1" = dense<[1]> : tensor<1xsi64>
  %a2 = pike_onnx.constant "a2" = dense<[2]> : tensor<1xsi64>
  %zero = pike_onnx.constant "zero" = dense<0> : tensor<si64>
  %inf = pike_onnx.constant "inf" = dense<0xFF800000> : tensor<f32>
  %q = pike_onnx.node "QuantizeLinear"(%x, %s, %z) {node_name = "q"} : (tensor<1x2x4x4xf32>, tensor<f32>, tensor<ui8>) -> none
  %d = pike_onnx.node "DequantizeLinear"(%q, %s, %z) {node_name = "d"} : (none, tensor<f32>, tensor<ui8>) -> none
  %u1 = pike_onnx.node "Unsqueeze"(%mask, %a1) {node_name = "u1"} : (tensor<1x4xsi64>, tensor<1xsi64>) -> none
  %u2 = pike_onnx.node "Unsqueeze"(%u1, %a2) {node_name = "u2"} : (none, tensor<1xsi64>) -> none
  %eq = pike_onnx.node "Equal"(%u2, %zero) {node_name = "eq"} : (none, tensor<si64>) -> none
  %c = pike_onnx.node "Cast"(%eq) {node_name = "cast", node_attributes = {to = 9 : si64}} : (none) -> none
  %w = pike_onnx.node "Where"(%c, %inf, %d) {node_name = "where"} : (none, tensor<f32>, none) -> none
  %y = pike_onnx.node "Softmax"(%w) {node_name = "softmax", node_attributes = {axis = -1 : si64}} : (none) -> none
  return %y : none
}

// -----

// The fill in the false branch keeps where the condition holds (no Not);
// a finite fill at least 104 below the lowest score (-16 here) masks too.
// Squeeze with axes as an attribute (before opset 13).
// CHECK-LABEL: func.func @main
// CHECK-NOT: arith.xori
// CHECK: pike.softmax %{{.*}} mask(%{{.*}} : tensor<1x4xi1>) : tensor<1x4xf32>
func.func @main(%x: tensor<1x4xf32> {pike_onnx.name = "x"}, %keep: tensor<1x1x4xi1> {pike_onnx.name = "keep"}) -> (none {pike_onnx.name = "y"}) {
  %s = pike_onnx.constant "s" = dense<0.125> : tensor<f32>
  %z = pike_onnx.constant "z" = dense<128> : tensor<ui8>
  %low = pike_onnx.constant "low" = dense<-120.0> : tensor<f32>
  %q = pike_onnx.node "QuantizeLinear"(%x, %s, %z) {node_name = "q"} : (tensor<1x4xf32>, tensor<f32>, tensor<ui8>) -> none
  %d = pike_onnx.node "DequantizeLinear"(%q, %s, %z) {node_name = "d"} : (none, tensor<f32>, tensor<ui8>) -> none
  %k = pike_onnx.node "Squeeze"(%keep) {node_name = "sq", node_attributes = {axes = [1]}} : (tensor<1x1x4xi1>) -> none
  %w = pike_onnx.node "Where"(%k, %d, %low) {node_name = "where"} : (none, none, tensor<f32>) -> none
  %y = pike_onnx.node "Softmax"(%w) {node_name = "softmax"} : (none) -> none
  return %y : none
}

// -----

// A condition of lower rank than the scores aligns at the right (ONNX
// broadcasting): [4] against [2, 4].
// CHECK-LABEL: func.func @main
// CHECK: tensor.reshape %arg1({{.*}}) : (tensor<4xi1>, tensor<2xi64>) -> tensor<1x4xi1>
// CHECK: linalg.broadcast ins(%{{.*}} : tensor<4xi1>) outs(%{{.*}} : tensor<2x4xi1>) dimensions = [0]
// CHECK: pike.softmax %arg0 mask(%{{.*}} : tensor<2x4xi1>) : tensor<2x4xf32>
func.func @main(%x: tensor<2x4xf32> {pike_onnx.name = "x"}, %keep: tensor<4xi1> {pike_onnx.name = "keep"}) -> (none {pike_onnx.name = "y"}) {
  %inf = pike_onnx.constant "inf" = dense<0xFF800000> : tensor<f32>
  %w = pike_onnx.node "Where"(%keep, %x, %inf) {node_name = "where"} : (tensor<4xi1>, tensor<2x4xf32>, tensor<f32>) -> none
  %y = pike_onnx.node "Softmax"(%w) {node_name = "softmax"} : (none) -> none
  return %y : none
}
