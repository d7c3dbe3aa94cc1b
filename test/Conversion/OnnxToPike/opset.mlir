// RUN: pike-opt %s -split-input-file --convert-onnx-to-pike -verify-diagnostics | FileCheck %s

// The operator registry is keyed by opset: a node whose model imports an
// older ai.onnx opset than the form the importer reads is refused, naming
// both versions.

module attributes {pike_onnx.opset = 4 : i64} {
  func.func @main(%x: tensor<1x4xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
    %shape = pike_onnx.constant "shape" = dense<[4, 1]> : tensor<2xi64>
    // expected-error @+1 {{node 'r' (Reshape): the importer reads Reshape from opset 5 on; this model imports opset 4}}
    %y = pike_onnx.node "Reshape"(%x, %shape) {node_name = "r"} : (tensor<1x4xf32>, tensor<2xi64>) -> none
    return %y : none
  }
}

// -----

module attributes {pike_onnx.opset = 17 : i64} {
  func.func @main(%x: tensor<1x4xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
    // expected-error @+1 {{node 'g' (Gelu): the importer reads Gelu from opset 20 on; this model imports opset 17}}
    %y = pike_onnx.node "Gelu"(%x) {node_name = "g"} : (tensor<1x4xf32>) -> none
    return %y : none
  }
}

// -----

// At opset 20 the same node imports; other domains are not versioned by the
// ai.onnx opset (QONNX's Quant at opset 4).

// CHECK-LABEL: func.func @main
// CHECK: pike.activation
module attributes {pike_onnx.opset = 20 : i64} {
  func.func @main(%x: tensor<1x4xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
    %y = pike_onnx.node "Gelu"(%x) {node_name = "g"} : (tensor<1x4xf32>) -> none
    return %y : none
  }
}

// -----

// CHECK-LABEL: func.func @main
// CHECK: pike.quantize
module attributes {pike_onnx.opset = 4 : i64} {
  func.func @main(%x: tensor<1x4xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
    %s = pike_onnx.constant "s" = dense<0.5> : tensor<f32>
    %z = pike_onnx.constant "z" = dense<0.0> : tensor<f32>
    %b = pike_onnx.constant "b" = dense<4.0> : tensor<f32>
    %y = pike_onnx.node "Quant"(%x, %s, %z, %b) {domain = "qonnx.custom_op.general", node_name = "q", node_attributes = {signed = 1 : i64, narrow = 0 : i64}} : (tensor<1x4xf32>, tensor<f32>, tensor<f32>, tensor<f32>) -> none
    return %y : none
  }
}

// -----

// A model that imports no ai.onnx opset (the importer writes 0) has no
// ai.onnx operators.
module attributes {pike_onnx.opset = 0 : i64} {
  func.func @main(%x: tensor<1x4xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
    // expected-error @+1 {{node 'r' (Relu): the model imports no ai.onnx opset}}
    %y = pike_onnx.node "Relu"(%x) {node_name = "r"} : (tensor<1x4xf32>) -> none
    return %y : none
  }
}

// -----

module attributes {pike_onnx.opset = "13"} {
  // expected-error @+1 {{pike_onnx.opset must be the model's ai.onnx opset, an i64 of 0 or more}}
  func.func @main(%x: tensor<1x4xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
    %y = pike_onnx.node "Relu"(%x) {node_name = "r"} : (tensor<1x4xf32>) -> none
    return %y : none
  }
}

// -----

module attributes {pike_onnx.opset = -3 : i64} {
  // expected-error @+1 {{pike_onnx.opset must be the model's ai.onnx opset, an i64 of 0 or more}}
  func.func @main(%x: tensor<1x4xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
    %y = pike_onnx.node "Relu"(%x) {node_name = "r"} : (tensor<1x4xf32>) -> none
    return %y : none
  }
}
