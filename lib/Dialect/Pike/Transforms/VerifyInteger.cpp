//===- VerifyInteger.cpp - Reject real arithmetic in the inference graph --===//

#include "pike/Dialect/Pike/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
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
  if (isa<arith::ConstantOp>(op) || op->hasTrait<OpTrait::ReturnLike>())
    return true;
  if (isa<FunctionOpInterface, ModuleOp>(op))
    return true;
  return isa_and_nonnull<tensor::TensorDialect>(op->getDialect()) &&
         !isa<tensor::GenerateOp>(op);
}

struct PikeVerifyIntegerPass
    : public mlir::pike::impl::PikeVerifyIntegerBase<PikeVerifyIntegerPass> {
  using PikeVerifyIntegerBase::PikeVerifyIntegerBase;

  bool isBoundary(Operation *op) {
    if (!allowBoundaries)
      return false;
    if (auto quantize = dyn_cast<QuantizeOp>(op))
      return isa<BlockArgument>(quantize.getInput());
    if (auto dequantize = dyn_cast<DequantizeOp>(op))
      return llvm::all_of(dequantize->getUsers(), [](Operation *user) {
        return user->hasTrait<OpTrait::ReturnLike>();
      });
    return false;
  }

  void runOnOperation() override {
    bool failedCheck = false;
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
      op->emitError() << "real arithmetic left in the inference graph: '"
                      << op->getName() << "' computes on " << realType;
      failedCheck = true;
    });
    if (failedCheck)
      signalPassFailure();
  }
};

} // namespace
