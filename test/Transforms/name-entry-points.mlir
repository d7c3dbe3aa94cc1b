// RUN: pike-opt %s --split-input-file --pike-name-entry-points=prefix=lib -verify-diagnostics | FileCheck %s

// The mapping of docs/Security.md: valid unique names stay, the rest get `_`
// spellings, `m_` and numbers, unique ignoring case; calls follow the
// rename; a public function keeps its name as the model wrote it.
// CHECK-LABEL: func.func @lib__main(
// CHECK-SAME: pike.source_name = "main"
// CHECK: call @lib__m_1f
// CHECK-LABEL: func.func @lib__MAIN_2(
// CHECK-SAME: pike.source_name = "MAIN"
// CHECK-LABEL: func.func private @lib__m_1f(
// CHECK-NOT: pike.source_name
// CHECK-LABEL: func.func @lib__m_check_cpu(
// CHECK-LABEL: func.func @lib__x__y(
// CHECK-SAME: pike.source_name = "x*/y"
func.func @main(%x: i32) -> i32 {
  %y = call @"1f"(%x) : (i32) -> i32
  return %y : i32
}
func.func @MAIN(%x: i32) -> i32 {
  return %x : i32
}
func.func private @"1f"(%x: i32) -> i32 {
  return %x : i32
}
func.func @check_cpu(%x: i32) -> i32 {
  return %x : i32
}
func.func @"x*/y"(%x: i32) -> i32 {
  return %x : i32
}

// -----

// A function already named like another's new name is not in the way.
// CHECK-LABEL: func.func @lib__lib__a(
// CHECK-LABEL: func.func @lib__a(
func.func @lib__a(%x: i32) -> i32 {
  return %x : i32
}
func.func @a(%x: i32) -> i32 {
  return %x : i32
}

// -----

// A model cannot call code outside itself.
// expected-error @+1 {{function 'system' has no body: a model cannot call code outside itself}}
func.func private @system(i64) -> i32

// -----

// RUN: not pike-opt %s --split-input-file --pike-name-entry-points=prefix=a__b 2>&1 | FileCheck %s --check-prefix=PREFIX
// PREFIX: error: prefix 'a__b' is not a C identifier without '__'
func.func @f() {
  return
}

// -----

// A public function records its C interface for the library emitter
// (pike-translate): the entry point, and each tensor's name (pike.name, or
// input<i> / output<i> when it has none or an empty one), type and
// signedness; the module records the prefix. Private functions do not.
// CHECK: module attributes {pike.c_prefix = "lib"}
// CHECK-LABEL: func.func @lib__main(
// CHECK-SAME: pike.c_interface = {inputs = [{name = "im\22age", type = tensor<1x4xf32>}, {name = "input1", type = tensor<2xi8>}], outputs = [{name = "y", type = tensor<4xi8>, unsigned}], symbol = "lib_main"}
// CHECK-LABEL: func.func private @lib__helper(
// CHECK-NOT: pike.c_interface
func.func @main(%x: tensor<1x4xf32> {pike.name = "im\22age"}, %z: tensor<2xi8> {pike.name = ""}) -> (tensor<4xi8> {pike.name = "y", pike.unsigned}) {
  %y = call @helper(%z) : (tensor<2xi8>) -> tensor<4xi8>
  return %y : tensor<4xi8>
}
func.func private @helper(%z: tensor<2xi8>) -> tensor<4xi8> {
  %c = arith.constant dense<1> : tensor<4xi8>
  return %c : tensor<4xi8>
}
