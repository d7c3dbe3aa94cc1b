//===- pike-opt.cpp - mlir-opt with the pike dialect and passes -----------===//

#include "pike/Conversion/OnnxOperators.h"
#include "pike/InitPike.h"
#include "pike/Tools/CommandLine.h"
#include "pike/Tools/ParserDefects.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/ToolOutputFile.h"

static llvm::cl::opt<bool> listOnnxOperators(
    "list-onnx-operators",
    llvm::cl::desc("Print the ONNX operators convert-onnx-to-pike takes (a Markdown table: "
                   "domain, operator, first opset of the form it reads) and exit"),
    llvm::cl::init(false));

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  mlir::pike::hideLLVMOptions();
  mlir::pike::registerPikeVersion("pike-opt");
  mlir::registerTransformsPasses();
  mlir::pike::registerPikePasses();
  mlir::pike::registerPikePipelines();

  mlir::DialectRegistry registry;
  mlir::pike::registerPikeDialect(registry);
  mlir::pike::registerPikeDependencies(registry);

  auto [inputFilename, outputFilename] = mlir::registerAndParseCLIOptions(
      argc, argv,
      "pike-opt: the pike dialect, its passes and pipelines, and the upstream\n"
      "dialects and passes they use. Pike's passes are the --pike-* ones and\n"
      "--convert-pike-to-linalg; LLVM's backend flags are under --help-hidden.\n"
      "See docs/README.md.\n",
      registry);
  if (listOnnxOperators) {
    mlir::pike::printOnnxOperators(llvm::outs());
    return 0;
  }
  mlir::MlirOptMainConfig config = mlir::MlirOptMainConfig::createFromCLOptions();
  if (config.shouldShowDialects() || config.shouldListPasses())
    return mlir::failed(mlir::MlirOptMain(argc, argv, inputFilename, outputFilename, registry));

  // Exit status (docs/Guide.md): 1 for command-line misuse (reported by the
  // option parser), 2 for a model that fails to parse, verify or compile.
  std::string error;
  std::unique_ptr<llvm::MemoryBuffer> file = mlir::openInputFile(inputFilename, &error);
  if (!file) {
    llvm::errs() << "pike-opt: error: " << error << "\n";
    return 2;
  }
  if (mlir::pike::reportUnparsableInput(*file))
    return 2;
  std::unique_ptr<llvm::ToolOutputFile> output = mlir::openOutputFile(outputFilename, &error);
  if (!output) {
    llvm::errs() << "pike-opt: error: " << error << "\n";
    return 2;
  }
  if (mlir::failed(mlir::MlirOptMain(output->os(), std::move(file), registry, config)))
    return 2;
  output->keep();
  return 0;
}
