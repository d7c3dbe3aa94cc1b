//===- Passes.h - Conversions out of the pike dialect -----------*- C++ -*-===//

#ifndef PIKE_CONVERSION_PASSES_H
#define PIKE_CONVERSION_PASSES_H

#include "pike/Target/CpuTarget.h"
#include "pike/Dialect/Pike/IR/PikeDialect.h"
#include "pike/Conversion/PikeToLinalg/PikeToLinalg.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Pass/Pass.h"

namespace mlir::pike {

#define GEN_PASS_DECL
#include "pike/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "pike/Conversion/Passes.h.inc"

} // namespace mlir::pike

#endif // PIKE_CONVERSION_PASSES_H
