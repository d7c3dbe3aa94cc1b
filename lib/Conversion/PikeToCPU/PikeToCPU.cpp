//===- PikeToCPU.cpp - MAC ops and their epilogues into CPU kernels -------===//

#include "MacOperands.h"
#include "QuantizerKernels.h"

#include "pike/Conversion/Passes.h"
#include "pike/Dialect/Pike/IR/PikeOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/FunctionInterfaces.h"

namespace mlir::pike {
#define GEN_PASS_DEF_CONVERTPIKETOCPUKERNELS
#include "pike/Conversion/Passes.h.inc"
} // namespace mlir::pike

using namespace mlir;
using namespace mlir::pike;
using namespace mlir::pike::cpu;

namespace {

/// [M, K] as [1, 1, M, K] and back.
SmallVector<ReassociationIndices> rowsAsPixels() { return {{0, 1, 2}, {3}}; }

/// A MAC op as its kernel takes it: its operands, the epilogue it absorbs
/// and the op whose result the kernel's result replaces.
struct Layer {
  Operation *mac = nullptr;
  MacOperands operands;
  Epilogue epilogue;
  /// The other operand of the residual add the epilogue absorbs, or null.
  Value skipOperand;
  Operation *last = nullptr;
  bool binary = false;
};

/// `mac`'s layer, or failure with the reason in `whyNot`.
FailureOr<Layer> planLayer(Operation *mac, const CpuTargetInfo &target, bool binaryKernels,
                           std::string &whyNot) {
  FailureOr<MacOperands> operands = matchMacOperands(mac, target, whyNot);
  if (failed(operands))
    return failure();
  Layer layer;
  layer.mac = mac;
  layer.operands = std::move(*operands);
  layer.binary = binaryKernels && fitsBinaryKernel(layer.operands);
  layer.epilogue = fusableEpilogue(mac, layer.operands.accType, target.lanes());
  layer.epilogue.accumulatorBounds = accumulatorBounds(layer.operands);
  layer.skipOperand = layer.epilogue.fuseResidual();
  layer.last = layer.epilogue.residual ? layer.epilogue.residual.getOperation()
               : layer.epilogue.op     ? layer.epilogue.op
                                       : mac;
  return layer;
}

/// The pointwise layer that alone reads `depthwise`'s result, planned, if
/// the two can run as one separable kernel (emitSeparableKernel): the
/// depthwise result is stored as bytes with nothing added to it, and the
/// pointwise kernel can read it row by row.
std::optional<Layer> separableTail(const Layer &depthwise, const CpuTargetInfo &target,
                                   bool binaryKernels) {
  const Epilogue &epilogue = depthwise.epilogue;
  if (!depthwise.operands.isDepthwise() || depthwise.binary || !epilogue.op || epilogue.residual ||
      epilogue.byteType() != epilogue.storedType() || !depthwise.last->getResult(0).hasOneUse())
    return std::nullopt;
  auto consumer = dyn_cast<Conv2DOp>(*depthwise.last->getResult(0).getUsers().begin());
  if (!consumer || consumer.getInput() != depthwise.last->getResult(0))
    return std::nullopt;
  std::string ignored;
  FailureOr<Layer> pointwise = planLayer(consumer, target, binaryKernels, ignored);
  if (failed(pointwise) || pointwise->binary)
    return std::nullopt;
  return std::move(*pointwise);
}

/// Erases what `layer`'s kernel replaced: the residual add, the epilogue,
/// the MAC op and the constants only it read.
void eraseLayer(const Layer &layer) {
  if (layer.epilogue.residual)
    layer.epilogue.residual->erase();
  if (layer.epilogue.op)
    layer.epilogue.op->erase();
  // The weights and bias now live packed in the kernel.
  SmallVector<Operation *> constants;
  for (Value operand : layer.mac->getOperands().drop_front())
    if (Operation *def = operand.getDefiningOp())
      constants.push_back(def);
  layer.mac->erase();
  for (Operation *def : constants)
    if (def->use_empty() && isPure(def))
      def->erase();
  if (layer.binary)
    eraseUnusedBipolarChain(layer.operands);
}

/// Replaces `mac` (and the epilogue it absorbs) by a call of a new private
/// kernel function inserted into `symbols`; false if no kernel computes it
/// exactly, with the reason in `whyNot`. With `separableKernels`, a
/// depthwise layer and the pointwise layer after it become one kernel,
/// and the pointwise op, then erased, is returned in `fused`.
bool rewriteMac(Operation *mac, const CpuTargetInfo &target, bool binaryKernels,
                bool separableKernels, SymbolTable &symbols, ByteStorage &storage,
                std::string &whyNot, Operation *&fused) {
  FailureOr<Layer> planned = planLayer(mac, target, binaryKernels, whyNot);
  if (failed(planned))
    return false;
  Layer &head = *planned;
  std::optional<Layer> tail;
  std::unique_ptr<PointwiseRowKernel> pointwise;
  OpBuilder probe(mac->getContext());
  if (separableKernels && (tail = separableTail(head, target, binaryKernels))) {
    pointwise = makePointwiseRowKernel(probe, tail->operands, tail->epilogue, target);
    if (!pointwise)
      tail.reset();
  }
  // The layer whose result the kernel produces.
  Layer &out = tail ? *tail : head;
  Location loc = mac->getLoc();
  OpBuilder b(out.last);
  bool isFullyConnected = isa<FullyConnectedOp>(mac);
  MacOperands &operands = head.operands;
  if (head.binary)
    readBipolarSource(b, loc, operands);
  Value input = storage.asBytes(b, loc, operands.input, operands.inputUnsigned);
  if (isFullyConnected)
    input = tensor::ExpandShapeOp::create(
        b, loc, RankedTensorType::get({1, 1, operands.width, operands.channels}, b.getI8Type()),
        input, rowsAsPixels());
  auto resultType = RankedTensorType::get(
      {out.operands.batch, out.operands.outH, out.operands.outW, out.operands.filters},
      out.epilogue.byteType());

  auto parent = mac->getParentOfType<FunctionOpInterface>();
  std::string name = (parent ? parent.getName().str() + "_" : std::string()) +
                     (tail ? std::string("separable") : mac->getName().stripDialect().str());
  OpBuilder moduleBuilder(symbols.getOp()->getContext());
  // Destination-passing: the caller owns the result buffer, so the last
  // layer writes straight into a function's result.
  // Inserted at `out.last`, the call sees the residual's other operand.
  SmallVector<Value> arguments = {input};
  if (out.skipOperand)
    arguments.push_back(storage.asBytes(b, loc, out.skipOperand,
                                        out.epilogue.residualIsLhs
                                            ? out.epilogue.residual.getRhsUnsigned()
                                            : out.epilogue.residual.getLhsUnsigned()));
  if (tail)
    arguments.push_back(tensor::EmptyOp::create(
        b, loc, ArrayRef<int64_t>{operands.batch, operands.outH, operands.outW, operands.filters},
        b.getI8Type()));
  SmallVector<Type> argumentTypes = llvm::to_vector(ValueRange(arguments).getTypes());
  argumentTypes.push_back(resultType);
  // A separable kernel also returns the rows of its intermediate tensor.
  SmallVector<Type> resultTypes = {resultType};
  if (tail)
    resultTypes.insert(resultTypes.begin(), arguments.back().getType());
  auto kernel =
      func::FuncOp::create(moduleBuilder, loc, name, b.getFunctionType(argumentTypes, resultTypes));
  kernel.setPrivate();
  symbols.insert(kernel, parent ? Block::iterator(parent.getOperation())
                                : symbols.getOp()->getRegion(0).front().end());
  OpBuilder kb = OpBuilder::atBlockBegin(kernel.addEntryBlock());
  operands.input = kernel.getArgument(0);
  if (out.skipOperand)
    out.epilogue.skip = kernel.getArgument(1);
  Value dest = kernel.getArguments().back();
  SmallVector<Value> results;
  if (tail) {
    results =
        emitSeparableKernel(kb, loc, makeDepthwiseRowKernel(kb, operands, head.epilogue, target),
                            std::move(pointwise), kernel.getArgument(arguments.size() - 1), dest);
  } else if (head.binary) {
    results = {emitBinaryKernel(kb, loc, operands, head.epilogue, target, dest)};
  } else if (operands.isDepthwise()) {
    std::unique_ptr<RowKernel> depthwise =
        makeDepthwiseRowKernel(kb, operands, head.epilogue, target);
    results = {emitRowKernel(kb, loc, *depthwise, dest)};
  } else {
    results = {emitDenseKernel(kb, loc, operands, head.epilogue, target, dest)};
  }
  func::ReturnOp::create(kb, loc, results);

  Value empty = tensor::EmptyOp::create(b, loc, resultType.getShape(),
                                        resultType.getElementType());
  arguments.push_back(empty);
  Value result = func::CallOp::create(b, loc, kernel, arguments).getResults().back();
  if (isFullyConnected)
    result = tensor::CollapseShapeOp::create(b, loc, result, rowsAsPixels());
  if (out.epilogue.byteType() != out.epilogue.storedType())
    result =
        storage.narrow(b, loc, result, out.epilogue.storedType(), out.epilogue.storedUnsigned());
  out.last->getResult(0).replaceAllUsesWith(result);
  // The pointwise layer reads the depthwise one's result: it goes first.
  if (tail) {
    fused = tail->mac;
    eraseLayer(*tail);
  }
  eraseLayer(head);
  return true;
}

/// requantize(expand_shape(mac)) -> expand_shape(requantize(mac)) (and
/// quant_norm) when the reshape keeps the channel dimension last and alone:
/// a [tokens, width] product expanded to [batch, tokens, width] before its
/// requantization then takes the kernel's epilogue.
void hoistEpilogueAboveReshape(Operation *epilogue) {
  auto expand = epilogue->getOperand(0).getDefiningOp<tensor::ExpandShapeOp>();
  if (!expand || !expand->hasOneUse())
    return;
  Operation *mac = expand.getSrc().getDefiningOp();
  if (!isa_and_nonnull<Conv2DOp, FullyConnectedOp, BatchMatmulOp>(mac) || !mac->hasOneUse())
    return;
  SmallVector<ReassociationIndices> groups = expand.getReassociationIndices();
  if (groups.empty() || groups.back().size() != 1)
    return;
  auto source = cast<RankedTensorType>(expand.getSrc().getType());
  auto result = cast<RankedTensorType>(epilogue->getResult(0).getType());
  OpBuilder b(epilogue);
  Operation *moved = b.clone(*epilogue);
  moved->setOperand(0, expand.getSrc());
  moved->getResult(0).setType(source.clone(result.getElementType()));
  auto reshaped = tensor::ExpandShapeOp::create(b, expand.getLoc(), result, moved->getResult(0),
                                                groups, expand.getMixedOutputShape());
  epilogue->getResult(0).replaceAllUsesWith(reshaped.getResult());
  epilogue->erase();
  expand->erase();
}

struct ConvertPikeToCPUKernelsPass
    : public mlir::pike::impl::ConvertPikeToCPUKernelsBase<ConvertPikeToCPUKernelsPass> {
  using ConvertPikeToCPUKernelsBase::ConvertPikeToCPUKernelsBase;

  void runOnOperation() override {
    const CpuTargetInfo &resolved = cpuTargetInfo(target);
    if (!resolved.hasKernels())
      return;
    SmallVector<Operation *> epilogues;
    getOperation()->walk([&](Operation *op) {
      if (isa<QuantNormOp, RequantizeOp>(op))
        epilogues.push_back(op);
    });
    for (Operation *op : epilogues)
      hoistEpilogueAboveReshape(op);
    SmallVector<Operation *> macs, quantizers;
    getOperation()->walk([&](Operation *op) {
      if (isa<Conv2DOp, FullyConnectedOp, BatchMatmulOp>(op))
        macs.push_back(op);
      else if (isa<QuantizeOp, DequantizeOp>(op))
        quantizers.push_back(op);
    });
    SymbolTable symbols(getOperation());
    ByteStorage storage;
    for (Operation *op : quantizers) {
      std::string whyNot;
      if (!rewriteQuantizer(op, resolved.lanes(), storage, whyNot) && report)
        op->emitRemark() << "not vectorized (lowered through linalg): " << whyNot;
    }
    llvm::SmallPtrSet<Operation *, 8> fusedAway;
    for (Operation *mac : macs) {
      if (fusedAway.contains(mac))
        continue;
      std::string whyNot;
      Operation *fused = nullptr;
      if (isa<BatchMatmulOp>(mac))
        whyNot = "batched matrix products have no kernel";
      else if (rewriteMac(mac, resolved, binaryKernels, separableKernels, symbols, storage, whyNot,
                          fused)) {
        if (fused)
          fusedAway.insert(fused);
        continue;
      }
      if (warnFallbacks)
        mac->emitWarning() << "no " << resolved.name
                           << " kernel: this layer runs as linalg loops, 10-100x slower ("
                           << whyNot << ")";
      else if (report)
        mac->emitRemark() << "no " << resolved.name
                          << " kernel (lowered through linalg): " << whyNot;
    }
  }
};

} // namespace
