// The tile is fixed at 4 pixels here (byte pairs take 3 by default,
// register-tile-byte-pairs.mlir): these checks are of the blocks.
// RUN: pike-opt %s --convert-pike-to-cpu-kernels="target=vector row-parts=false dense-tile=4x1" --canonicalize --cse | FileCheck %s
// RUN: pike-opt %s --convert-pike-to-cpu-kernels="target=vector row-parts=false byte-pairs=false" | FileCheck %s --check-prefix=OFF
// RUN: pike-opt %s --convert-pike-to-cpu-kernels="target=avx512-vnni row-parts=false" | FileCheck %s --check-prefix=OFF
// The pairs are x86's vpmaddubsw once LLVM has selected them, and the flush vpmaddwd.
// RUN: pike-opt %s --pike-cpu-pipeline=target=vector | mlir-translate --mlir-to-llvmir \
// RUN:   | llc -O3 -mcpu=x86-64-v3 | FileCheck %s --check-prefix=ASM

// On `vector` (AVX2: no byte quads) an unsigned input whose ranges keep a
// pair of products, and the sum of a block of steps, inside i16 is read as
// bytes, 4 channels a step: one pike.vector_dot2_bytes (pmaddubsw) per
// pixel into 32 i16 lanes, added into the i32 accumulators by a
// pike.vector_dot2 against ones (pmaddwd) after each block. Byte quads
// (avx512-vnni) are taken first; byte-pairs=false keeps i16 pairs.
// OFF-NOT: pike.vector_dot2_bytes
// Every layer on byte pairs, a block of one step too (where LLVM, left to
// find vpmaddubsw in the portable form, multiplied in i32 lanes instead).
// ASM-LABEL: u4_pointwise_conv2d:
// ASM-DAG: vpmaddubsw
// ASM-DAG: vpmaddwd
// ASM-LABEL: kernel_rows_conv2d:
// ASM: vpmaddubsw
// ASM-LABEL: blocks_conv2d:
// ASM: vpmaddubsw
// ASM-LABEL: widest_weights_conv2d:
// ASM-NOT: vpmulld
// ASM: vpmaddubsw
// ASM-NOT: vpmulld
// ASM-LABEL: widest_weights:
// ASM-LABEL: past_the_bound_conv2d:
// ASM-NOT: vpmaddubsw
// ASM-LABEL: signed_input_conv2d:
// ASM: vpmaddubsw
// ASM-LABEL: signed_input:
// ASM-LABEL: signed_one_step_conv2d:
// ASM-NOT: vpmaddubsw
// ASM-LABEL: signed_one_step:

// u4 x s4: a pair is at most 2 * 15 * 8 = 240, so 136 steps fit (the
// kernel takes the input as bytes, but its values are still u4); the whole
// window (16 steps) is one block: the i16 accumulators leave the step loop,
// then go into i32.
// CHECK-LABEL: func.func private @u4_pointwise_conv2d(%arg0: tensor<1x4x4x64xi8>
// CHECK-NOT: arith.extui {{.*}} to vector<{{.*}}xi16>
// CHECK: scf.forall
// CHECK: scf.for %{{.*}} = %c0 to %c16 {{.*}} -> (vector<32xi16>, vector<32xi16>, vector<32xi16>, vector<32xi16>)
// CHECK: vector.transfer_read %arg0{{.*}} : tensor<1x4x4x64xi8>, vector<4xi8>
// CHECK: vector.transfer_read {{.*}} : tensor<2048xi8>, vector<64xi8>
// CHECK-COUNT-4: pike.vector_dot2_bytes {{.*}} : vector<32xi16>, vector<64xi8>
// CHECK: scf.yield
// CHECK-COUNT-4: pike.vector_dot2 {{.*}} : vector<16xi32>, vector<32xi16>
// CHECK-LABEL: func.func @u4_pointwise(
func.func @u4_pointwise(%x: tensor<1x4x4x64xi4>) -> tensor<1x4x4x32xi32> {
  %w = arith.constant dense<-8> : tensor<32x1x1x64xi8>
  %acc = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, input_unsigned}
      : (tensor<1x4x4x64xi4>, tensor<32x1x1x64xi8>) -> tensor<1x4x4x32xi32>
  return %acc : tensor<1x4x4x32xi32>
}

// u8 x 8: 2 * 255 * 8 = 4080 a pair, so a block is 8 steps. A kernel row
// (3 taps x 2 steps) fits, the window (18 steps) does not: the i16
// accumulators start at each kh and go into i32 after its kw loop.
// CHECK-LABEL: func.func private @kernel_rows_conv2d
// CHECK: scf.for {{.*}} -> (vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>)
// CHECK-NEXT: arith.addi
// CHECK-NEXT: scf.for {{.*}} -> (vector<32xi16>, vector<32xi16>, vector<32xi16>, vector<32xi16>)
// CHECK: scf.for %{{.*}} = %c0 to %c2 {{.*}} -> (vector<32xi16>
// CHECK-COUNT-4: pike.vector_dot2_bytes
// CHECK: scf.yield
// CHECK: scf.yield
// CHECK-COUNT-4: pike.vector_dot2 {{.*}} : vector<16xi32>, vector<32xi16>
// CHECK-LABEL: func.func @kernel_rows(
func.func @kernel_rows(%x: tensor<1x6x6x8xi8>) -> tensor<1x6x6x16xi32> {
  %w = arith.constant dense<8> : tensor<16x3x3x8xi8>
  %acc = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, input_unsigned}
      : (tensor<1x6x6x8xi8>, tensor<16x3x3x8xi8>) -> tensor<1x6x6x16xi32>
  return %acc : tensor<1x6x6x16xi32>
}

