// RUN: pike-opt %s --pike-memref-copy-to-linalg | FileCheck %s

// Strided copies become linalg.copy, which lowers to loops (no runtime call).
// CHECK-LABEL: func @copy
// CHECK-NOT: memref.copy
// CHECK: linalg.copy ins(%arg0 : memref<4x4xi8, strided<[8, 1]>>) outs(%arg1 : memref<4x4xi8>)
func.func @copy(%a: memref<4x4xi8, strided<[8, 1]>>, %b: memref<4x4xi8>) {
  memref.copy %a, %b : memref<4x4xi8, strided<[8, 1]>> to memref<4x4xi8>
  return
}

// Contiguous copies stay: finalize-memref-to-llvm makes them llvm.memcpy.
// CHECK-LABEL: func @contiguous
// CHECK-NEXT: memref.copy %arg0, %arg1 : memref<4x4xi8> to memref<4x4xi8>
// CHECK-NOT: linalg.copy
func.func @contiguous(%a: memref<4x4xi8>, %b: memref<4x4xi8>) {
  memref.copy %a, %b : memref<4x4xi8> to memref<4x4xi8>
  return
}
