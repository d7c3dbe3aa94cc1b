//===- RoundingModeOption.h - RoundingMode as a command-line value -*- C++ -*-===//
//
// Every pass option and pipeline option of type RoundingMode lists its values
// from the dialect's enum, so a new mode needs no edit here or in Passes.td.
//
//===----------------------------------------------------------------------===//

#ifndef PIKE_DIALECT_PIKE_IR_ROUNDINGMODEOPTION_H
#define PIKE_DIALECT_PIKE_IR_ROUNDINGMODEOPTION_H

#include "pike/Dialect/Pike/IR/PikeAttrs.h"

#include "llvm/Support/CommandLine.h"

namespace mlir::pike {

/// A `cl::values` for RoundingMode generated from the enum: each mode under
/// its dialect spelling with its description, the default marked.
struct RoundingModeValues {
  template <typename Opt>
  void apply(Opt &option) const {
    for (unsigned value = 0; value <= getMaxEnumValForRoundingMode(); ++value)
      if (std::optional<RoundingMode> mode = symbolizeRoundingMode(value))
        option.getParser().addLiteralOption(stringifyRoundingMode(*mode), *mode,
                                            *mode == kDefaultRounding
                                                ? describeWithDefaultMark(*mode)
                                                : describeRoundingMode(*mode));
  }

private:
  static llvm::StringRef describeWithDefaultMark(RoundingMode mode) {
    static const std::string marked = (describeRoundingMode(mode) + " (the default)").str();
    return marked;
  }
};

} // namespace mlir::pike

#endif // PIKE_DIALECT_PIKE_IR_ROUNDINGMODEOPTION_H
