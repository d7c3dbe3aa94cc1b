// RUN: pike-opt %s -split-input-file -verify-diagnostics

func.func @rank(%x: tensor<8x8x16xi4>, %w: tensor<32x3x3x16xi4>) {
  // expected-error @+1 {{expects rank-4 input (NHWC), weight (OHWI) and result (NHWC), got ranks 3, 4, 4}}
  %a = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>} : (tensor<8x8x16xi4>, tensor<32x3x3x16xi4>) -> tensor<1x8x8x32xi32>
  return
}

// -----

func.func @strides_size(%x: tensor<1x8x8x16xi4>, %w: tensor<32x3x3x16xi4>) {
  // expected-error @+1 {{strides needs 2 values, got 1}}
  %a = pike.conv2d %x, %w {strides = array<i64: 1>, padding = array<i64: 1, 1, 1, 1>} : (tensor<1x8x8x16xi4>, tensor<32x3x3x16xi4>) -> tensor<1x8x8x32xi32>
  return
}

// -----

func.func @zero_stride(%x: tensor<1x8x8x16xi4>, %w: tensor<32x3x3x16xi4>) {
  // expected-error @+1 {{strides value 0 is below the minimum 1}}
  %a = pike.conv2d %x, %w {strides = array<i64: 0, 1>, padding = array<i64: 1, 1, 1, 1>} : (tensor<1x8x8x16xi4>, tensor<32x3x3x16xi4>) -> tensor<1x8x8x32xi32>
  return
}

// -----

func.func @zero_dilation(%x: tensor<1x8x8x16xi4>, %w: tensor<32x3x3x16xi4>) {
  // expected-error @+1 {{dilations value 0 is below the minimum 1}}
  %a = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, dilations = array<i64: 0, 1>} : (tensor<1x8x8x16xi4>, tensor<32x3x3x16xi4>) -> tensor<1x8x8x32xi32>
  return
}

// -----

func.func @negative_padding(%x: tensor<1x8x8x16xi4>, %w: tensor<32x3x3x16xi4>) {
  // expected-error @+1 {{padding value -1 is below the minimum 0}}
  %a = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 1, -1, 1, 1>} : (tensor<1x8x8x16xi4>, tensor<32x3x3x16xi4>) -> tensor<1x8x8x32xi32>
  return
}

// -----

func.func @groups_zero(%x: tensor<1x8x8x16xi4>, %w: tensor<32x3x3x16xi4>) {
  // expected-error @+1 {{groups (0) must be at least 1}}
  %a = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, groups = 0} : (tensor<1x8x8x16xi4>, tensor<32x3x3x16xi4>) -> tensor<1x8x8x32xi32>
  return
}

// -----

func.func @input_channels_groups(%x: tensor<1x8x8x6xi4>, %w: tensor<8x3x3x1xi4>) {
  // expected-error @+1 {{input channels (6) are not divisible by groups (4)}}
  %a = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, groups = 4} : (tensor<1x8x8x6xi4>, tensor<8x3x3x1xi4>) -> tensor<1x8x8x8xi32>
  return
}

// -----

func.func @output_channels_groups(%x: tensor<1x8x8x8xi4>, %w: tensor<6x3x3x2xi4>) {
  // expected-error @+1 {{output channels (6) are not divisible by groups (4)}}
  %a = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, groups = 4} : (tensor<1x8x8x8xi4>, tensor<6x3x3x2xi4>) -> tensor<1x8x8x6xi32>
  return
}

// -----

func.func @weight_channels(%x: tensor<1x8x8x16xi4>, %w: tensor<32x3x3x8xi4>) {
  // expected-error @+1 {{weight input channels (dimension 3) is 8, expected 16}}
  %a = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>} : (tensor<1x8x8x16xi4>, tensor<32x3x3x8xi4>) -> tensor<1x8x8x32xi32>
  return
}

// -----

func.func @depthwise_weight(%x: tensor<1x8x8x16xi4>, %w: tensor<16x3x3x16xi4>) {
  // expected-error @+1 {{weight input channels (dimension 3) is 16, expected 1}}
  %a = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, groups = 16} : (tensor<1x8x8x16xi4>, tensor<16x3x3x16xi4>) -> tensor<1x8x8x16xi32>
  return
}

// -----

func.func @window_too_large(%x: tensor<1x2x2x4xi4>, %w: tensor<4x5x5x4xi4>) {
  // expected-error @+1 {{window of 5 along height does not fit the padded input of 2}}
  %a = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>} : (tensor<1x2x2x4xi4>, tensor<4x5x5x4xi4>) -> tensor<1x1x1x4xi32>
  return
}

// -----

func.func @result_height(%x: tensor<1x8x8x16xi4>, %w: tensor<32x3x3x16xi4>) {
  // expected-error @+1 {{result height is 8, expected 4}}
  %a = pike.conv2d %x, %w {strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>} : (tensor<1x8x8x16xi4>, tensor<32x3x3x16xi4>) -> tensor<1x8x8x32xi32>
  return
}

// -----

func.func @result_channels(%x: tensor<1x8x8x16xi4>, %w: tensor<32x3x3x16xi4>) {
  // expected-error @+1 {{result channels is 16, expected 32}}
  %a = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>} : (tensor<1x8x8x16xi4>, tensor<32x3x3x16xi4>) -> tensor<1x8x8x16xi32>
  return
}

