//===- PikeOps.td - Operations of the pike dialect ----------*- tablegen -*-===//

#ifndef PIKE_DIALECT_PIKE_IR_PIKEOPS_TD
#define PIKE_DIALECT_PIKE_IR_PIKEOPS_TD

include "pike/Dialect/Pike/IR/PikeAttrs.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/IR/CommonAttrConstraints.td"
include "mlir/IR/OpBase.td"
include "mlir/Interfaces/InferTypeOpInterface.td"

// Pike's range checks and 64-bit requantization intermediates handle integers
// of 1 to 64 bits; wider ones are rejected rather than checked wrongly, and
// i0 (no values) would reach LLVM as a zero-width integer.
def Pike_Int : Type<
    And<[AnySignlessInteger.predicate,
         CPred<"::llvm::cast<::mlir::IntegerType>($_self).getWidth() >= 1">,
         CPred<"::llvm::cast<::mlir::IntegerType>($_self).getWidth() <= 64">]>,
    "signless integer of 1 to 64 bits", "::mlir::IntegerType">;

def Pike_IntTensor : RankedTensorOf<[Pike_Int]>;
def Pike_FloatTensor : RankedTensorOf<[AnyFloat]>;
def Pike_Tensor : RankedTensorOf<[Pike_Int, AnyFloat]>;

def Pike_ClampBound : AnyAttrOf<[I64Attr, F64Attr]>;

//===----------------------------------------------------------------------===//
// Boundaries between reals and integers
//===----------------------------------------------------------------------===//

