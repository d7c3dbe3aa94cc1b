// RUN: pike-opt %s --split-input-file --pike-acev2 | FileCheck %s
// RUN: pike-opt %s --split-input-file --pike-acev2="float-bits=16" | FileCheck %s --check-prefix=F16
// RUN: pike-opt %s --split-input-file --pike-acev2="other-ops=ignore" | FileCheck %s --check-prefix=NOOTHER

// Costs worked out by hand from docs/ACEv2.md. Dictionary entries print in
// alphabetical order: ace, acev2, adds, energy_pj, macs, muls, others.

// 4x4x3 outputs, each 3*3*2 = 18 MACs of u4 x s4: 864 MACs, ACE 864*16.
// Energy per MAC: 4x4 multiply 0.2*16/64 = 0.05 pJ + 32-bit add 0.1 pJ.
// CHECK-LABEL: func @conv
// CHECK: pike.conv2d {{.*}}pike.cost = {ace = 13824 : i64, acev2 = 13824 : i64, adds = 0 : i64, energy_pj = 129.60000{{[0-9]*}} : f64, macs = 864 : i64, muls = 0 : i64, others = 0 : i64}
func.func @conv(%x: tensor<1x4x4x2xi4>, %w: tensor<3x3x3x2xi4>) -> tensor<1x4x4x3xi32> {
  %a = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, input_unsigned} : (tensor<1x4x4x2xi4>, tensor<3x3x3x2xi4>) -> tensor<1x4x4x3xi32>
  return %a : tensor<1x4x4x3xi32>
}

// -----

// 2x10 outputs of 16 MACs at 8x8: ACE 320*64 = 20480. Centering the u8 input
// by zero point 128 (9 bits): 32 adds at 9 bits = 288. Bias: 20 adds at 32.
// CHECK-LABEL: func @fully_connected
// CHECK: pike.cost = {ace = 20480 : i64, acev2 = 21408 : i64, adds = 52 : i64, {{.*}}, macs = 320 : i64, muls = 0 : i64, others = 0 : i64}
func.func @fully_connected(%x: tensor<2x16xi8>, %w: tensor<10x16xi8>, %b: tensor<10xi32>) -> tensor<2x10xi32> {
  %a = pike.fully_connected %x, %w, %b {input_unsigned, input_zp = 128} : (tensor<2x16xi8>, tensor<10x16xi8>, tensor<10xi32>) -> tensor<2x10xi32>
  return %a : tensor<2x10xi32>
}

// -----

