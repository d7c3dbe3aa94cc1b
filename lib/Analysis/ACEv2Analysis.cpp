//===- ACEv2Analysis.cpp - Collect what every op computes -----------------===//

#include "pike/Analysis/ACEv2.h"

#include "pike/Interfaces/ArithmeticCostInterface.h"

using namespace mlir;
using namespace mlir::pike;

ACEv2Analysis::ACEv2Analysis(Operation *root) {
  root->walk<WalkOrder::PreOrder>([&](Operation *op) {
    auto costed = dyn_cast<ArithmeticCostOpInterface>(op);
    if (!costed)
      return WalkResult::advance();
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
