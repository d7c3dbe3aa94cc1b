// RUN: pike-opt %s --split-input-file --pike-fixed-point=rounding=float32 | FileCheck %s
// RUN: pike-opt %s --split-input-file --pike-fixed-point=rounding=float32 --convert-pike-to-linalg | FileCheck %s --check-prefix=LOWERED

// float32 rounding makes an add of two 8-bit tensors onnxruntime's
// QLinearAdd: each ratio its own float32 scale (0.5 / 0.25 = 2 = 2^23 *
// 2^-22, 0.75 / 0.25 = 3 = 3 * 2^22 * 2^-22), lowered as MLAS computes it:
// two fmas on the stored integers, rhs first.
// CHECK-LABEL: func @qlinear_add
// CHECK: pike.add %arg0, %arg1 {lhs_scale = #pike.fixed_point<bits = 25, multipliers = [8388608], shifts = [22], rounding = float32>, lhs_unsigned, lhs_zp = 3 : i64, output_unsigned, output_zp = 7 : i64, rhs_scale = #pike.fixed_point<bits = 25, multipliers = [12582912], shifts = [22], rounding = float32>, rhs_unsigned, rhs_zp = 5 : i64}
// LOWERED-LABEL: func @qlinear_add
// LOWERED: linalg.generic
// LOWERED: ^bb0(%[[A:.*]]: i8, %[[B:.*]]: i8, %{{.*}}: i8):
// LOWERED: %[[L:.*]] = arith.uitofp %[[A]] : i8 to f32
// LOWERED: %[[R:.*]] = arith.uitofp %[[B]] : i8 to f32
// LOWERED: %[[LS:.*]] = arith.constant 2.000000e+00 : f32
// LOWERED: %[[RS:.*]] = arith.constant 3.000000e+00 : f32
// F = 7 - fma(2, 3, 3 * 5) = -14.
// LOWERED: %[[F:.*]] = arith.constant -1.400000e+01 : f32
// LOWERED: %[[INNER:.*]] = math.fma %[[R]], %[[RS]], %[[F]] : f32
// LOWERED: math.fma %[[L]], %[[LS]], %[[INNER]] : f32
func.func @qlinear_add(%a: tensor<8xi8>, %b: tensor<8xi8>) -> tensor<8xi8> {
  %da = pike.dequantize %a {quantizer = #pike.quantizer<u8, scales = [0.5], zero_points = [3]>} : tensor<8xi8> -> tensor<8xf32>
  %db = pike.dequantize %b {quantizer = #pike.quantizer<u8, scales = [0.75], zero_points = [5]>} : tensor<8xi8> -> tensor<8xf32>
  %s = pike.add %da, %db : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %q = pike.quantize %s {quantizer = #pike.quantizer<u8, scales = [0.25], zero_points = [7]>} : tensor<8xf32> -> tensor<8xi8>
  return %q : tensor<8xi8>
}

// -----

// A constant one value everywhere (an ONNX scalar, broadcast) keeps the
// exact add: MLAS folds a one-element operand into its fixed part.
// CHECK-LABEL: func @uniform_operand
// CHECK: pike.add
// CHECK-NOT: float32
func.func @uniform_operand(%a: tensor<8xi8>) -> tensor<8xi8> {
  %b = arith.constant dense<9> : tensor<8xi8>
  %da = pike.dequantize %a {quantizer = #pike.quantizer<u8, scales = [0.5], zero_points = [3]>} : tensor<8xi8> -> tensor<8xf32>
  %db = pike.dequantize %b {quantizer = #pike.quantizer<u8, scales = [0.75], zero_points = [5]>} : tensor<8xi8> -> tensor<8xf32>
  %s = pike.add %da, %db : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %q = pike.quantize %s {quantizer = #pike.quantizer<u8, scales = [0.25], zero_points = [7]>} : tensor<8xf32> -> tensor<8xi8>
  return %q : tensor<8xi8>
}

// -----

// Not 8-bit: no QLinearAdd; the exact add.
// CHECK-LABEL: func @four_bit
// CHECK: pike.add
// CHECK-NOT: float32
func.func @four_bit(%a: tensor<8xi4>, %b: tensor<8xi4>) -> tensor<8xi4> {
  %da = pike.dequantize %a {quantizer = #pike.quantizer<u4, scales = [0.5]>} : tensor<8xi4> -> tensor<8xf32>
  %db = pike.dequantize %b {quantizer = #pike.quantizer<u4, scales = [0.75]>} : tensor<8xi4> -> tensor<8xf32>
  %s = pike.add %da, %db : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %q = pike.quantize %s {quantizer = #pike.quantizer<u4, scales = [0.25]>} : tensor<8xf32> -> tensor<8xi4>
  return %q : tensor<8xi4>
}

// -----

// A one-element operand broadcast to the other's shape, or one repeated
// along the last axis: MLAS's scalar case, the exact add. A vector repeated
// along the rows is its general case.
// CHECK-LABEL: func @broadcast_scalar
// CHECK: pike.add
// CHECK-NOT: float32
func.func @broadcast_scalar(%a: tensor<2x4xi8>, %s: tensor<i8>) -> tensor<2x4xi8> {
  %e = tensor.empty() : tensor<2x4xi8>
  %b = linalg.broadcast ins(%s : tensor<i8>) outs(%e : tensor<2x4xi8>) dimensions = [0, 1]
  %da = pike.dequantize %a {quantizer = #pike.quantizer<u8, scales = [0.5], zero_points = [3]>} : tensor<2x4xi8> -> tensor<2x4xf32>
  %db = pike.dequantize %b {quantizer = #pike.quantizer<u8, scales = [0.75], zero_points = [5]>} : tensor<2x4xi8> -> tensor<2x4xf32>
  %sum = pike.add %da, %db : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %q = pike.quantize %sum {quantizer = #pike.quantizer<u8, scales = [0.25], zero_points = [7]>} : tensor<2x4xf32> -> tensor<2x4xi8>
  return %q : tensor<2x4xi8>
}

// -----

// CHECK-LABEL: func @broadcast_column
// CHECK: pike.add
// CHECK-NOT: float32
func.func @broadcast_column(%a: tensor<2x4xi8>, %s: tensor<2xi8>) -> tensor<2x4xi8> {
  %e = tensor.empty() : tensor<2x4xi8>
  %b = linalg.broadcast ins(%s : tensor<2xi8>) outs(%e : tensor<2x4xi8>) dimensions = [1]
  %da = pike.dequantize %a {quantizer = #pike.quantizer<u8, scales = [0.5], zero_points = [3]>} : tensor<2x4xi8> -> tensor<2x4xf32>
  %db = pike.dequantize %b {quantizer = #pike.quantizer<u8, scales = [0.75], zero_points = [5]>} : tensor<2x4xi8> -> tensor<2x4xf32>
  %sum = pike.add %da, %db : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %q = pike.quantize %sum {quantizer = #pike.quantizer<u8, scales = [0.25], zero_points = [7]>} : tensor<2x4xf32> -> tensor<2x4xi8>
  return %q : tensor<2x4xi8>
}

// -----

// CHECK-LABEL: func @broadcast_row
// CHECK: pike.add
// CHECK-SAME: rounding = float32
func.func @broadcast_row(%a: tensor<2x4xi8>, %s: tensor<4xi8>) -> tensor<2x4xi8> {
  %e = tensor.empty() : tensor<2x4xi8>
  %b = linalg.broadcast ins(%s : tensor<4xi8>) outs(%e : tensor<2x4xi8>) dimensions = [0]
  %da = pike.dequantize %a {quantizer = #pike.quantizer<u8, scales = [0.5], zero_points = [3]>} : tensor<2x4xi8> -> tensor<2x4xf32>
  %db = pike.dequantize %b {quantizer = #pike.quantizer<u8, scales = [0.75], zero_points = [5]>} : tensor<2x4xi8> -> tensor<2x4xf32>
  %sum = pike.add %da, %db : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %q = pike.quantize %sum {quantizer = #pike.quantizer<u8, scales = [0.25], zero_points = [7]>} : tensor<2x4xf32> -> tensor<2x4xi8>
  return %q : tensor<2x4xi8>
}
