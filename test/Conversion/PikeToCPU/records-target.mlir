// pike-lower-vector-dots records on the module the target the code is built
// for, which pike-translate holds an AOT library's CPU check to.
// RUN: pike-opt %s --pike-lower-vector-dots=target=vector | FileCheck %s --check-prefix=VECTOR
// RUN: pike-opt %s --pike-lower-vector-dots=target=aarch64 | FileCheck %s --check-prefix=AARCH64
// VECTOR: module attributes {pike.target = "vector"}
// AARCH64: module attributes {pike.target = "aarch64"}
func.func @f() {
  return
}
