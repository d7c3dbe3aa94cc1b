// A module with no pike op: the analysis still attaches its pike.cost
// attributes (the pike dialect is loaded by the pass, not by the input).
// RUN: pike-opt %s --pike-acev2 | FileCheck %s
// CHECK-LABEL: func @only_tosa
// CHECK: tosa.rescale {{.*}}pike.cost = {ace = 0 : i64, acev2 = {{[1-9][0-9]*}} : i64
func.func @only_tosa(%x: tensor<4xi32>) -> tensor<4xi8> {
  %m = "tosa.const"() <{values = dense<1073741824> : tensor<1xi32>}> : () -> tensor<1xi32>
  %s = "tosa.const"() <{values = dense<31> : tensor<1xi8>}> : () -> tensor<1xi8>
  %izp = "tosa.const"() <{values = dense<0> : tensor<1xi32>}> : () -> tensor<1xi32>
  %ozp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %r = tosa.rescale %x, %m, %s, %izp, %ozp {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = SINGLE_ROUND, scale32 = true} : (tensor<4xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<4xi8>
  return %r : tensor<4xi8>
}
