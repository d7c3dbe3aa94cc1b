//===- InstrumentLayers.cpp - Timer marks after every costed op ----------===//
//
// `pike run --profile` times each row of the ACEv2 report inside the whole
// network: the marks call a timer the runner provides, so the layer times
// come from the kernels as they run in sequence (warm caches, the real
// inputs), not from layers compiled and timed apart.
//
//===----------------------------------------------------------------------===//

#include "pike/Analysis/ACEv2.h"
#include "pike/Analysis/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"

#include "llvm/Support/FormatVariadic.h"

namespace mlir::pike {
#define GEN_PASS_DEF_PIKEINSTRUMENTLAYERS
#include "pike/Analysis/Passes.h.inc"
} // namespace mlir::pike

using namespace mlir;
using namespace mlir::pike;

std::string mlir::pike::costLocationName(Location loc) {
  if (auto name = dyn_cast<NameLoc>(loc))
    return name.getName().str();
  if (auto call = dyn_cast<CallSiteLoc>(loc))
    return costLocationName(call.getCallee());
  if (auto fused = dyn_cast<FusedLoc>(loc))
    if (!fused.getLocations().empty())
      return costLocationName(fused.getLocations().front());
  if (auto file = dyn_cast<FileLineColLoc>(loc))
    return llvm::formatv("{0}:{1}:{2}", file.getFilename(), file.getLine(),
                         file.getColumn())
        .str();
  std::string text;
  llvm::raw_string_ostream os(text);
  loc.print(os);
  return text;
}

static void insertMark(OpBuilder &builder, Location loc, int64_t id) {
  Value idValue = arith::ConstantIntOp::create(builder, loc, builder.getI64Type(), id);
  func::CallOp::create(builder, loc, kProfileMarkFunction, TypeRange(), ValueRange(idValue));
}

FailureOr<SmallVector<InstrumentedOp>> mlir::pike::instrumentLayers(ModuleOp module) {
  if (Operation *clash = module.lookupSymbol(kProfileMarkFunction))
    return clash->emitError() << "the module defines @" << kProfileMarkFunction
                              << ", the name the layer timer takes";
  ACEv2Analysis analysis(module);
  OpBuilder builder(module.getContext());
  SmallVector<InstrumentedOp> marked;
  for (auto [index, entry] : llvm::enumerate(analysis.entries())) {
    Operation *op = entry.op;
    // An op nested in a loop or a branch runs a number of times the marks
    // cannot tell apart; its time goes to the next mark of its function.
    // Functions of nested modules are not the runner's to call.
    if (!isa<func::FuncOp>(op->getParentOp()) ||
        op->getParentOfType<ModuleOp>() != module)
      continue;
    builder.setInsertionPointAfter(op);
    insertMark(builder, op->getLoc(), int64_t(index));
    marked.push_back({int64_t(index), op->getName().getStringRef().str(),
                      costLocationName(op->getLoc())});
  }
  for (auto fn : module.getOps<func::FuncOp>()) {
    if (fn.isExternal())
      continue;
    builder.setInsertionPointToStart(&fn.getBody().front());
    insertMark(builder, fn.getLoc(), kProfileStartMark);
    fn.walk([&](func::ReturnOp ret) {
      builder.setInsertionPoint(ret);
      insertMark(builder, ret.getLoc(), kProfileReturnMark);
    });
  }
  builder.setInsertionPointToEnd(module.getBody());
  auto markFn = func::FuncOp::create(
      builder, module.getLoc(), kProfileMarkFunction,
      builder.getFunctionType({builder.getI64Type()}, {}));
  markFn.setPrivate();
  return marked;
}

namespace {

struct PikeInstrumentLayersPass
    : public mlir::pike::impl::PikeInstrumentLayersBase<PikeInstrumentLayersPass> {
  void runOnOperation() override {
    if (failed(instrumentLayers(getOperation())))
      signalPassFailure();
  }
};

} // namespace
