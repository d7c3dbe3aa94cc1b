//===- ScalarCosts.h - Cost rules shared by the cost models -----*- C++ -*-===//

#ifndef PIKE_LIB_ANALYSIS_SCALARCOSTS_H
#define PIKE_LIB_ANALYSIS_SCALARCOSTS_H

#include "pike/Dialect/Pike/IR/PikeAttrs.h"
#include "pike/Interfaces/ArithmeticCost.h"

#include <optional>

namespace mlir::pike {

/// The one cost model of fixed-point requantization: one pike.apply_scale
/// on operands of the given widths (docs/ACEv2.md). Returns the result width.
ScalarCounter::Width countApplyScale(ScalarCounter &counter,
                                     ScalarCounter::Width value,
                                     ScalarCounter::Width multiplier,
                                     std::optional<ScalarCounter::Width> addend,
                                     ScalarCounter::Width shift, RoundingMode mode);

} // namespace mlir::pike

#endif // PIKE_LIB_ANALYSIS_SCALARCOSTS_H
