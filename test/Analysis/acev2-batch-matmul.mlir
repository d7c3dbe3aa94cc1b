// RUN: pike-opt %s --split-input-file --pike-acev2 | FileCheck %s

// pike.batch_matmul costs what its lowering (one linalg.generic over the
// broadcast batch) computes: batch·M·N·K MACs. Dictionary entries print in
// alphabetical order: ace, acev2, adds, energy_pj, macs, muls, others.

// [2, 1, 4, 5] by [3, 5, 6]: 2·3 batches of 4x6 outputs, K = 5 each:
// 2·3·4·6·5 = 720 MACs of u8 x s8, ACE 720·64 = 46080. Centering the u8 lhs
// by zero point 128 (9 bits): its 2·1·4·5 = 40 elements, 40 adds at 9 bits =
// 360; the broadcast does not repeat them. ACEv2 46080 + 360 = 46440.
// CHECK-LABEL: func @broadcast
// CHECK: pike.batch_matmul {{.*}}pike.cost = {ace = 46080 : i64, acev2 = 46440 : i64, adds = 40 : i64, {{.*}}, macs = 720 : i64, muls = 0 : i64, others = 0 : i64}
func.func @broadcast(%a: tensor<2x1x4x5xi8>, %b: tensor<3x5x6xi8>) -> tensor<2x3x4x6xi32> {
  %acc = pike.batch_matmul %a, %b {lhs_unsigned, lhs_zp = 128} : (tensor<2x1x4x5xi8>, tensor<3x5x6xi8>) -> tensor<2x3x4x6xi32>
  return %acc : tensor<2x3x4x6xi32>
}

// -----

// A 2-D rhs shared by a batch of 4: 4·2·5 outputs of K = 3, 120 MACs of
// s8 x s4: ACE = ACEv2 = 120·32 = 3840.
// CHECK-LABEL: func @shared_rhs
// CHECK: pike.batch_matmul {{.*}}pike.cost = {ace = 3840 : i64, acev2 = 3840 : i64, adds = 0 : i64, {{.*}}, macs = 120 : i64, muls = 0 : i64, others = 0 : i64}
func.func @shared_rhs(%a: tensor<4x2x3xi8>, %b: tensor<3x5xi4>) -> tensor<4x2x5xi32> {
  %acc = pike.batch_matmul %a, %b : (tensor<4x2x3xi8>, tensor<3x5xi4>) -> tensor<4x2x5xi32>
  return %acc : tensor<4x2x5xi32>
}
