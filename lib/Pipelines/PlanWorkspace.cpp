//===- PlanWorkspace.cpp - Every buffer in one caller-provided workspace --===//
//
// A pass over bufferized upstream IR (memref.alloc, func.call), used by the
// lowering pipelines for ahead-of-time libraries; it knows nothing of the
// CPU kernels, whose calls it treats like any other.
//
//===----------------------------------------------------------------------===//

#include "pike/Conversion/Passes.h"

#include "pike/Numerics/IntRange.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SetVector.h"

namespace mlir::pike {
#define GEN_PASS_DEF_PIKEPLANWORKSPACE
#include "pike/Conversion/Passes.h.inc"
} // namespace mlir::pike

using namespace mlir;

namespace {

constexpr int64_t kAlignment = 64;
constexpr StringLiteral kWorkspaceBytes = "pike.workspace_bytes";

/// A buffer to place: `bytes` live from op `first` to op `last` (positions
/// in the function's top-level block).
struct Buffer {
  Operation *op; // a memref.alloc, or a call needing the callee's workspace
  int64_t bytes;
  int64_t first, last;
  int64_t offset = -1;
};

int64_t alignUp(int64_t value) { return (value + kAlignment - 1) / kAlignment * kAlignment; }

/// Sizes and offsets stay below this, so that aligning and adding two of
/// them cannot overflow (a model's shapes are not trusted).
constexpr int64_t kMaxBytes = int64_t(1) << 60;

/// a + b, or nullopt past kMaxBytes.
std::optional<int64_t> addBytes(int64_t a, int64_t b) {
  int64_t sum;
  if (__builtin_add_overflow(a, b, &sum) || sum > kMaxBytes)
    return std::nullopt;
  return sum;
}

/// Bytes of a static memref as the LLVM lowering allocates it (an element
/// takes whole bytes): nullopt without a static shape and identity layout,
/// kMaxBytes + 1 past the limit.
std::optional<int64_t> byteSize(MemRefType type) {
  if (!type.hasStaticShape() || !type.getLayout().isIdentity())
    return std::nullopt;
  Type element = type.getElementType();
  int64_t bytes = element.isIndex() ? 8 : (element.getIntOrFloatBitWidth() + 7) / 8;
  std::optional<int64_t> total =
      pike::numerics::checkedProduct(type.getShape(), std::max<int64_t>(bytes, 1), kMaxBytes);
  if (!total)
    return kMaxBytes + 1;
  return std::max<int64_t>(1, *total);
}

/// The last position in `block` where `value` or a view of it is used.
int64_t lastUse(Value value, Block &block, const DenseMap<Operation *, int64_t> &position) {
  int64_t last = -1;
  SmallVector<Value> worklist = {value};
  DenseSet<Value> seen;
  while (!worklist.empty()) {
    Value current = worklist.pop_back_val();
    if (!seen.insert(current).second)
      continue;
    for (Operation *user : current.getUsers()) {
      if (isa<memref::DeallocOp>(user))
        continue;
      Operation *ancestor = block.findAncestorOpInBlock(*user);
      if (ancestor)
        last = std::max(last, position.lookup(ancestor));
      if (isa<ViewLikeOpInterface, memref::CastOp, memref::ReinterpretCastOp,
              memref::CollapseShapeOp, memref::ExpandShapeOp>(user))
        for (Value result : user->getResults())
          if (isa<MemRefType>(result.getType()))
            worklist.push_back(result);
    }
  }
  return last;
}

/// First fit, largest buffers first; returns the total, or nullopt past
/// kMaxBytes.
std::optional<int64_t> place(MutableArrayRef<Buffer> buffers) {
  SmallVector<Buffer *> order;
  for (Buffer &buffer : buffers)
    order.push_back(&buffer);
  llvm::stable_sort(order, [](Buffer *a, Buffer *b) { return a->bytes > b->bytes; });
  int64_t total = 0;
  SmallVector<Buffer *> placed;
  for (Buffer *buffer : order) {
    // Candidate offsets: 0 and the end of each placed buffer live at the same time.
    SmallVector<Buffer *> overlapping;
    for (Buffer *other : placed)
      if (other->first <= buffer->last && buffer->first <= other->last)
        overlapping.push_back(other);
    llvm::sort(overlapping, [](Buffer *a, Buffer *b) { return a->offset < b->offset; });
    int64_t offset = 0;
    for (Buffer *other : overlapping) {
      std::optional<int64_t> end = addBytes(offset, buffer->bytes);
      if (!end)
        return std::nullopt;
      if (*end <= other->offset)
        break;
      std::optional<int64_t> otherEnd = addBytes(other->offset, other->bytes);
      if (!otherEnd)
        return std::nullopt;
      offset = std::max(offset, alignUp(*otherEnd));
    }
    std::optional<int64_t> end = addBytes(offset, buffer->bytes);
    if (!end)
      return std::nullopt;
    buffer->offset = offset;
    total = std::max(total, *end);
    placed.push_back(buffer);
  }
  return alignUp(total);
}

struct PikePlanWorkspace : pike::impl::PikePlanWorkspaceBase<PikePlanWorkspace> {
  using PikePlanWorkspaceBase::PikePlanWorkspaceBase;

