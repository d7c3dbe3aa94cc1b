// RUN: pike-opt %s | pike-opt | FileCheck %s

// Global average pooling of a MobileNet's last feature map.
// CHECK-LABEL: func @global_avg
// CHECK: pike.avg_pool2d %arg0 {input_unsigned, kernel = array<i64: 7, 7>} : tensor<1x7x7x1024xi4> -> tensor<1x1x1x1024xi4>
func.func @global_avg(%x: tensor<1x7x7x1024xi4>) -> tensor<1x1x1x1024xi4> {
  %g = pike.avg_pool2d %x {kernel = array<i64: 7, 7>, strides = array<i64: 1, 1>, input_unsigned} : tensor<1x7x7x1024xi4> -> tensor<1x1x1x1024xi4>
  return %g : tensor<1x1x1x1024xi4>
}

// CHECK-LABEL: func @strided_avg_real
// CHECK: pike.avg_pool2d %arg0 {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x8x8x4xf32> -> tensor<1x4x4x4xf32>
func.func @strided_avg_real(%x: tensor<1x8x8x4xf32>) -> tensor<1x4x4x4xf32> {
  %g = pike.avg_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x8x8x4xf32> -> tensor<1x4x4x4xf32>
  return %g : tensor<1x4x4x4xf32>
}

// ResNet's stem max pool: 3x3, stride 2, padding 1.
// CHECK-LABEL: func @max_pool
// CHECK: pike.max_pool2d %arg0 {kernel = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : tensor<1x112x112x64xi8> -> tensor<1x56x56x64xi8>
func.func @max_pool(%x: tensor<1x112x112x64xi8>) -> tensor<1x56x56x64xi8> {
  %m = pike.max_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>} : tensor<1x112x112x64xi8> -> tensor<1x56x56x64xi8>
  return %m : tensor<1x56x56x64xi8>
}

// inception_v3's avg_pool2d(x, 3, 1, 1): zero padding that counts.
// CHECK-LABEL: func @padded_avg
// CHECK: pike.avg_pool2d %arg0 {count_include_pad, input_zp = -128 : i64, kernel = array<i64: 3, 3>, output_zp = -128 : i64, padding = array<i64: 1, 1, 1, 1>} : tensor<1x35x35x192xi8> -> tensor<1x35x35x192xi8>
func.func @padded_avg(%x: tensor<1x35x35x192xi8>) -> tensor<1x35x35x192xi8> {
  %g = pike.avg_pool2d %x {kernel = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>, count_include_pad, input_zp = -128, output_zp = -128} : tensor<1x35x35x192xi8> -> tensor<1x35x35x192xi8>
  return %g : tensor<1x35x35x192xi8>
}

// Ceil mode: ceil((6 - 3) / 2) + 1 = 3 windows where floor gives 2.
// CHECK-LABEL: func @ceil_avg
// CHECK: pike.avg_pool2d %arg0 {ceil_mode, kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>} : tensor<1x6x6x4xf32> -> tensor<1x3x3x4xf32>
func.func @ceil_avg(%x: tensor<1x6x6x4xf32>) -> tensor<1x3x3x4xf32> {
  %g = pike.avg_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, ceil_mode} : tensor<1x6x6x4xf32> -> tensor<1x3x3x4xf32>
  return %g : tensor<1x3x3x4xf32>
}

// The rounding of an integer average: half_up (the default) is not printed,
// half_even is.
// CHECK-LABEL: func @avg_rounding
// CHECK: pike.avg_pool2d %arg0 {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} :
// CHECK: pike.avg_pool2d %arg0 {kernel = array<i64: 2, 2>, rounding = #pike<average_rounding half_even>, strides = array<i64: 2, 2>} :
func.func @avg_rounding(%x: tensor<1x4x4x8xi8>) -> (tensor<1x2x2x8xi8>, tensor<1x2x2x8xi8>) {
  %u = pike.avg_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, rounding = #pike<average_rounding half_up>} : tensor<1x4x4x8xi8> -> tensor<1x2x2x8xi8>
  %e = pike.avg_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, rounding = #pike<average_rounding half_even>} : tensor<1x4x4x8xi8> -> tensor<1x2x2x8xi8>
  return %u, %e : tensor<1x2x2x8xi8>, tensor<1x2x2x8xi8>
}
