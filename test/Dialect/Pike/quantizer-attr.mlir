// RUN: pike-opt %s | pike-opt | FileCheck %s
// RUN: pike-opt %s --mlir-print-op-generic | pike-opt | FileCheck %s

// The quantizer attribute: width and signedness, optional axis, scheme and
// zero points; defaults are elided when printed.

// CHECK-LABEL: func @per_tensor_unsigned
// CHECK: #pike.quantizer<u4, scales = [5.000000e-02]>
func.func @per_tensor_unsigned(%x: tensor<4xf32>) -> tensor<4xi4> {
  %q = pike.quantize %x {quantizer = #pike.quantizer<u4, scales = [0.05]>} : tensor<4xf32> -> tensor<4xi4>
  return %q : tensor<4xi4>
}

// CHECK-LABEL: func @per_channel_pow2
// CHECK: #pike.quantizer<s4, axis = 1, scheme = pow2, scales = [2.500000e-01, 1.250000e-01], zero_points = [0, -1]>
func.func @per_channel_pow2(%x: tensor<3x2xf32>) -> tensor<3x2xi4> {
  %q = pike.quantize %x {quantizer = #pike.quantizer<s4, axis = 1, scheme = pow2, scales = [0.25, 0.125], zero_points = [0, -1]>} : tensor<3x2xf32> -> tensor<3x2xi4>
  return %q : tensor<3x2xi4>
}

// The uniform scheme is the default and is not printed.
// CHECK-LABEL: func @explicit_uniform
// CHECK: #pike.quantizer<u8, scales = [1.000000e-01], zero_points = [128]>
func.func @explicit_uniform(%x: tensor<4xf32>) -> tensor<4xi8> {
  %q = pike.quantize %x {quantizer = #pike.quantizer<u8, scheme = uniform, scales = [0.1], zero_points = [128]>} : tensor<4xf32> -> tensor<4xi8>
  return %q : tensor<4xi8>
}

// The widest and narrowest quantizers.
// CHECK-LABEL: func @extreme_widths
// CHECK: #pike.quantizer<s16,
// CHECK: #pike.quantizer<u1,
func.func @extreme_widths(%x: tensor<4xf32>) -> (tensor<4xi16>, tensor<4xi1>) {
  %a = pike.quantize %x {quantizer = #pike.quantizer<s16, scales = [0.001]>} : tensor<4xf32> -> tensor<4xi16>
  %b = pike.quantize %x {quantizer = #pike.quantizer<u1, scales = [1.0]>} : tensor<4xf32> -> tensor<4xi1>
  return %a, %b : tensor<4xi16>, tensor<4xi1>
}

// Scales keep every bit through a print/parse round trip (1/255 has no short form).
// CHECK-LABEL: func @full_precision
// CHECK: #pike.quantizer<u8, scales = [0.0039215686274509803]>
func.func @full_precision(%x: tensor<4xf32>) -> tensor<4xi8> {
  %q = pike.quantize %x {quantizer = #pike.quantizer<u8, scales = [0.00392156862745098]>} : tensor<4xf32> -> tensor<4xi8>
  return %q : tensor<4xi8>
}
