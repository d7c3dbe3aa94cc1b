// RUN: pike-opt %s --split-input-file --pike-fixed-point=rounding=float32 | FileCheck %s
// RUN: pike-opt %s --split-input-file --pike-fixed-point=rounding=float32 --convert-pike-to-linalg | FileCheck %s --check-prefix=LOWERED
// RUN: pike-opt %s --split-input-file --pike-fixed-point | FileCheck %s --check-prefix=DEFAULT

// float32 rounding makes a LayerNorm between quantizers onnxruntime's
// float32 kernel: the quantizers' scales and zero points, epsilon, and a
// single scale or bias repeated along the row, as float32.
// CHECK-LABEL: func.func @rows_of_8
// CHECK: pike.float32_layer_norm %arg0 {beta = array<f32: 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00>,
// CHECK-SAME: epsilon = 9.99999974E-6 : f32, gamma = array<f32: 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01>,
// CHECK-SAME: input_scale = 1.000000e-01 : f32, input_unsigned, input_zp = 128 : i64, output_scale = 2.500000e-02 : f32, output_unsigned, output_zp = 120 : i64}
// CHECK-SAME: (tensor<2x8xi8>) -> tensor<2x8xi8>
// DEFAULT-LABEL: func.func @rows_of_8
// DEFAULT: pike.integer_layer_norm
// DEFAULT-NOT: pike.float32_layer_norm

// The lowering: float64 sums over 4 lanes ([2, 8] viewed as [2, 2, 4], the
// lane loop outside the reduction), then float32 fma sums over 8 lanes.
// LOWERED-LABEL: func.func @rows_of_8
// LOWERED: tensor.expand_shape {{.*}} tensor<2x8xf32> into tensor<2x2x4xf32>
// LOWERED: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]
// LOWERED: arith.extf {{.*}} : f32 to f64
// LOWERED: arith.truncf {{.*}} : f64 to f32
// LOWERED: tensor.expand_shape {{.*}} tensor<2x8xf32> into tensor<2x1x8xf32>
// LOWERED: math.fma
// LOWERED: math.sqrt
// LOWERED: math.fma
// LOWERED: arith.maxnumf
// LOWERED: arith.minnumf
// LOWERED-NOT: pike.
func.func @rows_of_8(%x: tensor<2x8xi8>) -> tensor<2x8xi8> {
  %d = pike.dequantize %x {quantizer = #pike.quantizer<u8, scales = [0.1], zero_points = [128]>} : tensor<2x8xi8> -> tensor<2x8xf32>
  %n = pike.layer_norm %d {scale = array<f64: 0.5>, bias = array<f64: 0.0>, epsilon = 1.0e-05 : f64} : tensor<2x8xf32>
  %q = pike.quantize %n {quantizer = #pike.quantizer<u8, scales = [0.025], zero_points = [120]>} : tensor<2x8xf32> -> tensor<2x8xi8>
  return %q : tensor<2x8xi8>
}

// -----

// Rows that are not a multiple of 8 take onnxruntime's scalar path, which
// Pike does not reproduce: the integer form.
// CHECK-LABEL: func.func @rows_of_12
// CHECK: pike.integer_layer_norm
// CHECK-NOT: pike.float32_layer_norm
func.func @rows_of_12(%x: tensor<2x12xi8>) -> tensor<2x12xi8> {
  %d = pike.dequantize %x {quantizer = #pike.quantizer<s8, scales = [0.1]>} : tensor<2x12xi8> -> tensor<2x12xf32>
  %n = pike.layer_norm %d {scale = array<f64: 1.0>, bias = array<f64: 0.0>, epsilon = 1.0e-05 : f64} : tensor<2x12xf32>
  %q = pike.quantize %n {quantizer = #pike.quantizer<s8, scales = [0.025]>} : tensor<2x12xf32> -> tensor<2x12xi8>
  return %q : tensor<2x12xi8>
}

// -----

// A variance quantized between the steps (u8 at 1/256, epsilon 0): the
// table holds sqrtf(v / 256), exact where v is a square; the lowering takes
// two means of 8 float32 lane sums (onnxruntime's ReduceMean), quantizes
// the variance by dividing, reads the table and divides.
// CHECK-LABEL: func.func @stepwise
// CHECK: pike.float32_stepwise_layer_norm %arg0 {deviations = array<f32: 0.000000e+00, 6.250000e-02, 0.0883883461, 0.108253174, 1.250000e-01,
// CHECK-SAME: input_scale = 5.000000e-01 : f32, output_scale = 1.562500e-02 : f32, variance_max = 255 : i64, variance_min = 0 : i64, variance_scale = 3.906250e-03 : f32}
// DEFAULT-LABEL: func.func @stepwise
// DEFAULT: pike.integer_stepwise_layer_norm
// LOWERED-LABEL: func.func @stepwise
// LOWERED: tensor.expand_shape {{.*}} tensor<2x8xf32> into tensor<2x1x8xf32>
// LOWERED: arith.mulf
// LOWERED: tensor.expand_shape {{.*}} tensor<2x8xf32> into tensor<2x1x8xf32>
// LOWERED: arith.divf
// LOWERED: tensor.extract
// LOWERED: arith.divf
// LOWERED: arith.divf
// LOWERED-NOT: math.sqrt
// LOWERED-NOT: pike.
func.func @stepwise(%x: tensor<2x8xi8>) -> tensor<2x8xi8> {
  %d = pike.dequantize %x {quantizer = #pike.quantizer<s8, scales = [0.5]>} : tensor<2x8xi8> -> tensor<2x8xf32>
  %l = pike.layer_norm %d {scale = array<f64: 1.0>, bias = array<f64: 0.0>, epsilon = 0.0 : f64, variance_quantizer = #pike.quantizer<u8, scales = [0.00390625]>} : tensor<2x8xf32>
  %q = pike.quantize %l {quantizer = #pike.quantizer<s8, scales = [0.015625]>} : tensor<2x8xf32> -> tensor<2x8xi8>
  return %q : tensor<2x8xi8>
}
