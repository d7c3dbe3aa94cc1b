// RUN: pike-opt %s --convert-onnx-to-pike | FileCheck %s

// What PyTorch's QAT exports write around a ConvBn module, folded into the
// convolution's pike.scale: Conv (scale 0.5 x 0.25 = 0.125), Div by the
// per-channel [1, C, 1, 1] factor [2, 4] (0.0625, 0.03125), Add of the bias
// [1, -1]; the batch-norm stays for pike-fold-batchnorm. A ReLU of a
// dequantized tensor is quantized again with its quantizer (PyTorch's
// quantized ReLU keeps its input's), and so is a global average pool, so
// that a following Gemm has integers.

// CHECK-LABEL: func.func @main
// CHECK: %[[ACC:.*]] = pike.conv2d
// CHECK-NOT: pike.scale %[[ACC]] {scale = array<f64: 1.250000e-01
// CHECK: %[[S:.*]] = pike.scale %[[ACC]] {bias = array<f64: 1.000000e+00, -1.000000e+00>, scale = array<f64: 6.250000e-02, 3.125000e-02>}
// CHECK: pike.batch_norm %[[S]]
// CHECK: %[[D:.*]] = pike.dequantize %[[Q:.*]] {quantizer = #pike.quantizer<u8, scales = [5.000000e-01], zero_points = [3]>}
// CHECK: %[[R:.*]] = pike.clamp %[[D]] {max = 0x7FF0000000000000 : f64, min = 0.000000e+00 : f64}
// CHECK: %[[RQ:.*]] = pike.quantize %[[R]] {quantizer = #pike.quantizer<u8, scales = [5.000000e-01], zero_points = [3]>}
// CHECK: %[[RD:.*]] = pike.dequantize %[[RQ]]
// CHECK: %[[P:.*]] = pike.avg_pool2d %[[RD]]
// CHECK: %[[PQ:.*]] = pike.quantize %[[P]] {quantizer = #pike.quantizer<u8, scales = [5.000000e-01], zero_points = [3]>}
// CHECK: %[[F:.*]] = tensor.collapse_shape %[[PQ]]
// CHECK: pike.fully_connected %[[F]]
func.func @main(%x: tensor<1x2x3x3xf32> {pike_onnx.name = "x"}) -> (tensor<1x2xf32> {pike_onnx.name = "y"}) {
  %xs = pike_onnx.constant "xs" = dense<0.5> : tensor<f32>
  %xz = pike_onnx.constant "xz" = dense<3> : tensor<ui8>
  %w = pike_onnx.constant "w" = dense<1> : tensor<2x2x1x1xsi8>
  %ws = pike_onnx.constant "ws" = dense<0.25> : tensor<f32>
  %wz = pike_onnx.constant "wz" = dense<0> : tensor<si8>
  %factor = pike_onnx.constant "factor" = dense<[[[[2.0]], [[4.0]]]]> : tensor<1x2x1x1xf32>
  %bias = pike_onnx.constant "bias" = dense<[[[[1.0]], [[-1.0]]]]> : tensor<1x2x1x1xf32>
  %g = pike_onnx.constant "g" = dense<1.0> : tensor<2xf32>
  %b = pike_onnx.constant "b" = dense<0.0> : tensor<2xf32>
  %fc = pike_onnx.constant "fc" = dense<0.5> : tensor<2x2xf32>
  %q = pike_onnx.node "QuantizeLinear"(%x, %xs, %xz) {node_name = "xq"} : (tensor<1x2x3x3xf32>, tensor<f32>, tensor<ui8>) -> none
  %xd = pike_onnx.node "DequantizeLinear"(%q, %xs, %xz) {node_name = "xd"} : (none, tensor<f32>, tensor<ui8>) -> none
  %wd = pike_onnx.node "DequantizeLinear"(%w, %ws, %wz) {node_name = "wd"} : (tensor<2x2x1x1xsi8>, tensor<f32>, tensor<si8>) -> none
  %c = pike_onnx.node "Conv"(%xd, %wd) {node_name = "conv"} : (none, none) -> none
  %div = pike_onnx.node "Div"(%c, %factor) {node_name = "div"} : (none, tensor<1x2x1x1xf32>) -> none
  %add = pike_onnx.node "Add"(%div, %bias) {node_name = "add_bias"} : (none, tensor<1x2x1x1xf32>) -> none
  %bn = pike_onnx.node "BatchNormalization"(%add, %g, %b, %b, %g) {node_name = "bn"} : (none, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> none
  %bq = pike_onnx.node "QuantizeLinear"(%bn, %xs, %xz) {node_name = "bq"} : (none, tensor<f32>, tensor<ui8>) -> none
  %bd = pike_onnx.node "DequantizeLinear"(%bq, %xs, %xz) {node_name = "bd"} : (none, tensor<f32>, tensor<ui8>) -> none
  %r = pike_onnx.node "Relu"(%bd) {node_name = "relu"} : (none) -> none
  %p = pike_onnx.node "GlobalAveragePool"(%r) {node_name = "gap"} : (none) -> none
  %f = pike_onnx.node "Flatten"(%p) {node_name = "flatten"} : (none) -> none
  %y = pike_onnx.node "Gemm"(%f, %fc) {node_name = "fc"} : (none, tensor<2x2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}
