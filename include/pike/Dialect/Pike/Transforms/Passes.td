//===- Passes.td - Pike quantization transforms ------------*- tablegen -*-===//

#ifndef PIKE_DIALECT_PIKE_TRANSFORMS_PASSES_TD
#define PIKE_DIALECT_PIKE_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

// The rounding option every requantizing pass shares. Not given, the pass
// follows the module's `pike.rounding` attribute (set by importers), else
// kDefaultRounding (PikeAttrs.h).
defvar PikeRoundingOptionDesc =
  "Rounding of the shift (default: the module's pike.rounding, else the one pike-opt --help marks)";
// Generated from the dialect's RoundingMode (RoundingModeOption.h).
defvar PikeRoundingValues = "::mlir::pike::RoundingModeValues()";
defvar PikeSchemeValues = [{::llvm::cl::values(
      clEnumValN(::mlir::pike::QuantScheme::uniform, "uniform", "evenly spaced levels"),
      clEnumValN(::mlir::pike::QuantScheme::pow2, "pow2", "power-of-two scales"))}];
defvar PikeGranularityValues = [{::llvm::cl::values(
      clEnumValN(::mlir::pike::Granularity::PerChannel, "per-channel", "one scale per output channel"),
      clEnumValN(::mlir::pike::Granularity::PerTensor, "per-tensor", "one scale"))}];

def PikeFoldBatchNorm : Pass<"pike-fold-batchnorm"> {
  let summary = "Fold batch-norm into the per-channel scale and bias before it";
  let description = [{
    Replaces `pike.batch_norm` with constant parameters by a per-channel real
    scale and bias. With `k[c] = gamma[c] / sqrt(variance[c] + epsilon)`:

    - after `pike.scale` (the dequantization of a convolution or
      fully-connected accumulator), the two fold into one `pike.scale` with
      `scale'[c] = scale[c] * k[c]` and
      `bias'[c] = (bias[c] - mean[c]) * k[c] + beta[c]`;
    - anywhere else, batch-norm becomes `pike.scale` with `scale = k` and
      `bias = beta - mean * k`.

    A channel with `variance + epsilon <= 0` is an error. With
    `fold-sign-into-weights` (default on), a channel whose `k[c]` is negative
    is made positive by negating that channel's constant weights (and
    integer bias) of the convolution or fully-connected layer that feeds the
    scale, so that later passes can use non-negative fixed-point multipliers.
    This is exact when the weights are symmetric (zero point 0) and the
    channel does not use the most negative weight value; otherwise the sign
    stays in the scale.
  }];
  let options = [
    Option<"foldSignIntoWeights", "fold-sign-into-weights", "bool", "true",
           "Negate a channel's weights to make its scale positive">
  ];
  let dependentDialects = ["::mlir::pike::PikeDialect", "::mlir::arith::ArithDialect"];
}

