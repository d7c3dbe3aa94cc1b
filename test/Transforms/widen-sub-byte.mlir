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

// -----

// Each op is rewritten by the widths it had: an extui of a constant or of a
// truncation is masked although its operand became a byte first (u4 15 is
// the byte -1: without the mask it would read 255).
// CHECK-LABEL: func.func @chains
// CHECK:         %[[C:.*]] = arith.constant -1 : i8
// CHECK:         %[[U:.*]] = arith.extui %[[C]] : i8 to i32
// CHECK:         arith.andi %[[U]], %{{.*}} : i32
// CHECK:         %[[T:.*]] = arith.trunci %{{.*}} : i32 to i8
// CHECK:         %[[S:.*]] = arith.shrsi
// CHECK:         %[[V:.*]] = arith.extui %[[S]] : i8 to i32
// CHECK:         arith.andi %[[V]], %{{.*}} : i32
// Sub-byte to sub-byte: an extsi is the byte, an extui its mask.
// CHECK:         %[[M:.*]] = arith.andi %[[S]], %{{.*}} : i8
// CHECK:         arith.index_castui %{{.*}} : i8 to index
func.func @chains(%a: i32) -> (i32, i32, i6, i6, index) {
  %c = arith.constant 15 : i4
  %u = arith.extui %c : i4 to i32
  %t = arith.trunci %a : i32 to i4
  %v = arith.extui %t : i4 to i32
  %s6 = arith.extsi %t : i4 to i6
  %u6 = arith.extui %t : i4 to i6
  %i = arith.index_castui %t : i4 to index
  return %u, %v, %s6, %u6, %i : i32, i32, i6, i6, index
}

// -----

// A shaped extsi widens like a scalar one.
// CHECK-LABEL: func.func @shaped_extsi
// CHECK:         arith.extsi %{{.*}} : tensor<4xi8> to tensor<4xi32>
// CHECK-NOT:     arith.extsi
func.func @shaped_extsi(%x: tensor<4xi4>) -> (tensor<4xi32>, tensor<4xi8>) {
  %w = arith.extsi %x : tensor<4xi4> to tensor<4xi32>
  %b = arith.extsi %x : tensor<4xi4> to tensor<4xi8>
  return %w, %b : tensor<4xi32>, tensor<4xi8>
}

// -----

// At the boundary: an argument's low 4 bits are taken (a caller may pass
// u4 as 0..15), a result marked pike.unsigned goes back as 0..15.
// CHECK-LABEL: func.func @boundary(
// CHECK-SAME:    %[[X:.*]]: tensor<4xi8>) -> (tensor<4xi8> {pike.unsigned})
// CHECK:         %[[N:.*]] = linalg.generic {{.*}} ins(%[[X]] : tensor<4xi8>)
// CHECK:           arith.shli
// CHECK:           arith.shrsi
// CHECK:         %[[U:.*]] = linalg.generic {{.*}} ins(%[[N]] : tensor<4xi8>)
// CHECK:           arith.andi
// CHECK:         return %[[U]]
func.func @boundary(%x: tensor<4xi4>) -> (tensor<4xi4> {pike.unsigned}) {
  return %x : tensor<4xi4>
}

// -----

// What would change meaning or an interface the pass cannot see is refused.
func.func @bitcast(%x: tensor<4xi4>) -> tensor<4xf4E2M1FN> {
  // expected-error @+1 {{'tensor.bitcast' on integers of fewer than 8 bits would change meaning in bytes}}
  %b = tensor.bitcast %x : tensor<4xi4> to tensor<4xf4E2M1FN>
  return %b : tensor<4xf4E2M1FN>
}

// -----

// expected-error @+1 {{the external function's sub-byte interface would change}}
func.func private @external(tensor<4xi4>)

// -----

// expected-error @+1 {{'memref.global' on integers of fewer than 8 bits would change meaning in bytes}}
memref.global "private" constant @table : memref<4xi4> = dense<[-1, 2, -8, 7]>

// -----

func.func @unsigned_type(%x: tensor<4xui4>) -> tensor<4xui4> {
  // expected-error @+1 {{a signed or unsigned integer type is not widened (signless only)}}
  return %x : tensor<4xui4>
}

// -----

