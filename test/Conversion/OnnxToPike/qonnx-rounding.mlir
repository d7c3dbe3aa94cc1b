// RUN: pike-opt %s -split-input-file --convert-onnx-to-pike | FileCheck %s

// QONNX Quant's rounding_mode becomes pike.quantize's rounding; weights
// (constants) are rounded at import by the same mode: 0.75 / 0.5 = 1.5 and
// -0.3 / 0.5 = -0.6 floor to 1 and -1.
// CHECK-LABEL: func.func @main
// CHECK: pike.quantize %{{.*}} {quantizer = #pike.quantizer<s4, scales = [5.000000e-01]>, rounding = #pike<quantize_rounding floor>}
// CHECK: pike.quantize %{{.*}} {quantizer = #pike.quantizer<s4, scales = [5.000000e-01]>, rounding = #pike<quantize_rounding ceil>}
// CHECK: pike.quantize %{{.*}} {quantizer = #pike.quantizer<s4, scales = [5.000000e-01]>, rounding = #pike<quantize_rounding toward_zero>}
// CHECK: arith.constant dense<[1, -1]> : tensor<2xi4>
func.func @main(%x: tensor<2xf32> {pike_onnx.name = "x"}) -> (tensor<2xf32> {pike_onnx.name = "w"}, tensor<2xf32> {pike_onnx.name = "f"}, tensor<2xf32> {pike_onnx.name = "c"}, tensor<2xf32> {pike_onnx.name = "t"}) {
  %s = pike_onnx.constant "s" = dense<0.5> : tensor<f32>
  %z = pike_onnx.constant "z" = dense<0.0> : tensor<f32>
  %b4 = pike_onnx.constant "b4" = dense<4.0> : tensor<f32>
  %w = pike_onnx.constant "w0" = dense<[0.75, -0.3]> : tensor<2xf32>
  %wq = pike_onnx.node "Quant"(%w, %s, %z, %b4) {domain = "qonnx.custom_op.general", node_name = "wq", node_attributes = {rounding_mode = "FLOOR"}} : (tensor<2xf32>, tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<2xf32>
  %f = pike_onnx.node "Quant"(%x, %s, %z, %b4) {domain = "qonnx.custom_op.general", node_name = "f", node_attributes = {rounding_mode = "FLOOR"}} : (tensor<2xf32>, tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<2xf32>
  %c = pike_onnx.node "Quant"(%x, %s, %z, %b4) {domain = "qonnx.custom_op.general", node_name = "c", node_attributes = {rounding_mode = "CEIL"}} : (tensor<2xf32>, tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<2xf32>
  %t = pike_onnx.node "Quant"(%x, %s, %z, %b4) {domain = "qonnx.custom_op.general", node_name = "t", node_attributes = {rounding_mode = "ROUND_TO_ZERO"}} : (tensor<2xf32>, tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<2xf32>
  return %wq, %f, %c, %t : tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>
}

// -----

// QONNX Trunc (v2) of an 8-bit tensor on scale 0.25 to 4 bits on scale 4 =
// 0.25 * 2^4: k = 4. FLOOR is a requantize by 2^-4 (2^30 at shift 34) with
// ties up and input zero point 2^3; CEIL's zero point is 1 - 2^3; ROUND
// rounds ties to even with no zero point.
// CHECK-LABEL: func.func @main
// CHECK: %[[Q:.*]] = pike.quantize %{{.*}} {quantizer = #pike.quantizer<s8, scales = [2.500000e-01]>}
// CHECK: pike.requantize %[[Q]] {input_zp = 8 : i64, max = 7 : i64, min = -8 : i64, multiplier = #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [34]>} : tensor<4xi8> -> tensor<4xi4>
// CHECK: pike.requantize %[[Q]] {input_zp = -7 : i64, max = 7 : i64, min = -8 : i64, multiplier = #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [34]>} : tensor<4xi8> -> tensor<4xi4>
// CHECK: pike.requantize %[[Q]] {max = 7 : i64, min = -8 : i64, multiplier = #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [34], rounding = half_even>} : tensor<4xi8> -> tensor<4xi4>
func.func @main(%x: tensor<4xf32> {pike_onnx.name = "x"}) -> (tensor<4xf32> {pike_onnx.name = "f"}, tensor<4xf32> {pike_onnx.name = "c"}, tensor<4xf32> {pike_onnx.name = "r"}) {
  %s = pike_onnx.constant "s" = dense<0.25> : tensor<f32>
  %so = pike_onnx.constant "so" = dense<4.0> : tensor<f32>
  %z = pike_onnx.constant "z" = dense<0.0> : tensor<f32>
  %b8 = pike_onnx.constant "b8" = dense<8.0> : tensor<f32>
  %b4 = pike_onnx.constant "b4" = dense<4.0> : tensor<f32>
  %q = pike_onnx.node "Quant"(%x, %s, %z, %b8) {domain = "qonnx.custom_op.general", node_name = "q"} : (tensor<4xf32>, tensor<f32>, tensor<f32>, tensor<f32>) -> none
  %f = pike_onnx.node "Trunc"(%q, %s, %z, %b8, %so, %b4) {domain = "qonnx.custom_op.general", node_name = "tf", node_attributes = {rounding_mode = "FLOOR"}} : (none, tensor<f32>, tensor<f32>, tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<4xf32>
  %c = pike_onnx.node "Trunc"(%q, %s, %z, %b8, %so, %b4) {domain = "qonnx.custom_op.general", node_name = "tc", node_attributes = {rounding_mode = "CEIL"}} : (none, tensor<f32>, tensor<f32>, tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<4xf32>
  %r = pike_onnx.node "Trunc"(%q, %s, %z, %b8, %so, %b4) {domain = "qonnx.custom_op.general", node_name = "tr", node_attributes = {rounding_mode = "ROUND"}} : (none, tensor<f32>, tensor<f32>, tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<4xf32>
  return %f, %c, %r : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// ROUND_TO_ZERO is floor of the positive part (clamped to [0, 7]) plus ceil
// of the negative part (clamped to [-8, 0]): one of the two is 0.
// Trunc v1 (5 inputs): k = 8 - 4 = 4, not clamped, on the input's scale:
// an s8 shifted by 4 lies in [-8, 8], an s5.
// CHECK-LABEL: func.func @main
// CHECK: %[[Q:.*]] = pike.quantize %{{.*}} {quantizer = #pike.quantizer<s8, scales = [2.500000e-01]>}
// CHECK: %[[P:.*]] = pike.requantize %[[Q]] {input_zp = 8 : i64, max = 7 : i64, min = 0 : i64, multiplier = #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [34]>} : tensor<4xi8> -> tensor<4xi4>
// CHECK: %[[N:.*]] = pike.requantize %[[Q]] {input_zp = -7 : i64, max = 0 : i64, min = -8 : i64, multiplier = #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [34]>} : tensor<4xi8> -> tensor<4xi4>
// CHECK: pike.add %[[P]], %[[N]] {lhs_scale = #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [30], rounding = half_even>, rhs_scale = #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [30], rounding = half_even>} : (tensor<4xi4>, tensor<4xi4>) -> tensor<4xi4>
// CHECK: %[[V1:.*]] = pike.requantize %[[Q]] {input_zp = 8 : i64, max = 15 : i64, min = -16 : i64, multiplier = #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [34]>} : tensor<4xi8> -> tensor<4xi5>
// CHECK: pike.dequantize %[[V1]] {quantizer = #pike.quantizer<s5, scales = [2.500000e-01]>}
func.func @main(%x: tensor<4xf32> {pike_onnx.name = "x"}) -> (tensor<4xf32> {pike_onnx.name = "z"}, tensor<4xf32> {pike_onnx.name = "v1"}) {
  %s = pike_onnx.constant "s" = dense<0.25> : tensor<f32>
  %so = pike_onnx.constant "so" = dense<4.0> : tensor<f32>
  %z = pike_onnx.constant "z" = dense<0.0> : tensor<f32>
  %b8 = pike_onnx.constant "b8" = dense<8.0> : tensor<f32>
  %b4 = pike_onnx.constant "b4" = dense<4.0> : tensor<f32>
  %q = pike_onnx.node "Quant"(%x, %s, %z, %b8) {domain = "qonnx.custom_op.general", node_name = "q"} : (tensor<4xf32>, tensor<f32>, tensor<f32>, tensor<f32>) -> none
  %t = pike_onnx.node "Trunc"(%q, %s, %z, %b8, %so, %b4) {domain = "qonnx.custom_op.general", node_name = "tz", node_attributes = {rounding_mode = "ROUND_TO_ZERO"}} : (none, tensor<f32>, tensor<f32>, tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<4xf32>
  %v = pike_onnx.node "Trunc"(%q, %s, %z, %b8, %b4) {domain = "qonnx.custom_op.general", node_name = "t1"} : (none, tensor<f32>, tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<4xf32>
  return %t, %v : tensor<4xf32>, tensor<4xf32>
}
