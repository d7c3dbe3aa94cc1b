//===- OnnxOps.cpp - ONNX graphs in generic form --------------------------===//

#include "pike/Dialect/Onnx/IR/OnnxOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;
using namespace mlir::pike::onnx;

#include "pike/Dialect/Onnx/IR/OnnxOpsDialect.cpp.inc"

void PikeOnnxDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "pike/Dialect/Onnx/IR/OnnxOps.cpp.inc"
      >();
}

LogicalResult ConstantOp::verify() {
  if (!isa<ElementsAttr>(getValue()))
    return emitOpError() << "value must be an elements attribute (dense or dense_resource)";
  return success();
}

void mlir::pike::onnx::registerOnnxDialect(DialectRegistry &registry) {
  registry.insert<PikeOnnxDialect>();
}

#define GET_OP_CLASSES
#include "pike/Dialect/Onnx/IR/OnnxOps.cpp.inc"
