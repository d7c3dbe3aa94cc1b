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

/// Replaces `mac` (and the epilogue it absorbs) by a call of a new private
/// kernel function inserted into `symbols`; false if no kernel computes it
/// exactly, with the reason in `whyNot`.
bool rewriteMac(Operation *mac, const CpuTargetInfo &target, bool binaryKernels,
                SymbolTable &symbols, ByteStorage &storage, std::string &whyNot) {
  FailureOr<MacOperands> operands = matchMacOperands(mac, target, whyNot);
  if (failed(operands))
    return false;
  bool binary = binaryKernels && fitsBinaryKernel(*operands);
  Epilogue epilogue = fusableEpilogue(mac, operands->accType, target.lanes());
  epilogue.accumulatorBounds = accumulatorBounds(*operands);
  Value skipOperand = epilogue.fuseResidual();
  Operation *last = epilogue.residual ? epilogue.residual.getOperation()
                    : epilogue.op     ? epilogue.op
                                      : mac;
  Location loc = mac->getLoc();
  OpBuilder b(last);
  bool isFullyConnected = isa<FullyConnectedOp>(mac);
  if (binary)
    readBipolarSource(b, loc, *operands);
  Value input = storage.asBytes(b, loc, operands->input, operands->inputUnsigned);
  if (isFullyConnected)
    input = tensor::ExpandShapeOp::create(
        b, loc,
        RankedTensorType::get({1, 1, operands->width, operands->channels}, b.getI8Type()),
        input, rowsAsPixels());
  auto resultType = RankedTensorType::get(
      {operands->batch, operands->outH, operands->outW, operands->filters},
      epilogue.byteType());

  auto parent = mac->getParentOfType<FunctionOpInterface>();
  std::string name = (parent ? parent.getName().str() + "_" : std::string()) +
                     mac->getName().stripDialect().str();
  OpBuilder moduleBuilder(symbols.getOp()->getContext());
  // Destination-passing: the caller owns the result buffer, so the last
  // layer writes straight into a function's result.
  // Inserted at `last`, the call sees the residual's other operand.
  SmallVector<Value> arguments = {input};
  if (skipOperand)
    arguments.push_back(storage.asBytes(
        b, loc, skipOperand,
        epilogue.residualIsLhs ? epilogue.residual.getRhsUnsigned()
                               : epilogue.residual.getLhsUnsigned()));
  SmallVector<Type> argumentTypes = llvm::to_vector(ValueRange(arguments).getTypes());
  argumentTypes.push_back(resultType);
  auto kernel = func::FuncOp::create(moduleBuilder, loc, name,
                                     b.getFunctionType(argumentTypes, {resultType}));
  kernel.setPrivate();
  symbols.insert(kernel, parent ? Block::iterator(parent.getOperation())
                                : symbols.getOp()->getRegion(0).front().end());
  OpBuilder kb = OpBuilder::atBlockBegin(kernel.addEntryBlock());
  operands->input = kernel.getArgument(0);
  if (skipOperand)
    epilogue.skip = kernel.getArgument(1);
  Value dest = kernel.getArguments().back();
  Value result;
  if (binary)
    result = emitBinaryKernel(kb, loc, *operands, epilogue, target, dest);
  else if (operands->isDepthwise())
    result = emitDepthwiseKernel(kb, loc, *operands, epilogue, target, dest);
  else
    result = emitDenseKernel(kb, loc, *operands, epilogue, target, dest);
  func::ReturnOp::create(kb, loc, result);

  Value empty = tensor::EmptyOp::create(b, loc, resultType.getShape(),
                                        resultType.getElementType());
  arguments.push_back(empty);
  result = func::CallOp::create(b, loc, kernel, arguments).getResult(0);
  if (isFullyConnected)
    result = tensor::CollapseShapeOp::create(b, loc, result, rowsAsPixels());
  if (epilogue.byteType() != epilogue.storedType())
    result = storage.narrow(b, loc, result, epilogue.storedType(), epilogue.storedUnsigned());
  last->getResult(0).replaceAllUsesWith(result);
  if (epilogue.residual)
    epilogue.residual->erase();
  if (epilogue.op)
    epilogue.op->erase();
  // The weights and bias now live packed in the kernel.
  SmallVector<Operation *> constants;
  for (Value operand : mac->getOperands().drop_front())
    if (Operation *def = operand.getDefiningOp())
      constants.push_back(def);
  mac->erase();
  for (Operation *def : constants)
    if (def->use_empty() && isPure(def))
      def->erase();
  if (binary)
    eraseUnusedBipolarChain(*operands);
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
    for (Operation *mac : macs) {
      std::string whyNot;
      if (isa<BatchMatmulOp>(mac))
        whyNot = "batched matrix products have no kernel";
      else if (rewriteMac(mac, resolved, binaryKernels, symbols, storage, whyNot))
        continue;
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
