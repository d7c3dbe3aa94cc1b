// RUN: pike-opt %s -split-input-file --convert-onnx-to-pike -verify-diagnostics

// Each refusal of the transformer operators names the node and the cause.

func.func @main(%x: tensor<2x3x4xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
  // expected-error @+1 {{node 'sm' (Softmax): only the last axis is supported, got axis 1 of a rank-3 tensor}}
  %y = pike_onnx.node "Softmax"(%x) {node_name = "sm", node_attributes = {axis = 1 : si64}} : (tensor<2x3x4xf32>) -> none
  return %y : none
}

// -----

func.func @main(%x: tensor<2x4xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}, none {pike_onnx.name = "m"}) {
  %g = pike_onnx.constant "g" = dense<1.0> : tensor<4xf32>
  // expected-error @+1 {{node 'ln' (LayerNormalization): the Mean and InvStdDev outputs are not supported}}
  %y, %m = pike_onnx.node "LayerNormalization"(%x, %g) {node_name = "ln"} : (tensor<2x4xf32>, tensor<4xf32>) -> (none, none)
  return %y, %m : none, none
}

// -----

func.func @main(%x: tensor<2x4xf32> {pike_onnx.name = "x"}, %g: tensor<4xf32> {pike_onnx.name = "g"}) -> (none {pike_onnx.name = "y"}) {
  // expected-error @+1 {{node 'ln' (LayerNormalization): the scale must be a constant}}
  %y = pike_onnx.node "LayerNormalization"(%x, %g) {node_name = "ln"} : (tensor<2x4xf32>, tensor<4xf32>) -> none
  return %y : none
}

// -----

func.func @main(%x: tensor<2x4xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
  %i = pike_onnx.constant "i" = dense<[[0, 1]]> : tensor<1x2xsi64>
  // expected-error @+1 {{node 'g' (Gather): constant indices of rank 2 are not supported (a scalar or a list)}}
  %y = pike_onnx.node "Gather"(%x, %i) {node_name = "g"} : (tensor<2x4xf32>, tensor<1x2xsi64>) -> none
  return %y : none
}

// -----

func.func @main(%x: tensor<2x4xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
  %i = pike_onnx.constant "i" = dense<4> : tensor<si64>
  // expected-error @+1 {{node 'g' (Gather): index 4 is outside the axis of 4}}
  %y = pike_onnx.node "Gather"(%x, %i) {node_name = "g", node_attributes = {axis = 1 : si64}} : (tensor<2x4xf32>, tensor<si64>) -> none
  return %y : none
}

// -----

func.func @main(%x: tensor<2x4xf32> {pike_onnx.name = "x"}, %ids: tensor<3xsi64> {pike_onnx.name = "ids"}) -> (none {pike_onnx.name = "y"}) {
  // expected-error @+1 {{node 'g' (Gather): Gather by indices computed at run time needs a constant table}}
  %y = pike_onnx.node "Gather"(%x, %ids) {node_name = "g"} : (tensor<2x4xf32>, tensor<3xsi64>) -> none
  return %y : none
}

// -----

func.func @main(%x: tensor<2x4xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "a"}, none {pike_onnx.name = "b"}) {
  %sizes = pike_onnx.constant "sizes" = dense<[1, 2]> : tensor<2xsi64>
  // expected-error @+1 {{node 's' (Split): split sizes add up to 3, the axis has 4}}
  %a, %b = pike_onnx.node "Split"(%x, %sizes) {node_name = "s", node_attributes = {axis = 1 : si64}} : (tensor<2x4xf32>, tensor<2xsi64>) -> (none, none)
  return %a, %b : none, none
}

// -----

func.func @main(%x: tensor<2x4xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
  %a = pike_onnx.constant "a" = dense<1.0> : tensor<3xf32>
  %b = pike_onnx.constant "b" = dense<2.0> : tensor<2xf32>
  // expected-error @+1 {{node 'p' (Pow): shapes [3] and [2] do not broadcast}}
  %y = pike_onnx.node "Pow"(%a, %b) {node_name = "p"} : (tensor<3xf32>, tensor<2xf32>) -> none
  return %y : none
}

