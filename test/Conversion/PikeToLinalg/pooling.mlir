// RUN: pike-opt %s --split-input-file --convert-pike-to-linalg | FileCheck %s

// Integer average: exact i64 sum, then floor((2 * sum + n) / (2 * n)).
// CHECK-LABEL: func @avg_int
// CHECK: linalg.pooling_nhwc_sum {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins({{.*}} : tensor<1x7x7x8xi64>, tensor<7x7xi64>)
// CHECK: arith.constant 49 : i64
// CHECK: arith.constant 98 : i64
// CHECK: arith.floordivsi
func.func @avg_int(%x: tensor<1x7x7x8xi4>) -> tensor<1x1x1x8xi4> {
  %g = pike.avg_pool2d %x {kernel = array<i64: 7, 7>, input_unsigned} : tensor<1x7x7x8xi4> -> tensor<1x1x1x8xi4>
  return %g : tensor<1x1x1x8xi4>
}

// -----

// CHECK-LABEL: func @max_int
// CHECK: tensor.pad {{.*}} low[0, 1, 1, 0] high[0, 1, 1, 0]
// CHECK:   tensor.yield %{{.*}} : i64
// CHECK: linalg.pooling_nhwc_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
func.func @max_int(%x: tensor<1x8x8x4xi8>) -> tensor<1x4x4x4xi8> {
  %m = pike.max_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>} : tensor<1x8x8x4xi8> -> tensor<1x4x4x4xi8>
  return %m : tensor<1x4x4x4xi8>
}

// -----

// CHECK-LABEL: func @avg_real
// CHECK: linalg.pooling_nhwc_sum
// CHECK: arith.divf
func.func @avg_real(%x: tensor<1x4x4x2xf32>) -> tensor<1x2x2x2xf32> {
  %g = pike.avg_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x4x4x2xf32> -> tensor<1x2x2x2xf32>
  return %g : tensor<1x2x2x2xf32>
}
