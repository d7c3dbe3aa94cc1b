// Input of the embedding example: a TOSA layer from another compiler next to
// a pike block in quantized-graph form. embed-pike prints what it costs
// (checked by scripts/test.sh with FileCheck).

// TOSA conv: 2x2x3 outputs of 3*3*2 i8 MACs = 216 MACs, ACE 216*64 = 13824.
// pike block: 2 outputs of 4 i8 MACs = 8 MACs, ACE 512, plus its real scale
// and quantize. Double Quantization then QuantNorm make the block integer.
// The tosa.rescale costs as the pike.requantize computing the same function.
// CHECK: input: ops 5 macs 224 ace 14336 acev2 34176
// CHECK: integer form: ops 4 macs 224 ace 14336 acev2 30318
// CHECK: lowered to affine: yes

func.func @tosa_layer(%x: tensor<1x4x4x2xi8>) -> tensor<1x2x2x3xi8> {
  %w = "tosa.const"() <{values = dense<3> : tensor<3x3x3x2xi8>}> : () -> tensor<3x3x3x2xi8>
  %bias = "tosa.const"() <{values = dense<0> : tensor<3xi32>}> : () -> tensor<3xi32>
  %zp8 = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %zp32 = "tosa.const"() <{values = dense<0> : tensor<1xi32>}> : () -> tensor<1xi32>
  %acc = tosa.conv2d %x, %w, %bias, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xi8>, tensor<3x3x3x2xi8>, tensor<3xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x2x2x3xi32>
  %m = "tosa.const"() <{values = dense<1073741824> : tensor<1xi32>}> : () -> tensor<1xi32>
  %s = "tosa.const"() <{values = dense<38> : tensor<1xi8>}> : () -> tensor<1xi8>
  %r = tosa.rescale %acc, %m, %s, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = SINGLE_ROUND, scale32 = true} : (tensor<1x2x2x3xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x2x2x3xi8>
  return %r : tensor<1x2x2x3xi8>
}

func.func @pike_block(%x: tensor<1x4xi8>) -> tensor<1x2xi4> {
  %w = arith.constant dense<3> : tensor<2x4xi8>
  %acc = pike.fully_connected %x, %w : (tensor<1x4xi8>, tensor<2x4xi8>) -> tensor<1x2xi32>
  %y = pike.scale %acc {scale = array<f64: 0.5, 0.25>} : tensor<1x2xi32> -> tensor<1x2xf32>
  %q = pike.quantize %y {quantizer = #pike.quantizer<u4, scales = [0.25]>} : tensor<1x2xf32> -> tensor<1x2xi4>
  return %q : tensor<1x2xi4>
}
