// RUN: pike-opt %s --split-input-file --convert-pike-to-cpu-kernels=target=avx512-vnni --canonicalize | FileCheck %s
// RUN: pike-opt %s --split-input-file --convert-pike-to-cpu-kernels="target=avx512-vnni separable-kernels=false" --canonicalize | FileCheck %s --check-prefix=TWO
// RUN: pike-opt %s --split-input-file --convert-pike-to-cpu-kernels=target=vector --canonicalize | FileCheck %s --check-prefix=VECTOR
// RUN: pike-opt %s --split-input-file --convert-pike-to-cpu-kernels="target=vector byte-pairs=false" --canonicalize | FileCheck %s --check-prefix=VECTOR-WIDE
// RUN: pike-opt %s --split-input-file --convert-pike-to-cpu-kernels="target=avx512-vnni report=true" -o /dev/null 2>&1 | FileCheck %s --check-prefix=REPORT

// A depthwise layer whose u8 output only a pointwise layer reads: one
// kernel, whose loop over output rows fills a row of the intermediate tensor
// (an argument, returned so that its rows stay in place) and then the
// pointwise row that reads it.
// CHECK-LABEL: func.func private @block_separable(
// CHECK-SAME: %arg0: tensor<1x6x6x16xi8>, %arg1: tensor<1x6x6x16xi8>, %arg2: tensor<1x6x6x24xi8>)
// CHECK-SAME: -> (tensor<1x6x6x16xi8>, tensor<1x6x6x24xi8>)
// CHECK: scf.forall ({{.*}}) in (6) shared_outs(%{{.*}} = %arg1, %{{.*}} = %arg2) -> (tensor<1x6x6x16xi8>, tensor<1x6x6x24xi8>)
// CHECK: pike.vector_dot4
// CHECK-LABEL: func.func @block(
// CHECK-NOT: pike.conv2d
// CHECK: %[[BOTH:.*]]:2 = call @block_separable
// CHECK-NOT: call
// CHECK: return %[[BOTH]]#1
// TWO-LABEL: func.func @block(
// TWO: call @block_conv2d(
// TWO: call @block_conv2d_0(
// On `vector` the pointwise layer's weights (|w| = 2 against u8: 1020 a
// pair) take byte pairs, which read the depthwise rows as they are: one
// kernel. Its i16 pairs would read a widened copy: two.
// VECTOR-LABEL: func.func @block(
// VECTOR: call @block_separable(
// VECTOR-WIDE-LABEL: func.func @block(
// VECTOR-WIDE: call @block_conv2d(
// VECTOR-WIDE: call @block_conv2d_0(
func.func @block(%x: tensor<1x6x6x16xi8>) -> (tensor<1x6x6x24xi8>) {
  %wd = arith.constant dense<3> : tensor<16x3x3x1xi8>
  %wp = arith.constant dense<-2> : tensor<24x1x1x16xi8>
  %a = pike.conv2d %x, %wd {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, groups = 16 : i64, input_unsigned, input_zp = 100 : i64}
      : (tensor<1x6x6x16xi8>, tensor<16x3x3x1xi8>) -> tensor<1x6x6x16xi32>
  %m = pike.quant_norm %a {multiplier = #pike.fixed_point<bits = 32, multipliers = [1518500250], shifts = [40]>, output_zp = 5 : i64, output_unsigned}
      : tensor<1x6x6x16xi32> -> tensor<1x6x6x16xi8>
  %b = pike.conv2d %m, %wp {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, input_unsigned, input_zp = 5 : i64}
      : (tensor<1x6x6x16xi8>, tensor<24x1x1x16xi8>) -> tensor<1x6x6x24xi32>
  %y = pike.quant_norm %b {multiplier = #pike.fixed_point<bits = 32, multipliers = [1518500250], shifts = [40]>, output_unsigned}
      : tensor<1x6x6x24xi32> -> tensor<1x6x6x24xi8>
  return %y : tensor<1x6x6x24xi8>
}

// -----

// The pointwise layer's residual add (an inverted residual block without
// its expansion) goes into the same kernel: its other operand is the
// kernel's second argument, read where each vector is stored.
// CHECK-LABEL: func.func private @residual_separable(
// CHECK-SAME: %arg0: tensor<1x6x6x16xi8>, %arg1: tensor<1x6x6x24xi8>, %arg2: tensor<1x6x6x16xi8>, %arg3: tensor<1x6x6x24xi8>)
// CHECK: vector.transfer_read %arg1[
// CHECK-LABEL: func.func @residual(
// CHECK-NOT: pike.add
// CHECK: call @residual_separable(%arg0, %arg1,
func.func @residual(%x: tensor<1x6x6x16xi8>, %skip: tensor<1x6x6x24xi8>) -> tensor<1x6x6x24xi8> {
  %wd = arith.constant dense<3> : tensor<16x3x3x1xi8>
  %wp = arith.constant dense<-2> : tensor<24x1x1x16xi8>
  %a = pike.conv2d %x, %wd {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, groups = 16 : i64, input_unsigned, input_zp = 100 : i64}
      : (tensor<1x6x6x16xi8>, tensor<16x3x3x1xi8>) -> tensor<1x6x6x16xi32>
  %m = pike.quant_norm %a {multiplier = #pike.fixed_point<bits = 32, multipliers = [1518500250], shifts = [40]>, output_zp = 5 : i64, output_unsigned}
      : tensor<1x6x6x16xi32> -> tensor<1x6x6x16xi8>
  %b = pike.conv2d %m, %wp {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, input_unsigned, input_zp = 5 : i64}
      : (tensor<1x6x6x16xi8>, tensor<24x1x1x16xi8>) -> tensor<1x6x6x24xi32>
  %y = pike.quant_norm %b {multiplier = #pike.fixed_point<bits = 32, multipliers = [1518500250], shifts = [40]>, output_unsigned}
      : tensor<1x6x6x24xi32> -> tensor<1x6x6x24xi8>
  %s = pike.add %y, %skip {lhs_scale = #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [31]>, rhs_scale = #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [31]>, lhs_unsigned, rhs_unsigned, rhs_zp = 100 : i64, output_unsigned}
      : (tensor<1x6x6x24xi8>, tensor<1x6x6x24xi8>) -> tensor<1x6x6x24xi8>
  return %s : tensor<1x6x6x24xi8>
}

// -----

// A 4-bit intermediate: the kernels store it as bytes holding its numbers,
// which the pointwise rows read.
// CHECK-LABEL: func.func private @four_bit_separable(
// CHECK-SAME: %arg1: tensor<1x6x6x16xi8>
// CHECK-LABEL: func.func @four_bit(
// CHECK-NOT: pike.conv2d
func.func @four_bit(%x: tensor<1x6x6x16xi8>) -> (tensor<1x6x6x24xi8>) {
  %wd = arith.constant dense<3> : tensor<16x3x3x1xi8>
  %wp = arith.constant dense<-2> : tensor<24x1x1x16xi4>
  %a = pike.conv2d %x, %wd {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, groups = 16 : i64, input_unsigned, input_zp = 100 : i64}
      : (tensor<1x6x6x16xi8>, tensor<16x3x3x1xi8>) -> tensor<1x6x6x16xi32>
  %m = pike.quant_norm %a {multiplier = #pike.fixed_point<bits = 32, multipliers = [1518500250], shifts = [40]>, output_zp = 5 : i64, output_unsigned}
      : tensor<1x6x6x16xi32> -> tensor<1x6x6x16xi4>
  %b = pike.conv2d %m, %wp {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, input_unsigned, input_zp = 5 : i64}
      : (tensor<1x6x6x16xi4>, tensor<24x1x1x16xi4>) -> tensor<1x6x6x24xi32>
  %y = pike.quant_norm %b {multiplier = #pike.fixed_point<bits = 32, multipliers = [1518500250], shifts = [40]>, output_unsigned}
      : tensor<1x6x6x24xi32> -> tensor<1x6x6x24xi8>
  return %y : tensor<1x6x6x24xi8>
}

// -----

// A 4-bit intermediate the pointwise layer reads with the other
// signedness: its bytes would need extending again.
// CHECK-LABEL: func.func @four_bit_other_signedness(
// CHECK: call @four_bit_other_signedness_conv2d(
// CHECK: call @four_bit_other_signedness_conv2d_0(
// REPORT: remark: depthwise-separable block kept as two kernels: the pointwise layer reads the narrow depthwise result with the other signedness
func.func @four_bit_other_signedness(%x: tensor<1x6x6x16xi8>) -> (tensor<1x6x6x24xi8>) {
  %wd = arith.constant dense<3> : tensor<16x3x3x1xi8>
  %wp = arith.constant dense<-2> : tensor<24x1x1x16xi8>
  %a = pike.conv2d %x, %wd {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, groups = 16 : i64, input_unsigned, input_zp = 100 : i64}
      : (tensor<1x6x6x16xi8>, tensor<16x3x3x1xi8>) -> tensor<1x6x6x16xi32>
  %m = pike.quant_norm %a {multiplier = #pike.fixed_point<bits = 32, multipliers = [1518500250], shifts = [40]>}
      : tensor<1x6x6x16xi32> -> tensor<1x6x6x16xi4>
  %b = pike.conv2d %m, %wp {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, input_unsigned}
      : (tensor<1x6x6x16xi4>, tensor<24x1x1x16xi8>) -> tensor<1x6x6x24xi32>
  %y = pike.quant_norm %b {multiplier = #pike.fixed_point<bits = 32, multipliers = [1518500250], shifts = [40]>, output_unsigned}
      : tensor<1x6x6x24xi32> -> tensor<1x6x6x24xi8>
  return %y : tensor<1x6x6x24xi8>
}

// -----

// The refusals, each two kernels: an s8 intermediate (the quads read u8, so
// the pointwise kernel would read a flipped copy) ...
// CHECK-LABEL: func.func @signed(
// CHECK: call @signed_conv2d(
// CHECK: call @signed_conv2d_0(
// REPORT: remark: depthwise-separable block kept as two kernels: the pointwise kernel reads a copy of its input
func.func @signed(%x: tensor<1x6x6x16xi8>) -> (tensor<1x6x6x16xi8>) {
  %wd = arith.constant dense<3> : tensor<16x3x3x1xi8>
  %wp = arith.constant dense<-2> : tensor<16x1x1x16xi8>
  %a = pike.conv2d %x, %wd {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, groups = 16 : i64, input_unsigned, input_zp = 100 : i64}
      : (tensor<1x6x6x16xi8>, tensor<16x3x3x1xi8>) -> tensor<1x6x6x16xi32>
  %m = pike.quant_norm %a {multiplier = #pike.fixed_point<bits = 32, multipliers = [1518500250], shifts = [40]>, output_zp = 5 : i64}
      : tensor<1x6x6x16xi32> -> tensor<1x6x6x16xi8>
  %b = pike.conv2d %m, %wp {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, input_zp = 5 : i64}
      : (tensor<1x6x6x16xi8>, tensor<16x1x1x16xi8>) -> tensor<1x6x6x16xi32>
  %y = pike.quant_norm %b {multiplier = #pike.fixed_point<bits = 32, multipliers = [1518500250], shifts = [40]>, output_unsigned}
      : tensor<1x6x6x16xi32> -> tensor<1x6x6x16xi8>
  return %y : tensor<1x6x6x16xi8>
}

// -----

// ... channels that steps of 4 pad (the kernel reads a padded copy) ...
// CHECK-LABEL: func.func @padded_steps(
// CHECK: call @padded_steps_conv2d(
// CHECK: call @padded_steps_conv2d_0(
// REPORT: remark: depthwise-separable block kept as two kernels: the pointwise kernel reads a copy of its input
func.func @padded_steps(%x: tensor<1x6x6x18xi8>) -> (tensor<1x6x6x8xi8>) {
  %wd = arith.constant dense<3> : tensor<18x3x3x1xi8>
  %wp = arith.constant dense<-2> : tensor<8x1x1x18xi8>
  %a = pike.conv2d %x, %wd {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, groups = 18 : i64, input_unsigned, input_zp = 100 : i64}
      : (tensor<1x6x6x18xi8>, tensor<18x3x3x1xi8>) -> tensor<1x6x6x18xi32>
  %m = pike.quant_norm %a {multiplier = #pike.fixed_point<bits = 32, multipliers = [1518500250], shifts = [40]>, output_zp = 5 : i64, output_unsigned}
      : tensor<1x6x6x18xi32> -> tensor<1x6x6x18xi8>
  %b = pike.conv2d %m, %wp {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, input_unsigned, input_zp = 5 : i64}
      : (tensor<1x6x6x18xi8>, tensor<8x1x1x18xi8>) -> tensor<1x6x6x8xi32>
  %y = pike.quant_norm %b {multiplier = #pike.fixed_point<bits = 32, multipliers = [1518500250], shifts = [40]>, output_unsigned}
      : tensor<1x6x6x8xi32> -> tensor<1x6x6x8xi8>
  return %y : tensor<1x6x6x8xi8>
}

// -----

// ... a depthwise result that something else reads ...
// CHECK-LABEL: func.func @shared(
// CHECK: call @shared_conv2d(
// CHECK: call @shared_conv2d_0(
// A result read elsewhere is no block: no remark.
// REPORT-NOT: remark
func.func @shared(%x: tensor<1x6x6x16xi8>) -> (tensor<1x6x6x16xi8>, tensor<1x6x6x16xi8>) {
  %wd = arith.constant dense<3> : tensor<16x3x3x1xi8>
  %wp = arith.constant dense<-2> : tensor<16x1x1x16xi8>
  %a = pike.conv2d %x, %wd {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, groups = 16 : i64, input_unsigned, input_zp = 100 : i64}
      : (tensor<1x6x6x16xi8>, tensor<16x3x3x1xi8>) -> tensor<1x6x6x16xi32>
  %m = pike.quant_norm %a {multiplier = #pike.fixed_point<bits = 32, multipliers = [1518500250], shifts = [40]>, output_zp = 5 : i64, output_unsigned}
      : tensor<1x6x6x16xi32> -> tensor<1x6x6x16xi8>
  %b = pike.conv2d %m, %wp {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, input_unsigned, input_zp = 5 : i64}
      : (tensor<1x6x6x16xi8>, tensor<16x1x1x16xi8>) -> tensor<1x6x6x16xi32>
  %y = pike.quant_norm %b {multiplier = #pike.fixed_point<bits = 32, multipliers = [1518500250], shifts = [40]>, output_unsigned}
      : tensor<1x6x6x16xi32> -> tensor<1x6x6x16xi8>
  return %y, %m : tensor<1x6x6x16xi8>, tensor<1x6x6x16xi8>
}

// -----

// ... a call between the two layers (pike-instrument-layers' timer mark,
// which times the depthwise layer alone) ...
// CHECK-LABEL: func.func @marked(
// CHECK: call @marked_conv2d(
// CHECK: call @pike_profile_mark(
// CHECK: call @marked_conv2d_0(
// REPORT: remark: depthwise-separable block kept as two kernels: 'func.call' with effects runs between the two
func.func private @pike_profile_mark(i64)
func.func @marked(%x: tensor<1x6x6x16xi8>) -> (tensor<1x6x6x16xi8>) {
  %wd = arith.constant dense<3> : tensor<16x3x3x1xi8>
  %wp = arith.constant dense<-2> : tensor<16x1x1x16xi8>
  %a = pike.conv2d %x, %wd {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, groups = 16 : i64, input_unsigned, input_zp = 100 : i64}
      : (tensor<1x6x6x16xi8>, tensor<16x3x3x1xi8>) -> tensor<1x6x6x16xi32>
  %m = pike.quant_norm %a {multiplier = #pike.fixed_point<bits = 32, multipliers = [1518500250], shifts = [40]>, output_zp = 5 : i64, output_unsigned}
      : tensor<1x6x6x16xi32> -> tensor<1x6x6x16xi8>
  %id = arith.constant 1 : i64
  func.call @pike_profile_mark(%id) : (i64) -> ()
  %b = pike.conv2d %m, %wp {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, input_unsigned, input_zp = 5 : i64}
      : (tensor<1x6x6x16xi8>, tensor<16x1x1x16xi8>) -> tensor<1x6x6x16xi32>
  %y = pike.quant_norm %b {multiplier = #pike.fixed_point<bits = 32, multipliers = [1518500250], shifts = [40]>, output_unsigned}
      : tensor<1x6x6x16xi32> -> tensor<1x6x6x16xi8>
  return %y : tensor<1x6x6x16xi8>
}

// -----

// ... a consumer that is not 1x1 ...
// CHECK-LABEL: func.func @three_by_three(
// CHECK: call @three_by_three_conv2d(
// CHECK: call @three_by_three_conv2d_0(
// REPORT: remark: depthwise-separable block kept as two kernels: the consumer is not 1x1 with stride 1
func.func @three_by_three(%x: tensor<1x6x6x16xi8>) -> (tensor<1x6x6x16xi8>) {
  %wd = arith.constant dense<3> : tensor<16x3x3x1xi8>
  %wp = arith.constant dense<-2> : tensor<16x3x3x16xi8>
  %a = pike.conv2d %x, %wd {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, groups = 16 : i64, input_unsigned, input_zp = 100 : i64}
      : (tensor<1x6x6x16xi8>, tensor<16x3x3x1xi8>) -> tensor<1x6x6x16xi32>
  %m = pike.quant_norm %a {multiplier = #pike.fixed_point<bits = 32, multipliers = [1518500250], shifts = [40]>, output_zp = 5 : i64, output_unsigned}
      : tensor<1x6x6x16xi32> -> tensor<1x6x6x16xi8>
  %b = pike.conv2d %m, %wp {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, input_unsigned, input_zp = 5 : i64}
      : (tensor<1x6x6x16xi8>, tensor<16x3x3x16xi8>) -> tensor<1x6x6x16xi32>
  %y = pike.quant_norm %b {multiplier = #pike.fixed_point<bits = 32, multipliers = [1518500250], shifts = [40]>, output_unsigned}
      : tensor<1x6x6x16xi32> -> tensor<1x6x6x16xi8>
  return %y : tensor<1x6x6x16xi8>
}

// -----

// ... or strided.
// CHECK-LABEL: func.func @strided(
// CHECK: call @strided_conv2d(
// CHECK: call @strided_conv2d_0(
// REPORT: remark: depthwise-separable block kept as two kernels: the consumer is not 1x1 with stride 1
func.func @strided(%x: tensor<1x6x6x16xi8>) -> (tensor<1x3x3x16xi8>) {
  %wd = arith.constant dense<3> : tensor<16x3x3x1xi8>
  %wp = arith.constant dense<-2> : tensor<16x1x1x16xi8>
  %a = pike.conv2d %x, %wd {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, groups = 16 : i64, input_unsigned, input_zp = 100 : i64}
      : (tensor<1x6x6x16xi8>, tensor<16x3x3x1xi8>) -> tensor<1x6x6x16xi32>
  %m = pike.quant_norm %a {multiplier = #pike.fixed_point<bits = 32, multipliers = [1518500250], shifts = [40]>, output_zp = 5 : i64, output_unsigned}
      : tensor<1x6x6x16xi32> -> tensor<1x6x6x16xi8>
  %b = pike.conv2d %m, %wp {strides = array<i64: 2, 2>, padding = array<i64: 0, 0, 0, 0>, input_unsigned, input_zp = 5 : i64}
      : (tensor<1x6x6x16xi8>, tensor<16x1x1x16xi8>) -> tensor<1x3x3x16xi32>
  %y = pike.quant_norm %b {multiplier = #pike.fixed_point<bits = 32, multipliers = [1518500250], shifts = [40]>, output_unsigned}
      : tensor<1x3x3x16xi32> -> tensor<1x3x3x16xi8>
  return %y : tensor<1x3x3x16xi8>
}
