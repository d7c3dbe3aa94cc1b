// RUN: pike-opt %s --convert-pike-to-cpu-kernels="target=avx512-vnni row-parts=false" | FileCheck %s --check-prefixes=CHECK,VNNI
// RUN: pike-opt %s --convert-pike-to-cpu-kernels="target=vector row-parts=false byte-pairs=false" | FileCheck %s --check-prefixes=CHECK,VECTOR
// These layers have few rows: whole rows here, parts in row-parts.mlir.
// RUN: pike-opt %s --convert-pike-to-cpu-kernels=target=scalar | FileCheck %s --check-prefix=SCALAR
// The kernels are valid IR: what the pass prints parses again (a float table's
// read pads with a float).
// RUN: pike-opt %s --convert-pike-to-cpu-kernels=target=avx512-vnni | pike-opt -o /dev/null

// A pointwise convolution and its QuantNorm become one loop nest in a
// private function: weights packed at compile time, 4 pixels x 2 filter
// vectors accumulated in registers, the epilogue applied to each vector
// before its store.
// The kernel writes its destination argument (the caller's buffer).
// CHECK-LABEL: func.func private @pointwise_conv2d(%arg0: tensor<1x4x4x16xi8>, %arg1: tensor<1x4x4x32xi8>) -> tensor<1x4x4x32xi8>
// CHECK-NOT: pike.conv2d
// CHECK-NOT: pike.quant_norm
// VNNI-DAG: arith.constant dense<{{.*}}> : tensor<512xi8>
// VECTOR-DAG: arith.constant dense<{{.*}}> : tensor<512xi8>
// The correction table (bias - zp * sum w: 0 here).
// VNNI-DAG: arith.constant dense<0> : tensor<32xi32>
// VECTOR-DAG: arith.constant dense<-2147483648> : tensor<32xi32>
// CHECK-DAG: arith.constant dense<{{.*}}> : tensor<32xf64>
// Elsewhere the input is first widened to i16 (u8: zero-extended), 32
// bytes a step.
// VECTOR: tensor.collapse_shape %arg0 {{.*}} into tensor<256xi8>
// VECTOR: vector.transfer_read {{.*}} : tensor<256xi8>, vector<32xi8>
// VECTOR: arith.extui {{.*}} : vector<32xi8> to vector<32xi16>
// VECTOR: %[[WIDE:.*]] = tensor.expand_shape {{.*}} : tensor<256xi16> into tensor<1x4x4x16xi16>
// Output rows are independent: an scf.forall over (n, oh), each row a slice.
// CHECK: scf.forall (%[[N:.*]], %[[OH:.*]]) in (1, 4) shared_outs(%[[OUT:.*]] = %arg1)
// CHECK: %[[ROW:.*]] = tensor.extract_slice %[[OUT]][%[[N]], %[[OH]], 0, 0] [1, 1, 4, 32] [1, 1, 1, 1]
// CHECK: scf.for
// VNNI: vector.transfer_read {{.*}} : tensor<1x4x4x16xi8>, vector<4xi8>
// VNNI: vector.bitcast {{.*}} : vector<4xi8> to vector<1xi32>
// VNNI: vector.broadcast {{.*}} : i32 to vector<16xi32>
// VNNI: vector.transfer_read {{.*}} : tensor<512xi8>, vector<64xi8>
// VNNI-COUNT-8: pike.vector_dot4 {{.*}} : vector<16xi32>, vector<64xi8>
// Elsewhere each step of the tile takes two channel pairs: a pixel's pair
// of the widened input broadcast as one i32, against 16 filters x 2 channels of i16
// weights (pike.vector_dot2: pmaddwd).
// VECTOR-NOT: pike.vector_dot4
// VECTOR: vector.transfer_read %[[WIDE]]{{.*}} : tensor<1x4x4x16xi16>, vector<2xi16>
// VECTOR: vector.bitcast {{.*}} : vector<2xi16> to vector<1xi32>
// VECTOR: vector.broadcast {{.*}} : i32 to vector<16xi32>
// VECTOR: vector.transfer_read {{.*}} : tensor<512xi8>, vector<32xi8>
// VECTOR: arith.extsi {{.*}} : vector<32xi8> to vector<32xi16>
// VECTOR-COUNT-4: pike.vector_dot2 {{.*}} : vector<16xi32>, vector<32xi16>
// Every intermediate of this scaling is an integer below 2^52 (|acc| M +
// |bias|), so the epilogue runs in float64 lanes: one fma by the tables
// M 2^-s and B 2^-s and the half-even rounding (adding 1.5 * 2^52, the
// integer in the sum's low 32 bits). Every scaled value lies inside i32
// (|acc| M 2^-s < 2^31), so the doubles are not clamped: their low words
// are gathered by one shuffle and clamped as i32.
// VNNI: arith.sitofp {{.*}} : vector<16xi32> to vector<16xf64>
// VNNI-NEXT: math.fma {{.*}} : vector<16xf64>
// In AVX2's 256-bit registers the doubles hold each 128-bit block by
// halves: the accumulators, offset by 2^31 in the correction table, are
// unpacked against the high word of 2^52 (1127219200 = 0x43300000) and
// 2^52 + 2^31 is subtracted; the low words come back in order by an
// in-block shuffle (vshufps).
// VECTOR: vector.shuffle {{.*}} [0, 16, 1, 17, 4, 20, 5, 21, 2, 18, 3, 19, 6, 22, 7, 23, 8, 24, 9, 25, 12, 28, 13, 29, 10, 26, 11, 27, 14, 30, 15, 31] : vector<16xi32>, vector<16xi32>
// VECTOR-NEXT: vector.bitcast {{.*}} : vector<32xi32> to vector<16xf64>
// VECTOR-NEXT: arith.constant dense<0x4330000080000000> : vector<16xf64>
// VECTOR-NEXT: arith.subf
// VECTOR-NEXT: math.fma {{.*}} : vector<16xf64>
// CHECK-NEXT: arith.constant dense<0x4338000000000000> : vector<16xf64>
// CHECK-NEXT: arith.addf {{.*}} : vector<16xf64>
// CHECK-NEXT: vector.bitcast {{.*}} : vector<16xf64> to vector<32xi32>
// VNNI-NEXT: vector.shuffle {{.*}} [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30] : vector<32xi32>, vector<32xi32>
// VECTOR-NEXT: vector.shuffle {{.*}} [0, 2, 8, 10, 4, 6, 12, 14, 16, 18, 24, 26, 20, 22, 28, 30] : vector<32xi32>, vector<32xi32>
// CHECK-NOT: arith.maxnumf
// CHECK: arith.maxsi {{.*}} : vector<16xi32>
// CHECK: arith.minsi {{.*}} : vector<16xi32>
// CHECK: vector.transfer_write {{.*}} {in_bounds = [true]} : vector<16xi8>, tensor<1x1x4x32xi8>
// CHECK: tensor.parallel_insert_slice {{.*}} into %[[OUT]][%[[N]], %[[OH]], 0, 0] [1, 1, 4, 32] [1, 1, 1, 1]
// CHECK-LABEL: func.func @pointwise(
// CHECK-NEXT: %[[DEST:.*]] = tensor.empty() : tensor<1x4x4x32xi8>
// CHECK-NEXT: call @pointwise_conv2d(%arg0, %[[DEST]])
// CHECK-NEXT: return
// SCALAR-LABEL: func.func @pointwise
// SCALAR: pike.conv2d
// SCALAR: pike.quant_norm
func.func @pointwise(%x: tensor<1x4x4x16xi8>) -> tensor<1x4x4x32xi8> {
  %w = arith.constant dense<3> : tensor<32x1x1x16xi8>
  %acc = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, input_unsigned}
      : (tensor<1x4x4x16xi8>, tensor<32x1x1x16xi8>) -> tensor<1x4x4x32xi32>
  %y = pike.quant_norm %acc {multiplier = #pike.fixed_point<bits = 16, multipliers = [20000], shifts = [20], rounding = half_even>, output_unsigned}
      : tensor<1x4x4x32xi32> -> tensor<1x4x4x32xi8>
  return %y : tensor<1x4x4x32xi8>
}

