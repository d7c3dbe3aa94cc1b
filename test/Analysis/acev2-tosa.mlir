// RUN: pike-opt %s --pike-acev2 -verify-diagnostics | FileCheck %s

// TOSA from another compiler: elementwise and pooling ops are costed too.
// add: 8 elements of i8 + i8 -> 8 adds at 8 bits; mul of f32: 8 * 32 * 32;
// clamp: 8 others at 8 bits; avg_pool2d 2x2 over 1x4x4x1 i8 -> 4 outputs,
// 4 adds each at the 32-bit sum width plus one 32x32 multiply per output;
// max_pool2d: 4 outputs x 4 compares at 8 bits.
// CHECK-LABEL: func @tosa_elementwise
// CHECK: tosa.add {{.*}}pike.cost = {ace = 0 : i64, acev2 = 64 : i64, adds = 8 : i64
// CHECK: tosa.mul {{.*}}pike.cost = {ace = 0 : i64, acev2 = 8192 : i64, adds = 0 : i64, {{.*}}muls = 8 : i64
// CHECK: tosa.clamp {{.*}}pike.cost = {ace = 0 : i64, acev2 = 64 : i64, {{.*}}others = 8 : i64
// CHECK: tosa.avg_pool2d {{.*}}pike.cost = {ace = 0 : i64, acev2 = 4608 : i64, adds = 16 : i64, {{.*}}muls = 4 : i64
// CHECK: tosa.max_pool2d {{.*}}pike.cost = {ace = 0 : i64, acev2 = 128 : i64, {{.*}}others = 16 : i64
func.func @tosa_elementwise(%a: tensor<8xi8>, %f: tensor<8xf32>, %img: tensor<1x4x4x1xi8>) -> (tensor<8xi8>, tensor<8xf32>, tensor<8xi8>, tensor<1x2x2x1xi8>, tensor<1x2x2x1xi8>) {
  %s = tosa.add %a, %a : (tensor<8xi8>, tensor<8xi8>) -> tensor<8xi8>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %m = tosa.mul %f, %f, %shift : (tensor<8xf32>, tensor<8xf32>, tensor<1xi8>) -> tensor<8xf32>
  %c = tosa.clamp %a {min_val = 0 : i8, max_val = 6 : i8} : (tensor<8xi8>) -> tensor<8xi8>
  %zp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %p = tosa.avg_pool2d %img, %zp, %zp {acc_type = i32, kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x4x4x1xi8>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x2x2x1xi8>
  %x = tosa.max_pool2d %img {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x4x4x1xi8>) -> tensor<1x2x2x1xi8>
  return %s, %m, %c, %p, %x : tensor<8xi8>, tensor<8xf32>, tensor<8xi8>, tensor<1x2x2x1xi8>, tensor<1x2x2x1xi8>
}

// An op without a cost model is named, not silently dropped.
func.func @unmodeled(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-warning @+1 {{pike-acev2: no cost model for 'math.exp'; its arithmetic counts as zero}}
  %e = math.exp %x : tensor<4xf32>
  return %e : tensor<4xf32>
}

// tosa.table is a lookup, as pike.table: one per element at the output's 8 bits.
// CHECK-LABEL: func @tosa_table
// CHECK: tosa.table {{.*}}pike.cost = {ace = 0 : i64, acev2 = 64 : i64, {{.*}}lookups = 8 : i64
func.func @tosa_table(%x: tensor<1x8xi8>) -> tensor<1x8xi8> {
  %t = "tosa.const"() <{values = dense<3> : tensor<256xi8>}> : () -> tensor<256xi8>
  %y = tosa.table %x, %t : (tensor<1x8xi8>, tensor<256xi8>) -> tensor<1x8xi8>
  return %y : tensor<1x8xi8>
}
