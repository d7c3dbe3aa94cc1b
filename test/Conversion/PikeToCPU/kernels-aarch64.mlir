// RUN: pike-opt %s --convert-pike-to-cpu-kernels=target=aarch64-i8mm | FileCheck %s --check-prefix=I8MM
// RUN: pike-opt %s --convert-pike-to-cpu-kernels=target=aarch64-dotprod | FileCheck %s --check-prefix=DOT

// i8mm: each step is 8 channels of a pixel pair (two 8-byte reads joined)
// against 2 filters (16 packed bytes), one pike.vector_mmla per pair and
// filter pair: 2 pairs x 2 vectors x 2 filter pairs in a 4 x 2 tile. The
// weights are packed [F/4][C/8][2][2][8]: 8 x 16 bytes. After the channel
// loop each pixel's lanes of its pair's tiles are shuffled into filter order.
// I8MM-LABEL: func.func private @pointwise_conv2d
// I8MM: arith.constant dense<3> : tensor<128xi8>
// I8MM: %[[P0:.*]] = vector.transfer_read %arg0{{.*}} : tensor<1x4x4x16xi8>, vector<8xi8>
// I8MM: %[[P1:.*]] = vector.transfer_read %arg0{{.*}} : tensor<1x4x4x16xi8>, vector<8xi8>
// I8MM: %[[PAIR:.*]] = vector.shuffle %[[P0]], %[[P1]] [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]
// I8MM: %[[W:.*]] = vector.transfer_read {{.*}} : tensor<128xi8>, vector<16xi8>
// I8MM: pike.vector_mmla %{{.*}}, %[[PAIR]], %[[W]] : vector<4xi32>, vector<16xi8>
// I8MM-COUNT-7: pike.vector_mmla
// I8MM-NOT: pike.vector_mmla
// I8MM-NOT: lhs_signed
// First pixel of a pair: lanes 0, 1 of each tile; second: 2, 3.
// I8MM: %[[A:.*]] = vector.shuffle %[[T0:.*]], %[[T0]] [0, 1] : vector<4xi32>, vector<4xi32>
// I8MM: %[[B:.*]] = vector.shuffle %[[T1:.*]], %[[T1]] [0, 1] : vector<4xi32>, vector<4xi32>
// I8MM: vector.shuffle %[[A]], %[[B]] [0, 1, 2, 3] : vector<2xi32>, vector<2xi32>
// I8MM: vector.shuffle %[[T0]], %[[T0]] [2, 3] : vector<4xi32>, vector<4xi32>
// The dot product: sdot quads, the unsigned input read as signed (a copy
// whose bytes xor 0x80, made once) and the correction taking -128 * sum(w)
// back.
// 16 channels: one group of 4 steps, each pixel's 16 bytes read once and
// step j taking lane j of them.
// DOT-LABEL: func.func private @pointwise_conv2d
// DOT: arith.constant dense<6144> : tensor<8xi32>
// DOT: arith.xori {{.*}} : vector<64xi8>
// DOT-NOT: arith.xori
// DOT: %[[PIXEL:.*]] = vector.transfer_read {{.*}} : tensor<1x4x4x16xi8>, vector<16xi8>
// DOT: %[[WORDS:.*]] = vector.bitcast %[[PIXEL]] : vector<16xi8> to vector<4xi32>
// DOT: vector.shuffle %[[WORDS]], %[[WORDS]] [0, 0, 0, 0]
// DOT: pike.vector_dot4 {{.*}} lhs_signed : vector<4xi32>, vector<16xi8>
// DOT: vector.shuffle %[[WORDS]], %[[WORDS]] [3, 3, 3, 3]
// DOT-NOT: pike.vector_mmla
func.func @pointwise(%x: tensor<1x4x4x16xi8>) -> tensor<1x4x4x8xi32> {
  %w = arith.constant dense<3> : tensor<8x1x1x16xi8>
  %acc = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, input_unsigned}
      : (tensor<1x4x4x16xi8>, tensor<8x1x1x16xi8>) -> tensor<1x4x4x8xi32>
  return %acc : tensor<1x4x4x8xi32>
}

