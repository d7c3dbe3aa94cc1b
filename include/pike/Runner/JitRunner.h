//===- JitRunner.h - JIT-compile a pike module and run a function -*- C++ -*-===//

#ifndef PIKE_RUNNER_JITRUNNER_H
#define PIKE_RUNNER_JITRUNNER_H

#include "pike/Target/CpuTarget.h"

#include "mlir/IR/BuiltinOps.h"

#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

namespace mlir::pike {

struct RunOptions {
  /// Function to call.
  std::string entry = "main";
  /// One .npy file per argument, in order.
  std::vector<std::string> inputs;
  /// One .npy file per result, in order; empty prints the results.
  std::vector<std::string> outputs;
  /// Instruction set of the MAC kernels; one the host lacks is an error.
  CpuTarget target = CpuTarget::host;
  /// Whether +-1 layers get the XOR-popcount kernel (else the byte kernels).
  bool binaryKernels = true;
  /// Whether a depthwise layer and the pointwise one after it are one
  /// kernel (else two).
  bool separableKernels = true;
  /// Whether layers of few rows split into parts of their channels.
  bool rowParts = true;
  /// The dense kernel's register tile, `RxV`; empty: the target's.
  std::string denseTile;
  /// Whether the dense kernel may step on byte pairs into i16.
  bool bytePairs = true;
  /// Threads of the kernels' parallel loops (OpenMP); 1 compiles no
  /// parallel loops, 0 uses every core.
  unsigned threads = 1;
  /// LLVM optimization level of the JIT (0 to 3).
  unsigned optLevel = 2;
  /// Print the LLVM IR the JIT compiles (after optimization) to `out`.
  bool printLLVM = false;
  /// Where to write the object code the JIT compiles; empty: nowhere.
  std::string objectPath;
  /// Calls to time after the first (0: no timing); the mean and best wall
  /// time per call, compilation excluded, go to `errs`.
  unsigned timedRepeats = 0;
  /// Where to write the per-layer profile (JSON); empty: none. The module
  /// is then also compiled with pike-instrument-layers, and each of the
  /// `timedRepeats` calls of the plain module is followed by one of the
  /// instrumented module, whose marks time every row of the ACEv2 report.
  std::string profilePath;
  /// Place every argument and result just before an inaccessible page, so
  /// that code reading or writing past one faults there and is reported as
  /// an error naming it (GuardedBuffers.h).
  bool guardBuffers = false;
  /// End the process with a message (exit status 70, or 2 at a guard page)
  /// when the compiled code faults, instead of LLVM's crash handler, which
  /// may deadlock in malloc after a write corrupted the heap. For a tool
  /// that owns its process (pike-run); an embedding host keeps its handlers.
  bool reportFaults = false;
};

/// Lowers `module` (pike, tosa, linalg on tensors) to LLVM with the CPU
/// pipeline for `options.target`, JIT-compiles it,
/// calls `options.entry` on the inputs and writes its results. Integer
/// results are written as the signed reading of their bits, in the smallest
/// NumPy integer type that holds them. Errors name the cause and go to the
/// diagnostic handler or `errs`.
mlir::LogicalResult runModule(mlir::ModuleOp module, const RunOptions &options,
                              llvm::raw_ostream &out, llvm::raw_ostream &errs);

} // namespace mlir::pike

#endif // PIKE_RUNNER_JITRUNNER_H
