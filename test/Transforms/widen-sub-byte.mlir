// RUN: pike-opt %s --split-input-file --verify-diagnostics --pike-widen-sub-byte | FileCheck %s

// Sub-byte integers become bytes holding their bits sign-extended: constants
// are sign-extended (u4 15 is i4 -1, the byte 0xFF), an extui is masked back
// to its 4 bits, an extsi from i4 is unchanged, and a truncation to i4 keeps
// the low 4 bits sign-extended (shift up 4, arithmetic shift down 4).
// CHECK-LABEL: func.func @widen(
// CHECK-SAME:    %[[X:.*]]: tensor<4xi8>) -> tensor<4xi8>
// CHECK:         arith.constant dense<[-1, 7, -8, 0]> : tensor<4xi8>
// CHECK:         linalg.generic
// CHECK:         ^bb0(%[[A:.*]]: i8, %[[W:.*]]: i8, %[[OUT:.*]]: i8):
// CHECK:           %[[U:.*]] = arith.extui %[[A]] : i8 to i32
// CHECK:           %[[M:.*]] = arith.andi %[[U]], %{{.*}} : i32
// CHECK:           %[[S:.*]] = arith.extsi %[[W]] : i8 to i32
// CHECK:           %[[P:.*]] = arith.muli %[[M]], %[[S]] : i32
// CHECK:           %[[T:.*]] = arith.trunci %[[P]] : i32 to i8
// CHECK:           %[[C4:.*]] = arith.constant 4 : i8
// CHECK:           %[[H:.*]] = arith.shli %[[T]], %[[C4]] : i8
// CHECK:           %[[R:.*]] = arith.shrsi %[[H]], %[[C4]] : i8
// CHECK:           linalg.yield %[[R]] : i8
// CHECK-NOT:     i4
#map = affine_map<(d0) -> (d0)>
func.func @widen(%x: tensor<4xi4>) -> tensor<4xi4> {
  %w = arith.constant dense<[15, 7, -8, 0]> : tensor<4xi4>
  %e = tensor.empty() : tensor<4xi4>
  %r = linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel"]}
      ins(%x, %w : tensor<4xi4>, tensor<4xi4>) outs(%e : tensor<4xi4>) {
  ^bb0(%a: i4, %b: i4, %out: i4):
    %u = arith.extui %a : i4 to i32
    %s = arith.extsi %b : i4 to i32
    %p = arith.muli %u, %s : i32
    %t = arith.trunci %p : i32 to i4
    linalg.yield %t : i4
  } -> tensor<4xi4>
  return %r : tensor<4xi4>
}

// -----

// Order and equality survive the mapping: an unsigned max pool of u4
// activations is the same op on bytes.
// CHECK-LABEL: func.func @max_pool_unsigned
// CHECK:         linalg.pooling_nhwc_max_unsigned {{.*}} ins(%{{.*}}, %{{.*}} : tensor<1x4x4x2xi8>, tensor<2x2xi8>) outs(%{{.*}} : tensor<1x2x2x2xi8>)
func.func @max_pool_unsigned(%x: tensor<1x4x4x2xi4>) -> tensor<1x2x2x2xi4> {
  %c0 = arith.constant 0 : i4
  %e = tensor.empty() : tensor<1x2x2x2xi4>
  %f = linalg.fill ins(%c0 : i4) outs(%e : tensor<1x2x2x2xi4>) -> tensor<1x2x2x2xi4>
  %k = tensor.empty() : tensor<2x2xi4>
  %p = linalg.pooling_nhwc_max_unsigned {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
      ins(%x, %k : tensor<1x4x4x2xi4>, tensor<2x2xi4>) outs(%f : tensor<1x2x2x2xi4>) -> tensor<1x2x2x2xi4>
  return %p : tensor<1x2x2x2xi4>
}

// -----

// Arithmetic that wraps at 4 bits would wrap at 8 in a byte: refused.
#map = affine_map<(d0) -> (d0)>
func.func @add(%x: tensor<4xi4>) -> tensor<4xi4> {
  %e = tensor.empty() : tensor<4xi4>
  %r = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel"]}
      ins(%x : tensor<4xi4>) outs(%e : tensor<4xi4>) {
  ^bb0(%a: i4, %out: i4):
    // expected-error @+1 {{pike-widen-sub-byte: 'arith.addi' on integers of fewer than 8 bits would change meaning in bytes}}
    %s = arith.addi %a, %a : i4
    linalg.yield %s : i4
  } -> tensor<4xi4>
  return %r : tensor<4xi4>
}
