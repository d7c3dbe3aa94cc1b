//===- PikeToCPU.cpp - MAC ops and their epilogues into CPU kernels -------===//

#include "QuantizerKernels.h"
#include "RowKernel.h"

#include "pike/Conversion/Passes.h"
#include "pike/Dialect/Pike/IR/PikeOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

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

/// Which kernels the pass may choose, and whether it says why not.
struct KernelOptions {
  const CpuTargetInfo &target;
  bool binary, separable, rowParts, report;
  DenseChoices dense;
};

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
FailureOr<Layer> planLayer(Operation *mac, const KernelOptions &options, std::string &whyNot) {
  FailureOr<MacOperands> operands = matchMacOperands(mac, options.target, whyNot);
  if (failed(operands))
    return failure();
  Layer layer;
  layer.mac = mac;
  layer.operands = std::move(*operands);
  layer.binary = options.binary && fitsBinaryKernel(layer.operands);
  layer.epilogue = fusableEpilogue(mac, layer.operands.accType, options.target.lanes());
  layer.epilogue.accumulatorBounds = accumulatorBounds(layer.operands);
  if (!options.target.isAArch64() && options.target.registerBits >= 128)
    layer.epilogue.registerLanes = options.target.registerBits / 32;
  layer.skipOperand = layer.epilogue.fuseResidual();
  layer.last = layer.epilogue.residual ? layer.epilogue.residual.getOperation()
               : layer.epilogue.op     ? layer.epilogue.op
                                       : mac;
  return layer;
}

/// The pointwise layer that alone reads `depthwise`'s result, planned, if
/// the two can run as one separable kernel (emitSeparableKernel): the
/// depthwise result is requantized to at most 8 bits with nothing added to
/// it, and the pointwise kernel can read it row by row. Else nothing, with
/// the reason in `whyNot` where the result's one reader is a convolution.
std::optional<Layer> separableTail(const Layer &depthwise, const KernelOptions &options,
                                   std::string &whyNot) {
  const Epilogue &epilogue = depthwise.epilogue;
  Value result = depthwise.last->getResult(0);
  // The pointwise kernel reads bytes in place on quads or byte pairs only.
  if (!(options.target.hasQuads() || options.target.hasU8S8Pairs()) ||
      !depthwise.operands.isDepthwise() || depthwise.binary || !result.hasOneUse())
    return std::nullopt;
  auto consumer = dyn_cast<Conv2DOp>(*result.getUsers().begin());
  if (!consumer || consumer.getInput() != result)
    return std::nullopt;
  // The fused kernel runs where the pointwise layer did: an op with effects
  // between them (a pike-instrument-layers timer mark) would see the
  // depthwise layer's work move past it.
  if (consumer->getBlock() != depthwise.last->getBlock()) {
    whyNot = "the pointwise layer is in another block";
    return std::nullopt;
  }
  for (Operation *op = depthwise.last->getNextNode(); op != consumer; op = op->getNextNode())
    if (!isMemoryEffectFree(op)) {
      whyNot = "'" + op->getName().getStringRef().str() + "' with effects runs between the two";
      return std::nullopt;
    }
  if (!epilogue.op || epilogue.residual || !epilogue.byteType().isInteger(8)) {
    whyNot = "the depthwise result is not requantized alone to 8 bits or fewer";
    return std::nullopt;
  }
  FailureOr<Layer> pointwise = planLayer(consumer, options, whyNot);
  if (failed(pointwise))
    return std::nullopt;
  if (pointwise->binary) {
    whyNot = "the pointwise layer is binary";
    return std::nullopt;
  }
  // Bytes holding narrower numbers are extended with the writer's
  // signedness: a reader of the other one needs them extended again.
  if (epilogue.byteType() != epilogue.storedType() &&
      epilogue.storedUnsigned() != pointwise->operands.inputUnsigned) {
    whyNot = "the pointwise layer reads the narrow depthwise result with the other signedness";
    return std::nullopt;
  }
  if (!fitsPointwiseRowKernel(pointwise->operands, options.target, options.dense, whyNot))
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

/// The row kernel of a layer that runs alone.
std::unique_ptr<RowKernel> makeRowKernel(OpBuilder &b, Layer &layer, const KernelOptions &options) {
  if (layer.binary)
    return makeBinaryRowKernel(b, layer.operands, layer.epilogue, options.target);
  if (layer.operands.isDepthwise())
    return makeDepthwiseRowKernel(b, layer.operands, layer.epilogue, options.target,
                                  options.dense.allowBytePairs);
  return makeDenseRowKernel(b, layer.operands, layer.epilogue, options.target, options.dense);
}

/// Replaces `mac` (and the epilogue it absorbs) by a call of a new private
/// kernel function inserted into `symbols`; false if no kernel computes it
/// exactly, with the reason in `whyNot`. With `options.separable`, a
/// depthwise layer and the pointwise layer after it become one kernel,
/// and the pointwise op, then erased, is returned in `fused`.
bool rewriteMac(Operation *mac, const KernelOptions &options, SymbolTable &symbols,
                ByteStorage &storage, std::string &whyNot, Operation *&fused) {
  FailureOr<Layer> planned = planLayer(mac, options, whyNot);
  if (failed(planned))
    return false;
  Layer &head = *planned;
  std::optional<Layer> tail;
  if (options.separable) {
    std::string notFused;
    tail = separableTail(head, options, notFused);
    if (!notFused.empty() && options.report)
      mac->emitRemark() << "depthwise-separable block kept as two kernels: " << notFused;
  }
  const CpuTargetInfo &target = options.target;
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
  // A separable kernel's intermediate tensor: the depthwise result's bytes.
  std::optional<unsigned> intermediate;
  if (tail) {
    intermediate = arguments.size();
    arguments.push_back(tensor::EmptyOp::create(
        b, loc, ArrayRef<int64_t>{operands.batch, operands.outH, operands.outW, operands.filters},
        head.epilogue.byteType()));
  }
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
    std::unique_ptr<RowKernel> depthwise =
        makeDepthwiseRowKernel(kb, operands, head.epilogue, target, options.dense.allowBytePairs);
    std::unique_ptr<PointwiseRowKernel> pointwise =
        makePointwiseRowKernel(kb, tail->operands, tail->epilogue, target, options.dense);
    results = emitSeparableKernel(kb, loc, *depthwise, *pointwise,
                                  kernel.getArgument(*intermediate), dest);
  } else {
    std::unique_ptr<RowKernel> rows = makeRowKernel(kb, head, options);
    results = {emitRowKernel(kb, loc, *rows, dest, options.rowParts)};
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
    std::optional<RegisterTile> tile;
    if (!denseTile.empty()) {
      std::optional<RegisterTile> chosen = parseRegisterTile(denseTile);
      if (!chosen) {
        getOperation()->emitError() << "dense-tile: expected RxV (pixels x filter vectors, R "
                                       "in 1..8, V in 1..4), got '"
                                    << denseTile << "'";
        return signalPassFailure();
      }
      tile = chosen;
    }
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
    DenseChoices dense{tile, bytePairs};
    KernelOptions options{resolved, binaryKernels, separableKernels, rowParts, report, dense};
    llvm::SmallPtrSet<Operation *, 8> fusedAway;
    for (Operation *mac : macs) {
      if (fusedAway.contains(mac))
        continue;
      std::string whyNot;
      Operation *fused = nullptr;
      if (isa<BatchMatmulOp>(mac))
        whyNot = "batched matrix products have no kernel";
      else if (rewriteMac(mac, options, symbols, storage, whyNot, fused)) {
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
