// RUN: pike-opt %s --split-input-file --pike-fold-batchnorm | FileCheck %s
// RUN: pike-opt %s --split-input-file --pike-fold-batchnorm="fold-sign-into-weights=false" | FileCheck %s --check-prefix=NOSIGN

// Conv accumulator dequantized by a scale, then batch-norm:
// k = gamma / sqrt(var + eps) = [2 / sqrt(3 + 1), 3 / sqrt(8 + 1)] = [1, 1];
// scale' = [0.5, 0.25] * k, bias' = (0 - mean) * k + beta = [-0.5, -1].
// CHECK-LABEL: func @conv_scale_bn
// CHECK: %[[ACC:.*]] = pike.conv2d
// CHECK-NOT: pike.batch_norm
// CHECK: %[[Y:.*]] = pike.scale %[[ACC]] {bias = array<f64: -5.000000e-01, -1.000000e+00>, scale = array<f64: 5.000000e-01, 2.500000e-01>}
// CHECK-NOT: pike.
// CHECK: return %[[Y]]
func.func @conv_scale_bn(%x: tensor<1x4x4x2xi4>) -> tensor<1x4x4x2xf32> {
  %w = arith.constant dense<1> : tensor<2x1x1x2xi4>
  %acc = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>} : (tensor<1x4x4x2xi4>, tensor<2x1x1x2xi4>) -> tensor<1x4x4x2xi32>
  %y = pike.scale %acc {scale = array<f64: 0.5, 0.25>} : tensor<1x4x4x2xi32> -> tensor<1x4x4x2xf32>
  %g = arith.constant dense<[2.0, 3.0]> : tensor<2xf32>
  %b = arith.constant dense<[0.5, 1.0]> : tensor<2xf32>
  %m = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %v = arith.constant dense<[3.0, 8.0]> : tensor<2xf32>
  %n = pike.batch_norm %y, %g, %b, %m, %v {epsilon = 1.0 : f64} : (tensor<1x4x4x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x4x4x2xf32>
  return %n : tensor<1x4x4x2xf32>
}

// -----

