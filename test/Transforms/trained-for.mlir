// What a model was trained for travels in its IR: pike.double_quantize_bits
// turns Double Quantization on in the pipeline (at those bits), and
// pike.quantnorm_multiplier_bits sets QuantNorm's multiplier width, unless
// the pipeline's own options say otherwise.
// RUN: pike-opt %s --pike-quantize-pipeline | FileCheck %s --check-prefix=TRAINED
// RUN: pike-opt %s --pike-quantize-pipeline="double-quantize=false" | FileCheck %s --check-prefix=NODQ
// RUN: pike-opt %s --pike-quantize-pipeline="dq-bits=3" | FileCheck %s --check-prefix=DQ3
// RUN: pike-opt %s --pike-quantize-pipeline="double-quantize=false multiplier-bits=16" | FileCheck %s --check-prefix=M16
// RUN: pike-opt %s --pike-double-quantize | FileCheck %s --check-prefix=PASS
// Without the attributes the pipeline keeps scales real until QuantNorm's 32-bit multipliers.
// RUN: sed -e 's/attributes {pike.double_quantize_bits = 4 : i64, pike.quantnorm_multiplier_bits = 8 : i64}//' %s | pike-opt --pike-quantize-pipeline | FileCheck %s --check-prefix=PLAIN
// RUN: sed -e 's/attributes {pike.double_quantize_bits = 4 : i64, pike.quantnorm_multiplier_bits = 8 : i64}//' %s | pike-opt --pike-double-quantize=if-trained=true | FileCheck %s --check-prefix=UNTRAINED

// Scales [0.5, 0.25, 0.12] over s_out = 0.1 at 4 bits: values [10, 5, 2]
// with shared scale 0.05 = 0.1 * 2^-1 (test/Transforms/double-quantize.mlir);
// QuantNorm lifts the shift to its minimum 2: multipliers [20, 10, 4] >> 2.
// TRAINED: pike.quant_norm %arg0 {{.*}}#pike.fixed_point<bits = 6, multipliers = [20, 10, 4], shifts = [2]
// At 3 bits: shared scale 0.1 (k = 0), values [5, 2, 1] (2.5 to even), lifted to shift 2.
// DQ3: pike.quant_norm %arg0 {{.*}}#pike.fixed_point<bits = 6, multipliers = [20, 8, 4], shifts = [2]
// PASS: #pike.dq_scale<bits = 4, values = [10, 5, 2], scale = 5.000000e-02>
// UNTRAINED: pike.scale %arg0 {scale = array<f64: 5.000000e-01, 2.500000e-01, 1.200000e-01>}
// 8-bit multipliers (the model's) and 16-bit (the option's): 1.2 = 77 / 2^6 and 19661 / 2^14.
// NODQ: #pike.fixed_point<bits = 8, multipliers = [80, 80, 77], shifts = [4, 5, 6]
// M16: #pike.fixed_point<bits = 16, multipliers = [20480, 20480, 19661], shifts = [12, 13, 14]
// PLAIN: #pike.fixed_point<bits = 32, multipliers =
module attributes {pike.double_quantize_bits = 4 : i64, pike.quantnorm_multiplier_bits = 8 : i64} {
  func.func @main(%acc: tensor<1x3xi32>) -> tensor<1x3xi4> {
    %y = pike.scale %acc {scale = array<f64: 0.5, 0.25, 0.12>} : tensor<1x3xi32> -> tensor<1x3xf32>
    %c = pike.clamp %y {min = 0.0 : f64, max = 1.5 : f64} : tensor<1x3xf32>
    %q = pike.quantize %c {quantizer = #pike.quantizer<u4, scales = [0.1]>} : tensor<1x3xf32> -> tensor<1x3xi4>
    return %q : tensor<1x3xi4>
  }
}
