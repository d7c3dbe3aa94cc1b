//===- LoweringPipelines.h - From pike to affine loops and LLVM -*- C++ -*-===//

#ifndef PIKE_PIPELINES_LOWERINGPIPELINES_H
#define PIKE_PIPELINES_LOWERINGPIPELINES_H

#include "pike/Target/CpuTarget.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Pass/PassManager.h"

#include <string>

namespace mlir::pike {

/// pike (and tosa) -> linalg -> bufferized affine loops on memrefs.
void buildLowerToAffinePipeline(OpPassManager &pm);

/// pike (and tosa) -> linalg -> loops -> LLVM dialect, with results turned
/// into out-parameters so that a caller passes every buffer;
/// pike.vector_dot4 is lowered for `target`; with `parallel`, scf.forall
/// loops become OpenMP parallel loops (the program then needs libomp); with
/// `workspace`, every buffer lives in one caller-provided workspace
/// (pike-plan-workspace) and nothing is allocated per call.
void buildLowerToLLVMPipeline(OpPassManager &pm, CpuTarget target = CpuTarget::host,
                              bool parallel = false, bool workspace = false);

/// Kernel choices of convert-pike-to-cpu-kernels that can be turned off,
/// to time them against what they replace.
struct KernelChoices {
  /// +-1 layers on the XOR-popcount kernel (else the byte kernels).
  bool binary = true;
  /// Depthwise-separable blocks as one kernel (else two).
  bool separable = true;
  /// Layers of few rows split into parts of their channels (else whole rows).
  bool rowParts = true;
  /// The dense kernel's register tile, `RxV`; empty: the target's.
  std::string denseTile;
  /// Byte pairs into i16 in the dense kernel where they fit (else i16 pairs).
  bool bytePairs = true;
};

/// The CPU pipeline: MAC ops and their epilogues into kernels for `target`
/// (convert-pike-to-cpu-kernels), then the LLVM lowering above. `scalar`
/// is buildLowerToLLVMPipeline alone. With `warnFallbacks`, a MAC layer
/// that gets no kernel is a warning naming the reason (a silent 10-100x).
void buildCpuPipeline(OpPassManager &pm, CpuTarget target = CpuTarget::host, bool parallel = false,
                      bool workspace = false, bool warnFallbacks = true,
                      KernelChoices choices = {});

/// Registers `pike-lower-to-affine`, `pike-lower-to-llvm` and
/// `pike-cpu-pipeline`.
void registerPikeLoweringPipelines();

/// The dialects and interface models the lowering pipelines need.
void registerPikeLoweringDialects(DialectRegistry &registry);

} // namespace mlir::pike

#endif // PIKE_PIPELINES_LOWERINGPIPELINES_H
