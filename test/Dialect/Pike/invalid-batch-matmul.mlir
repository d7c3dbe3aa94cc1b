// RUN: pike-opt %s -split-input-file -verify-diagnostics

func.func @batch_mismatch(%a: tensor<2x4x5xi8>, %b: tensor<3x5x6xi8>) {
  // expected-error @+1 {{batch dimensions do not broadcast: lhs dimension 0 is 2 and rhs dimension 0 is 3 (each pair must be equal or one of them 1)}}
  %acc = pike.batch_matmul %a, %b : (tensor<2x4x5xi8>, tensor<3x5x6xi8>) -> tensor<3x4x6xi32>
  return
}

// -----

// Batch dimensions align from the right: lhs dimension 1 (3) meets rhs dimension 0 (2).
func.func @aligned_right(%a: tensor<2x3x4x5xi8>, %b: tensor<2x5x6xi8>) {
  // expected-error @+1 {{batch dimensions do not broadcast: lhs dimension 1 is 3 and rhs dimension 0 is 2}}
  %acc = pike.batch_matmul %a, %b : (tensor<2x3x4x5xi8>, tensor<2x5x6xi8>) -> tensor<2x3x4x6xi32>
  return
}

// -----

func.func @result_batch(%a: tensor<2x1x4x5xi8>, %b: tensor<3x5x6xi8>) {
  // expected-error @+1 {{result batch dimension 1 is 1, expected 3}}
  %acc = pike.batch_matmul %a, %b : (tensor<2x1x4x5xi8>, tensor<3x5x6xi8>) -> tensor<2x1x4x6xi32>
  return
}

// -----

func.func @result_rank(%a: tensor<2x4x5xi8>, %b: tensor<5x6xi8>) {
  // expected-error @+1 {{expects a result of rank 3 ([..., M, N] with the broadcast batch dimensions), got 2}}
  %acc = pike.batch_matmul %a, %b : (tensor<2x4x5xi8>, tensor<5x6xi8>) -> tensor<4x6xi32>
  return
}

// -----

func.func @vector(%a: tensor<5xi8>, %b: tensor<5x6xi8>) {
  // expected-error @+1 {{expects lhs [..., M, K] and rhs [..., K, N] of rank 2 or more, got ranks 1, 2}}
  %acc = pike.batch_matmul %a, %b : (tensor<5xi8>, tensor<5x6xi8>) -> tensor<6xi32>
  return
}

// -----

func.func @k_mismatch(%a: tensor<2x4x5xi8>, %b: tensor<2x4x6xi8>) {
  // expected-error @+1 {{rhs K (dimension 1) is 4, expected 5}}
  %acc = pike.batch_matmul %a, %b : (tensor<2x4x5xi8>, tensor<2x4x6xi8>) -> tensor<2x4x6xi32>
  return
}

// -----

func.func @n_mismatch(%a: tensor<2x4x5xi8>, %b: tensor<2x5x6xi8>) {
  // expected-error @+1 {{result N (dimension 2) is 7, expected 6}}
  %acc = pike.batch_matmul %a, %b : (tensor<2x4x5xi8>, tensor<2x5x6xi8>) -> tensor<2x4x7xi32>
  return
}

// -----

func.func @zero_point(%a: tensor<2x4x5xi8>, %b: tensor<2x5x6xi8>) {
  // expected-error @+1 {{lhs_zp (300) is outside [-128, 127], the range of signed 'i8'}}
  %acc = pike.batch_matmul %a, %b {lhs_zp = 300} : (tensor<2x4x5xi8>, tensor<2x5x6xi8>) -> tensor<2x4x6xi32>
  return
}

// -----

// 2^16 products of u8 x u8 (255 * 255 each) need more than 32 bits.
func.func @overflow(%a: tensor<1x65536xi8>, %b: tensor<65536x1xi8>) {
  // expected-error @+1 {{accumulator type 'i32' may overflow: the worst-case sum of 65536 products}}
  %acc = pike.batch_matmul %a, %b {lhs_unsigned, rhs_unsigned} : (tensor<1x65536xi8>, tensor<65536x1xi8>) -> tensor<1x1xi32>
  return
}
