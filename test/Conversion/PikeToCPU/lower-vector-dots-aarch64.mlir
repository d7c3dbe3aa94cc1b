// RUN: pike-opt %s --split-input-file --pike-lower-vector-dots=target=aarch64-i8mm | FileCheck %s --check-prefix=I8MM
// RUN: pike-opt %s --split-input-file --pike-lower-vector-dots=target=aarch64-linux-gnu-dotprod | FileCheck %s --check-prefix=DOT
// RUN: pike-opt %s --split-input-file --pike-lower-vector-dots=target=aarch64 | FileCheck %s --check-prefix=NEON

// u8 x s8 quads: usdot where the target has i8mm; the dot-product target has
// only s8 x s8 (the kernels then read the input as signed), so the op is
// expanded there, as on plain NEON.
// I8MM: module attributes {pike.target = "aarch64-i8mm"}
// I8MM-LABEL: func.func @unsigned_quads
// I8MM: llvm.call_intrinsic "llvm.aarch64.neon.usdot.v4i32.v16i8"(%arg0, %arg1, %arg2) : (vector<4xi32>, vector<16xi8>, vector<16xi8>) -> vector<4xi32>
// DOT: module attributes {pike.target = "aarch64-dotprod"}
// DOT-LABEL: func.func @unsigned_quads
// DOT-NOT: llvm.call_intrinsic
// DOT: arith.extui %arg1 : vector<16xi8> to vector<16xi32>
// NEON-LABEL: func.func @unsigned_quads
// NEON-NOT: llvm.call_intrinsic
func.func @unsigned_quads(%acc: vector<4xi32>, %a: vector<16xi8>, %b: vector<16xi8>) -> vector<4xi32> {
  %r = pike.vector_dot4 %acc, %a, %b : vector<4xi32>, vector<16xi8>
  return %r : vector<4xi32>
}

// -----

// s8 x s8 quads: sdot, one per 128-bit register (4 lanes) of a wider op,
// the lhs (the kernels' pixel bytes) second, where LLVM selects the indexed
// form when they are a lane broadcast.
// I8MM-LABEL: func.func @signed_quads
// I8MM: llvm.call_intrinsic "llvm.aarch64.neon.sdot.v4i32.v16i8"
// DOT-LABEL: func.func @signed_quads
// DOT: %[[A0:.*]] = vector.extract_strided_slice %arg0 {offsets = [0], sizes = [4], strides = [1]} : vector<8xi32> to vector<4xi32>
// DOT: %[[R0:.*]] = vector.extract_strided_slice %arg2 {offsets = [0], sizes = [16], strides = [1]} : vector<32xi8> to vector<16xi8>
// DOT: %[[L0:.*]] = vector.extract_strided_slice %arg1 {offsets = [0], sizes = [16], strides = [1]} : vector<32xi8> to vector<16xi8>
// DOT: %[[D0:.*]] = llvm.call_intrinsic "llvm.aarch64.neon.sdot.v4i32.v16i8"(%[[A0]], %[[R0]], %[[L0]])
// DOT: %[[S0:.*]] = vector.insert_strided_slice %[[D0]], %arg0 {offsets = [0], strides = [1]} : vector<4xi32> into vector<8xi32>
// DOT: vector.extract_strided_slice %arg2 {offsets = [16], sizes = [16], strides = [1]}
// DOT: %[[D1:.*]] = llvm.call_intrinsic "llvm.aarch64.neon.sdot.v4i32.v16i8"
// DOT: vector.insert_strided_slice %[[D1]], %[[S0]] {offsets = [4], strides = [1]}
// Without the dot product both sides are sign-extended.
// NEON-LABEL: func.func @signed_quads
// NEON-NOT: arith.extui
// NEON: arith.extsi %arg1 : vector<32xi8> to vector<32xi32>
func.func @signed_quads(%acc: vector<8xi32>, %a: vector<32xi8>, %b: vector<32xi8>) -> vector<8xi32> {
  %r = pike.vector_dot4 %acc, %a, %b lhs_signed : vector<8xi32>, vector<32xi8>
  return %r : vector<8xi32>
}

// -----

// Matrix tiles: usmmla (smmla for a signed lhs) on i8mm; elsewhere the
// operands gathered so that lane 2i + j meets row i of the lhs and row j of
// the rhs, 8 products a lane.
// I8MM-LABEL: func.func @tiles
// I8MM: llvm.call_intrinsic "llvm.aarch64.neon.usmmla.v4i32.v16i8"
// I8MM: llvm.call_intrinsic "llvm.aarch64.neon.smmla.v4i32.v16i8"
// DOT-LABEL: func.func @tiles
// DOT-NOT: llvm.call_intrinsic
// DOT: vector.shuffle %arg1, %arg1 [0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15]
// DOT: vector.shuffle %arg2, %arg2 [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]
// DOT: arith.extui {{.*}} : vector<32xi8> to vector<32xi32>
// DOT: arith.muli {{.*}} : vector<32xi32>
// DOT-COUNT-8: vector.shuffle
func.func @tiles(%acc: vector<4xi32>, %a: vector<16xi8>, %b: vector<16xi8>) -> (vector<4xi32>, vector<4xi32>) {
  %r = pike.vector_mmla %acc, %a, %b : vector<4xi32>, vector<16xi8>
  %s = pike.vector_mmla %acc, %a, %b lhs_signed : vector<4xi32>, vector<16xi8>
  return %r, %s : vector<4xi32>, vector<4xi32>
}
