// RUN: pike-opt %s -split-input-file --convert-onnx-to-pike -verify-diagnostics

// Each refusal of a mask names the node and the cause.

// A fill whose exp is not 0 beside every score is a change of values, not
// a mask: scores of u8 at 0.125 reach -16, and -100 is within 104 of it.
func.func @main(%x: tensor<1x4xf32> {pike_onnx.name = "x"}, %keep: tensor<1x4xi1> {pike_onnx.name = "keep"}) -> (none {pike_onnx.name = "y"}) {
  %s = pike_onnx.constant "s" = dense<0.125> : tensor<f32>
  %z = pike_onnx.constant "z" = dense<128> : tensor<ui8>
  %low = pike_onnx.constant "low" = dense<-100.0> : tensor<f32>
  %q = pike_onnx.node "QuantizeLinear"(%x, %s, %z) {node_name = "q"} : (tensor<1x4xf32>, tensor<f32>, tensor<ui8>) -> none
  %d = pike_onnx.node "DequantizeLinear"(%q, %s, %z) {node_name = "d"} : (none, tensor<f32>, tensor<ui8>) -> none
  // expected-error @+1 {{node 'where' (Where): a Where filling with -1.000000e+02 is not a mask: its exp is not 0 beside the lowest score, -1.600000e+01 (Pike takes fills of -inf or at least 1.040000e+02 below every score)}}
  %w = pike_onnx.node "Where"(%keep, %d, %low) {node_name = "where"} : (tensor<1x4xi1>, none, tensor<f32>) -> none
  %y = pike_onnx.node "Softmax"(%w) {node_name = "softmax"} : (none) -> none
  return %y : none
}

// -----

// Masked scores read by anything but a Softmax.
func.func @main(%x: tensor<1x4xf32> {pike_onnx.name = "x"}, %keep: tensor<1x4xi1> {pike_onnx.name = "keep"}) -> (none {pike_onnx.name = "y"}) {
  %s = pike_onnx.constant "s" = dense<0.125> : tensor<f32>
  %z = pike_onnx.constant "z" = dense<128> : tensor<ui8>
  %inf = pike_onnx.constant "inf" = dense<0xFF800000> : tensor<f32>
  %q = pike_onnx.node "QuantizeLinear"(%x, %s, %z) {node_name = "q"} : (tensor<1x4xf32>, tensor<f32>, tensor<ui8>) -> none
  %d = pike_onnx.node "DequantizeLinear"(%q, %s, %z) {node_name = "d"} : (none, tensor<f32>, tensor<ui8>) -> none
  %w = pike_onnx.node "Where"(%keep, %d, %inf) {node_name = "where"} : (tensor<1x4xi1>, none, tensor<f32>) -> none
  // expected-error @+1 {{node 'relu' (Relu): input #0 is a Where masking attention scores with a very negative constant, which Pike takes only as the input of a Softmax over the last axis}}
  %y = pike_onnx.node "Relu"(%w) {node_name = "relu"} : (none) -> none
  return %y : none
}

// -----

// Returned as it is.
// expected-error @+1 {{graph output 'y' is a Where masking attention scores, which Pike takes only as the input of a Softmax over the last axis}}
func.func @main(%x: tensor<1x4xf32> {pike_onnx.name = "x"}, %keep: tensor<1x4xi1> {pike_onnx.name = "keep"}) -> (none {pike_onnx.name = "y"}) {
  %inf = pike_onnx.constant "inf" = dense<0xFF800000> : tensor<f32>
  %w = pike_onnx.node "Where"(%keep, %x, %inf) {node_name = "where"} : (tensor<1x4xi1>, tensor<1x4xf32>, tensor<f32>) -> none
  return %w : none
}

// -----

// A condition that is not boolean; a Where of two tensors.
func.func @main(%x: tensor<1x4xf32> {pike_onnx.name = "x"}, %m: tensor<1x4xsi64> {pike_onnx.name = "m"}) -> (none {pike_onnx.name = "y"}) {
  %inf = pike_onnx.constant "inf" = dense<0xFF800000> : tensor<f32>
  // expected-error @+1 {{node 'where' (Where): the condition must be boolean, got int64}}
  %w = pike_onnx.node "Where"(%m, %x, %inf) {node_name = "where"} : (tensor<1x4xsi64>, tensor<1x4xf32>, tensor<f32>) -> none
  return %w : none
}

// -----

func.func @main(%x: tensor<1x4xf32> {pike_onnx.name = "x"}, %keep: tensor<1x4xi1> {pike_onnx.name = "keep"}) -> (none {pike_onnx.name = "y"}) {
  // expected-error @+1 {{node 'where' (Where): Pike takes a Where of one tensor and one constant (a masked fill)}}
  %w = pike_onnx.node "Where"(%keep, %x, %x) {node_name = "where"} : (tensor<1x4xi1>, tensor<1x4xf32>, tensor<1x4xf32>) -> none
  return %w : none
}

// -----

// Equal with more than one constant value; Squeeze of a dimension that is not 1.
func.func @main(%m: tensor<1x4xsi64> {pike_onnx.name = "m"}) -> (none {pike_onnx.name = "y"}) {
  %two = pike_onnx.constant "two" = dense<[0, 1]> : tensor<2xsi64>
  // expected-error @+1 {{node 'eq' (Equal): Equal needs one constant value to compare with, got 2}}
  %e = pike_onnx.node "Equal"(%m, %two) {node_name = "eq"} : (tensor<1x4xsi64>, tensor<2xsi64>) -> none
  return %e : none
}

// -----

