// The quantizer kernels convert whole vectors: AVX2 turns 8 floats into i32
// lanes (and back) an instruction, but has no vector conversion to or from
// i64, which LLVM then does one element at a time.
// RUN: pike-opt %s --pike-cpu-pipeline=target=vector | mlir-translate --mlir-to-llvmir \
// RUN:   | llc -O3 -mcpu=x86-64-v3 | FileCheck %s

// CHECK-LABEL: quantize:
// CHECK-NOT: cvttss2si
// CHECK: vcvttps2dq
// CHECK-NOT: cvttss2si
// CHECK-LABEL: dequantize:
// CHECK-NOT: cvtsi2ss
// CHECK: vcvtdq2ps
// CHECK-NOT: cvtsi2ss
func.func @quantize(%x: tensor<1x8x8x32xf32>) -> tensor<1x8x8x32xi8> {
  %q = pike.quantize %x {quantizer = #pike.quantizer<u8, scales = [0.05], zero_points = [128]>} : tensor<1x8x8x32xf32> -> tensor<1x8x8x32xi8>
  return %q : tensor<1x8x8x32xi8>
}
func.func @dequantize(%q: tensor<1x8x8x32xi8>) -> tensor<1x8x8x32xf32> {
  %x = pike.dequantize %q {quantizer = #pike.quantizer<u8, scales = [0.05], zero_points = [128]>} : tensor<1x8x8x32xi8> -> tensor<1x8x8x32xf32>
  return %x : tensor<1x8x8x32xf32>
}