// i1 is its byte's bit: a truncation to it, or an extension of it, keeps
// its op (the low bit of the sign-extended byte is the i4's).
// CHECK-LABEL: func.func @to_and_from_i1
// CHECK:         %[[B:.*]] = arith.trunci %{{.*}} : i8 to i1
// CHECK:         arith.extui %[[B]] : i1 to i8
// CHECK:         arith.extsi %[[B]] : i1 to i8
func.func @to_and_from_i1(%a: i4) -> (i4, i4) {
  %b = arith.trunci %a : i4 to i1
  %u = arith.extui %b : i1 to i4
  %s = arith.extsi %b : i1 to i4
  return %u, %s : i4, i4
}

// -----

// An index cast to 4 bits keeps the low 4 bits sign-extended (12 is -4).
// CHECK-LABEL: func.func @index_to_i4
// CHECK:         %[[C:.*]] = arith.index_cast %{{.*}} : index to i8
// CHECK:         %[[H:.*]] = arith.shli %[[C]], %[[FOUR:.*]] : i8
// CHECK:         %[[S:.*]] = arith.shrsi %[[H]], %[[FOUR]] : i8
// CHECK:         return %[[S]]
func.func @index_to_i4(%i: index) -> i4 {
  %c = arith.index_cast %i : index to i4
  return %c : i4
}

// -----

// A named op whose body casts a sub-byte value becomes linalg.generic: its
// body would not be printed, and re-read without the mask.
// CHECK-LABEL: func.func @named_unsigned_copy
// CHECK:         linalg.generic
// CHECK:           arith.extui %{{.*}} : i8 to i32
// CHECK:           arith.andi
// CHECK-NOT:     linalg.copy
func.func @named_unsigned_copy(%x: tensor<8xi4>) -> tensor<8xi32> {
  %e = tensor.empty() : tensor<8xi32>
  %r = linalg.copy {cast = #linalg.type_fn<cast_unsigned>} ins(%x : tensor<8xi4>) outs(%e : tensor<8xi32>) -> tensor<8xi32>
  return %r : tensor<8xi32>
}

// -----

// A nested module's functions get their boundaries too.
// CHECK-LABEL: func.func @inner(
// CHECK:         arith.shrsi
// CHECK:         arith.andi
module @nested {
  func.func @inner(%x: i4) -> (i4 {pike.unsigned}) {
    return %x : i4
  }
}

// -----

// A caller would read the zero-extended result as the sign-extended form.
func.func private @gives_unsigned(%x: tensor<4xi4>) -> (tensor<4xi4> {pike.unsigned}) {
  return %x : tensor<4xi4>
}
func.func @caller(%x: tensor<4xi4>) -> tensor<4xi4> {
  // expected-error @+1 {{a call of a function whose sub-byte result is given back zero-extended (pike.unsigned)}}
  %u = func.call @gives_unsigned(%x) : (tensor<4xi4>) -> tensor<4xi4>
  return %u : tensor<4xi4>
}

// -----

// expected-error @+1 {{a sub-byte argument must be a scalar or a statically shaped tensor without an encoding}}
func.func @encoded(%x: tensor<4xi4, "enc">) -> tensor<4xi4, "enc"> {
  return %x : tensor<4xi4, "enc">
}

// -----

// expected-error @+1 {{a signed or unsigned integer type is not widened (signless only)}}
func.func @unused_signed(%x: si4, %y: i32) -> i32 {
  return %y : i32
}

// -----

// expected-error @+1 {{a sub-byte integer inside a value of another kind than a scalar, a ranked tensor or a vector of integers is not widened}}
func.func private @nested_types(tuple<i4, i4>)

// -----

func.func @complex_elements(%x: tensor<4xcomplex<i4>>) -> tensor<4xcomplex<i4>> {
  // expected-error @+1 {{a sub-byte integer inside a value of another kind than a scalar, a ranked tensor or a vector of integers is not widened}}
  return %x : tensor<4xcomplex<i4>>
}

// -----

func.func @shaped_index_cast(%x: tensor<4xi4>) -> tensor<4xindex> {
  // expected-error @+1 {{only scalar zero-extensions, truncations and index casts (in linalg bodies) are widened}}
  %i = arith.index_cast %x : tensor<4xi4> to tensor<4xindex>
  return %i : tensor<4xindex>
}

// -----

// Replacing the type inside an attribute would not sign-extend its value.
// expected-error @+1 {{the attribute 'pike.table' holds a sub-byte integer, whose value would not be sign-extended}}
func.func @attribute(%x: tensor<2xi4>) -> tensor<2xi4> attributes {pike.table = dense<-1> : tensor<2xi4>} {
  return %x : tensor<2xi4>
}