// -----

func.func @main(%x: tensor<2x4xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
  // expected-error @+1 {{node 'p' (Pow): Pow is supported between constants only here}}
  %y = pike_onnx.node "Pow"(%x, %x) {node_name = "p"} : (tensor<2x4xf32>, tensor<2x4xf32>) -> none
  return %y : none
}

// -----

// A step of a written-out layer normalization read by another node.
func.func @main(%x: tensor<2x4xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
  %m = pike_onnx.node "ReduceMean"(%x) {node_name = "mean", node_attributes = {axes = array<i64: -1>}} : (tensor<2x4xf32>) -> none
  // expected-error @+1 {{node 'relu' (Relu): input #0 is a mean over the last axis, which Pike takes only as the first step of a layer normalization written out over the last axis (ReduceMean, Sub, Pow, ReduceMean, Add, Sqrt, Div), which Pike takes only whole}}
  %y = pike_onnx.node "Relu"(%m) {node_name = "relu"} : (none) -> none
  return %y : none
}

// -----

// expected-error @+1 {{graph output 'y' is a step of a layer normalization written out over the last axis, which Pike takes only whole}}
func.func @main(%x: tensor<2x4xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
  %m = pike_onnx.node "ReduceMean"(%x) {node_name = "mean", node_attributes = {axes = array<i64: -1>}} : (tensor<2x4xf32>) -> none
  return %m : none
}

// -----

// Of a written-out layer normalization only the variance may be quantized.
func.func @main(%x: tensor<2x8xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
  %s = pike_onnx.constant "s" = dense<0.05> : tensor<f32>
  %z = pike_onnx.constant "z" = dense<0> : tensor<ui8>
  %m = pike_onnx.node "ReduceMean"(%x) {node_name = "mean", node_attributes = {axes = array<i64: -1>}} : (tensor<2x8xf32>) -> none
  %c = pike_onnx.node "Sub"(%x, %m) {node_name = "sub"} : (tensor<2x8xf32>, none) -> none
  // expected-error @+1 {{node 'qc' (QuantizeLinear): input #0 is a step of a layer normalization written out over the last axis (ReduceMean, Sub, Pow, ReduceMean, Add, Sqrt, Div), which Pike takes only whole; of its steps only the variance, before and after the epsilon is added, may be quantized (as onnxruntime's quantize_static does)}}
  %y = pike_onnx.node "QuantizeLinear"(%c, %s, %z) {node_name = "qc"} : (none, tensor<f32>, tensor<ui8>) -> none
  return %y : none
}

// -----

// A variance quantized per channel, and one dequantized by another quantizer.
func.func @main(%x: tensor<2x8xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
  %two = pike_onnx.constant "two" = dense<2.0> : tensor<f32>
  %s = pike_onnx.constant "s" = dense<[0.05, 0.04]> : tensor<2xf32>
  %z = pike_onnx.constant "z" = dense<[0, 0]> : tensor<2xui8>
  %m = pike_onnx.node "ReduceMean"(%x) {node_name = "mean", node_attributes = {axes = array<i64: -1>}} : (tensor<2x8xf32>) -> none
  %c = pike_onnx.node "Sub"(%x, %m) {node_name = "sub"} : (tensor<2x8xf32>, none) -> none
  %p = pike_onnx.node "Pow"(%c, %two) {node_name = "pow"} : (none, tensor<f32>) -> none
  %v = pike_onnx.node "ReduceMean"(%p) {node_name = "var", node_attributes = {axes = array<i64: -1>}} : (none) -> none
  // expected-error @+1 {{node 'qv' (QuantizeLinear): a layer normalization's variance must be quantized per tensor}}
  %y = pike_onnx.node "QuantizeLinear"(%v, %s, %z) {node_name = "qv", node_attributes = {axis = 0 : si64}} : (none, tensor<2xf32>, tensor<2xui8>) -> none
  return %y : none
}

