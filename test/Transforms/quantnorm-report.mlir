// RUN: pike-opt %s --pike-quantnorm="multiplier-bits=4 report=true" -verify-diagnostics -o /dev/null

// 4-bit multipliers: 0.3 / 0.25 = 1.2 -> 5 * 2^-2 = 1.25 (error 1/24);
// 0.1 / 0.25 = 0.4 -> 6 * 2^-4 = 0.375 (error 1/16). Mean (1/24 + 1/16) / 2.
func.func @narrow(%acc: tensor<1x2xi32>) -> tensor<1x2xi4> {
  %y = pike.scale %acc {scale = array<f64: 0.3, 0.1>} : tensor<1x2xi32> -> tensor<1x2xf32>
  // expected-remark @+1 {{QuantNorm with 4-bit multipliers: worst relative scale error 6.250000e-02 (channel 1), mean 5.208333e-02}}
  %q = pike.quantize %y {quantizer = #pike.quantizer<u4, scales = [0.25]>} : tensor<1x2xf32> -> tensor<1x2xi4>
  return %q : tensor<1x2xi4>
}
