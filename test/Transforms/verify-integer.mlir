// RUN: pike-opt %s --split-input-file --pike-verify-integer -verify-diagnostics
// RUN: not pike-opt %s --split-input-file --pike-verify-integer="allow-boundaries=false" 2>&1 | FileCheck %s --check-prefix=STRICT

// Integer form with quantize at the input and dequantize at the output passes.
func.func @integer(%x: tensor<1x4xf32>) -> tensor<1x2xf32> {
  %q = pike.quantize %x {quantizer = #pike.quantizer<u4, scales = [0.1]>} : tensor<1x4xf32> -> tensor<1x4xi4>
  %w = arith.constant dense<1> : tensor<2x4xi4>
  %acc = pike.fully_connected %q, %w {input_unsigned} : (tensor<1x4xi4>, tensor<2x4xi4>) -> tensor<1x2xi32>
  %n = pike.quant_norm %acc {multiplier = #pike.fixed_point<bits = 8, multipliers = [64], shifts = [10]>} : tensor<1x2xi32> -> tensor<1x2xi8>
  %d = pike.dequantize %n {quantizer = #pike.quantizer<s8, scales = [0.5]>} : tensor<1x2xi8> -> tensor<1x2xf32>
  return %d : tensor<1x2xf32>
}
// STRICT: error: real arithmetic left in the inference graph: 'pike.quantize' computes on 'tensor<1x4xf32>'
// STRICT: error: real arithmetic left in the inference graph: 'pike.dequantize' computes on 'tensor<1x2xf32>'

// -----

func.func @float_chain(%acc: tensor<1x2xi32>, %g: tensor<2xf32>) -> tensor<1x2xi4> {
  // expected-error @+1 {{real arithmetic left in the inference graph: 'pike.scale' computes on 'tensor<1x2xf32>'}}
  %y = pike.scale %acc {scale = array<f64: 0.5>} : tensor<1x2xi32> -> tensor<1x2xf32>
  // expected-error @+1 {{real arithmetic left in the inference graph: 'pike.batch_norm' computes on 'tensor<1x2xf32>'}}
  %n = pike.batch_norm %y, %g, %g, %g, %g : (tensor<1x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  // expected-error @+1 {{'pike.clamp' computes on 'tensor<1x2xf32>'}}
  %c = pike.clamp %n {min = 0.0 : f64, max = 1.0 : f64} : tensor<1x2xf32>
  // A quantize of a computed value is not a boundary.
  // expected-error @+1 {{'pike.quantize' computes on 'tensor<1x2xf32>'}}
  %q = pike.quantize %c {quantizer = #pike.quantizer<u4, scales = [0.1]>} : tensor<1x2xf32> -> tensor<1x2xi4>
  return %q : tensor<1x2xi4>
}

// -----

func.func @upstream_float(%a: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{real arithmetic left in the inference graph: 'arith.addf' computes on 'tensor<4xf32>'}}
  %s = arith.addf %a, %a : tensor<4xf32>
  return %s : tensor<4xf32>
}

// -----

// A dequantize whose value is computed on further is not a boundary.
func.func @dequantize_inside(%q: tensor<4xi8>) -> tensor<4xf32> {
  // expected-error @+1 {{'pike.dequantize' computes on 'tensor<4xf32>'}}
  %d = pike.dequantize %q {quantizer = #pike.quantizer<s8, scales = [0.5]>} : tensor<4xi8> -> tensor<4xf32>
  // expected-error @+1 {{'pike.add' computes on 'tensor<4xf32>'}}
  %s = pike.add %d, %d : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %s : tensor<4xf32>
}
