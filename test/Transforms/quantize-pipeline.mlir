// The bundled quantized-graph model becomes integer form, which
// pike-verify-integer (the pipeline's last pass) accepts.
// RUN: pike-opt %pike_src_root/examples/mobilenet_tiny.mlir --pike-quantize-pipeline | FileCheck %s
// RUN: pike-opt %pike_src_root/examples/mobilenet_tiny.mlir --pike-quantize-pipeline="double-quantize=true dq-bits=4" | FileCheck %s --check-prefix=DQ
// RUN: pike-opt %pike_src_root/examples/mobilenet_tiny.mlir --pike-quantize-pipeline="multiplier-bits=16 rounding=double" | FileCheck %s --check-prefix=M16

// CHECK-LABEL: func.func @main
// CHECK: pike.quantize %arg0
// CHECK-COUNT-9: pike.quant_norm {{.*}}multiplier = #pike.fixed_point<bits = 32,
// CHECK: pike.avg_pool2d
// CHECK: pike.fully_connected
// CHECK: pike.quant_norm
// CHECK: pike.dequantize
// CHECK-NOT: pike.batch_norm
// CHECK-NOT: pike.scale
// CHECK-NOT: pike.clamp

// Double Quantization: 4-bit per-channel values (5-bit signed multipliers)
// with one shared shift per layer.
// DQ-COUNT-9: pike.quant_norm {{.*}}multiplier = #pike.fixed_point<bits = {{[2-5]}}, multipliers = [{{[0-9, ]+}}], shifts = [{{[0-9]+}}]>

// M16-COUNT-9: pike.quant_norm {{.*}}multiplier = #pike.fixed_point<bits = 16,

// The real form of the same model fails the integer check, naming the op.
// RUN: not pike-opt %pike_src_root/examples/mobilenet_tiny.mlir --pike-verify-integer 2>&1 | FileCheck %s --check-prefix=REAL
// REAL: mobilenet_tiny.mlir:8:5: error: real arithmetic left in the inference graph: 'pike.scale' computes on 'tensor<1x16x16x8xf32>'
