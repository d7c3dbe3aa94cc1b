// RUN: pike-opt %s --split-input-file --verify-diagnostics --pike-instrument-layers | FileCheck %s

// A mark starts the function, follows each row of the ACEv2 report (its
// index: the conv is row 0, the quant_norm row 1; the reshape moves data and
// is no row), and precedes the return.
// CHECK-LABEL: func.func @conv_requant
// CHECK-NEXT:    %[[START:.*]] = arith.constant -1 : i64
// CHECK-NEXT:    call @pike_profile_mark(%[[START]]) : (i64) -> ()
// CHECK-NEXT:    %[[ACC:.*]] = pike.conv2d
// CHECK-NEXT:    %[[ID0:.*]] = arith.constant 0 : i64
// CHECK-NEXT:    call @pike_profile_mark(%[[ID0]])
// CHECK-NEXT:    %[[Q:.*]] = pike.quant_norm %[[ACC]]
// CHECK-NEXT:    %[[ID1:.*]] = arith.constant 1 : i64
// CHECK-NEXT:    call @pike_profile_mark(%[[ID1]])
// CHECK-NEXT:    tensor.collapse_shape %[[Q]]
// CHECK-NEXT:    %[[END:.*]] = arith.constant -2 : i64
// CHECK-NEXT:    call @pike_profile_mark(%[[END]])
// CHECK-NEXT:    return
// CHECK:       func.func private @pike_profile_mark(i64)
func.func @conv_requant(%x: tensor<1x4x4x2xi4>, %w: tensor<3x3x3x2xi4>) -> tensor<16x3xi4> {
  %a = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, input_unsigned} : (tensor<1x4x4x2xi4>, tensor<3x3x3x2xi4>) -> tensor<1x4x4x3xi32>
  %q = pike.quant_norm %a {multiplier = #pike.fixed_point<bits = 8, multipliers = [97, 121, 64], shifts = [14]>, bias = array<i64: 1024, -512, 0>, output_unsigned} : tensor<1x4x4x3xi32> -> tensor<1x4x4x3xi4>
  %r = tensor.collapse_shape %q [[0, 1, 2], [3]] : tensor<1x4x4x3xi4> into tensor<16x3xi4>
  return %r : tensor<16x3xi4>
}

// -----

// The timer's name is taken: the module is refused, not timed by its own
// function.
// expected-error @+1 {{the module defines @pike_profile_mark, the name the layer timer takes}}
func.func @pike_profile_mark(%id: i64) {
  return
}
