//===- PikeCostModels.h - ACEv2 of pike ops and tosa.rescale ----*- C++ -*-===//

#ifndef PIKE_ANALYSIS_PIKECOSTMODELS_H
#define PIKE_ANALYSIS_PIKECOSTMODELS_H

#include "mlir/IR/DialectRegistry.h"

namespace mlir::pike {

/// Attaches ArithmeticCostOpInterface to every pike op (the cost of what
/// convert-pike-to-linalg emits for it) and to tosa.rescale (the cost of the
/// equivalent pike.requantize). Needs the linalg, tensor, arith, math and
/// func dialects loaded (the pike-acev2 pass loads them).
void registerPikeCostModels(DialectRegistry &registry);

} // namespace mlir::pike

#endif // PIKE_ANALYSIS_PIKECOSTMODELS_H
