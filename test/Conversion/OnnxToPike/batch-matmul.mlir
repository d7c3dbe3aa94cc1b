// RUN: pike-opt %s -split-input-file --convert-onnx-to-pike | FileCheck %s

// QLinearMatMul with 3-D operands (ONNX's test_qlinearmatmul_3D): one
// pike.batch_matmul over the batch of 2 on the uint8 integers, zero points
// 113 and 114; then the scale 0.0066 * 0.00705 = 4.653e-05 per column, and the output
// quantizer (0.0107, 118).
// CHECK-LABEL: func.func @main
// CHECK: %[[B:.*]] = arith.constant dense<{{.*}}> : tensor<2x4x3xi8>
// CHECK: %[[ACC:.*]] = pike.batch_matmul %{{.*}}, %[[B]] {lhs_unsigned, lhs_zp = 113 : i64, rhs_unsigned, rhs_zp = 114 : i64}
// CHECK-SAME: : (tensor<2x2x4xi8>, tensor<2x4x3xi8>) -> tensor<2x2x3xi32>
// CHECK: pike.scale %[[ACC]] {scale = array<f64: 4.653{{[0-9]*}}E-5, 4.653{{[0-9]*}}E-5, 4.653{{[0-9]*}}E-5>}
// CHECK: pike.quantize {{.*}}scales = [0.0107{{[0-9]*}}], zero_points = [118]
func.func @main(%a: tensor<2x2x4xui8> {pike_onnx.name = "a"}) -> (tensor<2x2x3xui8> {pike_onnx.name = "y"}) {
  %sa = pike_onnx.constant "sa" = dense<0.0066> : tensor<1xf32>
  %za = pike_onnx.constant "za" = dense<113> : tensor<1xui8>
  %b = pike_onnx.constant "b" = dense<[[[152, 51, 244], [60, 26, 255], [0, 127, 246], [127, 254, 247]],
                                       [[152, 51, 244], [60, 26, 255], [0, 127, 246], [127, 254, 247]]]> : tensor<2x4x3xui8>
  %sb = pike_onnx.constant "sb" = dense<0.00705> : tensor<1xf32>
  %zb = pike_onnx.constant "zb" = dense<114> : tensor<1xui8>
  %sy = pike_onnx.constant "sy" = dense<0.0107> : tensor<1xf32>
  %zy = pike_onnx.constant "zy" = dense<118> : tensor<1xui8>
  %y = pike_onnx.node "QLinearMatMul"(%a, %sa, %za, %b, %sb, %zb, %sy, %zy) {node_name = "mm"}
      : (tensor<2x2x4xui8>, tensor<1xf32>, tensor<1xui8>, tensor<2x4x3xui8>, tensor<1xf32>, tensor<1xui8>, tensor<1xf32>, tensor<1xui8>) -> tensor<2x2x3xui8>
  return %y : tensor<2x2x3xui8>
}

// -----

// MatMulInteger of two activations whose batch dimensions broadcast:
// [2, 1, 4, 5] by [3, 5, 6] is [2, 3, 4, 6]. The 4-D input, which pike keeps
// in NHWC, is read back in the model's order first.
// CHECK-LABEL: func.func @main
// CHECK: %[[A:.*]] = linalg.transpose ins(%{{.*}} : tensor<2x4x5x1xi8>) {{.*}} permutation = [0, 3, 1, 2]
// CHECK: pike.batch_matmul %[[A]], %{{.*}} {lhs_zp = -128 : i64, rhs_unsigned, rhs_zp = 255 : i64}
// CHECK-SAME: : (tensor<2x1x4x5xi8>, tensor<3x5x6xi8>) -> tensor<2x3x4x6xi32>
func.func @main(%a: tensor<2x1x4x5xsi8> {pike_onnx.name = "a"}, %b: tensor<3x5x6xui8> {pike_onnx.name = "b"})
    -> (tensor<2x3x4x6xsi32> {pike_onnx.name = "y"}) {
  %za = pike_onnx.constant "za" = dense<-128> : tensor<si8>
  %zb = pike_onnx.constant "zb" = dense<255> : tensor<ui8>
  %y = pike_onnx.node "MatMulInteger"(%a, %b, %za, %zb) {node_name = "mm"}
      : (tensor<2x1x4x5xsi8>, tensor<3x5x6xui8>, tensor<si8>, tensor<ui8>) -> tensor<2x3x4x6xsi32>
  return %y : tensor<2x3x4x6xsi32>
}

