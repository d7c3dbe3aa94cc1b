// RUN: pike-opt %s --convert-pike-to-cpu-kernels="target=vector report=true" --verify-diagnostics | FileCheck %s

// The model's boundary: 16 elements a step over the flattened tensor, the
// last step moved back to end at the last element.
// CHECK-LABEL: func.func @image
// CHECK: tensor.collapse_shape %arg0 {{.*}} : tensor<1x5x7x3xf32> into tensor<105xf32>
// CHECK: scf.for %[[STEP:.*]] = %c0 to %c7 step %c1
// CHECK: %[[START:.*]] = arith.minsi {{.*}}, %c89 : index
// CHECK: vector.transfer_read {{.*}}[%[[START]]]{{.*}} : tensor<105xf32>, vector<16xf32>
// CHECK: arith.divf {{.*}} : vector<16xf32>
// CHECK: math.roundeven {{.*}} : vector<16xf32>
// CHECK: arith.cmpf uno
// CHECK: arith.fptosi {{.*}} : vector<16xf32> to vector<16xi32>
// CHECK: arith.trunci {{.*}} : vector<16xi32> to vector<16xi8>
// CHECK: tensor.expand_shape {{.*}} : tensor<105xi8> into tensor<1x5x7x3xi8>
// CHECK-NOT: pike.quantize
func.func @image(%x: tensor<1x5x7x3xf32>) -> tensor<1x5x7x3xi8> {
  %q = pike.quantize %x {quantizer = #pike.quantizer<u8, scales = [0.0039215686274509803]>} : tensor<1x5x7x3xf32> -> tensor<1x5x7x3xi8>
  return %q : tensor<1x5x7x3xi8>
}

// An NCHW image transposed to NHWC and quantized (an ONNX model's input):
// one loop over output rows reads 16 floats of each channel plane, and the
// three byte vectors are interleaved into 48 bytes of 16 pixels. No float
// image is written in NHWC order.
// CHECK-LABEL: func.func @nchw_image
// CHECK-NOT: linalg.transpose
// CHECK: scf.forall (%[[N:.*]], %[[H:.*]]) in (1, 5)
// CHECK-COUNT-3: vector.transfer_read %arg0[%[[N]], %{{.*}}, %[[H]], %{{.*}}]{{.*}} : tensor<1x3x5x37xf32>, vector<16xf32>
// CHECK: vector.shuffle {{.*}} [0, 16, 32, 1, 17, 33, 2, 18, 34,
// CHECK-SAME: : vector<48xi8>, vector<48xi8>
// CHECK: vector.transfer_write {{.*}} : vector<48xi8>, tensor<111xi8>
// CHECK-NOT: pike.quantize
func.func @nchw_image(%x: tensor<1x3x5x37xf32>) -> tensor<1x5x37x3xi8> {
  %e = tensor.empty() : tensor<1x5x37x3xf32>
  %t = linalg.transpose ins(%x : tensor<1x3x5x37xf32>) outs(%e : tensor<1x5x37x3xf32>) permutation = [0, 2, 3, 1]
  %q = pike.quantize %t {quantizer = #pike.quantizer<u8, scales = [0.0171], zero_points = [123]>} : tensor<1x5x37x3xf32> -> tensor<1x5x37x3xi8>
  return %q : tensor<1x5x37x3xi8>
}

// More channels than the registers interleave: the transpose stays, and the
// quantize is the flat loop over its result.
// CHECK-LABEL: func.func @five_planes
// CHECK: linalg.transpose
// CHECK: scf.for
// CHECK-NOT: pike.quantize
func.func @five_planes(%x: tensor<1x5x4x4xf32>) -> tensor<1x4x4x5xi8> {
  %e = tensor.empty() : tensor<1x4x4x5xf32>
  %t = linalg.transpose ins(%x : tensor<1x5x4x4xf32>) outs(%e : tensor<1x4x4x5xf32>) permutation = [0, 2, 3, 1]
  %q = pike.quantize %t {quantizer = #pike.quantizer<u8, scales = [0.0171]>} : tensor<1x4x4x5xf32> -> tensor<1x4x4x5xi8>
  return %q : tensor<1x4x4x5xi8>
}

// Fewer elements than a vector: one narrower step. Per-channel values along
// the last dimension are read from tables at the step's channel.
// CHECK-LABEL: func.func @logits
// CHECK: vector.transfer_read {{.*}} : tensor<10xi8>, vector<10xi8>
// CHECK: arith.sitofp {{.*}} : vector<10xi32> to vector<10xf32>
// CHECK-LABEL: func.func @per_channel
// CHECK: arith.remui
// CHECK: vector.transfer_read {{.*}} : tensor<32xf32>, vector<16xf32>
func.func @logits(%x: tensor<1x10xi8>) -> tensor<1x10xf32> {
  %d = pike.dequantize %x {quantizer = #pike.quantizer<s8, scales = [0.0625], zero_points = [3]>} : tensor<1x10xi8> -> tensor<1x10xf32>
  return %d : tensor<1x10xf32>
}
func.func @per_channel(%x: tensor<2x32xf32>) -> tensor<2x32xi8> {
  %q = pike.quantize %x {quantizer = #pike.quantizer<s8, axis = 1, scales = [1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 1.0, 2.0]>} : tensor<2x32xf32> -> tensor<2x32xi8>
  return %q : tensor<2x32xi8>
}

// What stays for the linalg lowering, and why.
// CHECK-LABEL: func.func @twelve_bits
// CHECK: pike.quantize
func.func @twelve_bits(%x: tensor<32xf32>) -> tensor<32xi12> {
  // expected-remark @+1 {{not vectorized (lowered through linalg): integer side is not 8 bits or fewer, 16 or 32}}
  %q = pike.quantize %x {quantizer = #pike.quantizer<s12, scales = [0.5]>} : tensor<32xf32> -> tensor<32xi12>
  return %q : tensor<32xi12>
}
// CHECK-LABEL: func.func @channels_not_last
// CHECK: pike.dequantize
func.func @channels_not_last(%x: tensor<2x16xi8>) -> tensor<2x16xf32> {
  // expected-remark @+1 {{per-channel scales not along a last dimension of whole vectors}}
  %d = pike.dequantize %x {quantizer = #pike.quantizer<s8, axis = 0, scales = [0.5, 0.25]>} : tensor<2x16xi8> -> tensor<2x16xf32>
  return %d : tensor<2x16xf32>
}
