/*===- Pike.h - C API of Pike ---------------------------------*- C -*-===*\
|*                                                                        *|
|* Register the pike dialect and its passes with an MLIR context, run    *|
|* Pike's named pipelines on a module, and read its ACEv2 totals. Follows *|
|* MLIR's C API conventions: opaque handles from mlir-c, functions        *|
|* prefixed `pike`.                                                       *|
\*===----------------------------------------------------------------------===*/

#ifndef PIKE_C_PIKE_H
#define PIKE_C_PIKE_H

#include "mlir-c/IR.h"
#include "mlir-c/Support.h"

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The pike dialect: mlirGetDialectHandle__pike__().
MLIR_DECLARE_CAPI_DIALECT_REGISTRATION(Pike, pike);

/// Adds the pike dialect, the upstream dialects Pike's passes produce, and
/// the ACEv2 cost models of upstream ops to `registry`.
MLIR_CAPI_EXPORTED void pikeRegisterDialects(MlirDialectRegistry registry);

/// Registers every Pike pass and named pipeline (once per process).
MLIR_CAPI_EXPORTED void pikeRegisterPasses(void);

/// Runs a textual pass pipeline on `module`, e.g.
/// "pike-quantize-pipeline{double-quantize=true},canonicalize". Diagnostics
/// go to the context's handlers.
MLIR_CAPI_EXPORTED MlirLogicalResult pikeRunPassPipeline(MlirModule module,
                                                         MlirStringRef pipeline);

/// ACEv2 totals of a module (docs/ACEv2.md).
typedef struct {
  int64_t macs;
  int64_t muls;
  int64_t adds;
  int64_t others;
  double ace;
  double acev2;
  double energyPJ;
  /// Ops whose arithmetic could not be counted (dynamic shapes).
  int64_t uncountedOps;
  /// Reads of constant tables (pike.table), part of acev2.
  int64_t lookups;
} PikeCostTotals;

/// Counts the arithmetic of every op in `module`. `floatBits` is the width
/// real operands count at (0: their storage width); `countOtherOps` counts
/// compares, shifts, clamps and rounding like adds.
MLIR_CAPI_EXPORTED PikeCostTotals pikeComputeACEv2(MlirModule module,
                                                   unsigned floatBits,
                                                   bool countOtherOps);

#ifdef __cplusplus
}
#endif

#endif // PIKE_C_PIKE_H
