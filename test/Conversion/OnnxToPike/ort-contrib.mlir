// RUN: pike-opt %s -split-input-file --convert-onnx-to-pike | FileCheck %s

// onnxruntime's QLinearAdd is dequantize, Add, quantize: here the two
// dequantized inputs (scales 0.5 and 0.25), their real sum, and the
// quantize with C's scale (0.125, zero point 3).
// CHECK-LABEL: func.func @main
// CHECK-DAG: pike.dequantize %{{.*}} {quantizer = #pike.quantizer<u8, scales = [5.000000e-01]>}
// CHECK-DAG: pike.dequantize %{{.*}} {quantizer = #pike.quantizer<u8, scales = [2.500000e-01], zero_points = [1]>}
// CHECK: %[[SUM:.*]] = pike.add
// CHECK: pike.quantize %[[SUM]] {quantizer = #pike.quantizer<u8, scales = [1.250000e-01], zero_points = [3]>}
func.func @main(%a: tensor<1x4xui8> {pike_onnx.name = "a"}, %b: tensor<1x4xui8> {pike_onnx.name = "b"})
    -> (tensor<1x4xui8> {pike_onnx.name = "c"}) {
  %sa = pike_onnx.constant "sa" = dense<0.5> : tensor<f32>
  %za = pike_onnx.constant "za" = dense<0> : tensor<ui8>
  %sb = pike_onnx.constant "sb" = dense<0.25> : tensor<f32>
  %zb = pike_onnx.constant "zb" = dense<1> : tensor<ui8>
  %sc = pike_onnx.constant "sc" = dense<0.125> : tensor<f32>
  %zc = pike_onnx.constant "zc" = dense<3> : tensor<ui8>
  %c = pike_onnx.node "QLinearAdd"(%a, %sa, %za, %b, %sb, %zb, %sc, %zc) {domain = "com.microsoft", node_name = "add"}
      : (tensor<1x4xui8>, tensor<f32>, tensor<ui8>, tensor<1x4xui8>, tensor<f32>, tensor<ui8>, tensor<f32>, tensor<ui8>) -> tensor<1x4xui8>
  return %c : tensor<1x4xui8>
}

// -----

// QLinearSigmoid and QLinearMul: dequantize, the real op, quantize; the
// integer pipeline then makes them a table and an integer product.
// RUN: pike-opt %s -split-input-file --convert-onnx-to-pike | FileCheck %s --check-prefix=ELEM
// RUN: pike-opt %s -split-input-file --convert-onnx-to-pike --pike-quantize-pipeline | FileCheck %s --check-prefix=INT
// ELEM-LABEL: func.func @main
// ELEM: %[[S:.*]] = pike.activation %{{.*}} {kind = #pike<activation sigmoid>}
// ELEM: %[[SQ:.*]] = pike.quantize %[[S]]
// ELEM: pike.mul
// INT: pike.table
// INT: pike.mul {{.*}}scale = #pike.fixed_point
func.func @main(%x: tensor<1x4xui8> {pike_onnx.name = "x"}) -> (tensor<1x4xui8> {pike_onnx.name = "y"}) {
  %sx = pike_onnx.constant "sx" = dense<0.05> : tensor<f32>
  %zx = pike_onnx.constant "zx" = dense<128> : tensor<ui8>
  %ss = pike_onnx.constant "ss" = dense<0.00390625> : tensor<f32>
  %zs = pike_onnx.constant "zs" = dense<0> : tensor<ui8>
  %sy = pike_onnx.constant "sy" = dense<0.05> : tensor<f32>
  %s = pike_onnx.node "QLinearSigmoid"(%x, %sx, %zx, %ss, %zs) {domain = "com.microsoft", node_name = "sigmoid"}
      : (tensor<1x4xui8>, tensor<f32>, tensor<ui8>, tensor<f32>, tensor<ui8>) -> tensor<1x4xui8>
  %y = pike_onnx.node "QLinearMul"(%x, %sx, %zx, %s, %ss, %zs, %sy, %zx) {domain = "com.microsoft", node_name = "gate"}
      : (tensor<1x4xui8>, tensor<f32>, tensor<ui8>, tensor<1x4xui8>, tensor<f32>, tensor<ui8>, tensor<f32>, tensor<ui8>) -> tensor<1x4xui8>
  return %y : tensor<1x4xui8>
}
