//===- ACEv2Pass.cpp - Annotate ops with ACE/ACEv2/energy, write reports --===//

#include "pike/Analysis/ACEv2.h"
#include "pike/Analysis/Passes.h"

#include "mlir/Interfaces/LoopLikeInterface.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/Support/FileUtilities.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/ToolOutputFile.h"

namespace mlir::pike {
#define GEN_PASS_DEF_PIKEACEV2
#include "pike/Analysis/Passes.h.inc"
} // namespace mlir::pike

using namespace mlir;
using namespace mlir::pike;

namespace {

/// Elements of an op's shaped results, and bytes of its shaped operands and
/// results as stored (sub-byte integers take a byte): what a CPU cost model
/// needs besides the arithmetic (reduction depth, memory traffic).
std::pair<int64_t, int64_t> tensorSizes(Operation *op) {
  int64_t elements = 0, bytes = 0;
  auto add = [&](Type type, bool isResult) {
    auto shaped = dyn_cast<ShapedType>(type);
    if (!shaped || !shaped.hasStaticShape() || !shaped.getElementType().isIntOrFloat())
      return;
    int64_t count = shaped.getNumElements();
    unsigned bits = shaped.getElementType().getIntOrFloatBitWidth();
    bytes += count * int64_t(llvm::PowerOf2Ceil(std::max(8u, bits)) / 8);
    if (isResult)
      elements += count;
  };
  for (Type type : op->getOperandTypes())
    add(type, false);
  for (Type type : op->getResultTypes())
    add(type, true);
  return {elements, bytes};
}

/// The op defining `value`, seen through reshapes (which cost nothing and
/// are no report rows).
Operation *producerThroughReshapes(Value value) {
  Operation *def = value.getDefiningOp();
  while (isa_and_nonnull<tensor::ExpandShapeOp, tensor::CollapseShapeOp>(def))
    def = def->getOperand(0).getDefiningOp();
  return def;
}

llvm::json::Object summaryJson(const CostSummary &s) {
  return llvm::json::Object{{"macs", s.macs},
                            {"muls", s.muls},
                            {"adds", s.adds},
                            {"others", s.others},
                            {"lookups", s.lookups},
                            {"ace", s.ace},
                            {"acev2", s.acev2},
                            {"elementwise", s.elementwise()},
                            {"energy_pj", s.energyPJ}};
}

struct PikeACEv2Pass : public mlir::pike::impl::PikeACEv2Base<PikeACEv2Pass> {
  using PikeACEv2Base::PikeACEv2Base;

