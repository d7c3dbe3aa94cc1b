//===- Passes.h - The ACEv2 analysis pass -----------------------*- C++ -*-===//

#ifndef PIKE_ANALYSIS_PASSES_H
#define PIKE_ANALYSIS_PASSES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"
#include "pike/Dialect/Pike/IR/PikeDialect.h"
#include "pike/Analysis/ACEv2.h"

namespace mlir::pike {

#define GEN_PASS_DECL
#include "pike/Analysis/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "pike/Analysis/Passes.h.inc"

} // namespace mlir::pike

#endif // PIKE_ANALYSIS_PASSES_H