// A bias of 2^59 + 1 is past float64's exact range: the epilogue scales
// the even and odd accumulators as two i64 vectors (the accumulator's bits
// reinterpreted) and interleaves them back.
// CHECK-LABEL: func.func private @wide_bias_conv2d
// CHECK-NOT: f64
// CHECK: %[[PAIRS:.*]] = vector.bitcast {{.*}} : vector<16xi32> to vector<8xi64>
// CHECK: arith.shli %[[PAIRS]]
// CHECK: pike.apply_scale {{.*}} : vector<8xi64>
// CHECK: pike.apply_scale {{.*}} : vector<8xi64>
// CHECK: vector.shuffle {{.*}} [0, 16, 2, 18, 4, 20, 6, 22, 8, 24, 10, 26, 12, 28, 14, 30] : vector<16xi32>, vector<16xi32>
// CHECK: vector.transfer_write {{.*}} {in_bounds = [true]} : vector<16xi16>, tensor<1x1x4x32xi16>
// CHECK-LABEL: func.func @wide_bias(
func.func @wide_bias(%x: tensor<1x4x4x16xi8>) -> tensor<1x4x4x32xi16> {
  %w = arith.constant dense<3> : tensor<32x1x1x16xi8>
  %acc = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, input_unsigned}
      : (tensor<1x4x4x16xi8>, tensor<32x1x1x16xi8>) -> tensor<1x4x4x32xi32>
  %y = pike.quant_norm %acc {multiplier = #pike.fixed_point<bits = 16, multipliers = [3], shifts = [60], rounding = half_even>, bias = array<i64: 576460752303423489>}
      : tensor<1x4x4x32xi32> -> tensor<1x4x4x32xi16>
  return %y : tensor<1x4x4x32xi16>
}

