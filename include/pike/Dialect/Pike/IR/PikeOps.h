//===- PikeOps.h - Operations of the pike dialect ---------------*- C++ -*-===//

#ifndef PIKE_DIALECT_PIKE_IR_PIKEOPS_H
#define PIKE_DIALECT_PIKE_IR_PIKEOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "pike/Dialect/Pike/IR/PikeAttrs.h"
#include "pike/Dialect/Pike/IR/PikeDialect.h"

#define GET_OP_CLASSES
#include "pike/Dialect/Pike/IR/PikeOps.h.inc"

#endif // PIKE_DIALECT_PIKE_IR_PIKEOPS_H
