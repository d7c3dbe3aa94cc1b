// RUN: pike-opt %s --pike-dhq | FileCheck %s
// RUN: pike-opt %s --pike-dhq="dw-scheme=uniform dw-granularity=per-tensor pw-bits=8" | FileCheck %s --check-prefix=OPTS

// Depthwise weights: per-channel pow2 at 4 bits. Channel 0 has max |w| 1.4:
// 1.4 / 7 = 0.2 -> 0.25; channel 1 max 0.3: 0.3 / 7 = 0.0429 -> 0.0625.
// q0 = round([1.4, -0.5, 0.1, 0.0] / 0.25) = [6, -2, 0, 0];
// q1 = round([0.3, 0.2, -0.1, 0.05] / 0.0625) = [5, 3, -2, 1] (0.8 -> 1).
// The accumulator scale is updated by new / old weight scale:
// 0.01 * 0.25 / 0.5 and 0.01 * 0.0625 / 0.5.
// CHECK-LABEL: func @separable
// CHECK-DAG: %[[DW:.*]] = arith.constant dense<{{\[}}{{\[}}{{\[}}[6], [-2]], {{\[}}[0], [0]]], {{\[}}{{\[}}[5], [3]], {{\[}}[-2], [1]]]]> : tensor<2x2x2x1xi4>
// CHECK: %[[ACC:.*]] = pike.conv2d %arg0, %[[DW]] {groups = 2 : i64,
// CHECK: pike.scale %[[ACC]] {scale = array<f64: 5.000000e-03, 1.250000e-03>}
// Pointwise weights: per-channel uniform at 4 bits: 0.75 / 7 and 0.375 / 7;
// -0.25 / (0.75 / 7) = -2.33 -> -2, 0.125 / (0.375 / 7) = 2.33 -> 2.
// CHECK: %[[PW:.*]] = arith.constant dense<{{\[}}{{\[}}{{\[}}[7, -2]]], {{\[}}{{\[}}[-7, 2]]]]> : tensor<2x1x1x2xi4>
// CHECK: %[[ACC2:.*]] = pike.conv2d %{{.*}}, %[[PW]]
// CHECK: pike.scale %[[ACC2]] {scale = array<f64: 0.1071428{{[0-9]*}}, 0.05357142{{[0-9]*}}>}
// OPTS-LABEL: func @separable
// OPTS: tensor<2x2x2x1xi4>
// OPTS: pike.scale %{{.*}} {scale = array<f64: 0.0039999999{{[0-9]*}}, 0.0039999999{{[0-9]*}}>}
// OPTS: tensor<2x1x1x2xi8>
func.func @separable(%x: tensor<1x4x4x2xi4>) -> tensor<1x3x3x2xf32> {
  %dwf = arith.constant dense<[[[[1.4], [-0.5]], [[0.1], [0.0]]], [[[0.3], [0.2]], [[-0.1], [0.05]]]]> : tensor<2x2x2x1xf32>
  %dwq = pike.quantize %dwf {quantizer = #pike.quantizer<s8, axis = 0, scales = [0.5, 0.5]>} : tensor<2x2x2x1xf32> -> tensor<2x2x2x1xi8>
  %acc = pike.conv2d %x, %dwq {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, groups = 2, input_unsigned} : (tensor<1x4x4x2xi4>, tensor<2x2x2x1xi8>) -> tensor<1x3x3x2xi32>
  %y = pike.scale %acc {scale = array<f64: 0.01>} : tensor<1x3x3x2xi32> -> tensor<1x3x3x2xf32>
  %q = pike.quantize %y {quantizer = #pike.quantizer<u4, scales = [0.1]>} : tensor<1x3x3x2xf32> -> tensor<1x3x3x2xi4>
  %pwf = arith.constant dense<[[[[0.75, -0.25]]], [[[-0.375, 0.125]]]]> : tensor<2x1x1x2xf32>
  %pwq = pike.quantize %pwf {quantizer = #pike.quantizer<s8, scales = [0.1]>} : tensor<2x1x1x2xf32> -> tensor<2x1x1x2xi8>
  %acc2 = pike.conv2d %q, %pwq {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, input_unsigned} : (tensor<1x3x3x2xi4>, tensor<2x1x1x2xi8>) -> tensor<1x3x3x2xi32>
  %y2 = pike.scale %acc2 {scale = array<f64: 0.1>} : tensor<1x3x3x2xi32> -> tensor<1x3x3x2xf32>
  return %y2 : tensor<1x3x3x2xf32>
}

// A 3x3 full convolution is neither side of a separable convolution.
// CHECK-LABEL: func @full_conv_untouched
// CHECK: pike.quantize %{{.*}} : tensor<2x3x3x2xf32> -> tensor<2x3x3x2xi8>
func.func @full_conv_untouched(%x: tensor<1x4x4x2xi4>) -> tensor<1x2x2x2xi32> {
  %wf = arith.constant dense<0.5> : tensor<2x3x3x2xf32>
  %wq = pike.quantize %wf {quantizer = #pike.quantizer<s8, scales = [0.1]>} : tensor<2x3x3x2xf32> -> tensor<2x3x3x2xi8>
  %acc = pike.conv2d %x, %wq {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>} : (tensor<1x4x4x2xi4>, tensor<2x3x3x2xi8>) -> tensor<1x2x2x2xi32>
  return %acc : tensor<1x2x2x2xi32>
}