// A signed input is offset to unsigned for vpdpbusd: its bytes xor 0x80
// once, in the padded copy (the fill is the zero point flipped too), and
// the correction takes 128 * sum(w) back. 20 filters: the last vector
// stores its first 4 lanes, a narrower vector (not a masked one).
// CHECK-LABEL: func.func private @signed_input_odd_filters_conv2d
// VNNI: dense<[512, 512,
// VNNI: %[[FLIPPED_ZP:.*]] = arith.constant -128 : i8
// VNNI: linalg.fill ins(%[[FLIPPED_ZP]] : i8)
// VNNI: %[[BYTES:.*]] = vector.transfer_read %arg0
// VNNI: %[[SIGN:.*]] = arith.constant dense<-128> : vector<4xi8>
// VNNI: arith.xori %[[BYTES]], %[[SIGN]] : vector<4xi8>
// VNNI-NOT: arith.xori {{.*}} : vector<16xi32>
// VNNI: pike.vector_dot4
// VECTOR-NOT: arith.xori
// CHECK: vector.transfer_write {{.*}} {in_bounds = [true]} : vector<16xi32>, tensor<1x1x2x20xi32>
// CHECK: vector.extract_strided_slice {{.*}} {offsets = [0], sizes = [4], strides = [1]} : vector<16xi32> to vector<4xi32>
// CHECK: vector.transfer_write {{.*}} {in_bounds = [true]} : vector<4xi32>, tensor<1x1x2x20xi32>
func.func @signed_input_odd_filters(%x: tensor<1x2x2x4xi8>) -> tensor<1x2x2x20xi32> {
  %w = arith.constant dense<-1> : tensor<20x1x1x4xi8>
  %acc = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>}
      : (tensor<1x2x2x4xi8>, tensor<20x1x1x4xi8>) -> tensor<1x2x2x20xi32>
  return %acc : tensor<1x2x2x20xi32>
}

