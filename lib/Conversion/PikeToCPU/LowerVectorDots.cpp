//===- LowerVectorDots.cpp - pike.vector_dot4 to vpdpbusd or vectors ------===//

#include "pike/Conversion/Passes.h"
#include "pike/Dialect/Pike/IR/PikeOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

namespace mlir::pike {
#define GEN_PASS_DEF_PIKELOWERVECTORDOTS
#include "pike/Conversion/Passes.h.inc"
} // namespace mlir::pike

using namespace mlir;
using namespace mlir::pike;

namespace {

/// `llvm.x86.avx512.<name>.<bits>` on the op's operands.
Value callVnni(OpBuilder &b, Operation *op, StringRef name) {
  auto accType = cast<VectorType>(op->getResult(0).getType());
  std::string intrinsic = ("llvm.x86.avx512." + name + "." +
                           Twine(accType.getNumElements() * 32)).str();
  return LLVM::CallIntrinsicOp::create(b, op->getLoc(), accType, b.getStringAttr(intrinsic),
                                       op->getOperands())
      .getResult(0);
}

/// acc + sum over q < ways of ext(lhs[ways*i + q]) * ext(rhs[ways*i + q]),
/// lhs zero-extended if `lhsUnsigned`, everything else sign-extended.
Value expand(OpBuilder &b, Operation *op, int64_t ways, bool lhsUnsigned) {
  Location loc = op->getLoc();
  auto accType = cast<VectorType>(op->getResult(0).getType());
  int64_t lanes = accType.getNumElements();
  Value sum = op->getOperand(0);
  for (int64_t q = 0; q < ways; ++q) {
    SmallVector<int64_t> picks;
    for (int64_t i = 0; i < lanes; ++i)
      picks.push_back(ways * i + q);
    auto pick = [&](Value v) {
      return vector::ShuffleOp::create(b, loc, v, v, picks).getResult();
    };
    Value lhs = pick(op->getOperand(1)), rhs = pick(op->getOperand(2));
    lhs = lhsUnsigned ? arith::ExtUIOp::create(b, loc, accType, lhs).getResult()
                      : arith::ExtSIOp::create(b, loc, accType, lhs).getResult();
    rhs = arith::ExtSIOp::create(b, loc, accType, rhs);
    sum = arith::AddIOp::create(b, loc, sum, arith::MulIOp::create(b, loc, lhs, rhs));
  }
  return sum;
}

} // namespace

namespace {

struct PikeLowerVectorDotsPass
    : public mlir::pike::impl::PikeLowerVectorDotsBase<PikeLowerVectorDotsPass> {
  using PikeLowerVectorDotsBase::PikeLowerVectorDotsBase;

  void runOnOperation() override {
    bool vnni = resolveCpuTarget(target) == CpuTarget::avx512_vnni;
    auto native = [&](Operation *op) {
      int64_t lanes = cast<VectorType>(op->getResult(0).getType()).getNumElements();
      return vnni && (lanes == 4 || lanes == 8 || lanes == 16);
    };
    getOperation()->walk([&](Operation *op) {
      if (!isa<VectorDot4Op, VectorDot2Op>(op))
        return;
      OpBuilder b(op);
      bool quads = isa<VectorDot4Op>(op);
      Value lowered = native(op) ? callVnni(b, op, quads ? "vpdpbusd" : "vpdpwssd")
                                 : expand(b, op, quads ? 4 : 2, /*lhsUnsigned=*/quads);
      op->getResult(0).replaceAllUsesWith(lowered);
      op->erase();
    });
  }
};

} // namespace
