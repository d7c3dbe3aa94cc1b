// RUN: pike-opt %s -split-input-file | pike-opt -split-input-file | FileCheck %s --check-prefix=ROUNDTRIP
// RUN: pike-opt %s -split-input-file --canonicalize | FileCheck %s --check-prefix=FOLD
// RUN: pike-opt %s -split-input-file --convert-pike-to-linalg | FileCheck %s --check-prefix=LOWER

// pike.quantize's `rounding`: half_even (the default, not printed), floor,
// ceil, toward_zero.
// ROUNDTRIP-LABEL: func @modes
// ROUNDTRIP: pike.quantize %arg0 {quantizer = #pike.quantizer<s4, scales = [5.000000e-01]>} :
// ROUNDTRIP: pike.quantize %arg0 {quantizer = #pike.quantizer<s4, scales = [5.000000e-01]>, rounding = #pike<quantize_rounding floor>}
// ROUNDTRIP: pike.quantize %arg0 {quantizer = #pike.quantizer<s4, scales = [5.000000e-01]>, rounding = #pike<quantize_rounding ceil>}
// ROUNDTRIP: pike.quantize %arg0 {quantizer = #pike.quantizer<s4, scales = [5.000000e-01]>, rounding = #pike<quantize_rounding toward_zero>}
// LOWER-LABEL: func @modes
// LOWER: math.roundeven
// LOWER: math.floor
// LOWER: math.ceil
// LOWER: math.trunc
func.func @modes(%x: tensor<4xf32>) -> (tensor<4xi4>, tensor<4xi4>, tensor<4xi4>, tensor<4xi4>) {
  %a = pike.quantize %x {quantizer = #pike.quantizer<s4, scales = [0.5]>, rounding = #pike<quantize_rounding half_even>} : tensor<4xf32> -> tensor<4xi4>
  %b = pike.quantize %x {quantizer = #pike.quantizer<s4, scales = [0.5]>, rounding = #pike<quantize_rounding floor>} : tensor<4xf32> -> tensor<4xi4>
  %c = pike.quantize %x {quantizer = #pike.quantizer<s4, scales = [0.5]>, rounding = #pike<quantize_rounding ceil>} : tensor<4xf32> -> tensor<4xi4>
  %d = pike.quantize %x {quantizer = #pike.quantizer<s4, scales = [0.5]>, rounding = #pike<quantize_rounding toward_zero>} : tensor<4xf32> -> tensor<4xi4>
  return %a, %b, %c, %d : tensor<4xi4>, tensor<4xi4>, tensor<4xi4>, tensor<4xi4>
}

// -----

// Constants fold by the op's rounding. x / 0.5 = [1.5, -1.5, 2.5, -0.6]:
// half_even [2, -2, 2, -1], floor [1, -2, 2, -1], ceil [2, -1, 3, 0],
// toward_zero [1, -1, 2, 0].
// FOLD-LABEL: func @fold
// FOLD-DAG: dense<[2, -2, 2, -1]> : tensor<4xi4>
// FOLD-DAG: dense<[1, -2, 2, -1]> : tensor<4xi4>
// FOLD-DAG: dense<[2, -1, 3, 0]> : tensor<4xi4>
// FOLD-DAG: dense<[1, -1, 2, 0]> : tensor<4xi4>
func.func @fold() -> (tensor<4xi4>, tensor<4xi4>, tensor<4xi4>, tensor<4xi4>) {
  %x = arith.constant dense<[0.75, -0.75, 1.25, -0.3]> : tensor<4xf32>
  %a = pike.quantize %x {quantizer = #pike.quantizer<s4, scales = [0.5]>} : tensor<4xf32> -> tensor<4xi4>
  %b = pike.quantize %x {quantizer = #pike.quantizer<s4, scales = [0.5]>, rounding = #pike<quantize_rounding floor>} : tensor<4xf32> -> tensor<4xi4>
  %c = pike.quantize %x {quantizer = #pike.quantizer<s4, scales = [0.5]>, rounding = #pike<quantize_rounding ceil>} : tensor<4xf32> -> tensor<4xi4>
  %d = pike.quantize %x {quantizer = #pike.quantizer<s4, scales = [0.5]>, rounding = #pike<quantize_rounding toward_zero>} : tensor<4xf32> -> tensor<4xi4>
  return %a, %b, %c, %d : tensor<4xi4>, tensor<4xi4>, tensor<4xi4>, tensor<4xi4>
}

// -----

// quantize(dequantize(q)) is q only when rounding to nearest: floor of
// (q * s) / s may land one below q in float.
// FOLD-LABEL: func @inverse_pair
// FOLD: %[[D:.*]] = pike.dequantize %arg0
// FOLD: %[[F:.*]] = pike.quantize %[[D]] {{.*}}rounding = #pike<quantize_rounding floor>
// FOLD: return %arg0, %[[F]]
func.func @inverse_pair(%q: tensor<4xi8>) -> (tensor<4xi8>, tensor<4xi8>) {
  %d = pike.dequantize %q {quantizer = #pike.quantizer<s8, scales = [0.1]>} : tensor<4xi8> -> tensor<4xf32>
  %a = pike.quantize %d {quantizer = #pike.quantizer<s8, scales = [0.1]>} : tensor<4xf32> -> tensor<4xi8>
  %b = pike.quantize %d {quantizer = #pike.quantizer<s8, scales = [0.1]>, rounding = #pike<quantize_rounding floor>} : tensor<4xf32> -> tensor<4xi8>
  return %a, %b : tensor<4xi8>, tensor<4xi8>
}
