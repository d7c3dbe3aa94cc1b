//===- PikeNormalizationOps.td - Softmax and layer normalization -*- tablegen -*-===//
//
// Normalizations over the last dimension, as transformers use them: the
// real ops the importer emits, and the integer ops pike-fixed-point makes
// of them between quantizers (lib/Numerics/Normalization.cpp, after I-BERT).
//
//===----------------------------------------------------------------------===//

#ifndef PIKE_DIALECT_PIKE_IR_PIKENORMALIZATIONOPS_TD
#define PIKE_DIALECT_PIKE_IR_PIKENORMALIZATIONOPS_TD

def Pike_SoftmaxOp : Pike_Op<"softmax", [Pure, AllTypesMatch<["input", "output"]>]> {
  let summary = "Softmax over the last dimension, in reals";
  let description = [{
    `y_i = exp(x_i - max x) / sum_j exp(x_j - max x)` over each row of the
    last dimension (ONNX Softmax with `axis` the last). Between a
    per-tensor dequantize and quantize, `pike-fixed-point` makes it a
    `pike.integer_softmax`.

    With a `mask` (i1, the input's shape), only the elements it keeps (1)
    take part: the max and the sum run over them and each element it drops
    (0) is 0, as a masked fill (ONNX `Where`) of a constant far below every
    value gives. A row that keeps none is uniform (`1/n` each), as a row
    filled with one constant is; a fill of minus infinity leaves such a row
    undefined (NaN) in ONNX.

    ```mlir
    %p = pike.softmax %scores : tensor<1x2x16x16xf32>
    %m = pike.softmax %scores mask(%keep : tensor<1x2x16x16xi1>) : tensor<1x2x16x16xf32>
    ```
  }];
  let arguments = (ins Pike_FloatTensor:$input, Optional<TensorOf<[I1]>>:$mask);
  let results = (outs Pike_FloatTensor:$output);
  let assemblyFormat = "$input (`mask` `(` $mask^ `:` type($mask) `)`)? attr-dict `:` type($output)";
  let hasVerifier = 1;
}

def Pike_LayerNormOp : Pike_Op<"layer_norm", [Pure, SameOperandsAndResultType]> {
  let summary = "Layer normalization over the last dimension, in reals";
  let description = [{
    `y_i = (x_i - mean) / sqrt(var + epsilon) * scale[i] + bias[i]` over each
    row of the last dimension, `var` the population variance (ONNX
    LayerNormalization with `axis` the last). `scale` and `bias` hold one
    value or one per position of the row. Between a per-tensor dequantize
    and quantize, `pike-fixed-point` makes it a `pike.integer_layer_norm`.

    A layer normalization written out in steps (ONNX before opset 17) may be
    quantized between them, as onnxruntime's `quantize_static` does: each
    row's variance by `variance_quantizer` (`var` becomes its dequantized
    value), and `var + epsilon` by `deviation_quantizer`, both per tensor.
    `epsilon_quantizer` says that `epsilon` is that quantizer's dequantized
    integer (a QDQ constant), which the `float32` rounding adds as
    onnxruntime's QLinearAdd does. Between quantizers such a norm becomes a
    `pike.integer_stepwise_layer_norm` or `pike.float32_stepwise_layer_norm`.

    ```mlir
    %y = pike.layer_norm %x {scale = array<f64: 1.0, 0.5>, bias = array<f64: 0.0, 0.1>,
                             epsilon = 1.0e-05 : f64} : tensor<1x16x2xf32>
    %z = pike.layer_norm %x {scale = array<f64: 1.0>, bias = array<f64: 0.0>, epsilon = 1.0e-05 : f64,
                             variance_quantizer = #pike.quantizer<u8, scales = [0.0055]>,
                             deviation_quantizer = #pike.quantizer<u8, scales = [0.0055]>}
        : tensor<1x16x2xf32>
    ```
  }];
  let arguments = (ins
    Pike_FloatTensor:$input,
    DenseF64ArrayAttr:$scale,
    DenseF64ArrayAttr:$bias,
    F64Attr:$epsilon,
    OptionalAttr<Pike_QuantizerAttr>:$variance_quantizer,
    OptionalAttr<Pike_QuantizerAttr>:$epsilon_quantizer,
    OptionalAttr<Pike_QuantizerAttr>:$deviation_quantizer
  );
  let results = (outs Pike_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($output)";
  let hasVerifier = 1;
}

def Pike_IntegerSoftmaxOp : Pike_Op<"integer_softmax", [Pure, SameOperandsAndResultShape]> {
  let summary = "Softmax between quantizers, in integers";
  let description = [{
    Over each row of the last dimension (`n` values, the input read as
    unsigned if `input_unsigned`):

    ```
    m   = max_j q_j
    E_i = exp_table[m - q_i]           (0 past the table's end)
    S   = sum_j E_j
    P_i = floor((2 * E_i * 2^30 + S) / (2 * S))          (E_i / S, 30 fraction bits)
    y_i = clamp(output_zp + ((P_i * multiplier + 2^(shift-1)) >> shift))
    ```

    `exp_table[d] = round(2^30 * exp(-s_in * d))`, `multiplier * 2^-shift =
    2^-30 / s_out`: made by `pike-fixed-point` from the quantizers
    (docs/Numerics.md states the error bound: one output step). Entries are
    in `[0, 2^30]`, so every intermediate fits int64 for rows of up to 2^20
    values.

    A `mask` keeps elements as `pike.softmax`'s does: `m`, `S` over the
    kept ones, `y_i = output_zp` (real 0) where it drops one; a row that
    keeps none reads its integers as equal (uniform).

    ```mlir
    %p = pike.integer_softmax %q {exp_table = array<i64: 1073741824, 950175573, ...>,
                                  multiplier = 1073741824, shift = 52, output_unsigned}
        : tensor<1x2x16x16xi8> -> tensor<1x2x16x16xi8>
    ```
  }];
  let arguments = (ins
    Pike_IntTensor:$input,
    Optional<TensorOf<[I1]>>:$mask,
    DenseI64ArrayAttr:$exp_table,
    I64Attr:$multiplier,
    I64Attr:$shift,
    DefaultValuedAttr<I64Attr, "0">:$output_zp,
    UnitAttr:$input_unsigned,
    UnitAttr:$output_unsigned
  );
  let results = (outs Pike_IntTensor:$output);
  let assemblyFormat = "$input (`mask` $mask^)? attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Pike_IntegerLayerNormOp : Pike_Op<"integer_layer_norm", [Pure, SameOperandsAndResultShape]> {
  let summary = "Layer normalization between quantizers, in integers";
  let description = [{
    Over each row of the last dimension (`n` values, the input read as
    unsigned if `input_unsigned`):

    ```
    c_i = (n * q_i - sum_j q_j) << headroom    (n times the distance to the mean)
    T   = sum_j c_j^2 + epsilon
    k   = (62 - bitLength(T)) / 2              (T << 2k in [2^60, 2^62))
    r   = max(1, isqrt(T << 2k))               (sqrt(T) * 2^k, 31 bits)
    t_i = round((c_i << k) * gamma[i] / r)     (ties away from zero)
    y_i = clamp(output_zp + ((t_i + beta[i] + 2^(shift-1)) >> shift))
    ```

    `gamma[i] = round(scale_i * sqrt(n) / s_out * 2^shift)`, `beta[i] =
    round(bias_i / s_out * 2^shift)`, `epsilon = round(eps * n^3 / s_in^2 *
    4^headroom)`, `headroom` the most the sum of squares can take (so that
    epsilon keeps its fraction): made by `pike-fixed-point` from the
    quantizers (docs/Numerics.md). The zero point of the input cancels. The verifier bounds every
    intermediate inside int64.

    ```mlir
    %y = pike.integer_layer_norm %q {gamma = array<i64: 905969664, 905969664>,
                                     beta = array<i64: 0, 0>, epsilon = 0, shift = 26}
        : tensor<1x16x2xi8> -> tensor<1x16x2xi8>
    ```
  }];
  let arguments = (ins
    Pike_IntTensor:$input,
    DenseI64ArrayAttr:$gamma,
    DenseI64ArrayAttr:$beta,
    I64Attr:$epsilon,
    I64Attr:$shift,
    DefaultValuedAttr<I64Attr, "0">:$headroom,
    DefaultValuedAttr<I64Attr, "0">:$output_zp,
    UnitAttr:$input_unsigned,
    UnitAttr:$output_unsigned
  );
  let results = (outs Pike_IntTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Pike_Float32LayerNormOp : Pike_Op<"float32_layer_norm", [Pure, SameOperandsAndResultShape]> {
  let summary = "Layer normalization between quantizers, as onnxruntime computes it";
  let description = [{
    onnxruntime's LayerNormalization between a dequantize and a quantize,
    bit for bit: integers in and out, float32 (and one float64 sum) inside,
    in the order of MLAS's x86 kernel (`MlasLayerNormKernelAvx2`, used on
    every AVX2+FMA machine for rows whose length is a multiple of 8). Over
    each row of the last dimension (`n` values, `n` a multiple of 8, the
    input read as unsigned if `input_unsigned`):

    ```
    x_i  = f32(q_i - input_zp) * input_scale
    S_j  = sum over k of f64(x_{4k+j})                 (j < 4, in k order)
    mean = f32(((S_0 + S_2) + (S_1 + S_3)) / n)
    d_i  = x_i - mean
    V_j  = d_j^2, then V_j = fma(d_{8k+j}, d_{8k+j}, V_j)  (j < 8, in k order)
    V    = ((V_0 + V_4) + (V_2 + V_6)) + ((V_1 + V_5) + (V_3 + V_7))
    inv  = 1 / sqrt(V / n + epsilon)
    y_i  = fma(d_i * inv, gamma[i], beta[i])
    out  = clamp(round_half_even(y_i / output_scale)) + output_zp
    ```

    each step rounded to float32 (the V_j start at 0). A NaN before the
    clamp (epsilon 0 and a constant row) becomes the lowest value, as
    MLAS's `maxps` makes it. `pike-fixed-point` makes it under
    `rounding=float32` (docs/Numerics.md); the default is
    `pike.integer_layer_norm`.

    ```mlir
    %y = pike.float32_layer_norm %q {input_scale = 0.05 : f32, input_zp = 3,
                                     gamma = array<f32: 1.0, ...>, beta = array<f32: 0.0, ...>,
                                     epsilon = 9.99999974E-6 : f32, output_scale = 0.02 : f32}
        : tensor<1x16x8xi8> -> tensor<1x16x8xi8>
    ```
  }];
  let arguments = (ins
    Pike_IntTensor:$input,
    F32Attr:$input_scale,
    DefaultValuedAttr<I64Attr, "0">:$input_zp,
    DenseF32ArrayAttr:$gamma,
    DenseF32ArrayAttr:$beta,
    F32Attr:$epsilon,
    F32Attr:$output_scale,
    DefaultValuedAttr<I64Attr, "0">:$output_zp,
    UnitAttr:$input_unsigned,
    UnitAttr:$output_unsigned
  );
  let results = (outs Pike_IntTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Pike_Float32SoftmaxOp : Pike_Op<"float32_softmax", [Pure, SameOperandsAndResultShape]> {
  let summary = "Softmax between 8-bit quantizers, as onnxruntime's QLinearSoftmax computes it";
  let description = [{
    onnxruntime's `QLinearSoftmax` (what it makes of dequantize -> Softmax
    -> quantize), bit for bit as measured against onnxruntime 1.32 (its
    quotient is rounded once, not to float32 first). Over each row of the last dimension (the
    input read as unsigned if `input_unsigned`):

    ```
    m   = max_j q_j
    E_i = exp_table[m - q_i]
    S   = E_0 + E_1 + ...                        (float32, in row order)
    p_i = f64(E_i) * f64(multiplier) / f64(S)    (float64: one rounding)
    y_i = clamp(round_half_even(p_i) + output_zp)
    ```

    `exp_table[d] = f32(exp((b - d) * s_in))` with onnxruntime's headroom
    `b = max(0, logf(FLT_MAX / n) - 5) / s_in`, `multiplier = floor(1 /
    s_out)`: made by `pike-fixed-point` under `rounding=float32`
    (docs/Numerics.md) where `exp_table[0] * multiplier` is finite. A NaN
    `p_i` (from no table `pike-fixed-point` makes) gives the lowest value.

    ```mlir
    %p = pike.float32_softmax %q {exp_table = array<f32: ...>, multiplier = 2.550000e+02 : f32,
                                  input_unsigned, output_unsigned}
        : tensor<1x2x16x16xi8> -> tensor<1x2x16x16xi8>
    ```
  }];
  let arguments = (ins
    Pike_IntTensor:$input,
    DenseF32ArrayAttr:$exp_table,
    F32Attr:$multiplier,
    DefaultValuedAttr<I64Attr, "0">:$output_zp,
    UnitAttr:$input_unsigned,
    UnitAttr:$output_unsigned
  );
  let results = (outs Pike_IntTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Pike_IntegerStepwiseLayerNormOp
    : Pike_Op<"integer_stepwise_layer_norm", [Pure, SameOperandsAndResultShape]> {
  let summary = "Layer normalization with a quantized variance, in integers";
  let description = [{
    A `pike.layer_norm` with a `variance_quantizer` between quantizers. Over
    each row of the last dimension (`n` values, the input read as unsigned
    if `input_unsigned`):

    ```
    c_i = n * q_i - sum_j q_j                       (n times the distance to the mean)
    T   = sum_j c_j^2
    v   = clamp(variance_zp + ((T * variance_multiplier + 2^(variance_shift-1)) >> variance_shift),
                variance_min, variance_max)          (in 128 bits)
    k   = v - variance_min;  M = multipliers[k];  s = shifts[k]
    y_i = clamp(output_zp + ((c_i * M + biases[k] + 2^(s-1)) >> s))     if M > 0
    y_i = max if M = 0 and c_i > 0, else min                            if M <= 0
    ```

    `v` is the variance's integer (`variance_multiplier * 2^-variance_shift`
    stands for `s_in^2 / (n^3 * s_var)`). Entry `k` of `multipliers` is
    `max(1, round(scale * s_in / (n * sqrt(e) * s_out) * 2^s))` for the dequantized
    `e` its `v` leads to (the epsilon added and requantized), each at its
    own shift `s` (a tiny `e` beside ordinary ones keeps every entry's
    precision); `biases[k]` is `round(bias / s_out * 2^s)`. `M` is 0 where
    `e` is 0 (a division by zero: the sign's end of the range, a NaN's
    lowest value for `c_i = 0`) and -1 where `e` is negative (a NaN). Made
    by `pike-fixed-point` (docs/Numerics.md); the verifier bounds every
    intermediate.

    ```mlir
    %y = pike.integer_stepwise_layer_norm %q {variance_multiplier = 1374389535, variance_shift = 52,
            variance_min = 0, variance_max = 3, multipliers = array<i64: 0, 905969664, 1281245526, 1046123016>,
            shifts = array<i64: 62, 30, 31, 31>, biases = array<i64: 0, 0, 0, 0>, output_zp = 128,
            input_unsigned, output_unsigned}
        : tensor<1x16x8xi8> -> tensor<1x16x8xi8>
    ```
  }];
  let arguments = (ins
    Pike_IntTensor:$input,
    I64Attr:$variance_multiplier,
    I64Attr:$variance_shift,
    DefaultValuedAttr<I64Attr, "0">:$variance_zp,
    I64Attr:$variance_min,
    I64Attr:$variance_max,
    DenseI64ArrayAttr:$multipliers,
    DenseI64ArrayAttr:$shifts,
    DenseI64ArrayAttr:$biases,
    DefaultValuedAttr<I64Attr, "0">:$output_zp,
    UnitAttr:$input_unsigned,
    UnitAttr:$output_unsigned
  );
  let results = (outs Pike_IntTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Pike_Float32StepwiseLayerNormOp
    : Pike_Op<"float32_stepwise_layer_norm", [Pure, SameOperandsAndResultShape]> {
  let summary = "Layer normalization with a quantized variance, as onnxruntime runs it";
  let description = [{
    onnxruntime's run of a layer normalization written out in steps and
    quantized between them by `quantize_static` (ReduceMean, Sub, Pow,
    ReduceMean, QuantizeLinear, QLinearAdd of epsilon, DequantizeLinear,
    Sqrt, Div), between a dequantize and a quantize, bit for bit. Over each
    row of the last dimension (`n` values, `n` a multiple of 8):

    ```
    x_i  = f32(q_i - input_zp) * input_scale
    L_j  = sum over k of x_{8k+j}       (j < 8, in k order, from 0)
    mean = (((L_0 + L_4) + (L_2 + L_6)) + ((L_1 + L_5) + (L_3 + L_7))) / n
    d_i  = x_i - mean
    V    = the same mean of d_i * d_i
    v    = clamp(round_half_even(V / variance_scale)) + variance_zp
    y_i  = d_i / deviations[v - variance_min]
    out  = clamp(round_half_even(y_i / output_scale)) + output_zp
    ```

    each step rounded to float32, a NaN before a clamp the lowest value
    (MLAS's `maxps`). `deviations[k]` (non-negative, infinite or NaN) is
    the float32 square root of the
    dequantized `v + epsilon` (onnxruntime's QLinearAdd, then its
    DequantizeLinear), computed by `pike-fixed-point` under
    `rounding=float32` (docs/Numerics.md). The mean's order is onnxruntime's
    ReduceMean over a last axis of a multiple of 8 (measured with
    onnxruntime 1.32 on x86).

    ```mlir
    %y = pike.float32_stepwise_layer_norm %q {input_scale = 0.05 : f32, input_zp = 3,
            variance_scale = 0.0055 : f32, variance_zp = 0, variance_min = 0, variance_max = 3,
            deviations = array<f32: 0.0, 0.074, 0.105, 0.128>, output_scale = 0.03 : f32,
            output_zp = 125, input_unsigned, output_unsigned}
        : tensor<1x16x8xi8> -> tensor<1x16x8xi8>
    ```
  }];
  let arguments = (ins
    Pike_IntTensor:$input,
    F32Attr:$input_scale,
    DefaultValuedAttr<I64Attr, "0">:$input_zp,
    F32Attr:$variance_scale,
    DefaultValuedAttr<I64Attr, "0">:$variance_zp,
    I64Attr:$variance_min,
    I64Attr:$variance_max,
    DenseF32ArrayAttr:$deviations,
    F32Attr:$output_scale,
    DefaultValuedAttr<I64Attr, "0">:$output_zp,
    UnitAttr:$input_unsigned,
    UnitAttr:$output_unsigned
  );
  let results = (outs Pike_IntTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

#endif // PIKE_DIALECT_PIKE_IR_PIKENORMALIZATIONOPS_TD
