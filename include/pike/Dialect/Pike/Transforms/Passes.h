//===- Passes.h - Pike quantization transforms ------------------*- C++ -*-===//

#ifndef PIKE_DIALECT_PIKE_TRANSFORMS_PASSES_H
#define PIKE_DIALECT_PIKE_TRANSFORMS_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Pass/Pass.h"
#include "pike/Dialect/Pike/IR/PikeDialect.h"

#include <memory>

namespace mlir::pike {

#define GEN_PASS_DECL
#include "pike/Dialect/Pike/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "pike/Dialect/Pike/Transforms/Passes.h.inc"

/// The expansion of pike.apply_scale into arith (pike-expand-apply-scale).
void populatePikeExpandApplyScalePatterns(RewritePatternSet &patterns);

/// Options of the quantization pipeline (`pike-quantize-pipeline`).
struct QuantizePipelineOptions
    : public PassPipelineOptions<QuantizePipelineOptions> {
  PassOptions::Option<bool> dhq{*this, "dhq",
                                llvm::cl::desc("Run pike-dhq on float weights first"),
                                llvm::cl::init(true)};
  PassOptions::Option<bool> doubleQuantize{
      *this, "double-quantize",
      llvm::cl::desc("Quantize per-channel scales (PikeLPN Double Quantization); "
                     "an approximation for models trained with it"),
      llvm::cl::init(false)};
  PassOptions::Option<unsigned> dqBits{
      *this, "dq-bits", llvm::cl::desc("Bit-width of double-quantized scales"),
      llvm::cl::init(8)};
  PassOptions::Option<unsigned> multiplierBits{
      *this, "multiplier-bits",
      llvm::cl::desc("Bit-width of QuantNorm and requantization multipliers"),
      llvm::cl::init(32)};
  PassOptions::Option<std::string> rounding{
      *this, "rounding",
      llvm::cl::desc("single or double (TOSA rescale), or half_even (ONNX)"),
      llvm::cl::init("single")};
};

/// Adds the passes that take a quantized-graph model to integer form.
void buildQuantizePipeline(OpPassManager &pm,
                           const QuantizePipelineOptions &options);

/// Registers `pike-quantize-pipeline`.
void registerPikeQuantizePipeline();

} // namespace mlir::pike

#endif // PIKE_DIALECT_PIKE_TRANSFORMS_PASSES_H
