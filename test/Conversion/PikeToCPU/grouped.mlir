// RUN: pike-opt %s --convert-pike-to-cpu-kernels="target=vector warn-fallbacks=true byte-pairs=false" --verify-diagnostics --canonicalize --cse | FileCheck %s --check-prefixes=CHECK,VECTOR
// RUN: pike-opt %s --convert-pike-to-cpu-kernels="target=avx512-vnni warn-fallbacks=true" --verify-diagnostics --canonicalize --cse | FileCheck %s --check-prefixes=CHECK,VNNI

// Grouped convolutions take the dense kernel (a layer left to linalg would
// be a warning here): each filter vector reads the channel window of the
// groups its 16 filters belong to, its weights packed over that window.

// 4 groups of 16 filters and 16 channels: one vector per group, a loop over
// the groups that moves 16 channels and 9 taps x 4 steps of weights a turn.
// The packed weights are a quarter of a dense layer's: 4 vectors x 9 taps x
// 16 channels x 16 filters = 9216 bytes (dense: 36864).
// CHECK-LABEL: func.func private @four_groups_conv2d
// CHECK-NOT: pike.conv2d
// CHECK-DAG: %[[C4:.*]] = arith.constant 4 : index
// CHECK-DAG: %[[C16:.*]] = arith.constant 16 : index
// CHECK-DAG: %[[C36:.*]] = arith.constant 36 : index
// CHECK-DAG: arith.constant dense<1> : tensor<9216xi8>
// CHECK: scf.forall
// CHECK: scf.for %[[G:.*]] = %{{.*}} to %[[C4]]
// CHECK-DAG: %[[F:.*]] = arith.muli %[[G]], %[[C16]] : index
// CHECK-DAG: arith.muli %[[G]], %[[C36]] : index
// The tile: 4 pixels x 1 filter vector over kh, kw and 4 steps of channels.
// CHECK: scf.for {{.*}} -> (vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>)
// CHECK: scf.for
// CHECK: scf.for {{.*}} to %[[C4]]
// VECTOR: vector.transfer_read {{.*}} : tensor<9216xi8>, vector<32xi8>
// VECTOR-COUNT-4: pike.vector_dot2
// VECTOR: vector.transfer_read {{.*}} : tensor<9216xi8>, vector<32xi8>
// VECTOR-COUNT-4: pike.vector_dot2
// VNNI: vector.transfer_read {{.*}} : tensor<9216xi8>, vector<64xi8>
// VNNI-COUNT-4: pike.vector_dot4
// The epilogue and the store of the group's 16 filters, at its first one.
// CHECK: pike.apply_scale
// CHECK: vector.transfer_write {{.*}}[%{{.*}}, %{{.*}}, %{{.*}}, %[[F]]] {in_bounds = [true]} : vector<16xi8>, tensor<1x1x6x64xi8>
// CHECK-LABEL: func.func @four_groups(
// CHECK: call @four_groups_conv2d
func.func @four_groups(%x: tensor<1x6x6x64xi8>) -> tensor<1x6x6x64xi8> {
  %w = arith.constant dense<1> : tensor<64x3x3x16xi8>
  %acc = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, groups = 4 : i64, input_unsigned}
      : (tensor<1x6x6x64xi8>, tensor<64x3x3x16xi8>) -> tensor<1x6x6x64xi32>
  %y = pike.quant_norm %acc {multiplier = #pike.fixed_point<bits = 16, multipliers = [20000], shifts = [20]>, output_unsigned}
      : tensor<1x6x6x64xi32> -> tensor<1x6x6x64xi8>
  return %y : tensor<1x6x6x64xi8>
}

// 2 groups of 8 filters and 2 channels share one vector. On vnni its
// window is the 4 channels of both groups, and a filter meets the other
// group's channels with zero weights: layout [filter][channel], 1, 1, 0, 0
// for filters 0-7, then 0, 0, 1, 1.
// On vector each half of the vector reads its own group's channel pair
// (lanes 0-7 group 0's, 8-15 group 1's), so the weights are the group's
// own: layout [pair][filter][2], channels (0, 1) then the padding pair.
// CHECK-LABEL: func.func private @two_groups_a_vector_conv2d
// VECTOR: arith.constant dense<[1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]> : tensor<64xi8>
// VECTOR: %[[G0:.*]] = vector.extract {{.*}} : i32 from vector<1xi32>
// VECTOR: %[[G1:.*]] = vector.extract {{.*}} : i32 from vector<1xi32>
// VECTOR: vector.from_elements %[[G0]], %[[G0]], %[[G0]], %[[G0]], %[[G0]], %[[G0]], %[[G0]], %[[G0]], %[[G1]], %[[G1]], %[[G1]], %[[G1]], %[[G1]], %[[G1]], %[[G1]], %[[G1]] : vector<16xi32>
// VECTOR: pike.vector_dot2
// VNNI: arith.constant dense<[1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1]> : tensor<64xi8>
func.func @two_groups_a_vector(%x: tensor<1x3x3x4xi8>) -> tensor<1x3x3x16xi32> {
  %w = arith.constant dense<1> : tensor<16x1x1x2xi8>
  %acc = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, groups = 2 : i64}
      : (tensor<1x3x3x4xi8>, tensor<16x1x1x2xi8>) -> tensor<1x3x3x16xi32>
  return %acc : tensor<1x3x3x16xi32>
}

