//===- Pike.cpp - C API of Pike -------------------------------------------===//

#include "pike-c/Pike.h"

#include "pike/Analysis/ACEv2.h"
#include "pike/InitPike.h"

#include "mlir/CAPI/IR.h"
#include "mlir/CAPI/Registration.h"
#include "mlir/CAPI/Support.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

#include <mutex>

using namespace mlir;

MLIR_DEFINE_CAPI_DIALECT_REGISTRATION(Pike, pike, mlir::pike::PikeDialect)

void pikeRegisterDialects(MlirDialectRegistry registry) {
  DialectRegistry *unwrapped = unwrap(registry);
  pike::registerPikeDialect(*unwrapped);
  pike::registerPikeDependencies(*unwrapped);
}

void pikeRegisterPasses(void) {
  static std::once_flag once;
  std::call_once(once, [] {
    registerTransformsPasses();
    pike::registerPikePasses();
    pike::registerPikePipelines();
  });
}

MlirLogicalResult pikeRunPassPipeline(MlirModule module, MlirStringRef pipeline) {
  ModuleOp op = unwrap(module);
  PassManager pm(op.getContext());
  std::string text = "builtin.module(" + unwrap(pipeline).str() + ")";
  std::string error;
  llvm::raw_string_ostream errorStream(error);
  if (failed(parsePassPipeline(text, pm, errorStream))) {
    op.emitError() << "pikeRunPassPipeline: " << error;
    return wrap(failure());
  }
  return wrap(pm.run(op));
}

PikeCostTotals pikeComputeACEv2(MlirModule module, unsigned floatBits,
                                bool countOtherOps) {
  pike::ACEv2Analysis analysis(unwrap(module));
  pike::CostOptions options;
  options.floatBits = floatBits;
  options.countOtherOps = countOtherOps;
  pike::CostSummary total = analysis.total(options);
  return PikeCostTotals{total.macs,     total.muls, total.adds,
                        total.others,   total.ace,  total.acev2,
                        total.energyPJ, int64_t(analysis.uncounted().size()),
                        total.lookups};
}