  void runOnOperation() override {
    CostOptions options;
    options.floatBits = floatBits;
    options.countOtherOps = otherOps == OtherOpsRule::Add;
    const ACEv2Analysis &analysis = getAnalysis<ACEv2Analysis>();
    for (Operation *op : analysis.uncounted())
      op->emitWarning("pike-acev2: cannot count this op's arithmetic "
                      "(dynamic shapes?); it counts as zero");
    for (Operation *op : analysis.unmodeled())
      op->emitWarning("pike-acev2: no cost model for '")
          << op->getName() << "'; its arithmetic counts as zero";
    // ACEv2 is defined on tensor-level IR: a loop's body is counted once.
    getOperation()->walk([](LoopLikeOpInterface loop) {
      loop->emitWarning("pike-acev2: this loop's body counts once, not once per "
                        "iteration; cost the model before its loops are built (e.g. "
                        "before convert-pike-to-cpu-kernels)");
      return WalkResult::interrupt();
    });

    Builder builder(&getContext());
    llvm::json::Array ops;
    SmallVector<std::pair<std::string, CostSummary>> rows;
    CostSummary total;
    // Which row each op is, so a row can name the rows it reads (tools
    // group a layer's ops by that, not by their order in the function).
    llvm::DenseMap<Operation *, int64_t> rowOf;
    for (const ACEv2Analysis::Entry &entry : analysis.entries())
      rowOf.try_emplace(entry.op, int64_t(rowOf.size()));
    for (const ACEv2Analysis::Entry &entry : analysis.entries()) {
      CostSummary s = summarize(entry.cost, options);
      total += s;
      SmallVector<NamedAttribute> fields = {
          builder.getNamedAttr("macs", builder.getI64IntegerAttr(s.macs)),
          builder.getNamedAttr("muls", builder.getI64IntegerAttr(s.muls)),
          builder.getNamedAttr("adds", builder.getI64IntegerAttr(s.adds)),
          builder.getNamedAttr("others", builder.getI64IntegerAttr(s.others)),
          builder.getNamedAttr("ace", builder.getI64IntegerAttr(int64_t(s.ace))),
          builder.getNamedAttr("acev2", builder.getI64IntegerAttr(int64_t(s.acev2))),
          builder.getNamedAttr("energy_pj", builder.getF64FloatAttr(s.energyPJ))};
      // Only table ops read tables; the others keep their short form.
      if (s.lookups)
        fields.push_back(builder.getNamedAttr("lookups", builder.getI64IntegerAttr(s.lookups)));
      entry.op->setAttr("pike.cost", builder.getDictionaryAttr(fields));
      std::string loc = costLocationName(entry.op->getLoc());
      llvm::json::Object record = summaryJson(s);
      record["op"] = entry.op->getName().getStringRef().str();
      record["loc"] = loc;
      auto [elements, bytes] = tensorSizes(entry.op);
      record["result_elements"] = elements;
      record["tensor_bytes"] = bytes;
      llvm::json::Array inputs;
      for (Value operand : entry.op->getOperands()) {
        auto row = rowOf.find(producerThroughReshapes(operand));
        inputs.push_back(row == rowOf.end() ? int64_t(-1) : row->second);
      }
      record["inputs"] = std::move(inputs);
      record["uses"] = entry.op->getNumResults()
                           ? int64_t(llvm::range_size(entry.op->getResult(0).getUses()))
                           : int64_t(0);
      ops.push_back(std::move(record));
      rows.push_back({entry.op->getName().getStringRef().str() + " " + loc, s});
    }
    if (table)
      printTable(rows, total);
    if (!report.empty() && failed(writeReport(std::move(ops), total, options)))
      return signalPassFailure();
    markAllAnalysesPreserved();
  }

  void printTable(ArrayRef<std::pair<std::string, CostSummary>> rows,
                  const CostSummary &total) {
    llvm::raw_ostream &os = llvm::outs();
    os << llvm::formatv("{0,-48} {1,14} {2,10} {3,16} {4,16} {5,7}\n", "op", "MACs",
                        "lookups", "ACE", "ACEv2", "elem%");
    auto line = [&](StringRef name, const CostSummary &s) {
      double share = s.acev2 > 0 ? 100.0 * s.elementwise() / s.acev2 : 0.0;
      os << llvm::formatv("{0,-48} {1,14} {2,10} {3,16} {4,16} {5,6:F1}%\n",
                          name.take_front(48), s.macs, s.lookups, int64_t(s.ace),
                          int64_t(s.acev2), share);
    };
    for (const auto &[name, s] : rows)
      line(name, s);
    line("total", total);
  }

  LogicalResult writeReport(llvm::json::Array ops, const CostSummary &total,
                            const CostOptions &options) {
    llvm::json::Object totals = summaryJson(total);
    totals["mac_share"] = total.acev2 > 0 ? total.ace / total.acev2 : 0.0;
    totals["elementwise_share"] =
        total.acev2 > 0 ? total.elementwise() / total.acev2 : 0.0;
    llvm::json::Object root{
        {"float_bits", int64_t(options.floatBits)},
        {"other_ops", options.countOtherOps ? "add" : "ignore"},
        {"total", std::move(totals)},
        {"ops", std::move(ops)}};
    std::string error;
    auto file = openOutputFile(report, &error);
    if (!file) {
      getOperation()->emitError() << "pike-acev2: " << error;
      return failure();
    }
    file->os() << llvm::formatv("{0:2}", llvm::json::Value(std::move(root))) << "\n";
    file->keep();
    return success();
  }
};

} // namespace