// A signed input: smmla on i8mm, sdot without an offset on the dot product
// (9 pixels: weights within 4 bits are not read as nibbles).
// I8MM-LABEL: func.func private @signed_input_conv2d
// I8MM: pike.vector_mmla {{.*}} lhs_signed : vector<4xi32>, vector<16xi8>
// DOT-LABEL: func.func private @signed_input_conv2d
// DOT: arith.constant dense<0> : tensor<4xi32>
// DOT-NOT: arith.xori
// DOT: pike.vector_dot4 {{.*}} lhs_signed
func.func @signed_input(%x: tensor<1x3x3x8xi8>) -> tensor<1x3x3x4xi32> {
  %w = arith.constant dense<-1> : tensor<4x1x1x8xi8>
  %acc = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>}
      : (tensor<1x3x3x8xi8>, tensor<4x1x1x8xi8>) -> tensor<1x3x3x4xi32>
  return %acc : tensor<1x3x3x4xi32>
}

// One row (a fully-connected layer at batch 1) has no pixel pair: u8 x s8
// quads (usdot) on i8mm, no matrix tiles.
// I8MM-LABEL: func.func private @single_row_fully_connected
// I8MM-NOT: pike.vector_mmla
// I8MM-NOT: arith.xori
// I8MM: pike.vector_dot4 {{[^l]*}} : vector<4xi32>, vector<16xi8>
func.func @single_row(%x: tensor<1x64xi8>) -> tensor<1x8xi32> {
  %w = arith.constant dense<50> : tensor<8x64xi8>
  %acc = pike.fully_connected %x, %w {input_unsigned} : (tensor<1x64xi8>, tensor<8x64xi8>) -> tensor<1x8xi32>
  return %acc : tensor<1x8xi32>
}

// 4-bit weights in a layer bound by reading them (2 rows): two quads share
// one 16-byte vector as low and high nibbles, unpacked in registers, on both
// (no matrix tiles: each weight serves too few pixels to pay for them).
// I8MM-LABEL: func.func private @four_bit_weights_fully_connected
// I8MM: arith.constant dense<85> : tensor<32xi8>
// I8MM: arith.andi {{.*}} : vector<16xi8>
// I8MM: arith.shrui {{.*}} : vector<16xi8>
// I8MM-NOT: pike.vector_mmla
// I8MM: pike.vector_dot4 {{[^l]*}} : vector<4xi32>, vector<16xi8>
// DOT-LABEL: func.func private @four_bit_weights_fully_connected
// DOT: arith.shrui {{.*}} : vector<16xi8>
// DOT: pike.vector_dot4 {{.*}} lhs_signed : vector<4xi32>, vector<16xi8>
func.func @four_bit_weights(%x: tensor<2x16xi8>) -> tensor<2x4xi32> {
  %w = arith.constant dense<5> : tensor<4x16xi8>
  %acc = pike.fully_connected %x, %w {input_unsigned} : (tensor<2x16xi8>, tensor<4x16xi8>) -> tensor<2x4xi32>
  return %acc : tensor<2x4xi32>
}

// Packing order, weight (f, c) = 16 f + c: on i8mm each 8-channel step
// holds 2 filter pairs x 2 filters x 8 channels; on the dot product each
// 4-channel step holds 4 filters x 4 channels.
// I8MM-LABEL: func.func private @packing_conv2d
// I8MM: arith.constant dense<[0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23, 32, 33, 34, 35, 36, 37, 38, 39, 48, 49, 50, 51, 52, 53, 54, 55, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31, 40, 41, 42, 43, 44, 45, 46, 47, 56, 57, 58, 59, 60, 61, 62, 63]> : tensor<64xi8>
// DOT-LABEL: func.func private @packing_conv2d
// DOT: arith.constant dense<[0, 1, 2, 3, 16, 17, 18, 19, 32, 33, 34, 35, 48, 49, 50, 51, 4, 5, 6, 7, 20, 21, 22, 23, 36, 37, 38, 39, 52, 53, 54, 55, 8, 9, 10, 11, 24, 25, 26, 27, 40, 41, 42, 43, 56, 57, 58, 59, 12, 13, 14, 15, 28, 29, 30, 31, 44, 45, 46, 47, 60, 61, 62, 63]> : tensor<64xi8>
func.func @packing(%x: tensor<1x4x4x16xi8>) -> tensor<1x4x4x4xi32> {
  %w = arith.constant dense<[[[[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]]], [[[16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31]]], [[[32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47]]], [[[48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63]]]]> : tensor<4x1x1x16xi8>
  %acc = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, input_unsigned}
      : (tensor<1x4x4x16xi8>, tensor<4x1x1x16xi8>) -> tensor<1x4x4x4xi32>
  return %acc : tensor<1x4x4x4xi32>
}