// The same 8-step block against 10 steps a tap: each tap's steps go in
// blocks, here one of 8, then the 2 left.
// CHECK-LABEL: func.func private @blocks_conv2d
// CHECK: scf.for {{.*}} -> (vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>)
// CHECK: scf.for {{.*}} -> (vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>)
// CHECK: scf.for %{{.*}} = %c0 to %c8 {{.*}} -> (vector<32xi16>
// CHECK-COUNT-4: pike.vector_dot2_bytes
// CHECK: scf.yield
// CHECK-COUNT-4: pike.vector_dot2 {{.*}} : vector<16xi32>, vector<32xi16>
// CHECK: scf.for %{{.*}} = %c0 to %c2 {{.*}} -> (vector<32xi16>
// CHECK-COUNT-4: pike.vector_dot2_bytes
// CHECK: scf.yield
// CHECK-COUNT-4: pike.vector_dot2 {{.*}} : vector<16xi32>, vector<32xi16>
// CHECK-LABEL: func.func @blocks(
func.func @blocks(%x: tensor<1x6x6x40xi8>) -> tensor<1x6x6x16xi32> {
  %w = arith.constant dense<8> : tensor<16x3x3x40xi8>
  %acc = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, input_unsigned, input_zp = 3 : i64}
      : (tensor<1x6x6x40xi8>, tensor<16x3x3x40xi8>) -> tensor<1x6x6x16xi32>
  return %acc : tensor<1x6x6x16xi32>
}

// The bound: u8 against |w| = 64 is 32640 a pair, a block of one step (its
// 2 steps are 2 blocks, each added into i32); 65 would pass 32767 and keeps
// i16 pairs (the input widened to i16).
// CHECK-LABEL: func.func private @widest_weights_conv2d
// CHECK: scf.for %{{.*}} = %c0 to %c2 {{.*}} -> (vector<16xi32>, vector<16xi32>)
// CHECK-COUNT-2: pike.vector_dot2_bytes
// CHECK-COUNT-2: pike.vector_dot2 {{.*}} : vector<16xi32>, vector<32xi16>
// CHECK-NEXT: scf.yield
func.func @widest_weights(%x: tensor<1x2x2x8xi8>) -> tensor<1x2x2x16xi32> {
  %w = arith.constant dense<-64> : tensor<16x1x1x8xi8>
  %acc = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, input_unsigned}
      : (tensor<1x2x2x8xi8>, tensor<16x1x1x8xi8>) -> tensor<1x2x2x16xi32>
  return %acc : tensor<1x2x2x16xi32>
}

// CHECK-LABEL: func.func private @past_the_bound_conv2d
// CHECK-NOT: pike.vector_dot2_bytes
// CHECK: arith.extui {{.*}} : vector<32xi8> to vector<32xi16>
// CHECK-NOT: pike.vector_dot2_bytes
// CHECK-LABEL: func.func @past_the_bound(
func.func @past_the_bound(%x: tensor<1x2x2x8xi8>) -> tensor<1x2x2x16xi32> {
  %w = arith.constant dense<-65> : tensor<16x1x1x8xi8>
  %acc = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, input_unsigned}
      : (tensor<1x2x2x8xi8>, tensor<16x1x1x8xi8>) -> tensor<1x2x2x16xi32>
  return %acc : tensor<1x2x2x16xi32>
}

// A signed input is read from a copy with each byte's top bit flipped (its
// padding, the zero point, too): x + 128 in [0, 255], against which s4 is
// at most 135, so 2 * 135 * 3 = 810 a pair.
// CHECK-LABEL: func.func private @signed_input_conv2d
// CHECK: linalg.fill ins(%c-128_i8 : i8)
// CHECK: arith.xori %{{.*}}, %{{.*}} : vector<16xi8>
// CHECK: pike.vector_dot2_bytes
// CHECK-LABEL: func.func @signed_input(
func.func @signed_input(%x: tensor<1x2x2x8xi4>) -> tensor<1x2x2x16xi32> {
  %w = arith.constant dense<3> : tensor<16x1x1x8xi8>
  %acc = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>}
      : (tensor<1x2x2x8xi4>, tensor<16x1x1x8xi8>) -> tensor<1x2x2x16xi32>
  return %acc : tensor<1x2x2x16xi32>
}

// s8 flipped reaches 255, as u8 does: |w| = 64 allows blocks of one step,
// which on a flipped copy cost what i16 pairs do; those stay.
// CHECK-LABEL: func.func private @signed_one_step_conv2d
// CHECK-NOT: pike.vector_dot2_bytes
// CHECK: arith.extsi {{.*}} : vector<32xi8> to vector<32xi16>
// CHECK-NOT: pike.vector_dot2_bytes
// CHECK-LABEL: func.func @signed_one_step(
func.func @signed_one_step(%x: tensor<1x2x2x8xi8>) -> tensor<1x2x2x16xi32> {
  %w = arith.constant dense<-64> : tensor<16x1x1x8xi8>
  %acc = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, input_zp = -3 : i64}
      : (tensor<1x2x2x8xi8>, tensor<16x1x1x8xi8>) -> tensor<1x2x2x16xi32>
  return %acc : tensor<1x2x2x16xi32>
}
