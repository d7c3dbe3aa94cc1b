//===- WidenSubByte.cpp - Integers of fewer than 8 bits stored in bytes ---===//
//
// An i2..i7 value becomes an i8 holding its bits sign-extended. That mapping
// keeps signed and unsigned order and equality, so compares, min/max and
// max pooling read the bytes as they read the narrow values; only
// zero-extension (a mask) and truncation (sign-extend the kept bits) change.
// At a function's boundary, inputs are brought to that form and results
// marked pike.unsigned are given back zero-extended.
//
//===----------------------------------------------------------------------===//

#include "pike/Dialect/Pike/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AttrTypeSubElements.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/PatternMatch.h"

#include "llvm/ADT/SmallVectorExtras.h"

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

unsigned elementWidth(Type type) { return getElementTypeOrSelf(type).getIntOrFloatBitWidth(); }

/// Whether `width` is one the pass widens (i1 stays: its byte is its bit).
bool isSubByte(unsigned width) { return width > 1 && width < 8; }

/// Whether a sub-byte integer appears anywhere in `type`, however nested.
bool containsSubByte(Type type) {
  bool found = false;
  type.walk([&](IntegerType integer) { found |= isSubByte(integer.getWidth()); });
  return found;
}

/// Whether `attr` holds a sub-byte integer: in a type it names, or as the
/// type of a value (a dense attribute, whose type the walk does not visit).
bool holdsSubByte(Attribute attr) {
  bool found = false;
  attr.walk([&](Attribute inner) {
    if (auto typed = dyn_cast<TypedAttr>(inner))
      found |= containsSubByte(typed.getType());
  });
  attr.walk([&](IntegerType type) { found |= isSubByte(type.getWidth()); });
  return found;
}

/// Whether `op`'s operands, results or attributes (a function's type, a
/// memref.global's type, a dense attribute) hold a sub-byte integer.
bool touchesSubByte(Operation *op) {
  return llvm::any_of(op->getOperandTypes(), containsSubByte) ||
         llvm::any_of(op->getResultTypes(), containsSubByte) ||
         holdsSubByte(op->getAttrDictionary());
}

/// Why `type` cannot carry a sub-byte integer through the pass: it is
/// widened as a scalar or the elements of a ranked tensor or a vector (the
/// CPU kernels' registers), signless; empty if it can (or holds none).
std::string whyNotCarrier(Type type) {
  if (!containsSubByte(type))
    return {};
  auto element = dyn_cast<IntegerType>(getElementTypeOrSelf(type));
  if (!isa<IntegerType, RankedTensorType, VectorType>(type) || !element)
    return "a sub-byte integer inside a value of another kind than a scalar, a ranked tensor "
           "or a vector of integers is not widened";
  if (!element.isSignless())
    return "a signed or unsigned integer type is not widened (signless only)";
  return {};
}

/// Ops whose meaning does not depend on the width of the integers they
/// carry, or reads them only through order and equality.
bool keepsMeaningInBytes(Operation *op) {
  return isa<arith::CmpIOp, arith::SelectOp, arith::MaxSIOp, arith::MaxUIOp, arith::MinSIOp,
             arith::MinUIOp, arith::IndexCastOp, tensor::EmptyOp, tensor::PadOp,
             tensor::YieldOp, tensor::ExtractSliceOp, tensor::InsertSliceOp,
             tensor::CollapseShapeOp, tensor::ExpandShapeOp, tensor::ConcatOp, tensor::CastOp,
             tensor::ExtractOp, tensor::InsertOp, tensor::FromElementsOp, func::ReturnOp,
             func::CallOp, linalg::GenericOp, linalg::YieldOp, linalg::FillOp,
             linalg::TransposeOp, linalg::CopyOp, linalg::BroadcastOp,
             linalg::PoolingNhwcMaxOp, linalg::PoolingNhwcMaxUnsignedOp,
             linalg::PoolingNhwcMinOp, linalg::PoolingNhwcMinUnsignedOp>(op);
}

Value constantOf(OpBuilder &builder, Location loc, Type type, int64_t value) {
  return arith::ConstantOp::create(builder, loc, builder.getIntegerAttr(type, value));
}

