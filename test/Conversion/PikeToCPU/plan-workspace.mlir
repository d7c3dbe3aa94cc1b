// RUN: pike-opt %s --pike-plan-workspace | FileCheck %s

// Three buffers in a chain: %a (4096 B) is dead once %b (2048 B) is
// written, so %c (1024 B) can reuse %a's bytes; %b cannot. Largest first:
// %a at 0, %b at 4096, %c at 0. The private callee needs 128 B of its own,
// placed as a buffer live during the call, when only %c is: at 1024. The
// total is %b's end, 6144.
// CHECK-LABEL: func.func private @kernel(
// CHECK-SAME: %[[WS:[a-z0-9]+]]: memref<?xi8>, %[[BASE:[a-z0-9]+]]: index)
// CHECK: %[[OFF:[0-9]+]] = arith.addi %[[BASE]], %c0
// CHECK: memref.view %[[WS]][%[[OFF]]][] : memref<?xi8> to memref<32xf32>
// CHECK-NOT: memref.alloc
// CHECK-LABEL: func.func @main(
// CHECK-SAME: %[[WS:[a-z0-9]+]]: memref<?xi8>, %[[BASE:[a-z0-9]+]]: index)
// CHECK-SAME: llvm.emit_c_interface, pike.workspace_bytes = 6144 : i64
// CHECK: arith.constant 0 : index
// CHECK: memref.view %[[WS]]{{.*}} to memref<1024xf32>
// CHECK: arith.constant 4096 : index
// CHECK: memref.view %[[WS]]{{.*}} to memref<2048xi8>
// CHECK: memref.view %[[WS]]{{.*}} to memref<256xf32>
// CHECK: arith.constant 1024 : index
// CHECK: call @kernel(%{{.*}}, %[[WS]], %{{.*}})
// CHECK-NOT: memref.dealloc
func.func private @kernel(%x: memref<256xf32>) {
  %t = memref.alloc() : memref<32xf32>
  %c0 = arith.constant 0 : index
  %v = memref.load %x[%c0] : memref<256xf32>
  memref.store %v, %t[%c0] : memref<32xf32>
  memref.dealloc %t : memref<32xf32>
  return
}

func.func @main(%out: memref<256xf32>) {
  %c0 = arith.constant 0 : index
  %f = arith.constant 1.0 : f32
  %a = memref.alloc() : memref<1024xf32>
  memref.store %f, %a[%c0] : memref<1024xf32>
  %b = memref.alloc() : memref<2048xi8>
  %v = memref.load %a[%c0] : memref<1024xf32>
  %i = arith.fptosi %v : f32 to i8
  memref.store %i, %b[%c0] : memref<2048xi8>
  %c = memref.alloc() : memref<256xf32>
  %w = memref.load %b[%c0] : memref<2048xi8>
  %r = arith.sitofp %w : i8 to f32
  memref.store %r, %c[%c0] : memref<256xf32>
  call @kernel(%c) : (memref<256xf32>) -> ()
  memref.copy %c, %out : memref<256xf32> to memref<256xf32>
  memref.dealloc %a : memref<1024xf32>
  memref.dealloc %b : memref<2048xi8>
  memref.dealloc %c : memref<256xf32>
  return
}


// A size the input carried is never kept: the plan's own (0, no buffers)
// replaces it.
// CHECK-LABEL: func.func @no_buffers(
// CHECK-SAME: pike.workspace_bytes = 0 : i64
func.func @no_buffers(%x: memref<4xf32>) attributes {pike.workspace_bytes = 1 : i64} {
  return
}
