//===- PikeCostModels.cpp - ACEv2 of pike ops, from their lowering --------===//
//
// A pike op costs what convert-pike-to-linalg emits for it: the op is lowered
// in a scratch function and the linalg and arith ops it becomes are counted.
// So a model costs the same before and after lowering by construction, and
// ACEv2 is defined at the output of the conversion, whatever a later CPU
// pipeline does. tosa.rescale is costed as the pike.requantize that computes
// the same function.
//
//===----------------------------------------------------------------------===//

#include "pike/Analysis/PikeCostModels.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/DialectConversion.h"
#include "pike/Conversion/PikeToLinalg/PikeToLinalg.h"
#include "pike/Dialect/Pike/IR/PikeOps.h"
#include "pike/Interfaces/ArithmeticCostInterface.h"

using namespace mlir;
using namespace mlir::pike;
namespace {

/// The cost of what `op` lowers to, counted in a scratch module.
FailureOr<ArithmeticCost> costOfLowering(Operation *op) {
  MLIRContext *context = op->getContext();
  Location loc = op->getLoc();
  OwningOpRef<ModuleOp> scratch = ModuleOp::create(loc);
  OpBuilder builder(context);
  builder.setInsertionPointToEnd(scratch->getBody());
  auto function = func::FuncOp::create(
      builder, loc, "cost",
      FunctionType::get(context, op->getOperandTypes(), op->getResultTypes()));
  Block *entry = function.addEntryBlock();
  builder.setInsertionPointToEnd(entry);
  // Constant operands stay constants (the lowering may look at them).
  IRMapping mapping;
  for (auto [operand, argument] : llvm::zip(op->getOperands(), entry->getArguments())) {
    Operation *def = operand.getDefiningOp();
    if (def && def->hasTrait<OpTrait::ConstantLike>())
      mapping.map(operand, builder.clone(*def)->getResult(0));
    else
      mapping.map(operand, argument);
  }
  Operation *copy = builder.clone(*op, mapping);
  func::ReturnOp::create(builder, loc, copy->getResults());

  // What cannot be lowered (e.g. dynamic windows) cannot be counted; the
  // analysis reports it, so the conversion's own messages are dropped here.
  ScopedDiagnosticHandler quiet(context, [](Diagnostic &) { return success(); });
  ConversionTarget target(*context);
  configurePikeToLinalgTarget(target);
  RewritePatternSet patterns(context);
  populatePikeToLinalgPatterns(patterns);
  if (failed(applyPartialConversion(function, target, std::move(patterns))))
    return failure();

  ArithmeticCost total;
  for (Operation &lowered : entry->getOperations()) {
    auto costed = dyn_cast<ArithmeticCostOpInterface>(&lowered);
    if (!costed)
      continue;
    FailureOr<ArithmeticCost> cost = costed.getArithmeticCost();
    if (failed(cost))
      return failure();
    total.append(*cost);
  }
  return total;
}

template <typename OpTy>
struct LoweredCostModel
    : public ArithmeticCostOpInterface::ExternalModel<LoweredCostModel<OpTy>, OpTy> {
  FailureOr<ArithmeticCost> getArithmeticCost(Operation *op) const {
    return costOfLowering(op);
  }
};

/// The integer values of a constant tensor, if `value` is one.
std::optional<SmallVector<int64_t>> constantInts(Value value, bool isUnsigned = false) {
  DenseIntElementsAttr elements;
  if (!matchPattern(value, m_Constant(&elements)))
    return std::nullopt;
  SmallVector<int64_t> result;
  for (const APInt &element : elements)
    result.push_back(isUnsigned ? int64_t(element.getZExtValue()) : element.getSExtValue());
  return result;
}

/// tosa.rescale as the pike.requantize that computes the same function
/// (constant multipliers, shifts and zero points), costed like any pike op.
struct TosaRescaleCost
    : public ArithmeticCostOpInterface::ExternalModel<TosaRescaleCost, tosa::RescaleOp> {
  FailureOr<ArithmeticCost> getArithmeticCost(Operation *op) const {
    auto rescale = cast<tosa::RescaleOp>(op);
    std::optional<SmallVector<int64_t>> multipliers = constantInts(rescale.getMultiplier());
    std::optional<SmallVector<int64_t>> shifts = constantInts(rescale.getShift());
    std::optional<SmallVector<int64_t>> inputZp =
        constantInts(rescale.getInputZp(), rescale.getInputUnsigned());
    std::optional<SmallVector<int64_t>> outputZp =
        constantInts(rescale.getOutputZp(), rescale.getOutputUnsigned());
    if (!multipliers || !shifts || !inputZp || !outputZp || inputZp->empty() ||
        outputZp->empty())
      return failure();
    RoundingMode mode = rescale.getRoundingMode() == tosa::RoundingMode::DOUBLE_ROUND &&
                                rescale.getScale32()
                            ? RoundingMode::double_round
                            : RoundingMode::single_round;
    MLIRContext *context = op->getContext();
    ScopedDiagnosticHandler quiet(context, [](Diagnostic &) { return success(); });
    unsigned bits = rescale.getScale32() ? 32 : 16;
    auto multiplierAttr = DenseI64ArrayAttr::get(context, *multipliers);
    auto shiftAttr = DenseI64ArrayAttr::get(context, *shifts);
    if (failed(FixedPointAttr::verify([&] { return emitError(op->getLoc()); }, bits,
                                      multiplierAttr, shiftAttr, mode)))
      return failure(); // not a rescale Pike can express (e.g. its shifts)
    auto fixedPoint = FixedPointAttr::get(context, bits, multiplierAttr, shiftAttr, mode);
    OpBuilder builder(context);
    OwningOpRef<ModuleOp> holder = ModuleOp::create(op->getLoc());
    builder.setInsertionPointToEnd(holder->getBody());
    auto function = func::FuncOp::create(
        builder, op->getLoc(), "rescale",
        FunctionType::get(context, {rescale.getInput().getType()}, {}));
    builder.setInsertionPointToEnd(function.addEntryBlock());
    auto requantize = RequantizeOp::create(
        builder, op->getLoc(), rescale.getOutput().getType(),
        function.getArgument(0), fixedPoint, (*inputZp)[0], (*outputZp)[0],
        rescale.getInputUnsigned(), rescale.getOutputUnsigned(), /*min=*/nullptr,
        /*max=*/nullptr);
    return costOfLowering(requantize);
  }
};

template <typename... Ops>
void attachLowered(MLIRContext *context) {
  (Ops::template attachInterface<LoweredCostModel<Ops>>(*context), ...);
}

} // namespace

void mlir::pike::registerPikeCostModels(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *context, PikeDialect *) {
    attachLowered<QuantizeOp, DequantizeOp, Conv2DOp, FullyConnectedOp, BatchMatmulOp,
                  BatchNormOp, ScaleOp, QuantNormOp, RequantizeOp, ClampOp, AddOp, AvgPool2DOp,
                  MaxPool2DOp, ActivationOp, TableOp, MulOp, SoftmaxOp, LayerNormOp,
                  IntegerSoftmaxOp, IntegerLayerNormOp, Float32SoftmaxOp, Float32LayerNormOp,
                  IntegerStepwiseLayerNormOp, Float32StepwiseLayerNormOp, GatherOp>(context);
  });
  registry.addExtension(+[](MLIRContext *context, tosa::TosaDialect *) {
    tosa::RescaleOp::attachInterface<TosaRescaleCost>(*context);
  });
}
