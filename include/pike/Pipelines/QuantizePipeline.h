//===- QuantizePipeline.h - Quantized-graph form to integer form -*- C++ -*-===//

#ifndef PIKE_PIPELINES_QUANTIZEPIPELINE_H
#define PIKE_PIPELINES_QUANTIZEPIPELINE_H

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"
#include "pike/Dialect/Pike/IR/RoundingModeOption.h"
#include "pike/Dialect/Pike/Transforms/Options.h"

namespace mlir::pike {

/// Options of the quantization pipeline (`pike-quantize-pipeline`). Only the
/// options given reach the passes; the others keep the passes' defaults
/// (Options.h); the rounding follows the module's `pike.rounding`, and Double
/// Quantization and QuantNorm's multiplier width what the module says it was
/// trained for (`pike.double_quantize_bits`, `pike.quantnorm_multiplier_bits`).
struct QuantizePipelineOptions
    : public PassPipelineOptions<QuantizePipelineOptions> {
  PassOptions::Option<bool> dhq{*this, "dhq",
                                llvm::cl::desc("Run pike-dhq on float weights first"),
                                llvm::cl::init(true)};
  PassOptions::Option<bool> doubleQuantize{
      *this, "double-quantize",
      llvm::cl::desc("Quantize per-channel scales (PikeLPN Double Quantization); "
                     "an approximation for models trained with it (default: when "
                     "the module has pike.double_quantize_bits, i.e. was trained for it)"),
      llvm::cl::init(false)};
  PassOptions::Option<unsigned> dqBits{
      *this, "dq-bits", llvm::cl::desc("Bit-width of double-quantized scales"),
      llvm::cl::init(kDefaultDoubleQuantBits)};
  PassOptions::Option<unsigned> multiplierBits{
      *this, "multiplier-bits",
      llvm::cl::desc("Bit-width of QuantNorm and requantization multipliers"),
      llvm::cl::init(kDefaultMultiplierBits)};
  PassOptions::Option<RoundingMode> rounding{
      *this, "rounding",
      llvm::cl::desc("Rounding of the shift (default: the module's pike.rounding, "
                     "else the one marked below)"),
      llvm::cl::init(kDefaultRounding),
      RoundingModeValues()};
};

/// Adds the passes that take a quantized-graph model to integer form.
void buildQuantizePipeline(OpPassManager &pm,
                           const QuantizePipelineOptions &options);

/// Registers `pike-quantize-pipeline`.
void registerPikeQuantizePipeline();

} // namespace mlir::pike

#endif // PIKE_PIPELINES_QUANTIZEPIPELINE_H
