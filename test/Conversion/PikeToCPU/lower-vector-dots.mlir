// RUN: pike-opt %s --split-input-file --pike-lower-vector-dots=target=avx512-vnni | FileCheck %s --check-prefix=VNNI
// RUN: pike-opt %s --split-input-file --pike-lower-vector-dots=target=vector | FileCheck %s --check-prefix=VECTOR

// VNNI: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"(%{{.*}}, %{{.*}}, %{{.*}}) : (vector<16xi32>, vector<64xi8>, vector<64xi8>) -> vector<16xi32>
// Elsewhere every lane's product, then each 4 neighbours summed.
// VECTOR-NOT: llvm.call_intrinsic
// VECTOR: arith.extui {{.*}} : vector<64xi8> to vector<64xi32>
// VECTOR: arith.extsi {{.*}} : vector<64xi8> to vector<64xi32>
// VECTOR: %[[P:.*]] = arith.muli {{.*}} : vector<64xi32>
// VECTOR: vector.shuffle %[[P]], %[[P]] [0, 4, 8, 12, 16, 20, 24, 28, 32, 36, 40, 44, 48, 52, 56, 60]
// VECTOR: vector.shuffle %[[P]], %[[P]] [1, 5, 9, 13, 17, 21, 25, 29, 33, 37, 41, 45, 49, 53, 57, 61]
// VECTOR: vector.shuffle %[[P]], %[[P]] [2, 6, 10, 14, 18, 22, 26, 30, 34, 38, 42, 46, 50, 54, 58, 62]
// VECTOR: vector.shuffle %[[P]], %[[P]] [3, 7, 11, 15, 19, 23, 27, 31, 35, 39, 43, 47, 51, 55, 59, 63]
// VECTOR: arith.addi %arg0, %{{.*}} : vector<16xi32>
func.func @dot16(%acc: vector<16xi32>, %a: vector<64xi8>, %b: vector<64xi8>) -> vector<16xi32> {
  %r = pike.vector_dot4 %acc, %a, %b : vector<16xi32>, vector<64xi8>
  return %r : vector<16xi32>
}

// -----

// VNNI: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.256"
func.func @dot8(%acc: vector<8xi32>, %a: vector<32xi8>, %b: vector<32xi8>) -> vector<8xi32> {
  %r = pike.vector_dot4 %acc, %a, %b : vector<8xi32>, vector<32xi8>
  return %r : vector<8xi32>
}

// -----

// Pairs of s16: vpdpwssd, or the products of both sides sign-extended and
// the even and odd lanes summed: the order in which LLVM selects pmaddwd.
// VNNI: llvm.call_intrinsic "llvm.x86.avx512.vpdpwssd.512"(%{{.*}}, %{{.*}}, %{{.*}}) : (vector<16xi32>, vector<32xi16>, vector<32xi16>) -> vector<16xi32>
// VECTOR-LABEL: func.func @pairs
// VECTOR-NOT: arith.extui
// VECTOR: arith.extsi %arg1 : vector<32xi16> to vector<32xi32>
// VECTOR: arith.extsi %arg2 : vector<32xi16> to vector<32xi32>
// VECTOR: %[[P:.*]] = arith.muli {{.*}} : vector<32xi32>
// VECTOR: %[[EVEN:.*]] = vector.shuffle %[[P]], %[[P]] [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30]
// VECTOR: %[[ODD:.*]] = vector.shuffle %[[P]], %[[P]] [1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31]
// VECTOR: %[[SUM:.*]] = arith.addi %[[EVEN]], %[[ODD]]
// VECTOR: arith.addi %arg0, %[[SUM]]
func.func @pairs(%acc: vector<16xi32>, %a: vector<32xi16>, %b: vector<32xi16>) -> vector<16xi32> {
  %r = pike.vector_dot2 %acc, %a, %b : vector<16xi32>, vector<32xi16>
  return %r : vector<16xi32>
}
