//===- FuzzOnnx.cpp - libFuzzer target: the C++ ONNX import ---------------===//
//
// Any text: parsed as the generic ONNX form (pike_onnx, as `pike import`
// serializes a model), given its meaning by --convert-onnx-to-pike, and —
// when that succeeds — taken through the quantize pipeline. Diagnostics are
// fine; a crash, a sanitizer report or an import that produces IR failing
// the verifier (MLIR's pass manager checks) is a bug.
//
//===----------------------------------------------------------------------===//

#include "pike/InitPike.h"

#include "UpstreamCrashes.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"

#include <cstdint>
#include <string>

using namespace mlir;

static MLIRContext &context() {
  static MLIRContext *instance = [] {
    DialectRegistry registry;
    pike::registerPikeDialect(registry);
    pike::registerPikeDependencies(registry);
    auto *ctx = new MLIRContext(registry);
    ctx->loadAllAvailableDialects();
    ctx->disableMultithreading();
    ctx->printOpOnDiagnostic(false);
    ctx->getDiagEngine().registerHandler([](Diagnostic &) { return success(); });
    return ctx;
  }();
  return *instance;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string copy(reinterpret_cast<const char *>(data), size);
  llvm::StringRef text(copy.c_str(), copy.size());
  if (hitsKnownUpstreamCrash(text))
    return 0;
  MLIRContext &ctx = context();
  ParserConfig config(&ctx);
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(text, config);
  if (!module)
    return 0;
  PassManager import(&ctx);
  import.addPass(pike::createConvertOnnxToPike());
  if (failed(import.run(*module)))
    return 0;
  PassManager quantize(&ctx);
  pike::buildQuantizePipeline(quantize, pike::QuantizePipelineOptions{});
  (void)quantize.run(*module);
  return 0;
}
