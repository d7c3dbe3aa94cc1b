// RUN: pike-opt %s --convert-pike-to-cpu-kernels="target=avx512-vnni report=true" --verify-diagnostics | FileCheck %s

// MAC ops a kernel cannot compute exactly stay for convert-pike-to-linalg,
// and `report` says why.

// CHECK-LABEL: func.func @sixteen_bit_input
// CHECK: pike.conv2d
func.func @sixteen_bit_input(%x: tensor<1x2x2x4xi16>) -> tensor<1x2x2x4xi32> {
  %w = arith.constant dense<1> : tensor<4x1x1x4xi8>
  // expected-remark @+1 {{no avx512-vnni kernel (lowered through linalg): input wider than 8 bits}}
  %acc = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>}
      : (tensor<1x2x2x4xi16>, tensor<4x1x1x4xi8>) -> tensor<1x2x2x4xi32>
  return %acc : tensor<1x2x2x4xi32>
}

// CHECK-LABEL: func.func @weights_from_an_argument
// CHECK: pike.fully_connected
func.func @weights_from_an_argument(%x: tensor<1x8xi8>, %w: tensor<4x8xi8>) -> tensor<1x4xi32> {
  // expected-remark @+1 {{weights are not a constant}}
  %acc = pike.fully_connected %x, %w : (tensor<1x8xi8>, tensor<4x8xi8>) -> tensor<1x4xi32>
  return %acc : tensor<1x4xi32>
}

// A filter vector packs the channels of every group its 16 filters meet:
// with one filter per group, 16 groups of 64 channels, 1024 bytes a filter
// where the op has 64 weights. 32768 such filters: 2^21 weights, 2^25
// packed bytes.
// CHECK-LABEL: func.func @grouped_past_the_packing_bound
// CHECK: pike.conv2d
func.func @grouped_past_the_packing_bound(%x: tensor<1x1x1x2097152xi8>) -> tensor<1x1x1x32768xi32> {
  %w = arith.constant dense<1> : tensor<32768x1x1x64xi8>
  // expected-remark @+1 {{more than 16777216 bytes of packed weights}}
  %acc = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, groups = 32768 : i64}
      : (tensor<1x1x1x2097152xi8>, tensor<32768x1x1x64xi8>) -> tensor<1x1x1x32768xi32>
  return %acc : tensor<1x1x1x32768xi32>
}

// CHECK-LABEL: func.func @wide_accumulator
// CHECK: pike.conv2d
func.func @wide_accumulator(%x: tensor<1x2x2x4xi8>) -> tensor<1x2x2x4xi64> {
  %w = arith.constant dense<1> : tensor<4x1x1x4xi8>
  // expected-remark @+1 {{accumulator wider than 32 bits}}
  %acc = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>}
      : (tensor<1x2x2x4xi8>, tensor<4x1x1x4xi8>) -> tensor<1x2x2x4xi64>
  return %acc : tensor<1x2x2x4xi64>
}

// CHECK-LABEL: func.func @weight_zero_point_too_far
// CHECK: pike.conv2d
func.func @weight_zero_point_too_far(%x: tensor<1x2x2x4xi8>) -> tensor<1x2x2x4xi32> {
  %w = arith.constant dense<-128> : tensor<4x1x1x4xi8>
  // expected-remark @+1 {{a centered weight does not fit in 8 bits}}
  %acc = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, weight_zp = 100 : i64}
      : (tensor<1x2x2x4xi8>, tensor<4x1x1x4xi8>) -> tensor<1x2x2x4xi32>
  return %acc : tensor<1x2x2x4xi32>
}

// CHECK-LABEL: func.func @empty
// CHECK: pike.fully_connected
func.func @empty(%x: tensor<0x8xi8>) -> tensor<0x16xi32> {
  %w = arith.constant dense<1> : tensor<16x8xi8>
  // expected-remark @+1 {{empty tensor}}
  %acc = pike.fully_connected %x, %w : (tensor<0x8xi8>, tensor<16x8xi8>) -> tensor<0x16xi32>
  return %acc : tensor<0x16xi32>
}

// CHECK-LABEL: func.func @huge_splat_weights
// CHECK: pike.conv2d
func.func @huge_splat_weights(%x: tensor<1x1x1x65536xi8>) -> tensor<1x1x1x4096xi32> {
  %w = arith.constant dense<1> : tensor<4096x1x1x65536xi8>
  // expected-remark @+1 {{more than 16777216 weights to pack}}
  %acc = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>}
      : (tensor<1x1x1x65536xi8>, tensor<4096x1x1x65536xi8>) -> tensor<1x1x1x4096xi32>
  return %acc : tensor<1x1x1x4096xi32>
}

// CHECK-LABEL: func.func @wide_depthwise_window
// CHECK: pike.conv2d
func.func @wide_depthwise_window(%x: tensor<1x9x9x16xi8>) -> tensor<1x1x1x16xi32> {
  %w = arith.constant dense<1> : tensor<16x9x9x1xi8>
  // expected-remark @+1 {{depthwise window of more than 64 taps}}
  %acc = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, groups = 16 : i64}
      : (tensor<1x9x9x16xi8>, tensor<16x9x9x1xi8>) -> tensor<1x1x1x16xi32>
  return %acc : tensor<1x1x1x16xi32>
}

// CHECK-LABEL: func.func @batched
// CHECK: pike.batch_matmul
func.func @batched(%a: tensor<2x4x8xi8>, %b: tensor<8x4xi8>) -> tensor<2x4x4xi32> {
  // expected-remark @+1 {{no avx512-vnni kernel (lowered through linalg): batched matrix products have no kernel}}
  %acc = pike.batch_matmul %a, %b : (tensor<2x4x8xi8>, tensor<8x4xi8>) -> tensor<2x4x4xi32>
  return %acc : tensor<2x4x4xi32>
}
