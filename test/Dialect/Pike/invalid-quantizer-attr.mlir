// RUN: pike-opt %s -split-input-file -verify-diagnostics

func.func @bits_too_wide(%x: tensor<4xf32>) {
  // expected-error @+1 {{quantizer bit-width 17 is outside [1, 16]}}
  %q = pike.quantize %x {quantizer = #pike.quantizer<s17, scales = [0.1]>} : tensor<4xf32> -> tensor<4xi17>
  return
}

// -----

func.func @bits_zero(%x: tensor<4xf32>) {
  // expected-error @+1 {{quantizer bit-width 0 is outside [1, 16]}}
  %q = pike.quantize %x {quantizer = #pike.quantizer<u0, scales = [0.1]>} : tensor<4xf32> -> tensor<4xi1>
  return
}

// -----

func.func @bad_width_keyword(%x: tensor<4xf32>) {
  // expected-error @+1 {{expected a signedness letter and a bit-width such as 's4' or 'u8', got 'i4'}}
  %q = pike.quantize %x {quantizer = #pike.quantizer<i4, scales = [0.1]>} : tensor<4xf32> -> tensor<4xi4>
  return
}

// -----

func.func @negative_axis(%x: tensor<4xf32>) {
  // expected-error @+1 {{quantizer axis -1 is negative}}
  %q = pike.quantize %x {quantizer = #pike.quantizer<s4, axis = -1, scales = [0.1]>} : tensor<4xf32> -> tensor<4xi4>
  return
}

// -----

func.func @no_scale(%x: tensor<4xf32>) {
  // expected-error @+1 {{quantizer needs at least one scale}}
  %q = pike.quantize %x {quantizer = #pike.quantizer<s4, scales = []>} : tensor<4xf32> -> tensor<4xi4>
  return
}

// -----

func.func @per_tensor_two_scales(%x: tensor<4xf32>) {
  // expected-error @+1 {{per-tensor quantizer has 2 scales; give exactly one, or an axis}}
  %q = pike.quantize %x {quantizer = #pike.quantizer<s4, scales = [0.1, 0.2]>} : tensor<4xf32> -> tensor<4xi4>
  return
}

// -----

func.func @negative_scale(%x: tensor<4xf32>) {
  // expected-error @+1 {{quantizer scale #0 (-1.000000e-01) is not a positive finite number}}
  %q = pike.quantize %x {quantizer = #pike.quantizer<s4, scales = [-0.1]>} : tensor<4xf32> -> tensor<4xi4>
  return
}

// -----

func.func @zero_scale(%x: tensor<2x2xf32>) {
  // expected-error @+1 {{quantizer scale #1 (0.000000e+00) is not a positive finite number}}
  %q = pike.quantize %x {quantizer = #pike.quantizer<s4, axis = 1, scales = [0.1, 0.0]>} : tensor<2x2xf32> -> tensor<2x2xi4>
  return
}

// -----

func.func @infinite_scale(%x: tensor<4xf32>) {
  // expected-error @+1 {{quantizer scale #0 (INF) is not a positive finite number}}
  %q = pike.quantize %x {quantizer = #pike.quantizer<s4, scales = [0x7FF0000000000000]>} : tensor<4xf32> -> tensor<4xi4>
  return
}

// -----

func.func @pow2_not_power_of_two(%x: tensor<4xf32>) {
  // expected-error @+1 {{pow2 quantizer scale #0 (3.000000e-01) is not a power of two}}
  %q = pike.quantize %x {quantizer = #pike.quantizer<s4, scheme = pow2, scales = [0.3]>} : tensor<4xf32> -> tensor<4xi4>
  return
}

// -----

func.func @zero_point_count(%x: tensor<4xf32>) {
  // expected-error @+1 {{quantizer has 1 scales but 2 zero points}}
  %q = pike.quantize %x {quantizer = #pike.quantizer<u4, scales = [0.1], zero_points = [1, 2]>} : tensor<4xf32> -> tensor<4xi4>
  return
}

// -----

func.func @zero_point_range(%x: tensor<4xf32>) {
  // expected-error @+1 {{quantizer zero point #0 (16) is outside the u4 range [0, 15]}}
  %q = pike.quantize %x {quantizer = #pike.quantizer<u4, scales = [0.1], zero_points = [16]>} : tensor<4xf32> -> tensor<4xi4>
  return
}

// -----

func.func @signed_zero_point_range(%x: tensor<4xf32>) {
  // expected-error @+1 {{quantizer zero point #0 (-9) is outside the s4 range [-8, 7]}}
  %q = pike.quantize %x {quantizer = #pike.quantizer<s4, scales = [0.1], zero_points = [-9]>} : tensor<4xf32> -> tensor<4xi4>
  return
}
