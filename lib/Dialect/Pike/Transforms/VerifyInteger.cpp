//===- VerifyInteger.cpp - Reject real arithmetic in the inference graph --===//

#include "pike/Dialect/Pike/Transforms/Passes.h"

#include "TransformUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "pike/Dialect/Pike/IR/PikeOps.h"

namespace mlir::pike {
#define GEN_PASS_DEF_PIKEVERIFYINTEGER
#include "pike/Dialect/Pike/Transforms/Passes.h.inc"
} // namespace mlir::pike

using namespace mlir;
using namespace mlir::pike;

namespace {

bool isReal(Type type) {
  return isa<FloatType>(getElementTypeOrSelf(type));
}

/// Ops that move or hold data without computing on it.
bool isDataMovement(Operation *op) {
  if (isa<arith::ConstantOp, linalg::TransposeOp, linalg::BroadcastOp,
          linalg::CopyOp>(op) ||
      op->hasTrait<OpTrait::ReturnLike>())
    return true;
  if (isa<FunctionOpInterface, ModuleOp>(op))
    return true;
  return isa_and_nonnull<tensor::TensorDialect>(op->getDialect()) &&
         !isa<tensor::GenerateOp>(op);
}

/// Whether `value` is a function argument, seen through data movement
/// (e.g. the layout transpose of an imported model's input).
bool comesFromArgument(Value value) {
  while (Operation *def = value.getDefiningOp()) {
    if (!isDataMovement(def) || def->getNumOperands() == 0)
      return false;
    value = def->getOperand(0);
  }
  return isa<BlockArgument>(value);
}

/// Whether every use of `value` leaves the function, through data movement.
bool onlyLeaves(Value value) {
  return llvm::all_of(value.getUsers(), [](Operation *user) {
    if (user->hasTrait<OpTrait::ReturnLike>())
      return true;
    return isDataMovement(user) && user->getNumResults() == 1 &&
           onlyLeaves(user->getResult(0));
  });
}

struct PikeVerifyIntegerPass
    : public mlir::pike::impl::PikeVerifyIntegerBase<PikeVerifyIntegerPass> {
  using PikeVerifyIntegerBase::PikeVerifyIntegerBase;

  bool isBoundary(Operation *op) {
    if (!allowBoundaries)
      return false;
    if (auto quantize = dyn_cast<QuantizeOp>(op))
      return comesFromArgument(quantize.getInput());
    if (auto dequantize = dyn_cast<DequantizeOp>(op))
      return onlyLeaves(dequantize.getOutput());
    return false;
  }

  void runOnOperation() override {
    ErrorCap errors;
    getOperation()->walk([&](Operation *op) {
      if (isDataMovement(op) || isBoundary(op))
        return;
      auto realOperand = llvm::find_if(op->getOperandTypes(), isReal);
      auto realResult = llvm::find_if(op->getResultTypes(), isReal);
      if (realOperand == op->getOperandTypes().end() &&
          realResult == op->getResultTypes().end())
        return;
      Type realType = realOperand != op->getOperandTypes().end() ? *realOperand
                                                                  : *realResult;
      std::string type;
      llvm::raw_string_ostream os(type);
      os << realType;
      errors.report(op, "real arithmetic left in the inference graph: '" +
                            op->getName().getStringRef() + "' computes on '" + type + "'");
    });
    if (errors.finish(getOperation()))
      signalPassFailure();
  }
};

} // namespace
