// RUN: pike-opt %s -split-input-file --convert-onnx-to-pike | FileCheck %s

// Weight zero points that differ between output channels (ONNX allows them
// for ConvInteger and MatMulInteger) are subtracted from constant weights at
// import: uint8 weights minus uint8 zero points need 9 signed bits, and the
// layer keeps no weight zero point.

// Filter 0 with zero point 0 keeps its weights; filter 1's zero point 255
// makes them w - 255.
// CHECK-LABEL: func.func @main
// CHECK: %[[W:.*]] = arith.constant dense<{{\[\[\[\[}}1, 2]]], {{\[\[\[}}-252, -255]]]]> : tensor<2x1x1x2xi9>
// CHECK: pike.conv2d %{{.*}}, %[[W]] {input_unsigned, input_zp = 3 : i64, padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}
// CHECK-SAME: (tensor<1x2x2x2xi8>, tensor<2x1x1x2xi9>) -> tensor<1x2x2x2xi32>
func.func @main(%x: tensor<1x2x2x2xui8> {pike_onnx.name = "x"}) -> (tensor<1x2x2x2xsi32> {pike_onnx.name = "y"}) {
  %w = pike_onnx.constant "w" = dense<[[[[1]], [[2]]], [[[3]], [[0]]]]> : tensor<2x2x1x1xui8>
  %xz = pike_onnx.constant "xz" = dense<3> : tensor<ui8>
  %wz = pike_onnx.constant "wz" = dense<[0, 255]> : tensor<2xui8>
  %y = pike_onnx.node "ConvInteger"(%x, %w, %xz, %wz) {node_name = "conv"}
      : (tensor<1x2x2x2xui8>, tensor<2x2x1x1xui8>, tensor<ui8>, tensor<2xui8>) -> tensor<1x2x2x2xsi32>
  return %y : tensor<1x2x2x2xsi32>
}

// -----

// MatMulInteger with constant int8 B [K = 2, N = 3] and one zero point per
// column: column j becomes B[:, j] - zb[j], transposed to [N, K] for
// pike.fully_connected.
// CHECK-LABEL: func.func @main
// CHECK: %[[B:.*]] = arith.constant dense<{{\[\[}}128, 131], [-127, -124], [0, 3]]> : tensor<3x2xi9>
// CHECK: pike.fully_connected %{{.*}}, %[[B]] : (tensor<4x2xi8>, tensor<3x2xi9>) -> tensor<4x3xi32>
func.func @main(%a: tensor<4x2xsi8> {pike_onnx.name = "a"}) -> (tensor<4x3xsi32> {pike_onnx.name = "y"}) {
  %b = pike_onnx.constant "b" = dense<[[0, 0, 0], [3, 3, 3]]> : tensor<2x3xsi8>
  %za = pike_onnx.constant "za" = dense<0> : tensor<si8>
  %zb = pike_onnx.constant "zb" = dense<[-128, 127, 0]> : tensor<3xsi8>
  %y = pike_onnx.node "MatMulInteger"(%a, %b, %za, %zb) {node_name = "mm"}
      : (tensor<4x2xsi8>, tensor<2x3xsi8>, tensor<si8>, tensor<3xsi8>) -> tensor<4x3xsi32>
  return %y : tensor<4x3xsi32>
}
