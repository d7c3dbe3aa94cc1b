// RUN: pike-opt %s --pike-cpu-pipeline=target=vector | FileCheck %s
// RUN: pike-opt %s --pike-cpu-pipeline=target=avx512-vnni | FileCheck %s
// RUN: pike-opt %s --pike-cpu-pipeline=target=vector | mlir-translate --mlir-to-llvmir \
// RUN:   | llc -O3 -mcpu=x86-64-v3 | FileCheck %s --check-prefix=ASM

// A channel count that is not a whole number of vectors leaves a last
// vector of the channels left (8 of 16 here). Its reads of the input and of
// a residual's operand are reads of those channels alone, widened in
// registers: a masked read of bytes has no AVX2 instruction and became a
// load and vpinsrb per byte, which made 24 channels slower than 32.
// CHECK-NOT: llvm.intr.masked.load
// CHECK: llvm.load {{.*}} -> vector<8xi8>
// CHECK-NOT: llvm.intr.masked.load
// ASM-NOT: vpinsrb

// The quad kernel's byte pairs (7-bit weights).
func.func @byte_pairs(%x: tensor<1x6x6x24xi8>) -> tensor<1x6x6x24xi8> {
  %w = arith.constant dense<3> : tensor<24x3x3x1xi8>
  %acc = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, groups = 24 : i64, input_unsigned, input_zp = 3 : i64}
      : (tensor<1x6x6x24xi8>, tensor<24x3x3x1xi8>) -> tensor<1x6x6x24xi32>
  %y = pike.quant_norm %acc {multiplier = #pike.fixed_point<bits = 32, multipliers = [1518500250], shifts = [40]>, output_unsigned}
      : tensor<1x6x6x24xi32> -> tensor<1x6x6x24xi8>
  return %y : tensor<1x6x6x24xi8>
}

// The i32 lanes kernel (full-range weights cannot pair) on 40 channels,
// whose residual add with the input is fused into the epilogue.
func.func @lanes_residual(%x: tensor<1x6x6x40xi8>) -> tensor<1x6x6x40xi8> {
  %w = arith.constant dense<-128> : tensor<40x3x3x1xi8>
  %acc = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, groups = 40 : i64, input_unsigned, input_zp = 3 : i64}
      : (tensor<1x6x6x40xi8>, tensor<40x3x3x1xi8>) -> tensor<1x6x6x40xi32>
  %y = pike.quant_norm %acc {multiplier = #pike.fixed_point<bits = 32, multipliers = [1518500250], shifts = [40]>, output_unsigned}
      : tensor<1x6x6x40xi32> -> tensor<1x6x6x40xi8>
  %s = pike.add %y, %x {lhs_scale = #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [31]>, rhs_scale = #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [31]>, lhs_unsigned, rhs_unsigned, rhs_zp = 3 : i64, output_unsigned}
      : (tensor<1x6x6x40xi8>, tensor<1x6x6x40xi8>) -> tensor<1x6x6x40xi8>
  return %s : tensor<1x6x6x40xi8>
}
