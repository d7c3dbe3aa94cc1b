// RUN: pike-opt %s --split-input-file --convert-quant-to-pike -verify-diagnostics

func.func @wide(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'quant.qcast' op quantized type '!quant.uniform<i32:f32, 1.000000e-01>' has 32-bit storage; pike quantizers hold 1 to 16 bits}}
  %q = quant.qcast %x : tensor<4xf32> to tensor<4x!quant.uniform<i32:f32, 0.1>>
  %d = quant.dcast %q : tensor<4x!quant.uniform<i32:f32, 0.1>> to tensor<4xf32>
  return %d : tensor<4xf32>
}

// -----

func.func @narrow_range(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{narrows its storage range; pike quantizers use the full range of their width}}
  %q = quant.qcast %x : tensor<4xf32> to tensor<4x!quant.uniform<i8<-127:127>:f32, 0.1>>
  %d = quant.dcast %q : tensor<4x!quant.uniform<i8<-127:127>:f32, 0.1>> to tensor<4xf32>
  return %d : tensor<4xf32>
}
