// A 1x1 convolution of 128 u8 channels to 128 filters, no epilogue.
func.func @main(%x: tensor<1x14x14x128xi8>) -> tensor<1x14x14x128xi32> {
  %w = arith.constant dense<3> : tensor<128x1x1x128xi8>
  %y = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>,
                           input_unsigned}
      : (tensor<1x14x14x128xi8>, tensor<128x1x1x128xi8>) -> tensor<1x14x14x128xi32>
  return %y : tensor<1x14x14x128xi32>
}
