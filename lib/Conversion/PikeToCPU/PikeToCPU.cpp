//===- PikeToCPU.cpp - MAC ops and their epilogues into CPU kernels -------===//

#include "MacOperands.h"

#include "pike/Conversion/Passes.h"
#include "pike/Dialect/Pike/IR/PikeOps.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"

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

/// Replaces `mac` (and the epilogue it absorbs) by a kernel; false if it
/// cannot be computed exactly by one, with the reason in `whyNot`.
bool rewriteMac(Operation *mac, CpuTarget target, std::string &whyNot) {
  FailureOr<MacOperands> operands = matchMacOperands(mac, whyNot);
  if (failed(operands))
    return false;
  Epilogue epilogue = fusableEpilogue(mac, operands->accType);
  Operation *last = epilogue.op ? epilogue.op : mac;
  OpBuilder b(last);
  Location loc = mac->getLoc();
  bool isFullyConnected = isa<FullyConnectedOp>(mac);
  if (isFullyConnected)
    operands->input = tensor::ExpandShapeOp::create(
        b, loc,
        RankedTensorType::get({1, 1, operands->width, operands->channels},
                              b.getI8Type()),
        operands->input, rowsAsPixels());
  bool depthwise = isa<Conv2DOp>(mac) && cast<Conv2DOp>(mac).getGroups() != 1;
  Value result = depthwise ? emitDepthwiseKernel(b, loc, *operands, epilogue)
                           : emitDenseKernel(b, loc, *operands, epilogue, target);
  if (isFullyConnected)
    result = tensor::CollapseShapeOp::create(b, loc, result, rowsAsPixels());
  last->getResult(0).replaceAllUsesWith(result);
  if (epilogue.op)
    epilogue.op->erase();
  mac->erase();
  return true;
}

struct ConvertPikeToCPUKernelsPass
    : public mlir::pike::impl::ConvertPikeToCPUKernelsBase<ConvertPikeToCPUKernelsPass> {
  using ConvertPikeToCPUKernelsBase::ConvertPikeToCPUKernelsBase;

  void runOnOperation() override {
    CpuTarget resolved = resolveCpuTarget(target);
    if (resolved == CpuTarget::scalar)
      return;
    SmallVector<Operation *> macs;
    getOperation()->walk([&](Operation *op) {
      if (isa<Conv2DOp, FullyConnectedOp>(op))
        macs.push_back(op);
    });
    for (Operation *mac : macs) {
      std::string whyNot;
      if (!rewriteMac(mac, resolved, whyNot) && report)
        mac->emitRemark() << "no " << cpuTargetName(resolved)
                          << " kernel (lowered through linalg): " << whyNot;
    }
  }
};

} // namespace
