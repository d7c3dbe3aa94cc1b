// One function per integer lowering; integer-ops.test runs each through
// pike-run and the NumPy reference on the same random input.

// Residual block: two branches of grouped / depthwise-multiplier convs,
// requantized, summed with operand rescale, then max and average pooling.
func.func @residual(%x: tensor<1x6x6x4xi8>) -> tensor<1x1x1x4xi8> {
  %wg = arith.constant dense<[[[[1, -2], [3, 0], [-1, 2]], [[2, 2], [-3, 1], [0, 1]], [[1, 0], [0, -1], [2, 3]]], [[[-1, 1], [2, 2], [1, -3]], [[0, 1], [1, 1], [-2, 0]], [[3, -1], [1, 0], [0, 2]]], [[[2, 0], [-1, -1], [1, 1]], [[1, -2], [0, 3], [2, 1]], [[-1, 0], [1, 2], [0, -2]]], [[[0, 3], [1, -1], [2, 0]], [[-2, 1], [1, 0], [1, 1]], [[0, -1], [3, 2], [1, 0]]]]> : tensor<4x3x3x2xi8>
  %g = pike.conv2d %x, %wg {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, groups = 2, input_zp = -5, weight_zp = 1} : (tensor<1x6x6x4xi8>, tensor<4x3x3x2xi8>) -> tensor<1x6x6x4xi32>
  %gq = pike.requantize %g {multiplier = #pike.fixed_point<bits = 32, multipliers = [1073741824, 1431655765, 1717986918, 1227133513], shifts = [35, 36, 37, 36]>, output_zp = 3} : tensor<1x6x6x4xi32> -> tensor<1x6x6x4xi8>
  %wd = arith.constant dense<[[[[3], [-1], [2]], [[0], [1], [-2]], [[1], [2], [1]]], [[[-2], [1], [0]], [[2], [3], [-1]], [[1], [0], [2]]], [[[1], [1], [1]], [[-1], [2], [0]], [[3], [-2], [1]]], [[[0], [2], [-3]], [[1], [1], [2]], [[-1], [0], [1]]]]> : tensor<4x3x3x1xi8>
  %xs = tensor.extract_slice %x[0, 0, 0, 0] [1, 6, 6, 2] [1, 1, 1, 1] : tensor<1x6x6x4xi8> to tensor<1x6x6x2xi8>
  %d = pike.conv2d %xs, %wd {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, groups = 2} : (tensor<1x6x6x2xi8>, tensor<4x3x3x1xi8>) -> tensor<1x6x6x4xi32>
  %dq = pike.quant_norm %d {multiplier = #pike.fixed_point<bits = 8, multipliers = [97, 121, 77, 100], shifts = [13]>, bias = array<i64: 1024, -512, 0, 333>, output_zp = -2, min = -20, max = 100} : tensor<1x6x6x4xi32> -> tensor<1x6x6x4xi8>
  %s = pike.add %gq, %dq {lhs_scale = #pike.fixed_point<bits = 16, multipliers = [16384], shifts = [15]>, rhs_scale = #pike.fixed_point<bits = 16, multipliers = [24577], shifts = [15]>, lhs_zp = 3, rhs_zp = -2, output_zp = 1} : (tensor<1x6x6x4xi8>, tensor<1x6x6x4xi8>) -> tensor<1x6x6x4xi8>
  %c = pike.clamp %s {min = -50 : i64, max = 60 : i64} : tensor<1x6x6x4xi8>
  %m = pike.max_pool2d %c {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>} : tensor<1x6x6x4xi8> -> tensor<1x3x3x4xi8>
  %a = pike.avg_pool2d %m {kernel = array<i64: 3, 3>, input_zp = 1, output_zp = -1} : tensor<1x3x3x4xi8> -> tensor<1x1x1x4xi8>
  return %a : tensor<1x1x1x4xi8>
}

// Unsigned 4-bit activations through a fully-connected layer with zero
// points on both sides and an integer bias, then unsigned average and max pooling.
func.func @unsigned(%x: tensor<2x2x2x16xi4>) -> (tensor<2x8xi32>, tensor<2x1x1x16xi4>, tensor<2x1x1x16xi4>) {
  %flat = tensor.collapse_shape %x [[0], [1, 2, 3]] : tensor<2x2x2x16xi4> into tensor<2x64xi4>
  %w = arith.constant dense<7> : tensor<8x64xi4>
  %b = arith.constant dense<[1, -2, 3, -4, 5, -6, 7, -8]> : tensor<8xi32>
  %fc = pike.fully_connected %flat, %w, %b {input_unsigned, input_zp = 8, weight_unsigned, weight_zp = 2} : (tensor<2x64xi4>, tensor<8x64xi4>, tensor<8xi32>) -> tensor<2x8xi32>
  %p = pike.avg_pool2d %x {kernel = array<i64: 2, 2>, input_unsigned, input_zp = 3, output_zp = 3} : tensor<2x2x2x16xi4> -> tensor<2x1x1x16xi4>
  %m = pike.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, input_unsigned} : tensor<2x2x2x16xi4> -> tensor<2x1x1x16xi4>
  return %fc, %p, %m : tensor<2x8xi32>, tensor<2x1x1x16xi4>, tensor<2x1x1x16xi4>
}