def Pike_QuantizeOp : Pike_Op<"quantize", [Pure, SameOperandsAndResultShape]> {
  let summary = "Quantize reals to integers";
  let description = [{
    `q = clamp(round(x / scale[c]) + zp[c], qmin, qmax)`, as ONNX
    `QuantizeLinear` (the division in the input's real type; NaN gives the
    zero point, docs/Numerics.md). `round` is `rounding`: `half_even` (the
    default: ONNX, QONNX `ROUND`), `floor`, `ceil` or `toward_zero` (QONNX
    `FLOOR`, `CEIL`, `ROUND_TO_ZERO`/`DOWN`). The result's element type is
    the signless integer of the quantizer's width; `qmin`/`qmax` follow its
    signedness. Each scale must be positive and finite in the real type
    (1e-50 is 0 in f32, 1e5 infinite in f16): the verifier refuses it, as
    `pike.dequantize`'s. A quantize of constant reals (e.g. weights) folds to the
    integer constant, and a `half_even` quantize of a `pike.dequantize` with
    the same quantizer and type is that dequantize's input (only rounding to
    nearest undoes the float error of `(q - zp) * s / s`).

    ```mlir
    %q = pike.quantize %x {quantizer = #pike.quantizer<u4, scales = [0.05]>}
        : tensor<1x8x8x16xf32> -> tensor<1x8x8x16xi4>
    %f = pike.quantize %x {quantizer = #pike.quantizer<s4, scales = [0.05]>,
                           rounding = #pike<quantize_rounding floor>}
        : tensor<1x8x8x16xf32> -> tensor<1x8x8x16xi4>
    ```
  }];
  let arguments = (ins Pike_FloatTensor:$input, Pike_QuantizerAttr:$quantizer,
                       DefaultValuedAttr<Pike_QuantizeRoundingAttr,
                                         "::mlir::pike::QuantizeRounding::half_even">:$rounding);
  let results = (outs Pike_IntTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def Pike_DequantizeOp : Pike_Op<"dequantize", [Pure, SameOperandsAndResultShape]> {
  let summary = "Dequantize integers to reals";
  let description = [{
    `x = (q - zp[c]) * scale[c]`, as ONNX `DequantizeLinear`.

    ```mlir
    %x = pike.dequantize %q {quantizer = #pike.quantizer<s4, axis = 0, scales = [0.1, 0.2]>}
        : tensor<2x3x3x8xi4> -> tensor<2x3x3x8xf32>
    ```
  }];
  let arguments = (ins Pike_IntTensor:$input, Pike_QuantizerAttr:$quantizer);
  let results = (outs Pike_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Multiply-accumulate ops
//===----------------------------------------------------------------------===//

def Pike_Conv2DOp : Pike_Op<"conv2d", [Pure]> {
  let summary = "Integer 2-D convolution (grouped and depthwise included)";
  let description = [{
    Input NHWC, weight `[F, KH, KW, C / groups]` (OHWI, as TOSA), optional
    bias `[F]` in the accumulator type, result NHWC `[N, OH, OW, F]` in the
    accumulator type:

    `acc[n, y, x, f] = bias[f] + sum (in[n, y*sh + i*dh - pt, x*sw + j*dw - pl, g*C/groups + k] - input_zp)
                                     * (w[f, i, j, k] - weight_zp)`

    with `g = f / (F / groups)` and zero padding (in the real domain, i.e.
    padded positions contribute nothing). `padding` is `[top, bottom, left,
    right]`. Depthwise convolution is `groups == C`. Operands are read as
    signed unless `input_unsigned` / `weight_unsigned` is set. The verifier
    rejects an accumulator type that the worst case of the sum could
    overflow.

    ```mlir
    %acc = pike.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>,
                               input_unsigned}
        : (tensor<1x8x8x16xi4>, tensor<32x3x3x16xi4>) -> tensor<1x8x8x32xi32>
    ```
  }];
  let arguments = (ins
    Pike_IntTensor:$input,
    Pike_IntTensor:$weight,
    Optional<Pike_IntTensor>:$bias,
    DenseI64ArrayAttr:$strides,
    DenseI64ArrayAttr:$padding,
    DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$dilations,
    DefaultValuedAttr<I64Attr, "1">:$groups,
    DefaultValuedAttr<I64Attr, "0">:$input_zp,
    DefaultValuedAttr<I64Attr, "0">:$weight_zp,
    UnitAttr:$input_unsigned,
    UnitAttr:$weight_unsigned
  );
  let results = (outs Pike_IntTensor:$output);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    bool isDepthwise();
  }];
}

def Pike_FullyConnectedOp : Pike_Op<"fully_connected", [Pure]> {
  let summary = "Integer fully-connected layer";
  let description = [{
    Input `[N, K]`, weight `[M, K]`, optional bias `[M]`, result `[N, M]` in
    the accumulator type:
    `acc[n, m] = bias[m] + sum_k (in[n, k] - input_zp) * (w[m, k] - weight_zp)`.

    ```mlir
    %acc = pike.fully_connected %x, %w, %b {input_unsigned}
        : (tensor<1x1024xi4>, tensor<1000x1024xi4>, tensor<1000xi32>) -> tensor<1x1000xi32>
    ```
  }];
  let arguments = (ins
    Pike_IntTensor:$input,
    Pike_IntTensor:$weight,
    Optional<Pike_IntTensor>:$bias,
    DefaultValuedAttr<I64Attr, "0">:$input_zp,
    DefaultValuedAttr<I64Attr, "0">:$weight_zp,
    UnitAttr:$input_unsigned,
    UnitAttr:$weight_unsigned
  );
  let results = (outs Pike_IntTensor:$output);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Pike_BatchMatmulOp : Pike_Op<"batch_matmul", [Pure]> {
  let summary = "Integer matrix product with NumPy batch broadcasting";
  let description = [{
    The matrix product of ONNX `MatMul` (NumPy `matmul`) on integers: `lhs`
    `[..., M, K]` by `rhs` `[..., K, N]`, both of rank 2 or more, result
    `[..., M, N]` in the accumulator type. The batch dimensions (all but the
    last two) broadcast as NumPy's do: aligned from the right, each pair
    equal or one of them 1, the shorter list padded with 1s in front:

    `acc[b, m, n] = sum_k (lhs[b', m, k] - lhs_zp) * (rhs[b'', k, n] - rhs_zp)`

    with `b'` and `b''` the batch index `b` read through that broadcast.
    Operands are read as signed unless `lhs_unsigned` / `rhs_unsigned` is
    set; neither needs to be constant (`pike.fully_connected` is the 2-D
    layer with constant weights that the CPU kernels pack).

    ```mlir
    %acc = pike.batch_matmul %a, %b {lhs_unsigned, lhs_zp = 128}
        : (tensor<2x3x4x5xi8>, tensor<5x6xi8>) -> tensor<2x3x4x6xi32>
    ```
  }];
  let arguments = (ins
    Pike_IntTensor:$lhs,
    Pike_IntTensor:$rhs,
    DefaultValuedAttr<I64Attr, "0">:$lhs_zp,
    DefaultValuedAttr<I64Attr, "0">:$rhs_zp,
    UnitAttr:$lhs_unsigned,
    UnitAttr:$rhs_unsigned
  );
  let results = (outs Pike_IntTensor:$output);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Normalization and scaling
//===----------------------------------------------------------------------===//

def Pike_BatchNormOp : Pike_Op<"batch_norm", [Pure]> {
  let summary = "Inference batch normalization over the last (channel) dimension";
  let description = [{
    `y = (x - mean[c]) / sqrt(variance[c] + epsilon) * scale[c] + offset[c]`,
    with `c` the index of the last dimension. All operands are real; the
    parameters are 1-D of the channel count. This is the float op of the
    quantized-graph form that `--pike-fold-batchnorm` removes.

    ```mlir
    %y = pike.batch_norm %x, %gamma, %beta, %mean, %var {epsilon = 1.0e-05 : f64}
        : (tensor<1x8x8x16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>,
           tensor<16xf32>) -> tensor<1x8x8x16xf32>
    ```
  }];
  let arguments = (ins
    Pike_FloatTensor:$input,
    Pike_FloatTensor:$scale,
    Pike_FloatTensor:$offset,
    Pike_FloatTensor:$mean,
    Pike_FloatTensor:$variance,
    DefaultValuedAttr<F64Attr, "1.0e-5">:$epsilon
  );
  let results = (outs Pike_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $scale `,` $offset `,` $mean `,` $variance attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Pike_ScaleOp : Pike_Op<"scale", [Pure, SameOperandsAndResultShape]> {
  let summary = "Per-channel real scale and bias of an accumulator";
  let description = [{
    `y = x * scale[c] + bias[c]` in reals, `c` the index of the last
    dimension. `scale` is a list of reals (one, or one per channel) or a
    double-quantized scale `#pike.dq_scale`; `bias` is optional (one per
    channel). This is what `--pike-fold-batchnorm` leaves of a
    dequantize + batch-norm pair, before QuantNorm makes it integer.

    ```mlir
    %y = pike.scale %acc {scale = array<f64: 0.01, 0.02>, bias = array<f64: 0.5, -0.25>}
        : tensor<1x4x4x2xi32> -> tensor<1x4x4x2xf32>
    %z = pike.scale %acc {scale = #pike.dq_scale<bits = 4, values = [3, 15], scale = 1.0e-03>}
        : tensor<1x4x4x2xi32> -> tensor<1x4x4x2xf32>
    ```
  }];
  let arguments = (ins
    Pike_Tensor:$input,
    AnyAttrOf<[DenseF64ArrayAttr, Pike_DoubleQuantScaleAttr]>:$scale,
    OptionalAttr<DenseF64ArrayAttr>:$bias
  );
  let results = (outs Pike_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The real scale of channel `channel`, whichever form `scale` has.
    double getChannelScale(size_t channel);
    /// Number of scales `scale` holds (1 if shared by all channels).
    size_t getNumScales();
  }];
}

def Pike_QuantNormOp : Pike_Op<"quant_norm", [Pure, SameOperandsAndResultShape]> {
  let summary = "QuantNorm: integer per-channel multiplier, bias and shift to a narrow integer";
  let description = [{
    Batch-norm and requantization folded into integers (PikeLPN QuantNorm):

    `out = clamp(output_zp + round_shift(acc * M[c] + bias[c], s[c]), min, max)`

    with `M`, `s` and the rounding from `multiplier`, `c` the index of the
    last dimension, `bias` optional (one per channel, in units of
    `2^-s[c]`; with `float32` rounding an integer of the accumulator's
    scale, added before the float32 conversion), and `min`/`max` defaulting to the range of the result type
    (read as unsigned if `output_unsigned`). A clamp tighter than the type
    range is a fused ReLU/ReLU6/PACT clip.

    ```mlir
    %q = pike.quant_norm %acc {multiplier = #pike.fixed_point<bits = 8, multipliers = [97, 121], shifts = [14]>,
                               bias = array<i64: 1024, -512>, output_unsigned}
        : tensor<1x4x4x2xi32> -> tensor<1x4x4x2xi4>
    ```
  }];
  let arguments = (ins
    Pike_IntTensor:$input,
    Pike_FixedPointAttr:$multiplier,
    OptionalAttr<DenseI64ArrayAttr>:$bias,
    DefaultValuedAttr<I64Attr, "0">:$output_zp,
    OptionalAttr<I64Attr>:$min,
    OptionalAttr<I64Attr>:$max,
    UnitAttr:$output_unsigned
  );
  let results = (outs Pike_IntTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The clamp bounds, defaulted to the result type's range.
    int64_t getClampMin();
    int64_t getClampMax();
  }];
}

def Pike_RequantizeOp : Pike_Op<"requantize", [Pure, SameOperandsAndResultShape]> {
  let summary = "Fixed-point rescale of integers, bit-exact with TOSA rescale";
  let description = [{
    `out = clamp(output_zp + round_shift((in - input_zp) * M[c], s[c]), min, max)`
    with `M`, `s` and the rounding from `multiplier` (per tensor or per
    channel along the last dimension) and `min`/`max` defaulting to the range
    of the result type (unsigned if `output_unsigned`); a tighter clamp is a
    fused activation clip. The input is read as unsigned if
    `input_unsigned`.

    Canonicalization removes an identity requantize (same type, signedness
    and zero point, multiplier `2^s` at shift `s`) and merges an integer
    `pike.clamp` that follows into `min`/`max`.

    ```mlir
    %r = pike.requantize %acc {multiplier = #pike.fixed_point<bits = 32, multipliers = [1073741824], shifts = [40]>,
                               output_zp = -3}
        : tensor<1x4xi32> -> tensor<1x4xi8>
    ```
  }];
  let arguments = (ins
    Pike_IntTensor:$input,
    Pike_FixedPointAttr:$multiplier,
    DefaultValuedAttr<I64Attr, "0">:$input_zp,
    DefaultValuedAttr<I64Attr, "0">:$output_zp,
    UnitAttr:$input_unsigned,
    UnitAttr:$output_unsigned,
    OptionalAttr<I64Attr>:$min,
    OptionalAttr<I64Attr>:$max
  );
  let results = (outs Pike_IntTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
  let hasFolder = 1;
  let hasCanonicalizer = 1;
  let extraClassDeclaration = [{
    /// The clamp bounds, defaulted to the result type's range.
    int64_t getClampMin();
    int64_t getClampMax();
  }];
}

// Scalars and vectors only: apply_scale is the body of a linalg op, and its
// expansion and cost are per element.
def Pike_IntOrIntVector : AnyTypeOf<[AnySignlessInteger, VectorOfAnyRankOf<[AnySignlessInteger]>],
    "signless integer or vector of signless integers">;

def Pike_ApplyScaleOp : Pike_Op<"apply_scale", [Pure, ElementwiseMappable,
    AllTypesMatch<["value", "multiplier", "shift"]>,
    TypesMatchWith<"the result has the value's type", "value", "result", "$_self">,
    OptionalTypesMatchWith<"the addend has the value's type", "value", "addend", "$_self">]> {
  let summary = "Fixed-point scaling of one integer: the one spelling of requantization";
  let description = [{
    `result = round_shift(value * multiplier [+ addend], shift)` computed
    exactly in the operands' type (i64 in what Pike emits), with the
    rounding right shift of `rounding` (docs/Numerics.md). Scalars or
    vectors, never tensors: convert-pike-to-linalg emits it inside the `linalg.generic`
    bodies of every requantizing op (`pike.requantize`, `pike.quant_norm`,
    integer `pike.add`), so it survives vectorization as one op; the
    `pike-expand-apply-scale` pass turns it into `arith` at the end of the
    lowering. It folds when every operand is a constant, and ACEv2 costs it
    by one model whichever op it came from (docs/ACEv2.md). The shift is at
    least 1; the operands' type must hold the product and sum.

    ```mlir
    %r = pike.apply_scale %acc * %m + %bias rshift %s, double : i64
    %v = pike.apply_scale %x * %m rshift %s, single : vector<16xi64>
    ```
  }];
  let arguments = (ins
    Pike_IntOrIntVector:$value,
    Pike_IntOrIntVector:$multiplier,
    Optional<Pike_IntOrIntVector>:$addend,
    Pike_IntOrIntVector:$shift,
    Pike_RoundingModeAttr:$rounding
  );
  let results = (outs Pike_IntOrIntVector:$result);
  let assemblyFormat = [{
    $value `*` $multiplier (`+` $addend^)? `rshift` $shift `,` `` $rounding attr-dict
    `:` type($value)
  }];
  let hasFolder = 1;
  let builders = [
    OpBuilder<(ins "::mlir::Value":$value, "::mlir::Value":$multiplier,
                   "::mlir::Value":$addend, "::mlir::Value":$shift,
                   "::mlir::pike::RoundingMode":$rounding), [{
      build($_builder, $_state, value.getType(), value, multiplier, addend,
            shift, ::mlir::pike::RoundingModeAttr::get($_builder.getContext(), rounding));
    }]>
  ];
}

def Pike_VectorDot4Op : Pike_Op<"vector_dot4", [Pure,
    AllTypesMatch<["accumulator", "result"]>, AllTypesMatch<["lhs", "rhs"]>]> {
  let summary = "Per-lane sums of four u8 x s8 (or s8 x s8) products, added to i32 accumulators";
  let description = [{
    `result[i] = accumulator[i] + sum_{q < 4} ext(lhs[4i + q]) * sext(rhs[4i + q])`
    in wrapping i32 arithmetic, `ext` zero-extending unless `lhs_signed`: the
    register step of Pike's CPU kernels (convert-pike-to-cpu-kernels). It is
    x86 `vpdpbusd` and AArch64 `usdot`, or with `lhs_signed` AArch64 `sdot`.
    `pike-lower-vector-dots` turns it into the instruction the target has and
    into portable vector arithmetic elsewhere; it stays one op until after
    bufferization.

    ```mlir
    %acc2 = pike.vector_dot4 %acc, %pixels, %weights : vector<16xi32>, vector<64xi8>
    %acc3 = pike.vector_dot4 %acc, %pixels, %weights lhs_signed : vector<4xi32>, vector<16xi8>
    ```
  }];
  let arguments = (ins
    VectorOfRankAndType<[1], [I32]>:$accumulator,
    VectorOfRankAndType<[1], [I8]>:$lhs,
    VectorOfRankAndType<[1], [I8]>:$rhs,
    UnitAttr:$lhs_signed
  );
  let results = (outs VectorOfRankAndType<[1], [I32]>:$result);
  let assemblyFormat = [{
    $accumulator `,` $lhs `,` $rhs (`lhs_signed` $lhs_signed^)? attr-dict `:` type($accumulator)
    `,` type($lhs)
  }];
  let hasVerifier = 1;
}

def Pike_VectorMmlaOp : Pike_Op<"vector_mmla", [Pure,
    AllTypesMatch<["accumulator", "result"]>, AllTypesMatch<["lhs", "rhs"]>]> {
  let summary = "2 x 8 by 8 x 2 byte matrix products added to 2 x 2 i32 tiles";
  let description = [{
    Each 4 accumulator lanes `4t .. 4t + 3` are a row-major 2 x 2 tile and
    each 16 operand bytes `16t .. 16t + 15` two rows of 8:
    `result[4t + 2i + j] = accumulator[4t + 2i + j] +
    sum_{k < 8} ext(lhs[16t + 8i + k]) * sext(rhs[16t + 8j + k])`
    in wrapping i32 arithmetic, `ext` zero-extending unless `lhs_signed`. In
    Pike's CPU kernels `i` is an output pixel and `j` a filter. It is AArch64
    `usmmla`, or with `lhs_signed` `smmla` (FEAT_I8MM); `pike-lower-vector-dots`
    lowers it to them on `aarch64-i8mm` and to portable vector arithmetic
    elsewhere.

    ```mlir
    %acc2 = pike.vector_mmla %acc, %pixels, %weights : vector<4xi32>, vector<16xi8>
    ```
  }];
  let arguments = (ins
    VectorOfRankAndType<[1], [I32]>:$accumulator,
    VectorOfRankAndType<[1], [I8]>:$lhs,
    VectorOfRankAndType<[1], [I8]>:$rhs,
    UnitAttr:$lhs_signed
  );
  let results = (outs VectorOfRankAndType<[1], [I32]>:$result);
  let assemblyFormat = [{
    $accumulator `,` $lhs `,` $rhs (`lhs_signed` $lhs_signed^)? attr-dict `:` type($accumulator)
    `,` type($lhs)
  }];
  let hasVerifier = 1;
}

def Pike_VectorDot2Op : Pike_Op<"vector_dot2", [Pure,
    AllTypesMatch<["accumulator", "result"]>, AllTypesMatch<["lhs", "rhs"]>]> {
  let summary = "Per-lane sums of two s16 x s16 products, added to i32 accumulators";
  let description = [{
    `result[i] = accumulator[i] + sum_{q < 2} sext(lhs[2i + q]) * sext(rhs[2i + q])`
    in wrapping i32 arithmetic: the step of Pike's depthwise CPU kernels (two
    taps of 16 channels), the semantics of x86 `vpdpwssd`.
    `pike-lower-vector-dots` lowers it with `pike.vector_dot4`: to that
    instruction on AVX-512 VNNI, to portable vector arithmetic elsewhere.

    ```mlir
    %acc2 = pike.vector_dot2 %acc, %pixels, %weights : vector<16xi32>, vector<32xi16>
    ```
  }];
  let arguments = (ins
    VectorOfRankAndType<[1], [I32]>:$accumulator,
    VectorOfRankAndType<[1], [I16]>:$lhs,
    VectorOfRankAndType<[1], [I16]>:$rhs
  );
  let results = (outs VectorOfRankAndType<[1], [I32]>:$result);
  let assemblyFormat = [{
    $accumulator `,` $lhs `,` $rhs attr-dict `:` type($accumulator) `,` type($lhs)
  }];
  let hasVerifier = 1;
}

def Pike_VectorDot2BytesOp : Pike_Op<"vector_dot2_bytes", [Pure,
    AllTypesMatch<["accumulator", "result"]>, AllTypesMatch<["lhs", "rhs"]>]> {
  let summary = "Per-lane sums of two u8 x s8 products, saturated to i16, added to i16 accumulators";
  let description = [{
    `result[i] = accumulator[i] + sat16(sum_{q < 2} zext(lhs[2i + q]) * sext(rhs[2i + q]))`,
    `sat16` clamping the pair's sum to [-32768, 32767] and the addition
    wrapping in i16: x86 `vpmaddubsw` and `vpaddw` (SSSE3, AVX2, AVX-512BW).
    Pike's dense CPU kernels take it on `vector` (AVX2, which has no byte
    quads) where the operands' ranges keep every pair's sum, and the sum of
    the steps an accumulator takes, inside i16: sub-8-bit layers then do 32
    byte products an instruction where `pike.vector_dot2` does 16.
    `pike-lower-vector-dots` lowers it to x86 `vpmaddubsw` (AVX2) on the
    x86 targets and to portable vector arithmetic elsewhere.

    ```mlir
    %acc2 = pike.vector_dot2_bytes %acc, %pixels, %weights : vector<32xi16>, vector<64xi8>
    ```
  }];
  let arguments = (ins
    VectorOfRankAndType<[1], [I16]>:$accumulator,
    VectorOfRankAndType<[1], [I8]>:$lhs,
    VectorOfRankAndType<[1], [I8]>:$rhs
  );
  let results = (outs VectorOfRankAndType<[1], [I16]>:$result);
  let assemblyFormat = [{
    $accumulator `,` $lhs `,` $rhs attr-dict `:` type($accumulator) `,` type($lhs)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

def Pike_ClampOp : Pike_Op<"clamp", [Pure, SameOperandsAndResultType]> {
  let summary = "Activation clipping: ReLU, ReLU6, PACT";
  let description = [{
    `y = min(max(x, min), max)`. Real tensors take `f64` bounds, integer
    tensors `i64` bounds (read as unsigned values if `input_unsigned`, and within
    the element type's range). ReLU is `[0, +inf)` — give `max` as the
    largest finite value you need — ReLU6 is `[0, 6]`, and PACT is
    `[0, alpha]` with the learned clip value `alpha`.

    ```mlir
    %y = pike.clamp %x {min = 0.0 : f64, max = 6.0 : f64} : tensor<1x8x8x16xf32>
    %z = pike.clamp %q {min = 0 : i64, max = 15 : i64, input_unsigned} : tensor<1x8x8x16xi8>
    ```
  }];
  let arguments = (ins
    Pike_Tensor:$input,
    Pike_ClampBound:$min,
    Pike_ClampBound:$max,
    UnitAttr:$input_unsigned
  );
  let results = (outs Pike_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($output)";
  let hasVerifier = 1;
}

def Pike_ActivationOp : Pike_Op<"activation", [Pure, SameOperandsAndResultType]> {
  let summary = "A real elementwise activation (sigmoid, tanh, hard sigmoid, ...)";
  let description = [{
    `y = f(x)` on reals, with ONNX's definitions:

    | kind | f(x) | parameters (ONNX defaults) |
    |------|------|------------|
    | `sigmoid` | `1 / (1 + exp(-x))` | |
    | `tanh` | `tanh(x)` | |
    | `hard_sigmoid` | `max(0, min(1, alpha * x + beta))` | `alpha` 0.2, `beta` 0.5 |
    | `hard_swish` | `x * max(0, min(1, x / 6 + 1/2))` | |
    | `leaky_relu` | `x >= 0 ? x : alpha * x` | `alpha` 0.01 |
    | `gelu` | `x / 2 * (1 + erf(x / sqrt(2)))` | |
    | `erf` | `erf(x)` (ONNX Erf: GELU as PyTorch exports it before opset 20) | |

    On a quantized edge (`quantize(activation(dequantize(q)))`),
    `pike-fixed-point` replaces it by a `pike.table` computed at compile
    time, so the model stays integer.

    ```mlir
    %y = pike.activation %x {kind = #pike<activation hard_sigmoid>, alpha = 0.2 : f64, beta = 0.5 : f64} : tensor<1x8xf32>
    ```
  }];
  let arguments = (ins
    Pike_FloatTensor:$input,
    Pike_ActivationKindAttr:$kind,
    OptionalAttr<F64Attr>:$alpha,
    OptionalAttr<F64Attr>:$beta
  );
  let results = (outs Pike_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($output)";
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// alpha and beta, or the ONNX defaults of the kind.
    double getAlphaOrDefault();
    double getBetaOrDefault();
  }];
}

def Pike_TableOp : Pike_Op<"table", [Pure, SameOperandsAndResultShape]> {
  let summary = "Integer lookup table: an activation between two quantizers";
  let description = [{
    `out = table[in - lo]`, where `lo` is the smallest value of the input
    type (`0` if `input_unsigned`, else `-2^(bits-1)`), so `table` has one
    entry per input value: `2^bits` entries for an input of at most 16
    bits. Entries are values of the result type (unsigned if
    `output_unsigned`).

    `pike-fixed-point` builds it from `quantize(activation(dequantize(q)))`:
    entry `i` is the output quantizer applied to `f((lo + i - zp_in) * s_in)`,
    computed in double precision at compile time. ACEv2 costs it as one
    lookup per element at the output width (docs/ACEv2.md).

    ```mlir
    %y = pike.table %q {table = array<i64: ...256 values...>} : tensor<1x8xi8> -> tensor<1x8xi8>
    ```
  }];
  let arguments = (ins
    Pike_IntTensor:$input,
    DenseI64ArrayAttr:$table,
    UnitAttr:$input_unsigned,
    UnitAttr:$output_unsigned
  );
  let results = (outs Pike_IntTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Pike_AddOp : Pike_Op<"add", [Pure, SameOperandsAndResultShape]> {
  let summary = "Residual addition, with operand rescale for integers";
  let description = [{
    Reals: `out = lhs + rhs`, no attributes.

    Integers: both operands are rescaled to the output scale and summed
    before a single rounding,

    `out = clamp(output_zp + round_shift((lhs - lhs_zp) * Ml + (rhs - rhs_zp) * Mr, s), qmin, qmax)`

    where `lhs_scale` and `rhs_scale` are per-tensor fixed-point scales
    sharing one shift `s` and rounding, each operand is read as unsigned if
    `lhs_unsigned` / `rhs_unsigned`, and `qmin`/`qmax` is the range of the
    result type (unsigned if `output_unsigned`).

    With `rounding = float32` on both scales (each its own shift; operands
    and result of at most 16 bits) the addition is onnxruntime's
    `QLinearAdd` as MLAS computes it on x86, in float32:
    `r_l = Ml 2^-sl`, `r_r = Mr 2^-sr` (float32 values),
    `F = f32(output_zp - fma(r_l, lhs_zp, f32(r_r rhs_zp)))` (as onnxruntime's
    build contracts MLAS's `r_l zp_l + r_r zp_r`),
    `y = fma(lhs, r_l, fma(rhs, r_r, F))` on the stored integers (each fma
    rounded once), and `out = clamp(round_half_even(y), qmin, qmax)`; a `y`
    outside the int32 range gives `qmin` (the conversion's 0x80000000,
    saturated). docs/Numerics.md, "onnxruntime's QLinearAdd".

    ```mlir
    %s = pike.add %a, %b {lhs_scale = #pike.fixed_point<bits = 16, multipliers = [16384], shifts = [15]>,
                          rhs_scale = #pike.fixed_point<bits = 16, multipliers = [24576], shifts = [15]>}
        : (tensor<1x4x4x8xi8>, tensor<1x4x4x8xi8>) -> tensor<1x4x4x8xi8>
    ```
  }];
  let arguments = (ins
    Pike_Tensor:$lhs,
    Pike_Tensor:$rhs,
    OptionalAttr<Pike_FixedPointAttr>:$lhs_scale,
    OptionalAttr<Pike_FixedPointAttr>:$rhs_scale,
    DefaultValuedAttr<I64Attr, "0">:$lhs_zp,
    DefaultValuedAttr<I64Attr, "0">:$rhs_zp,
    DefaultValuedAttr<I64Attr, "0">:$output_zp,
    UnitAttr:$lhs_unsigned,
    UnitAttr:$rhs_unsigned,
    UnitAttr:$output_unsigned
  );
  let results = (outs Pike_Tensor:$output);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Pike_MulOp : Pike_Op<"mul", [Pure, SameOperandsAndResultShape]> {
  let summary = "Elementwise product (squeeze-and-excitation, gating)";
  let description = [{
    Reals: `out = lhs * rhs`, no attributes.

    Integers: the product of the centered operands, rescaled once,

    `out = clamp(output_zp + round_shift((lhs - lhs_zp) * (rhs - rhs_zp) * M, s), qmin, qmax)`

    with `M * 2^-s ~= s_lhs * s_rhs / s_out` a per-tensor fixed-point
    `scale`, each operand read as unsigned if `lhs_unsigned` /
    `rhs_unsigned`, and `qmin`/`qmax` the range of the result type. The
    verifier rejects operand widths whose product times `M` could overflow
    the 64-bit intermediate.

    ```mlir
    %p = pike.mul %a, %b {scale = #pike.fixed_point<bits = 32, multipliers = [1374389535], shifts = [37]>,
                          lhs_zp = 3 : i64}
        : (tensor<1x4x4x8xi8>, tensor<1x1x1x8xi8>) -> tensor<1x4x4x8xi8>
    ```
  }];
  let arguments = (ins
    Pike_Tensor:$lhs,
    Pike_Tensor:$rhs,
    OptionalAttr<Pike_FixedPointAttr>:$scale,
    DefaultValuedAttr<I64Attr, "0">:$lhs_zp,
    DefaultValuedAttr<I64Attr, "0">:$rhs_zp,
    DefaultValuedAttr<I64Attr, "0">:$output_zp,
    UnitAttr:$lhs_unsigned,
    UnitAttr:$rhs_unsigned,
    UnitAttr:$output_unsigned
  );
  let results = (outs Pike_Tensor:$output);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

def Pike_AvgPool2DOp : Pike_Op<"avg_pool2d", [Pure]> {
  let summary = "Average pooling over NHWC windows (global when the kernel is the whole image)";
  let description = [{
    Windows of `kernel` size moved by `strides` over the input padded by
    `padding` (`[top, bottom, left, right]`, each smaller than the window)
    with real zeros (integers: `input_zp`). Each window's divisor `n` counts
    its positions inside the input, or with `count_include_pad` inside the
    padded input. With `ceil_mode` the output size rounds up (a last window
    may run past the padding, but starts inside the input or the top/left
    padding); the positions beyond the padding never count. This is ONNX
    AveragePool and PyTorch `avg_pool2d`; numerics::poolWindowCounts is the
    divisor's definition. Reals: `sum / n`. Integers:
    `out = clamp(output_zp + round(sum(in - input_zp) / n), qmin, qmax)`
    with the sum exact, `qmin`/`qmax` the range of the result type (both
    read as unsigned if `input_unsigned`), and ties rounded by `rounding`:
    `half_up` (toward +inf, the default) or `half_even` (ONNX's reading of
    an average followed by QuantizeLinear, onnxruntime's QLinearAveragePool
    and PyTorch's quantized `avg_pool2d`; the ONNX importer sets it). Both
    are exact in integers: with `q = floor(sum / n)` and `r = sum - q * n`,
    half up is `q + (2r >= n)` and half even `q + (2r > n || 2r == n && q odd)`
    (numerics::divideRoundHalfUp / divideRoundHalfEven). On reals the
    attribute states the rule the average keeps when pike-fixed-point makes
    it integer.

    ```mlir
    %g = pike.avg_pool2d %x {kernel = array<i64: 7, 7>, strides = array<i64: 1, 1>, input_unsigned}
        : tensor<1x7x7x1024xi8> -> tensor<1x1x1x1024xi8>
    // 3x3, stride 1, zero-padded by 1 and the zeros counted (n = 9 everywhere):
    // inception_v3's F.avg_pool2d(x, 3, 1, 1).
    %p = pike.avg_pool2d %y {kernel = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>,
                             count_include_pad, input_zp = -128, output_zp = -128}
        : tensor<1x35x35x192xi8> -> tensor<1x35x35x192xi8>
    // 2x2 averages whose ties (sum 6: 1.5, sum -2: -0.5) go to even (2, 0).
    %e = pike.avg_pool2d %z {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>,
                             rounding = #pike<average_rounding half_even>}
        : tensor<1x4x4x8xi8> -> tensor<1x2x2x8xi8>
    ```
  }];
  let arguments = (ins
    Pike_Tensor:$input,
    DenseI64ArrayAttr:$kernel,
    DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
    DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$padding,
    UnitAttr:$count_include_pad,
    UnitAttr:$ceil_mode,
    DefaultValuedAttr<I64Attr, "0">:$input_zp,
    DefaultValuedAttr<I64Attr, "0">:$output_zp,
    UnitAttr:$input_unsigned,
    DefaultValuedAttr<Pike_AverageRoundingAttr,
                      "::mlir::pike::AverageRounding::half_up">:$rounding
  );
  let results = (outs Pike_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    bool isGlobal();
    /// The divisor of each output row (axis 0) or column (axis 1); the
    /// divisor of output (h, w) is rows[h] * columns[w].
    std::vector<int64_t> windowCounts(unsigned axis);
    /// Whether every window has the same divisor, kernel[0] * kernel[1].
    bool hasUniformDivisor();
  }];
}

def Pike_MaxPool2DOp : Pike_Op<"max_pool2d", [Pure]> {
  let summary = "Max pooling over NHWC windows";
  let description = [{
    The largest value of each window of `kernel` size moved by `strides`;
    padded positions (`padding` is `[top, bottom, left, right]`) never win.
    Integers compare as unsigned if `input_unsigned`.

    ```mlir
    %m = pike.max_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>,
                             padding = array<i64: 1, 1, 1, 1>}
        : tensor<1x112x112x64xi8> -> tensor<1x56x56x64xi8>
    ```
  }];
  let arguments = (ins
    Pike_Tensor:$input,
    DenseI64ArrayAttr:$kernel,
    DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
    DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$padding,
    UnitAttr:$input_unsigned
  );
  let results = (outs Pike_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}

include "pike/Dialect/Pike/IR/PikeNormalizationOps.td"
include "pike/Dialect/Pike/IR/PikeIndexOps.td"

#endif // PIKE_DIALECT_PIKE_IR_PIKEOPS_TD
