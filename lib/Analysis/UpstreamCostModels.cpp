//===- UpstreamCostModels.cpp - ArithmeticCost for linalg, arith, tosa ----===//
//
// linalg ops are counted from their body, executed once per point of their
// iteration space; an add that accumulates a product into the output of an
// op with reduction loops is a MAC. Operands count at the width of their
// element type, followed back through what only moves or widens data
// (tensor.pad, reshapes, transposes, and the widening/zero-point centering
// generics convert-pike-to-linalg emits). docs/ACEv2.md has the rules.
//
//===----------------------------------------------------------------------===//

#include "pike/Analysis/UpstreamCostModels.h"

#include "pike/Dialect/Pike/IR/PikeOps.h"
#include "pike/Dialect/Pike/Transforms/Passes.h"
#include "pike/Interfaces/ArithmeticCostInterface.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/TypeUtilities.h"

#include <functional>

using namespace mlir;
using namespace mlir::pike;
using Width = ScalarCounter::Width;

namespace {

Width typeWidth(Type type) {
  type = getElementTypeOrSelf(type);
  // A !quant element (TOSA's older form) costs as its stored integers.
  if (auto quantized = dyn_cast<quant::QuantizedType>(type))
    return ScalarCounter::integer(quantized.getStorageTypeIntegralWidth());
  if (!type.isIntOrFloat() && !type.isIndex())
    return ScalarCounter::integer(64);
  if (isa<FloatType>(type))
    return ScalarCounter::real(type.getIntOrFloatBitWidth());
  if (type.isIndex())
    return ScalarCounter::integer(64);
  return ScalarCounter::integer(type.getIntOrFloatBitWidth());
}

bool isCast(Operation *op) {
  return isa<arith::ExtSIOp, arith::ExtUIOp, arith::TruncIOp, arith::SIToFPOp,
             arith::UIToFPOp, arith::FPToSIOp, arith::FPToUIOp, arith::ExtFOp,
             arith::TruncFOp, arith::IndexCastOp, arith::IndexCastUIOp, arith::BitcastOp>(op);
}

/// A generic that only widens its one input and adds or subtracts
/// constants (zero-point centering): data, not a change of width.
bool isCentering(linalg::GenericOp generic) {
  if (generic.getNumDpsInputs() != 1 || generic.getNumReductionLoops() != 0)
    return false;
  for (Operation &op : generic.getBody()->without_terminator()) {
    if (isCast(&op) || isa<arith::ConstantOp>(op))
      continue;
    if (!isa<arith::SubIOp, arith::AddIOp>(op))
      return false;
    bool constantOperand = llvm::any_of(op.getOperands(), [](Value v) {
      Operation *def = v.getDefiningOp();
      while (def && isCast(def))
        def = def->getOperand(0).getDefiningOp();
      return isa_and_nonnull<arith::ConstantOp>(def);
    });
    if (!constantOperand)
      return false;
  }
  return true;
}

/// The width a tensor operand counts at.
Width operandWidth(Value value) {
  while (Operation *def = value.getDefiningOp()) {
    if (auto pad = dyn_cast<tensor::PadOp>(def))
      value = pad.getSource();
    else if (isa<tensor::CollapseShapeOp, tensor::ExpandShapeOp, tensor::CastOp,
                 tensor::ExtractSliceOp>(def))
      value = def->getOperand(0);
    else if (auto transpose = dyn_cast<linalg::TransposeOp>(def))
      value = transpose.getInput();
    else if (auto generic = dyn_cast<linalg::GenericOp>(def);
             generic && isCentering(generic))
      value = generic.getDpsInputs()[0];
    else
      break;
  }
  return typeWidth(value.getType());
}

unsigned limitOf(Operation *op) {
  return typeWidth(op->getResult(0).getType()).bits;
}

/// Counts one execution of `block` (a linalg body) given the widths of its
/// arguments; `outputs` are the block arguments of the op's outputs.
ScalarCounter countBody(Block &block, DenseMap<Value, Width> widths,
                        ArrayRef<BlockArgument> outputs, bool hasReduction) {
  ScalarCounter counter;
  auto width = [&](Value v) {
    auto it = widths.find(v);
    return it != widths.end() ? it->second : typeWidth(v.getType());
  };
  auto isOutput = [&](Value v) { return llvm::is_contained(outputs, v); };
  // Products accumulated into an output are MACs, not a multiply and an add.
  DenseSet<Operation *> accumulatedProducts;
  if (hasReduction)
    for (Operation &op : block.without_terminator())
      if (isa<arith::AddIOp, arith::AddFOp>(op))
        for (int i = 0; i < 2; ++i) {
          Operation *product = op.getOperand(1 - i).getDefiningOp();
          if (isOutput(op.getOperand(i)) &&
              isa_and_nonnull<arith::MulIOp, arith::MulFOp>(product))
            accumulatedProducts.insert(product);
        }

  DenseMap<Operation *, std::pair<Width, Width>> macOperands;
  std::function<void(Operation &)> count = [&](Operation &op) {
    if (op.getNumResults() != 1)
      return;
    Value result = op.getResult(0);
    if (auto constant = dyn_cast<arith::ConstantOp>(op)) {
      widths[result] = typeWidth(constant.getType());
      return;
    }
    if (isa<linalg::IndexOp>(op)) {
      widths[result] = ScalarCounter::integer(64);
      return;
    }
    if (isCast(&op)) {
      Width source = width(op.getOperand(0));
      Width target = typeWidth(result.getType());
      if (source.isFloat != target.isFloat || isa<arith::TruncIOp, arith::TruncFOp>(op))
        widths[result] = target.isFloat == source.isFloat
                             ? Width{std::min(source.bits, target.bits), source.isFloat}
                             : target;
      else
        widths[result] = source; // widening keeps the value's width
      return;
    }
    if (isa<arith::MulIOp, arith::MulFOp, arith::DivSIOp, arith::DivUIOp,
            arith::FloorDivSIOp, arith::CeilDivSIOp, arith::CeilDivUIOp,
            arith::DivFOp, arith::RemSIOp, arith::RemUIOp, arith::RemFOp>(op)) {
      Width a = width(op.getOperand(0)), b = width(op.getOperand(1));
      if (accumulatedProducts.contains(&op)) {
        macOperands[&op] = {a, b};
        widths[result] = typeWidth(result.getType());
        return;
      }
      widths[result] = counter.mul(a, b, limitOf(&op));
      return;
    }
    if (isa<math::FmaOp>(op)) {
      // A multiply and an add (the CPU kernels' float64 requantization).
      Width product = counter.mul(width(op.getOperand(0)), width(op.getOperand(1)),
                                  limitOf(&op));
      widths[result] = counter.add(product, width(op.getOperand(2)), limitOf(&op));
      return;
    }
    if (isa<arith::AddIOp, arith::AddFOp, arith::SubIOp, arith::SubFOp>(op)) {
      Operation *product = nullptr;
      for (Value operand : op.getOperands())
        if (Operation *def = operand.getDefiningOp(); def && macOperands.count(def))
          product = def;
      if (product) {
        auto [a, b] = macOperands[product];
        counter.mac(a, b);
        widths[result] = typeWidth(result.getType());
        return;
      }
      widths[result] = counter.add(width(op.getOperand(0)), width(op.getOperand(1)),
                                   limitOf(&op));
      return;
    }
    if (auto applyScale = dyn_cast<ApplyScaleOp>(op)) {
      // What pike-expand-apply-scale emits for it, built aside and counted
      // op by op: the lowered and the expanded form cost the same.
      Block scratch;
      OpBuilder builder(op.getContext());
      builder.setInsertionPointToEnd(&scratch);
      Value expanded = buildApplyScaleExpansion(
          builder, op.getLoc(), applyScale.getValue(), applyScale.getMultiplier(),
          applyScale.getAddend(), applyScale.getShift(), applyScale.getRounding());
      for (Operation &step : scratch)
        count(step);
      widths[result] = width(expanded);
      return;
    }
    if (isa<tensor::ExtractOp>(op)) {
      // A read of a table (pike.table's lowering); the index is data movement.
      widths[result] = counter.lookup(typeWidth(result.getType()));
      return;
    }
    if (isa<arith::SelectOp>(op)) {
      widths[result] = counter.other(width(op.getOperand(1)), width(op.getOperand(2)));
      return;
    }
    if (isa<arith::CmpIOp, arith::CmpFOp>(op)) {
      counter.other(width(op.getOperand(0)), width(op.getOperand(1)));
      widths[result] = ScalarCounter::integer(1);
      return;
    }
    // Min/max, shifts, rounding, square roots, negation: one other op.
    Width a = width(op.getOperand(0));
    Width b = op.getNumOperands() > 1 ? width(op.getOperand(1)) : a;
    widths[result] = counter.other(a, b);
  };
  for (Operation &op : block.without_terminator())
    count(op);
  return counter;
}

FailureOr<ArithmeticCost> linalgCost(linalg::LinalgOp op) {
  int64_t points = 1;
  for (int64_t range : op.getStaticLoopRanges()) {
    if (ShapedType::isDynamic(range))
      return failure();
    points *= range;
  }
  Block *body = op.getBlock();
  DenseMap<Value, Width> widths;
  SmallVector<BlockArgument> outputs;
  for (OpOperand &operand : op->getOpOperands()) {
    BlockArgument arg = op.getMatchingBlockArgument(&operand);
    if (op.isDpsInit(&operand)) {
      widths[arg] = typeWidth(operand.get().getType());
      outputs.push_back(arg);
    } else {
      widths[arg] = operandWidth(operand.get());
    }
  }
  ScalarCounter counter =
      countBody(*body, widths, outputs, op.getNumReductionLoops() > 0);
  return counter.scaled(points);
}

template <typename OpTy>
struct LinalgCostModel
    : public ArithmeticCostOpInterface::ExternalModel<LinalgCostModel<OpTy>, OpTy> {
  FailureOr<ArithmeticCost> getArithmeticCost(Operation *op) const {
    return linalgCost(cast<linalg::LinalgOp>(op));
  }
};

/// One arith op: once per element on tensors, once on scalars (outside a
/// linalg body, which its parent counts).
template <typename OpTy>
struct ArithCostModel
    : public ArithmeticCostOpInterface::ExternalModel<ArithCostModel<OpTy>, OpTy> {
  FailureOr<ArithmeticCost> getArithmeticCost(Operation *op) const {
    int64_t elements = 1;
    if (auto shaped = dyn_cast<ShapedType>(op->getResult(0).getType())) {
      if (!shaped.hasStaticShape())
        return failure();
      elements = shaped.getNumElements();
    }
    Block block;
    OpBuilder builder(op->getContext());
    builder.setInsertionPointToStart(&block);
    DenseMap<Value, Width> widths;
    SmallVector<Value> scalars;
    for (Value operand : op->getOperands()) {
      Type element = getElementTypeOrSelf(operand.getType());
      Value arg = block.addArgument(element, op->getLoc());
      widths[arg] = operandWidth(operand);
      scalars.push_back(arg);
    }
    OperationState state(op->getLoc(), op->getName());
    state.addOperands(scalars);
    state.addAttributes(op->getAttrs());
    for (Type type : op->getResultTypes())
      state.addTypes(getElementTypeOrSelf(type));
    Operation *scalar = builder.create(state);
    ScalarCounter counter = countBody(block, widths, {}, false);
    scalar->erase();
    return counter.scaled(elements);
  }
};

/// MACs of a tosa convolution: output elements times the kernel volume.
FailureOr<ArithmeticCost> tosaMacs(Operation *op, Value input, Value weight,
                                   int64_t termsPerOutput) {
  auto output = cast<ShapedType>(op->getResult(0).getType());
  if (!output.hasStaticShape() || ShapedType::isDynamic(termsPerOutput))
    return failure();
  ScalarCounter counter;
  counter.mac(operandWidth(input), operandWidth(weight));
  return counter.scaled(output.getNumElements() * termsPerOutput);
}

struct TosaConv2DCost
    : public ArithmeticCostOpInterface::ExternalModel<TosaConv2DCost, tosa::Conv2DOp> {
  FailureOr<ArithmeticCost> getArithmeticCost(Operation *op) const {
    auto conv = cast<tosa::Conv2DOp>(op);
    auto weight = cast<ShapedType>(conv.getWeight().getType()); // [F, KH, KW, C]
    return tosaMacs(op, conv.getInput(), conv.getWeight(),
                    weight.getDimSize(1) * weight.getDimSize(2) * weight.getDimSize(3));
  }
};

struct TosaDepthwiseCost
    : public ArithmeticCostOpInterface::ExternalModel<TosaDepthwiseCost,
                                                      tosa::DepthwiseConv2DOp> {
  FailureOr<ArithmeticCost> getArithmeticCost(Operation *op) const {
    auto conv = cast<tosa::DepthwiseConv2DOp>(op);
    auto weight = cast<ShapedType>(conv.getWeight().getType()); // [KH, KW, C, M]
    return tosaMacs(op, conv.getInput(), conv.getWeight(),
                    weight.getDimSize(0) * weight.getDimSize(1));
  }
};

struct TosaMatMulCost
    : public ArithmeticCostOpInterface::ExternalModel<TosaMatMulCost, tosa::MatMulOp> {
  FailureOr<ArithmeticCost> getArithmeticCost(Operation *op) const {
    auto matmul = cast<tosa::MatMulOp>(op);
    auto a = cast<ShapedType>(matmul.getA().getType()); // [N, H, C]
    return tosaMacs(op, matmul.getA(), matmul.getB(), a.getDimSize(2));
  }
};

/// A tosa elementwise op: one operation of `Kind` per result element, at
/// the widths of its (up to two) first operands.
template <typename OpTy, ArithmeticKind Kind>
struct TosaElementwiseCost
    : public ArithmeticCostOpInterface::ExternalModel<TosaElementwiseCost<OpTy, Kind>, OpTy> {
  FailureOr<ArithmeticCost> getArithmeticCost(Operation *op) const {
    auto result = cast<ShapedType>(op->getResult(0).getType());
    if (!result.hasStaticShape())
      return failure();
    Width a = operandWidth(op->getOperand(0));
    Width b = op->getNumOperands() > 1 ? operandWidth(op->getOperand(1)) : a;
    ScalarCounter counter;
    unsigned limit = typeWidth(result).bits;
    if (Kind == ArithmeticKind::Mul)
      counter.mul(a, b, limit);
    else if (Kind == ArithmeticKind::Add)
      counter.add(a, b, limit);
    else if (Kind == ArithmeticKind::Lookup)
      counter.lookup(typeWidth(result));
    else
      counter.other(a, b);
    return counter.scaled(result.getNumElements());
  }
};

/// tosa pooling and reductions: one operation per input element folded in
/// (adds for sums, compares for max/min), plus the average's division.
template <typename OpTy, ArithmeticKind Kind>
struct TosaWindowCost
    : public ArithmeticCostOpInterface::ExternalModel<TosaWindowCost<OpTy, Kind>, OpTy> {
  FailureOr<ArithmeticCost> getArithmeticCost(Operation *op) const {
    auto input = cast<ShapedType>(op->getOperand(0).getType());
    auto result = cast<ShapedType>(op->getResult(0).getType());
    if (!input.hasStaticShape() || !result.hasStaticShape())
      return failure();
    int64_t window = 1;
    if (auto kernel = op->getAttrOfType<DenseI64ArrayAttr>("kernel"))
      for (int64_t k : kernel.asArrayRef())
        window *= k;
    else
      window = input.getNumElements() / std::max<int64_t>(result.getNumElements(), 1);
    Width x = operandWidth(op->getOperand(0));
    ScalarCounter fold, divide;
    if (Kind == ArithmeticKind::Add) // into a 32-bit (or real) accumulator
      fold.add(x.isFloat ? x : ScalarCounter::integer(32), x, 64);
    else
      fold.other(x, x);
    ArithmeticCost cost;
    cost.append(fold.cost(), result.getNumElements() * window);
    if (isa<tosa::AvgPool2dOp>(op)) {
      divide.mul(ScalarCounter::integer(32), ScalarCounter::integer(32), 64);
      cost.append(divide.cost(), result.getNumElements());
    }
    return cost;
  }
};

template <ArithmeticKind Kind, typename... Ops>
void attachTosaElementwise(MLIRContext *context) {
  (Ops::template attachInterface<TosaElementwiseCost<Ops, Kind>>(*context), ...);
}

template <typename... Ops>
void attachLinalg(MLIRContext *context) {
  (Ops::template attachInterface<LinalgCostModel<Ops>>(*context), ...);
}

template <typename... Ops>
void attachArith(MLIRContext *context) {
  (Ops::template attachInterface<ArithCostModel<Ops>>(*context), ...);
}

} // namespace