  DenseMap<func::FuncOp, int64_t> need; // workspace bytes of each planned function

  LogicalResult plan(func::FuncOp func, SymbolTable &symbols) {
    if (func.isExternal() || need.count(func))
      return success();
    need[func] = 0; // breaks recursion
    // Callees first: a call needs their workspace.
    WalkResult walk = func.walk([&](func::CallOp call) {
      auto callee = symbols.lookup<func::FuncOp>(call.getCallee());
      if (callee && failed(plan(callee, symbols)))
        return WalkResult::interrupt();
      return WalkResult::advance();
    });
    if (walk.wasInterrupted())
      return failure();

    Block &block = func.getBody().front();
    DenseMap<Operation *, int64_t> position;
    for (auto [index, op] : llvm::enumerate(block))
      position[&op] = index;
    SmallVector<Buffer> buffers;
    WalkResult checked = func.walk([&](Operation *op) {
      if (auto alloc = dyn_cast<memref::AllocOp>(op)) {
        std::optional<int64_t> bytes = byteSize(alloc.getType());
        if (!bytes) {
          alloc.emitError() << "cannot place a buffer of type " << alloc.getType()
                            << " in the workspace (it needs a static shape and identity layout)";
          return WalkResult::interrupt();
        }
        if (*bytes > kMaxBytes) {
          alloc.emitError() << "a buffer of type " << alloc.getType() << " needs more than 2^60 bytes";
          return WalkResult::interrupt();
        }
        if (op->getBlock() != &block) {
          alloc.emitError() << "cannot place a buffer allocated inside a loop or branch "
                               "in the workspace";
          return WalkResult::interrupt();
        }
        int64_t first = position[op];
        int64_t last = std::max(first, lastUse(alloc.getResult(), block, position));
        buffers.push_back({op, *bytes, first, last});
      } else if (auto call = dyn_cast<func::CallOp>(op)) {
        auto callee = symbols.lookup<func::FuncOp>(call.getCallee());
        if (callee && need.lookup(callee) > 0) {
          if (op->getBlock() != &block) {
            call.emitError() << "cannot plan the workspace of a call inside a loop or branch";
            return WalkResult::interrupt();
          }
          buffers.push_back({op, need.lookup(callee), position[op], position[op]});
        }
      }
      return WalkResult::advance();
    });
    if (checked.wasInterrupted())
      return failure();
    std::optional<int64_t> placed = place(buffers);
    if (!placed)
      return func.emitError() << "the workspace of @" << func.getSymName()
                              << " would need more than 2^60 bytes";
    int64_t total = *placed;
    need[func] = total;
    if (total == 0)
      return success();

    // The workspace and this function's offset in it.
    MLIRContext *context = func.getContext();
    auto workspaceType = MemRefType::get({ShapedType::kDynamic}, IntegerType::get(context, 8));
    unsigned firstNew = func.getNumArguments();
    if (failed(func.insertArguments({firstNew, firstNew}, {workspaceType, IndexType::get(context)},
                                    {}, {func.getLoc(), func.getLoc()})))
      return failure();
    Value workspace = func.getArgument(firstNew), base = func.getArgument(firstNew + 1);
    OpBuilder b(context);
    for (Buffer &buffer : buffers) {
      b.setInsertionPoint(buffer.op);
      Location loc = buffer.op->getLoc();
      Value offset = arith::AddIOp::create(
          b, loc, base, arith::ConstantIndexOp::create(b, loc, buffer.offset));
      if (auto alloc = dyn_cast<memref::AllocOp>(buffer.op)) {
        SmallVector<Operation *> deallocs;
        for (Operation *user : alloc->getUsers())
          if (isa<memref::DeallocOp>(user))
            deallocs.push_back(user);
        for (Operation *dealloc : deallocs)
          dealloc->erase();
        Value view = memref::ViewOp::create(b, loc, alloc.getType(), workspace, offset,
                                            ValueRange());
        alloc.replaceAllUsesWith(view);
        alloc.erase();
      } else {
        auto call = cast<func::CallOp>(buffer.op);
        SmallVector<Value> operands(call.getOperands());
        operands.append({workspace, offset});
        call->setOperands(operands);
      }
    }
    if (func.isPublic()) {
      func->setAttr(kWorkspaceBytes, b.getI64IntegerAttr(total));
      func->setAttr(LLVM::LLVMDialect::getEmitCWrapperAttrName(), b.getUnitAttr());
    }
    return success();
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    // The size is this plan's alone, never one the input carried.
    for (auto func : module.getOps<func::FuncOp>())
      func->removeAttr(kWorkspaceBytes);
    for (auto func : llvm::to_vector(module.getOps<func::FuncOp>()))
      if (failed(plan(func, symbols)))
        return signalPassFailure();
    for (auto func : module.getOps<func::FuncOp>())
      if (func.isPublic() && !func.isExternal()) {
        if (!func->hasAttr(kWorkspaceBytes))
          func->setAttr(kWorkspaceBytes, OpBuilder(func).getI64IntegerAttr(0));
        func->setAttr(LLVM::LLVMDialect::getEmitCWrapperAttrName(),
                      UnitAttr::get(&getContext()));
      }
  }
};

} // namespace