/// `value`'s low `bits` bits, sign-extended in its byte (or bytes).
Value signExtendLowBits(OpBuilder &builder, Location loc, Value value, unsigned bits) {
  Type type = value.getType();
  Value shift = constantOf(builder, loc, type, elementWidth(type) - bits);
  Value high = arith::ShLIOp::create(builder, loc, value, shift);
  return arith::ShRSIOp::create(builder, loc, high, shift);
}

/// A dense or scalar integer constant (findRefusal checked the kind).
void widenConstant(arith::ConstantOp constant, OpBuilder &builder) {
  Type i8 = builder.getI8Type();
  Type type = constant.getType();
  Type wide = isa<ShapedType>(type) ? cast<ShapedType>(type).clone(i8) : i8;
  Attribute widened;
  if (auto dense = dyn_cast<DenseIntElementsAttr>(constant.getValue()))
    widened = dense.mapValues(i8, [](const APInt &v) { return v.sext(8); });
  else
    widened = IntegerAttr::get(i8, cast<IntegerAttr>(constant.getValue()).getValue().sext(8));
  builder.setInsertionPoint(constant);
  auto replacement =
      arith::ConstantOp::create(builder, constant.getLoc(), wide, cast<TypedAttr>(widened));
  constant.getResult().replaceAllUsesWith(replacement.getResult());
  constant.erase();
}

/// A width-dependent op with the widths it had before any rewrite: rewrites
/// of its operand's producer must not change how it is rewritten.
struct Pending {
  Operation *op;
  unsigned inBits;
  unsigned outBits;
};

/// The byte holds the bits sign-extended: a zero-extension from N bits
/// keeps the low N bits only (an extension to 8 bits or fewer is the mask).
void widenExtUI(Operation *op, const Pending &p, OpBuilder &builder) {
  Location loc = op->getLoc();
  Value in = op->getOperand(0), out = op->getResult(0);
  builder.setInsertionPointAfter(op);
  if (p.outBits > 8) {
    Value mask = constantOf(builder, loc, out.getType(), (int64_t(1) << p.inBits) - 1);
    auto masked = arith::AndIOp::create(builder, loc, out, mask);
    out.replaceAllUsesExcept(masked.getResult(), masked);
    return;
  }
  Value mask = constantOf(builder, loc, builder.getI8Type(), (int64_t(1) << p.inBits) - 1);
  auto masked = arith::AndIOp::create(builder, loc, in, mask);
  out.replaceAllUsesWith(masked.getResult());
  op->erase();
}

/// An extension to 8 bits or fewer of a sign-extended byte is the byte.
void widenExtSI(Operation *op, const Pending &p) {
  if (p.outBits > 8)
    return;
  op->getResult(0).replaceAllUsesWith(op->getOperand(0));
  op->erase();
}

/// A truncation to N bits keeps the low N bits, sign-extended in the byte.
/// `byte`'s low `bits` bits sign-extended, built on i8 even where `byte`
/// is still narrower: its type becomes i8 when the types are replaced.
Value signExtendInByte(OpBuilder &builder, Location loc, Value byte, unsigned bits) {
  Value shift = constantOf(builder, loc, builder.getI8Type(), 8 - bits);
  Value high = arith::ShLIOp::create(builder, loc, byte, shift);
  return arith::ShRSIOp::create(builder, loc, high, shift);
}

void widenTruncI(Operation *op, const Pending &p, OpBuilder &builder) {
  Location loc = op->getLoc();
  builder.setInsertionPoint(op);
  Value in = op->getOperand(0);
  Value byte = p.inBits > 8 ? Value(arith::TruncIOp::create(builder, loc, builder.getI8Type(), in))
                            : in;
  op->getResult(0).replaceAllUsesWith(signExtendInByte(builder, loc, byte, p.outBits));
  op->erase();
}

/// A zero-extension to an index: the low N bits, masked first.
void widenIndexCastUI(Operation *op, const Pending &p, OpBuilder &builder) {
  builder.setInsertionPoint(op);
  Value mask =
      constantOf(builder, op->getLoc(), builder.getI8Type(), (int64_t(1) << p.inBits) - 1);
  auto masked = arith::AndIOp::create(builder, op->getLoc(), op->getOperand(0), mask);
  op->setOperand(0, masked);
}

