// RUN: pike-opt %s | pike-opt | FileCheck %s

// ReLU6 on reals.
// CHECK-LABEL: func @relu6
// CHECK: pike.clamp %arg0 {max = 6.000000e+00 : f64, min = 0.000000e+00 : f64} : tensor<1x4x4x8xf32>
func.func @relu6(%x: tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32> {
  %y = pike.clamp %x {min = 0.0 : f64, max = 6.0 : f64} : tensor<1x4x4x8xf32>
  return %y : tensor<1x4x4x8xf32>
}

// PACT with a learned clip value alpha = 2.75.
// CHECK-LABEL: func @pact
// CHECK: pike.clamp %arg0 {max = 2.750000e+00 : f64, min = 0.000000e+00 : f64} : tensor<8xf16>
func.func @pact(%x: tensor<8xf16>) -> tensor<8xf16> {
  %y = pike.clamp %x {min = 0.0 : f64, max = 2.75 : f64} : tensor<8xf16>
  return %y : tensor<8xf16>
}

// Integer clamp read as unsigned: 200 fits u8.
// CHECK-LABEL: func @unsigned_int
// CHECK: pike.clamp %arg0 {input_unsigned, max = 200 : i64, min = 10 : i64} : tensor<8xi8>
func.func @unsigned_int(%x: tensor<8xi8>) -> tensor<8xi8> {
  %y = pike.clamp %x {min = 10 : i64, max = 200 : i64, input_unsigned} : tensor<8xi8>
  return %y : tensor<8xi8>
}
