//===- VerifyModel.cpp - Refuse IR an untrusted model may not contain -----===//
//
// The boundary between a model file and the code Pike generates from it
// (docs/Security.md): what passes here is computed on its own tensors only.
//
//===----------------------------------------------------------------------===//

#include "pike/Dialect/Pike/Transforms/Passes.h"

#include "TransformUtils.h"
#include "pike/Numerics/IntRange.h"
#include "pike/Support/ShownName.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/AffineExpr.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

namespace mlir::pike {
#define GEN_PASS_DEF_PIKEVERIFYMODEL
#include "pike/Dialect/Pike/Transforms/Passes.h.inc"
} // namespace mlir::pike

using namespace mlir;
using namespace mlir::pike;

namespace {

constexpr int64_t kMaxTensorBytes = int64_t(1) << 40;

/// Why `type` is refused, or empty.
std::string checkType(Type type) {
  auto shaped = dyn_cast<ShapedType>(type);
  if (!shaped)
    return "";
  // Static shapes only: a cast through a dynamic shape could otherwise give
  // a tensor more elements than its buffer holds.
  if (!shaped.hasStaticShape())
    return "a dynamic shape";
  Type element = shaped.getElementType();
  int64_t bytes = 8;
  if (element.isIntOrFloat()) {
    if (element.getIntOrFloatBitWidth() > 64)
      return "elements wider than 64 bits";
    bytes = std::max<unsigned>(1, (element.getIntOrFloatBitWidth() + 7) / 8);
  }
  if (!numerics::checkedProduct(shaped.getShape(), bytes, kMaxTensorBytes))
    return "more than 2^40 bytes";
  return "";
}

/// Why a model may not carry the discardable attribute `name`, or empty.
/// Only Pike's own (pike.*, pike_onnx.*) ride along: the lowering copies a
/// function's other attributes onto the LLVM function, where `section`,
/// `passthrough`, `target_features` or a garbage collector would change what
/// the compiled code does (docs/Security.md).
std::string checkDiscardable(StringAttr name, bool symbolLevel = true) {
  std::string shown = shownName(name.strref());
  // What a library's wrapper trusts (its workspace size, its entry points)
  // is written by Pike's passes, never taken from a model.
  if (llvm::is_contained({"pike.workspace_bytes", "pike.c_interface", "pike.c_prefix",
                          "pike.source_name", "pike.target"},
                         name.strref()))
    return "attribute '" + shown + "' is written by Pike's library build, not by a model";
  if (symbolLevel && !name.strref().starts_with("pike.") &&
      !name.strref().starts_with("pike_onnx."))
    return "attribute '" + shown +
           "' is not one a model may carry (only pike.* and pike_onnx.* attributes)";
  return "";
}

/// Whether each index is a constant inside the static dimension it indexes.
bool constantInBounds(ValueRange indices, ShapedType type) {
  for (auto [dim, index] : llvm::enumerate(indices)) {
    APInt value;
    if (!matchPattern(index, m_ConstantInt(&value)) || type.isDynamicDim(dim) ||
        value.isNegative() || value.getSExtValue() >= type.getDimSize(dim))
      return false;
  }
  return true;
}

/// Whether an integer division by `divisor` cannot trap.
bool safeDivisor(Value divisor, bool isSigned) {
  APInt value;
  if (matchPattern(divisor, m_ConstantInt(&value)))
    return !value.isZero() && !(isSigned && value.isAllOnes());
  // A constant widened by an extension (as pooling divisors are lowered):
  // its value at the divisor's width.
  auto type = dyn_cast<IntegerType>(divisor.getType());
  Operation *ext = divisor.getDefiningOp();
  if (!type || !isa_and_nonnull<arith::ExtSIOp, arith::ExtUIOp>(ext) ||
      !matchPattern(ext->getOperand(0), m_ConstantInt(&value)))
    return false;
  value = isa<arith::ExtSIOp>(ext) ? value.sext(type.getWidth()) : value.zext(type.getWidth());
  return !value.isZero() && !(isSigned && value.isAllOnes());
}

template <typename T>
std::string print(T value) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << value;
  return text;
}

/// Whether `expr` only grows with each loop index (sums and non-negative
/// multiples of indices and constants): then the largest index it reads is
/// at the last iteration, which linalg's verifier checks against the shape.
/// `mod` or a negative term could read elsewhere.
bool isMonotone(AffineExpr expr) {
  if (isa<AffineDimExpr>(expr))
    return true;
  if (auto constant = dyn_cast<AffineConstantExpr>(expr))
    return constant.getValue() >= 0;
  auto binary = dyn_cast<AffineBinaryOpExpr>(expr);
  if (!binary)
    return false;
  if (expr.getKind() == AffineExprKind::Add)
    return isMonotone(binary.getLHS()) && isMonotone(binary.getRHS());
  if (expr.getKind() == AffineExprKind::Mul)
    return isMonotone(binary.getLHS()) && isMonotone(binary.getRHS()) &&
           (isa<AffineConstantExpr>(binary.getLHS()) || isa<AffineConstantExpr>(binary.getRHS()));
  return false;
}

/// Whether every element of a constant divisor tensor is safe.
bool safeDivisorTensor(Value divisor) {
  DenseIntElementsAttr values;
  if (!matchPattern(divisor, m_Constant(&values)))
    return false;
  return llvm::all_of(values, [](const APInt &v) { return !v.isZero() && !v.isAllOnes(); });
}

