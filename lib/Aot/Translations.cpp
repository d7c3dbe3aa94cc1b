//===- Translations.cpp - pike-translate's C library translations ---------===//

#include "pike/Aot/CLibrary.h"
#include "pike/Dialect/Pike/IR/PikeDialect.h"
#include "pike/Tools/ParserDefects.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/OpenMP/OpenMPDialect.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Tools/mlir-translate/Translation.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir;
using namespace mlir::pike;

void mlir::pike::registerPikeCLibraryTranslations() {
  static llvm::cl::OptionCategory category("C library translations (--pike-c-header, "
                                           "--pike-c-wrapper, --pike-library-manifest)");
  static llvm::cl::opt<CpuTarget, false, CpuTargetParser> target(
      "target", llvm::cl::cat(category),
      llvm::cl::desc("Instruction set the module was lowered for (default: its pike.target, "
                     "which this must match): the CPU check"),
      llvm::cl::init(CpuTarget::host), CpuTargetValues());
  static llvm::cl::opt<bool> parallel(
      "parallel", llvm::cl::cat(category),
      llvm::cl::desc("The kernels run OpenMP parallel loops (the library needs libomp)"),
      llvm::cl::init(false));
  static llvm::cl::opt<std::string> headerName(
      "header-name", llvm::cl::cat(category),
      llvm::cl::desc("The header the wrapper includes (default: <prefix>.h)"));
  static llvm::cl::list<std::string> cpuChecks(
      "cpu-check", llvm::cl::cat(category),
      llvm::cl::desc("A CPU feature the library also checks at each call, beyond its "
                     "target's (a __builtin_cpu_supports name); repeatable"));
  static llvm::cl::opt<std::string> library(
      "library", llvm::cl::cat(category), llvm::cl::desc("Manifest: the library's file name"));
  static llvm::cl::opt<std::string> emit("emit", llvm::cl::cat(category),
                                         llvm::cl::desc("Manifest: shared or object"),
                                         llvm::cl::init("shared"));
  static llvm::cl::opt<std::string> source(
      "source", llvm::cl::cat(category), llvm::cl::desc("Manifest: the model built from"));

  auto options = [] {
    CLibraryOptions o;
    o.target = target;
    o.parallel = parallel;
    o.headerName = headerName;
    o.extraCpuChecks.assign(cpuChecks.begin(), cpuChecks.end());
    o.library = library;
    o.emit = emit;
    o.source = source;
    return o;
  };
  using Emit = LogicalResult (*)(ModuleOp, const CLibraryOptions &, llvm::raw_ostream &);
  // Parsed here rather than by TranslateFromMLIRRegistration so that input
  // MLIR's parser would crash on is refused first (pike/Tools/ParserDefects.h).
  auto translation = [options](Emit emit) {
    return [options, emit](const std::shared_ptr<llvm::SourceMgr> &sourceMgr, llvm::raw_ostream &os,
                           MLIRContext *context) -> LogicalResult {
      if (reportUnparsableInput(*sourceMgr->getMemoryBuffer(sourceMgr->getMainFileID())))
        return failure();
      // Pike's attributes (the model's rounding rule) ride along on the module.
      context->loadDialect<LLVM::LLVMDialect, omp::OpenMPDialect, PikeDialect>();
      OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, context);
      if (!module || failed(verify(*module)))
        return failure();
      return emit(*module, options(), os);
    };
  };
  static TranslateRegistration header("pike-c-header",
                                      "The C header of an AOT library (the lowered module)",
                                      translation(emitCHeader));
  static TranslateRegistration wrapper("pike-c-wrapper",
                                       "The C entry points of an AOT library (the lowered module)",
                                       translation(emitCWrapper));
  static TranslateRegistration manifest("pike-library-manifest",
                                        "The JSON manifest of an AOT library (the lowered module)",
                                        translation(emitLibraryManifest));
}
