//===- embed-pike.cpp - A tool of another compiler that uses Pike ---------===//
//
// Registers Pike next to the upstream dialects, reads a module (TOSA,
// linalg, pike, or an ONNX graph in Pike's generic pike_onnx form), and
// runs: Pike's ONNX import (a no-op on other modules), its own cost pass
// (using Pike's ACEv2 analysis through getAnalysis), Pike's quantization
// pipeline, and Pike's lowering to affine loops, costing again after each.
//
//===----------------------------------------------------------------------===//

#include "pike/Analysis/ACEv2.h"
#include "pike/InitPike.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"

#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace {

/// This compiler's own pass, built on Pike's ACEv2 analysis.
struct PrintCostPass : public PassWrapper<PrintCostPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(PrintCostPass)

  explicit PrintCostPass(std::string stage) : stage(std::move(stage)) {}
  StringRef getArgument() const override { return "print-cost"; }

  void runOnOperation() override {
    const pike::ACEv2Analysis &analysis = getAnalysis<pike::ACEv2Analysis>();
    pike::CostSummary total = analysis.total(pike::CostOptions());
    llvm::outs() << stage << ": ops " << analysis.entries().size() << " macs "
                 << total.macs << " ace " << int64_t(total.ace) << " acev2 "
                 << int64_t(total.acev2) << "\n";
    markAllAnalysesPreserved();
  }

  std::string stage;
};

} // namespace

int main(int argc, char **argv) {
  if (argc != 2) {
    llvm::errs() << "usage: embed-pike model.mlir\n";
    return 2;
  }
  DialectRegistry registry;
  pike::registerPikeDialect(registry);
  pike::registerPikeDependencies(registry);
  pike::registerPikePasses();
  MLIRContext context(registry);

  std::string error;
  auto file = openInputFile(argv[1], &error);
  if (!file) {
    llvm::errs() << "embed-pike: " << error << "\n";
    return 1;
  }
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  SourceMgrDiagnosticHandler handler(sourceMgr, &context);
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!module)
    return 1;

  PassManager pm(&context);
  pm.addPass(pike::createConvertOnnxToPike());
  pm.addPass(std::make_unique<PrintCostPass>("input"));
  pike::QuantizePipelineOptions quantize;
  quantize.doubleQuantize = true;
  quantize.dqBits = 4;
  pike::buildQuantizePipeline(pm, quantize);
  pm.addPass(std::make_unique<PrintCostPass>("integer form"));
  pike::buildLowerToAffinePipeline(pm);
  if (failed(pm.run(*module)))
    return 1;
  llvm::outs() << "lowered to affine: "
               << (module->walk([](Operation *op) {
                     return op->getName().getDialectNamespace() == "affine"
                                ? WalkResult::interrupt()
                                : WalkResult::advance();
                   }).wasInterrupted()
                       ? "yes"
                       : "no")
               << "\n";
  return 0;
}
