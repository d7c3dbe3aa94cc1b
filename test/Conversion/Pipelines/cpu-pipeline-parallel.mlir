// RUN: pike-opt %s "--pike-cpu-pipeline=target=vector parallel=true" | FileCheck %s --check-prefix=PARALLEL
// RUN: pike-opt %s "--pike-cpu-pipeline=target=vector" | FileCheck %s --check-prefix=SERIAL

// With parallel=true the loop over a kernel's output rows becomes an OpenMP
// worksharing loop; without it, plain branches.
// PARALLEL: llvm.func @main_conv2d(
// PARALLEL: omp.parallel
// PARALLEL: omp.wsloop
// PARALLEL: omp.loop_nest
// SERIAL-NOT: omp.
func.func @main(%x: tensor<1x8x8x16xi8>) -> tensor<1x8x8x32xi32> {
  %w = arith.constant dense<1> : tensor<32x1x1x16xi8>
  %acc = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, input_unsigned}
      : (tensor<1x8x8x16xi8>, tensor<32x1x1x16xi8>) -> tensor<1x8x8x32xi32>
  return %acc : tensor<1x8x8x32xi32>
}
