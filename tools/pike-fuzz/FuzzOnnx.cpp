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

#include "FuzzSupport.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"

#include <cstdint>
#include <string>

using namespace mlir;


extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  OwningOpRef<ModuleOp> module = parseFuzzInput(data, size);
  if (!module)
    return 0;
  MLIRContext &ctx = fuzzContext();
  PassManager import(&ctx);
  import.addPass(pike::createConvertOnnxToPike());
  if (failed(import.run(*module)))
    return 0;
  PassManager quantize(&ctx);
  pike::buildQuantizePipeline(quantize, pike::QuantizePipelineOptions{});
  (void)quantize.run(*module);
  return 0;
}
