// RUN: pike-opt %s -split-input-file --convert-onnx-to-pike -verify-diagnostics

// What the importer refuses of Pad, pooling and ReduceMean, at the node.

func.func @main(%x: tensor<1x2x4x4xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
  %pads = pike_onnx.constant "pads" = dense<[0, 0, 1, 1, 0, 0, 1, 1]> : tensor<8xsi64>
  // expected-error @+1 {{node 'pad' (Pad): mode 'reflect' is not supported (constant padding only)}}
  %y = pike_onnx.node "Pad"(%x, %pads) {node_name = "pad", node_attributes = {mode = "reflect"}} : (tensor<1x2x4x4xf32>, tensor<8xsi64>) -> none
  return %y : none
}

// -----

func.func @main(%x: tensor<1x2x4x4xf32> {pike_onnx.name = "x"}, %pads: tensor<8xi64> {pike_onnx.name = "pads"}) -> (none {pike_onnx.name = "y"}) {
  // expected-error @+1 {{node 'pad' (Pad): input #1 must be a constant (an initializer or Constant node)}}
  %y = pike_onnx.node "Pad"(%x, %pads) {node_name = "pad"} : (tensor<1x2x4x4xf32>, tensor<8xi64>) -> none
  return %y : none
}

// -----

func.func @main(%x: tensor<1x2x4x4xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
  %pads = pike_onnx.constant "pads" = dense<[0, 1, 0, 0, 0, 1, 0, 0]> : tensor<8xsi64>
  // expected-error @+1 {{node 'pad' (Pad): only the height and width of a 4-D activation can be padded, got pads [0, 1, 0, 0, 0, 1, 0, 0]}}
  %y = pike_onnx.node "Pad"(%x, %pads) {node_name = "pad"} : (tensor<1x2x4x4xf32>, tensor<8xsi64>) -> none
  return %y : none
}

// -----

func.func @main(%x: tensor<1x2x4x4xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
  %pads = pike_onnx.constant "pads" = dense<[0, 0, -1, 0, 0, 0, 0, 0]> : tensor<8xsi64>
  // expected-error @+1 {{node 'pad' (Pad): negative pads (cropping) are not supported}}
  %y = pike_onnx.node "Pad"(%x, %pads) {node_name = "pad"} : (tensor<1x2x4x4xf32>, tensor<8xsi64>) -> none
  return %y : none
}

// -----

// Pads whose sum wraps 64 bits, and pads that make a tensor too large to hold.
func.func @main(%x: tensor<1x2x4x4xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
  %pads = pike_onnx.constant "pads" = dense<[0, 0, 4611686018427387904, 0, 0, 0, 4611686018427387904, 0]> : tensor<8xsi64>
  // expected-error @+1 {{node 'pad' (Pad): the padded tensor would have more than 2^40 elements}}
  %y = pike_onnx.node "Pad"(%x, %pads) {node_name = "pad"} : (tensor<1x2x4x4xf32>, tensor<8xsi64>) -> none
  return %y : none
}

// -----

func.func @main(%x: tensor<1x2x4x4xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
  %pads = pike_onnx.constant "pads" = dense<[0, 0, 1099511627776, 0, 0, 0, 0, 0]> : tensor<8xsi64>
  // expected-error @+1 {{node 'pad' (Pad): the padded tensor would have more than 2^40 elements}}
  %y = pike_onnx.node "Pad"(%x, %pads) {node_name = "pad"} : (tensor<1x2x4x4xf32>, tensor<8xsi64>) -> none
  return %y : none
}

// -----

// 0.3 / 0.5 = 0.6 is between two integers: the padded tensor would leave
// the grid.
func.func @main(%x: tensor<1x2x4x4xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
  %s = pike_onnx.constant "s" = dense<0.5> : tensor<f32>
  %zp = pike_onnx.constant "zp" = dense<3> : tensor<ui8>
  %pads = pike_onnx.constant "pads" = dense<[0, 0, 1, 1, 0, 0, 1, 1]> : tensor<8xsi64>
  %v = pike_onnx.constant "v" = dense<0.3> : tensor<f32>
  %q = pike_onnx.node "QuantizeLinear"(%x, %s, %zp) {node_name = "q"} : (tensor<1x2x4x4xf32>, tensor<f32>, tensor<ui8>) -> none
  %d = pike_onnx.node "DequantizeLinear"(%q, %s, %zp) {node_name = "d"} : (none, tensor<f32>, tensor<ui8>) -> none
  // expected-error @+1 {{node 'pad' (Pad): the pad value 3.000000e-01 is not on the input's quantization grid (scale 5.000000e-01, zero point 3)}}
  %y = pike_onnx.node "Pad"(%d, %pads, %v) {node_name = "pad"} : (none, tensor<8xsi64>, tensor<f32>) -> none
  return %y : none
}

