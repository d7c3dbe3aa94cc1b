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
