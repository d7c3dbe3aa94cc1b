//===- InitPike.h - Register Pike in a tool or another compiler -*- C++ -*-===//
//
// One entry point per concern, for pike-opt and for compilers that embed
// Pike (docs/Embedding.md):
//
//   mlir::DialectRegistry registry;
//   mlir::pike::registerPikeDialect(registry);      // the pike dialect
//   mlir::pike::registerPikeDependencies(registry); // what its passes emit
//   mlir::pike::registerPikePasses();                // every pike-* pass
//   mlir::pike::registerPikePipelines();             // the named pipelines
//
//===----------------------------------------------------------------------===//

#ifndef PIKE_INITPIKE_H
#define PIKE_INITPIKE_H

#include "pike/Analysis/Passes.h"
#include "pike/Analysis/PikeCostModels.h"
#include "pike/Analysis/UpstreamCostModels.h"
#include "pike/Conversion/Passes.h"
#include "pike/Dialect/Pike/IR/PikeDialect.h"
#include "pike/Dialect/Pike/Transforms/Passes.h"
#include "pike/Pipelines/LoweringPipelines.h"
#include "pike/Pipelines/QuantizePipeline.h"

namespace mlir::pike {

/// The dialects Pike's passes and pipelines produce (linalg, tensor, arith,
/// math, memref, scf, affine, LLVM, tosa, ...), their bufferization models,
/// and the ACEv2 cost models of pike and upstream ops.
inline void registerPikeDependencies(DialectRegistry &registry) {
  registerPikeLoweringDialects(registry);
  registerArithmeticCostExternalModels(registry);
  registerPikeCostModels(registry);
}

/// Every Pike pass: the quantization transforms, the conversion to linalg,
/// and the ACEv2 analysis.
inline void registerPikePasses() {
  registerPikeTransformsPasses();
  registerPikeConversionPasses();
  registerPikeAnalysisPasses();
}

/// pike-quantize-pipeline, pike-lower-to-affine and pike-lower-to-llvm.
inline void registerPikePipelines() {
  registerPikeQuantizePipeline();
  registerPikeLoweringPipelines();
}

} // namespace mlir::pike

#endif // PIKE_INITPIKE_H
