// RUN: pike-opt %s --split-input-file --pike-double-quantize -verify-diagnostics
// RUN: not pike-opt %s --pike-double-quantize="bits=17" 2>&1 | FileCheck %s --check-prefix=BITS

// BITS: pike-double-quantize: bits = 17 is outside [1, 16]

func.func @negative(%acc: tensor<1x2xi32>) -> tensor<1x2xf32> {
  // expected-error @+1 {{'pike.scale' op cannot double-quantize: channel 1 has scale -2.000000e-01; double quantization needs positive scales}}
  %y = pike.scale %acc {scale = array<f64: 0.6, -0.2>} : tensor<1x2xi32> -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}
