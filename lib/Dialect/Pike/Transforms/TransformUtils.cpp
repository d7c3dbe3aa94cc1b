//===- TransformUtils.cpp - Helpers shared by the pike passes -------------===//

#include "TransformUtils.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"
#include "pike/Numerics/FixedPoint.h"

#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace mlir::pike;

std::optional<SmallVector<double>> mlir::pike::getConstantReals(Value value) {
  DenseFPElementsAttr attr;
  if (!matchPattern(value, m_Constant(&attr)))
    return std::nullopt;
  SmallVector<double> values;
  values.reserve(attr.getNumElements());
  for (APFloat element : attr.getValues<APFloat>()) {
    bool losesInfo;
    element.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven,
                    &losesInfo);
    values.push_back(element.convertToDouble());
  }
  return values;
}

Attribute mlir::pike::findModelAttr(Operation *root, StringRef name) {
  for (Operation *op = root; op; op = op->getParentOp())
    if (Attribute attr = op->getAttr(name))
      return attr;
  return {};
}

RoundingMode mlir::pike::resolveRounding(Operation *root,
                                         const Pass::Option<RoundingMode> &option) {
  if (option.hasValue())
    return option;
  if (auto attr = dyn_cast_or_null<RoundingModeAttr>(findModelAttr(root, PikeDialect::RoundingAttrHelper::getNameStr())))
    return attr.getValue();
  return option; // the default
}

unsigned mlir::pike::resolveModelOption(Operation *root,
                                        const Pass::Option<unsigned> &option,
                                        StringRef attrName) {
  if (option.hasValue())
    return option;
  if (auto attr = dyn_cast_or_null<IntegerAttr>(findModelAttr(root, attrName)))
    return unsigned(attr.getValue().getZExtValue());
  return option; // the default
}

LogicalResult mlir::pike::applyPikePatterns(Operation *root,
                                            RewritePatternSet &&patterns) {
  bool reportedError = false;
  ScopedDiagnosticHandler errors(root->getContext(), [&](Diagnostic &diag) {
    reportedError |= diag.getSeverity() == DiagnosticSeverity::Error;
    return failure(); // not handled here: on to the caller's handlers
  });
  GreedyRewriteConfig config;
  config.setStrictness(GreedyRewriteStrictness::ExistingOps)
      .enableFolding(false)
      .enableConstantCSE(false)
      .setRegionSimplificationLevel(GreedySimplifyRegionLevel::Disabled);
  if (failed(applyPatternsGreedily(root, std::move(patterns), config)))
    return failure();
  return failure(reportedError);
}

QuantizeOp mlir::pike::getQuantizeConsumer(Value value, ClampOp *clamp) {
  if (!value.hasOneUse())
    return nullptr;
  Operation *user = *value.getUsers().begin();
  if (auto clampOp = dyn_cast<ClampOp>(user)) {
    if (!clampOp.getOutput().hasOneUse())
      return nullptr;
    if (clamp)
      *clamp = clampOp;
    user = *clampOp.getOutput().getUsers().begin();
  }
  auto quantize = dyn_cast<QuantizeOp>(user);
  // Fixed-point requantization rounds to nearest; other roundings stay real.
  if (!quantize || quantize.getQuantizer().isPerChannel() ||
      quantize.getRounding() != QuantizeRounding::half_even)
    return nullptr;
  return quantize;
}

bool mlir::pike::isSignQuantize(QuantizeOp quantize) {
  QuantizerAttr out = quantize.getQuantizer();
  return quantize.getRounding() == QuantizeRounding::floor && out.getBits() == 1 &&
         out.getIsSigned() && !out.isPerChannel() && out.getZeroPoint(0) == 0;
}

FixedPointAttr mlir::pike::makeFixedPoint(MLIRContext *context, unsigned bits,
                                          ArrayRef<int64_t> multipliers,
                                          ArrayRef<int64_t> shifts,
                                          RoundingMode rounding) {
  auto fold = [](ArrayRef<int64_t> values) {
    SmallVector<int64_t> result(values);
    if (!result.empty() && llvm::all_equal(result))
      result.resize(1);
    return result;
  };
  SmallVector<int64_t> foldedShifts = fold(shifts);
  // Multipliers stay per channel unless the shifts are shared too.
  SmallVector<int64_t> foldedMultipliers =
      foldedShifts.size() == 1 ? fold(multipliers) : SmallVector<int64_t>(multipliers);
  // Double rounding is single rounding where it cannot apply (TOSA).
  if (rounding == RoundingMode::double_round && !roundsMultipliersOf(rounding, bits))
    rounding = RoundingMode::single_round;
  return FixedPointAttr::get(context, bits,
                             DenseI64ArrayAttr::get(context, foldedMultipliers),
                             DenseI64ArrayAttr::get(context, foldedShifts),
                             rounding);
}

bool mlir::pike::isMacAccumulator(Value value) {
  // A reshape keeps the accumulator's values: a [batch, tokens, width]
  // product runs as a fully connected one on its rows.
  Operation *op = value.getDefiningOp();
  while (isa_and_nonnull<tensor::ExpandShapeOp, tensor::CollapseShapeOp>(op))
    op = op->getOperand(0).getDefiningOp();
  return isa_and_nonnull<Conv2DOp, FullyConnectedOp, BatchMatmulOp>(op);
}

unsigned mlir::pike::signedBitsNeeded(int64_t value) {
  return ::mlir::pike::numerics::signedBitsFor(value < 0 ? -(value + 1) : value);
}

void ErrorCap::report(Operation *op, const Twine &message) {
  if (count++ < limit)
    op->emitError(message);
}

bool ErrorCap::finish(Operation *root) {
  if (count > limit)
    root->emitError() << (count - limit) << " more error(s) like these not shown ("
                      << count << " in all)";
  return count > 0;
}
