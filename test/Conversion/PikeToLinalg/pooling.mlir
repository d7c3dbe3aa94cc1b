// RUN: pike-opt %s --split-input-file --convert-pike-to-linalg | FileCheck %s

// Integer average: exact i32 sum, then floor((2 * sum + n) / (2 * n)).
// CHECK-LABEL: func @avg_int
// CHECK: linalg.pooling_nhwc_sum {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins({{.*}} : tensor<1x7x7x8xi32>, tensor<7x7xi32>)
// CHECK-DAG: arith.constant 49 : i7
// CHECK-DAG: arith.constant 98 : i8
// CHECK: arith.floordivsi
func.func @avg_int(%x: tensor<1x7x7x8xi4>) -> tensor<1x1x1x8xi4> {
  %g = pike.avg_pool2d %x {kernel = array<i64: 7, 7>, input_unsigned} : tensor<1x7x7x8xi4> -> tensor<1x1x1x8xi4>
  return %g : tensor<1x1x1x8xi4>
}

// -----

// Max pooling works on the element type; padding is its lowest value.
// CHECK-LABEL: func @max_int
// CHECK: %[[LOW:.*]] = arith.constant -128 : i8
// CHECK: tensor.pad {{.*}} low[0, 1, 1, 0] high[0, 1, 1, 0]
// CHECK:   tensor.yield %[[LOW]] : i8
// CHECK: linalg.pooling_nhwc_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
// CHECK-SAME: -> tensor<1x4x4x4xi8>
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

// -----

// CHECK-LABEL: func @max_unsigned
// CHECK: linalg.pooling_nhwc_max_unsigned
func.func @max_unsigned(%x: tensor<1x4x4x2xi4>) -> tensor<1x2x2x2xi4> {
  %m = pike.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, input_unsigned} : tensor<1x4x4x2xi4> -> tensor<1x2x2x2xi4>
  return %m : tensor<1x2x2x2xi4>
}
