//===- Passes.td - Conversions out of the pike dialect ------*- tablegen -*-===//

#ifndef PIKE_CONVERSION_PASSES_TD
#define PIKE_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

defvar PikeCpuTargetValues = "::mlir::pike::CpuTargetValues()";

def ConvertPikeToLinalg : Pass<"convert-pike-to-linalg"> {
  let summary = "Lower pike ops to linalg, arith, math and tensor";
  let description = [{
    Every pike op becomes upstream IR on tensors:

    - `pike.conv2d` with one group becomes `linalg.conv_2d_nhwc_fhwc`,
      depthwise becomes `linalg.depthwise_conv_2d_nhwc_hwc` (or `_hwcm`
      with a channel multiplier), other grouped convolutions a
      `linalg.generic`; `pike.fully_connected` becomes `linalg.transpose` +
      `linalg.matmul`; `pike.batch_matmul` becomes one `linalg.generic`
      over (batch..., M, N, K) whose indexing maps read a broadcast batch
      dimension at index 0. Operands are first widened to the accumulator type
      (sign- or zero-extended as the op reads them) and their zero points
      subtracted, and the input is padded with zeros, which is exactly the
      op's definition.
    - requantization (`pike.quant_norm`, `pike.requantize`, integer
      `pike.add`) becomes a `linalg.generic` of 64-bit integer arithmetic:
      multiply, add bias and rounding term, arithmetic shift, clamp,
      truncate (docs/Numerics.md). No real arithmetic appears in the
      lowering of an integer-form model.
    - pooling becomes `linalg.pooling_nhwc_sum` / `linalg.pooling_nhwc_max`;
      the other ops become `linalg.generic`.

    Real (quantized-graph) ops lower too, so a model runs before and after
    the quantization passes. An op that cannot be lowered is an error.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

def ConvertPikeToCPUKernels : Pass<"convert-pike-to-cpu-kernels", "::mlir::ModuleOp"> {
  let summary = "Compile pike MAC ops and their requantization into CPU kernels";
  let description = [{
    Each `pike.conv2d` (one group, or depthwise with channel multiplier 1)
    and `pike.fully_connected` with 8-bit activations, constant weights that
    fit in 8 bits once centered and an accumulator of at most 32 bits
    becomes a call of a private function holding a loop nest of vector code
    on tensors, fused with the `pike.quant_norm` / `pike.requantize` that is
    its only user, so the accumulator never reaches memory. (One function per
    kernel keeps every later pass's work, and the JIT's, proportional to the
    number of layers.)

    - dense convolutions and fully-connected layers: weights packed at
      compile time into vectors of L filters (L the target's i32 lanes: 16
      on the 512-bit x86 targets, 4 on `aarch64`), a register tile of 4
      output pixels x 4L filters (16 i32 accumulators); on `avx512-vnni`
      each step is a `vpdpbusd` (`llvm.x86.avx512.vpdpbusd.512`) over 4
      channels, on `vector` and `aarch64` L-lane multiply-adds;
    - depthwise convolutions: L channels per vector (NHWC), the weights of
      a channel block held in registers across the pixels;
    - binary layers (every input value and centered weight -1 or +1: the
      input one or two `pike.requantize` away from a tensor of at most 8
      bits, maybe through reshapes and transposes, that take every value of
      it to +-1 and those below one threshold to -1, as BipolarQuant
      imports; +-1 weights; one group): the kernel reads that tensor,
      compared with the threshold, and packs its signs and the weights' 64
      channels to an i64; each dot product is `K - 2 * popcount(a xor w)`
      (`math.ctpop`), 64 products per lane operation;
    - depthwise-separable blocks (a depthwise layer requantized to at most
      8 bits, with nothing else reading that, then a pointwise layer, 1x1,
      stride 1 and unpadded, whose kernel reads its input in place: byte
      quads or matrix tiles of the input's signedness whose steps end at
      the last channel, so not on `vector` or `aarch64`): one kernel,
      `<function>_separable`, whose loop over output rows computes a
      depthwise row and at once the pointwise row that reads it, from L1
      (`separable-kernels`); `report` says why a block stays two kernels.

    A layer of fewer than 16 output rows (7x7 layers, a batch-1
    fully-connected layer's one row) loops over rows and up to 4 parts of
    their channels, split at whole vectors, so that 2 to 4 threads share
    it evenly (`row-parts`): dense kernels of one group and depthwise
    kernels on byte quads.

    `pike.quantize` and `pike.dequantize` (the model's boundary) become a
    loop of 16-element vector steps over the flattened tensor, with the same
    arithmetic as their linalg lowering.

    The bias and the input zero point's share (`zp * sum(w)`) are folded into
    one i32 correction per filter at compile time; padded pixels hold the
    zero point. Results are bit-identical to convert-pike-to-linalg (the
    reference lowering). Other ops, and MAC ops outside these limits, are
    left for convert-pike-to-linalg; `report` says which and why.
  }];
  let options = [
    Option<"target", "target", "::mlir::pike::CpuTarget", "::mlir::pike::CpuTarget::host",
           "Instruction set of the kernels", PikeCpuTargetValues>,
    Option<"report", "report", "bool", "false",
           "Emit a remark on each op that gets no kernel, saying why">,
    Option<"binaryKernels", "binary-kernels", "bool", "true",
           "Compute layers whose inputs and weights are all +-1 (BipolarQuant activations, "
           "binarized weights) with the XOR-popcount kernel; false keeps them on the byte "
           "kernels (a benchmark's baseline)">,
    Option<"separableKernels", "separable-kernels", "bool", "true",
           "Compute a depthwise layer and the pointwise layer that alone reads it in one "
           "loop over output rows; false runs them as two kernels (a benchmark's baseline)">,
    Option<"rowParts", "row-parts", "bool", "true",
           "Loop over parts of the channels of a layer with fewer than 16 output rows too, "
           "so that threads share it; false keeps its rows whole (a benchmark's baseline)">,
    Option<"denseTile", "dense-tile", "std::string", "\"\"",
           "The dense kernel's register tile as RxV, output pixels x filter vectors "
           "(R in 1..8, V in 1..4); empty sizes it for the target's register file (4x4 "
           "with 32 registers a vector, 4x1 on vector's AVX2, 3x1 where a layer there steps "
           "on byte pairs)">,
    Option<"bytePairs", "byte-pairs", "bool", "true",
           "On a target with byte pairs and no byte quads (vector's AVX2 vpmaddubsw), let "
           "the dense and depthwise kernels step on pairs of u8 x s8 into i16 where the "
           "operands' ranges keep the sums in i16 (sub-8-bit or 7-bit weights); false keeps "
           "i16 pairs and i32 lanes (a benchmark's baseline)">,
    Option<"warnFallbacks", "warn-fallbacks", "bool", "false",
           "Warn on each MAC layer that gets no kernel (10-100x slower), saying why; "
           "pike-cpu-pipeline, pike-run and pike compile turn it on">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::func::FuncDialect",
    "::mlir::LLVM::LLVMDialect",
    "::mlir::math::MathDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect"
  ];
}

def PikePlanWorkspace : Pass<"pike-plan-workspace", "::mlir::ModuleOp"> {
  let summary = "Place every buffer of a bufferized model in one caller-provided workspace";
  let description = [{
    For ahead-of-time libraries that allocate nothing per call. Each
    function's static `memref.alloc`s are given byte offsets in a workspace
    (first fit by size, buffers whose live ranges do not overlap share
    bytes; 64-byte aligned), become `memref.view`s of it, and their
    deallocations disappear. Every function that needs workspace gets two
    more arguments, the workspace (`memref<?xi8>`) and the byte offset of
    its part; a call passes the callee's part (planned as a buffer live
    during the call). A public function's need is its `pike.workspace_bytes`
    attribute, and it gets `llvm.emit_c_interface` for the generated C
    wrapper.

    A live range runs from the allocation to the last use of the buffer or
    of a view of it, in the function's top-level block. An allocation the
    plan cannot place (a dynamic size, inside a loop or branch) is an error
    naming it.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::memref::MemRefDialect"
  ];
}

def PikeLowerVectorDots : Pass<"pike-lower-vector-dots"> {
  let summary = "Lower pike.vector_dot4/dot2/mmla to the target's dot-product instructions or portable vector arithmetic";
  let description = [{
    Run on a module, it records the target in `pike.target`, which
    `pike-translate` checks an AOT library's CPU check against.

    Each op becomes the instruction the target's row offers for it:

    | op | `avx512-vnni` | `aarch64-dotprod` | `aarch64-i8mm` |
    |---|---|---|---|
    | `vector_dot4` | `vpdpbusd` | — | `usdot` |
    | `vector_dot4 lhs_signed` | — | `sdot` | `sdot` |
    | `vector_dot2` | `vpdpwssd` | — | — |
    | `vector_mmla [lhs_signed]` | — | — | `usmmla` (`smmla`) |

    On x86 an op of 4, 8 or 16 lanes is one intrinsic of that width; on
    AArch64 one per 4 lanes (a 128-bit register). Anything else is portable
    arithmetic: the operands widened (an unsigned lhs zero-, the rest
    sign-extended) and multiplied lane by lane, then the products of each
    lane summed by strided shuffles. The CPU pipeline runs it after
    bufferization.
  }];
  let options = [
    Option<"target", "target", "::mlir::pike::CpuTarget", "::mlir::pike::CpuTarget::host",
           "Instruction set to lower for", PikeCpuTargetValues>
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::LLVM::LLVMDialect",
    "::mlir::vector::VectorDialect"
  ];
}

def ConvertOnnxToPike : Pass<"convert-onnx-to-pike", "::mlir::ModuleOp"> {
  let summary = "Give an ONNX graph in generic form (pike_onnx) Pike's semantics";
  let description = [{
    Every function holding `pike_onnx` ops (as `python -m pike import`
    writes them) becomes a pike function in the quantized-graph form, node
    by node in graph order:

    - QDQ: `QuantizeLinear` / `DequantizeLinear` (per tensor, per axis) and
      QONNX `Quant` / `BipolarQuant` become `pike.quantize` /
      `pike.dequantize`, computed here for constants (float32 arithmetic,
      ties to even, as ONNX). A dequantize is emitted only where reals are
      needed: a convolution or matrix product consumes the integers behind
      its quantized operands.
    - `Conv`, `Gemm`, `MatMul` and the QOperator forms (`QLinearConv`,
      `QLinearMatMul`, `ConvInteger`, `MatMulInteger`) become
      `pike.conv2d` / `pike.fully_connected` with an i32 accumulator, then
      `pike.scale` (and `pike.quantize` for QOperator outputs). Real
      constant weights are quantized to 8-bit symmetric per output channel.
    - `BatchNormalization`, `Relu`, `Clip`, `Add` (broadcasting one operand
      through `linalg.broadcast`), `GlobalAveragePool`, `AveragePool`,
      `MaxPool` become their pike ops on reals; `Concat` becomes
      `tensor.concat` (of integers when its inputs share a quantizer);
      `Flatten` and `Reshape` to `[N, -1]` become `tensor.collapse_shape`,
      other reshapes `tensor.reshape` and `Transpose` `linalg.transpose`,
      in the model's order (of the integers behind a dequantized tensor).
    - `Mul`, `Div`, `Add`, `Sub` of a per-channel constant right after a
      convolution or matrix product fold into its `pike.scale` (PyTorch's
      QAT ConvBn export: Conv, Div, Add, BatchNormalization).
    - A ReLU, clip or pooling of a dequantized per-tensor value is quantized
      again with that value's quantizer, as PyTorch's quantized ops do.
    - Clean-up: `Identity`, `Constant`, `ConstantOfShape`, `Cast` and
      `Reshape` of constants fold; a `Cast` to the element type a value
      already has (PyTorch's after a uint8 `QuantizeLinear`) is dropped.

    Activations are NHWC inside: a 4-D graph input is transposed once on
    entry and a 4-D output once on exit, so the function keeps the model's
    NCHW interface. Graph input and output names become `pike.name`
    argument and result attributes, an unsigned integer output is marked
    `pike.unsigned`, and the module gets `pike.rounding = half_even`.

    Anything else — an operator, attribute or input Pike cannot give a
    meaning — is an error naming the node and its op type, e.g.
    `node 'probabilities' (Softmax): operator is not supported by Pike's
    importer`. Shapes must be static; `batch` fixes a symbolic leading
    dimension of the graph inputs.
  }];
  let options = [
    Option<"batch", "batch", "int64_t", "0",
           "Size for a symbolic batch dimension of the graph inputs (0: none)">
  ];
  let dependentDialects = [
    "::mlir::pike::PikeDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

def ConvertQuantToPike : Pass<"convert-quant-to-pike", "::mlir::ModuleOp"> {
  let summary = "Import quant dialect casts and !quant.uniform types as pike";
  let description = [{
    IR from quantization flows that use MLIR's quant dialect becomes pike:
    `quant.qcast` becomes `pike.quantize`, `quant.dcast` becomes
    `pike.dequantize` (their `!quant.uniform` types giving the quantizer:
    storage width and signedness, scale(s), zero point(s), and the axis of a
    per-axis type), and `quant.scast` disappears. Every quantized tensor type
    — in function signatures too — becomes the signless integer tensor of
    its storage width, as pike represents it. A quantized type pike cannot
    represent (storage wider than 16 bits, a storage range narrower than its
    type) is an error naming the op.
  }];
  let dependentDialects = ["::mlir::pike::PikeDialect"];
}

def PikeMemRefCopyToLinalg : Pass<"pike-memref-copy-to-linalg"> {
  let summary = "Rewrite memref.copy as linalg.copy";
  let description = [{
    Bufferization copies between strided buffers with `memref.copy`, which
    the LLVM lowering turns into a call to the `memrefCopy` runtime
    function. As `linalg.copy` it becomes plain loops, so lowered models
    need no runtime library. Copies between contiguous static buffers stay:
    the LLVM lowering makes them `llvm.memcpy`.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def PikeLowerBFloat16 : Pass<"pike-lower-bfloat16"> {
  let summary = "Compute bf16 in f32, correctly rounded, without runtime calls";
  let description = [{
    LLVM lowers a float32 to bfloat16 truncation on x86 without AVX-512
    BF16 to a call of `__truncsfbf2` (and from float64 `__truncdfbf2`),
    which the JIT does not define and a compiled library must not need
    (docs/Deploy.md: libc only). This pass:

    1. rounds conversions into bf16 from wider values once: `sitofp` and
       `uitofp` of integers of 9 to 64 bits, `truncf` from f64, and
       `math.fma`, whose result would otherwise be rounded to f32 and then
       to bf16. They go through f64 (exact, or rounded "to odd" with an
       exact TwoSum error for 64-bit integers and the fma's sum), then to
       f32 rounded to odd, then to bf16: one correct rounding;
    2. runs `arith-emulate-unsupported-floats{source-types=bf16}` and
       `math-extend-to-supported-types{extra-types=f16}`: bf16 arithmetic
       and math in f32, which for + - * / and sqrt is bf16's own rounding
       (24 >= 2 * 8 + 2 bits);
    3. expands the f32 <-> bf16 casts left into integer shifts and adds
       (ties to even; NaN stays NaN) with MLIR's bf16 expansion patterns,
       after dropping the `contract` flag the emulation puts on them, under
       which `extf(truncf(x))` folds to `x` and a result would skip its
       rounding.

    A conversion of an integer wider than 64 bits into bf16 is refused.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect", "::mlir::math::MathDialect"];
}

#endif // PIKE_CONVERSION_PASSES_TD
