// RUN: pike-opt %s | pike-opt | FileCheck %s

// CHECK-LABEL: func @activations
// CHECK: pike.activation %arg0 {kind = #pike<activation sigmoid>} : tensor<1x8xf32>
// CHECK: pike.activation %{{.*}} {alpha = 2.500000e-01 : f64, beta = 4.000000e-01 : f64, kind = #pike<activation hard_sigmoid>} : tensor<1x8xf32>
// CHECK: pike.activation %{{.*}} {alpha = 1.000000e-01 : f64, kind = #pike<activation leaky_relu>} : tensor<1x8xf32>
// CHECK: pike.activation %{{.*}} {kind = #pike<activation gelu>} : tensor<1x8xf32>
func.func @activations(%x: tensor<1x8xf32>) -> tensor<1x8xf32> {
  %a = pike.activation %x {kind = #pike<activation sigmoid>} : tensor<1x8xf32>
  %b = pike.activation %a {kind = #pike<activation hard_sigmoid>, alpha = 0.25 : f64, beta = 0.4 : f64} : tensor<1x8xf32>
  %c = pike.activation %b {kind = #pike<activation leaky_relu>, alpha = 0.1 : f64} : tensor<1x8xf32>
  %d = pike.activation %c {kind = #pike<activation gelu>} : tensor<1x8xf32>
  return %d : tensor<1x8xf32>
}

// A signed 4-bit input has 16 entries, for -8 .. 7.
// CHECK-LABEL: func @table
// CHECK: pike.table %arg0 {output_unsigned, table = array<i64: 0, 0, 1, 1, 2, 3, 4, 6, 8, 10, 12, 13, 14, 15, 15, 15>} : (tensor<4xi4>) -> tensor<4xi4>
func.func @table(%x: tensor<4xi4>) -> tensor<4xi4> {
  %y = pike.table %x {table = array<i64: 0, 0, 1, 1, 2, 3, 4, 6, 8, 10, 12, 13, 14, 15, 15, 15>, output_unsigned} : (tensor<4xi4>) -> tensor<4xi4>
  return %y : tensor<4xi4>
}
