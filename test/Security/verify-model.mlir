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

// A constant widened by an extension is read at the divisor's width: -1
// sign-extended is still -1.
func.func @main(%a: i64) -> i64 {
  %m1 = arith.constant -1 : i8
  %d = arith.extsi %m1 : i8 to i64
  // expected-error @+1 {{a signed division by a value that is not a constant other than 0 and -1}}
  %q = arith.floordivsi %a, %d : i64
  return %q : i64
}

// -----

func.func @main(%a: i64) -> i64 {
  %z = arith.constant 0 : i8
  %d = arith.extui %z : i8 to i64
  // expected-error @+1 {{an unsigned division by a value that is not a constant other than 0}}
  %q = arith.divui %a, %d : i64
  return %q : i64
}

// -----

// Shapes whose byte size wraps 64 bits.
// expected-error @+1 {{an argument of type tensor<4611686018427387904x4xi32> has more than 2^40 bytes}}
func.func @main(%x: tensor<4611686018427387904x4xi32>) -> tensor<4611686018427387904x4xi32> {
  return %x : tensor<4611686018427387904x4xi32>
}

// -----

// A cast through a dynamic shape would give 4 elements a shape of 4096.
func.func @main(%x: tensor<4xf32>) -> f32 {
  // expected-error @+1 {{not accepted in a model: a result of type tensor<?xf32> has a dynamic shape}}
  %d = tensor.cast %x : tensor<4xf32> to tensor<?xf32>
  %big = tensor.cast %d : tensor<?xf32> to tensor<4096xf32>
  %c = arith.constant 4000 : index
  %v = tensor.extract %big[%c] : tensor<4096xf32>
  return %v : f32
}

// -----

// tosa.intdiv becomes arith.divsi only when lowered.
func.func @main(%a: tensor<4xi32>, %b: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{a division by a tensor that is not a constant without 0 and -1}}
  %q = tosa.intdiv %a, %b : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  return %q : tensor<4xi32>
}

// -----

// linalg checks a map at the first and last iteration only: with `mod`
// the middle one reads element 100000 of a 1-element tensor.
#in = affine_map<(d0) -> ((d0 mod 2) * 100000)>
#out = affine_map<(d0) -> (d0)>
func.func @main(%x: tensor<1xi32>) -> tensor<3xi32> {
  %e = tensor.empty() : tensor<3xi32>
  // expected-error @+1 {{an indexing map ((d0) -> ((d0 mod 2) * 100000)) that is not a sum of non-negative multiples of loop indices}}
  %y = linalg.generic {indexing_maps = [#in, #out], iterator_types = ["parallel"]}
      ins(%x : tensor<1xi32>) outs(%e : tensor<3xi32>) {
  ^bb0(%a: i32, %b: i32):
    linalg.yield %a : i32
  } -> tensor<3xi32>
  return %y : tensor<3xi32>
}

// -----

// Recursion never ends, or overflows the stack.
// expected-error @+1 {{not accepted in a model: function 'f' calls itself}}
func.func private @f(%x: tensor<4xi32>) -> tensor<4xi32> {
  %y = call @f(%x) : (tensor<4xi32>) -> tensor<4xi32>
  return %y : tensor<4xi32>
}
// expected-error @+1 {{not accepted in a model: function 'main' calls itself}}
func.func @main(%x: tensor<4xi32>) -> tensor<4xi32> {
  %y = call @main(%x) : (tensor<4xi32>) -> tensor<4xi32>
  return %y : tensor<4xi32>
}

// -----

// What models are made of passes: constant indices inside the tensor,
// static slices, constant divisors (also widened ones), a convolution's maps
// (d0 + d1).
func.func @main(%t: tensor<4xi32>) -> (i32, tensor<2xi32>, i32, tensor<4xi32>, tensor<3xi32>) {
  %c3 = arith.constant 3 : index
  %c2 = arith.constant 2 : i32
  %v = tensor.extract %t[%c3] : tensor<4xi32>
  %s = tensor.extract_slice %t[1] [2] [1] : tensor<4xi32> to tensor<2xi32>
  %q = arith.divsi %v, %c2 : i32
  // -1 zero-extended is 255: a pooling divisor as linalg writes it.
  %m1 = arith.constant -1 : i8
  %wide = arith.extui %m1 : i8 to i32
  %q2 = arith.floordivsi %q, %wide : i32
  %d = "tosa.const"() <{values = dense<[2, 3, -2, 7]> : tensor<4xi32>}> : () -> tensor<4xi32>
  %idiv = tosa.intdiv %t, %d : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %w = arith.constant dense<1> : tensor<2xi32>
  %e = arith.constant dense<0> : tensor<3xi32>
  %conv = linalg.conv_1d ins(%t, %w : tensor<4xi32>, tensor<2xi32>) outs(%e : tensor<3xi32>) -> tensor<3xi32>
  return %v, %s, %q2, %idiv, %conv : i32, tensor<2xi32>, i32, tensor<4xi32>, tensor<3xi32>
}

// -----

// What the library's wrapper trusts (its workspace size, its entry points) is
// written by Pike's own passes: a model that carries it is refused.
// expected-error @+1 {{not accepted in a model: attribute 'pike.workspace_bytes' is written by Pike's library build, not by a model}}
func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> attributes {pike.workspace_bytes = 0 : i64} {
  return %x : tensor<4xf32>
}

// -----

// expected-error @+1 {{not accepted in a model: attribute 'pike.c_interface' is written by Pike's library build, not by a model}}
func.func private @helper(%x: tensor<4xf32>) -> tensor<4xf32> attributes {pike.c_interface = {symbol = "x"}} {
  return %x : tensor<4xf32>
}

// -----

// A function's other attributes would be copied onto its LLVM function: a
// section (.init_array runs the function's bytes at load), target features
// past the library's CPU check, passthrough attributes, a garbage collector.
// expected-error @+1 {{not accepted in a model: attribute 'section' is not one a model may carry (only pike.* and pike_onnx.* attributes)}}
func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> attributes {section = ".init_array"} {
  return %x : tensor<4xf32>
}

// -----

// expected-error @+1 {{not accepted in a model: attribute 'passthrough' is not one a model may carry}}
func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> attributes {passthrough = ["noreturn"]} {
  return %x : tensor<4xf32>
}

// -----

// expected-error @+1 {{not accepted in a model: attribute 'llvm.target_triple' is not one a model may carry}}
module attributes {llvm.target_triple = "aarch64-linux-gnu"} {
  func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
    return %x : tensor<4xf32>
  }
}

// -----

// expected-error @+1 {{not accepted in a model: attribute 'llvm.noalias' is not one a model may carry (only pike.* and pike_onnx.* attributes) (argument 0)}}
func.func @main(%x: tensor<4xf32> {llvm.noalias}) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}
