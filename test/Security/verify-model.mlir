// What a model from an untrusted file may not contain (docs/Security.md).
// RUN: pike-opt %s --split-input-file --pike-verify-model -verify-diagnostics

// A call into the C library, through the LLVM dialect.
// expected-error @+1 {{not accepted in a model: 'llvm.func' is not an op a model may contain}}
llvm.func @system(!llvm.ptr) -> i32
func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{not accepted in a model: 'llvm.mlir.zero' is not an op a model may contain}}
  %p = llvm.mlir.zero : !llvm.ptr
  return %x : tensor<4xf32>
}

// -----

// A declaration the library would resolve against the C library.
// expected-error @+1 {{not accepted in a model: function 'system' has no body}}
func.func private @system(i64) -> i32
func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}

// -----

// Raw memory.
func.func @main(%m: memref<4xf32>, %i: index) -> f32 {
  // expected-error @+1 {{not accepted in a model: 'memref.load' is not an op a model may contain}}
  %v = memref.load %m[%i] : memref<4xf32>
  return %v : f32
}

// -----

// A read at an index that comes from data would read outside the tensor.
func.func @main(%t: tensor<4xf32>, %i: index) -> f32 {
  // expected-error @+1 {{an element read at an index that is not a constant inside the tensor}}
  %v = tensor.extract %t[%i] : tensor<4xf32>
  return %v : f32
}

// -----

func.func @main(%t: tensor<4xf32>) -> f32 {
  %c4 = arith.constant 4 : index
  // expected-error @+1 {{an element read at an index that is not a constant inside the tensor}}
  %v = tensor.extract %t[%c4] : tensor<4xf32>
  return %v : f32
}

// -----

func.func @main(%t: tensor<8xf32>, %o: index) -> tensor<2xf32> {
  // expected-error @+1 {{a slice with dynamic offsets, sizes or strides}}
  %s = tensor.extract_slice %t[%o] [2] [1] : tensor<8xf32> to tensor<2xf32>
  return %s : tensor<2xf32>
}

// -----

// Division by a runtime value traps (SIGFPE) on 0 and on INT_MIN / -1.
func.func @main(%a: i32, %b: i32) -> i32 {
  // expected-error @+1 {{a signed division by a value that is not a constant other than 0 and -1}}
  %q = arith.divsi %a, %b : i32
  return %q : i32
}

// -----

func.func @main(%a: i32) -> i32 {
  %m1 = arith.constant -1 : i32
  // expected-error @+1 {{a signed division by a value that is not a constant other than 0 and -1}}
  %q = arith.remsi %a, %m1 : i32
  return %q : i32
}

// -----

// Shapes whose byte size wraps 64 bits.
// expected-error @+1 {{an argument of type tensor<4611686018427387904x4xi32> has more than 2^40 bytes}}
func.func @main(%x: tensor<4611686018427387904x4xi32>) -> tensor<4611686018427387904x4xi32> {
  return %x : tensor<4611686018427387904x4xi32>
}

// -----

// What models are made of passes.
func.func @main(%t: tensor<4xi32>) -> (i32, tensor<2xi32>, i32) {
  %c3 = arith.constant 3 : index
  %c2 = arith.constant 2 : i32
  %v = tensor.extract %t[%c3] : tensor<4xi32>
  %s = tensor.extract_slice %t[1] [2] [1] : tensor<4xi32> to tensor<2xi32>
  %q = arith.divsi %v, %c2 : i32
  return %v, %s, %q : i32, tensor<2xi32>, i32
}
