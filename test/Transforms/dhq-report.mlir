// RUN: pike-opt %s --pike-dhq="report=true" -verify-diagnostics -o /dev/null

// Depthwise: per-channel pow2 scales 0.25 and 0.0625 leave a relative RMS
// error; pointwise weights that are multiples of their uniform step are exact.
func.func @separable(%x: tensor<1x4x4x2xi4>) -> tensor<1x3x3x2xf32> {
  %dwf = arith.constant dense<[[[[1.4], [-0.5]], [[0.1], [0.0]]], [[[0.3], [0.2]], [[-0.1], [0.05]]]]> : tensor<2x2x2x1xf32>
  %dwq = pike.quantize %dwf {quantizer = #pike.quantizer<s8, axis = 0, scales = [0.5, 0.5]>} : tensor<2x2x2x1xf32> -> tensor<2x2x2x1xi8>
  // expected-remark @+1 {{pike-dhq: dw weights to 4-bit pow2 per-channel, relative RMS error 9.449}}
  %acc = pike.conv2d %x, %dwq {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, groups = 2, input_unsigned} : (tensor<1x4x4x2xi4>, tensor<2x2x2x1xi8>) -> tensor<1x3x3x2xi32>
  %y = pike.scale %acc {scale = array<f64: 0.01>} : tensor<1x3x3x2xi32> -> tensor<1x3x3x2xf32>
  %q = pike.quantize %y {quantizer = #pike.quantizer<u4, scales = [0.1]>} : tensor<1x3x3x2xf32> -> tensor<1x3x3x2xi4>
  %pwf = arith.constant dense<[[[[0.7, -0.2]]], [[[-0.35, 0.1]]]]> : tensor<2x1x1x2xf32>
  %pwq = pike.quantize %pwf {quantizer = #pike.quantizer<s8, scales = [0.1]>} : tensor<2x1x1x2xf32> -> tensor<2x1x1x2xi8>
  // expected-remark @+1 {{pike-dhq: pw weights to 4-bit uniform per-channel, relative RMS error}}
  %acc2 = pike.conv2d %q, %pwq {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, input_unsigned} : (tensor<1x3x3x2xi4>, tensor<2x1x1x2xi8>) -> tensor<1x3x3x2xi32>
  %y2 = pike.scale %acc2 {scale = array<f64: 0.1>} : tensor<1x3x3x2xi32> -> tensor<1x3x3x2xf32>
  return %y2 : tensor<1x3x3x2xf32>
}