/// A cast of an index to N bits keeps its low N bits, sign-extended in the
/// byte the cast now gives.
void widenIndexCastToSubByte(Operation *op, const Pending &p, OpBuilder &builder) {
  builder.setInsertionPointAfter(op);
  Value out = op->getResult(0);
  Value extended = signExtendInByte(builder, op->getLoc(), out, p.outBits);
  // The shift reading `out` is the extension's first op.
  out.replaceAllUsesExcept(extended, extended.getDefiningOp()->getOperand(0).getDefiningOp());
}

/// Why an attribute of `op` cannot be widened: replacing the type inside an
/// attribute would not sign-extend its value. A constant's value (widened
/// by widenConstant) and a function's type (its boundary) are the
/// exceptions; empty if none holds a sub-byte integer.
std::string whyNotAttributes(Operation *op) {
  for (NamedAttribute attr : op->getAttrs()) {
    if ((isa<arith::ConstantOp>(op) && attr.getName() == "value") ||
        (isa<func::FuncOp>(op) && attr.getName() == "function_type"))
      continue;
    if (holdsSubByte(attr.getValue()))
      return "the attribute '" + attr.getName().str() +
             "' holds a sub-byte integer, whose value would not be sign-extended";
  }
  return {};
}

/// Why `op` cannot be widened without changing meaning or an interface this
/// pass cannot see; empty if it can.
std::string whyNotWidenable(Operation *op) {
  SmallVector<Type> types(op->getOperandTypes());
  llvm::append_range(types, op->getResultTypes());
  if (auto fn = dyn_cast<func::FuncOp>(op)) {
    llvm::append_range(types, fn.getArgumentTypes());
    llvm::append_range(types, fn.getResultTypes());
  }
  for (Type type : types)
    if (std::string why = whyNotCarrier(type); !why.empty())
      return why;
  if (auto fn = dyn_cast<func::FuncOp>(op)) {
    if (fn.isExternal() && llvm::any_of(llvm::concat<const Type>(fn.getArgumentTypes(),
                                                                 fn.getResultTypes()),
                                        subByteWidth))
      return "the external function's sub-byte interface would change";
    return whyNotAttributes(op);
  }
  if (isa<arith::ExtUIOp, arith::TruncIOp, arith::IndexCastUIOp, arith::IndexCastOp>(op) &&
      isa<ShapedType>(op->getOperand(0).getType()))
    return "only scalar zero-extensions, truncations and index casts (in linalg bodies) are "
           "widened";
  if (auto constant = dyn_cast<arith::ConstantOp>(op);
      constant && !isa<DenseIntElementsAttr, IntegerAttr>(constant.getValue()))
    return "cannot widen this constant";
  if (isa<arith::ConstantOp, arith::ExtUIOp, arith::ExtSIOp, arith::TruncIOp,
          arith::IndexCastUIOp>(op) ||
      keepsMeaningInBytes(op))
    return whyNotAttributes(op);
  return "'" + op->getName().getStringRef().str() +
         "' on integers of fewer than 8 bits would change meaning in bytes";
}

/// A boundary value the pass rewrites must be a scalar or a static tensor
/// (without an encoding, which the conversion's tensors would not carry).
bool scalarOrStaticTensor(Type type) {
  if (!isa<ShapedType>(type))
    return true;
  auto tensor = dyn_cast<RankedTensorType>(type);
  return tensor && tensor.hasStaticShape() && !tensor.getEncoding();
}

/// Why `fn`'s sub-byte arguments or unsigned results cannot be adapted;
/// empty if they can.
std::string whyNotAdaptable(func::FuncOp fn) {
  if (fn.isExternal())
    return {};
  for (Type type : fn.getArgumentTypes())
    if (subByteWidth(type) && !scalarOrStaticTensor(type))
      return "a sub-byte argument must be a scalar or a statically shaped tensor without an "
             "encoding";
  for (auto [index, type] : llvm::enumerate(fn.getResultTypes()))
    if (subByteWidth(type) && fn.getResultAttr(index, "pike.unsigned") &&
        !scalarOrStaticTensor(type))
      return "a sub-byte result must be a scalar or a statically shaped tensor without an "
             "encoding";
  return {};
}

/// Whether `fn` gives back a sub-byte result zero-extended (pike.unsigned),
/// which its callers in the module would read as the sign-extended form.
bool masksAResult(func::FuncOp fn) {
  for (auto [index, type] : llvm::enumerate(fn.getResultTypes()))
    if (subByteWidth(type) && fn.getResultAttr(index, "pike.unsigned"))
      return true;
  return false;
}

