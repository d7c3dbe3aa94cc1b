// The affine path: pike -> linalg -> bufferized affine loops, so affine and
// polyhedral tools can take the result.
// RUN: pike-opt %s --pike-lower-to-affine | FileCheck %s

// CHECK-LABEL: func @block
// CHECK-SAME: (%{{.*}}: memref<1x6x6x2xi8>) -> memref<1x6x6x4xi4>
// CHECK: affine.for %{{.*}} = 0 to 1 {
// CHECK: affine.load
// CHECK: affine.store
// CHECK-NOT: linalg.
// CHECK-NOT: pike.
func.func @block(%x: tensor<1x6x6x2xi8>) -> tensor<1x6x6x4xi4> {
  %w = arith.constant dense<2> : tensor<4x3x3x2xi8>
  %acc = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>} : (tensor<1x6x6x2xi8>, tensor<4x3x3x2xi8>) -> tensor<1x6x6x4xi32>
  %q = pike.quant_norm %acc {multiplier = #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [36]>, output_unsigned} : tensor<1x6x6x4xi32> -> tensor<1x6x6x4xi4>
  return %q : tensor<1x6x6x4xi4>
}
