// RUN: pike-opt %s --convert-pike-to-cpu-kernels=target=avx512-vnni --pike-acev2 --verify-diagnostics -o /dev/null

// ACEv2 is defined on tensor-level IR: on the CPU kernels' loop nests (index
// arithmetic, vectors) it runs, and warns that a loop body counts once.
func.func @main(%x: tensor<1x4x4x16xi8>) -> tensor<1x4x4x32xi8> {
  %w = arith.constant dense<3> : tensor<32x1x1x16xi8>
  // expected-warning @+1 {{pike-acev2: this loop's body counts once, not once per iteration}}
  %acc = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, input_unsigned}
      : (tensor<1x4x4x16xi8>, tensor<32x1x1x16xi8>) -> tensor<1x4x4x32xi32>
  %y = pike.quant_norm %acc {multiplier = #pike.fixed_point<bits = 16, multipliers = [20000], shifts = [20]>, output_unsigned}
      : tensor<1x4x4x32xi32> -> tensor<1x4x4x32xi8>
  return %y : tensor<1x4x4x32xi8>
}