void mlir::pike::registerArithmeticCostExternalModels(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *context, linalg::LinalgDialect *) {
    attachLinalg<
#define GET_OP_LIST
#include "mlir/Dialect/Linalg/IR/LinalgStructuredOps.cpp.inc"
        >(context);
  });
  registry.addExtension(+[](MLIRContext *context, arith::ArithDialect *) {
    attachArith<arith::AddIOp, arith::AddFOp, arith::SubIOp, arith::SubFOp,
                arith::MulIOp, arith::MulFOp, arith::DivFOp, arith::DivSIOp,
                arith::FloorDivSIOp, arith::MaxSIOp, arith::MinSIOp,
                arith::MaxUIOp, arith::MinUIOp, arith::MaximumFOp,
                arith::MinimumFOp, arith::MaxNumFOp, arith::MinNumFOp,
                arith::ShRSIOp, arith::ShLIOp, arith::CmpIOp, arith::CmpFOp,
                arith::SelectOp>(context);
  });
  // The rounding and fused multiply-add of the CPU kernels' float64
  // requantization, where they sit in loops outside any linalg body.
  registry.addExtension(+[](MLIRContext *context, math::MathDialect *) {
    attachArith<math::FmaOp, math::FloorOp, math::RoundOp, math::RoundEvenOp>(context);
  });
  registry.addExtension(+[](MLIRContext *context, tosa::TosaDialect *) {
    tosa::Conv2DOp::attachInterface<TosaConv2DCost>(*context);
    tosa::DepthwiseConv2DOp::attachInterface<TosaDepthwiseCost>(*context);
    tosa::MatMulOp::attachInterface<TosaMatMulCost>(*context);
    attachTosaElementwise<ArithmeticKind::Add, tosa::AddOp, tosa::SubOp,
                          tosa::NegateOp>(context);
    attachTosaElementwise<ArithmeticKind::Mul, tosa::MulOp, tosa::IntDivOp,
                          tosa::ReciprocalOp, tosa::PowOp>(context);
    attachTosaElementwise<ArithmeticKind::Other, tosa::ClampOp, tosa::MaximumOp,
                          tosa::MinimumOp, tosa::GreaterOp, tosa::GreaterEqualOp,
                          tosa::EqualOp, tosa::SelectOp, tosa::AbsOp,
                          tosa::ArithmeticRightShiftOp, tosa::LogicalLeftShiftOp,
                          tosa::LogicalRightShiftOp, tosa::SigmoidOp,
                          tosa::TanhOp, tosa::ExpOp, tosa::RsqrtOp, tosa::FloorOp,
                          tosa::CeilOp, tosa::ErfOp, tosa::LogOp>(context);
    // A table read, as pike.table (docs/ACEv2.md rule 6).
    attachTosaElementwise<ArithmeticKind::Lookup, tosa::TableOp>(context);
    tosa::AvgPool2dOp::attachInterface<TosaWindowCost<tosa::AvgPool2dOp, ArithmeticKind::Add>>(*context);
    tosa::ReduceSumOp::attachInterface<TosaWindowCost<tosa::ReduceSumOp, ArithmeticKind::Add>>(*context);
    tosa::MaxPool2dOp::attachInterface<TosaWindowCost<tosa::MaxPool2dOp, ArithmeticKind::Other>>(*context);
    tosa::ReduceMaxOp::attachInterface<TosaWindowCost<tosa::ReduceMaxOp, ArithmeticKind::Other>>(*context);
    tosa::ReduceMinOp::attachInterface<TosaWindowCost<tosa::ReduceMinOp, ArithmeticKind::Other>>(*context);
  });
}
