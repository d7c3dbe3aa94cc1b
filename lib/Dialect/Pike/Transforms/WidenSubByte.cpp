//===- WidenSubByte.cpp - Integers of fewer than 8 bits stored in bytes ---===//
//
// An i2..i7 value becomes an i8 holding its bits sign-extended. That mapping
// keeps signed and unsigned order and equality, so compares, min/max and
// max pooling read the bytes as they read the narrow values; only
// zero-extension (a mask) and truncation (sign-extend the kept bits) change.
//
//===----------------------------------------------------------------------===//

#include "pike/Dialect/Pike/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AttrTypeSubElements.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"

namespace mlir::pike {
#define GEN_PASS_DEF_PIKEWIDENSUBBYTE
#include "pike/Dialect/Pike/Transforms/Passes.h.inc"
} // namespace mlir::pike

using namespace mlir;

namespace {

/// The width of a sub-byte integer (scalar or element), else 0.
unsigned subByteWidth(Type type) {
  auto integer = dyn_cast<IntegerType>(getElementTypeOrSelf(type));
  if (!integer || integer.getWidth() <= 1 || integer.getWidth() >= 8)
    return 0;
  return integer.getWidth();
}

bool touchesSubByte(Operation *op) {
  return llvm::any_of(op->getOperandTypes(), subByteWidth) ||
         llvm::any_of(op->getResultTypes(), subByteWidth);
}

/// Ops whose meaning does not depend on the width of the integers they
/// carry, or reads them only through order and equality.
bool keepsMeaningInBytes(Operation *op) {
  if (isa<arith::CmpIOp, arith::SelectOp, arith::MaxSIOp, arith::MaxUIOp, arith::MinSIOp,
          arith::MinUIOp>(op))
    return true;
  StringRef dialect = op->getName().getDialectNamespace();
  if (dialect == "tensor" || dialect == "func")
    return true;
  if (isa<linalg::GenericOp, linalg::YieldOp, linalg::FillOp, linalg::TransposeOp,
          linalg::CopyOp, linalg::BroadcastOp, linalg::PoolingNhwcMaxOp,
          linalg::PoolingNhwcMaxUnsignedOp, linalg::PoolingNhwcMinOp,
          linalg::PoolingNhwcMinUnsignedOp>(op))
    return true;
  return false;
}

Value constantOf(OpBuilder &builder, Location loc, Type type, int64_t value) {
  return arith::ConstantOp::create(builder, loc, builder.getIntegerAttr(type, value));
}

LogicalResult widenConstant(arith::ConstantOp constant, OpBuilder &builder) {
  Type i8 = builder.getI8Type();
  Type type = constant.getType();
  Type wide = isa<ShapedType>(type) ? cast<ShapedType>(type).clone(i8) : i8;
  Attribute widened;
  if (auto dense = dyn_cast<DenseIntElementsAttr>(constant.getValue()))
    widened = dense.mapValues(i8, [](const APInt &v) { return v.sext(8); });
  else if (auto integer = dyn_cast<IntegerAttr>(constant.getValue()))
    widened = IntegerAttr::get(i8, integer.getValue().sext(8));
  else
    return constant.emitError("pike-widen-sub-byte: cannot widen this constant");
  builder.setInsertionPoint(constant);
  auto replacement =
      arith::ConstantOp::create(builder, constant.getLoc(), wide, cast<TypedAttr>(widened));
  constant.getResult().replaceAllUsesWith(replacement.getResult());
  constant.erase();
  return success();
}

/// The byte holds the bits sign-extended: an extui keeps the low bits only.
void widenExtUI(arith::ExtUIOp ext, unsigned bits, OpBuilder &builder) {
  Type out = ext.getType();
  Location loc = ext.getLoc();
  builder.setInsertionPointAfter(ext);
  Value mask = constantOf(builder, loc, out, (int64_t(1) << bits) - 1);
  if (out.getIntOrFloatBitWidth() > 8) {
    auto masked = arith::AndIOp::create(builder, loc, ext.getResult(), mask);
    ext.getResult().replaceAllUsesExcept(masked.getResult(), masked);
    return;
  }
  // An extui to i8 becomes the mask of the byte itself.
  auto masked = arith::AndIOp::create(builder, loc, ext.getIn(), mask);
  ext.getResult().replaceAllUsesWith(masked.getResult());
  ext.erase();
}

/// A truncation to N bits keeps the low N bits, sign-extended in the byte.
void widenTruncI(arith::TruncIOp trunc, unsigned bits, OpBuilder &builder) {
  Location loc = trunc.getLoc();
  builder.setInsertionPoint(trunc);
  Type i8 = builder.getI8Type();
  Value byte = trunc.getIn().getType().getIntOrFloatBitWidth() > 8
                   ? Value(arith::TruncIOp::create(builder, loc, i8, trunc.getIn()))
                   : trunc.getIn();
  Value shift = constantOf(builder, loc, i8, 8 - bits);
  Value high = arith::ShLIOp::create(builder, loc, byte, shift);
  Value extended = arith::ShRSIOp::create(builder, loc, high, shift);
  trunc.getResult().replaceAllUsesWith(extended);
  trunc.erase();
}

/// Rewrites the ops whose meaning changes with the width, before the types
/// change: the new ops are built to be right once they have. Every other op
/// touching a sub-byte integer must keep its meaning in bytes.
LogicalResult rewriteWidthDependentOps(ModuleOp module) {
  SmallVector<Operation *> toRewrite;
  WalkResult checked = module.walk([&](Operation *op) -> WalkResult {
    if (!touchesSubByte(op))
      return WalkResult::advance();
    if (isa<arith::ConstantOp, arith::ExtUIOp, arith::ExtSIOp, arith::TruncIOp>(op)) {
      if (isa<arith::ExtUIOp, arith::TruncIOp>(op) && isa<ShapedType>(op->getResultTypes()[0]))
        return op->emitError("pike-widen-sub-byte: only scalar extensions and truncations "
                             "(in linalg bodies) are widened");
      toRewrite.push_back(op);
      return WalkResult::advance();
    }
    if (keepsMeaningInBytes(op))
      return WalkResult::advance();
    return op->emitError("pike-widen-sub-byte: '")
           << op->getName() << "' on integers of fewer than 8 bits would change meaning "
           << "in bytes";
  });
  if (checked.wasInterrupted())
    return failure();
  OpBuilder builder(module.getContext());
  for (Operation *op : toRewrite) {
    if (auto constant = dyn_cast<arith::ConstantOp>(op)) {
      if (failed(widenConstant(constant, builder)))
        return failure();
    } else if (auto ext = dyn_cast<arith::ExtUIOp>(op)) {
      if (unsigned bits = subByteWidth(ext.getIn().getType()))
        widenExtUI(ext, bits, builder);
    } else if (auto ext = dyn_cast<arith::ExtSIOp>(op)) {
      // Already sign-extended: an extsi to i8 is the byte itself.
      if (subByteWidth(ext.getIn().getType()) && ext.getType().getIntOrFloatBitWidth() == 8) {
        ext.getResult().replaceAllUsesWith(ext.getIn());
        ext.erase();
      }
    } else if (auto trunc = dyn_cast<arith::TruncIOp>(op)) {
      if (unsigned bits = subByteWidth(trunc.getType()))
        widenTruncI(trunc, bits, builder);
    }
  }
  return success();
}

struct PikeWidenSubBytePass
    : public mlir::pike::impl::PikeWidenSubByteBase<PikeWidenSubBytePass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (failed(rewriteWidthDependentOps(module)))
      return signalPassFailure();
    AttrTypeReplacer replacer;
    replacer.addReplacement([](IntegerType type) -> std::optional<Type> {
      if (!subByteWidth(type))
        return std::nullopt;
      return IntegerType::get(type.getContext(), 8);
    });
    replacer.recursivelyReplaceElementsIn(module, /*replaceAttrs=*/true, /*replaceLocs=*/false,
                                          /*replaceTypes=*/true);
  }
};

} // namespace
