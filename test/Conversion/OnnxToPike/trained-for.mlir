// RUN: pike-opt %s --split-input-file --convert-onnx-to-pike -verify-diagnostics | FileCheck %s

// The model's pike.* metadata becomes what the integer passes follow; other
// metadata is the model's own and is dropped with the other pike_onnx attributes.
// CHECK: module attributes {pike.double_quantize_bits = 4 : i64, pike.quantnorm_multiplier_bits = 8 : i64, pike.rounding = #pike<rounding half_even>}
module attributes {pike_onnx.metadata = {"pike.double_quantize_bits" = "4", "pike.quantnorm_multiplier_bits" = " 8", author = "someone"}, pike_onnx.opset = 13 : i64} {
  func.func @main(%x: tensor<1x4xf32> {pike_onnx.name = "x"}) -> (tensor<1x4xf32> {pike_onnx.name = "y"}) {
    %y = pike_onnx.node "Relu"(%x) {node_name = "r"} : (tensor<1x4xf32>) -> tensor<1x4xf32>
    return %y : tensor<1x4xf32>
  }
}

// -----

// expected-error @+1 {{model metadata key 'pike.double_quantise_bits' is not one Pike knows (pike.double_quantize_bits, pike.quantnorm_multiplier_bits)}}
module attributes {pike_onnx.metadata = {"pike.double_quantise_bits" = "4"}} {
  func.func @main(%x: tensor<1x4xf32> {pike_onnx.name = "x"}) -> (tensor<1x4xf32> {pike_onnx.name = "y"}) {
    %y = pike_onnx.node "Relu"(%x) {node_name = "r"} : (tensor<1x4xf32>) -> tensor<1x4xf32>
    return %y : tensor<1x4xf32>
  }
}

// -----

// expected-error @+1 {{model metadata 'pike.double_quantize_bits' must be an integer in [1, 16], got "17"}}
module attributes {pike_onnx.metadata = {"pike.double_quantize_bits" = "17"}} {
  func.func @main(%x: tensor<1x4xf32> {pike_onnx.name = "x"}) -> (tensor<1x4xf32> {pike_onnx.name = "y"}) {
    %y = pike_onnx.node "Relu"(%x) {node_name = "r"} : (tensor<1x4xf32>) -> tensor<1x4xf32>
    return %y : tensor<1x4xf32>
  }
}

// -----

// expected-error @+1 {{model metadata 'pike.quantnorm_multiplier_bits' must be an integer in [2, 32], got "eight"}}
module attributes {pike_onnx.metadata = {"pike.quantnorm_multiplier_bits" = "eight"}} {
  func.func @main(%x: tensor<1x4xf32> {pike_onnx.name = "x"}) -> (tensor<1x4xf32> {pike_onnx.name = "y"}) {
    %y = pike_onnx.node "Relu"(%x) {node_name = "r"} : (tensor<1x4xf32>) -> tensor<1x4xf32>
    return %y : tensor<1x4xf32>
  }
}
