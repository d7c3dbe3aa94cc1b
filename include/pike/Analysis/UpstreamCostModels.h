//===- UpstreamCostModels.h - ArithmeticCost for upstream ops ---*- C++ -*-===//

#ifndef PIKE_ANALYSIS_UPSTREAMCOSTMODELS_H
#define PIKE_ANALYSIS_UPSTREAMCOSTMODELS_H

#include "mlir/IR/DialectRegistry.h"

namespace mlir::pike {

/// Attaches ArithmeticCostOpInterface to linalg structured ops (counted from
/// their body and iteration space), arith ops (per element on tensors) and
/// tosa convolutions, matmul and rescale.
void registerArithmeticCostExternalModels(DialectRegistry &registry);

} // namespace mlir::pike

#endif // PIKE_ANALYSIS_UPSTREAMCOSTMODELS_H
