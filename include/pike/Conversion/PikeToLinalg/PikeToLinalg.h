//===- PikeToLinalg.h - Lowering of pike ops to linalg ----------*- C++ -*-===//

#ifndef PIKE_CONVERSION_PIKETOLINALG_PIKETOLINALG_H
#define PIKE_CONVERSION_PIKETOLINALG_PIKETOLINALG_H

#include "mlir/IR/PatternMatch.h"

namespace mlir::pike {

/// Patterns that lower every pike op to linalg, arith, math and tensor.
void populatePikeToLinalgPatterns(RewritePatternSet &patterns);

} // namespace mlir::pike

#endif // PIKE_CONVERSION_PIKETOLINALG_PIKETOLINALG_H
