// RUN: pike-opt %s --split-input-file --pike-lower-vector-dots=target=avx512-vnni | FileCheck %s --check-prefix=VNNI
// RUN: pike-opt %s --split-input-file --pike-lower-vector-dots=target=vector | FileCheck %s --check-prefix=VECTOR

// VNNI: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"(%{{.*}}, %{{.*}}, %{{.*}}) : (vector<16xi32>, vector<64xi8>, vector<64xi8>) -> vector<16xi32>
// VECTOR-NOT: llvm.call_intrinsic
// VECTOR: vector.shuffle %{{.*}}, %{{.*}} [0, 4, 8, 12, 16, 20, 24, 28, 32, 36, 40, 44, 48, 52, 56, 60]
// VECTOR: arith.extui {{.*}} : vector<16xi8> to vector<16xi32>
// VECTOR: arith.extsi {{.*}} : vector<16xi8> to vector<16xi32>
// VECTOR-COUNT-4: arith.muli
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

// Pairs of s16: vpdpwssd, or two strided shuffles sign-extended both sides.
// VNNI: llvm.call_intrinsic "llvm.x86.avx512.vpdpwssd.512"(%{{.*}}, %{{.*}}, %{{.*}}) : (vector<16xi32>, vector<32xi16>, vector<32xi16>) -> vector<16xi32>
// VECTOR-LABEL: func.func @pairs
// VECTOR: vector.shuffle %arg1, %arg1 [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30]
// VECTOR-NOT: arith.extui
// VECTOR: arith.extsi {{.*}} : vector<16xi16> to vector<16xi32>
// VECTOR-COUNT-2: arith.muli
func.func @pairs(%acc: vector<16xi32>, %a: vector<32xi16>, %b: vector<32xi16>) -> vector<16xi32> {
  %r = pike.vector_dot2 %acc, %a, %b : vector<16xi32>, vector<32xi16>
  return %r : vector<16xi32>
}
