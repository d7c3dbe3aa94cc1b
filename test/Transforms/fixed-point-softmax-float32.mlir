// RUN: pike-opt %s --pike-fixed-point=rounding=float32 | FileCheck %s
// Under float32 rounding (onnxruntime's arithmetic) a softmax between
// quantizers is planned as onnxruntime's QLinearSoftmax computes it: its
// output scaled by floor(1 / s_out) in float32, 254 for the 1/255 its
// quantizer writes (254 * 2^23 = 2130706432, shift 53). A masked softmax
// has a Where between the dequantize and the Softmax, which onnxruntime
// does not fuse: it runs in float, and the plan is exact (255 * 2^23,
// rounded: 2139094913).
// CHECK-LABEL: func.func @plain
// CHECK: pike.integer_softmax %arg0 {{{.*}}multiplier = 2130706432 : i64, output_unsigned, shift = 53 : i64}
// CHECK-LABEL: func.func @masked
// CHECK: pike.integer_softmax %arg0 mask %arg1 {{{.*}}multiplier = 2139094913 : i64, output_unsigned, shift = 53 : i64}
func.func @plain(%x: tensor<2x4xi8>) -> tensor<2x4xi8> {
  %d = pike.dequantize %x {quantizer = #pike.quantizer<s8, scales = [0.5]>} : tensor<2x4xi8> -> tensor<2x4xf32>
  %s = pike.softmax %d : tensor<2x4xf32>
  %q = pike.quantize %s {quantizer = #pike.quantizer<u8, scales = [0.0039215688593685627]>} : tensor<2x4xf32> -> tensor<2x4xi8>
  return %q : tensor<2x4xi8>
}
func.func @masked(%x: tensor<2x4xi8>, %k: tensor<2x4xi1>) -> tensor<2x4xi8> {
  %d = pike.dequantize %x {quantizer = #pike.quantizer<s8, scales = [0.5]>} : tensor<2x4xi8> -> tensor<2x4xf32>
  %s = pike.softmax %d mask(%k : tensor<2x4xi1>) : tensor<2x4xf32>
  %q = pike.quantize %s {quantizer = #pike.quantizer<u8, scales = [0.0039215688593685627]>} : tensor<2x4xf32> -> tensor<2x4xi8>
  return %q : tensor<2x4xi8>
}
