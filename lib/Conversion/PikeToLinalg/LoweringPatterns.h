//===- LoweringPatterns.h - The pike lowering patterns, by family -*- C++ -*-===//

#ifndef PIKE_LIB_CONVERSION_PIKETOLINALG_LOWERINGPATTERNS_H
#define PIKE_LIB_CONVERSION_PIKETOLINALG_LOWERINGPATTERNS_H

#include "mlir/IR/PatternMatch.h"

namespace mlir::pike::lowering {
void populateMacLoweringPatterns(RewritePatternSet &patterns);
void populateElementwiseLoweringPatterns(RewritePatternSet &patterns);
void populatePoolLoweringPatterns(RewritePatternSet &patterns);
void populateNormalizationLoweringPatterns(RewritePatternSet &patterns);
void populateFloat32NormalizationLoweringPatterns(RewritePatternSet &patterns);
void populateIndexLoweringPatterns(RewritePatternSet &patterns);
} // namespace mlir::pike::lowering

#endif // PIKE_LIB_CONVERSION_PIKETOLINALG_LOWERINGPATTERNS_H
