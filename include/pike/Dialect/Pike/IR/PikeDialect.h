//===- PikeDialect.h - The pike dialect -------------------------*- C++ -*-===//

#ifndef PIKE_DIALECT_PIKE_IR_PIKEDIALECT_H
#define PIKE_DIALECT_PIKE_IR_PIKEDIALECT_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Dialect.h"

#include "pike/Dialect/Pike/IR/PikeAttrs.h"

#include "pike/Dialect/Pike/IR/PikeOpsDialect.h.inc"

namespace mlir::pike {
/// A model attribute holding a bit width, and the widths it may hold.
struct ModelBitsAttr {
  llvm::StringLiteral name;
  unsigned lo, hi;
};

/// The model attributes saying what a model was trained for (an importer
/// takes them from the model's metadata of the same name): Double
/// Quantization at these bits, QuantNorm multipliers of this width.
inline constexpr ModelBitsAttr kModelBitsAttrs[] = {
    {PikeDialect::DoubleQuantizeBitsAttrHelper::getNameStr(), 1, kMaxQuantBits},
    {PikeDialect::QuantnormMultiplierBitsAttrHelper::getNameStr(), 2, 32},
};

/// Adds the pike dialect (and the dialects it depends on) and pike_onnx,
/// the generic ONNX form that --convert-onnx-to-pike reads, to `registry`.
void registerPikeDialect(DialectRegistry &registry);
} // namespace mlir::pike

#endif // PIKE_DIALECT_PIKE_IR_PIKEDIALECT_H
