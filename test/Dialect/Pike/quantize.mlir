// RUN: pike-opt %s | pike-opt | FileCheck %s

// CHECK-LABEL: func @quantize_dequantize
// CHECK: %[[Q:.*]] = pike.quantize %arg0 {quantizer = #pike.quantizer<u4, scales = [5.000000e-02]>} : tensor<1x4x4x8xf32> -> tensor<1x4x4x8xi4>
// CHECK: pike.dequantize %[[Q]] {quantizer = #pike.quantizer<u4, scales = [5.000000e-02]>} : tensor<1x4x4x8xi4> -> tensor<1x4x4x8xf32>
func.func @quantize_dequantize(%x: tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32> {
  %q = pike.quantize %x {quantizer = #pike.quantizer<u4, scales = [0.05]>} : tensor<1x4x4x8xf32> -> tensor<1x4x4x8xi4>
  %d = pike.dequantize %q {quantizer = #pike.quantizer<u4, scales = [0.05]>} : tensor<1x4x4x8xi4> -> tensor<1x4x4x8xf32>
  return %d : tensor<1x4x4x8xf32>
}

// Per-channel weight quantizer along the output-channel axis; f16 reals.
// CHECK-LABEL: func @per_channel_weights
// CHECK: pike.dequantize %arg0 {quantizer = #pike.quantizer<s4, axis = 0, scales = [1.000000e-01, 2.000000e-01]>} : tensor<2x3x3x4xi4> -> tensor<2x3x3x4xf16>
func.func @per_channel_weights(%w: tensor<2x3x3x4xi4>) -> tensor<2x3x3x4xf16> {
  %d = pike.dequantize %w {quantizer = #pike.quantizer<s4, axis = 0, scales = [0.1, 0.2]>} : tensor<2x3x3x4xi4> -> tensor<2x3x3x4xf16>
  return %d : tensor<2x3x3x4xf16>
}

// Dynamic dimensions are accepted; per-channel counts are checked when static.
// CHECK-LABEL: func @dynamic
// CHECK: pike.quantize %arg0 {{.*}} : tensor<?x3xf32> -> tensor<?x3xi8>
func.func @dynamic(%x: tensor<?x3xf32>) -> tensor<?x3xi8> {
  %q = pike.quantize %x {quantizer = #pike.quantizer<s8, axis = 1, scales = [0.1, 0.2, 0.3]>} : tensor<?x3xf32> -> tensor<?x3xi8>
  return %q : tensor<?x3xi8>
}
