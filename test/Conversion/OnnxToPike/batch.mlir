// RUN: pike-opt %s --convert-onnx-to-pike=batch=3 | FileCheck %s

// `batch` fixes a symbolic leading dimension of the graph inputs.
// CHECK: func.func @main(%{{.*}}: tensor<3x4xf32> {pike.name = "x"}) -> (tensor<3x4xf32> {pike.name = "y"})
// CHECK: pike.clamp %{{.*}} {max = 0x7FF0000000000000 : f64, min = 0.000000e+00 : f64} : tensor<3x4xf32>
func.func @main(%x: tensor<?x4xf32> {pike_onnx.name = "x"}) -> (tensor<?x4xf32> {pike_onnx.name = "y"}) {
  %y = pike_onnx.node "Relu"(%x) {node_name = "r"} : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}
