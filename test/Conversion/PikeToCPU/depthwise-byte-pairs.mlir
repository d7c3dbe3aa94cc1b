// RUN: pike-opt %s --convert-pike-to-cpu-kernels="target=vector row-parts=false" --canonicalize --cse | FileCheck %s
// RUN: pike-opt %s --convert-pike-to-cpu-kernels="target=vector row-parts=false byte-pairs=false" | FileCheck %s --check-prefix=OFF
// RUN: pike-opt %s --convert-pike-to-cpu-kernels="target=avx512-vnni row-parts=false" | FileCheck %s --check-prefix=OFF
// RUN: pike-opt %s --pike-cpu-pipeline=target=vector | mlir-translate --mlir-to-llvmir \
// RUN:   | llc -O3 -mcpu=x86-64-v3 | FileCheck %s --check-prefix=ASM

// On `vector` (AVX2: no byte quads) a depthwise layer takes the quad
// kernel's column quads (4 kernel rows of a channel, bytes of one input
// column) as two byte pairs each, one pike.vector_dot2_bytes (vpmaddubsw)
// per kernel column into i16 lanes, added into the i32 accumulators by a
// pike.vector_dot2 against ones (vpmaddwd) after a run of columns: as many
// as keep every lane's sum in i16 for the input's range, checked on the
// weights. Where not even one pair fits, the i32 lanes kernel stays (each
// tap widened and multiplied). avx512-vnni takes byte quads; byte-pairs=false
// keeps the i32 lanes.
// OFF-NOT: pike.vector_dot2_bytes
// ASM-LABEL: seven_bit_weights_conv2d:
// ASM-NOT: vpmulld
// ASM: vpmaddubsw
// ASM-NOT: vpmulld
// ASM: vpmaddwd
// ASM-NOT: vpmulld
// ASM-LABEL: seven_bit_weights:
// ASM-LABEL: full_range_weights_conv2d:
// ASM-NOT: vpmaddubsw
// ASM: vpmulld
// ASM-LABEL: full_range_weights:

// onnxruntime's 7-bit weights against u8: a pair (two kernel rows) is at
// most 255 * (64 + 64) = 32640, two columns' pairs would leave i16: each
// column's pairs go into i32 at once.
// CHECK-LABEL: func.func private @seven_bit_weights_conv2d
// CHECK-NOT: arith.muli
// CHECK-NOT: pike.vector_dot2_bytes %{{[0-9]+}},
// CHECK: %[[P:[0-9]+]] = pike.vector_dot2_bytes %cst{{[_0-9]*}}, %{{.*}} : vector<32xi16>, vector<64xi8>
// CHECK-NOT: pike.vector_dot2_bytes %{{[0-9]+}},
// CHECK: pike.vector_dot2 %{{[0-9]+}}, %[[P]], %cst{{[_0-9]*}} : vector<16xi32>, vector<32xi16>
// CHECK-NOT: pike.vector_dot2_bytes %{{[0-9]+}},
// CHECK-LABEL: func.func @seven_bit_weights(
func.func @seven_bit_weights(%x: tensor<1x6x6x16xi8>) -> tensor<1x6x6x16xi32> {
  %w = arith.constant dense<64> : tensor<16x3x3x1xi8>
  %acc = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, groups = 16 : i64, input_unsigned, input_zp = 3 : i64}
      : (tensor<1x6x6x16xi8>, tensor<16x3x3x1xi8>) -> tensor<1x6x6x16xi32>
  return %acc : tensor<1x6x6x16xi32>
}

// 30 a weight: two columns of two rows are 255 * 120 = 30600, three are
// 45900: runs of two columns, then the third alone.
// CHECK-LABEL: func.func private @runs_of_two_conv2d
// CHECK: %[[A:[0-9]+]] = pike.vector_dot2_bytes %cst{{[_0-9]*}},
// CHECK-NOT: pike.vector_dot2 %
// CHECK: %[[B:[0-9]+]] = pike.vector_dot2_bytes %[[A]],
// CHECK: pike.vector_dot2 %{{[0-9]+}}, %[[B]],
// CHECK: %[[C:[0-9]+]] = pike.vector_dot2_bytes %cst{{[_0-9]*}},
// CHECK: pike.vector_dot2 %{{[0-9]+}}, %[[C]],
// CHECK-LABEL: func.func @runs_of_two(
func.func @runs_of_two(%x: tensor<1x6x6x16xi8>) -> tensor<1x6x6x16xi32> {
  %w = arith.constant dense<30> : tensor<16x3x3x1xi8>
  %acc = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, groups = 16 : i64, input_unsigned, input_zp = 3 : i64}
      : (tensor<1x6x6x16xi8>, tensor<16x3x3x1xi8>) -> tensor<1x6x6x16xi32>
  return %acc : tensor<1x6x6x16xi32>
}

