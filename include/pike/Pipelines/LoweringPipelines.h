//===- LoweringPipelines.h - From pike to affine loops and LLVM -*- C++ -*-===//

#ifndef PIKE_PIPELINES_LOWERINGPIPELINES_H
#define PIKE_PIPELINES_LOWERINGPIPELINES_H

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Pass/PassManager.h"

namespace mlir::pike {

/// pike (and tosa) -> linalg -> bufferized affine loops on memrefs.
void buildLowerToAffinePipeline(OpPassManager &pm);

/// pike (and tosa) -> linalg -> loops -> LLVM dialect, with results turned
/// into out-parameters so that a caller passes every buffer.
void buildLowerToLLVMPipeline(OpPassManager &pm);

/// Registers `pike-lower-to-affine` and `pike-lower-to-llvm`.
void registerPikeLoweringPipelines();

/// The dialects and interface models the lowering pipelines need.
void registerPikeLoweringDialects(DialectRegistry &registry);

} // namespace mlir::pike

#endif // PIKE_PIPELINES_LOWERINGPIPELINES_H
