// pike-run keeps the buffers a call frees for the next call: the timed calls
// reuse the intermediates the warm-up call allocated, with no fresh mmap,
// page fault or zero-fill. Each f32 intermediate here is 1x64x64x64x4 B = 1 MiB
// (glibc would mmap anything over 128 KiB and unmap it on free: 256 faults a
// MiB, ~1000 per call before).
// ASan's allocator replaces glibc's, whose mallopt settings keep the buffers.
// UNSUPPORTED: asan
// RUN: %pike_python %inputs/random_npy.py %t.a.npy 1 uint8 0 255 1 64 64 64
// RUN: %pike_python %inputs/random_npy.py %t.b.npy 2 uint8 0 255 1 64 64 64
// RUN: pike-run %s --entry=residual --input=%t.a.npy --input=%t.b.npy --output=%t.y.npy --repeat=4 2>&1 | FileCheck %s
// CHECK: time: {{.*}} ms median per call of @residual (4 calls after a warm-up call, {{.*}}); 0 page faults per call

func.func @residual(%a: tensor<1x64x64x64xi8>, %b: tensor<1x64x64x64xi8>) -> tensor<1x64x64x64xi8> {
  %x = pike.dequantize %a {quantizer = #pike.quantizer<u8, scales = [0.125], zero_points = [64]>} : tensor<1x64x64x64xi8> -> tensor<1x64x64x64xf32>
  %y = pike.dequantize %b {quantizer = #pike.quantizer<u8, scales = [0.25], zero_points = [60]>} : tensor<1x64x64x64xi8> -> tensor<1x64x64x64xf32>
  %s = pike.add %x, %y : (tensor<1x64x64x64xf32>, tensor<1x64x64x64xf32>) -> tensor<1x64x64x64xf32>
  %r = pike.clamp %s {max = 0x7FF0000000000000 : f64, min = 0.000000e+00 : f64} : tensor<1x64x64x64xf32>
  %q = pike.quantize %r {quantizer = #pike.quantizer<u8, scales = [0.5]>} : tensor<1x64x64x64xf32> -> tensor<1x64x64x64xi8>
  return %q : tensor<1x64x64x64xi8>
}
