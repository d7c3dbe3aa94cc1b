//===- QuantizePipeline.cpp - Quantized-graph form to integer form --------===//

#include "pike/Pipelines/QuantizePipeline.h"

#include "pike/Dialect/Pike/Transforms/Passes.h"

#include "pike/Conversion/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;
using namespace mlir::pike;

void mlir::pike::buildQuantizePipeline(OpPassManager &pm,
                                       const QuantizePipelineOptions &options) {
  // Only the options given reach the passes (typed); the others keep each
  // pass's rule: the module's attribute, else the pass's default.
  RequantizeOverrides requantizing;
  if (options.multiplierBits.hasValue())
    requantizing.multiplierBits = options.multiplierBits;
  if (options.rounding.hasValue())
    requantizing.rounding = options.rounding;

  pm.addPass(createPikeVerifyLowerable());
  pm.addPass(createConvertQuantToPike());
  if (options.dhq)
    pm.addPass(createPikeDHQ());
  pm.addPass(createPikeFoldBatchNorm());
  // Not given: Double Quantization when the model was trained for it.
  if (options.doubleQuantize || !options.doubleQuantize.hasValue()) {
    DoubleQuantizeOverrides dq;
    if (options.dqBits.hasValue())
      dq.bits = options.dqBits;
    dq.ifTrained = !options.doubleQuantize.hasValue();
    pm.addPass(createPikeDoubleQuantize(dq));
  }
  pm.addPass(createPikeQuantNorm(requantizing));
  pm.addPass(createPikeFixedPoint(requantizing));
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createPikeVerifyInteger());
  pm.addPass(createPikeCheckOverflow());
}

void mlir::pike::registerPikeQuantizePipeline() {
  PassPipelineRegistration<QuantizePipelineOptions>(
      "pike-quantize-pipeline",
      "Take a quantized-graph model to integer form: quant dialect import, "
      "DHQ, fold batch-norm, "
      "(Double Quantization), QuantNorm, fixed point, then verify that only "
      "integer arithmetic is left and that every accumulator is proven to hold its sums",
      buildQuantizePipeline);
}
