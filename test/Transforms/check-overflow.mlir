// RUN: pike-opt %s --split-input-file --pike-check-overflow="report=true" -verify-diagnostics
// RUN: pike-opt %s --split-input-file --pike-check-overflow="severity=warning" 2>&1 | FileCheck %s --check-prefix=WARN

// Proven by the worst case: s8 x s8, K = 4 -> [-4 * 16256, 4 * 16384] in i32.
func.func @worst_case(%x: tensor<1x4xi8>, %w: tensor<2x4xi8>) -> tensor<1x2xi32> {
  // expected-remark @+1 {{accumulator i32: worst case [-65024, 65536] (18 bits); proven by the worst case}}
  %a = pike.fully_connected %x, %w : (tensor<1x4xi8>, tensor<2x4xi8>) -> tensor<1x2xi32>
  return %a : tensor<1x2xi32>
}

// -----

// Proven by the weights only: all-ones i4 weights, K = 64, into i16.
func.func @by_the_weights(%x: tensor<1x64xi8>) -> tensor<1x2xi16> {
  %w = arith.constant dense<1> : tensor<2x64xi4>
  // expected-remark @+1 {{accumulator i16: worst case [-65024, 65536] (18 bits), with its weights [-8192, 8128] (14 bits); proven by the weights}}
  %a = pike.fully_connected %x, %w : (tensor<1x64xi8>, tensor<2x64xi4>) -> tensor<1x2xi16>
  return %a : tensor<1x2xi16>
}

// -----

// A bias computed at run time cannot be bounded.
// WARN: warning: pike-check-overflow: the bias is computed at run time
func.func @computed_bias(%x: tensor<1x4xi8>, %w: tensor<2x4xi8>, %b: tensor<2xi32>) -> tensor<1x2xi32> {
  // expected-error @+1 {{'pike.fully_connected' op pike-check-overflow: the bias is computed at run time, so no bound covers the sum; make it a constant}}
  %a = pike.fully_connected %x, %w, %b : (tensor<1x4xi8>, tensor<2x4xi8>, tensor<2xi32>) -> tensor<1x2xi32>
  return %a : tensor<1x2xi32>
}

// -----

// A splat describes any size: its bound is computed per channel in closed
// form, not by reading 2^28 weights (-1 weights, K = 65536, u8 input).
func.func @huge_splat(%x: tensor<1x65536xi8>) -> tensor<1x4096xi32> {
  %w = arith.constant dense<-1> : tensor<4096x65536xi8>
  // expected-remark @+1 {{with its weights [-16711680, 0] (25 bits); proven by the worst case}}
  %a = pike.fully_connected %x, %w {input_unsigned} : (tensor<1x65536xi8>, tensor<4096x65536xi8>) -> tensor<1x4096xi32>
  return %a : tensor<1x4096xi32>
}