/// Functions reachable from `fn` through calls, `fn` itself included when
/// it calls itself, directly or not.
bool isRecursive(func::FuncOp fn, SymbolTable &symbols) {
  SmallVector<func::FuncOp> work = {fn};
  DenseSet<Operation *> seen;
  while (!work.empty()) {
    func::FuncOp current = work.pop_back_val();
    bool found = false;
    current.walk([&](func::CallOp call) {
      auto callee = symbols.lookup<func::FuncOp>(call.getCallee());
      if (!callee)
        return;
      if (callee == fn)
        found = true;
      if (seen.insert(callee).second)
        work.push_back(callee);
    });
    if (found)
      return true;
  }
  return false;
}

/// Why `op` is refused, or empty.
std::string check(Operation *op) {
  // Attributes of a module or function reach the LLVM module and functions;
  // other ops' (linalg's memoized maps, say) stay in MLIR.
  bool symbolLevel = isa<ModuleOp, func::FuncOp>(op);
  for (NamedAttribute attr : op->getDiscardableAttrs())
    if (std::string why = checkDiscardable(attr.getName(), symbolLevel); !why.empty())
      return why;
  if (auto fn = dyn_cast<func::FuncOp>(op)) {
    for (unsigned i = 0; i < fn.getNumArguments(); ++i)
      for (NamedAttribute attr : fn.getArgAttrDict(i) ? fn.getArgAttrDict(i).getValue() : ArrayRef<NamedAttribute>())
        if (std::string why = checkDiscardable(attr.getName()); !why.empty())
          return why + " (argument " + std::to_string(i) + ")";
    for (unsigned i = 0; i < fn.getNumResults(); ++i)
      for (NamedAttribute attr : fn.getResultAttrDict(i) ? fn.getResultAttrDict(i).getValue() : ArrayRef<NamedAttribute>())
        if (std::string why = checkDiscardable(attr.getName()); !why.empty())
          return why + " (result " + std::to_string(i) + ")";
  }
  Dialect *dialect = op->getDialect();
  StringRef ns = dialect ? dialect->getNamespace() : "";
  if (!llvm::is_contained({"builtin", "func", "pike", "arith", "math", "tensor", "linalg",
                           "tosa", "quant"},
                          ns))
    return "'" + op->getName().getStringRef().str() +
           "' is not an op a model may contain (only builtin, func, pike, arith, math, "
           "tensor, linalg, tosa and quant)";
  if (auto fn = dyn_cast<func::FuncOp>(op); fn && fn.isExternal())
    return "function '" + fn.getSymName().str() + "' has no body";
  if (isa<func::CallIndirectOp, func::ConstantOp>(op))
    return "indirect calls are not allowed";
  if (auto extract = dyn_cast<tensor::ExtractOp>(op);
      extract && !constantInBounds(extract.getIndices(), extract.getTensor().getType()))
    return "an element read at an index that is not a constant inside the tensor";
  if (auto insert = dyn_cast<tensor::InsertOp>(op);
      insert && !constantInBounds(insert.getIndices(), insert.getDest().getType()))
    return "an element written at an index that is not a constant inside the tensor";
  if (auto slice = dyn_cast<OffsetSizeAndStrideOpInterface>(op);
      slice && !(slice.getOffsets().empty() && slice.getSizes().empty() &&
                 slice.getStrides().empty()))
    return "a slice with dynamic offsets, sizes or strides";
  if (auto pad = dyn_cast<tensor::PadOp>(op); pad && !(pad.getLow().empty() && pad.getHigh().empty()))
    return "a pad with dynamic amounts";
  if (isa<tensor::GatherOp, tensor::ScatterOp, tosa::GatherOp, tosa::ScatterOp, tosa::CustomOp>(
          op))
    return "'" + op->getName().getStringRef().str() + "' reads or writes at indices from data";
  if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op))
    for (AffineMap map : linalgOp.getIndexingMapsArray())
      if (map.getNumSymbols() != 0 || !llvm::all_of(map.getResults(), isMonotone))
        return "an indexing map (" + print(map) +
               ") that is not a sum of non-negative multiples of loop indices";
  if (isa<tosa::IntDivOp>(op) && !safeDivisorTensor(op->getOperand(1)))
    return "a division by a tensor that is not a constant without 0 and -1";
  if (isa<arith::DivSIOp, arith::RemSIOp, arith::CeilDivSIOp, arith::FloorDivSIOp>(op) &&
      !safeDivisor(op->getOperand(1), /*isSigned=*/true))
    return "a signed division by a value that is not a constant other than 0 and -1";
  if (isa<arith::DivUIOp, arith::RemUIOp, arith::CeilDivUIOp>(op) &&
      !safeDivisor(op->getOperand(1), /*isSigned=*/false))
    return "an unsigned division by a value that is not a constant other than 0";
  for (Type type : op->getResultTypes())
    if (std::string why = checkType(type); !why.empty())
      return "a result of type " + print(type) + " has " + why;
  for (Region &region : op->getRegions())
    for (Block &block : region)
      for (BlockArgument arg : block.getArguments())
        if (std::string why = checkType(arg.getType()); !why.empty())
          return "an argument of type " + print(arg.getType()) + " has " + why;
  return "";
}

struct PikeVerifyModelPass
    : public mlir::pike::impl::PikeVerifyModelBase<PikeVerifyModelPass> {
  using PikeVerifyModelBase::PikeVerifyModelBase;

  void runOnOperation() override {
    ErrorCap errors;
    getOperation()->walk([&](Operation *op) {
      if (std::string why = check(op); !why.empty())
        errors.report(op, "not accepted in a model: " + why);
    });
    // Recursion never ends or overflows the stack.
    SymbolTable symbols(getOperation());
    for (auto fn : getOperation().getOps<func::FuncOp>())
      if (isRecursive(fn, symbols))
        errors.report(fn, "not accepted in a model: function '" + fn.getSymName() +
                              "' calls itself");
    if (errors.finish(getOperation()))
      signalPassFailure();
  }
};

} // namespace