// -----

func.func @result_batch(%x: tensor<2x8x8x16xi4>, %w: tensor<32x3x3x16xi4>) {
  // expected-error @+1 {{result batch is 1, expected 2}}
  %a = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>} : (tensor<2x8x8x16xi4>, tensor<32x3x3x16xi4>) -> tensor<1x8x8x32xi32>
  return
}

// -----

func.func @input_zp(%x: tensor<1x8x8x16xi4>, %w: tensor<32x3x3x16xi4>) {
  // expected-error @+1 {{input_zp (8) is outside [-8, 7], the range of signed 'i4'}}
  %a = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, input_zp = 8} : (tensor<1x8x8x16xi4>, tensor<32x3x3x16xi4>) -> tensor<1x8x8x32xi32>
  return
}

// -----

func.func @weight_zp(%x: tensor<1x8x8x16xi4>, %w: tensor<32x3x3x16xi4>) {
  // expected-error @+1 {{weight_zp (-1) is outside [0, 15], the range of unsigned 'i4'}}
  %a = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, weight_zp = -1, weight_unsigned} : (tensor<1x8x8x16xi4>, tensor<32x3x3x16xi4>) -> tensor<1x8x8x32xi32>
  return
}

// -----

func.func @narrow_accumulator(%x: tensor<1x8x8x16xi8>, %w: tensor<32x3x3x16xi8>) {
  // expected-error @+1 {{accumulator type 'i4' is narrower than its operands}}
  %a = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>} : (tensor<1x8x8x16xi8>, tensor<32x3x3x16xi8>) -> tensor<1x8x8x32xi4>
  return
}

// -----

func.func @accumulator_overflow(%x: tensor<1x8x8x16xi8>, %w: tensor<32x3x3x16xi8>) {
  // 144 products of s8 x s8 reach 144 * 16384 = 2359296, more than i16 holds.
  // expected-error @+1 {{accumulator type 'i16' may overflow: the worst-case sum of 144 products reaches 2359296, which needs 23 bits}}
  %a = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>} : (tensor<1x8x8x16xi8>, tensor<32x3x3x16xi8>) -> tensor<1x8x8x32xi16>
  return
}

// -----

func.func @bias_type(%x: tensor<1x8x8x16xi4>, %w: tensor<32x3x3x16xi4>, %b: tensor<32xi16>) {
  // expected-error @+1 {{bias must be a 1-D tensor of the accumulator type 'i32', got 'tensor<32xi16>'}}
  %a = pike.conv2d %x, %w, %b {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>} : (tensor<1x8x8x16xi4>, tensor<32x3x3x16xi4>, tensor<32xi16>) -> tensor<1x8x8x32xi32>
  return
}

// -----

func.func @bias_size(%x: tensor<1x8x8x16xi4>, %w: tensor<32x3x3x16xi4>, %b: tensor<16xi32>) {
  // expected-error @+1 {{bias size is 16, expected 32}}
  %a = pike.conv2d %x, %w, %b {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>} : (tensor<1x8x8x16xi4>, tensor<32x3x3x16xi4>, tensor<16xi32>) -> tensor<1x8x8x32xi32>
  return
}

// -----

func.func @real_operands(%x: tensor<1x8x8x16xf32>, %w: tensor<32x3x3x16xi4>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of signless integer of 1 to 64 bits values}}
  %a = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>} : (tensor<1x8x8x16xf32>, tensor<32x3x3x16xi4>) -> tensor<1x8x8x32xi32>
  return
}

// -----

func.func @dilation_overflows(%x: tensor<1x8x8x16xi8>, %w: tensor<32x4x1x16xi8>) {
  // 6148914691236517206 * 3 + 1 wraps to 3 in 64 bits: reported, not wrapped.
  // expected-error @+1 {{window along height (dilation 6148914691236517206 times kernel 4 minus 1, plus 1) overflows 64 bits}}
  %a = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilations = array<i64: 6148914691236517206, 1>} : (tensor<1x8x8x16xi8>, tensor<32x4x1x16xi8>) -> tensor<1x5x8x32xi32>
  return
}

// -----

func.func @padding_overflows(%x: tensor<1x8x8x16xi8>, %w: tensor<32x1x1x16xi8>) {
  // expected-error @+1 {{padded input along height (8 + 9223372036854775807 + 0) overflows 64 bits}}
  %a = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 9223372036854775807, 0, 0, 0>} : (tensor<1x8x8x16xi8>, tensor<32x1x1x16xi8>) -> tensor<1x8x8x32xi32>
  return
}

// -----

func.func @bias_in_accumulator_check(%x: tensor<1x4x4x1xi8>, %w: tensor<2x1x1x1xi8>) {
  %b = arith.constant dense<32767> : tensor<2xi16>
  // expected-error @+1 {{accumulator type 'i16' may overflow: the worst-case sum of 1 products and the bias reaches 49151, which needs 17 bits}}
  %a = pike.conv2d %x, %w, %b {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>} : (tensor<1x4x4x1xi8>, tensor<2x1x1x1xi8>, tensor<2xi16>) -> tensor<1x4x4x2xi16>
  return
}
