// RUN: pike-opt %s -split-input-file -verify-diagnostics

func.func @rank(%x: tensor<1x1x1024xi4>, %w: tensor<10x1024xi4>) {
  // expected-error @+1 {{expects rank-2 input [N, K], weight [M, K] and result [N, M], got ranks 3, 2, 2}}
  %a = pike.fully_connected %x, %w : (tensor<1x1x1024xi4>, tensor<10x1024xi4>) -> tensor<1x10xi32>
  return
}

// -----

func.func @k_mismatch(%x: tensor<1x1024xi4>, %w: tensor<10x512xi4>) {
  // expected-error @+1 {{weight K (dimension 1) is 512, expected 1024}}
  %a = pike.fully_connected %x, %w : (tensor<1x1024xi4>, tensor<10x512xi4>) -> tensor<1x10xi32>
  return
}

// -----

func.func @n_mismatch(%x: tensor<2x16xi4>, %w: tensor<10x16xi4>) {
  // expected-error @+1 {{result N (dimension 0) is 1, expected 2}}
  %a = pike.fully_connected %x, %w : (tensor<2x16xi4>, tensor<10x16xi4>) -> tensor<1x10xi32>
  return
}

// -----

func.func @m_mismatch(%x: tensor<1x16xi4>, %w: tensor<10x16xi4>) {
  // expected-error @+1 {{result M (dimension 1) is 12, expected 10}}
  %a = pike.fully_connected %x, %w : (tensor<1x16xi4>, tensor<10x16xi4>) -> tensor<1x12xi32>
  return
}

// -----

func.func @accumulator_overflow(%x: tensor<1x4096xi8>, %w: tensor<10x4096xi8>) {
  // u8 with zero point 0 times s8: 255 * 128 * 4096 = 133693440 > 2^23 - 1.
  // expected-error @+1 {{accumulator type 'i24' may overflow}}
  %a = pike.fully_connected %x, %w {input_unsigned} : (tensor<1x4096xi8>, tensor<10x4096xi8>) -> tensor<1x10xi24>
  return
}

// -----

func.func @bias_size(%x: tensor<1x16xi4>, %w: tensor<10x16xi4>, %b: tensor<12xi32>) {
  // expected-error @+1 {{bias size is 12, expected 10}}
  %a = pike.fully_connected %x, %w, %b : (tensor<1x16xi4>, tensor<10x16xi4>, tensor<12xi32>) -> tensor<1x10xi32>
  return
}

// -----

func.func @input_zp(%x: tensor<1x16xi4>, %w: tensor<10x16xi4>) {
  // expected-error @+1 {{input_zp (16) is outside [0, 15], the range of unsigned 'i4'}}
  %a = pike.fully_connected %x, %w {input_zp = 16, input_unsigned} : (tensor<1x16xi4>, tensor<10x16xi4>) -> tensor<1x10xi32>
  return
}

// -----

func.func @i64_accumulator_reaching_2_to_64(%x: tensor<1x4xi32>, %w: tensor<3x4xi32>) {
  // 4 * (-2^31)^2 = 2^64, one more than i64 holds even as unsigned.
  // expected-error @+1 {{accumulator type 'i64' may overflow: the worst-case sum of 4 products reaches 18446744073709551616, which needs 66 bits}}
  %a = pike.fully_connected %x, %w : (tensor<1x4xi32>, tensor<3x4xi32>) -> tensor<1x3xi64>
  return
}

// -----

func.func @constant_bias_counts(%x: tensor<1x1xi8>, %w: tensor<2x1xi8>) {
  // (-128)^2 = 16384 fits i16, but a bias of 32767 lifts the sum to 49151
  // (which would wrap to -16385).
  %b = arith.constant dense<[32767, 0]> : tensor<2xi16>
  // expected-error @+1 {{accumulator type 'i16' may overflow: the worst-case sum of 1 products and the bias reaches 49151, which needs 17 bits}}
  %a = pike.fully_connected %x, %w, %b : (tensor<1x1xi8>, tensor<2x1xi8>, tensor<2xi16>) -> tensor<1x2xi16>
  return
}

// -----

func.func @negative_bias_counts(%x: tensor<1x1xi8>, %w: tensor<2x1xi8>) {
  // -16256 - 16513 = -32769, one below i16's minimum.
  %b = arith.constant dense<[0, -16513]> : tensor<2xi16>
  // expected-error @+1 {{accumulator type 'i16' may overflow: the worst-case sum of 1 products and the bias reaches -32769, which needs 17 bits}}
  %a = pike.fully_connected %x, %w, %b : (tensor<1x1xi8>, tensor<2x1xi8>, tensor<2xi16>) -> tensor<1x2xi16>
  return
}

// -----

func.func @i128_operands(%x: tensor<1x4xi128>, %w: tensor<3x4xi8>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of signless integer of 1 to 64 bits values, but got 'tensor<1x4xi128>'}}
  %a = pike.fully_connected %x, %w : (tensor<1x4xi128>, tensor<3x4xi8>) -> tensor<1x3xi128>
  return
}
