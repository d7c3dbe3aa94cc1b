// RUN: pike-opt %s --split-input-file --pike-quantnorm="bias-bits=16" -verify-diagnostics
// RUN: not pike-opt %s --pike-quantnorm="rounding=nearest" 2>&1 | FileCheck %s --check-prefix=ROUNDING
// RUN: not pike-opt %s --pike-quantnorm="multiplier-bits=40" 2>&1 | FileCheck %s --check-prefix=BITS

// ROUNDING: for the --rounding option: Cannot find option named 'nearest'!
// BITS: pike-quantnorm: multiplier-bits must be in [2, 32] and bias-bits in [2, 62]

func.func @negative_scale(%acc: tensor<1x2xi32>) -> tensor<1x2xi4> {
  // expected-error @+1 {{'pike.scale' op QuantNorm cannot represent channel 1's scale -5.000000e-01: fixed-point multipliers are non-negative and non-zero}}
  %y = pike.scale %acc {scale = array<f64: 0.5, -0.5>} : tensor<1x2xi32> -> tensor<1x2xf32>
  %q = pike.quantize %y {quantizer = #pike.quantizer<u4, scales = [0.25]>} : tensor<1x2xf32> -> tensor<1x2xi4>
  return %q : tensor<1x2xi4>
}

// -----

func.func @scale_too_large(%acc: tensor<1x1xi32>) -> tensor<1x1xi4> {
  // 2^40 / 1 needs a shift below 2 at 32 bits.
  // expected-error @+1 {{'pike.scale' op QuantNorm cannot represent channel 0: scale 1.09951e+12 is too large for a 32-bit multiplier}}
  %y = pike.scale %acc {scale = array<f64: 1099511627776.0>} : tensor<1x1xi32> -> tensor<1x1xf32>
  %q = pike.quantize %y {quantizer = #pike.quantizer<u4, scales = [1.0]>} : tensor<1x1xf32> -> tensor<1x1xi4>
  return %q : tensor<1x1xi4>
}

// -----

func.func @bias_too_wide(%acc: tensor<1x1xi32>) -> tensor<1x1xi4> {
  // 1000 output steps at shift 31 need far more than 16 bits.
  // expected-error @+1 {{'pike.scale' op QuantNorm bias of channel 0 (1.000000e+03 output steps, 2.147484e+12 at shift 31) does not fit 16 bits}}
  %y = pike.scale %acc {scale = array<f64: 0.5>, bias = array<f64: 1000.0>} : tensor<1x1xi32> -> tensor<1x1xf32>
  %q = pike.quantize %y {quantizer = #pike.quantizer<u4, scales = [1.0]>} : tensor<1x1xf32> -> tensor<1x1xi4>
  return %q : tensor<1x1xi4>
}

// -----

func.func @double_quantized_huge_ratio(%acc: tensor<1x1xi32>) -> tensor<1x1xi4> {
  // 2^995 / 0.5 = 2^996 is a power of two, but its shift of -996 would lift
  // the 4-bit values far past 64 bits; the per-channel fallback reports it:
  // 10 * 2^996 = 6.7e300.
  // expected-error @+1 {{'pike.scale' op QuantNorm cannot represent channel 0: scale 6.69693e+300 is too large for a 32-bit multiplier}}
  %y = pike.scale %acc {scale = #pike.dq_scale<bits = 4, values = [10], scale = 3.3484643974570854e+299>} : tensor<1x1xi32> -> tensor<1x1xf32>
  %q = pike.quantize %y {quantizer = #pike.quantizer<u4, scales = [0.5]>} : tensor<1x1xf32> -> tensor<1x1xi4>
  return %q : tensor<1x1xi4>
}
