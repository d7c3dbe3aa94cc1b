//===- Passes.h - Pike quantization transforms ------------------*- C++ -*-===//

#ifndef PIKE_DIALECT_PIKE_TRANSFORMS_PASSES_H
#define PIKE_DIALECT_PIKE_TRANSFORMS_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Pass/Pass.h"
#include "pike/Dialect/Pike/IR/PikeAttrs.h"
#include "pike/Dialect/Pike/IR/PikeDialect.h"
#include "pike/Dialect/Pike/IR/RoundingModeOption.h"
#include "pike/Dialect/Pike/Transforms/Options.h"

#include <memory>

namespace mlir::pike {

#define GEN_PASS_DECL
#include "pike/Dialect/Pike/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "pike/Dialect/Pike/Transforms/Passes.h.inc"

/// Options of a requantizing pass set by another pipeline: only those
/// given are set, so an empty one keeps the pass's rule (the module's
/// attribute, else its default), as if left off the command line.
struct RequantizeOverrides {
  std::optional<unsigned> multiplierBits;
  std::optional<RoundingMode> rounding;
};
std::unique_ptr<Pass> createPikeQuantNorm(const RequantizeOverrides &given);
std::unique_ptr<Pass> createPikeFixedPoint(const RequantizeOverrides &given);

/// pike-double-quantize's options, as RequantizeOverrides.
struct DoubleQuantizeOverrides {
  std::optional<unsigned> bits;
  bool ifTrained = false;
};
std::unique_ptr<Pass> createPikeDoubleQuantize(const DoubleQuantizeOverrides &given);

/// The rewrites of each transform, for other pipelines (the passes apply
/// them once to each existing op; see docs/Architecture.md).
void populatePikeFoldBatchNormPatterns(RewritePatternSet &patterns,
                                       const PikeFoldBatchNormOptions &options = {});
void populatePikeDoubleQuantizePatterns(RewritePatternSet &patterns,
                                        const PikeDoubleQuantizeOptions &options = {});
void populatePikeQuantNormPatterns(RewritePatternSet &patterns,
                                   const PikeQuantNormOptions &options = {});
void populatePikeFixedPointPatterns(RewritePatternSet &patterns,
                                    const PikeFixedPointOptions &options = {});
void populatePikeDHQPatterns(RewritePatternSet &patterns,
                             const PikeDHQOptions &options = {});

/// The expansion of pike.apply_scale into arith (pike-expand-apply-scale).
void populatePikeExpandApplyScalePatterns(RewritePatternSet &patterns);

/// Builds the arith form of `round_shift(x * multiplier [+ addend], shift)`
/// (scalars or vectors; `addend` may be null) and returns its result: what
/// pike-expand-apply-scale emits and what ACEv2 counts for pike.apply_scale.
Value buildApplyScaleExpansion(OpBuilder &b, Location loc, Value x, Value multiplier,
                               Value addend, Value shift, RoundingMode mode);

} // namespace mlir::pike

#endif // PIKE_DIALECT_PIKE_TRANSFORMS_PASSES_H