// -----

// MatMul in QDQ of a 3-D activation by 2-D real weights, quantized at import
// per output column (8-bit symmetric: column scales 2/127 and 1/127), which
// pike.scale applies along the last dimension. The activation's leading
// dimensions are rows of one fully connected product (its kernels).
// CHECK-LABEL: func.func @main
// CHECK: %[[ROWS:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0, 1], [2]] : tensor<2x3x2xi8> into tensor<6x2xi8>
// CHECK: %[[ACC:.*]] = pike.fully_connected %[[ROWS]], %{{.*}} {input_unsigned}
// CHECK-SAME: : (tensor<6x2xi8>, tensor<2x2xi8>) -> tensor<6x2xi32>
// CHECK: tensor.expand_shape %[[ACC]] {{\[\[}}0, 1], [2]] output_shape [2, 3, 2] : tensor<6x2xi32> into tensor<2x3x2xi32>
// CHECK: pike.scale %{{.*}} {scale = array<f64: 0.0039370{{[0-9]*}}, 0.0019685{{[0-9]*}}>}
// CHECK-SAME: tensor<2x3x2xi32> -> tensor<2x3x2xf32>
func.func @main(%x: tensor<2x3x2xf32> {pike_onnx.name = "x"}) -> (tensor<2x3x2xf32> {pike_onnx.name = "y"}) {
  %s = pike_onnx.constant "s" = dense<0.25> : tensor<f32>
  %z = pike_onnx.constant "z" = dense<0> : tensor<ui8>
  %w = pike_onnx.constant "w" = dense<[[2.0, -0.5], [-1.0, 1.0]]> : tensor<2x2xf32>
  %xq = pike_onnx.node "QuantizeLinear"(%x, %s, %z) {node_name = "xq"} : (tensor<2x3x2xf32>, tensor<f32>, tensor<ui8>) -> tensor<2x3x2xui8>
  %xd = pike_onnx.node "DequantizeLinear"(%xq, %s, %z) {node_name = "xd"} : (tensor<2x3x2xui8>, tensor<f32>, tensor<ui8>) -> tensor<2x3x2xf32>
  %y = pike_onnx.node "MatMul"(%xd, %w) {node_name = "mm"} : (tensor<2x3x2xf32>, tensor<2x2xf32>) -> tensor<2x3x2xf32>
  return %y : tensor<2x3x2xf32>
}

// -----

// A 1-D operand is a matrix of one row (A) or one column (B), whose
// dimension the result drops: [4] by [4, 3] is [3].
// CHECK-LABEL: func.func @main
// CHECK: %[[ROW:.*]] = tensor.expand_shape %{{.*}} {{\[\[}}0, 1]] output_shape [1, 4] : tensor<4xi8> into tensor<1x4xi8>
// CHECK: %[[ACC:.*]] = pike.batch_matmul %[[ROW]], %{{.*}} : (tensor<1x4xi8>, tensor<4x3xi8>) -> tensor<1x3xi32>
// CHECK: tensor.collapse_shape %[[ACC]] {{\[\[}}0, 1]] : tensor<1x3xi32> into tensor<3xi32>
func.func @main(%a: tensor<4xsi8> {pike_onnx.name = "a"}, %b: tensor<4x3xsi8> {pike_onnx.name = "b"})
    -> (tensor<3xsi32> {pike_onnx.name = "y"}) {
  %y = pike_onnx.node "MatMulInteger"(%a, %b) {node_name = "mm"}
      : (tensor<4xsi8>, tensor<4x3xsi8>) -> tensor<3xsi32>
  return %y : tensor<3xsi32>
}
