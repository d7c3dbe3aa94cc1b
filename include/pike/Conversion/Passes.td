//===- Passes.td - Conversions out of the pike dialect ------*- tablegen -*-===//

#ifndef PIKE_CONVERSION_PASSES_TD
#define PIKE_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertPikeToLinalg : Pass<"convert-pike-to-linalg"> {
  let summary = "Lower pike ops to linalg, arith, math and tensor";
  let description = [{
    Every pike op becomes upstream IR on tensors:

    - `pike.conv2d` with one group becomes `linalg.conv_2d_nhwc_fhwc`,
      depthwise becomes `linalg.depthwise_conv_2d_nhwc_hwc` (or `_hwcm`
      with a channel multiplier), other grouped convolutions a
      `linalg.generic`; `pike.fully_connected` becomes `linalg.transpose` +
      `linalg.matmul`. Operands are first widened to the accumulator type
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
    need no runtime library.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

#endif // PIKE_CONVERSION_PASSES_TD
