// RUN: pike-opt %s --split-input-file --convert-pike-to-linalg | FileCheck %s

// Quantize as ONNX: divide in f32, round half to even, add the zero point,
// clamp, convert. A per-channel quantizer indexes its axis.
// CHECK-DAG: #[[AX0:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func @quantize
// CHECK: linalg.generic {indexing_maps = [{{.*}}, #[[AX0]], {{.*}}]
// CHECK:   arith.divf
// CHECK:   math.roundeven
// CHECK:   arith.addf
// CHECK:   arith.maxnumf
// CHECK:   arith.minnumf
// CHECK:   arith.fptosi
// CHECK:   arith.trunci {{.*}} : i32 to i4
func.func @quantize(%x: tensor<2x3xf32>) -> tensor<2x3xi4> {
  %q = pike.quantize %x {quantizer = #pike.quantizer<s4, axis = 0, scales = [0.5, 0.25]>} : tensor<2x3xf32> -> tensor<2x3xi4>
  return %q : tensor<2x3xi4>
}

// -----

// CHECK-LABEL: func @batch_norm
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1, %arg2, %arg3, %arg4 :
// CHECK:   arith.subf
// CHECK:   arith.addf
// CHECK:   math.sqrt
// CHECK:   arith.divf
// CHECK:   arith.mulf
// CHECK:   arith.addf
func.func @batch_norm(%x: tensor<2x3xf32>, %g: tensor<3xf32>, %b: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>) -> tensor<2x3xf32> {
  %y = pike.batch_norm %x, %g, %b, %m, %v : (tensor<2x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func @scale_clamp_dequantize
// CHECK: arith.sitofp {{.*}} : i32 to f32
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: arith.maximumf
// CHECK: arith.minimumf
// CHECK: arith.extui {{.*}} : i4 to i32
// CHECK: arith.sitofp {{.*}} : i32 to f32
func.func @scale_clamp_dequantize(%acc: tensor<2x3xi32>, %q: tensor<2x3xi4>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  %y = pike.scale %acc {scale = array<f64: 0.5, 0.25, 0.125>, bias = array<f64: 1.0, 2.0, 3.0>} : tensor<2x3xi32> -> tensor<2x3xf32>
  %c = pike.clamp %y {min = 0.0 : f64, max = 6.0 : f64} : tensor<2x3xf32>
  %d = pike.dequantize %q {quantizer = #pike.quantizer<u4, scales = [0.1]>} : tensor<2x3xi4> -> tensor<2x3xf32>
  return %c, %d : tensor<2x3xf32>, tensor<2x3xf32>
}
