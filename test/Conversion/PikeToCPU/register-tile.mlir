// The dense kernel's register tile comes from the target's register file:
// 4 pixels x 4 filter vectors (16 accumulators) where a vector is one of 32
// registers (avx512-vnni, AArch64); 4 pixels x 1 vector on `vector`, whose
// 512-bit vectors take two of AVX2's 16 ymm registers each (4 x 4 would
// need all 32 for its accumulators); 3 pixels x 1 vector there where the
// layer steps on byte pairs, whose i16 products take registers too.
// `dense-tile` chooses another.
// RUN: pike-opt %s --convert-pike-to-cpu-kernels="target=avx512-vnni row-parts=false" | FileCheck %s --check-prefix=WIDE
// RUN: pike-opt %s --convert-pike-to-cpu-kernels="target=aarch64 row-parts=false" | FileCheck %s --check-prefix=WIDE
// RUN: pike-opt %s --convert-pike-to-cpu-kernels="target=vector row-parts=false" | FileCheck %s --check-prefix=AVX2
// RUN: pike-opt %s --convert-pike-to-cpu-kernels="target=vector row-parts=false dense-tile=3x2" | FileCheck %s --check-prefix=CHOSEN
// RUN: pike-opt %s --pike-cpu-pipeline="target=vector dense-tile=3x2" -o /dev/null
// RUN: not pike-opt %s --convert-pike-to-cpu-kernels="target=vector dense-tile=4x5" 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: not pike-opt %s --convert-pike-to-cpu-kernels="target=vector dense-tile=4" 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: not pike-run %s --target=vector --dense-tile=0x1 2>&1 | FileCheck %s --check-prefix=RUN-BAD

// The accumulators are the innermost loop's vector<16xi32> (or, on
// AArch64, vector<4xi32>) iter_args. Weights past 64 keep `vector` on i16
// pairs, whose accumulators are i32 (byte pairs would carry i16 ones).
// WIDE: scf.for {{.*}} -> (vector<{{16|4}}xi32>, vector<{{16|4}}xi32>, vector<{{16|4}}xi32>, vector<{{16|4}}xi32>, vector<{{16|4}}xi32>, vector<{{16|4}}xi32>, vector<{{16|4}}xi32>, vector<{{16|4}}xi32>, vector<{{16|4}}xi32>, vector<{{16|4}}xi32>, vector<{{16|4}}xi32>, vector<{{16|4}}xi32>, vector<{{16|4}}xi32>, vector<{{16|4}}xi32>, vector<{{16|4}}xi32>, vector<{{16|4}}xi32>)
// AVX2-NOT: -> (vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>
// AVX2: scf.for {{.*}} -> (vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>) {
// AVX2-NOT: -> (vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>
// CHOSEN-NOT: -> (vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>
// CHOSEN: scf.for {{.*}} -> (vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>) {
// CHOSEN-NOT: -> (vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>
// BAD: error: dense-tile: expected RxV (pixels x filter vectors, R in 1..8, V in 1..4)
// RUN-BAD: pike-run: error: --dense-tile: expected RxV

func.func @main(%x: tensor<1x8x8x16xi8>) -> tensor<1x8x8x64xi8> {
  %w = arith.constant dense<100> : tensor<64x1x1x16xi8>
  %a = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>}
      : (tensor<1x8x8x16xi8>, tensor<64x1x1x16xi8>) -> tensor<1x8x8x64xi32>
  %y = pike.quant_norm %a {multiplier = #pike.fixed_point<bits = 32, multipliers = [1518500250], shifts = [40], rounding = half_even>, bias = array<i64: 0>, output_zp = 0 : i64}
      : tensor<1x8x8x64xi32> -> tensor<1x8x8x64xi8>
  return %y : tensor<1x8x8x64xi8>
}
