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

void mlir::pike::registerPikeDialect(DialectRegistry &registry) {
  registry.insert<PikeDialect, onnx::PikeOnnxDialect>();
}
