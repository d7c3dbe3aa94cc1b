// A depthwise 3x3 layer on 20 signed channels: one whole channel vector
// and one partial, whose quads came from flipped rows.
func.func @main(%x: tensor<1x9x9x20xi8>) -> tensor<1x9x9x20xi8> {
  %w = arith.constant dense<3> : tensor<20x3x3x1xi8>
  %y = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, groups = 20 : i64}
      : (tensor<1x9x9x20xi8>, tensor<20x3x3x1xi8>) -> tensor<1x9x9x20xi32>
  %z = pike.quant_norm %y {multiplier = #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [34]>}
      : tensor<1x9x9x20xi32> -> tensor<1x9x9x20xi8>
  return %z : tensor<1x9x9x20xi8>
}
