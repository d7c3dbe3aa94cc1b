//===- QuantizePipeline.cpp - Quantized-graph form to integer form --------===//

#include "pike/Pipelines/QuantizePipeline.h"

#include "pike/Dialect/Pike/Transforms/Passes.h"

#include "pike/Conversion/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/StringExtras.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;
using namespace mlir::pike;

namespace {

/// `pass` with only the options in `given` set, so that every other option
/// keeps the pass's own default (and `rounding` its module-attribute rule).
std::unique_ptr<Pass> withOptions(std::unique_ptr<Pass> pass,
                                  ArrayRef<std::string> given) {
  std::string text = llvm::join(given, " ");
  if (!text.empty())
    (void)pass->initializeOptions(text, [](const Twine &) { return failure(); });
  return pass;
}

} // namespace

void mlir::pike::buildQuantizePipeline(OpPassManager &pm,
                                       const QuantizePipelineOptions &options) {
  SmallVector<std::string> multiplier, rounding;
  if (options.multiplierBits.hasValue())
    multiplier.push_back("multiplier-bits=" + std::to_string(options.multiplierBits));
  if (options.rounding.hasValue())
    rounding.push_back("rounding=" + stringifyRoundingMode(options.rounding).str());
  SmallVector<std::string> requantizing(multiplier);
  requantizing.append(rounding.begin(), rounding.end());

  pm.addPass(createConvertQuantToPike());
  if (options.dhq)
    pm.addPass(createPikeDHQ());
  pm.addPass(createPikeFoldBatchNorm());
  // Not given: Double Quantization when the model was trained for it.
  if (options.doubleQuantize || !options.doubleQuantize.hasValue()) {
    SmallVector<std::string> dq;
    if (options.dqBits.hasValue())
      dq.push_back("bits=" + std::to_string(options.dqBits));
    if (!options.doubleQuantize.hasValue())
      dq.push_back("if-trained=true");
    pm.addPass(withOptions(createPikeDoubleQuantize(), dq));
  }
  pm.addPass(withOptions(createPikeQuantNorm(), requantizing));
  pm.addPass(withOptions(createPikeFixedPoint(), requantizing));
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
