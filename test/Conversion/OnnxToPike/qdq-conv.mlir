// RUN: pike-opt %s --convert-onnx-to-pike | FileCheck %s

// A QDQ convolution: the convolution consumes the integers behind its
// dequantized operands; weights move from OIHW to OHWI; the real output is
// the accumulator times input scale x weight scale (0.5 x 0.25 = 0.125) plus
// the bias; NCHW at the boundary, NHWC inside.

// CHECK-LABEL: module attributes {pike.rounding = #pike<rounding half_even>}
// CHECK: func.func @main(%[[X:.*]]: tensor<1x2x3x3xf32> {pike.name = "x"}) -> (tensor<1x1x3x2xf32> {pike.name = "y"})
// CHECK: %[[NHWC:.*]] = linalg.transpose ins(%[[X]] : tensor<1x2x3x3xf32>) {{.*}} permutation = [0, 2, 3, 1]
// CHECK: %[[Q:.*]] = pike.quantize %[[NHWC]] {quantizer = #pike.quantizer<u8, scales = [5.000000e-01], zero_points = [128]>} : tensor<1x3x3x2xf32> -> tensor<1x3x3x2xi8>
// CHECK: %[[W:.*]] = arith.constant dense<{{\[\[\[\[}}1, 3], [2, 4]]]]> : tensor<1x1x2x2xi8>
// CHECK: %[[ACC:.*]] = pike.conv2d %[[Q]], %[[W]] {input_unsigned, input_zp = 128 : i64, padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x3x3x2xi8>, tensor<1x1x2x2xi8>) -> tensor<1x3x2x1xi32>
// CHECK: %[[Y:.*]] = pike.scale %[[ACC]] {bias = array<f64: 1.500000e+00>, scale = array<f64: 1.250000e-01>}
// CHECK: linalg.transpose ins(%[[Y]] : tensor<1x3x2x1xf32>) {{.*}} permutation = [0, 3, 1, 2]
// CHECK-NOT: pike_onnx
func.func @main(%x: tensor<1x2x3x3xf32> {pike_onnx.name = "x"}) -> (tensor<1x1x3x2xf32> {pike_onnx.name = "y"}) {
  %xs = pike_onnx.constant "xs" = dense<0.5> : tensor<f32>
  %xz = pike_onnx.constant "xz" = dense<128> : tensor<ui8>
  %w = pike_onnx.constant "w" = dense<[[[[1, 2]], [[3, 4]]]]> : tensor<1x2x1x2xsi8>
  %ws = pike_onnx.constant "ws" = dense<0.25> : tensor<f32>
  %wz = pike_onnx.constant "wz" = dense<0> : tensor<si8>
  %b = pike_onnx.constant "b" = dense<1.5> : tensor<1xf32>
  %q = pike_onnx.node "QuantizeLinear"(%x, %xs, %xz) {node_name = "xq"}
      : (tensor<1x2x3x3xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x2x3x3xui8>
  %xd = pike_onnx.node "DequantizeLinear"(%q, %xs, %xz) {node_name = "xd"}
      : (tensor<1x2x3x3xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x2x3x3xf32>
  %wd = pike_onnx.node "DequantizeLinear"(%w, %ws, %wz) {node_name = "wd"}
      : (tensor<1x2x1x2xsi8>, tensor<f32>, tensor<si8>) -> tensor<1x2x1x2xf32>
  %y = pike_onnx.node "Conv"(%xd, %wd, %b) {node_name = "conv", node_attributes = {kernel_shape = array<i64: 1, 2>}}
      : (tensor<1x2x3x3xf32>, tensor<1x2x1x2xf32>, tensor<1xf32>) -> tensor<1x1x3x2xf32>
  return %y : tensor<1x1x3x2xf32>
}
