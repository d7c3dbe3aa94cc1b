// RUN: pike-opt %s --split-input-file --convert-pike-to-cpu-kernels=target=avx512-vnni | FileCheck %s

// A layer of fewer than 16 rows also loops over parts of its channels, so
// that 2 to 4 threads share its work: a batch-1 fully-connected layer has
// one row, here split into 4 parts at whole vectors of 16 filters (7
// vectors: 1 + 2 + 2 + 2, the last one partial). Each part is a slice of
// its row at its first channel, filled for its own static channel range.
// CHECK-LABEL: func.func private @classifier_fully_connected(
// CHECK: scf.forall (%[[N:.*]], %[[H:.*]], %[[PART:.*]]) in (1, 1, 4) shared_outs(%[[OUT:.*]] = %{{.*}})
// CHECK: arith.select
// CHECK: %[[SLICE:.*]] = tensor.extract_slice %[[OUT]][%[[N]], %[[H]], 0, %[[FIRST:.*]]] [1, 1, 1, %[[WIDTH:.*]]] [1, 1, 1, 1]
// CHECK: scf.index_switch %[[PART]] -> tensor<1x1x1x?xi8>
// CHECK: case 0 {
// CHECK: tensor.cast %[[SLICE]] : tensor<1x1x1x?xi8> to tensor<1x1x1x16xi8>
// CHECK: case 1 {
// CHECK: tensor.cast %[[SLICE]] : tensor<1x1x1x?xi8> to tensor<1x1x1x32xi8>
// CHECK: case 2 {
// CHECK: tensor.cast %[[SLICE]] : tensor<1x1x1x?xi8> to tensor<1x1x1x32xi8>
// CHECK: case 3 {
// CHECK: tensor.cast %[[SLICE]] : tensor<1x1x1x?xi8> to tensor<1x1x1x20xi8>
// The last part's partial vector: 4 filters written.
// CHECK: vector.transfer_write {{.*}} : vector<4xi8>, tensor<1x1x1x20xi8>
// CHECK: tensor.parallel_insert_slice %{{.*}} into %[[OUT]][%[[N]], %[[H]], 0, %[[FIRST]]] [1, 1, 1, %[[WIDTH]]]
func.func @classifier(%x: tensor<1x64xi8>) -> tensor<1x100xi8> {
  %w = arith.constant dense<2> : tensor<100x64xi8>
  %acc = pike.fully_connected %x, %w {input_unsigned} : (tensor<1x64xi8>, tensor<100x64xi8>) -> tensor<1x100xi32>
  %y = pike.quant_norm %acc {multiplier = #pike.fixed_point<bits = 32, multipliers = [1518500250], shifts = [40]>}
      : tensor<1x100xi32> -> tensor<1x100xi8>
  return %y : tensor<1x100xi8>
}

// -----

// A 7x7 depthwise layer: 7 rows, 3 parts each (4 vectors: 1 + 1 + 2).
// CHECK-LABEL: func.func private @seven_conv2d(
// CHECK: scf.forall ({{.*}}) in (1, 7, 3)
// CHECK: tensor.cast {{.*}} to tensor<1x1x7x16xi8>
// CHECK: tensor.cast {{.*}} to tensor<1x1x7x16xi8>
// CHECK: tensor.cast {{.*}} to tensor<1x1x7x32xi8>
func.func @seven(%x: tensor<1x7x7x64xi8>) -> tensor<1x7x7x64xi8> {
  %w = arith.constant dense<3> : tensor<64x3x3x1xi8>
  %acc = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, groups = 64 : i64, input_unsigned}
      : (tensor<1x7x7x64xi8>, tensor<64x3x3x1xi8>) -> tensor<1x7x7x64xi32>
  %y = pike.quant_norm %acc {multiplier = #pike.fixed_point<bits = 32, multipliers = [1518500250], shifts = [40]>}
      : tensor<1x7x7x64xi32> -> tensor<1x7x7x64xi8>
  return %y : tensor<1x7x7x64xi8>
}

// -----

// 16 rows or more: rows alone. A grouped layer's rows stay whole.
// CHECK-LABEL: func.func private @rows_conv2d(
// CHECK: scf.forall ({{.*}}) in (2, 8) shared_outs
// CHECK-LABEL: func.func private @rows_conv2d_0(
// CHECK: scf.forall ({{.*}}) in (1, 4) shared_outs
// CHECK-NOT: scf.index_switch
func.func @rows(%x: tensor<2x8x8x32xi8>, %g: tensor<1x4x4x32xi8>) -> (tensor<2x8x8x32xi8>, tensor<1x4x4x32xi8>) {
  %w = arith.constant dense<1> : tensor<32x1x1x32xi8>
  %a = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, input_unsigned}
      : (tensor<2x8x8x32xi8>, tensor<32x1x1x32xi8>) -> tensor<2x8x8x32xi32>
  %y = pike.quant_norm %a {multiplier = #pike.fixed_point<bits = 32, multipliers = [1518500250], shifts = [40]>}
      : tensor<2x8x8x32xi32> -> tensor<2x8x8x32xi8>
  %wg = arith.constant dense<1> : tensor<32x1x1x16xi8>
  %b = pike.conv2d %g, %wg {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, groups = 2 : i64, input_unsigned}
      : (tensor<1x4x4x32xi8>, tensor<32x1x1x16xi8>) -> tensor<1x4x4x32xi32>
  %z = pike.quant_norm %b {multiplier = #pike.fixed_point<bits = 32, multipliers = [1518500250], shifts = [40]>}
      : tensor<1x4x4x32xi32> -> tensor<1x4x4x32xi8>
  return %y, %z : tensor<2x8x8x32xi8>, tensor<1x4x4x32xi8>
}
