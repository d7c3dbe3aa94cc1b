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

// -----

// Zero padding that counts (inception_v3's avg_pool2d(x, 3, 1, 1)): the
// centered integers are padded with 0 (the zero point), every window's
// divisor is 9: floor((2 * sum + 9) / 18).
// CHECK-LABEL: func @avg_counted_padding
// CHECK: %[[ZERO:.*]] = arith.constant 0 : i32
// CHECK: tensor.pad {{.*}} low[0, 1, 1, 0] high[0, 1, 1, 0]
// CHECK:   tensor.yield %[[ZERO]] : i32
// CHECK: linalg.pooling_nhwc_sum {{.*}} ins({{.*}} : tensor<1x6x6x2xi32>, tensor<3x3xi32>)
// CHECK-DAG: arith.constant 9 : i5
// CHECK-DAG: arith.constant 18 : i6
// CHECK: arith.floordivsi
func.func @avg_counted_padding(%x: tensor<1x4x4x2xi8>) -> tensor<1x4x4x2xi8> {
  %g = pike.avg_pool2d %x {kernel = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>, count_include_pad, input_zp = -128, output_zp = -128} : tensor<1x4x4x2xi8> -> tensor<1x4x4x2xi8>
  return %g : tensor<1x4x4x2xi8>
}

// -----

// Padding that does not count: the divisor of window (h, w) is
// rows[h] * columns[w], the input positions each window covers: with 4
// rows, kernel 3, padding 1, windows start at -1, 0, 1, 2 and cover 2, 3,
// 3, 2 rows; the 2 unpadded columns cover 3 each.
// CHECK-LABEL: func @avg_excluded_padding
// CHECK: linalg.pooling_nhwc_sum
// CHECK: %[[ROWS:.*]] = arith.constant dense<[2, 3, 3, 2]> : tensor<4xi3>
// CHECK: %[[COLS:.*]] = arith.constant dense<3> : tensor<2xi3>
// CHECK: linalg.generic {{.*}} ins({{.*}}, %[[ROWS]], %[[COLS]] : tensor<1x4x2x2xi32>, tensor<4xi3>, tensor<2xi3>)
// CHECK: ^bb0(%{{.*}}: i32, %[[R:.*]]: i3, %[[C:.*]]: i3, %{{.*}}: i8):
// CHECK: %[[RW:.*]] = arith.extsi %[[R]] : i3 to i64
// CHECK: %[[CW:.*]] = arith.extsi %[[C]] : i3 to i64
// CHECK: %[[N:.*]] = arith.muli %[[RW]], %[[CW]] : i64
// CHECK: %[[NUM:.*]] = arith.addi %{{.*}}, %[[N]] : i64
// CHECK: %[[DEN:.*]] = arith.muli %[[N]], %{{.*}} : i64
// CHECK: arith.floordivsi %[[NUM]], %[[DEN]] : i64
func.func @avg_excluded_padding(%x: tensor<1x4x4x2xi8>) -> tensor<1x4x2x2xi8> {
  %g = pike.avg_pool2d %x {kernel = array<i64: 3, 3>, padding = array<i64: 1, 1, 0, 0>} : tensor<1x4x4x2xi8> -> tensor<1x4x2x2xi8>
  return %g : tensor<1x4x2x2xi8>
}

// -----

// Ceil mode: 4 rows, kernel 3, stride 2 give 2 windows, the second at rows
// 2..4 of which row 4 is extra end padding: it is added, and never counted
// (divisors 3 and 2 per axis).
// CHECK-LABEL: func @avg_ceil_real
// CHECK: tensor.pad {{.*}} low[0, 0, 0, 0] high[0, 1, 1, 0]
// CHECK: linalg.pooling_nhwc_sum {{.*}} strides = dense<2> {{.*}} ins({{.*}} : tensor<1x5x5x2xf32>, tensor<3x3xf32>)
// CHECK: arith.constant dense<[3.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK: arith.constant dense<[3.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK: arith.mulf
// CHECK: arith.divf
func.func @avg_ceil_real(%x: tensor<1x4x4x2xf32>) -> tensor<1x2x2x2xf32> {
  %g = pike.avg_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, ceil_mode} : tensor<1x4x4x2xf32> -> tensor<1x2x2x2xf32>
  return %g : tensor<1x2x2x2xf32>
}

// -----

// Ties to even, exactly in integers: q = floor(sum / n), r = sum - q * n,
// then q + 1 when 2r > n or when 2r == n and q is odd (the low bit of q).
// CHECK-LABEL: func @avg_half_even
// CHECK: linalg.pooling_nhwc_sum
// CHECK: ^bb0(%[[IN:.*]]: i32, %{{.*}}: i8):
// CHECK: %[[S:.*]] = arith.extsi %[[IN]] : i32 to i64
// CHECK: %[[N:.*]] = arith.extsi %{{.*}} : i4 to i64
// CHECK: %[[Q:.*]] = arith.floordivsi %[[S]], %[[N]] : i64
// CHECK: %[[QN:.*]] = arith.muli %[[Q]], %[[N]] : i64
// CHECK: %[[R:.*]] = arith.subi %[[S]], %[[QN]] : i64
// CHECK: %[[R2:.*]] = arith.muli %[[R]], %{{.*}} : i64
// CHECK: %[[ABOVE:.*]] = arith.cmpi sgt, %[[R2]], %[[N]] : i64
// CHECK: %[[TIE:.*]] = arith.cmpi eq, %[[R2]], %[[N]] : i64
// CHECK: %[[ODD:.*]] = arith.trunci %[[Q]] : i64 to i1
// CHECK: %[[TIEODD:.*]] = arith.andi %[[TIE]], %[[ODD]] : i1
// CHECK: %[[UP:.*]] = arith.ori %[[ABOVE]], %[[TIEODD]] : i1
// CHECK: %[[ONE:.*]] = arith.extui %[[UP]] : i1 to i64
// CHECK: arith.addi %[[Q]], %[[ONE]] : i64
func.func @avg_half_even(%x: tensor<1x4x4x8xi8>) -> tensor<1x2x2x8xi8> {
  %g = pike.avg_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, rounding = #pike<average_rounding half_even>} : tensor<1x4x4x8xi8> -> tensor<1x2x2x8xi8>
  return %g : tensor<1x2x2x8xi8>
}

// -----

// Per-window divisors round half to even the same way, n = rows[h] * columns[w].
// CHECK-LABEL: func @avg_half_even_excluded_padding
// CHECK: ^bb0(%{{.*}}: i32, %[[R:.*]]: i3, %[[C:.*]]: i3, %{{.*}}: i8):
// CHECK: %[[RW:.*]] = arith.extsi %[[R]] : i3 to i64
// CHECK: %[[CW:.*]] = arith.extsi %[[C]] : i3 to i64
// CHECK: %[[N:.*]] = arith.muli %[[RW]], %[[CW]] : i64
// CHECK: %[[Q:.*]] = arith.floordivsi %{{.*}}, %[[N]] : i64
// CHECK: arith.cmpi eq, %{{.*}}, %[[N]] : i64
// CHECK: arith.trunci %[[Q]] : i64 to i1
func.func @avg_half_even_excluded_padding(%x: tensor<1x4x4x2xi8>) -> tensor<1x4x2x2xi8> {
  %g = pike.avg_pool2d %x {kernel = array<i64: 3, 3>, padding = array<i64: 1, 1, 0, 0>, rounding = #pike<average_rounding half_even>} : tensor<1x4x4x2xi8> -> tensor<1x4x2x2xi8>
  return %g : tensor<1x4x2x2xi8>
}