// -----

func.func @main(%x: tensor<2x8xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
  %two = pike_onnx.constant "two" = dense<2.0> : tensor<f32>
  %s = pike_onnx.constant "s" = dense<0.05> : tensor<f32>
  %t = pike_onnx.constant "t" = dense<0.07> : tensor<f32>
  %z = pike_onnx.constant "z" = dense<0> : tensor<ui8>
  %m = pike_onnx.node "ReduceMean"(%x) {node_name = "mean", node_attributes = {axes = array<i64: -1>}} : (tensor<2x8xf32>) -> none
  %c = pike_onnx.node "Sub"(%x, %m) {node_name = "sub"} : (tensor<2x8xf32>, none) -> none
  %p = pike_onnx.node "Pow"(%c, %two) {node_name = "pow"} : (none, tensor<f32>) -> none
  %v = pike_onnx.node "ReduceMean"(%p) {node_name = "var", node_attributes = {axes = array<i64: -1>}} : (none) -> none
  %q = pike_onnx.node "QuantizeLinear"(%v, %s, %z) {node_name = "qv"} : (none, tensor<f32>, tensor<ui8>) -> none
  // expected-error @+1 {{node 'dqv' (DequantizeLinear): a layer normalization's variance is dequantized with a quantizer other than the one that quantized it}}
  %y = pike_onnx.node "DequantizeLinear"(%q, %t, %z) {node_name = "dqv"} : (none, tensor<f32>, tensor<ui8>) -> none
  return %y : none
}

// -----

// Integers a double does not hold exactly are not folded (INT64_MIN / -1
// would also trap).
func.func @main(%x: tensor<2x4xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
  %a = pike_onnx.constant "a" = dense<-9223372036854775808> : tensor<1xsi64>
  %b = pike_onnx.constant "b" = dense<-1> : tensor<1xsi64>
  // expected-error @+1 {{node 'd' (Div): folding integers at or beyond 2^53 is not supported (they are not exact here)}}
  %y = pike_onnx.node "Div"(%a, %b) {node_name = "d"} : (tensor<1xsi64>, tensor<1xsi64>) -> none
  return %y : none
}

// -----

func.func @main(%x: tensor<2x4xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
  %a = pike_onnx.constant "a" = dense<9007199254740995> : tensor<1xsi64>
  %b = pike_onnx.constant "b" = dense<9007199254740992> : tensor<1xsi64>
  // expected-error @+1 {{node 's' (Sub): folding integers at or beyond 2^53 is not supported (they are not exact here)}}
  %y = pike_onnx.node "Sub"(%a, %b) {node_name = "s"} : (tensor<1xsi64>, tensor<1xsi64>) -> none
  return %y : none
}

// -----

// A zero-size operand broadcasts to no elements (not to its partner's size).
func.func @main(%x: tensor<2x4xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
  %a = pike_onnx.constant "a" = dense<> : tensor<0xf32>
  %b = pike_onnx.constant "b" = dense<1.0> : tensor<1xf32>
  // expected-error @+1 {{node 'add' (Add): a folded constant of shape [0] has no elements (Pike has no empty tensors)}}
  %y = pike_onnx.node "Add"(%a, %b) {node_name = "add"} : (tensor<0xf32>, tensor<1xf32>) -> none
  return %y : none
}

// -----

func.func @main(%x: tensor<2x4xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
  %nan = pike_onnx.constant "nan" = dense<0x7FC00000> : tensor<f32>
  // expected-error @+1 {{node 'm' (Div): the constant must be finite, got nan}}
  %y = pike_onnx.node "Div"(%x, %nan) {node_name = "m"} : (tensor<2x4xf32>, tensor<f32>) -> none
  return %y : none
}
