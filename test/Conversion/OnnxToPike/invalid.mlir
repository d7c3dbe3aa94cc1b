// RUN: pike-opt %s -split-input-file --convert-onnx-to-pike -verify-diagnostics

// Every error names the node, its op type and the cause, at the node.

func.func @main(%x: tensor<1x4xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
  // expected-error @+1 {{node 'order' (TopK): operator is not supported by Pike's importer}}
  %y = pike_onnx.node "TopK"(%x) {node_name = "order"} : (tensor<1x4xf32>) -> none
  return %y : none
}

// -----

func.func @main(%x: tensor<1x4xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
  // expected-error @+1 {{node 'n' (Gelu): operator domain 'com.example' is not supported}}
  %y = pike_onnx.node "Gelu"(%x) {domain = "com.example", node_name = "n"} : (tensor<1x4xf32>) -> none
  return %y : none
}

// -----

func.func @main(%x: tensor<1x4xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
  // expected-error @+1 {{node 'n' (QAttention): operator of domain 'com.microsoft' is not supported by Pike's importer}}
  %y = pike_onnx.node "QAttention"(%x) {domain = "com.microsoft", node_name = "n"} : (tensor<1x4xf32>) -> none
  return %y : none
}

// -----

func.func @main(%x: tensor<1x2x3x3xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
  %w = pike_onnx.constant "w" = dense<1.0> : tensor<2x2x1x1xf32>
  // expected-error @+1 {{node 'conv' (Conv): the input must be quantized (a DequantizeLinear or Quant output); Pike has no real-valued convolution or matmul}}
  %y = pike_onnx.node "Conv"(%x, %w) {node_name = "conv"} : (tensor<1x2x3x3xf32>, tensor<2x2x1x1xf32>) -> none
  return %y : none
}

// -----

func.func @main(%x: tensor<1x4xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
  %s = pike_onnx.constant "s" = dense<0.1> : tensor<f32>
  // expected-error @+1 {{node 'q' (QuantizeLinear): attribute 'axis' must be an integer}}
  %y = pike_onnx.node "QuantizeLinear"(%x, %s) {node_name = "q", node_attributes = {axis = "one"}} : (tensor<1x4xf32>, tensor<f32>) -> none
  return %y : none
}

// -----

func.func @main(%x: tensor<1x4xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
  %s = pike_onnx.constant "s" = dense<[0.1, -0.1, 0.1, 0.1]> : tensor<4xf32>
  // expected-error @+1 {{node 'q' (QuantizeLinear): scales must be positive and finite, got [0.1, -0.1, 0.1, 0.1]}}
  %y = pike_onnx.node "QuantizeLinear"(%x, %s) {node_name = "q"} : (tensor<1x4xf32>, tensor<4xf32>) -> none
  return %y : none
}

// -----

func.func @main(%x: tensor<1x4xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
  %s = pike_onnx.constant "s" = dense<0.1> : tensor<f32>
  %z = pike_onnx.constant "z" = dense<0> : tensor<si32>
  // expected-error @+1 {{node 'q' (QuantizeLinear): zero point type int32 is not supported (uint8 or int8) or 4-bit (uint4 or int4)}}
  %y = pike_onnx.node "QuantizeLinear"(%x, %s, %z) {node_name = "q"} : (tensor<1x4xf32>, tensor<f32>, tensor<si32>) -> none
  return %y : none
}

// -----

func.func @main(%x: tensor<1x4xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
  // expected-error @+1 {{node 'c' (Cast): a Cast from float32 to uint8 is supported on constants only}}
  %y = pike_onnx.node "Cast"(%x) {node_name = "c", node_attributes = {to = 2 : i64}} : (tensor<1x4xf32>) -> none
  return %y : none
}

// -----

func.func @main(%x: tensor<1x2x3x3xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
  %shape = pike_onnx.constant "shape" = dense<[1, 5, -1]> : tensor<3xsi64>
  // expected-error @+1 {{node 'r' (Reshape): cannot reshape [1, 2, 3, 3] to [1, 5, -1]}}
  %y = pike_onnx.node "Reshape"(%x, %shape) {node_name = "r"} : (tensor<1x2x3x3xf32>, tensor<3xsi64>) -> none
  return %y : none
}

// -----

