// The bundled example parses, verifies and round-trips, and is exactly what
// the zoo builder writes for it.
// RUN: pike-opt %pike_src_root/examples/mobilenet_tiny.mlir | pike-opt | FileCheck %s
// RUN: %pike_python -m pike zoo mobilenet-tiny --source-name mobilenet_tiny.mlir | diff - %pike_src_root/examples/mobilenet_tiny.mlir

// First conv on the u8 image, four depthwise-separable blocks, pool, classifier.
// CHECK-LABEL: func.func @main(%arg0: tensor<1x32x32x3xf32>) -> tensor<1x10xf32>
// CHECK: pike.quantize %arg0 {quantizer = #pike.quantizer<u8,
// CHECK: pike.conv2d {{.*}} : (tensor<1x32x32x3xi8>, tensor<8x3x3x3xi8>) -> tensor<1x16x16x8xi32>
// CHECK: pike.batch_norm
// CHECK: pike.conv2d {{.*}}groups = 8 : i64{{.*}} : (tensor<1x16x16x8xi4>, tensor<8x3x3x1xi4>)
// CHECK: pike.conv2d {{.*}} : (tensor<1x16x16x8xi4>, tensor<16x1x1x8xi4>) -> tensor<1x16x16x16xi32>
// CHECK-COUNT-6: pike.conv2d
// CHECK: pike.avg_pool2d {{.*}} : tensor<1x4x4x64xi4> -> tensor<1x1x1x64xi4>
// CHECK: tensor.collapse_shape
// CHECK: pike.fully_connected {{.*}} -> tensor<1x10xi32>
// CHECK: pike.dequantize
// CHECK-NEXT: return
