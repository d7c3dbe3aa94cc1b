// RUN: pike-opt %s --split-input-file --pike-fixed-point="multiplier-bits=8" -verify-diagnostics
// RUN: not pike-opt %s --pike-fixed-point="rounding=away" 2>&1 | FileCheck %s --check-prefix=ROUNDING

// ROUNDING: for the --rounding option: Cannot find option named 'away'!

func.func @ratio_too_large(%x: tensor<4xi8>) -> tensor<4xi8> {
  %d = pike.dequantize %x {quantizer = #pike.quantizer<s8, scales = [100.0]>} : tensor<4xi8> -> tensor<4xf32>
  // expected-error @+1 {{'pike.quantize' op cannot make the rescale fixed point: scale 100 is too large for a 8-bit multiplier}}
  %q = pike.quantize %d {quantizer = #pike.quantizer<s8, scales = [1.0]>} : tensor<4xf32> -> tensor<4xi8>
  return %q : tensor<4xi8>
}