// Depthwise, 16 channels per vector. On avx512-vnni (byte quads) the
// input is read in place: per output row, a kernel row outside the input
// has its weight bytes zeroed and its padding's share added to the
// correction; a column quad holds 3 kernel rows' bytes (zero-extended,
// shifted by 8 and 16, or-ed); a column left of the input is the zero
// point's quad; 3 dot products per pixel.
// CHECK-LABEL: func.func private @depthwise_conv2d
// VNNI-NOT: linalg.fill
// VNNI: scf.forall
// VNNI: arith.cmpi sge
// VNNI: %[[WEIGHTS:.*]] = vector.transfer_read {{.*}} : tensor<192xi8>, vector<64xi8>
// VNNI: %[[ZEROED:.*]] = arith.andi %[[WEIGHTS]], %{{.*}} : vector<64xi8>
// VNNI: arith.select %{{.*}}, %[[WEIGHTS]], %[[ZEROED]] : vector<64xi8>
// VNNI: %[[SHARE:.*]] = vector.transfer_read {{.*}} : tensor<48xi32>, vector<16xi32>
// VNNI: arith.select %{{.*}}, %{{.*}}, %[[SHARE]] : vector<16xi32>
// VNNI: %[[ZP_QUAD:.*]] = arith.constant dense<5> : vector<64xi8>
// VNNI: pike.vector_dot4 %{{.*}}, %[[ZP_QUAD]], %{{.*}} : vector<16xi32>, vector<64xi8>
// VNNI: vector.transfer_read %arg0{{.*}} : tensor<1x4x4x16xi8>, vector<16xi8>
// VNNI: arith.extui {{.*}} : vector<16xi8> to vector<16xi32>
// VNNI: arith.shli {{.*}} : vector<16xi32>
// VNNI: arith.ori {{.*}} : vector<16xi32>
// VNNI: vector.bitcast {{.*}} : vector<16xi32> to vector<64xi8>
// VNNI: pike.vector_dot4
// VNNI-NOT: pike.vector_dot2
// Elsewhere the input is padded with its zero point (a fill, then each
// row's bytes copied as vectors) and each tap is one i32 multiply-add.
// VECTOR: %[[ZP:.*]] = arith.constant 5 : i8
// VECTOR: linalg.fill ins(%[[ZP]] : i8) outs(%{{.*}} : tensor<1x6x6x16xi8>)
// VECTOR: tensor.collapse_shape {{.*}} into tensor<1x4x64xi8>
// VECTOR: vector.transfer_read {{.*}} : tensor<1x4x64xi8>, vector<64xi8>
// VECTOR: vector.transfer_write {{.*}} : vector<64xi8>, tensor<1x6x96xi8>
// VECTOR: arith.extui {{.*}} : vector<16xi8> to vector<16xi32>
// VECTOR-COUNT-9: arith.muli {{.*}} : vector<16xi32>
// CHECK-NOT: pike.conv2d
func.func @depthwise(%x: tensor<1x4x4x16xi8>) -> tensor<1x4x4x16xi8> {
  %w = arith.constant dense<2> : tensor<16x3x3x1xi8>
  %acc = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, groups = 16 : i64,
                             input_unsigned, input_zp = 5 : i64}
      : (tensor<1x4x4x16xi8>, tensor<16x3x3x1xi8>) -> tensor<1x4x4x16xi32>
  %y = pike.requantize %acc {multiplier = #pike.fixed_point<bits = 16, multipliers = [16384], shifts = [20]>}
      : tensor<1x4x4x16xi32> -> tensor<1x4x4x16xi8>
  return %y : tensor<1x4x4x16xi8>
}

