//===- PikeDialect.h - The pike dialect -------------------------*- C++ -*-===//

#ifndef PIKE_DIALECT_PIKE_IR_PIKEDIALECT_H
#define PIKE_DIALECT_PIKE_IR_PIKEDIALECT_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Dialect.h"

#include "pike/Dialect/Pike/IR/PikeOpsDialect.h.inc"

namespace mlir::pike {
/// Adds the pike dialect (and the dialects it depends on) and pike_onnx,
/// the generic ONNX form that --convert-onnx-to-pike reads, to `registry`.
void registerPikeDialect(DialectRegistry &registry);
} // namespace mlir::pike

#endif // PIKE_DIALECT_PIKE_IR_PIKEDIALECT_H
