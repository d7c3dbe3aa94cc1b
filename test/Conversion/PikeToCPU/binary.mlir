// RUN: pike-opt %s --split-input-file --convert-pike-to-cpu-kernels=target=vector --canonicalize | FileCheck %s
// RUN: pike-opt %s --split-input-file --convert-pike-to-cpu-kernels="target=vector binary-kernels=false" --canonicalize | FileCheck %s --check-prefix=BYTES

// +-1 activations (BipolarQuant's sign: a one-bit floor, then 2 bit + 1)
// against +-1 weights: the XOR-popcount kernel. It reads the one-bit
// tensor's bytes, so the sign requantize is gone; the weights' signs are
// packed as i64 words.
// CHECK-LABEL: func.func private @sign_conv2d(
// CHECK: arith.cmpi slt, %{{.*}} : vector<64xi8>
// CHECK: vector.bitcast %{{.*}} : vector<64xi1> to vector<1xi64>
// CHECK: arith.xori %{{.*}} : vector<16xi64>
// CHECK: math.ctpop %{{.*}} : vector<16xi64>
// CHECK-LABEL: func.func @sign(
// CHECK-NOT: pike.requantize
// CHECK: call @sign_conv2d
// BYTES-LABEL: func.func private @sign_conv2d(
// BYTES-NOT: math.ctpop
// BYTES-LABEL: func.func @sign(
// BYTES: pike.requantize
func.func @sign(%x: tensor<1x4x4x64xf32>) -> tensor<1x4x4x32xi8> {
  %bit = pike.quantize %x {quantizer = #pike.quantizer<s1, scales = [1.0]>, rounding = #pike<quantize_rounding floor>} : tensor<1x4x4x64xf32> -> tensor<1x4x4x64xi1>
  %s = pike.requantize %bit {multiplier = #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [29]>, output_zp = 1 : i64} : tensor<1x4x4x64xi1> -> tensor<1x4x4x64xi2>
  %w = arith.constant dense<-1> : tensor<32x1x1x64xi2>
  %acc = pike.conv2d %s, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>}
      : (tensor<1x4x4x64xi2>, tensor<32x1x1x64xi2>) -> tensor<1x4x4x32xi32>
  %y = pike.quant_norm %acc {multiplier = #pike.fixed_point<bits = 16, multipliers = [20000], shifts = [20]>}
      : tensor<1x4x4x32xi32> -> tensor<1x4x4x32xi8>
  return %y : tensor<1x4x4x32xi8>
}

// -----

// Two requantizes from s8 (the sign of x - 3, then +-1) and a transpose and
// reshape (an NCHW flatten): the kernel compares the s8 bytes with 3, read
// through a transpose and reshape of its own.
// CHECK-LABEL: func.func private @through_fully_connected(
// CHECK: arith.constant dense<3> : vector<64xi8>
// CHECK: math.ctpop
// CHECK-LABEL: func.func @through(
// CHECK-NOT: pike.requantize
// CHECK: linalg.transpose ins(%{{.*}} : tensor<1x2x2x16xi8>) {{.*}} permutation = [0, 3, 1, 2]
// CHECK: tensor.collapse_shape {{.*}} into tensor<1x64xi8>
func.func @through(%x: tensor<1x2x2x16xi8>) -> tensor<1x8xi32> {
  %bit = pike.requantize %x {multiplier = #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [30]>, input_zp = 3 : i64} : tensor<1x2x2x16xi8> -> tensor<1x2x2x16xi1>
  %s = pike.requantize %bit {multiplier = #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [29]>, output_zp = 1 : i64} : tensor<1x2x2x16xi1> -> tensor<1x2x2x16xi2>
  %e = tensor.empty() : tensor<1x16x2x2xi2>
  %t = linalg.transpose ins(%s : tensor<1x2x2x16xi2>) outs(%e : tensor<1x16x2x2xi2>) permutation = [0, 3, 1, 2]
  %flat = tensor.collapse_shape %t [[0], [1, 2, 3]] : tensor<1x16x2x2xi2> into tensor<1x64xi2>
  %w = arith.constant dense<1> : tensor<8x64xi2>
  %acc = pike.fully_connected %flat, %w : (tensor<1x64xi2>, tensor<8x64xi2>) -> tensor<1x8xi32>
  return %acc : tensor<1x8xi32>
}

// -----

// Not binary, so the byte kernels: a weight of 0; a sign requantize whose
// outputs are -1 and 0.
// CHECK-LABEL: func.func private @zero_weight_conv2d(
// CHECK-NOT: math.ctpop
// CHECK-LABEL: func.func @zero_weight(
func.func @zero_weight(%x: tensor<1x4x4x64xi1>) -> tensor<1x4x4x2xi32> {
  %s = pike.requantize %x {multiplier = #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [29]>, output_zp = 1 : i64} : tensor<1x4x4x64xi1> -> tensor<1x4x4x64xi2>
  %w = arith.constant dense<[[[[1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]]], [[[1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]]]]> : tensor<2x1x1x64xi2>
  %acc = pike.conv2d %s, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>}
      : (tensor<1x4x4x64xi2>, tensor<2x1x1x64xi2>) -> tensor<1x4x4x2xi32>
  return %acc : tensor<1x4x4x2xi32>
}

// -----

// Padding: a padded tap reads a pixel of +1s (the packed input's last) and
// its weight sum is taken off.
// CHECK-LABEL: func.func private @padded_conv2d(
// CHECK: %[[PACKED:.*]] = scf.for {{.*}} -> (tensor<17x1xi64>)
// CHECK: arith.select %{{.*}}, %{{.*}}, %c16 : index
// CHECK: math.ctpop
// CHECK-LABEL: func.func @padded(
func.func @padded(%x: tensor<1x4x4x64xi1>) -> tensor<1x4x4x2xi32> {
  %s = pike.requantize %x {multiplier = #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [29]>, output_zp = 1 : i64} : tensor<1x4x4x64xi1> -> tensor<1x4x4x64xi2>
  %w = arith.constant dense<1> : tensor<2x3x3x64xi2>
  %acc = pike.conv2d %s, %w {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>}
      : (tensor<1x4x4x64xi2>, tensor<2x3x3x64xi2>) -> tensor<1x4x4x2xi32>
  return %acc : tensor<1x4x4x2xi32>
}

// -----

// CHECK-LABEL: func.func private @zero_output_conv2d(
// CHECK-NOT: math.ctpop
// CHECK-LABEL: func.func @zero_output(
func.func @zero_output(%x: tensor<1x4x4x64xi1>) -> tensor<1x4x4x2xi32> {
  %s = pike.requantize %x {multiplier = #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [30]>} : tensor<1x4x4x64xi1> -> tensor<1x4x4x64xi2>
  %w = arith.constant dense<1> : tensor<2x1x1x64xi2>
  %acc = pike.conv2d %s, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>}
      : (tensor<1x4x4x64xi2>, tensor<2x1x1x64xi2>) -> tensor<1x4x4x2xi32>
  return %acc : tensor<1x4x4x2xi32>
}

// -----

// A sign of 16-bit values: the kernel reads the one-bit tensor, whose
// requantize stays.
// CHECK-LABEL: func.func private @wide_source_conv2d(
// CHECK: math.ctpop
// CHECK-LABEL: func.func @wide_source(
// CHECK: pike.requantize %{{.*}} : tensor<1x4x4x64xi16> -> tensor<1x4x4x64xi1>
// CHECK-NOT: pike.requantize
func.func @wide_source(%x: tensor<1x4x4x64xi16>) -> tensor<1x4x4x2xi32> {
  %bit = pike.requantize %x {multiplier = #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [30]>} : tensor<1x4x4x64xi16> -> tensor<1x4x4x64xi1>
  %s = pike.requantize %bit {multiplier = #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [29]>, output_zp = 1 : i64} : tensor<1x4x4x64xi1> -> tensor<1x4x4x64xi2>
  %w = arith.constant dense<1> : tensor<2x1x1x64xi2>
  %acc = pike.conv2d %s, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>}
      : (tensor<1x4x4x64xi2>, tensor<2x1x1x64xi2>) -> tensor<1x4x4x2xi32>
  return %acc : tensor<1x4x4x2xi32>
}

// -----

// Per channel, the signs change at different values (x < 0 in channel 0,
// x < -1 in channel 1, whose x / 2 rounds -0.5 up to 0): no one threshold
// on the s8 bytes, so the kernel reads the one-bit tensor, whose requantize
// stays.
// CHECK-LABEL: func.func private @two_thresholds_conv2d(
// CHECK: math.ctpop
// CHECK-LABEL: func.func @two_thresholds(
// CHECK: pike.requantize %{{.*}} : tensor<1x4x4x2xi8> -> tensor<1x4x4x2xi1>
// CHECK-NOT: pike.requantize
func.func @two_thresholds(%x: tensor<1x4x4x2xi8>) -> tensor<1x4x4x2xi32> {
  %bit = pike.requantize %x {multiplier = #pike.fixed_point<bits = 32, multipliers = [1073741824, 1073741824], shifts = [30, 31]>} : tensor<1x4x4x2xi8> -> tensor<1x4x4x2xi1>
  %s = pike.requantize %bit {multiplier = #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [29]>, output_zp = 1 : i64} : tensor<1x4x4x2xi1> -> tensor<1x4x4x2xi2>
  %w = arith.constant dense<1> : tensor<2x1x1x2xi2>
  %acc = pike.conv2d %s, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>}
      : (tensor<1x4x4x2xi2>, tensor<2x1x1x2xi2>) -> tensor<1x4x4x2xi32>
  return %acc : tensor<1x4x4x2xi32>
}
