// RUN: pike-opt %s --pike-acev2 | FileCheck %s

// Padded averages cost what their lowering emits. 32 outputs of 3x3
// windows: 9 adds each of the (zero-padded) sums, and per input or output
// one centering subtract, + n and + zp: 32 * 9 + 3 * 32 = 384 adds. One
// divisor for all (counted padding): 2 * sum and / 2n, 2 muls per output
// (64). Per-window divisors (padding that does not count) add n = rows[h]
// * columns[w] and 2n: 4 muls per output (128).
// CHECK-LABEL: func @padded_averages
// CHECK: pike.avg_pool2d %arg0 {count_include_pad, {{.*}}pike.cost = {ace = 0 : i64, acev2 = {{[0-9]+}} : i64, adds = 384 : i64, {{.*}}, macs = 0 : i64, muls = 64 : i64, others = 64 : i64}}
// CHECK: pike.avg_pool2d %arg0 {{{.*}}pike.cost = {ace = 0 : i64, acev2 = {{[0-9]+}} : i64, adds = 384 : i64, {{.*}}, macs = 0 : i64, muls = 128 : i64, others = 64 : i64}}
func.func @padded_averages(%x: tensor<1x4x4x2xi8>) -> (tensor<1x4x4x2xi8>, tensor<1x4x4x2xi8>) {
  %a = pike.avg_pool2d %x {kernel = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>, count_include_pad, input_zp = 3, output_zp = 3} : tensor<1x4x4x2xi8> -> tensor<1x4x4x2xi8>
  %b = pike.avg_pool2d %x {kernel = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>, input_zp = 3, output_zp = 3} : tensor<1x4x4x2xi8> -> tensor<1x4x4x2xi8>
  return %a, %b : tensor<1x4x4x2xi8>, tensor<1x4x4x2xi8>
}

// Ties to even cost what their lowering emits: per output q = sum / n,
// q * n and 2r (3 muls, 96), r = sum - q * n and q + the round bit (one add
// more than half up's 2 * sum + n: 288 + 4 * 32 = 416), and two compares,
// an and and an or (4 * 32 more others: 192). Per-window divisors add
// rows[h] * columns[w]: 4 muls per output (128).
// CHECK-LABEL: func @half_even_averages
// CHECK: pike.avg_pool2d %arg0 {count_include_pad, {{.*}}pike.cost = {ace = 0 : i64, acev2 = {{[0-9]+}} : i64, adds = 416 : i64, {{.*}}, macs = 0 : i64, muls = 96 : i64, others = 192 : i64}
// CHECK: pike.avg_pool2d %arg0 {{{.*}}pike.cost = {ace = 0 : i64, acev2 = {{[0-9]+}} : i64, adds = 416 : i64, {{.*}}, macs = 0 : i64, muls = 128 : i64, others = 192 : i64}
func.func @half_even_averages(%x: tensor<1x4x4x2xi8>) -> (tensor<1x4x4x2xi8>, tensor<1x4x4x2xi8>) {
  %a = pike.avg_pool2d %x {kernel = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>, count_include_pad, input_zp = 3, output_zp = 3, rounding = #pike<average_rounding half_even>} : tensor<1x4x4x2xi8> -> tensor<1x4x4x2xi8>
  %b = pike.avg_pool2d %x {kernel = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>, input_zp = 3, output_zp = 3, rounding = #pike<average_rounding half_even>} : tensor<1x4x4x2xi8> -> tensor<1x4x4x2xi8>
  return %a, %b : tensor<1x4x4x2xi8>, tensor<1x4x4x2xi8>
}