func.func @main(%x: tensor<1x2x3x3xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
  %none = pike_onnx.none
  // expected-error @+1 {{node 'p' (MaxPool): 'kernel_shape' is required}}
  %y = pike_onnx.node "MaxPool"(%x) {node_name = "p"} : (tensor<1x2x3x3xf32>) -> none
  return %y : none
}

// -----

// Broadcasting where neither operand has the result's shape.
func.func @main(%x: tensor<1x2x3x1xf32> {pike_onnx.name = "x"}, %y: tensor<1x2x1x3xf32> {pike_onnx.name = "b"}) -> (none {pike_onnx.name = "y"}) {
  // expected-error @+1 {{node 'add' (Add): broadcasting [1, 2, 3, 1] with [1, 2, 1, 3] is not supported}}
  %s = pike_onnx.node "Add"(%x, %y) {node_name = "add"} : (tensor<1x2x3x1xf32>, tensor<1x2x1x3xf32>) -> none
  return %s : none
}

// -----

// expected-error @+1 {{graph input 'x' needs a static shape, got (?, 4) (give --batch N for a symbolic batch dimension)}}
func.func @main(%x: tensor<?x4xf32> {pike_onnx.name = "x"}) -> (tensor<?x4xf32> {pike_onnx.name = "y"}) {
  %y = pike_onnx.node "Relu"(%x) {node_name = "r"} : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

// expected-error @+1 {{graph input 's' has unsupported element type STRING}}
func.func @main(%x: none {pike_onnx.name = "s", pike_onnx.elem_type = "STRING"}) -> (none {pike_onnx.name = "y"}) {
  %y = pike_onnx.node "Identity"(%x) {node_name = "i"} : (none) -> none
  return %y : none
}

// -----

func.func @main(%x: tensor<1x2x3x3xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
  %c = pike_onnx.constant "c" = dense<2.0> : tensor<f32>
  // expected-error @+1 {{node 'm' (Div): a constant divided by or minus a tensor is not supported}}
  %y = pike_onnx.node "Div"(%c, %x) {node_name = "m"} : (tensor<f32>, tensor<1x2x3x3xf32>) -> none
  return %y : none
}

// -----

func.func @main(%x: tensor<1x2x3x3xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
  %c = pike_onnx.constant "c" = dense<2.0> : tensor<1x1x1x3xf32>
  // expected-error @+1 {{node 'd' (Div): the constant must hold one value or one per channel}}
  %y = pike_onnx.node "Div"(%x, %c) {node_name = "d"} : (tensor<1x2x3x3xf32>, tensor<1x1x1x3xf32>) -> none
  return %y : none
}

// -----

func.func @main(%x: tensor<1x4xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
  // expected-error @+1 {{node 'g' (Gelu): approximate = 'tanh' is not supported (the exact, erf form only)}}
  %y = pike_onnx.node "Gelu"(%x) {node_name = "g", node_attributes = {approximate = "tanh"}} : (tensor<1x4xf32>) -> none
  return %y : none
}

// -----

func.func @main(%x: tensor<1x4xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
  // expected-error @+1 {{node 'h' (HardSigmoid): 'alpha' must be a finite number, got INF}}
  %y = pike_onnx.node "HardSigmoid"(%x) {node_name = "h", node_attributes = {alpha = 0x7F800000 : f32}} : (tensor<1x4xf32>) -> none
  return %y : none
}

// -----

func.func @main(%a: tensor<2x4x5xsi8> {pike_onnx.name = "a"}, %b: tensor<3x5x6xsi8> {pike_onnx.name = "b"}) -> (none {pike_onnx.name = "y"}) {
  // expected-error @+1 {{node 'mm' (MatMulInteger): the batch dimensions of A [2] and B [3] do not broadcast}}
  %y = pike_onnx.node "MatMulInteger"(%a, %b) {node_name = "mm"} : (tensor<2x4x5xsi8>, tensor<3x5x6xsi8>) -> none
  return %y : none
}

// -----

// Blocked quantization of an activation: Pike's quantizers are per tensor or per channel.
func.func @main(%x: tensor<2x4xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
  %s = pike_onnx.constant "s" = dense<0.5> : tensor<2x2xf32>
  %z = pike_onnx.constant "z" = dense<0> : tensor<2x2xsi4>
  // expected-error @+1 {{node 'qb' (QuantizeLinear): blocked quantization (block_size 2) is supported on constant initializers only: Pike's quantizers are per tensor or per channel}}
  %y = pike_onnx.node "QuantizeLinear"(%x, %s, %z) {node_name = "qb", node_attributes = {axis = 1 : i64, block_size = 2 : i64}} : (tensor<2x4xf32>, tensor<2x2xf32>, tensor<2x2xsi4>) -> none
  return %y : none
}

// -----

// Blocked scales must be shaped like the input with the blocked axis divided
// by block_size, rounded up: [2, ceil(5 / 2)] = [2, 3].
func.func @main() -> (none {pike_onnx.name = "y"}) {
  %w = pike_onnx.constant "w" = dense<1> : tensor<2x5xsi4>
  %s = pike_onnx.constant "s" = dense<0.5> : tensor<2x2xf32>
  // expected-error @+1 {{node 'dqb' (DequantizeLinear): blocked scales must have shape [2, 3] (input [2, 5], block_size 2 on axis 1), got [2, 2]}}
  %y = pike_onnx.node "DequantizeLinear"(%w, %s) {node_name = "dqb", node_attributes = {axis = 1 : i64, block_size = 2 : i64}} : (tensor<2x5xsi4>, tensor<2x2xf32>) -> none
  return %y : none
}

// -----

// QONNX Trunc to a finer scale (k = round(log2(0.125 / 0.25)) = -1): nothing to truncate.
func.func @main(%x: tensor<4xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
  %s = pike_onnx.constant "s" = dense<0.25> : tensor<f32>
  %so = pike_onnx.constant "so" = dense<0.125> : tensor<f32>
  %z = pike_onnx.constant "z" = dense<0.0> : tensor<f32>
  %b8 = pike_onnx.constant "b8" = dense<8.0> : tensor<f32>
  %b4 = pike_onnx.constant "b4" = dense<4.0> : tensor<f32>
  // expected-error @+1 {{node 't' (Trunc): output_scale / scale must be 2^k with k in [0, 30], got [0.5]}}
  %y = pike_onnx.node "Trunc"(%x, %s, %z, %b8, %so, %b4) {domain = "qonnx.custom_op.general", node_name = "t"} : (tensor<4xf32>, tensor<f32>, tensor<f32>, tensor<f32>, tensor<f32>, tensor<f32>) -> none
  return %y : none
}

// -----

// QONNX Trunc v1 to more bits than it reads: nothing to truncate.
func.func @main(%x: tensor<4xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
  %s = pike_onnx.constant "s" = dense<0.25> : tensor<f32>
  %z = pike_onnx.constant "z" = dense<0.0> : tensor<f32>
  %b8 = pike_onnx.constant "b8" = dense<8.0> : tensor<f32>
  %b4 = pike_onnx.constant "b4" = dense<4.0> : tensor<f32>
  // expected-error @+1 {{node 't' (Trunc): input_bit_width - output_bit_width must be in [0, 30], got -4}}
  %y = pike_onnx.node "Trunc"(%x, %s, %z, %b4, %b8) {domain = "qonnx.custom_op.general", node_name = "t"} : (tensor<4xf32>, tensor<f32>, tensor<f32>, tensor<f32>, tensor<f32>) -> none
  return %y : none
}

// -----

func.func @main(%x: tensor<f32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
  %s = pike_onnx.constant "s" = dense<0.25> : tensor<f32>
  %z = pike_onnx.constant "z" = dense<0.0> : tensor<f32>
  %b8 = pike_onnx.constant "b8" = dense<8.0> : tensor<f32>
  %b4 = pike_onnx.constant "b4" = dense<4.0> : tensor<f32>
  // expected-error @+1 {{node 't' (Trunc): Trunc needs an input of rank 1 or more, got a scalar}}
  %y = pike_onnx.node "Trunc"(%x, %s, %z, %b8, %b4) {domain = "qonnx.custom_op.general", node_name = "t"} : (tensor<f32>, tensor<f32>, tensor<f32>, tensor<f32>, tensor<f32>) -> none
  return %y : none
}

// -----

func.func @main(%x: tensor<1x4x2x2xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
  %s = pike_onnx.constant "starts" = dense<[3]> : tensor<1xsi64>
  %e = pike_onnx.constant "ends" = dense<[0]> : tensor<1xsi64>
  %a = pike_onnx.constant "axes" = dense<[1]> : tensor<1xsi64>
  %n = pike_onnx.constant "steps" = dense<[-1]> : tensor<1xsi64>
  // expected-error @+1 {{node 'reverse' (Slice): step -1 on axis 1 is not supported (only positive steps)}}
  %y = pike_onnx.node "Slice"(%x, %s, %e, %a, %n) {node_name = "reverse"} : (tensor<1x4x2x2xf32>, tensor<1xsi64>, tensor<1xsi64>, tensor<1xsi64>, tensor<1xsi64>) -> none
  return %y : none
}

// -----

func.func @main(%x: tensor<1x4x2x2xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
  %s = pike_onnx.constant "starts" = dense<[3]> : tensor<1xsi64>
  %e = pike_onnx.constant "ends" = dense<[1]> : tensor<1xsi64>
  %a = pike_onnx.constant "axes" = dense<[1]> : tensor<1xsi64>
  // expected-error @+1 {{node 'empty' (Slice): the slice of axis 1 is empty (Pike has no empty tensors)}}
  %y = pike_onnx.node "Slice"(%x, %s, %e, %a) {node_name = "empty"} : (tensor<1x4x2x2xf32>, tensor<1xsi64>, tensor<1xsi64>, tensor<1xsi64>) -> none
  return %y : none
}

// -----

func.func @main(%x: tensor<1x4x2x2xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
  %s = pike_onnx.constant "starts" = dense<[0]> : tensor<1xsi64>
  %e = pike_onnx.constant "ends" = dense<[1]> : tensor<1xsi64>
  %a = pike_onnx.constant "axes" = dense<[4]> : tensor<1xsi64>
  // expected-error @+1 {{node 'far' (Slice): axis 4 is out of range for rank 4 or repeated}}
  %y = pike_onnx.node "Slice"(%x, %s, %e, %a) {node_name = "far"} : (tensor<1x4x2x2xf32>, tensor<1xsi64>, tensor<1xsi64>, tensor<1xsi64>) -> none
  return %y : none
}

// -----

// Per-column zero points of B need constant B, which import subtracts them from.
func.func @main(%a: tensor<2x3xui8> {pike_onnx.name = "a"}, %b: tensor<3x4xui8> {pike_onnx.name = "b"}) -> (none {pike_onnx.name = "y"}) {
  %za = pike_onnx.constant "za" = dense<0> : tensor<ui8>
  %zb = pike_onnx.constant "zb" = dense<[0, 1, 2, 3]> : tensor<4xui8>
  // expected-error @+1 {{node 'mm' (MatMulInteger): per-column zero points of input B need a constant B}}
  %y = pike_onnx.node "MatMulInteger"(%a, %b, %za, %zb) {node_name = "mm"} : (tensor<2x3xui8>, tensor<3x4xui8>, tensor<ui8>, tensor<4xui8>) -> none
  return %y : none
}

// -----

func.func @main(%x: tensor<4xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
  %s = pike_onnx.constant "s" = dense<0.5> : tensor<f32>
  %z = pike_onnx.constant "z" = dense<0.0> : tensor<f32>
  %b = pike_onnx.constant "b" = dense<4.0> : tensor<f32>
  // expected-error @+1 {{node 'q' (Quant): rounding_mode 'HALF_UP' is not supported (ROUND, HALF_EVEN, FLOOR, CEIL, ROUND_TO_ZERO, DOWN)}}
  %y = pike_onnx.node "Quant"(%x, %s, %z, %b) {domain = "qonnx.custom_op.general", node_name = "q", node_attributes = {rounding_mode = "HALF_UP"}} : (tensor<4xf32>, tensor<f32>, tensor<f32>, tensor<f32>) -> none
  return %y : none
}

// -----

func.func @main(%x: tensor<4xf32> {pike_onnx.name = "x"}) -> (none {pike_onnx.name = "y"}) {
  %s = pike_onnx.constant "s" = dense<[0.5, 0.25]> : tensor<2xf32>
  // expected-error @+1 {{node 'bq' (BipolarQuant): BipolarQuant needs one scale}}
  %y = pike_onnx.node "BipolarQuant"(%x, %s) {domain = "qonnx.custom_op.general", node_name = "bq"} : (tensor<4xf32>, tensor<2xf32>) -> none
  return %y : none
}
