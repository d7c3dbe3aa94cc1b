// RUN: pike-opt %s -split-input-file -pike-verify-lowerable -verify-diagnostics | FileCheck %s
// The pipelines run it first: upstream's TOSA lowering crashed on these
// (SIGSEGV), looped, or read past a short table.
// RUN: not pike-opt %s -split-input-file --pike-cpu-pipeline 2>&1 | FileCheck %s --check-prefix=PIPELINE
// RUN: not pike-opt %s -split-input-file --pike-quantize-pipeline 2>&1 | FileCheck %s --check-prefix=PIPELINE
// ACEv2 costs the same IR without a crash (a !quant element had no integer width).
// RUN: pike-opt %s -split-input-file --pike-acev2 > /dev/null
// PIPELINE: error: cannot be lowered: an unranked tensor tensor<*xi8>
// PIPELINE: error: cannot be lowered: 'tosa.conv2d' on tensor<1x4x4x4x!quant.uniform<i8:f32, 1.000000e-02>>
// PIPELINE: error: cannot be lowered: a tosa.table of tensor<16xi8> for i8 input, which needs 256 entries

// expected-error @+1 {{cannot be lowered: an unranked tensor tensor<*xi8>}}
func.func @unranked(%a: tensor<*xi8>) -> tensor<*xi8> {
  // expected-error @+1 {{cannot be lowered: an unranked tensor tensor<*xi8>: Pike lowers ranked tensors only}}
  %0 = tosa.clamp %a {min_val = 0 : i8, max_val = 6 : i8} : (tensor<*xi8>) -> tensor<*xi8>
  return %0 : tensor<*xi8>
}

// -----

func.func @quantized(%x: tensor<1x4x4x4x!quant.uniform<i8:f32, 0.01>>, %w: tensor<8x1x1x4xi8>, %b: tensor<8xi32>) -> tensor<1x4x4x8xi32> {
  %zp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  // expected-error @+1 {{cannot be lowered: 'tosa.conv2d' on tensor<1x4x4x4x!quant.uniform<i8:f32, 1.000000e-02>>: TOSA ops take integers with zero-point operands, not !quant types}}
  %0 = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x4x!quant.uniform<i8:f32, 0.01>>, tensor<8x1x1x4xi8>, tensor<8xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x4x4x8xi32>
  return %0 : tensor<1x4x4x8xi32>
}

// -----

func.func @short_table(%x: tensor<64xi8>, %t: tensor<16xi8>) -> tensor<64xi8> {
  // expected-error @+1 {{cannot be lowered: a tosa.table of tensor<16xi8> for i8 input, which needs 256 entries}}
  %0 = tosa.table %x, %t : (tensor<64xi8>, tensor<16xi8>) -> tensor<64xi8>
  return %0 : tensor<64xi8>
}

// -----

func.func @short_table_i16(%x: tensor<64xi16>, %t: tensor<512xi16>) -> tensor<64xi32> {
  // expected-error @+1 {{cannot be lowered: a tosa.table of tensor<512xi16> for i16 input, which needs 513 entries}}
  %0 = tosa.table %x, %t : (tensor<64xi16>, tensor<512xi16>) -> tensor<64xi32>
  return %0 : tensor<64xi32>
}

// -----

// TOSA's own sizes pass.
// CHECK-LABEL: func.func @tables
func.func @tables(%x: tensor<64xi8>, %t: tensor<256xi8>, %y: tensor<64xi16>, %u: tensor<513xi16>) -> (tensor<64xi8>, tensor<64xi32>) {
  %0 = tosa.table %x, %t : (tensor<64xi8>, tensor<256xi8>) -> tensor<64xi8>
  %1 = tosa.table %y, %u : (tensor<64xi16>, tensor<513xi16>) -> tensor<64xi32>
  return %0, %1 : tensor<64xi8>, tensor<64xi32>
}
