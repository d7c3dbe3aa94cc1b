// RUN: pike-opt %s --split-input-file --pike-fold-batchnorm -verify-diagnostics

func.func @negative_variance(%x: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %g = arith.constant dense<1.0> : tensor<2xf32>
  %b = arith.constant dense<0.0> : tensor<2xf32>
  %v = arith.constant dense<[1.0, -2.0]> : tensor<2xf32>
  // expected-error @+1 {{'pike.batch_norm' op cannot fold: channel 1 has variance + epsilon = -1.999000e+00, which has no real square root}}
  %n = pike.batch_norm %x, %g, %b, %b, %v {epsilon = 1.0e-3 : f64} : (tensor<2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<2x2xf32>
  return %n : tensor<2x2xf32>
}

// -----

func.func @zero_variance_no_epsilon(%x: tensor<2x1xf32>) -> tensor<2x1xf32> {
  %g = arith.constant dense<1.0> : tensor<1xf32>
  %z = arith.constant dense<0.0> : tensor<1xf32>
  // expected-error @+1 {{cannot fold: channel 0 has variance + epsilon = 0.000000e+00}}
  %n = pike.batch_norm %x, %g, %z, %z, %z {epsilon = 0.0 : f64} : (tensor<2x1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x1xf32>
  return %n : tensor<2x1xf32>
}
