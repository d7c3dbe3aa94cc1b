// RUN: pike-opt %s --pike-strip-attributes | FileCheck %s

// Pike's attributes leave the module, its ops and its functions' arguments
// and results; other attributes stay.
// CHECK: module {
// CHECK: func.func @main(%{{.*}}: tensor<2xi8> {other.keep}) -> (tensor<2xi8> {other.kept})
// CHECK-NOT: pike.
// CHECK: arith.addi %{{.*}}, %{{.*}} {other.mark}
module attributes {pike.rounding = #pike<rounding half_even>, pike.double_quantize_bits = 8 : i64} {
  func.func @main(%x: tensor<2xi8> {pike.name = "x", other.keep}) -> (tensor<2xi8> {pike.name = "y", pike.unsigned, other.kept}) attributes {pike.source_name = "main"} {
    %y = arith.addi %x, %x {pike.note = 1 : i64, other.mark} : tensor<2xi8>
    return %y : tensor<2xi8>
  }
}