// -----

// -2 / 0.5 + 3 = -1 is on the grid's lines but outside uint8.
func.func @main(%x: tensor<1x2x4x4xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
  %s = pike_onnx.constant "s" = dense<0.5> : tensor<f32>
  %zp = pike_onnx.constant "zp" = dense<3> : tensor<ui8>
  %pads = pike_onnx.constant "pads" = dense<[0, 0, 1, 1, 0, 0, 1, 1]> : tensor<8xsi64>
  %v = pike_onnx.constant "v" = dense<-2.0> : tensor<f32>
  %q = pike_onnx.node "QuantizeLinear"(%x, %s, %zp) {node_name = "q"} : (tensor<1x2x4x4xf32>, tensor<f32>, tensor<ui8>) -> none
  %d = pike_onnx.node "DequantizeLinear"(%q, %s, %zp) {node_name = "d"} : (none, tensor<f32>, tensor<ui8>) -> none
  // expected-error @+1 {{node 'pad' (Pad): the pad value -2.000000e+00 is not on the input's quantization grid}}
  %y = pike_onnx.node "Pad"(%d, %pads, %v) {node_name = "pad"} : (none, tensor<8xsi64>, tensor<f32>) -> none
  return %y : none
}

// -----

func.func @main(%x: tensor<1x2x4x4xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
  // expected-error @+1 {{node 'mean' (ReduceMean): only a mean over the spatial axes [2, 3] of a 4-D activation is supported (global average pooling), got axes [1]}}
  %y = pike_onnx.node "ReduceMean"(%x) {node_name = "mean", node_attributes = {axes = array<i64: 1>}} : (tensor<1x2x4x4xf32>) -> none
  return %y : none
}

// -----

func.func @main(%x: tensor<2x6xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
  // expected-error @+1 {{node 'mean' (ReduceMean): only a mean over the spatial axes [2, 3] of a 4-D activation is supported (global average pooling), got axes [0, 1] of a rank-2 tensor}}
  %y = pike_onnx.node "ReduceMean"(%x) {node_name = "mean"} : (tensor<2x6xf32>) -> none
  return %y : none
}

// -----

func.func @main(%x: tensor<1x2x4x4xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
  // expected-error @+1 {{node 'p' (MaxPool): ceil_mode must be 0 or 1, got 2}}
  %y = pike_onnx.node "MaxPool"(%x) {node_name = "p", node_attributes = {ceil_mode = 2 : i64, kernel_shape = array<i64: 2, 2>}} : (tensor<1x2x4x4xf32>) -> none
  return %y : none
}

// -----

func.func @main(%x: tensor<1x2x4x4xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
  // expected-error @+1 {{node 'p' (AveragePool): padding must be smaller than the window}}
  %y = pike_onnx.node "AveragePool"(%x) {node_name = "p", node_attributes = {kernel_shape = array<i64: 2, 2>, pads = array<i64: 2, 0, 0, 0>}} : (tensor<1x2x4x4xf32>) -> none
  return %y : none
}

// -----

// Windows and pads whose sums would wrap 64 bits.
func.func @main(%x: tensor<1x2x4x4xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
  // expected-error @+1 {{node 'p' (MaxPool): kernel_shape, strides and pads must not exceed 2^31, got [9223372036854775807, 2], [1, 1], [4611686018427387904, 4611686018427387904, 0, 0]}}
  %y = pike_onnx.node "MaxPool"(%x) {node_name = "p", node_attributes = {kernel_shape = array<i64: 9223372036854775807, 2>, pads = array<i64: 4611686018427387904, 0, 4611686018427387904, 0>}} : (tensor<1x2x4x4xf32>) -> none
  return %y : none
}
