//===- PikeToLinalg.h - Lowering of pike ops to linalg ----------*- C++ -*-===//

#ifndef PIKE_CONVERSION_PIKETOLINALG_PIKETOLINALG_H
#define PIKE_CONVERSION_PIKETOLINALG_PIKETOLINALG_H

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir::pike {

/// Patterns that lower every pike op to linalg, arith, math and tensor.
void populatePikeToLinalgPatterns(RewritePatternSet &patterns);

/// What convert-pike-to-linalg makes legal: everything but the pike dialect,
/// whose pike.apply_scale stays until pike-expand-apply-scale and
/// pike.vector_dot4/dot2 until pike-lower-vector-dots.
void configurePikeToLinalgTarget(ConversionTarget &target);

} // namespace mlir::pike

#endif // PIKE_CONVERSION_PIKETOLINALG_PIKETOLINALG_H
