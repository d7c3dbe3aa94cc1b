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

// A uniform constant of the full shape takes MLAS's general kernel too.
// CHECK-LABEL: func @uniform_operand
// CHECK: pike.add %arg0, %{{.*}} {{.*}}rounding = float32
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

// uint8 + int8: onnxruntime keeps the float graph; the exact add.
// CHECK-LABEL: func @mixed_types
// CHECK: pike.add
// CHECK-NOT: float32
func.func @mixed_types(%a: tensor<8xi8>, %b: tensor<8xi8>) -> tensor<8xi8> {
  %da = pike.dequantize %a {quantizer = #pike.quantizer<u8, scales = [0.5], zero_points = [3]>} : tensor<8xi8> -> tensor<8xf32>
  %db = pike.dequantize %b {quantizer = #pike.quantizer<s8, scales = [0.75]>} : tensor<8xi8> -> tensor<8xf32>
  %s = pike.add %da, %db : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %q = pike.quantize %s {quantizer = #pike.quantizer<u8, scales = [0.25], zero_points = [7]>} : tensor<8xf32> -> tensor<8xi8>
  return %q : tensor<8xi8>
}

// -----

// A Relu that clips (output zero point above the type's minimum): the
// float graph in onnxruntime, the exact add here; one that cannot clip
// (zero point at the minimum) is fused into QLinearAdd.
// CHECK-LABEL: func @clipping_relu
// CHECK: pike.add
// CHECK-NOT: float32
// CHECK: pike.clamp
// CHECK-LABEL: func @redundant_relu
// CHECK: pike.add {{.*}}rounding = float32
// CHECK-NOT: pike.clamp
func.func @clipping_relu(%a: tensor<8xi8>, %b: tensor<8xi8>) -> tensor<8xi8> {
  %da = pike.dequantize %a {quantizer = #pike.quantizer<u8, scales = [0.5], zero_points = [3]>} : tensor<8xi8> -> tensor<8xf32>
  %db = pike.dequantize %b {quantizer = #pike.quantizer<u8, scales = [0.75], zero_points = [5]>} : tensor<8xi8> -> tensor<8xf32>
  %s = pike.add %da, %db : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %r = pike.clamp %s {min = 0.0 : f64, max = 1.0e+30 : f64} : tensor<8xf32>
  %q = pike.quantize %r {quantizer = #pike.quantizer<u8, scales = [0.25], zero_points = [7]>} : tensor<8xf32> -> tensor<8xi8>
  return %q : tensor<8xi8>
}
func.func @redundant_relu(%a: tensor<8xi8>, %b: tensor<8xi8>) -> tensor<8xi8> {
  %da = pike.dequantize %a {quantizer = #pike.quantizer<u8, scales = [0.5], zero_points = [3]>} : tensor<8xi8> -> tensor<8xf32>
  %db = pike.dequantize %b {quantizer = #pike.quantizer<u8, scales = [0.75], zero_points = [5]>} : tensor<8xi8> -> tensor<8xf32>
  %s = pike.add %da, %db : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %r = pike.clamp %s {min = 0.0 : f64, max = 1.0e+30 : f64} : tensor<8xf32>
  %q = pike.quantize %r {quantizer = #pike.quantizer<u8, scales = [0.25]>} : tensor<8xf32> -> tensor<8xi8>
  return %q : tensor<8xi8>
}

// -----

// An operand repeated along the innermost axis of size above 1 is MLAS's
// scalar case, the general formula with that operand second: as rhs it
// stays, as lhs the two are swapped (its scale then rhs_scale). Trailing
// axes of size 1 do not count. An operand repeated along the rows is the
// general case.
// CHECK-LABEL: func @rhs_column
// CHECK: pike.add %arg0, %{{.*}} {lhs_scale = #pike.fixed_point<bits = 25, multipliers = [8388608], shifts = [22], rounding = float32>
// CHECK-LABEL: func @lhs_column
// CHECK: pike.add %arg1, %{{.*}} {lhs_scale = #pike.fixed_point<bits = 25, multipliers = [8388608], shifts = [22], rounding = float32>
// CHECK-SAME: rhs_scale = #pike.fixed_point<bits = 25, multipliers = [12582912], shifts = [22], rounding = float32>
// CHECK-LABEL: func @lhs_column_trailing_one
// CHECK: pike.add %arg1, %{{.*}} {{.*}}rounding = float32
// CHECK-LABEL: func @lhs_row
// CHECK: pike.add %{{.*}}, %arg1 {{.*}}rounding = float32
func.func @rhs_column(%a: tensor<2x4xi8>, %s: tensor<2xi8>) -> tensor<2x4xi8> {
  %e = tensor.empty() : tensor<2x4xi8>
  %b = linalg.broadcast ins(%s : tensor<2xi8>) outs(%e : tensor<2x4xi8>) dimensions = [1]
  %da = pike.dequantize %a {quantizer = #pike.quantizer<u8, scales = [0.5], zero_points = [3]>} : tensor<2x4xi8> -> tensor<2x4xf32>
  %db = pike.dequantize %b {quantizer = #pike.quantizer<u8, scales = [0.75], zero_points = [5]>} : tensor<2x4xi8> -> tensor<2x4xf32>
  %sum = pike.add %da, %db : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %q = pike.quantize %sum {quantizer = #pike.quantizer<u8, scales = [0.25], zero_points = [7]>} : tensor<2x4xf32> -> tensor<2x4xi8>
  return %q : tensor<2x4xi8>
}
func.func @lhs_column(%s: tensor<2xi8>, %a: tensor<2x4xi8>) -> tensor<2x4xi8> {
  %e = tensor.empty() : tensor<2x4xi8>
  %b = linalg.broadcast ins(%s : tensor<2xi8>) outs(%e : tensor<2x4xi8>) dimensions = [1]
  %db = pike.dequantize %b {quantizer = #pike.quantizer<u8, scales = [0.75], zero_points = [5]>} : tensor<2x4xi8> -> tensor<2x4xf32>
  %da = pike.dequantize %a {quantizer = #pike.quantizer<u8, scales = [0.5], zero_points = [3]>} : tensor<2x4xi8> -> tensor<2x4xf32>
  %sum = pike.add %db, %da : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %q = pike.quantize %sum {quantizer = #pike.quantizer<u8, scales = [0.25], zero_points = [7]>} : tensor<2x4xf32> -> tensor<2x4xi8>
  return %q : tensor<2x4xi8>
}
func.func @lhs_column_trailing_one(%s: tensor<2xi8>, %a: tensor<2x4x1xi8>) -> tensor<2x4x1xi8> {
  %e = tensor.empty() : tensor<2x4x1xi8>
  %b = linalg.broadcast ins(%s : tensor<2xi8>) outs(%e : tensor<2x4x1xi8>) dimensions = [1, 2]
  %db = pike.dequantize %b {quantizer = #pike.quantizer<u8, scales = [0.75], zero_points = [5]>} : tensor<2x4x1xi8> -> tensor<2x4x1xf32>
  %da = pike.dequantize %a {quantizer = #pike.quantizer<u8, scales = [0.5], zero_points = [3]>} : tensor<2x4x1xi8> -> tensor<2x4x1xf32>
  %sum = pike.add %db, %da : (tensor<2x4x1xf32>, tensor<2x4x1xf32>) -> tensor<2x4x1xf32>
  %q = pike.quantize %sum {quantizer = #pike.quantizer<u8, scales = [0.25], zero_points = [7]>} : tensor<2x4x1xf32> -> tensor<2x4x1xi8>
  return %q : tensor<2x4x1xi8>
}
func.func @lhs_row(%s: tensor<4xi8>, %a: tensor<2x4xi8>) -> tensor<2x4xi8> {
  %e = tensor.empty() : tensor<2x4xi8>
  %b = linalg.broadcast ins(%s : tensor<4xi8>) outs(%e : tensor<2x4xi8>) dimensions = [0]
  %db = pike.dequantize %b {quantizer = #pike.quantizer<u8, scales = [0.75], zero_points = [5]>} : tensor<2x4xi8> -> tensor<2x4xf32>
  %da = pike.dequantize %a {quantizer = #pike.quantizer<u8, scales = [0.5], zero_points = [3]>} : tensor<2x4xi8> -> tensor<2x4xf32>
  %sum = pike.add %db, %da : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %q = pike.quantize %sum {quantizer = #pike.quantizer<u8, scales = [0.25], zero_points = [7]>} : tensor<2x4xf32> -> tensor<2x4xi8>
  return %q : tensor<2x4xi8>
}
