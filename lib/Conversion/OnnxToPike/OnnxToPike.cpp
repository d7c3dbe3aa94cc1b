//===- OnnxToPike.cpp - The generic ONNX form to pike ---------------------===//

#include "Importer.h"

#include "pike/Conversion/Passes.h"
#include "pike/Dialect/Pike/IR/PikeOps.h"

namespace mlir::pike {
#define GEN_PASS_DEF_CONVERTONNXTOPIKE
#include "pike/Conversion/Passes.h.inc"
} // namespace mlir::pike

using namespace mlir;
using namespace mlir::pike;

namespace {

/// Turns the model's `pike.*` metadata (docs/Tutorial.md) into the module
/// attributes the integer passes follow. Other metadata is the model's own.
LogicalResult applyTrainedFor(ModuleOp module) {
  auto metadata = module->getAttrOfType<DictionaryAttr>("pike_onnx.metadata");
  if (!metadata)
    return success();
  for (NamedAttribute entry : metadata) {
    StringRef key = entry.getName().strref();
    if (!key.starts_with("pike."))
      continue;
    const ModelBitsAttr *known = llvm::find_if(
        kModelBitsAttrs, [&](const ModelBitsAttr &attr) { return attr.name == key; });
    if (known == std::end(kModelBitsAttrs)) {
      InFlightDiagnostic diag = module.emitError()
                                << "model metadata key '" << onnx_import::shown(key)
                                << "' is not one Pike knows (";
      llvm::interleaveComma(kModelBitsAttrs, diag,
                            [&](const ModelBitsAttr &attr) { diag << attr.name; });
      return diag << ")";
    }
    auto text = dyn_cast<StringAttr>(entry.getValue());
    unsigned value = 0;
    if (!text || text.getValue().trim().getAsInteger(10, value) || value < known->lo ||
        value > known->hi)
      return module.emitError()
             << "model metadata '" << onnx_import::shown(key) << "' must be an integer in [" << known->lo
             << ", " << known->hi << "], got " << entry.getValue();
    module->setAttr(known->name,
                    IntegerAttr::get(IntegerType::get(module.getContext(), 64), value));
  }
  return success();
}

struct ConvertOnnxToPike : pike::impl::ConvertOnnxToPikeBase<ConvertOnnxToPike> {
  using ConvertOnnxToPikeBase::ConvertOnnxToPikeBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<func::FuncOp> graphs;
    for (auto func : module.getOps<func::FuncOp>()) {
      bool isGraph = false;
      func.walk([&](Operation *op) {
        if (isa<onnx::PikeOnnxDialect>(op->getDialect()))
          isGraph = true;
      });
      for (unsigned i = 0; i < func.getNumArguments() && !isGraph; ++i)
        isGraph = static_cast<bool>(func.getArgAttr(i, "pike_onnx.name"));
      if (isGraph)
        graphs.push_back(func);
    }
    if (graphs.empty())
      return;
    if (batch < 0) {
      module.emitError() << "batch must be positive, got " << batch;
      return signalPassFailure();
    }
    std::optional<int64_t> fixedBatch;
    if (batch > 0)
      fixedBatch = batch;
    for (func::FuncOp graph : graphs) {
      if (failed(onnx_import::expandOrtContribNodes(graph)))
        return signalPassFailure();
      onnx_import::Importer importer(graph, fixedBatch);
      if (failed(importer.run()))
        return signalPassFailure();
    }
    if (failed(applyTrainedFor(module)))
      return signalPassFailure();
    // ONNX rounds half to even (QuantizeLinear; onnxruntime's
    // requantization); the integer passes follow the module's rule.
    PikeDialect::RoundingAttrHelper(&getContext())
        .setAttr(module, RoundingModeAttr::get(&getContext(), RoundingMode::half_even));
    for (NamedAttribute attr : llvm::to_vector(module->getAttrs()))
      if (attr.getName().strref().starts_with("pike_onnx."))
        module->removeAttr(attr.getName());
  }
};

} // namespace
