//===- ACEv2Analysis.cpp - Collect what every op computes -----------------===//

#include "pike/Analysis/ACEv2.h"

#include "pike/Interfaces/ArithmeticCostInterface.h"

using namespace mlir;
using namespace mlir::pike;

/// tosa ops that move data or hold state rather than compute.
static bool isTosaDataMovement(StringRef name) {
  static const StringRef names[] = {
      "tosa.const", "tosa.const_shape", "tosa.reshape", "tosa.transpose", "tosa.slice",
      "tosa.concat", "tosa.pad", "tosa.tile", "tosa.gather", "tosa.scatter",
      "tosa.cast", "tosa.identity", "tosa.yield", "tosa.variable",
      "tosa.variable_read", "tosa.variable_write", "tosa.cond_if", "tosa.while_loop"};
  return llvm::is_contained(names, name);
}

ACEv2Analysis::ACEv2Analysis(Operation *root) {
  root->walk<WalkOrder::PreOrder>([&](Operation *op) {
    auto costed = dyn_cast<ArithmeticCostOpInterface>(op);
    if (!costed) {
      StringRef dialect = op->getName().getDialectNamespace();
      if ((dialect == "tosa" && !isTosaDataMovement(op->getName().getStringRef())) ||
          dialect == "math")
        unmodeledList.push_back(op);
      return WalkResult::advance();
    }
    FailureOr<ArithmeticCost> cost = costed.getArithmeticCost();
    if (failed(cost))
      uncountedList.push_back(op);
    else if (!cost->empty())
      entryList.push_back({op, *cost});
    // A costed op's regions (e.g. a linalg body) are part of its cost.
    return WalkResult::skip();
  });
}

CostSummary ACEv2Analysis::total(const CostOptions &options) const {
  CostSummary sum;
  for (const Entry &entry : entryList)
    sum += summarize(entry.cost, options);
  return sum;
}