// Depthwise, 64 channels: on avx512-vnni the 4 channel vectors build their
// quads together. Each kernel row's 64 bytes are one read, their dwords
// transposed across the 16-byte lanes, then bytes and byte pairs interleave
// within lanes (the third row with zeros: the fourth meets zero weights);
// a pixel takes 4 dot products per kernel column, one per vector.
// CHECK-LABEL: func.func private @depthwise_block_conv2d
// VNNI: %[[ROW0:.*]] = vector.transfer_read %arg0{{.*}} : tensor<1x3x5x64xi8>, vector<64xi8>
// VNNI: %[[DWORDS0:.*]] = vector.bitcast %[[ROW0]] : vector<64xi8> to vector<16xi32>
// VNNI: vector.shuffle %[[DWORDS0]], %[[DWORDS0]] [0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15] : vector<16xi32>, vector<16xi32>
// VNNI-NEXT: %[[ROW0T:.*]] = vector.bitcast {{.*}} : vector<16xi32> to vector<64xi8>
// VNNI: %[[ROW1T:.*]] = vector.bitcast {{.*}} : vector<16xi32> to vector<64xi8>
// VNNI: %[[ROW2:.*]] = vector.bitcast {{.*}} : vector<16xi32> to vector<64xi8>
// VNNI-NEXT: %[[ZERO:.*]] = arith.constant dense<0> : vector<64xi8>
// VNNI-NEXT: %[[LOW01:.*]] = vector.shuffle %[[ROW0T]], %[[ROW1T]] [0, 64, 1, 65, 2, 66, 3, 67, 4, 68, 5, 69, 6, 70, 7, 71, 16, 80,
// VNNI-NEXT: %[[HIGH01:.*]] = vector.shuffle %[[ROW0T]], %[[ROW1T]] [8, 72, 9, 73,
// VNNI-NEXT: %[[LOW22:.*]] = vector.shuffle %[[ROW2]], %[[ZERO]] [0, 64, 1, 65,
// VNNI-NEXT: %[[HIGH22:.*]] = vector.shuffle %[[ROW2]], %[[ZERO]] [8, 72, 9, 73,
// VNNI-NEXT: %[[Q0:.*]] = vector.shuffle %[[LOW01]], %[[LOW22]] [0, 1, 64, 65, 2, 3, 66, 67,
// VNNI-NEXT: %[[Q1:.*]] = vector.shuffle %[[LOW01]], %[[LOW22]] [8, 9, 72, 73,
// VNNI-NEXT: %[[Q2:.*]] = vector.shuffle %[[HIGH01]], %[[HIGH22]] [0, 1, 64, 65,
// VNNI-NEXT: %[[Q3:.*]] = vector.shuffle %[[HIGH01]], %[[HIGH22]] [8, 9, 72, 73,
// VNNI-NEXT: pike.vector_dot4 %{{.*}}, %[[Q0]], %{{.*}} : vector<16xi32>, vector<64xi8>
// VNNI-NEXT: pike.vector_dot4 %{{.*}}, %[[Q1]], %{{.*}} : vector<16xi32>, vector<64xi8>
// VNNI-NEXT: pike.vector_dot4 %{{.*}}, %[[Q2]], %{{.*}} : vector<16xi32>, vector<64xi8>
// VNNI-NEXT: pike.vector_dot4 %{{.*}}, %[[Q3]], %{{.*}} : vector<16xi32>, vector<64xi8>
// VNNI-NOT: arith.extui {{.*}} : vector<16xi8> to vector<16xi32>
// CHECK-LABEL: func.func @depthwise_block(
func.func @depthwise_block(%x: tensor<1x3x5x64xi8>) -> tensor<1x3x5x64xi8> {
  %w = arith.constant dense<3> : tensor<64x3x3x1xi8>
  %acc = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, groups = 64 : i64,
                             input_unsigned, input_zp = 5 : i64}
      : (tensor<1x3x5x64xi8>, tensor<64x3x3x1xi8>) -> tensor<1x3x5x64xi32>
  %y = pike.requantize %acc {multiplier = #pike.fixed_point<bits = 16, multipliers = [16384], shifts = [20]>}
      : tensor<1x3x5x64xi32> -> tensor<1x3x5x64xi8>
  return %y : tensor<1x3x5x64xi8>
}

