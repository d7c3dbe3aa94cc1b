// pike ops have no side effects: unused ones are erased, duplicates merged.
// RUN: pike-opt %s --canonicalize --cse | FileCheck %s

// CHECK-LABEL: func @dead_and_duplicate
// CHECK-NEXT: %[[Q:.*]] = pike.quantize %arg0
// CHECK-NEXT: return %[[Q]], %[[Q]]
func.func @dead_and_duplicate(%x: tensor<4xf32>) -> (tensor<4xi4>, tensor<4xi4>) {
  %a = pike.quantize %x {quantizer = #pike.quantizer<u4, scales = [0.1]>} : tensor<4xf32> -> tensor<4xi4>
  %b = pike.quantize %x {quantizer = #pike.quantizer<u4, scales = [0.1]>} : tensor<4xf32> -> tensor<4xi4>
  %unused = pike.dequantize %a {quantizer = #pike.quantizer<u4, scales = [0.1]>} : tensor<4xi4> -> tensor<4xf32>
  %c = pike.clamp %unused {min = 0.0 : f64, max = 1.0 : f64} : tensor<4xf32>
  return %a, %b : tensor<4xi4>, tensor<4xi4>
}
