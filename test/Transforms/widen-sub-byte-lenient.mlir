// RUN: pike-opt %s --split-input-file --pike-widen-sub-byte=strict=false | FileCheck %s

// strict=false (what the CPU pipeline runs): a module with an op the pass
// would refuse is left as it was, without an error.
// CHECK-LABEL: func.func @refused(
// CHECK-SAME:    %{{.*}}: tensor<4xi4>) -> tensor<4xi4>
// CHECK:         arith.addi %{{.*}}, %{{.*}} : i4
#map = affine_map<(d0) -> (d0)>
func.func @refused(%x: tensor<4xi4>) -> tensor<4xi4> {
  %e = tensor.empty() : tensor<4xi4>
  %r = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel"]}
      ins(%x : tensor<4xi4>) outs(%e : tensor<4xi4>) {
  ^bb0(%a: i4, %out: i4):
    %s = arith.addi %a, %a : i4
    linalg.yield %s : i4
  } -> tensor<4xi4>
  return %r : tensor<4xi4>
}

// -----

// Otherwise it widens as in strict mode.
// CHECK-LABEL: func.func @widened(
// CHECK-SAME:    %{{.*}}: tensor<4xi8>) -> tensor<4xi8>
// CHECK:         arith.maxsi %{{.*}}, %{{.*}} : i8
#map = affine_map<(d0) -> (d0)>
func.func @widened(%x: tensor<4xi4>) -> tensor<4xi4> {
  %e = tensor.empty() : tensor<4xi4>
  %r = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel"]}
      ins(%x : tensor<4xi4>) outs(%e : tensor<4xi4>) {
  ^bb0(%a: i4, %out: i4):
    %s = arith.maxsi %a, %out : i4
    linalg.yield %s : i4
  } -> tensor<4xi4>
  return %r : tensor<4xi4>
}
