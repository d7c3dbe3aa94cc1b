// RUN: pike-opt %s -split-input-file -verify-diagnostics

func.func @bits(%x: tensor<4xi32>) {
  // expected-error @+1 {{fixed-point multiplier bit-width 33 is outside [2, 32]}}
  %y = pike.requantize %x {multiplier = #pike.fixed_point<bits = 33, multipliers = [1], shifts = [2]>} : tensor<4xi32> -> tensor<4xi8>
  return
}

// -----

func.func @empty(%x: tensor<4xi32>) {
  // expected-error @+1 {{fixed-point scale needs at least one multiplier and one shift}}
  %y = pike.requantize %x {multiplier = #pike.fixed_point<bits = 32, multipliers = [], shifts = [2]>} : tensor<4xi32> -> tensor<4xi8>
  return
}

// -----

func.func @count_mismatch(%x: tensor<4x3xi32>) {
  // expected-error @+1 {{fixed-point scale has 3 multipliers but 2 shifts; give one shared value or one per channel}}
  %y = pike.requantize %x {multiplier = #pike.fixed_point<bits = 32, multipliers = [1, 2, 3], shifts = [2, 3]>} : tensor<4x3xi32> -> tensor<4x3xi8>
  return
}

// -----

func.func @multiplier_too_large(%x: tensor<4xi32>) {
  // expected-error @+1 {{fixed-point multiplier #0 (128) is outside [0, 127] of a 8-bit signed multiplier}}
  %y = pike.requantize %x {multiplier = #pike.fixed_point<bits = 8, multipliers = [128], shifts = [10]>} : tensor<4xi32> -> tensor<4xi8>
  return
}

// -----

func.func @negative_multiplier(%x: tensor<4xi32>) {
  // expected-error @+1 {{fixed-point multiplier #0 (-5) is outside [0, 127] of a 8-bit signed multiplier}}
  %y = pike.requantize %x {multiplier = #pike.fixed_point<bits = 8, multipliers = [-5], shifts = [10]>} : tensor<4xi32> -> tensor<4xi8>
  return
}

// -----

func.func @shift_too_small(%x: tensor<4xi32>) {
  // expected-error @+1 {{fixed-point shift #0 (1) is outside [2, 62]}}
  %y = pike.requantize %x {multiplier = #pike.fixed_point<bits = 8, multipliers = [64], shifts = [1]>} : tensor<4xi32> -> tensor<4xi8>
  return
}

// -----

func.func @shift_too_large(%x: tensor<4xi32>) {
  // expected-error @+1 {{fixed-point shift #0 (63) is outside [2, 62]}}
  %y = pike.requantize %x {multiplier = #pike.fixed_point<bits = 8, multipliers = [64], shifts = [63]>} : tensor<4xi32> -> tensor<4xi8>
  return
}

// -----

func.func @double_round_16bit(%x: tensor<4xi32>) {
  // expected-error @+1 {{double rounding needs 32-bit multipliers, not 16-bit (as TOSA rescale)}}
  %y = pike.requantize %x {multiplier = #pike.fixed_point<bits = 16, multipliers = [64], shifts = [40], rounding = double>} : tensor<4xi32> -> tensor<4xi8>
  return
}

// -----

func.func @float32_32bit(%x: tensor<4xi32>) {
  // expected-error @+1 {{float32 rounding needs multipliers of at most 25 bits (a float32 significand), not 32-bit}}
  %y = pike.requantize %x {multiplier = #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [40], rounding = float32>} : tensor<4xi32> -> tensor<4xi8>
  return
}
