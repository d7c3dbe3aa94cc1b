// RUN: pike-opt %s | pike-opt | FileCheck %s

// CHECK-LABEL: func @per_channel
// CHECK: pike.scale %{{.*}} {scale = #pike.dq_scale<bits = 4, values = [3, 15], scale = 1.250000e-02>}
func.func @per_channel(%acc: tensor<1x2x2x2xi32>) -> tensor<1x2x2x2xf32> {
  %y = pike.scale %acc {scale = #pike.dq_scale<bits = 4, values = [3, 15], scale = 0.0125>} : tensor<1x2x2x2xi32> -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}

// One value shared by all channels, 8-bit values.
// CHECK-LABEL: func @shared
// CHECK: #pike.dq_scale<bits = 8, values = [255], scale = 1.000000e-04>
func.func @shared(%acc: tensor<1x2x2x2xi32>) -> tensor<1x2x2x2xf32> {
  %y = pike.scale %acc {scale = #pike.dq_scale<bits = 8, values = [255], scale = 1.0e-4>} : tensor<1x2x2x2xi32> -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}
