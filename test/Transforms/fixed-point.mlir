// RUN: pike-opt %s --split-input-file --pike-fixed-point | FileCheck %s
// RUN: pike-opt %s --split-input-file --pike-fixed-point="multiplier-bits=16" | FileCheck %s --check-prefix=M16

// dequantize (u8, 0.5, zp 128) then quantize (s8, 0.25, zp -1): ratio 2 = 2^30 * 2^-29.
// CHECK-LABEL: func @requantize
// CHECK-NEXT: %[[R:.*]] = pike.requantize %arg0 {input_unsigned, input_zp = 128 : i64, multiplier = #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [29]>, output_zp = -1 : i64} : tensor<4xi8> -> tensor<4xi8>
// CHECK-NEXT: return %[[R]]
// M16-LABEL: func @requantize
// M16: multiplier = #pike.fixed_point<bits = 16, multipliers = [16384], shifts = [13]>
func.func @requantize(%x: tensor<4xi8>) -> tensor<4xi8> {
  %d = pike.dequantize %x {quantizer = #pike.quantizer<u8, scales = [0.5], zero_points = [128]>} : tensor<4xi8> -> tensor<4xf32>
  %q = pike.quantize %d {quantizer = #pike.quantizer<s8, scales = [0.25], zero_points = [-1]>} : tensor<4xf32> -> tensor<4xi8>
  return %q : tensor<4xi8>
}

// -----

// Per-channel input scales along the last axis become per-channel multipliers.
// CHECK-LABEL: func @per_channel_requantize
// CHECK: pike.requantize %arg0 {multiplier = #pike.fixed_point<bits = 32, multipliers = [1073741824, 1073741824], shifts = [31, 32]>} : tensor<3x2xi8> -> tensor<3x2xi4>
func.func @per_channel_requantize(%x: tensor<3x2xi8>) -> tensor<3x2xi4> {
  %d = pike.dequantize %x {quantizer = #pike.quantizer<s8, axis = 1, scales = [0.5, 0.25]>} : tensor<3x2xi8> -> tensor<3x2xf32>
  %q = pike.quantize %d {quantizer = #pike.quantizer<s4, scales = [1.0]>} : tensor<3x2xf32> -> tensor<3x2xi4>
  return %q : tensor<3x2xi4>
}

// -----

// Residual add: ratios 0.5 (2^30 * 2^-31) and 0.75 (3 * 2^29 * 2^-31) share shift 31.
// CHECK-LABEL: func @residual_add
// CHECK-NEXT: %[[S:.*]] = pike.add %arg0, %arg1 {lhs_scale = #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [31]>, lhs_unsigned, lhs_zp = 2 : i64, output_unsigned, rhs_scale = #pike.fixed_point<bits = 32, multipliers = [1610612736], shifts = [31]>, rhs_unsigned} : (tensor<8xi4>, tensor<8xi4>) -> tensor<8xi4>
// CHECK-NEXT: return %[[S]]
func.func @residual_add(%a: tensor<8xi4>, %b: tensor<8xi4>) -> tensor<8xi4> {
  %da = pike.dequantize %a {quantizer = #pike.quantizer<u4, scales = [0.1], zero_points = [2]>} : tensor<8xi4> -> tensor<8xf32>
  %db = pike.dequantize %b {quantizer = #pike.quantizer<u4, scales = [0.15]>} : tensor<8xi4> -> tensor<8xf32>
  %s = pike.add %da, %db : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %q = pike.quantize %s {quantizer = #pike.quantizer<u4, scales = [0.2]>} : tensor<8xf32> -> tensor<8xi4>
  return %q : tensor<8xi4>
}

// -----

// Ratios 2.0 (shift 29) and 0.5 (shift 31): the shared shift is 29 and the
// smaller multiplier is rounded to it (2^30 >> 2).
// CHECK-LABEL: func @residual_add_shift_alignment
// CHECK: lhs_scale = #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [29]>
// CHECK-SAME: rhs_scale = #pike.fixed_point<bits = 32, multipliers = [268435456], shifts = [29]>
func.func @residual_add_shift_alignment(%a: tensor<8xi8>, %b: tensor<8xi8>) -> tensor<8xi8> {
  %da = pike.dequantize %a {quantizer = #pike.quantizer<s8, scales = [0.4]>} : tensor<8xi8> -> tensor<8xf32>
  %db = pike.dequantize %b {quantizer = #pike.quantizer<s8, scales = [0.1]>} : tensor<8xi8> -> tensor<8xf32>
  %s = pike.add %da, %db : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %q = pike.quantize %s {quantizer = #pike.quantizer<s8, scales = [0.2]>} : tensor<8xf32> -> tensor<8xi8>
  return %q : tensor<8xi8>
}

// -----

// A residual add of a signed branch and an unsigned shortcut, then ReLU6:
// the clip [0, 6] quantized at 0.5 is [0, 12], tighter than u4's [0, 15].
// CHECK-LABEL: func @residual_relu
// CHECK: %[[S:.*]] = pike.add %arg0, %arg1 {{{.*}}output_unsigned{{.*}}rhs_unsigned} : (tensor<8xi4>, tensor<8xi4>) -> tensor<8xi4>
// CHECK-NEXT: %[[C:.*]] = pike.clamp %[[S]] {input_unsigned, max = 12 : i64, min = 0 : i64} : tensor<8xi4>
// CHECK-NEXT: return %[[C]]
func.func @residual_relu(%main: tensor<8xi4>, %shortcut: tensor<8xi4>) -> tensor<8xi4> {
  %a = pike.dequantize %main {quantizer = #pike.quantizer<s4, scales = [0.25]>} : tensor<8xi4> -> tensor<8xf32>
  %b = pike.dequantize %shortcut {quantizer = #pike.quantizer<u4, scales = [0.5]>} : tensor<8xi4> -> tensor<8xf32>
  %s = pike.add %a, %b : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %c = pike.clamp %s {min = 0.0 : f64, max = 6.0 : f64} : tensor<8xf32>
  %q = pike.quantize %c {quantizer = #pike.quantizer<u4, scales = [0.5]>} : tensor<8xf32> -> tensor<8xi4>
  return %q : tensor<8xi4>
}

// -----

// Pooling between identical quantizers runs on the integers.
// CHECK-LABEL: func @pools
// CHECK: %[[A:.*]] = pike.avg_pool2d %arg0 {input_unsigned, input_zp = 1 : i64, kernel = array<i64: 4, 4>, output_zp = 1 : i64} : tensor<1x4x4x2xi4> -> tensor<1x1x1x2xi4>
// CHECK: %[[M:.*]] = pike.max_pool2d %arg0 {input_unsigned, kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x4x4x2xi4> -> tensor<1x2x2x2xi4>
// CHECK: return %[[A]], %[[M]]
func.func @pools(%x: tensor<1x4x4x2xi4>) -> (tensor<1x1x1x2xi4>, tensor<1x2x2x2xi4>) {
  %d = pike.dequantize %x {quantizer = #pike.quantizer<u4, scales = [0.1], zero_points = [1]>} : tensor<1x4x4x2xi4> -> tensor<1x4x4x2xf32>
  %a = pike.avg_pool2d %d {kernel = array<i64: 4, 4>} : tensor<1x4x4x2xf32> -> tensor<1x1x1x2xf32>
  %qa = pike.quantize %a {quantizer = #pike.quantizer<u4, scales = [0.1], zero_points = [1]>} : tensor<1x1x1x2xf32> -> tensor<1x1x1x2xi4>
  %m = pike.max_pool2d %d {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x4x4x2xf32> -> tensor<1x2x2x2xf32>
  %qm = pike.quantize %m {quantizer = #pike.quantizer<u4, scales = [0.1], zero_points = [1]>} : tensor<1x2x2x2xf32> -> tensor<1x2x2x2xi4>
  return %qa, %qm : tensor<1x1x1x2xi4>, tensor<1x2x2x2xi4>
}

// -----

// Pooling that changes the quantizer. An average rounds once: the window
// sums (a depthwise convolution by ones, exact in i32) requantized by
// 0.1 / (0.2 * 16) = 1/32 = 2^30 * 2^-35. A maximum pools the integers in the
// input's quantizer, then requantizes (0.1 / 0.2 = 0.5 = 2^30 * 2^-31).
// CHECK-LABEL: func @pool_changing_scale
// CHECK: %[[ONES:.*]] = arith.constant dense<1> : tensor<2x4x4x1xi8>
// CHECK: %[[S:.*]] = pike.conv2d %arg0, %[[ONES]] {groups = 2 : i64, input_unsigned, padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x4x2xi4>, tensor<2x4x4x1xi8>) -> tensor<1x1x1x2xi32>
// CHECK: pike.requantize %[[S]] {multiplier = #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [35]>, output_unsigned} : tensor<1x1x1x2xi32> -> tensor<1x1x1x2xi4>
// CHECK: %[[M:.*]] = pike.max_pool2d %arg0 {input_unsigned, kernel = array<i64: 2, 2>} : tensor<1x4x4x2xi4> -> tensor<1x3x3x2xi4>
// CHECK: pike.requantize %[[M]] {input_unsigned, multiplier = #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [31]>, output_unsigned}
func.func @pool_changing_scale(%x: tensor<1x4x4x2xi4>) -> (tensor<1x1x1x2xi4>, tensor<1x3x3x2xi4>) {
  %d = pike.dequantize %x {quantizer = #pike.quantizer<u4, scales = [0.1]>} : tensor<1x4x4x2xi4> -> tensor<1x4x4x2xf32>
  %a = pike.avg_pool2d %d {kernel = array<i64: 4, 4>} : tensor<1x4x4x2xf32> -> tensor<1x1x1x2xf32>
  %qa = pike.quantize %a {quantizer = #pike.quantizer<u4, scales = [0.2]>} : tensor<1x1x1x2xf32> -> tensor<1x1x1x2xi4>
  %m = pike.max_pool2d %d {kernel = array<i64: 2, 2>} : tensor<1x4x4x2xf32> -> tensor<1x3x3x2xf32>
  %qm = pike.quantize %m {quantizer = #pike.quantizer<u4, scales = [0.2]>} : tensor<1x3x3x2xf32> -> tensor<1x3x3x2xi4>
  return %qa, %qm : tensor<1x1x1x2xi4>, tensor<1x3x3x2xi4>
}

// -----

// A standalone quantized ReLU / ReLU6 (dequantize, real clamp, quantize):
// with equal quantizers only the integer clamp is left, its bounds the
// quantized reals (0 -> zp 47, 6 / 0.05 + 47 = 167); with different ones a
// requantize comes first (0.05 / 0.1 = 0.5); a bound outside the type's
// range needs no clamp.
// CHECK-LABEL: func @standalone_relu
// CHECK-NEXT: %[[C:.*]] = pike.clamp %arg0 {input_unsigned, max = 167 : i64, min = 47 : i64} : tensor<4xi8>
// CHECK-NEXT: %[[R:.*]] = pike.requantize %arg0 {input_unsigned, input_zp = 47 : i64, multiplier = #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [31]>, output_unsigned} : tensor<4xi8> -> tensor<4xi8>
// CHECK-NEXT: %[[C2:.*]] = pike.clamp %[[R]] {input_unsigned, max = 60 : i64, min = 0 : i64} : tensor<4xi8>
// CHECK-NEXT: return %[[C]], %[[C2]]
func.func @standalone_relu(%x: tensor<4xi8>) -> (tensor<4xi8>, tensor<4xi8>) {
  %d = pike.dequantize %x {quantizer = #pike.quantizer<u8, scales = [0.05], zero_points = [47]>} : tensor<4xi8> -> tensor<4xf32>
  %c = pike.clamp %d {min = 0.0 : f64, max = 6.0 : f64} : tensor<4xf32>
  %q = pike.quantize %c {quantizer = #pike.quantizer<u8, scales = [0.05], zero_points = [47]>} : tensor<4xf32> -> tensor<4xi8>
  %c2 = pike.clamp %d {min = 0.0 : f64, max = 6.0 : f64} : tensor<4xf32>
  %q2 = pike.quantize %c2 {quantizer = #pike.quantizer<u8, scales = [0.1]>} : tensor<4xf32> -> tensor<4xi8>
  return %q, %q2 : tensor<4xi8>, tensor<4xi8>
}

// -----

// A concat of dequantized tensors feeding one quantize: each operand is
// requantized to the output's quantizer (0.5 / 0.25 = 2 = 2^30 * 2^-29;
// the second already has it), then the integers are concatenated.
// CHECK-LABEL: func @concat
// CHECK-NEXT: %[[A:.*]] = pike.requantize %arg0 {multiplier = #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [29]>} : tensor<1x2xi8> -> tensor<1x2xi8>
// CHECK-NEXT: %[[C:.*]] = tensor.concat dim(1) %[[A]], %arg1 : (tensor<1x2xi8>, tensor<1x3xi8>) -> tensor<1x5xi8>
// CHECK-NEXT: return %[[C]]
func.func @concat(%a: tensor<1x2xi8>, %b: tensor<1x3xi8>) -> tensor<1x5xi8> {
  %da = pike.dequantize %a {quantizer = #pike.quantizer<s8, scales = [0.5]>} : tensor<1x2xi8> -> tensor<1x2xf32>
  %db = pike.dequantize %b {quantizer = #pike.quantizer<s8, scales = [0.25]>} : tensor<1x3xi8> -> tensor<1x3xf32>
  %c = tensor.concat dim(1) %da, %db : (tensor<1x2xf32>, tensor<1x3xf32>) -> tensor<1x5xf32>
  %q = pike.quantize %c {quantizer = #pike.quantizer<s8, scales = [0.25]>} : tensor<1x5xf32> -> tensor<1x5xi8>
  return %q : tensor<1x5xi8>
}
