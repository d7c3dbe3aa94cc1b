// RUN: pike-opt %s --split-input-file --pike-fixed-point=rounding=float32 -verify-diagnostics | FileCheck %s
// RUN: sed /expected-warning/d %s | pike-opt --split-input-file --pike-fixed-point 2>&1 | FileCheck %s --check-prefix=DEFAULT

// Under the float32 rounding (onnxruntime's arithmetic) a normalization that
// cannot take onnxruntime's float32 kernel keeps Pike's integer form, which
// may differ from onnxruntime by a step: a warning says which and why. The
// default rounding promises no runtime's arithmetic and says nothing.
// DEFAULT-NOT: warning:
// DEFAULT: pike.integer_layer_norm
// DEFAULT-NOT: warning:

// CHECK-LABEL: func.func @rows_of_12
// CHECK: pike.integer_layer_norm
func.func @rows_of_12(%x: tensor<2x12xi8>) -> tensor<2x12xi8> {
  %d = pike.dequantize %x {quantizer = #pike.quantizer<s8, scales = [0.1]>} : tensor<2x12xi8> -> tensor<2x12xf32>
  // expected-warning @+1 {{keeps Pike's integer form, not onnxruntime's float32 kernel (its rows are not a multiple of 8 values): its outputs may differ from onnxruntime's by a step}}
  %n = pike.layer_norm %d {scale = array<f64: 1.0>, bias = array<f64: 0.0>, epsilon = 1.0e-05 : f64} : tensor<2x12xf32>
  %q = pike.quantize %n {quantizer = #pike.quantizer<s8, scales = [0.025]>} : tensor<2x12xf32> -> tensor<2x12xi8>
  return %q : tensor<2x12xi8>
}

// -----

// CHECK-LABEL: func.func @stepwise_with_scale
// CHECK: pike.integer_stepwise_layer_norm
func.func @stepwise_with_scale(%x: tensor<2x8xi8>) -> tensor<2x8xi8> {
  %d = pike.dequantize %x {quantizer = #pike.quantizer<s8, scales = [0.5]>} : tensor<2x8xi8> -> tensor<2x8xf32>
  // expected-warning @+1 {{(its scale is not 1 and its bias not 0)}}
  %l = pike.layer_norm %d {scale = array<f64: 2.0>, bias = array<f64: 0.0>, epsilon = 0.0 : f64, variance_quantizer = #pike.quantizer<u8, scales = [0.00390625]>} : tensor<2x8xf32>
  %q = pike.quantize %l {quantizer = #pike.quantizer<s8, scales = [0.03125]>} : tensor<2x8xf32> -> tensor<2x8xi8>
  return %q : tensor<2x8xi8>
}

// -----

// CHECK-LABEL: func.func @softmax_of_16_bits
// CHECK: pike.integer_softmax
func.func @softmax_of_16_bits(%x: tensor<2x4xi16>) -> tensor<2x4xi8> {
  %d = pike.dequantize %x {quantizer = #pike.quantizer<s16, scales = [0.001]>} : tensor<2x4xi16> -> tensor<2x4xf32>
  // expected-warning @+1 {{(its quantizers are not both 8 bits of one signedness)}}
  %s = pike.softmax %d : tensor<2x4xf32>
  %q = pike.quantize %s {quantizer = #pike.quantizer<u8, scales = [0.0039215688593685627]>} : tensor<2x4xf32> -> tensor<2x4xi8>
  return %q : tensor<2x4xi8>
}

// -----

// onnxruntime fuses no QLinearSoftmax where a Where sits between.
// CHECK-LABEL: func.func @masked_softmax
// CHECK: pike.integer_softmax
func.func @masked_softmax(%x: tensor<2x4xi8>, %k: tensor<2x4xi1>) -> tensor<2x4xi8> {
  %d = pike.dequantize %x {quantizer = #pike.quantizer<s8, scales = [0.5]>} : tensor<2x4xi8> -> tensor<2x4xf32>
  // expected-warning @+1 {{keeps Pike's integer form, not onnxruntime's float32 kernel (onnxruntime runs a masked softmax in float): its outputs may differ from onnxruntime's by a step}}
  %s = pike.softmax %d mask(%k : tensor<2x4xi1>) : tensor<2x4xf32>
  %q = pike.quantize %s {quantizer = #pike.quantizer<u8, scales = [0.0039215688593685627]>} : tensor<2x4xf32> -> tensor<2x4xi8>
  return %q : tensor<2x4xi8>
}
