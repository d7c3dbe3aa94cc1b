// A model's rounding travels in its IR: the module's pike.rounding (which the
// ONNX importer sets to half_even) is what the requantizing passes use unless
// their rounding option is given.
// RUN: pike-opt %s --pike-quantize-pipeline | FileCheck %s --check-prefix=MODEL
// RUN: pike-opt %s --pike-fixed-point | FileCheck %s --check-prefix=MODEL
// RUN: pike-opt %s --pike-quantize-pipeline="rounding=double" | FileCheck %s --check-prefix=OPTION
// RUN: pike-opt %s --pike-fixed-point="rounding=single" | FileCheck %s --check-prefix=SINGLE
// Without the attribute, the default (single) applies; printed as the default, it is omitted.
// RUN: sed -e 's/attributes {pike.rounding = #pike<rounding half_even>}//' %s | pike-opt --pike-quantize-pipeline | FileCheck %s --check-prefix=DEFAULT

// MODEL: pike.requantize {{.*}}rounding = half_even
// OPTION: pike.requantize {{.*}}rounding = double
// SINGLE: pike.requantize
// SINGLE-NOT: rounding =
// DEFAULT: pike.requantize
// DEFAULT-NOT: rounding =
module attributes {pike.rounding = #pike<rounding half_even>} {
  func.func @main(%x: tensor<4xi8>) -> tensor<4xi8> {
    %d = pike.dequantize %x {quantizer = #pike.quantizer<s8, scales = [0.5]>} : tensor<4xi8> -> tensor<4xf32>
    %q = pike.quantize %d {quantizer = #pike.quantizer<s8, scales = [0.3]>} : tensor<4xf32> -> tensor<4xi8>
    return %q : tensor<4xi8>
  }
}