// A fully-connected layer is a 1x1 convolution over its rows.
// CHECK-LABEL: func.func private @fully_connected_fully_connected(%arg0: tensor<1x1x3x8xi8>, %arg1: tensor<1x1x3x16xi32>) -> tensor<1x1x3x16xi32>
// CHECK-LABEL: func.func @fully_connected(
// CHECK: tensor.expand_shape {{.*}} : tensor<3x8xi8> into tensor<1x1x3x8xi8>
// CHECK: call @fully_connected_fully_connected
// CHECK: tensor.collapse_shape {{.*}} : tensor<1x1x3x16xi32> into tensor<3x16xi32>
func.func @fully_connected(%x: tensor<3x8xi8>) -> tensor<3x16xi32> {
  %w = arith.constant dense<1> : tensor<16x8xi8>
  %acc = pike.fully_connected %x, %w : (tensor<3x8xi8>, tensor<16x8xi8>) -> tensor<3x16xi32>
  return %acc : tensor<3x16xi32>
}

// A transformer's product over [tokens, width] expanded to [1, tokens,
// width] before its requantization: the requantization moves above the
// reshape (it keeps the channel dimension last) and joins the kernel.
// CHECK-LABEL: func.func private @tokens_fully_connected(%arg0: tensor<1x1x3x8xi8>, %arg1: tensor<1x1x3x16xi8>) -> tensor<1x1x3x16xi8>
// CHECK-LABEL: func.func @tokens(
// CHECK: call @tokens_fully_connected
// CHECK: tensor.collapse_shape {{.*}} : tensor<1x1x3x16xi8> into tensor<3x16xi8>
// CHECK: tensor.expand_shape {{.*}} : tensor<3x16xi8> into tensor<1x3x16xi8>
// CHECK-NOT: pike.requantize
func.func @tokens(%x: tensor<3x8xi8>) -> tensor<1x3x16xi8> {
  %w = arith.constant dense<1> : tensor<16x8xi8>
  %acc = pike.fully_connected %x, %w : (tensor<3x8xi8>, tensor<16x8xi8>) -> tensor<3x16xi32>
  %e = tensor.expand_shape %acc [[0, 1], [2]] output_shape [1, 3, 16] : tensor<3x16xi32> into tensor<1x3x16xi32>
  %y = pike.requantize %e {multiplier = #pike.fixed_point<bits = 16, multipliers = [16384], shifts = [20]>}
      : tensor<1x3x16xi32> -> tensor<1x3x16xi8>
  return %y : tensor<1x3x16xi8>
}

// 4-bit weights in a layer that reads each weight once (batch-1
// fully-connected) are packed two per byte on avx512-vnni: one 64-byte read
// per two channel quads, unpacked as sign-extended nibbles.
// CHECK-LABEL: func.func private @four_bit_weights_fully_connected
// VNNI: arith.constant dense<{{.*}}> : tensor<256xi8>
// VNNI: arith.andi {{.*}} : vector<64xi8>
// VNNI: arith.shrui {{.*}} : vector<64xi8>
// VNNI: arith.xori {{.*}} : vector<64xi8>
// VNNI: arith.subi {{.*}} : vector<64xi8>
// VNNI-COUNT-2: pike.vector_dot4
// VECTOR: arith.constant dense<{{.*}}> : tensor<512xi8>
func.func @four_bit_weights(%x: tensor<1x32xi8>) -> tensor<1x16xi32> {
  %w = arith.constant dense<-3> : tensor<16x32xi8>
  %acc = pike.fully_connected %x, %w {input_unsigned} : (tensor<1x32xi8>, tensor<16x32xi8>) -> tensor<1x16xi32>
  return %acc : tensor<1x16xi32>
}

// A residual add after the requantization is fused into the kernel: the
// add's other operand becomes the kernel's second argument, read at each
// stored vector's position; the kernel stores the sum (both operands
// centered, scaled and rounded once) and replaces the add. Here both
// scalings are exact in float64 lanes: the QuantNorm's rounded lanes feed
// the add's two fmas without a round trip through i32.
// CHECK-LABEL: func.func private @residual_conv2d(%arg0: tensor<1x4x4x16xi8>, %arg1: tensor<1x4x4x16xi8>, %arg2: tensor<1x4x4x16xi8>) -> tensor<1x4x4x16xi8>
// VNNI: math.fma {{.*}} : vector<16xf64>
// VNNI: arith.minnumf {{.*}} : vector<16xf64>
// VNNI: %[[QN:.*]] = arith.subf {{.*}} : vector<16xf64>
// VNNI-NOT: arith.fptosi
// VNNI: %[[SKIP:.*]] = vector.transfer_read %arg1[{{.*}}], {{.*}} : tensor<1x4x4x16xi8>, vector<16xi8>
// VNNI: arith.extui %[[SKIP]] : vector<16xi8> to vector<16xi32>
// VNNI: %[[PARTIAL:.*]] = math.fma {{.*}} : vector<16xf64>
// VNNI: math.fma %[[QN]], %{{.*}}, %[[PARTIAL]] : vector<16xf64>
// CHECK-LABEL: func.func @residual(
// CHECK-NEXT: %[[DEST:.*]] = tensor.empty() : tensor<1x4x4x16xi8>
// CHECK-NEXT: call @residual_conv2d(%arg0, %arg0, %[[DEST]])
// CHECK-NEXT: return
// SCALAR-LABEL: func.func @residual
// SCALAR: pike.add
func.func @residual(%x: tensor<1x4x4x16xi8>) -> tensor<1x4x4x16xi8> {
  %w = arith.constant dense<2> : tensor<16x3x3x1xi8>
  %acc = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, groups = 16 : i64,
                             input_unsigned}
      : (tensor<1x4x4x16xi8>, tensor<16x3x3x1xi8>) -> tensor<1x4x4x16xi32>
  %y = pike.quant_norm %acc {multiplier = #pike.fixed_point<bits = 16, multipliers = [20000], shifts = [20], rounding = half_even>, output_unsigned}
      : tensor<1x4x4x16xi32> -> tensor<1x4x4x16xi8>
  %s = pike.add %y, %x {lhs_scale = #pike.fixed_point<bits = 16, multipliers = [16384], shifts = [15], rounding = half_even>,
                        rhs_scale = #pike.fixed_point<bits = 16, multipliers = [24576], shifts = [15], rounding = half_even>,
                        lhs_unsigned, rhs_unsigned, rhs_zp = 3 : i64, output_unsigned}
      : (tensor<1x4x4x16xi8>, tensor<1x4x4x16xi8>) -> tensor<1x4x4x16xi8>
  return %s : tensor<1x4x4x16xi8>
}

// A requantization to i32 keeps its add: less a zero point, an i32 operand
// would not fit the i32 lanes the fused add centers it in.
// CHECK-LABEL: func.func @residual_after_i32(
// VNNI: call @residual_after_i32_conv2d(%arg0, %{{.*}}) :
// VNNI: pike.add
func.func @residual_after_i32(%x: tensor<1x4x4x16xi8>) -> tensor<1x4x4x16xi8> {
  %w = arith.constant dense<2> : tensor<16x3x3x1xi8>
  %acc = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, groups = 16 : i64,
                             input_unsigned}
      : (tensor<1x4x4x16xi8>, tensor<16x3x3x1xi8>) -> tensor<1x4x4x16xi32>
  %y = pike.quant_norm %acc {multiplier = #pike.fixed_point<bits = 16, multipliers = [20000], shifts = [2]>}
      : tensor<1x4x4x16xi32> -> tensor<1x4x4x16xi32>
  %s = pike.add %y, %x {lhs_scale = #pike.fixed_point<bits = 16, multipliers = [1], shifts = [24]>,
                        rhs_scale = #pike.fixed_point<bits = 16, multipliers = [1], shifts = [24]>,
                        lhs_zp = -100 : i64, rhs_unsigned}
      : (tensor<1x4x4x16xi32>, tensor<1x4x4x16xi8>) -> tensor<1x4x4x16xi8>
  return %s : tensor<1x4x4x16xi8>
}
