//===- pike-translate.cpp - An AOT library's C files from its module ------===//
//
// Emits the C header, C wrapper and JSON manifest of an ahead-of-time
// library from its lowered module (docs/Deploy.md).
//
//===----------------------------------------------------------------------===//

#include "pike/Aot/CLibrary.h"
#include "pike/Tools/CommandLine.h"

#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"
#include "llvm/Support/InitLLVM.h"

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  mlir::pike::hideLLVMOptions();
  mlir::pike::registerPikeVersion("pike-translate");
  mlir::pike::registerPikeCLibraryTranslations();
  // Exit status (docs/Guide.md): 2 for a module the translation refuses.
  return mlir::failed(mlir::mlirTranslateMain(
             argc, argv,
             "pike-translate: an ahead-of-time library's C header, C wrapper and JSON "
             "manifest from its lowered module"))
             ? 2
             : 0;
}