// A u4 input bounds the products instead: 15 * 6 * 127 = 11430, the whole
// kernel row of columns is one run, in i32 once.
// CHECK-LABEL: func.func private @u4_input_conv2d
// CHECK: %[[A:[0-9]+]] = pike.vector_dot2_bytes %cst{{[_0-9]*}},
// CHECK-NOT: pike.vector_dot2 %
// CHECK: %[[B:[0-9]+]] = pike.vector_dot2_bytes %[[A]],
// CHECK-NOT: pike.vector_dot2 %
// CHECK: %[[C:[0-9]+]] = pike.vector_dot2_bytes %[[B]],
// CHECK: pike.vector_dot2 %{{[0-9]+}}, %[[C]],
// CHECK-LABEL: func.func @u4_input(
func.func @u4_input(%x: tensor<1x6x6x16xi4>) -> tensor<1x6x6x16xi32> {
  %w = arith.constant dense<127> : tensor<16x3x3x1xi8>
  %acc = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, groups = 16 : i64, input_unsigned, input_zp = 3 : i64}
      : (tensor<1x6x6x16xi4>, tensor<16x3x3x1xi8>) -> tensor<1x6x6x16xi32>
  return %acc : tensor<1x6x6x16xi32>
}

// A signed input is read unsigned, each byte xor 0x80 (offset by 128,
// which the correction takes back), so its range is [0, 255] too.
// CHECK-LABEL: func.func private @signed_input_conv2d
// CHECK: arith.xori {{.*}} : vector<16xi8>
// CHECK: pike.vector_dot2_bytes
// CHECK-LABEL: func.func @signed_input(
func.func @signed_input(%x: tensor<1x6x6x16xi8>) -> tensor<1x6x6x16xi32> {
  %w = arith.constant dense<-64> : tensor<16x3x3x1xi8>
  %acc = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, groups = 16 : i64, input_zp = -3 : i64}
      : (tensor<1x6x6x16xi8>, tensor<16x3x3x1xi8>) -> tensor<1x6x6x16xi32>
  return %acc : tensor<1x6x6x16xi32>
}

// 64 and 65 in one pair (kernel rows 0 and 1 of a column): 255 * 129 =
// 32895 would saturate, so the whole layer keeps the i32 lanes kernel.
// CHECK-LABEL: func.func private @full_range_weights_conv2d
// CHECK-NOT: pike.vector_dot2_bytes
// CHECK: arith.muli {{.*}} : vector<16xi32>
// CHECK-LABEL: func.func @full_range_weights(
func.func @full_range_weights(%x: tensor<1x6x6x16xi8>) -> tensor<1x6x6x16xi32> {
  %w = arith.constant dense<[[[[64], [0], [0]], [[65], [0], [0]], [[0], [0], [0]]], [[[64], [0], [0]], [[65], [0], [0]], [[0], [0], [0]]], [[[64], [0], [0]], [[65], [0], [0]], [[0], [0], [0]]], [[[64], [0], [0]], [[65], [0], [0]], [[0], [0], [0]]], [[[64], [0], [0]], [[65], [0], [0]], [[0], [0], [0]]], [[[64], [0], [0]], [[65], [0], [0]], [[0], [0], [0]]], [[[64], [0], [0]], [[65], [0], [0]], [[0], [0], [0]]], [[[64], [0], [0]], [[65], [0], [0]], [[0], [0], [0]]], [[[64], [0], [0]], [[65], [0], [0]], [[0], [0], [0]]], [[[64], [0], [0]], [[65], [0], [0]], [[0], [0], [0]]], [[[64], [0], [0]], [[65], [0], [0]], [[0], [0], [0]]], [[[64], [0], [0]], [[65], [0], [0]], [[0], [0], [0]]], [[[64], [0], [0]], [[65], [0], [0]], [[0], [0], [0]]], [[[64], [0], [0]], [[65], [0], [0]], [[0], [0], [0]]], [[[64], [0], [0]], [[65], [0], [0]], [[0], [0], [0]]], [[[64], [0], [0]], [[65], [0], [0]], [[0], [0], [0]]]]> : tensor<16x3x3x1xi8>
  %acc = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, groups = 16 : i64, input_unsigned, input_zp = 3 : i64}
      : (tensor<1x6x6x16xi8>, tensor<16x3x3x1xi8>) -> tensor<1x6x6x16xi32>
  return %acc : tensor<1x6x6x16xi32>
}
