// RUN: pike-opt %s --split-input-file --convert-quant-to-pike | FileCheck %s

// Casts with !quant.uniform types become pike.quantize / pike.dequantize and
// quantized tensors their storage type, in signatures too.
// CHECK-LABEL: func @per_tensor
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>) -> (tensor<4xi8>, tensor<4xf32>)
// CHECK: %[[Q:.*]] = pike.quantize %[[X]] {quantizer = #pike.quantizer<u8, scales = [1.000000e-01], zero_points = [128]>} : tensor<4xf32> -> tensor<4xi8>
// CHECK: %[[D:.*]] = pike.dequantize %[[Q]] {quantizer = #pike.quantizer<u8, scales = [1.000000e-01], zero_points = [128]>} : tensor<4xi8> -> tensor<4xf32>
// CHECK: return %[[Q]], %[[D]]
func.func @per_tensor(%x: tensor<4xf32>) -> (tensor<4x!quant.uniform<u8:f32, 0.1:128>>, tensor<4xf32>) {
  %q = quant.qcast %x : tensor<4xf32> to tensor<4x!quant.uniform<u8:f32, 0.1:128>>
  %d = quant.dcast %q : tensor<4x!quant.uniform<u8:f32, 0.1:128>> to tensor<4xf32>
  return %q, %d : tensor<4x!quant.uniform<u8:f32, 0.1:128>>, tensor<4xf32>
}

// -----

// Per-axis types keep their axis; storage casts vanish.
// CHECK-LABEL: func @per_axis
// CHECK-SAME: (%[[W:.*]]: tensor<2x3xi8>) -> tensor<2x3xf32>
// CHECK-NEXT: pike.dequantize %[[W]] {quantizer = #pike.quantizer<s8, axis = 0, scales = [5.000000e-01, 2.500000e-01], zero_points = [0, 1]>}
func.func @per_axis(%w: tensor<2x3xi8>) -> tensor<2x3xf32> {
  %q = quant.scast %w : tensor<2x3xi8> to tensor<2x3x!quant.uniform<i8:f32:0, {0.5, 0.25:1}>>
  %d = quant.dcast %q : tensor<2x3x!quant.uniform<i8:f32:0, {0.5, 0.25:1}>> to tensor<2x3xf32>
  return %d : tensor<2x3xf32>
}