/// The first op (or function boundary) the pass cannot widen, with why.
std::optional<std::pair<Operation *, std::string>> findRefusal(ModuleOp module) {
  std::optional<std::pair<Operation *, std::string>> refusal;
  module.walk([&](Operation *op) -> WalkResult {
    if (op == module.getOperation())
      return WalkResult::advance();
    std::string why;
    if (auto fn = dyn_cast<func::FuncOp>(op))
      why = whyNotAdaptable(fn);
    if (auto call = dyn_cast<func::CallOp>(op)) {
      auto callee = SymbolTable::lookupNearestSymbolFrom<func::FuncOp>(call, call.getCalleeAttr());
      if (callee && !callee.isExternal() && masksAResult(callee))
        why = "a call of a function whose sub-byte result is given back zero-extended "
              "(pike.unsigned)";
    }
    if (why.empty() && touchesSubByte(op))
      why = whyNotWidenable(op);
    if (why.empty())
      return WalkResult::advance();
    refusal = {op, why};
    return WalkResult::interrupt();
  });
  return refusal;
}

/// Rewrites the ops whose meaning changes with the width, before the types
/// change: the new ops are built to be right once they have. The module has
/// no refusal (findRefusal).
void rewriteWidthDependentOps(ModuleOp module) {
  SmallVector<Pending> pending;
  module.walk([&](Operation *op) {
    if (op == module.getOperation() || !touchesSubByte(op))
      return;
    if (isa<arith::ConstantOp, arith::ExtUIOp, arith::ExtSIOp, arith::TruncIOp,
            arith::IndexCastUIOp, arith::IndexCastOp>(op)) {
      Type in = op->getNumOperands() ? op->getOperand(0).getType() : op->getResult(0).getType();
      Type out = op->getResult(0).getType();
      pending.push_back({op, isa<IndexType>(in) ? 64 : elementWidth(in),
                         isa<IndexType>(out) ? 64 : elementWidth(out)});
    }
  });
  OpBuilder builder(module.getContext());
  for (const Pending &p : pending) {
    Operation *op = p.op;
    if (auto constant = dyn_cast<arith::ConstantOp>(op)) {
      widenConstant(constant, builder);
    } else if (isa<arith::ExtUIOp>(op) && isSubByte(p.inBits)) {
      widenExtUI(op, p, builder);
    } else if (isa<arith::ExtSIOp>(op) && isSubByte(p.inBits)) {
      widenExtSI(op, p);
    } else if (isa<arith::TruncIOp>(op) && isSubByte(p.outBits)) {
      widenTruncI(op, p, builder);
    } else if (isa<arith::IndexCastUIOp>(op) && isSubByte(p.inBits)) {
      widenIndexCastUI(op, p, builder);
    } else if (isa<arith::IndexCastOp, arith::IndexCastUIOp>(op) && isSubByte(p.outBits)) {
      widenIndexCastToSubByte(op, p, builder);
    }
  }
}

/// A linalg.generic applying `body` to each element of `tensor`.
Value mapElements(OpBuilder &builder, Location loc, Value tensor,
                  function_ref<Value(OpBuilder &, Location, Value)> body) {
  auto type = cast<RankedTensorType>(tensor.getType());
  Value empty = tensor::EmptyOp::create(builder, loc, type.getShape(), type.getElementType());
  AffineMap identity = builder.getMultiDimIdentityMap(type.getRank());
  SmallVector<utils::IteratorType> parallel(type.getRank(), utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      builder, loc, TypeRange{type}, ValueRange{tensor}, ValueRange{empty},
      ArrayRef<AffineMap>{identity, identity}, parallel,
      [&](OpBuilder &b, Location l, ValueRange args) {
        linalg::YieldOp::create(b, l, body(b, l, args[0]));
      });
  return generic.getResult(0);
}

/// `value` (a byte, or a static tensor of bytes: whyNotAdaptable checked)
/// through `body`.
Value mapValue(OpBuilder &builder, Location loc, Value value,
               function_ref<Value(OpBuilder &, Location, Value)> body) {
  if (!isa<ShapedType>(value.getType()))
    return body(builder, loc, value);
  return mapElements(builder, loc, value, body);
}

