// Every attribute survives MLIR bytecode: write it, read it back, print it.
// RUN: pike-opt %s --emit-bytecode | pike-opt | FileCheck %s

// CHECK-LABEL: func @attributes
// CHECK: #pike.quantizer<s4, axis = 1, scheme = pow2, scales = [2.500000e-01, 1.250000e-01], zero_points = [0, -1]>
// CHECK: #pike.dq_scale<bits = 4, values = [3, 15], scale = 0.0039215686274509803>
// CHECK: #pike.fixed_point<bits = 32, multipliers = [1518500250, 7], shifts = [38, 2], rounding = double>
func.func @attributes(%x: tensor<3x2xf32>, %acc: tensor<3x2xi32>) -> (tensor<3x2xi4>, tensor<3x2xf32>, tensor<3x2xi8>) {
  %q = pike.quantize %x {quantizer = #pike.quantizer<s4, axis = 1, scheme = pow2, scales = [0.25, 0.125], zero_points = [0, -1]>} : tensor<3x2xf32> -> tensor<3x2xi4>
  %s = pike.scale %acc {scale = #pike.dq_scale<bits = 4, values = [3, 15], scale = 0.00392156862745098>} : tensor<3x2xi32> -> tensor<3x2xf32>
  %r = pike.requantize %acc {multiplier = #pike.fixed_point<bits = 32, multipliers = [1518500250, 7], shifts = [38, 2], rounding = double>} : tensor<3x2xi32> -> tensor<3x2xi8>
  return %q, %s, %r : tensor<3x2xi4>, tensor<3x2xf32>, tensor<3x2xi8>
}
