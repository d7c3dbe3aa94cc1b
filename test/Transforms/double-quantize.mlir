// RUN: pike-opt %s --split-input-file --pike-double-quantize="bits=4" | FileCheck %s
// RUN: pike-opt %s --split-input-file --pike-double-quantize="bits=4 report=true" -verify-diagnostics -o /dev/null

// The next quantizer's scale is 0.1: the shared scale is 0.1 * 2^-k with the
// largest k keeping 0.5 / shared <= 15, i.e. k = 1, shared = 0.05.
// values = round([0.5, 0.25, 0.12] / 0.05) = [10, 5, 2] (2.4 -> 2).
// CHECK-LABEL: func @absorbed_by_next_quantizer
// CHECK: pike.scale %arg0 {scale = #pike.dq_scale<bits = 4, values = [10, 5, 2], scale = 5.000000e-02>}
func.func @absorbed_by_next_quantizer(%acc: tensor<1x3xi32>) -> tensor<1x3xi4> {
  // Channel 2: |2 * 0.05 - 0.12| / 0.12 = 1/6; mean (0 + 0 + 1/6) / 3 = 1/18.
  // expected-remark @+1 {{double quantization to 4 bits: worst relative scale error 1.666667e-01 (channel 2), mean 5.555556e-02}}
  %y = pike.scale %acc {scale = array<f64: 0.5, 0.25, 0.12>} : tensor<1x3xi32> -> tensor<1x3xf32>
  %c = pike.clamp %y {min = 0.0 : f64, max = 1.5 : f64} : tensor<1x3xf32>
  %q = pike.quantize %c {quantizer = #pike.quantizer<u4, scales = [0.1]>} : tensor<1x3xf32> -> tensor<1x3xi4>
  return %q : tensor<1x3xi4>
}

// -----

// Without a following quantizer the largest scale maps to 15: shared = 0.6 / 15.
// CHECK-LABEL: func @no_next_quantizer
// CHECK: pike.scale %arg0 {scale = #pike.dq_scale<bits = 4, values = [15, 5], scale = 4.000000e-02>}
func.func @no_next_quantizer(%acc: tensor<1x2xi32>) -> tensor<1x2xf32> {
  // expected-remark @+1 {{worst relative scale error 0.000000e+00 (channel 0), mean 0.000000e+00}}
  %y = pike.scale %acc {scale = array<f64: 0.6, 0.2>} : tensor<1x2xi32> -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

// A channel far below the largest is clamped up to the smallest value, 1.
// CHECK-LABEL: func @tiny_channel
// CHECK: values = [15, 1]
func.func @tiny_channel(%acc: tensor<1x2xi32>) -> tensor<1x2xf32> {
  // expected-remark @+1 {{worst relative scale error 3.000000e+00 (channel 1)}}
  %y = pike.scale %acc {scale = array<f64: 1.5, 0.025>} : tensor<1x2xi32> -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}
