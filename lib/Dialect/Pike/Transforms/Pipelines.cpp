//===- Pipelines.cpp - The named quantization pipeline --------------------===//

#include "pike/Dialect/Pike/Transforms/Passes.h"

#include "pike/Conversion/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;
using namespace mlir::pike;

void mlir::pike::buildQuantizePipeline(OpPassManager &pm,
                                       const QuantizePipelineOptions &options) {
  pm.addPass(createConvertQuantToPike());
  if (options.dhq)
    pm.addPass(createPikeDHQ());
  pm.addPass(createPikeFoldBatchNorm());
  if (options.doubleQuantize) {
    PikeDoubleQuantizeOptions dq;
    dq.bits = options.dqBits;
    pm.addPass(createPikeDoubleQuantize(dq));
  }
  PikeQuantNormOptions quantNorm;
  quantNorm.multiplierBits = options.multiplierBits;
  quantNorm.rounding = options.rounding;
  pm.addPass(createPikeQuantNorm(quantNorm));
  PikeFixedPointOptions fixedPoint;
  fixedPoint.multiplierBits = options.multiplierBits;
  fixedPoint.rounding = options.rounding;
  pm.addPass(createPikeFixedPoint(fixedPoint));
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createPikeVerifyInteger());
}

void mlir::pike::registerPikeQuantizePipeline() {
  PassPipelineRegistration<QuantizePipelineOptions>(
      "pike-quantize-pipeline",
      "Take a quantized-graph model to integer form: quant dialect import, "
      "DHQ, fold batch-norm, "
      "(Double Quantization), QuantNorm, fixed point, then verify that only "
      "integer arithmetic is left",
      buildQuantizePipeline);
}
