// RUN: pike-opt %s --split-input-file --pike-quantnorm | FileCheck %s
// RUN: pike-opt %s --split-input-file --pike-quantnorm="multiplier-bits=8 rounding=double" | FileCheck %s --check-prefix=M8

// scale 0.5 / s_out 0.25 = 2.0 = 2^30 * 2^-29 at 32 bits;
// bias 0.5 / 0.25 = 2 output steps = 2 * 2^29; the clip [0, 2.0] is [0, 8] in u4.
// CHECK-LABEL: func @per_tensor_clip
// CHECK-NEXT: %[[Q:.*]] = pike.quant_norm %arg0 {bias = array<i64: 1073741824>, max = 8 : i64, multiplier = #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [29]>, output_unsigned} : tensor<1x4xi32> -> tensor<1x4xi4>
// CHECK-NEXT: return %[[Q]]
// At 8 bits: 2.0 = 64 * 2^-5. Double rounding needs 32-bit multipliers, so it is single.
// M8-LABEL: func @per_tensor_clip
// M8: pike.quant_norm %arg0 {bias = array<i64: 64>, max = 8 : i64, multiplier = #pike.fixed_point<bits = 8, multipliers = [64], shifts = [5]>, output_unsigned}
func.func @per_tensor_clip(%acc: tensor<1x4xi32>) -> tensor<1x4xi4> {
  %y = pike.scale %acc {scale = array<f64: 0.5>, bias = array<f64: 0.5>} : tensor<1x4xi32> -> tensor<1x4xf32>
  %c = pike.clamp %y {min = 0.0 : f64, max = 2.0 : f64} : tensor<1x4xf32>
  %q = pike.quantize %c {quantizer = #pike.quantizer<u4, scales = [0.25]>} : tensor<1x4xf32> -> tensor<1x4xi4>
  return %q : tensor<1x4xi4>
}

// -----

// Per-channel scales, signed output with a zero point, no clamp and no bias.
// 0.75 / 0.5 = 1.5 = 3 * 2^30 * 2^-31; 0.1 / 0.5 = 0.2 -> shift 33.
// CHECK-LABEL: func @per_channel
// CHECK: pike.quant_norm %arg0 {multiplier = #pike.fixed_point<bits = 32, multipliers = [1610612736, 1717986918], shifts = [30, 33]>, output_zp = -3 : i64} : tensor<2x2xi32> -> tensor<2x2xi8>
// M8-LABEL: func @per_channel
// M8: multiplier = #pike.fixed_point<bits = 8, multipliers = [96, 102], shifts = [6, 9]>
func.func @per_channel(%acc: tensor<2x2xi32>) -> tensor<2x2xi8> {
  %y = pike.scale %acc {scale = array<f64: 0.75, 0.1>} : tensor<2x2xi32> -> tensor<2x2xf32>
  %q = pike.quantize %y {quantizer = #pike.quantizer<s8, scales = [0.5], zero_points = [-3]>} : tensor<2x2xf32> -> tensor<2x2xi8>
  return %q : tensor<2x2xi8>
}

// -----

// Double-quantized scale: shared 0.05 over s_out 0.1 is 2^-1, so the 4-bit
// values are the multipliers; the shift is lifted to TOSA's minimum of 2.
// CHECK-LABEL: func @double_quantized
// CHECK: multiplier = #pike.fixed_point<bits = 6, multipliers = [20, 10, 4], shifts = [2]>
func.func @double_quantized(%acc: tensor<1x3xi32>) -> tensor<1x3xi4> {
  %y = pike.scale %acc {scale = #pike.dq_scale<bits = 4, values = [10, 5, 2], scale = 0.05>} : tensor<1x3xi32> -> tensor<1x3xf32>
  %q = pike.quantize %y {quantizer = #pike.quantizer<u4, scales = [0.1]>} : tensor<1x3xf32> -> tensor<1x3xi4>
  return %q : tensor<1x3xi4>
}

// -----

// A shared scale that is not a power-of-two multiple of s_out falls back to
// per-channel fixed point: 3 * 0.05 / 0.3 = 0.5, 1 * 0.05 / 0.3 = 1/6.
// CHECK-LABEL: func @double_quantized_fallback
// CHECK: multiplier = #pike.fixed_point<bits = 32, multipliers = [1073741824, 1431655765], shifts = [31, 33]>
func.func @double_quantized_fallback(%acc: tensor<1x2xi32>) -> tensor<1x2xi4> {
  %y = pike.scale %acc {scale = #pike.dq_scale<bits = 4, values = [3, 1], scale = 0.05>} : tensor<1x2xi32> -> tensor<1x2xf32>
  %q = pike.quantize %y {quantizer = #pike.quantizer<u4, scales = [0.3]>} : tensor<1x2xf32> -> tensor<1x2xi4>
  return %q : tensor<1x2xi4>
}

// -----

// Without a quantize to fuse with, the scale stays (the final logits).
// CHECK-LABEL: func @no_quantize
// CHECK: pike.scale
// CHECK-NOT: pike.quant_norm
func.func @no_quantize(%acc: tensor<1x2xi32>) -> tensor<1x2xf32> {
  %y = pike.scale %acc {scale = array<f64: 0.5>} : tensor<1x2xi32> -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}