def PikeDoubleQuantize : Pass<"pike-double-quantize"> {
  let summary = "Double Quantization: quantize per-channel scales to low-bit integers";
  let description = [{
    Replaces the real per-channel scales of each `pike.scale` by
    `#pike.dq_scale<bits, values, scale>`: unsigned `bits`-bit integers
    `values[c]` with one shared real `scale`, so that
    `scale[c] ~= values[c] * scale`.

    The shared scale is chosen so that it is absorbed exactly by the next
    layer's quantizer: when the scaled value flows (through an optional
    `pike.clamp`) into a per-tensor `pike.quantize` with scale `s_out`, the
    shared scale is `s_out * 2^-k` with the largest `k` for which
    `max(scale) / (s_out * 2^-k) <= 2^bits - 1`; QuantNorm then turns it into
    a shift. Otherwise it is `max(scale) / (2^bits - 1)`.
    `values[c] = clamp(round(scale[c] / shared), 1, 2^bits - 1)`.

    This approximates: each channel's relative error is
    `|values[c] * shared - scale[c]| / scale[c]`. With `report`, a remark on
    each op gives the worst and mean error and the worst channel. Scales
    must be positive (see `pike-fold-batchnorm`'s `fold-sign-into-weights`).

    A model trained for Double Quantization says so with the module
    attribute `pike.double_quantize_bits` (set by `--convert-onnx-to-pike`
    from the model's metadata): its value is the default of `bits`, and with
    `if-trained` the pass runs only on such models (what
    `pike-quantize-pipeline` does when `double-quantize` is not given).
  }];
  let options = [
    Option<"bits", "bits", "unsigned", "::mlir::pike::kDefaultDoubleQuantBits",
           "Bit-width of the per-channel integer scales (1 to 16; default: the "
           "module's pike.double_quantize_bits, else 8)">,
    Option<"report", "report", "bool", "false",
           "Emit a remark with the error introduced on each op">,
    Option<"ifTrained", "if-trained", "bool", "false",
           "Only act on a module with pike.double_quantize_bits (a model "
           "trained for Double Quantization)">
  ];
  let dependentDialects = ["::mlir::pike::PikeDialect"];
}

def PikeQuantNorm : Pass<"pike-quantnorm"> {
  let summary = "QuantNorm: make scale, bias, clip and quantize one integer op";
  let description = [{
    Replaces the chain `pike.scale` (integer accumulator to real, with
    optional bias) -> optional `pike.clamp` -> per-tensor `pike.quantize` by
    `pike.quant_norm`:

    `out = clamp(zp + round_shift(acc * M[c] + B[c], s[c]), lo, hi)`

    with `M[c] * 2^-s[c] ~= scale[c] / s_out` as a fixed-point multiplier of
    `multiplier-bits` bits, `B[c] = round(bias[c] / s_out * 2^s[c])`, and
    `[lo, hi]` the quantized clip range (exact: quantization is monotone).
    A double-quantized scale whose shared part is a power-of-two multiple of
    `s_out` becomes low-bit multipliers `values[c]` with one shared shift;
    otherwise each channel gets its own fixed-point multiplier.

    A bias that needs more than `bias-bits` bits, a scale that no multiplier
    of the requested width can represent, or a negative scale is an error
    naming the op and channel. With `report`, a remark on each new op gives
    the worst and mean relative error of its fixed-point scales (at most
    2^-(multiplier-bits - 1), docs/Transforms.md).

    A model trained with narrow QuantNorm multipliers says so with the
    module attribute `pike.quantnorm_multiplier_bits`, the default of
    `multiplier-bits` then.

    A `pike.scale` whose only user floors it to a signed bit with zero point
    0 (a batch norm before BipolarQuant, FINN's CNV) is exact instead: with
    every scale positive, the bit is -1 exactly below one accumulator T[c]
    per channel, found by evaluating the scale, bias and division in the
    real type (float32 or float64) as their lowering does; the result is
    `pike.quant_norm` by exactly 1 (`M = 4, s = 2`) with `B[c] = -4 T[c]`,
    clamped to [-1, 0]. A negative scale leaves the pair as it is.
  }];
  let options = [
    Option<"multiplierBits", "multiplier-bits", "unsigned", "::mlir::pike::kDefaultMultiplierBits",
           "Bit-width of the fixed-point multipliers (2 to 32, sign included; "
           "default: the module's pike.quantnorm_multiplier_bits, else 32)">,
    Option<"biasBits", "bias-bits", "unsigned", "::mlir::pike::kDefaultBiasBits",
           "Largest bit-width an integer bias may need (2 to 62)">,
    Option<"report", "report", "bool", "false",
           "Emit a remark with the scale error introduced on each op">,
    Option<"rounding", "rounding", "::mlir::pike::RoundingMode",
           "::mlir::pike::kDefaultRounding", PikeRoundingOptionDesc, PikeRoundingValues>
  ];
  let dependentDialects = ["::mlir::pike::PikeDialect"];
}

def PikeFixedPoint : Pass<"pike-fixed-point"> {
  let summary = "Turn the remaining real rescales into fixed-point integer ops";
  let description = [{
    Rewrites the real rescaling left between quantizers into integer ops with
    fixed-point multipliers of `multiplier-bits` bits and TOSA `rescale`
    rounding:

    - `pike.quantize(pike.dequantize(x))` becomes `pike.requantize`
      (multiplier `s_in / s_out`, zero points carried over);
    - a real `pike.add` of two `pike.dequantize` values feeding one
      per-tensor `pike.quantize` (directly or through a real `pike.clamp`,
      e.g. the ReLU after a residual add) becomes an integer `pike.add`,
      both operands rescaled to the output scale with one shared shift,
      followed by an integer `pike.clamp` of the quantized clip bounds
      when they are tighter than the output range;
    - a real `pike.clamp` of a `pike.dequantize` feeding a per-tensor
      `pike.quantize` (a standalone quantized ReLU or ReLU6) becomes an
      integer `pike.clamp` of the quantized bounds, after a
      `pike.requantize` when the quantizers differ (exact: quantization is
      monotone);
    - a real `pike.max_pool2d` of a `pike.dequantize` feeding a
      `pike.quantize` becomes the integer max pooling in the input's
      quantizer, followed by a `pike.requantize` when the output's differs
      (exact: max commutes with quantization); a real `pike.avg_pool2d`
      becomes the integer average when the quantizers are equal, else the
      window sums (a depthwise `pike.conv2d` by ones, exact in i32)
      requantized by `s_in / (s_out * window)`: one rounding, when every
      window has the same divisor; with per-window divisors (padding that
      does not count, `ceil_mode`) the integer average, then a
      `pike.requantize`: two roundings. A `tensor.collapse_shape` between
      the pooling and the `pike.quantize` (ONNX ReduceMean without
      keepdims) moves after the quantize;
    - a `tensor.concat` of `pike.dequantize` values feeding a per-tensor
      `pike.quantize` becomes a concat of the integers, each operand
      requantized to the output's quantizer;
    - a real `pike.softmax` or `pike.layer_norm` between a per-tensor
      `pike.dequantize` and `pike.quantize` becomes `pike.integer_softmax`
      (an exp table over the input's integer distances to the row maximum)
      or `pike.integer_layer_norm` (integer mean and variance, an integer
      square root), constants planned from the quantizers
      (docs/Numerics.md); rows that could overflow 64 bits are errors.
      With `rounding=float32` they become onnxruntime's kernels instead,
      `pike.float32_softmax` (quantizers of one 8-bit type) and
      `pike.float32_layer_norm` (rows of a multiple of 8). A layer norm
      whose variance is quantized between its steps becomes
      `pike.integer_stepwise_layer_norm` (a table per variance integer), or
      `pike.float32_stepwise_layer_norm` (onnxruntime's run of the steps).

    Scales that cannot be represented are errors naming the op.
  }];
  let options = [
    Option<"multiplierBits", "multiplier-bits", "unsigned", "::mlir::pike::kDefaultMultiplierBits",
           "Bit-width of the fixed-point multipliers (2 to 32, sign included)">,
    Option<"rounding", "rounding", "::mlir::pike::RoundingMode",
           "::mlir::pike::kDefaultRounding", PikeRoundingOptionDesc, PikeRoundingValues>
  ];
  let dependentDialects = ["::mlir::pike::PikeDialect"];
}

def PikeDHQ : Pass<"pike-dhq"> {
  let summary = "Distribution-Heterogeneous Quantization of float weights";
  let description = [{
    Quantizes float weight constants of separable convolutions with a
    different quantizer for each side, because depthwise and pointwise
    weights are distributed differently (PikeLPN). A convolution whose weight
    is `pike.quantize` of a float `arith.constant` gets a new symmetric
    quantizer computed from the constant, and its integer weights become a
    constant:

    - depthwise (`groups` = input channels): `dw-bits`, `dw-scheme`,
      `dw-granularity` (defaults: 4 bits, pow2, per-channel);
    - pointwise (1x1, `groups` = 1): `pw-bits`, `pw-scheme`, `pw-granularity`
      (defaults: 4 bits, uniform, per-channel);
    - other convolutions and fully-connected layers are left alone.

    Symmetric quantizers use the narrow range `[-(2^(b-1) - 1), 2^(b-1) - 1]`
    with zero point 0. A uniform scale is `max|w| / (2^(b-1) - 1)`; a pow2
    scale is the next power of two up. The `pike.scale` that dequantizes the
    accumulator is updated by `new_scale[c] / old_scale[c]`, so the
    quantized-graph form stays consistent. With `report`, a remark gives the
    relative RMS weight error of each layer.
  }];
  let options = [
    Option<"dwBits", "dw-bits", "unsigned", "::mlir::pike::kDefaultDHQBits",
           "Depthwise weight bit-width (2 to 16)">,
    Option<"dwScheme", "dw-scheme", "::mlir::pike::QuantScheme",
           "::mlir::pike::QuantScheme::pow2", "Depthwise scheme", PikeSchemeValues>,
    Option<"dwGranularity", "dw-granularity", "::mlir::pike::Granularity",
           "::mlir::pike::Granularity::PerChannel", "Depthwise granularity",
           PikeGranularityValues>,
    Option<"pwBits", "pw-bits", "unsigned", "::mlir::pike::kDefaultDHQBits",
           "Pointwise weight bit-width (2 to 16)">,
    Option<"pwScheme", "pw-scheme", "::mlir::pike::QuantScheme",
           "::mlir::pike::QuantScheme::uniform", "Pointwise scheme", PikeSchemeValues>,
    Option<"pwGranularity", "pw-granularity", "::mlir::pike::Granularity",
           "::mlir::pike::Granularity::PerChannel", "Pointwise granularity",
           PikeGranularityValues>,
    Option<"report", "report", "bool", "false",
           "Emit a remark with the weight quantization error of each layer">
  ];
  let dependentDialects = ["::mlir::pike::PikeDialect", "::mlir::arith::ArithDialect"];
}

def PikeVerifyInteger : Pass<"pike-verify-integer"> {
  let summary = "Fail on any real arithmetic left in the inference graph";
  let description = [{
    Reports, with its location, every operation that computes on real
    (floating-point) values, and fails if there is one. The boundaries of
    the graph are allowed: a `pike.quantize` of a function argument, and a
    `pike.dequantize` whose results only leave the function (both seen
    through data movement such as a layout transpose). Constants, shape ops
    (`tensor.*`, `linalg.transpose`/`broadcast`/`copy`) and integer ops
    pass.
  }];
  let options = [
    Option<"allowBoundaries", "allow-boundaries", "bool", "true",
           "Accept quantize at the inputs and dequantize at the outputs">
  ];
}

def PikeExpandApplyScale : Pass<"pike-expand-apply-scale"> {
  let summary = "Expand pike.apply_scale into arith, on scalars or vectors";
  let description = [{
    The one place where Pike's requantization becomes `arith`: each
    `pike.apply_scale` becomes a multiply, the optional add, the rounding
    term of its mode and an arithmetic right shift (docs/Numerics.md).
    The lowering pipelines run it last before LLVM, after any vectorization,
    so the requantization stays one op while loops are transformed.
    `populatePikeExpandApplyScalePatterns` offers the pattern to other
    pipelines.

    ```mlir
    // before
    %r = pike.apply_scale %x * %m rshift %s, half_even : i64
    // after: muli, then (v + 2^(s-1) - 1 + ((v >> s) & 1)) >> s
    ```
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect", "::mlir::math::MathDialect"];
}

def PikeCheckOverflow : Pass<"pike-check-overflow"> {
  let summary = "Prove every accumulator holds its sums, or report where it may not";
  let description = [{
    For every `pike.conv2d` and `pike.fully_connected`, bounds the
    accumulator two ways in overflow-checked arithmetic (docs/Numerics.md
    "Range checks"): the worst case over all weights of the operand types
    (products per output times the range of one product, zero points
    subtracted, plus the bias), and, for constant weights, the exact range of
    each output channel (`P·lo + N·hi` to `P·hi + N·lo` plus its bias, with
    `P`/`N` the sums of the positive/negative centered weights, tighter than
    the l1 bound). With `report=true` a remark gives both bounds and which
    one proved the accumulator safe. A layer no bound proves safe gets a
    located error (`severity=warning`: a warning) naming the op and, where
    known, the channel — e.g. a bias computed at run time, which no bound
    can cover. The quantize pipeline runs it last.
  }];
  let options = [
    Option<"report", "report", "bool", "false",
           "Emit a remark with both bounds of every accumulator">,
    Option<"severity", "severity", "::mlir::pike::OverflowSeverity",
           "::mlir::pike::OverflowSeverity::Error", "What an unproven accumulator is",
           [{::llvm::cl::values(
               clEnumValN(::mlir::pike::OverflowSeverity::Error, "error", "fail the pass"),
               clEnumValN(::mlir::pike::OverflowSeverity::Warning, "warning", "warn and go on"))}]>
  ];
}

def PikeNarrowAccumulators : Pass<"pike-narrow-accumulators"> {
  let summary = "Give each accumulator the narrowest width its bound proves safe";
  let description = [{
    Retypes the accumulator of every `pike.conv2d` and
    `pike.fully_connected` whose result is only requantized (`pike.quant_norm`,
    `pike.requantize`) to the narrowest of `widths` (default 16 and 32 bits,
    never narrower than an operand) that holds the exact bound of its constant
    weights and bias, or the worst case when that is smaller. A constant bias
    is retyped with it. Exact: the verifier re-proves every narrowed layer,
    and the outputs do not change (`test/Integration/narrow-accumulators.test`).
    Narrow accumulators halve the bytes a 16-bit-capable kernel moves.

    ```mlir
    // i8 x i4, K = 64, all-ones weights: the sum stays in [-8192, 8128]
    %acc = pike.fully_connected %x, %w : (tensor<1x64xi8>, tensor<2x64xi4>) -> tensor<1x2xi32>
    // becomes ... -> tensor<1x2xi16>
    ```
  }];
  let options = [
    ListOption<"widths", "widths", "unsigned", "Accumulator widths to choose from, narrowest first">
  ];
}

def PikeNameEntryPoints : Pass<"pike-name-entry-points", "::mlir::ModuleOp"> {
  let summary = "Give every function a C identifier under a library prefix";
  let description = [{
    Prepares a module for an ahead-of-time library: every `func.func` is
    renamed to `<prefix>__<id>`, where `<id>` is a C identifier derived
    from its name by a total, collision-free mapping (docs/Security.md):
    a name that is already a C identifier, unique ignoring case and not
    reserved (`check_cpu`, the C keywords) is kept; any other has each byte
    outside `[A-Za-z0-9_]` replaced by `_`, `m_` put in front when it is
    empty or starts with a digit, and `_2`, `_3`, ... appended until it is
    unique ignoring case. Uses are renamed with it. A public function keeps
    its original name, as written in the model, in `pike.source_name`, and
    records its C interface in `pike.c_interface`: the entry point
    `<prefix>_<id>` and, per argument and result, its name (`pike.name`,
    else `input<i>` / `output<i>`), tensor type and signedness
    (`pike.unsigned`); the module records the prefix in `pike.c_prefix`.
    `pike-translate` emits the library's C header, entry points and manifest
    from them after lowering (docs/Deploy.md).
    A function without a body is an error: a model cannot call code
    outside itself.

    ```mlir
    func.func @"1f"(...)   // becomes
    func.func @lib__m_1f(...) attributes {pike.source_name = "1f"}
    ```
  }];
  let options = [
    Option<"prefix", "prefix", "std::string", "\"pike\"",
           "C identifier every function name is put under">
  ];
  let dependentDialects = ["::mlir::func::FuncDialect"];
}

def PikeStripAttributes : Pass<"pike-strip-attributes", "::mlir::ModuleOp"> {
  let summary = "Remove Pike's attributes from a lowered module, for other compilers";
  let description = [{
    Removes every `pike.*` attribute (the model's rounding rule and trained
    widths, `pike.name` and `pike.unsigned` of arguments and results, ...)
    from the module, its ops, and its functions' arguments and results. After
    `convert-pike-to-linalg` they are information only, and a compiler that
    does not load the pike dialect (IREE's `iree-compile`) cannot parse
    `#pike<...>` values. Run it last, before handing the module over.
  }];
}

def PikeWidenSubByte : Pass<"pike-widen-sub-byte", "::mlir::ModuleOp"> {
  let summary = "Store integers of fewer than 8 bits in bytes, for other compilers";
  let description = [{
    Every `i2` to `i7` (scalars and tensor elements, in function signatures,
    constants and linalg bodies) becomes `i8` holding the value's bits
    sign-extended. That mapping keeps signed and unsigned order and
    equality, so compares, min/max and max pooling are unchanged. An
    `arith.extui` from N bits becomes a zero-extension masked to N bits; an
    `arith.trunci` (or an index cast) to N bits becomes a truncation to 8
    bits whose low N bits are sign-extended; `arith.index_castui` from N
    bits is masked; constants are sign-extended; `i1` stays (its byte's low
    bit is the narrow value's). A named linalg op whose body casts such an
    integer becomes `linalg.generic` first, since a named op's body is not
    printed. Any other op computing on such integers (an add, a sum
    pooling, a bitcast) is refused with its location.

    For compilers that cannot store sub-byte tensors (IREE 3.13 fails with
    "failed to emulate bit width"): run after `convert-pike-to-linalg`.
    A function's `iN` argument or result becomes `i8`. An argument's low N
    bits are taken (a caller may pass a u4 as 0..15 or a s4 as -8..7); a
    result is given back as the signed reading of its N bits, or the
    unsigned one where it is marked `pike.unsigned`. Refused: signed or
    unsigned integer types, sub-byte integers inside other kinds of values
    than scalars, ranked tensors and vectors (memrefs, tuples, complex
    numbers), sub-byte attributes other than a constant's value, boundary tensors with an
    encoding, external functions with a sub-byte interface, calls of a
    function whose sub-byte result is given back zero-extended, and ops
    carrying sub-byte types in attributes (`memref.global`).

    `pike-lower-to-llvm` and `pike-cpu-pipeline` run it with `strict=false`
    (a module it would refuse is left as it is): LLVM vectorizes no loop
    over a memref of `i4`, whose elements are a byte each while a vector of
    `i4` is packed, so every 4-bit tensor outside the kernels was a scalar
    loop (ResNet-50 w4a4: its 4-bit max pooling 2.66 ms against 0.09 at 8
    bits).
  }];
  let options = [
    Option<"strict", "strict", "bool", "true",
           "Fail on an op that cannot be widened; false leaves such a module unchanged">,
  ];
  // The boundary's conversions are linalg.generic ops on tensors.
  let dependentDialects = ["::mlir::arith::ArithDialect", "::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect"];
}

def PikeVerifyLowerable : Pass<"pike-verify-lowerable"> {
  let summary = "Refuse what Pike's pipelines cannot lower, before they start";
  let description = [{
    The first pass of `pike-quantize-pipeline` and of every lowering
    pipeline. Upstream's TOSA lowering and canonicalization patterns crash
    (or loop, or read garbage) on some inputs they do not take; this pass
    turns them into located errors. It fails on:

    - an unranked tensor (`tensor<*xT>`) anywhere: Pike lowers ranked
      tensors only (`pike-run` needs static shapes besides);
    - a `tosa` op whose operand or result has a `!quant` element type:
      TOSA 1.0 ops take integers with zero-point operands, and
      `tosa-to-linalg-named` crashes on the quantized types;
    - a `tosa.table` whose table is not the 256 entries of an i8 input or
      the 513 of an i16 input (TOSA's sizes): the lowering would read past
      a shorter table.
  }];
  let dependentDialects = ["::mlir::tosa::TosaDialect"];
}

def PikeVerifyModel : Pass<"pike-verify-model", "::mlir::ModuleOp"> {
  let summary = "Refuse what a model from an untrusted file may not contain";
  let description = [{
    A model is data: running it must not run code its author chose or
    touch memory outside its tensors. This pass, which `pike-run`, `pike run`
    and `pike compile` apply to every model before compiling it
    (docs/Security.md), fails with a located error on:

    - an op outside the dialects a model is written in (builtin, func, pike,
      arith, math, tensor, linalg, tosa, quant): `llvm` (calls, inline
      assembly), `memref` (raw memory), and the rest;
    - a function without a body, an indirect call, a function that calls
      itself (directly or not);
    - an element read or written at an index that is not a constant inside
      the tensor (`tensor.extract`/`insert`), a slice or pad with dynamic
      offsets or sizes, `tensor.gather`/`scatter`, `tosa.gather`/`scatter`,
      `tosa.custom`;
    - a linalg indexing map that is not a sum of non-negative multiples of
      loop indices (linalg's own check looks at the first and last
      iteration only, which a `mod` can get around);
    - an integer division or remainder (`arith`, `tosa.intdiv`) by a divisor
      that is not a constant other than 0 (and -1, when signed), which would
      trap;
    - a dynamic shape (a cast through one could enlarge a tensor past its
      buffer), a tensor of more than 2^40 bytes, or elements wider than 64
      bits, so that no size computed from a shape can overflow;
    - on the module, a function, an argument or a result, an attribute
      other than `pike.*` and `pike_onnx.*` (the lowering copies a
      function's attributes onto the LLVM function: a section, target
      features or passthrough attributes would change the compiled code),
      or one of the attributes Pike's own build writes (`pike.workspace_bytes`,
      `pike.c_interface`, `pike.c_prefix`, `pike.source_name`, `pike.target`).
  }];
}

#endif // PIKE_DIALECT_PIKE_TRANSFORMS_PASSES_TD
