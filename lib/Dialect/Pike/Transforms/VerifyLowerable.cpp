//===- VerifyLowerable.cpp - Refuse what the pipelines cannot lower -------===//

#include "pike/Dialect/Pike/Transforms/Passes.h"

#include "TransformUtils.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/BuiltinTypes.h"

namespace mlir::pike {
#define GEN_PASS_DEF_PIKEVERIFYLOWERABLE
#include "pike/Dialect/Pike/Transforms/Passes.h.inc"
} // namespace mlir::pike

using namespace mlir;
using namespace mlir::pike;

namespace {

std::string print(Type type) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << type;
  return text;
}

/// Why `op` cannot be lowered, or empty.
std::string check(Operation *op) {
  // Each value once: where it is defined (a result or a block argument).
  SmallVector<Type> defined(op->getResultTypes());
  for (Region &region : op->getRegions())
    for (Block &block : region)
      llvm::append_range(defined, block.getArgumentTypes());
  for (Type type : defined)
    if (isa<UnrankedTensorType>(type))
      return "an unranked tensor " + print(type) + ": Pike lowers ranked tensors only";
  SmallVector<Type> types(op->getOperandTypes());
  llvm::append_range(types, op->getResultTypes());
  if (!isa_and_nonnull<tosa::TosaDialect>(op->getDialect()))
    return "";
  for (Type type : types)
    if (auto shaped = dyn_cast<ShapedType>(type);
        shaped && isa<quant::QuantizedType>(shaped.getElementType()))
      return "'" + op->getName().getStringRef().str() + "' on " + print(type) +
             ": TOSA ops take integers with zero-point operands, not !quant types";
  if (auto table = dyn_cast<tosa::TableOp>(op)) {
    unsigned bits = table.getInput1().getType().getElementTypeBitWidth();
    auto tableType = cast<ShapedType>(table.getTable().getType());
    int64_t needed = bits == 8 ? 256 : bits == 16 ? 513 : 0;
    if (!tableType.hasStaticShape() || tableType.getNumElements() != needed)
      return "a tosa.table of " + print(tableType) + " for i" + std::to_string(bits) +
             " input, which needs " +
             (needed ? std::to_string(needed) + " entries" : std::string("i8 or i16 input"));
  }
  return "";
}

struct PikeVerifyLowerablePass
    : public mlir::pike::impl::PikeVerifyLowerableBase<PikeVerifyLowerablePass> {
  void runOnOperation() override {
    ErrorCap errors;
    getOperation()->walk([&](Operation *op) {
      if (std::string why = check(op); !why.empty())
        errors.report(op, "cannot be lowered: " + why);
    });
    if (errors.finish(getOperation()))
      signalPassFailure();
  }
};

} // namespace
