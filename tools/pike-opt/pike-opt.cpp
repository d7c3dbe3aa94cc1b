//===- pike-opt.cpp - mlir-opt with the pike dialect and passes -----------===//

#include "pike/InitPike.h"
#include "pike/Tools/CommandLine.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"

int main(int argc, char **argv) {
  mlir::pike::hideLLVMOptions();
  mlir::pike::registerPikeVersion("pike-opt");
  mlir::registerTransformsPasses();
  mlir::pike::registerPikePasses();
  mlir::pike::registerPikePipelines();

  mlir::DialectRegistry registry;
  mlir::pike::registerPikeDialect(registry);
  mlir::pike::registerPikeDependencies(registry);

  // Exit status (docs/Guide.md): 1 for command-line misuse (reported by the
  // option parser), 2 for a model that fails to parse, verify or compile.
  return mlir::failed(mlir::MlirOptMain(
      argc, argv,
      "pike-opt: the pike dialect, its passes and pipelines, and the upstream\n"
      "dialects and passes they use. Pike's passes are the --pike-* ones and\n"
      "--convert-pike-to-linalg; LLVM's backend flags are under --help-hidden.\n"
      "See docs/README.md.\n",
      registry))
             ? 2
             : 0;
}
