// RUN: pike-opt %s -split-input-file -verify-diagnostics

// The model attributes are the dialect's: type and range are checked
// wherever they appear, before any pass reads them.

// expected-error @+1 {{'pike.rounding' must be a #pike<rounding ...>, got "half_even"}}
module attributes {pike.rounding = "half_even"} {}

// -----

// expected-error @+1 {{'pike.double_quantize_bits' must be an integer in [1, 16], got 17 : i64}}
module attributes {pike.double_quantize_bits = 17 : i64} {}

// -----

// expected-error @+1 {{'pike.quantnorm_multiplier_bits' must be an integer in [2, 32], got 1 : i64}}
module attributes {pike.quantnorm_multiplier_bits = 1 : i64} {}

// -----

// expected-error @+1 {{'pike.double_quantize_bits' must be an integer in [1, 16], got 1.000000e+00 : f32}}
module attributes {pike.double_quantize_bits = 1.0 : f32} {}

// -----

// expected-error @+1 {{'pike.quantnorm_multiplier_bits' must be an integer in [2, 32], got 18446744073709551615 : ui64}}
module attributes {pike.quantnorm_multiplier_bits = 18446744073709551615 : ui64} {}

// -----

// The ranges' ends, on any op.
module attributes {pike.double_quantize_bits = 16 : i64, pike.quantnorm_multiplier_bits = 2 : i64,
                   pike.rounding = #pike<rounding float32>} {
  func.func @f() attributes {pike.double_quantize_bits = 1 : i64} { return }
}
