// RUN: pike-opt %s | pike-opt | FileCheck %s

// CHECK-LABEL: func @folded_bn
// CHECK: pike.scale %arg0 {bias = array<f64: 5.000000e-01, -2.500000e-01>, scale = array<f64: 1.000000e-02, 2.000000e-02>} : tensor<1x4x4x2xi32> -> tensor<1x4x4x2xf32>
func.func @folded_bn(%acc: tensor<1x4x4x2xi32>) -> tensor<1x4x4x2xf32> {
  %y = pike.scale %acc {scale = array<f64: 0.01, 0.02>, bias = array<f64: 0.5, -0.25>} : tensor<1x4x4x2xi32> -> tensor<1x4x4x2xf32>
  return %y : tensor<1x4x4x2xf32>
}

// A negative scale (batch-norm with negative gamma) is legal in the real form.
// CHECK-LABEL: func @shared_negative
// CHECK: pike.scale %arg0 {scale = array<f64: -1.500000e+00>} : tensor<3x5xi32> -> tensor<3x5xf32>
func.func @shared_negative(%acc: tensor<3x5xi32>) -> tensor<3x5xf32> {
  %y = pike.scale %acc {scale = array<f64: -1.5>} : tensor<3x5xi32> -> tensor<3x5xf32>
  return %y : tensor<3x5xf32>
}
