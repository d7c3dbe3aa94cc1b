// RUN: pike-opt %s --pike-fixed-point=rounding=float32 | FileCheck %s
// RUN: pike-opt %s --pike-fixed-point=rounding=float32 --convert-pike-to-linalg | FileCheck %s --check-prefix=LOWERED
// Under float32 rounding (onnxruntime's arithmetic) a softmax between
// quantizers of two types (s8 into u8, which QLinearSoftmax does not take)
// stays the integer softmax, its output scaled as onnxruntime scales it:
// floor(1 / s_out) in float32, 254 for the 1/255 its quantizer writes
// (254 * 2^23 = 2130706432, shift 53). A masked softmax
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
// Between quantizers of one 8-bit type, onnxruntime fuses QLinearSoftmax,
// which pike.float32_softmax reproduces: onnxruntime's float32 exp table
// (entry d = exp((b - d) * 0.5), b its headroom) and floor(1 / s_out), 254
// for the float32 nearest 1/255.
// CHECK-LABEL: func.func @one_type
// CHECK: pike.float32_softmax %arg0 {exp_table = array<f32: 5.73202921E+35, 3.47665141E+35, {{.*}}>, input_unsigned, multiplier = 2.540000e+02 : f32, output_unsigned}
// The lowering: a float32 sum in row order, then a float64 quotient.
// LOWERED-LABEL: func.func @one_type
// LOWERED: arith.addf {{.*}} : f32
// LOWERED: arith.extf {{.*}} : f32 to f64
// LOWERED: arith.mulf {{.*}} : f64
// LOWERED: arith.divf {{.*}} : f64
// LOWERED-NOT: pike.
func.func @one_type(%x: tensor<2x4xi8>) -> tensor<2x4xi8> {
  %d = pike.dequantize %x {quantizer = #pike.quantizer<u8, scales = [0.5], zero_points = [9]>} : tensor<2x4xi8> -> tensor<2x4xf32>
  %s = pike.softmax %d : tensor<2x4xf32>
  %q = pike.quantize %s {quantizer = #pike.quantizer<u8, scales = [0.0039215688593685627]>} : tensor<2x4xf32> -> tensor<2x4xi8>
  return %q : tensor<2x4xi8>
}
