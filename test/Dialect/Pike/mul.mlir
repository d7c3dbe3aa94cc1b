// RUN: pike-opt %s | pike-opt | FileCheck %s

// CHECK-LABEL: func @real
// CHECK: pike.mul %arg0, %arg1 : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x4xf32>
func.func @real(%a: tensor<1x4xf32>, %b: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %y = pike.mul %a, %b : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x4xf32>
  return %y : tensor<1x4xf32>
}

// CHECK-LABEL: func @integer
// CHECK: pike.mul %arg0, %arg1 {lhs_unsigned, lhs_zp = 128 : i64, output_unsigned, output_zp = 3 : i64, scale = #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [31]>} : (tensor<1x4xi8>, tensor<1x4xi8>) -> tensor<1x4xi8>
func.func @integer(%a: tensor<1x4xi8>, %b: tensor<1x4xi8>) -> tensor<1x4xi8> {
  %y = pike.mul %a, %b {scale = #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [31]>,
                        lhs_zp = 128 : i64, lhs_unsigned, output_zp = 3 : i64, output_unsigned}
      : (tensor<1x4xi8>, tensor<1x4xi8>) -> tensor<1x4xi8>
  return %y : tensor<1x4xi8>
}