// Fully-connected with an integer bias and a real bias already in the scale:
// k = 4 / sqrt(3 + 1) = 2; scale' = 0.125 * 2; bias' = (1 - 0.5) * 2 + 0 = 1.
// The integer bias stays in the accumulator.
// CHECK-LABEL: func @fc_bias
// CHECK: %[[ACC:.*]] = pike.fully_connected %arg0, %{{.*}}, %{{.*}} :
// CHECK-NOT: pike.batch_norm
// CHECK: pike.scale %[[ACC]] {bias = array<f64: 1.000000e+00>, scale = array<f64: 2.500000e-01>}
// CHECK-NOT: pike.batch_norm
func.func @fc_bias(%x: tensor<1x8xi8>) -> tensor<1x1xf32> {
  %w = arith.constant dense<3> : tensor<1x8xi8>
  %bi = arith.constant dense<7> : tensor<1xi32>
  %acc = pike.fully_connected %x, %w, %bi : (tensor<1x8xi8>, tensor<1x8xi8>, tensor<1xi32>) -> tensor<1x1xi32>
  %y = pike.scale %acc {scale = array<f64: 0.125>, bias = array<f64: 1.0>} : tensor<1x1xi32> -> tensor<1x1xf32>
  %g = arith.constant dense<4.0> : tensor<1xf32>
  %b = arith.constant dense<0.0> : tensor<1xf32>
  %m = arith.constant dense<0.5> : tensor<1xf32>
  %v = arith.constant dense<3.0> : tensor<1xf32>
  %n = pike.batch_norm %y, %g, %b, %m, %v {epsilon = 1.0 : f64} : (tensor<1x1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1xf32>
  return %n : tensor<1x1xf32>
}

// -----

// A batch-norm on a real tensor becomes a scale of that tensor:
// k = 1 / sqrt(0 + 0.25) = 2; bias = 3 - 1 * 2 = 1.
// CHECK-LABEL: func @standalone
// CHECK-NOT: pike.batch_norm
// CHECK: pike.scale %arg0 {bias = array<f64: 1.000000e+00>, scale = array<f64: 2.000000e+00>} : tensor<2x1xf32> -> tensor<2x1xf32>
func.func @standalone(%x: tensor<2x1xf32>) -> tensor<2x1xf32> {
  %g = arith.constant dense<1.0> : tensor<1xf32>
  %b = arith.constant dense<3.0> : tensor<1xf32>
  %m = arith.constant dense<1.0> : tensor<1xf32>
  %v = arith.constant dense<0.0> : tensor<1xf32>
  %n = pike.batch_norm %x, %g, %b, %m, %v {epsilon = 0.25 : f64} : (tensor<2x1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x1xf32>
  return %n : tensor<2x1xf32>
}

// -----

// A negative gamma in channel 1 is folded into that channel's weights (and
// integer bias), so the scale stays positive. Channel 0 is untouched.
// CHECK-LABEL: func @negative_gamma
// CHECK-DAG: %[[W:.*]] = arith.constant dense<{{\[}}{{\[}}1, 2], [3, -4], [-5, 6]]> : tensor<3x2xi8>
// CHECK-DAG: %[[B:.*]] = arith.constant dense<[10, -20, 30]> : tensor<3xi32>
// CHECK: %[[ACC:.*]] = pike.fully_connected %arg0, %[[W]], %[[B]]
// CHECK: pike.scale %[[ACC]] {bias = {{.*}}, scale = array<f64: 1.000000e+00, 1.000000e+00, 1.000000e+00>}
// NOSIGN-LABEL: func @negative_gamma
// NOSIGN: pike.scale {{.*}} scale = array<f64: 1.000000e+00, -1.000000e+00, 1.000000e+00>
func.func @negative_gamma(%x: tensor<1x2xi8>) -> tensor<1x3xf32> {
  %w = arith.constant dense<[[1, 2], [-3, 4], [-5, 6]]> : tensor<3x2xi8>
  %bi = arith.constant dense<[10, 20, 30]> : tensor<3xi32>
  %acc = pike.fully_connected %x, %w, %bi : (tensor<1x2xi8>, tensor<3x2xi8>, tensor<3xi32>) -> tensor<1x3xi32>
  %y = pike.scale %acc {scale = array<f64: 1.0>} : tensor<1x3xi32> -> tensor<1x3xf32>
  %g = arith.constant dense<[1.0, -1.0, 1.0]> : tensor<3xf32>
  %b = arith.constant dense<0.0> : tensor<3xf32>
  %m = arith.constant dense<0.0> : tensor<3xf32>
  %v = arith.constant dense<1.0> : tensor<3xf32>
  %n = pike.batch_norm %y, %g, %b, %m, %v {epsilon = 0.0 : f64} : (tensor<1x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<1x3xf32>
  return %n : tensor<1x3xf32>
}

// -----

// The most negative weight (-128) has no positive counterpart in i8, so
// channel 0 keeps its sign in the scale; channel 1 is negated.
// CHECK-LABEL: func @negative_gamma_partly_foldable
// CHECK: arith.constant dense<{{\[}}{{\[}}-128, 2], [-3, -4]]> : tensor<2x2xi8>
// CHECK: pike.scale {{.*}} scale = array<f64: -1.000000e+00, 1.000000e+00>
func.func @negative_gamma_partly_foldable(%x: tensor<1x2xi8>) -> tensor<1x2xf32> {
  %w = arith.constant dense<[[-128, 2], [3, 4]]> : tensor<2x2xi8>
  %acc = pike.fully_connected %x, %w : (tensor<1x2xi8>, tensor<2x2xi8>) -> tensor<1x2xi32>
  %y = pike.scale %acc {scale = array<f64: 1.0>} : tensor<1x2xi32> -> tensor<1x2xf32>
  %g = arith.constant dense<-1.0> : tensor<2xf32>
  %b = arith.constant dense<0.0> : tensor<2xf32>
  %m = arith.constant dense<0.0> : tensor<2xf32>
  %v = arith.constant dense<1.0> : tensor<2xf32>
  %n = pike.batch_norm %y, %g, %b, %m, %v {epsilon = 0.0 : f64} : (tensor<1x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %n : tensor<1x2xf32>
}

// -----

// Parameters that are not constants are left for pike-verify-integer to report.
// CHECK-LABEL: func @not_constant
// CHECK: pike.batch_norm
func.func @not_constant(%x: tensor<2x1xf32>, %g: tensor<1xf32>) -> tensor<2x1xf32> {
  %b = arith.constant dense<3.0> : tensor<1xf32>
  %n = pike.batch_norm %x, %g, %b, %b, %b : (tensor<2x1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x1xf32>
  return %n : tensor<2x1xf32>
}
