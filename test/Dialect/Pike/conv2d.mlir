// RUN: pike-opt %s | pike-opt | FileCheck %s

// CHECK-LABEL: func @conv3x3
// CHECK: pike.conv2d %arg0, %arg1 {input_unsigned, padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x8x8x16xi4>, tensor<32x3x3x16xi4>) -> tensor<1x8x8x32xi32>
func.func @conv3x3(%x: tensor<1x8x8x16xi4>, %w: tensor<32x3x3x16xi4>) -> tensor<1x8x8x32xi32> {
  %acc = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, input_unsigned} : (tensor<1x8x8x16xi4>, tensor<32x3x3x16xi4>) -> tensor<1x8x8x32xi32>
  return %acc : tensor<1x8x8x32xi32>
}

// Strided first layer with bias and zero points (u8 image, zero point 128).
// CHECK-LABEL: func @strided_bias
// CHECK: pike.conv2d %arg0, %arg1, %arg2 {input_unsigned, input_zp = 128 : i64, padding = array<i64: 0, 1, 0, 1>, strides = array<i64: 2, 2>}
// CHECK-SAME: -> tensor<1x112x112x32xi32>
func.func @strided_bias(%x: tensor<1x224x224x3xi8>, %w: tensor<32x3x3x3xi8>, %b: tensor<32xi32>) -> tensor<1x112x112x32xi32> {
  %acc = pike.conv2d %x, %w, %b {strides = array<i64: 2, 2>, padding = array<i64: 0, 1, 0, 1>, input_zp = 128, input_unsigned} : (tensor<1x224x224x3xi8>, tensor<32x3x3x3xi8>, tensor<32xi32>) -> tensor<1x112x112x32xi32>
  return %acc : tensor<1x112x112x32xi32>
}

// Depthwise: groups == channels, one input channel per filter.
// CHECK-LABEL: func @depthwise
// CHECK: pike.conv2d %arg0, %arg1 {groups = 32 : i64, {{.*}}} : (tensor<1x56x56x32xi4>, tensor<32x3x3x1xi4>) -> tensor<1x28x28x32xi32>
func.func @depthwise(%x: tensor<1x56x56x32xi4>, %w: tensor<32x3x3x1xi4>) -> tensor<1x28x28x32xi32> {
  %acc = pike.conv2d %x, %w {strides = array<i64: 2, 2>, padding = array<i64: 0, 1, 0, 1>, groups = 32} : (tensor<1x56x56x32xi4>, tensor<32x3x3x1xi4>) -> tensor<1x28x28x32xi32>
  return %acc : tensor<1x28x28x32xi32>
}

// Grouped convolution with dilation; a 16-bit accumulator that is provably
// wide enough (s4 x s4 = at most 64 per product, 18 products).
// CHECK-LABEL: func @grouped_dilated
// CHECK: pike.conv2d %arg0, %arg1 {dilations = array<i64: 2, 2>, groups = 4 : i64, padding = array<i64: 2, 2, 2, 2>, strides = array<i64: 1, 1>} : (tensor<2x9x9x8xi4>, tensor<8x3x3x2xi4>) -> tensor<2x9x9x8xi16>
func.func @grouped_dilated(%x: tensor<2x9x9x8xi4>, %w: tensor<8x3x3x2xi4>) -> tensor<2x9x9x8xi16> {
  %acc = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 2, 2, 2, 2>, dilations = array<i64: 2, 2>, groups = 4} : (tensor<2x9x9x8xi4>, tensor<8x3x3x2xi4>) -> tensor<2x9x9x8xi16>
  return %acc : tensor<2x9x9x8xi16>
}
