// RUN: pike-opt %s -split-input-file -verify-diagnostics

func.func @rank(%x: tensor<7x7x8xi8>) {
  // expected-error @+1 {{'pike.avg_pool2d' op expects rank-4 NHWC input and result, got ranks 3 and 4}}
  %y = pike.avg_pool2d %x {kernel = array<i64: 7, 7>} : tensor<7x7x8xi8> -> tensor<1x1x1x8xi8>
  return
}

// -----

func.func @element_type(%x: tensor<1x7x7x8xi8>) {
  // expected-error @+1 {{'pike.avg_pool2d' op result element type 'i32' differs from the input's 'i8'}}
  %y = pike.avg_pool2d %x {kernel = array<i64: 7, 7>} : tensor<1x7x7x8xi8> -> tensor<1x1x1x8xi32>
  return
}

// -----

func.func @kernel_size(%x: tensor<1x7x7x8xi8>) {
  // expected-error @+1 {{'pike.avg_pool2d' op kernel needs 2 values, got 1}}
  %y = pike.avg_pool2d %x {kernel = array<i64: 7>} : tensor<1x7x7x8xi8> -> tensor<1x1x1x8xi8>
  return
}

// -----

func.func @kernel_too_large(%x: tensor<1x7x7x8xi8>) {
  // expected-error @+1 {{'pike.avg_pool2d' op window of 8 along height does not fit the padded input of 7}}
  %y = pike.avg_pool2d %x {kernel = array<i64: 8, 8>} : tensor<1x7x7x8xi8> -> tensor<1x1x1x8xi8>
  return
}

// -----

func.func @result_shape(%x: tensor<1x8x8x4xf32>) {
  // expected-error @+1 {{'pike.avg_pool2d' op result height is 8, expected 4}}
  %y = pike.avg_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x8x8x4xf32> -> tensor<1x8x8x4xf32>
  return
}

// -----

func.func @result_channels(%x: tensor<1x8x8x4xf32>) {
  // expected-error @+1 {{'pike.avg_pool2d' op result channels is 2, expected 4}}
  %y = pike.avg_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x8x8x4xf32> -> tensor<1x4x4x2xf32>
  return
}

// -----

func.func @real_zero_point(%x: tensor<1x7x7x8xf32>) {
  // expected-error @+1 {{'pike.avg_pool2d' op zero points and signedness apply to integer pooling only}}
  %y = pike.avg_pool2d %x {kernel = array<i64: 7, 7>, input_zp = 3} : tensor<1x7x7x8xf32> -> tensor<1x1x1x8xf32>
  return
}

// -----

func.func @int_zero_point(%x: tensor<1x7x7x8xi4>) {
  // expected-error @+1 {{'pike.avg_pool2d' op output_zp (16) is outside [0, 15], the range of unsigned 'i4'}}
  %y = pike.avg_pool2d %x {kernel = array<i64: 7, 7>, output_zp = 16, input_unsigned} : tensor<1x7x7x8xi4> -> tensor<1x1x1x8xi4>
  return
}

// -----

func.func @input_zero_point(%x: tensor<1x7x7x8xi4>) {
  // expected-error @+1 {{'pike.avg_pool2d' op input_zp (-9) is outside [-8, 7], the range of signed 'i4'}}
  %y = pike.avg_pool2d %x {kernel = array<i64: 7, 7>, input_zp = -9} : tensor<1x7x7x8xi4> -> tensor<1x1x1x8xi4>
  return
}

// -----

func.func @max_pool_padding(%x: tensor<1x8x8x4xi8>) {
  // expected-error @+1 {{'pike.max_pool2d' op padding must be smaller than the kernel, so every window sees the input}}
  %y = pike.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = array<i64: 2, 0, 0, 0>} : tensor<1x8x8x4xi8> -> tensor<1x5x4x4xi8>
  return
}

// -----

func.func @max_pool_negative_padding(%x: tensor<1x8x8x4xi8>) {
  // expected-error @+1 {{'pike.max_pool2d' op padding value -1 is below the minimum 0}}
  %y = pike.max_pool2d %x {kernel = array<i64: 2, 2>, padding = array<i64: -1, 0, 0, 0>} : tensor<1x8x8x4xi8> -> tensor<1x7x7x4xi8>
  return
}

// -----

func.func @max_pool_real_unsigned(%x: tensor<1x8x8x4xf32>) {
  // expected-error @+1 {{'pike.max_pool2d' op input_unsigned applies to integer tensors only}}
  %y = pike.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, input_unsigned} : tensor<1x8x8x4xf32> -> tensor<1x4x4x4xf32>
  return
}

// -----

func.func @max_pool_stride(%x: tensor<1x8x8x4xi8>) {
  // expected-error @+1 {{'pike.max_pool2d' op strides value 0 is below the minimum 1}}
  %y = pike.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 0, 2>} : tensor<1x8x8x4xi8> -> tensor<1x4x4x4xi8>
  return
}

// -----

func.func @avg_pool_padding(%x: tensor<1x8x8x4xi8>) {
  // expected-error @+1 {{'pike.avg_pool2d' op padding must be smaller than the kernel, so every window sees the input}}
  %y = pike.avg_pool2d %x {kernel = array<i64: 2, 2>, padding = array<i64: 0, 0, 0, 2>, count_include_pad} : tensor<1x8x8x4xi8> -> tensor<1x7x9x4xi8>
  return
}

// -----

// In ceil mode 6 rows, kernel 3, stride 2 give 3 windows, not floor's 2.
func.func @avg_pool_ceil_size(%x: tensor<1x6x6x4xf32>) {
  // expected-error @+1 {{'pike.avg_pool2d' op result height is 2, expected 3}}
  %y = pike.avg_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, ceil_mode} : tensor<1x6x6x4xf32> -> tensor<1x2x2x4xf32>
  return
}

// -----

// An average rounds half up or half to even, nothing else.
func.func @avg_pool_rounding(%x: tensor<1x4x4x8xi8>) {
  // expected-error @+2 {{expected ::mlir::pike::AverageRounding to be one of: half_up, half_even}}
  // expected-error @+1 {{failed to parse Pike_AverageRoundingAttr parameter 'value'}}
  %y = pike.avg_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, rounding = #pike<average_rounding half_down>} : tensor<1x4x4x8xi8> -> tensor<1x2x2x8xi8>
  return
}

// -----

// The rounding is the enum attribute, not a string.
func.func @avg_pool_rounding_string(%x: tensor<1x4x4x8xi8>) {
  // expected-error @+1 {{'pike.avg_pool2d' op attribute 'rounding' failed to satisfy constraint: rounding of an integer average sum / n}}
  %y = pike.avg_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, rounding = "half_even"} : tensor<1x4x4x8xi8> -> tensor<1x2x2x8xi8>
  return
}