// 2 groups of 24 (RegNet's group width 24): filters 0-15 read channels
// 0-23, filters 16-31 straddle both groups and read 0-47, filters 32-47
// read 24-47. Three tiles of one vector, 6, 12 and 6 steps of 4 channels.
// CHECK-LABEL: func.func private @groups_of_24_conv2d
// CHECK-DAG: %[[C6:.*]] = arith.constant 6 : index
// CHECK-DAG: %[[C12:.*]] = arith.constant 12 : index
// CHECK-DAG: %[[C24:.*]] = arith.constant 24 : index
// CHECK-DAG: tensor<1536xi8>
// CHECK: scf.for %{{.*}} = %{{.*}} to %[[C6]]
// CHECK: vector.transfer_write {{.*}}[%{{.*}}, %{{.*}}, %{{.*}}, %c0] {in_bounds = [true]} : vector<16xi32>
// CHECK: scf.for %{{.*}} = %{{.*}} to %[[C12]]
// CHECK: vector.transfer_write {{.*}}[%{{.*}}, %{{.*}}, %{{.*}}, %[[C16:.*]]] {in_bounds = [true]} : vector<16xi32>
// CHECK: scf.for %[[Q:.*]] = %{{.*}} to %[[C6]]
// The third window starts at channel 24.
// CHECK: %[[AT:.*]] = arith.muli %[[Q]], %c4
// CHECK: arith.addi %[[AT]], %[[C24]]
// CHECK: vector.transfer_write {{.*}}[%{{.*}}, %{{.*}}, %{{.*}}, %c32] {in_bounds = [true]} : vector<16xi32>
func.func @groups_of_24(%x: tensor<1x4x4x48xi8>) -> tensor<1x4x4x48xi32> {
  %w = arith.constant dense<1> : tensor<48x1x1x24xi8>
  %acc = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, groups = 2 : i64}
      : (tensor<1x4x4x48xi8>, tensor<48x1x1x24xi8>) -> tensor<1x4x4x48xi32>
  return %acc : tensor<1x4x4x48xi32>
}

// 5 groups of 8 (40 filters): two blocks of two groups (one vector each) in
// a loop, then the fifth group's partial vector, which stores its first 8
// lanes (on vector its lanes past the fifth group read zeros).
// CHECK-LABEL: func.func private @partial_last_group_conv2d
// CHECK: scf.for %{{.*}} = %{{.*}} to %c2
// VECTOR: vector.from_elements %[[A:.*]], %[[A]], %[[A]], %[[A]], %[[A]], %[[A]], %[[A]], %[[A]], %[[B:.*]], %[[B]], %[[B]], %[[B]], %[[B]], %[[B]], %[[B]], %[[B]] : vector<16xi32>
// CHECK: vector.transfer_write {{.*}} {in_bounds = [true]} : vector<16xi32>, tensor<1x1x3x40xi32>
// VECTOR: vector.from_elements %{{.*}}, %c0_i32, %c0_i32, %c0_i32, %c0_i32, %c0_i32, %c0_i32, %c0_i32, %c0_i32 : vector<16xi32>
// CHECK: vector.extract_strided_slice {{.*}} {offsets = [0], sizes = [8], strides = [1]} : vector<16xi32> to vector<8xi32>
// CHECK: vector.transfer_write {{.*}} {in_bounds = [true]} : vector<8xi32>, tensor<1x1x3x40xi32>
func.func @partial_last_group(%x: tensor<1x3x3x40xi8>) -> tensor<1x3x3x40xi32> {
  %w = arith.constant dense<1> : tensor<40x1x1x8xi8>
  %acc = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, groups = 5 : i64}
      : (tensor<1x3x3x40xi8>, tensor<40x1x1x8xi8>) -> tensor<1x3x3x40xi32>
  return %acc : tensor<1x3x3x40xi32>
}

// Depthwise with a channel multiplier is grouped too (groups = channels,
// 2 filters each): the dense kernel, not the depthwise one.
// CHECK-LABEL: func.func private @depthwise_multiplier_conv2d
// CHECK-NOT: pike.conv2d
// CHECK: arith.constant dense<{{.*}}> : tensor<{{[0-9]+}}xi8>
// CHECK-LABEL: func.func @depthwise_multiplier(
func.func @depthwise_multiplier(%x: tensor<1x4x4x8xi8>) -> tensor<1x4x4x16xi32> {
  %w = arith.constant dense<3> : tensor<16x3x3x1xi8>
  %acc = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, groups = 8 : i64}
      : (tensor<1x4x4x8xi8>, tensor<16x3x3x1xi8>) -> tensor<1x4x4x16xi32>
  return %acc : tensor<1x4x4x16xi32>
}