// Per element: acc*M = 32 x 8 (M <= 121 needs 8 bits) = 256, 40 bits wide;
// + B (12 bits) at 40; + 2^13 at 41; shift at 42; clamp to [0, 15]: 2 at 42.
// 2 elements: 2 * (256 + 40 + 41 + 3 * 42) = 926.
// CHECK-LABEL: func @quant_norm
// CHECK: pike.cost = {ace = 0 : i64, acev2 = 926 : i64, adds = 4 : i64, {{.*}}, macs = 0 : i64, muls = 2 : i64, others = 6 : i64}
// Without the others: 2 * (256 + 40 + 41) = 674.
// NOOTHER-LABEL: func @quant_norm
// NOOTHER: pike.cost = {ace = 0 : i64, acev2 = 674 : i64
func.func @quant_norm(%acc: tensor<1x2xi32>) -> tensor<1x2xi4> {
  %q = pike.quant_norm %acc {multiplier = #pike.fixed_point<bits = 8, multipliers = [97, 121], shifts = [14]>, bias = array<i64: 1024, -512>, output_unsigned} : tensor<1x2xi32> -> tensor<1x2xi4>
  return %q : tensor<1x2xi4>
}

// -----

// Per element: x - mu, var + eps, + beta: 3 adds at 32; divide and * gamma:
// 2 muls at 32x32; square root: 1 other at 32. 6 elements: 6 * 2176.
// CHECK-LABEL: func @batch_norm
// CHECK: pike.cost = {ace = 0 : i64, acev2 = 13056 : i64, adds = 18 : i64, {{.*}}, macs = 0 : i64, muls = 12 : i64, others = 6 : i64}
// Reals counted as 16 bits: 6 * (3 * 16 + 2 * 256 + 16) = 3456.
// F16-LABEL: func @batch_norm
// F16: pike.cost = {ace = 0 : i64, acev2 = 3456 : i64
func.func @batch_norm(%x: tensor<2x3xf32>, %p: tensor<3xf32>) -> tensor<2x3xf32> {
  %y = pike.batch_norm %x, %p, %p, %p, %p : (tensor<2x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// Sum: 16 adds at the 32-bit sum width per output; then 2*sum (32 x 3 bits,
// 35 wide), + 16 at 35, / 32 (36 x 7), clamp at 43: 96 + 35 + 252 + 86.
// 2 outputs: 2 * (16 * 32 + 469) = 1962.
// CHECK-LABEL: func @avg_pool
// CHECK: pike.cost = {ace = 0 : i64, acev2 = 1962 : i64, adds = 34 : i64, {{.*}}, macs = 0 : i64, muls = 4 : i64, others = 4 : i64}
func.func @avg_pool(%x: tensor<1x4x4x2xi4>) -> tensor<1x1x1x2xi4> {
  %g = pike.avg_pool2d %x {kernel = array<i64: 4, 4>, input_unsigned} : tensor<1x4x4x2xi4> -> tensor<1x1x1x2xi4>
  return %g : tensor<1x1x1x2xi4>
}

// -----

// 8 outputs, 4 compares each at 8 bits.
// CHECK-LABEL: func @max_pool
// CHECK: pike.cost = {ace = 0 : i64, acev2 = 256 : i64, adds = 0 : i64, {{.*}}, macs = 0 : i64, muls = 0 : i64, others = 32 : i64}
func.func @max_pool(%x: tensor<1x4x4x2xi8>) -> tensor<1x2x2x2xi8> {
  %m = pike.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x4x4x2xi8> -> tensor<1x2x2x2xi8>
  return %m : tensor<1x2x2x2xi8>
}

// -----

// Other compilers' IR: a linalg.matmul of i8 operands (24 MACs at 8x8), a
// tosa.conv2d (2x2x3 outputs of 3*3*2 MACs at 8x8), arith.addf on 4 f32.
// CHECK-LABEL: func @upstream
// CHECK: linalg.matmul {{.*}}pike.cost = {ace = 1536 : i64, acev2 = 1536 : i64, {{.*}}macs = 24 : i64
// CHECK: tosa.conv2d {{.*}}pike.cost = {ace = 13824 : i64, acev2 = 13824 : i64, {{.*}}macs = 216 : i64
// CHECK: arith.addf {{.*}}pike.cost = {ace = 0 : i64, acev2 = 128 : i64, adds = 4 : i64
func.func @upstream(%a: tensor<2x3xi8>, %b: tensor<3x4xi8>, %x: tensor<1x4x4x2xi8>, %w: tensor<3x3x3x2xi8>, %f: tensor<4xf32>) -> (tensor<2x4xi32>, tensor<1x2x2x3xi32>, tensor<4xf32>) {
  %zero = arith.constant 0 : i32
  %e = tensor.empty() : tensor<2x4xi32>
  %init = linalg.fill ins(%zero : i32) outs(%e : tensor<2x4xi32>) -> tensor<2x4xi32>
  %m = linalg.matmul ins(%a, %b : tensor<2x3xi8>, tensor<3x4xi8>) outs(%init : tensor<2x4xi32>) -> tensor<2x4xi32>
  %bias = "tosa.const"() <{values = dense<0> : tensor<3xi32>}> : () -> tensor<3xi32>
  %izp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %c = tosa.conv2d %x, %w, %bias, %izp, %izp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xi8>, tensor<3x3x3x2xi8>, tensor<3xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x2x2x3xi32>
  %s = arith.addf %f, %f : tensor<4xf32>
  return %m, %c, %s : tensor<2x4xi32>, tensor<1x2x2x3xi32>, tensor<4xf32>
}

// -----

// math.fma (the CPU kernels' float64 requantization) is a mul and an add:
// 4 x (64 x 64) + 4 x 64 (the product is no wider than its f64 storage).
// CHECK-LABEL: func @fused_multiply_add
// CHECK: math.fma {{.*}}pike.cost = {ace = 0 : i64, acev2 = 16640 : i64, adds = 4 : i64, {{.*}}muls = 4 : i64
func.func @fused_multiply_add(%a: tensor<4xf64>, %b: tensor<4xf64>, %c: tensor<4xf64>) -> tensor<4xf64> {
  %r = math.fma %a, %b, %c : tensor<4xf64>
  return %r : tensor<4xf64>
}
