// On `vector`, a layer that steps on byte pairs (weights within 64 against
// an unsigned input: the pairs' sums stay in i16) gets a tile of 3 pixels x
// 1 vector: its i16 products and broadcasts take registers at every step
// besides the accumulators, and 4 pixels spilled in the innermost loop. A
// chosen `dense-tile` still wins; the AVX-512 tile is not affected.
// RUN: pike-opt %s --convert-pike-to-cpu-kernels="target=vector row-parts=false" | FileCheck %s --check-prefix=PAIRS
// RUN: pike-opt %s --convert-pike-to-cpu-kernels="target=vector row-parts=false dense-tile=4x1" | FileCheck %s --check-prefix=CHOSEN
// RUN: pike-opt %s --convert-pike-to-cpu-kernels="target=vector row-parts=false byte-pairs=false" | FileCheck %s --check-prefix=I16
// RUN: pike-opt %s --convert-pike-to-cpu-kernels="target=avx512-vnni row-parts=false" | FileCheck %s --check-prefix=WIDE

// PAIRS-NOT: -> (vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>)
// PAIRS: scf.for {{.*}} -> (vector<16xi32>, vector<16xi32>, vector<16xi32>) {
// PAIRS-NOT: -> (vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>)
// PAIRS: scf.for {{.*}} -> (vector<32xi16>, vector<32xi16>, vector<32xi16>) {
// PAIRS-NOT: -> (vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>)
// CHOSEN: scf.for {{.*}} -> (vector<32xi16>, vector<32xi16>, vector<32xi16>, vector<32xi16>) {
// I16-NOT: vector<32xi16>, vector<32xi16>
// I16: scf.for {{.*}} -> (vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>) {
// WIDE: scf.for {{.*}} -> (vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>)

func.func @main(%x: tensor<1x8x8x16xi8>) -> tensor<1x8x8x64xi8> {
  %w = arith.constant dense<50> : tensor<64x1x1x16xi8>
  %a = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, input_unsigned}
      : (tensor<1x8x8x16xi8>, tensor<64x1x1x16xi8>) -> tensor<1x8x8x64xi32>
  %y = pike.quant_norm %a {multiplier = #pike.fixed_point<bits = 32, multipliers = [1518500250], shifts = [40]>, output_unsigned}
      : tensor<1x8x8x64xi32> -> tensor<1x8x8x64xi8>
  return %y : tensor<1x8x8x64xi8>
}