/// After the types are bytes: each sub-byte argument is brought to the
/// sign-extended form (a caller may pass u4 as 0..15), each sub-byte
/// result marked pike.unsigned is given back zero-extended (0..15).
void adaptBoundaries(func::FuncOp fn, ArrayRef<unsigned> argBits,
                     ArrayRef<unsigned> resultBits) {
  if (fn.isExternal())
    return;
  OpBuilder builder(fn.getContext());
  Block &entry = fn.getBody().front();
  builder.setInsertionPointToStart(&entry);
  for (auto [arg, bits] : llvm::zip(entry.getArguments(), argBits)) {
    if (!bits)
      continue;
    SmallVector<OpOperand *> uses =
        llvm::map_to_vector(arg.getUses(), [](OpOperand &use) { return &use; });
    Value normal = mapValue(builder, arg.getLoc(), arg, [&](OpBuilder &b, Location l, Value v) {
      return signExtendLowBits(b, l, v, bits);
    });
    for (OpOperand *use : uses)
      use->set(normal);
  }
  fn.walk([&](func::ReturnOp ret) {
    builder.setInsertionPoint(ret);
    for (auto [index, bits] : llvm::enumerate(resultBits)) {
      if (!bits || !fn.getResultAttr(index, "pike.unsigned"))
        continue;
      ret.setOperand(index, mapValue(builder, ret.getLoc(), ret.getOperand(index),
                                     [&](OpBuilder &b, Location l, Value v) {
                                       Value mask =
                                           constantOf(b, l, v.getType(), (int64_t(1) << bits) - 1);
                                       return Value(arith::AndIOp::create(b, l, v, mask));
                                     }));
    }
  });
}

/// Named linalg ops whose body casts a sub-byte value become linalg.generic
/// first: a named op's body is not printed but rebuilt from its name, which
/// would drop the rewritten casts.
void generalizeCastingNamedOps(ModuleOp module) {
  SmallVector<linalg::LinalgOp> named;
  module.walk([&](linalg::LinalgOp op) {
    if (isa<linalg::GenericOp>(op.getOperation()) || !touchesSubByte(op))
      return;
    bool casts = false;
    op->walk([&](Operation *inner) {
      casts |= isa<arith::ExtUIOp, arith::ExtSIOp, arith::TruncIOp, arith::IndexCastOp,
                   arith::IndexCastUIOp>(inner);
    });
    if (casts)
      named.push_back(op);
  });
  IRRewriter rewriter(module.getContext());
  for (linalg::LinalgOp op : named) {
    rewriter.setInsertionPoint(op);
    (void)linalg::generalizeNamedOp(rewriter, op);
  }
}

struct PikeWidenSubBytePass
    : public mlir::pike::impl::PikeWidenSubByteBase<PikeWidenSubBytePass> {
  using PikeWidenSubByteBase::PikeWidenSubByteBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    // Checked before anything changes, so a refused module stays as it was.
    if (auto refusal = findRefusal(module)) {
      if (!strict)
        return;
      refusal->first->emitError("pike-widen-sub-byte: ") << refusal->second;
      return signalPassFailure();
    }
    // The boundary's widths, read before the types change (functions of
    // nested modules too).
    SmallVector<std::tuple<func::FuncOp, SmallVector<unsigned>, SmallVector<unsigned>>> fns;
    module.walk([&](func::FuncOp fn) {
      fns.push_back({fn, llvm::map_to_vector(fn.getArgumentTypes(), subByteWidth),
                     llvm::map_to_vector(fn.getResultTypes(), subByteWidth)});
    });
    generalizeCastingNamedOps(module);
    rewriteWidthDependentOps(module);
    AttrTypeReplacer replacer;
    replacer.addReplacement([](IntegerType type) -> std::optional<Type> {
      if (!subByteWidth(type))
        return std::nullopt;
      return IntegerType::get(type.getContext(), 8);
    });
    replacer.recursivelyReplaceElementsIn(module, /*replaceAttrs=*/true, /*replaceLocs=*/false,
                                          /*replaceTypes=*/true);
    for (auto &[fn, argBits, resultBits] : fns)
      adaptBoundaries(fn, argBits, resultBits);
  }
};

} // namespace
