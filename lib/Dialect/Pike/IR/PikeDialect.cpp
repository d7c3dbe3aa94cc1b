//===- PikeDialect.cpp - The pike dialect ---------------------------------===//

#include "pike/Dialect/Pike/IR/PikeDialect.h"
#include "pike/Dialect/Pike/IR/PikeAttrs.h"
#include "pike/Dialect/Pike/IR/PikeOps.h"
#include "pike/Dialect/Onnx/IR/OnnxOps.h"

#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::pike;

#include "pike/Dialect/Pike/IR/PikeOpsDialect.cpp.inc"

void PikeDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "pike/Dialect/Pike/IR/PikeOps.cpp.inc"
      >();
  registerAttributes();
}

LogicalResult PikeDialect::verifyOperationAttribute(Operation *op, NamedAttribute attr) {
  StringRef name = attr.getName().strref();
  if (name == RoundingAttrHelper::getNameStr()) {
    if (!isa<RoundingModeAttr>(attr.getValue()))
      return op->emitError() << "'" << name << "' must be a #pike<rounding ...>, got "
                             << attr.getValue();
    return success();
  }
  for (const ModelBitsAttr &bits : kModelBitsAttrs) {
    if (name != bits.name)
      continue;
    auto value = dyn_cast<IntegerAttr>(attr.getValue());
    if (!value || !value.getType().isSignlessInteger() ||
        value.getValue().getSignificantBits() > 64 || value.getInt() < int64_t(bits.lo) ||
        value.getInt() > int64_t(bits.hi))
      return op->emitError() << "'" << name << "' must be an integer in [" << bits.lo << ", "
                             << bits.hi << "], got " << attr.getValue();
  }
  return success();
}

void mlir::pike::registerPikeDialect(DialectRegistry &registry) {
  registry.insert<PikeDialect, onnx::PikeOnnxDialect>();
}
