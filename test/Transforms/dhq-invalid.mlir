// RUN: not pike-opt %s --pike-dhq="dw-scheme=log" 2>&1 | FileCheck %s --check-prefix=SCHEME
// RUN: not pike-opt %s --pike-dhq="pw-granularity=per-row" 2>&1 | FileCheck %s --check-prefix=GRAN
// RUN: not pike-opt %s --pike-dhq="dw-bits=1" 2>&1 | FileCheck %s --check-prefix=BITS
// RUN: pike-opt %s --pike-dhq -verify-diagnostics -split-input-file

// SCHEME: for the --dw-scheme option: Cannot find option named 'log'!
// GRAN: for the --pw-granularity option: Cannot find option named 'per-row'!
// BITS: pike-dhq: dw-bits = 1 is outside [2, 16]

// The accumulator is already requantized: DHQ must run first.
func.func @after_quantnorm(%x: tensor<1x2x2x2xi4>) -> tensor<1x2x2x2xi4> {
  %wf = arith.constant dense<0.5> : tensor<2x1x1x2xf32>
  %wq = pike.quantize %wf {quantizer = #pike.quantizer<s8, scales = [0.1]>} : tensor<2x1x1x2xf32> -> tensor<2x1x1x2xi8>
  // expected-error @+1 {{'pike.conv2d' op pike-dhq: the accumulator must be dequantized by pike.scale with real scales}}
  %acc = pike.conv2d %x, %wq {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>} : (tensor<1x2x2x2xi4>, tensor<2x1x1x2xi8>) -> tensor<1x2x2x2xi32>
  %q = pike.quant_norm %acc {multiplier = #pike.fixed_point<bits = 8, multipliers = [64], shifts = [10]>} : tensor<1x2x2x2xi32> -> tensor<1x2x2x2xi4>
  return %q : tensor<1x2x2x2xi4>
}
