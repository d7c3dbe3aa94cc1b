//===- PikeFolds.cpp - Folders of the pike ops ----------------------------===//
//
// Constant folding goes through the numerics library, the one definition of
// Pike's integer arithmetic (docs/Numerics.md).
//
//===----------------------------------------------------------------------===//

#include "pike/Dialect/Pike/IR/PikeOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/TypeUtilities.h"
#include "pike/Numerics/FixedPoint.h"

using namespace mlir;
using namespace mlir::pike;
namespace num = ::mlir::pike::numerics;

namespace {

/// The value of a scalar integer or splat integer vector constant.
std::optional<int64_t> constantInt(Attribute attr) {
  if (auto integer = dyn_cast_or_null<IntegerAttr>(attr))
    return integer.getValue().getSExtValue();
  if (auto splat = dyn_cast_or_null<SplatElementsAttr>(attr))
    if (isa<IntegerType>(splat.getElementType()))
      return splat.getSplatValue<APInt>().getSExtValue();
  return std::nullopt;
}

} // namespace

Operation *PikeDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                            Type type, Location loc) {
  if (auto typed = dyn_cast<TypedAttr>(value);
      typed && arith::ConstantOp::isBuildableWith(typed, type))
    return arith::ConstantOp::create(builder, loc, type, typed);
  return nullptr;
}

OpFoldResult ApplyScaleOp::fold(FoldAdaptor adaptor) {
  Type type = getType();
  // Only the 64-bit arithmetic Pike emits: narrower types would wrap.
  if (getElementTypeOrSelf(type).getIntOrFloatBitWidth() != 64)
    return {};
  std::optional<int64_t> value = constantInt(adaptor.getValue());
  std::optional<int64_t> multiplier = constantInt(adaptor.getMultiplier());
  std::optional<int64_t> shift = constantInt(adaptor.getShift());
  std::optional<int64_t> addend =
      getAddend() ? constantInt(adaptor.getAddend()) : std::optional<int64_t>(0);
  if (!value || !multiplier || !shift || !addend || *shift < 1 || *shift > 62)
    return {};
  int64_t result;
  if (!num::applyScale(*value, *multiplier, *addend, unsigned(*shift),
                       toNumericsRounding(getRounding()), result))
    return {};
  Builder b(getContext());
  if (auto vector = dyn_cast<VectorType>(type))
    return DenseElementsAttr::get(vector, b.getIntegerAttr(vector.getElementType(), result));
  return b.getIntegerAttr(type, result);
}
