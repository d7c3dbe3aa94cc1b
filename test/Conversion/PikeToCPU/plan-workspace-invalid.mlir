// RUN: pike-opt %s -split-input-file --pike-plan-workspace -verify-diagnostics


// A buffer in a loop cannot be placed once for all calls.
func.func @in_loop(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
    // expected-error @+1 {{cannot place a buffer allocated inside a loop or branch in the workspace}}
    %t = memref.alloc() : memref<4xf32>
    memref.dealloc %t : memref<4xf32>
  }
  return
}

// -----

func.func @dynamic(%n: index) {
  // expected-error @+1 {{cannot place a buffer of type 'memref<?xf32>' in the workspace}}
  %t = memref.alloc(%n) : memref<?xf32>
  memref.dealloc %t : memref<?xf32>
  return
}

// -----

// Byte sizes are computed with overflow checks: 2^62 x 4 i32 wraps to 0 in
// 64 bits, which once gave a workspace of a few bytes.
func.func @size_wraps() {
  // expected-error @+1 {{a buffer of type 'memref<4611686018427387904x4xi32>' needs more than 2^60 bytes}}
  %t = memref.alloc() : memref<4611686018427387904x4xi32>
  memref.dealloc %t : memref<4611686018427387904x4xi32>
  return
}

// -----

// Two buffers live at once that each fit but not together.
// expected-error @+1 {{the workspace of @total_too_large would need more than 2^60 bytes}}
func.func @total_too_large() {
  %a = memref.alloc() : memref<1073741824x1073741824xi8>
  %b = memref.alloc() : memref<1073741824x1073741824xi8>
  memref.copy %a, %b : memref<1073741824x1073741824xi8> to memref<1073741824x1073741824xi8>
  memref.dealloc %a : memref<1073741824x1073741824xi8>
  memref.dealloc %b : memref<1073741824x1073741824xi8>
  return
}
