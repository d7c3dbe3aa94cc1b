//===- OnnxOps.h - ONNX graphs in generic form ------------------*- C++ -*-===//

#ifndef PIKE_DIALECT_ONNX_IR_ONNXOPS_H
#define PIKE_DIALECT_ONNX_IR_ONNXOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "pike/Dialect/Onnx/IR/OnnxOpsDialect.h.inc"

#define GET_OP_CLASSES
#include "pike/Dialect/Onnx/IR/OnnxOps.h.inc"

namespace mlir::pike::onnx {
/// Adds the pike_onnx dialect to `registry`.
void registerOnnxDialect(DialectRegistry &registry);
} // namespace mlir::pike::onnx

#endif // PIKE_DIALECT_ONNX_IR_ONNXOPS_H
