//===- FuzzMlir.cpp - libFuzzer target: parser, verifier, pipelines -------===//
//
// Any text: parsed and verified as a module of the pike dialect and what it
// lowers to; a module that verifies goes through the quantize pipeline, the
// ACEv2 analysis, the lowering to LLVM and the CPU pipeline (avx512-vnni
// with OpenMP loops or vector, by input). Diagnostics are fine; a crash, a
// sanitizer report or a module that verifies and then breaks the verifier
// after a pass (MLIR's pass manager checks) is a bug.
//
//===----------------------------------------------------------------------===//

#include "pike/Analysis/ACEv2.h"
#include "pike/InitPike.h"

#include "FuzzSupport.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <string>

using namespace mlir;


static void runPipeline(ModuleOp module, void (*build)(OpPassManager &)) {
  OwningOpRef<ModuleOp> copy = cast<ModuleOp>(module->clone());
  PassManager pm(copy->getContext());
  build(pm);
  (void)pm.run(*copy);
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  OwningOpRef<ModuleOp> module = parseFuzzInput(data, size);
  if (!module)
    return 0;
  (void)pike::ACEv2Analysis(*module).total(pike::CostOptions{});
  runPipeline(*module, [](OpPassManager &pm) {
    pike::buildQuantizePipeline(pm, pike::QuantizePipelineOptions{});
  });
  runPipeline(*module, [](OpPassManager &pm) { pike::buildLowerToLLVMPipeline(pm); });
  // The CPU kernels (compiled, not run: the host may lack VNNI), one
  // instruction set per input, alternating, to keep the rate of inputs up.
  if (size % 2)
    runPipeline(*module, [](OpPassManager &pm) {
      pike::buildCpuPipeline(pm, pike::CpuTarget::avx512_vnni, /*parallel=*/true);
    });
  else
    runPipeline(*module, [](OpPassManager &pm) {
      pike::buildCpuPipeline(pm, pike::CpuTarget::vector, /*parallel=*/false);
    });
  return 0;
}