func.func @main(%m: tensor<1x4xsi64> {pike_onnx.name = "m"}) -> (none {pike_onnx.name = "y"}) {
  %a = pike_onnx.constant "a" = dense<[1]> : tensor<1xsi64>
  // expected-error @+1 {{node 'sq' (Squeeze): axis 1 has size 4, not 1}}
  %e = pike_onnx.node "Squeeze"(%m, %a) {node_name = "sq"} : (tensor<1x4xsi64>, tensor<1xsi64>) -> none
  return %e : none
}

// -----

func.func @main(%m: tensor<1x4xsi64> {pike_onnx.name = "m"}) -> (none {pike_onnx.name = "y"}) {
  %a = pike_onnx.constant "a" = dense<[5]> : tensor<1xsi64>
  // expected-error @+1 {{node 'u' (Unsqueeze): axis 5 is outside a rank-3 result}}
  %e = pike_onnx.node "Unsqueeze"(%m, %a) {node_name = "u"} : (tensor<1x4xsi64>, tensor<1xsi64>) -> none
  return %e : none
}

// -----

// A one-value constant of a higher rank than the tensor would broadcast the
// result to that rank.
func.func @main(%m: tensor<1x4xsi64> {pike_onnx.name = "m"}) -> (none {pike_onnx.name = "y"}) {
  %z = pike_onnx.constant "z" = dense<0> : tensor<1x1x1xsi64>
  // expected-error @+1 {{node 'eq' (Equal): the constant of shape [1, 1, 1] would broadcast the result beyond the tensor's [1, 4]}}
  %e = pike_onnx.node "Equal"(%m, %z) {node_name = "eq"} : (tensor<1x4xsi64>, tensor<1x1x1xsi64>) -> none
  return %e : none
}

// -----

func.func @main(%x: tensor<2x4xf32> {pike_onnx.name = "x"}, %keep: tensor<2x4xi1> {pike_onnx.name = "keep"}) -> (none {pike_onnx.name = "y"}) {
  %inf = pike_onnx.constant "inf" = dense<0xFF800000> : tensor<1x1x1xf32>
  // expected-error @+1 {{node 'where' (Where): the fill of shape [1, 1, 1] would broadcast the result beyond the tensor's [2, 4]}}
  %w = pike_onnx.node "Where"(%keep, %x, %inf) {node_name = "where"} : (tensor<2x4xi1>, tensor<2x4xf32>, tensor<1x1x1xf32>) -> none
  %y = pike_onnx.node "Softmax"(%w) {node_name = "softmax"} : (none) -> none
  return %y : none
}

// -----

// A written-out LayerNorm over masked scores: its first step peeks at its
// input; the masked scores are refused there too.
func.func @main(%x: tensor<2x4xf32> {pike_onnx.name = "x"}, %keep: tensor<2x4xi1> {pike_onnx.name = "keep"}) -> (none {pike_onnx.name = "y"}) {
  %inf = pike_onnx.constant "inf" = dense<0xFF800000> : tensor<f32>
  %w = pike_onnx.node "Where"(%keep, %x, %inf) {node_name = "where"} : (tensor<2x4xi1>, tensor<2x4xf32>, tensor<f32>) -> none
  // expected-error @+1 {{node 'mean' (ReduceMean): input #0 is a Where masking attention scores with a very negative constant, which Pike takes only as the input of a Softmax over the last axis}}
  %y = pike_onnx.node "ReduceMean"(%w) {node_name = "mean", node_attributes = {axes = [-1], keepdims = 1 : si64}} : (none) -> none
  return %y : none
}

// -----

// Types ONNX requires to agree: Equal's two inputs, Where's fill and scores;
// Unsqueeze's axes are integers.
func.func @main(%m: tensor<1x4xsi8> {pike_onnx.name = "m"}) -> (none {pike_onnx.name = "y"}) {
  %c = pike_onnx.constant "c" = dense<44> : tensor<si64>
  // expected-error @+1 {{node 'eq' (Equal): Equal compares tensors of one type, got int8 and int64}}
  %e = pike_onnx.node "Equal"(%m, %c) {node_name = "eq"} : (tensor<1x4xsi8>, tensor<si64>) -> none
  return %e : none
}

// -----

func.func @main(%x: tensor<2x4xf32> {pike_onnx.name = "x"}, %keep: tensor<2x4xi1> {pike_onnx.name = "keep"}) -> (none {pike_onnx.name = "y"}) {
  %low = pike_onnx.constant "low" = dense<-30000> : tensor<si64>
  // expected-error @+1 {{node 'where' (Where): the fill must be float32, as the scores, got int64}}
  %w = pike_onnx.node "Where"(%keep, %x, %low) {node_name = "where"} : (tensor<2x4xi1>, tensor<2x4xf32>, tensor<si64>) -> none
  %y = pike_onnx.node "Softmax"(%w) {node_name = "softmax"} : (none) -> none
  return %y : none
}

// -----

func.func @main(%m: tensor<1x4xsi64> {pike_onnx.name = "m"}) -> (none {pike_onnx.name = "y"}) {
  %a = pike_onnx.constant "a" = dense<[1.7]> : tensor<1xf32>
  // expected-error @+1 {{node 'u' (Unsqueeze): axes must be integers, got float32}}
  %e = pike_onnx.node "Unsqueeze"(%m, %a) {node_name = "u"} : (tensor<1x4xsi64>, tensor<1xf32>) -> none
  return %e : none
}

// -----

// A scalar scaled by a constant (no channel to scale).
func.func @main(%x: tensor<f32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
  %two = pike_onnx.constant "two" = dense<2.0> : tensor<f32>
  // expected-error @+1 {{node 'mul' (Mul): a rank-0 (scalar) tensor scaled by a constant is not supported}}
  %y = pike_onnx.node "Mul"(%x, %two) {node_name = "mul"} : (tensor<f32>, tensor<f32>) -> none
  return %y : none
}
