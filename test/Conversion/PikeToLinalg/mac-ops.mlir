// RUN: pike-opt %s --split-input-file --convert-pike-to-linalg | FileCheck %s

// One group: operands widened (u4 zero-extended, s4 sign-extended) with the
// zero point subtracted, zero-padded, then linalg.conv_2d_nhwc_fhwc; bias added.
// CHECK-LABEL: func @conv
// CHECK: linalg.generic {{.*}} ins(%arg0 : tensor<1x4x4x2xi4>)
// CHECK:   arith.extui {{.*}} : i4 to i32
// CHECK:   arith.subi
// CHECK: linalg.generic {{.*}} ins(%arg1 : tensor<3x3x3x2xi4>)
// CHECK:   arith.extsi {{.*}} : i4 to i32
// CHECK: tensor.pad {{.*}} low[0, 1, 1, 0] high[0, 1, 1, 0]
// CHECK: linalg.conv_2d_nhwc_fhwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins({{.*}} : tensor<1x6x6x2xi32>, tensor<3x3x3x2xi32>)
// CHECK: linalg.generic {{.*}} ins({{.*}}, %arg2 : tensor<1x4x4x3xi32>, tensor<3xi32>)
// CHECK:   arith.addi
// CHECK-NOT: pike.
func.func @conv(%x: tensor<1x4x4x2xi4>, %w: tensor<3x3x3x2xi4>, %b: tensor<3xi32>) -> tensor<1x4x4x3xi32> {
  %a = pike.conv2d %x, %w, %b {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, input_unsigned, input_zp = 2} : (tensor<1x4x4x2xi4>, tensor<3x3x3x2xi4>, tensor<3xi32>) -> tensor<1x4x4x3xi32>
  return %a : tensor<1x4x4x3xi32>
}

// -----

// Depthwise: weights [C, KH, KW, 1] become [KH, KW, C].
// CHECK-LABEL: func @depthwise
// CHECK: tensor.collapse_shape {{.*}} : tensor<4x3x3x1xi32> into tensor<4x3x3xi32>
// CHECK: linalg.transpose {{.*}} permutation = [1, 2, 0]
// CHECK: linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
func.func @depthwise(%x: tensor<1x8x8x4xi4>, %w: tensor<4x3x3x1xi4>) -> tensor<1x4x4x4xi32> {
  %a = pike.conv2d %x, %w {strides = array<i64: 2, 2>, padding = array<i64: 0, 1, 0, 1>, groups = 4} : (tensor<1x8x8x4xi4>, tensor<4x3x3x1xi4>) -> tensor<1x4x4x4xi32>
  return %a : tensor<1x4x4x4xi32>
}

// -----

// Depthwise with a channel multiplier of 2: linalg.depthwise_conv_2d_nhwc_hwcm.
// CHECK-LABEL: func @depthwise_multiplier
// CHECK: tensor.expand_shape {{.*}} into tensor<2x2x3x3xi32>
// CHECK: linalg.transpose {{.*}} permutation = [2, 3, 0, 1]
// CHECK: linalg.depthwise_conv_2d_nhwc_hwcm
// CHECK: tensor.collapse_shape {{.*}} : tensor<1x2x2x2x2xi32> into tensor<1x2x2x4xi32>
func.func @depthwise_multiplier(%x: tensor<1x4x4x2xi8>, %w: tensor<4x3x3x1xi8>) -> tensor<1x2x2x4xi32> {
  %a = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, groups = 2} : (tensor<1x4x4x2xi8>, tensor<4x3x3x1xi8>) -> tensor<1x2x2x4xi32>
  return %a : tensor<1x2x2x4xi32>
}

// -----

// Other groupings: one linalg.generic with a group-aware input map.
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1 + d4 * 2, d2 + d5 * 2, (d3 floordiv 2) * 2 + d6)>
// CHECK-LABEL: func @grouped
// CHECK: linalg.generic {indexing_maps = [#[[IN]], {{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
func.func @grouped(%x: tensor<1x6x6x4xi8>, %w: tensor<4x3x3x2xi8>) -> tensor<1x2x2x4xi32> {
  %a = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilations = array<i64: 2, 2>, groups = 2} : (tensor<1x6x6x4xi8>, tensor<4x3x3x2xi8>) -> tensor<1x2x2x4xi32>
  return %a : tensor<1x2x2x4xi32>
}

// -----

// CHECK-LABEL: func @fully_connected
// CHECK: linalg.transpose {{.*}} permutation = [1, 0]
// CHECK: linalg.matmul ins({{.*}} : tensor<2x16xi32>, tensor<16x10xi32>) outs({{.*}} : tensor<2x10xi32>)
func.func @fully_connected(%x: tensor<2x16xi8>, %w: tensor<10x16xi8>) -> tensor<2x10xi32> {
  %a = pike.fully_connected %x, %w {input_unsigned, input_zp = 128} : (tensor<2x16xi8>, tensor<10x16xi8>) -> tensor<2x10xi32>
  return %a : tensor<2x10xi32>
}

// -----

// Batched product: one generic over (b0, b1, m, k, n), n innermost so that
// rows of rhs and of the result are read contiguously. lhs [2, 1, 4, 5] reads
// its broadcast batch dimension 1 at index 0; rhs [3, 5, 6] has no dimension
// b0. Operands are widened and centered first, as for the other MAC ops.
// CHECK-DAG: #[[LHS:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, 0, d2, d3)>
// CHECK-DAG: #[[RHS:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d1, d3, d4)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d4)>
// CHECK-LABEL: func @batch_matmul
// CHECK: linalg.generic {{.*}} ins(%arg0 : tensor<2x1x4x5xi8>)
// CHECK:   arith.extui {{.*}} : i8 to i32
// CHECK:   arith.subi
// CHECK: linalg.generic {{.*}} ins(%arg1 : tensor<3x5x6xi8>)
// CHECK:   arith.extsi {{.*}} : i8 to i32
// CHECK: linalg.fill
// CHECK: linalg.generic {indexing_maps = [#[[LHS]], #[[RHS]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "reduction", "parallel"]}
// CHECK-SAME: ins({{.*}} : tensor<2x1x4x5xi32>, tensor<3x5x6xi32>) outs({{.*}} : tensor<2x3x4x6xi32>)
// CHECK:   arith.muli
// CHECK:   arith.addi
// CHECK-NOT: pike.
func.func @batch_matmul(%a: tensor<2x1x4x5xi8>, %b: tensor<3x5x6xi8>) -> tensor<2x3x4x6xi32> {
  %acc = pike.batch_matmul %a, %b {lhs_unsigned, lhs_zp = 128} : (tensor<2x1x4x5xi8>, tensor<3x5x6xi8>) -> tensor<2x3x4x6xi32>
  return %acc : tensor<2x3x4x6xi32>
}

// -----

// A 2-D rhs is read at every batch index; no batch dimension is broadcast to 1.
// CHECK-DAG: #[[LHS2:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-DAG: #[[RHS2:.*]] = affine_map<(d0, d1, d2, d3) -> (d2, d3)>
// CHECK-LABEL: func @shared_rhs
// CHECK: linalg.generic {indexing_maps = [#[[LHS2]], #[[RHS2]], {{.*}}], iterator_types = ["parallel", "parallel", "reduction", "parallel"]}
func.func @shared_rhs(%a: tensor<2x4x5xi8>, %b: tensor<5x6xi8>) -> tensor<2x4x6xi32> {
  %acc = pike.batch_matmul %a, %b : (tensor<2x4x5xi8>, tensor<5x6xi8>) -> tensor<2x4x6xi32>
  return %acc : tensor<2x4x6xi32>
}
