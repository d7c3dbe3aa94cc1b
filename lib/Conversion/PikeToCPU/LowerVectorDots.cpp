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
/// lhs zero-extended if `lhsUnsigned`, everything else sign-extended: the
/// products of every lane, then each `ways` neighbours summed by strided
/// shuffles. In this order LLVM recognizes pairs of i16 as pmaddwd (SSE2,
/// AVX2); shuffling before multiplying it does not.
Value expand(OpBuilder &b, Operation *op, int64_t ways, bool lhsUnsigned) {
  Location loc = op->getLoc();
  auto accType = cast<VectorType>(op->getResult(0).getType());
  int64_t lanes = accType.getNumElements();
  auto wideType = VectorType::get({lanes * ways}, accType.getElementType());
  Value lhs = op->getOperand(1), rhs = op->getOperand(2);
  lhs = lhsUnsigned ? arith::ExtUIOp::create(b, loc, wideType, lhs).getResult()
                    : arith::ExtSIOp::create(b, loc, wideType, lhs).getResult();
  rhs = arith::ExtSIOp::create(b, loc, wideType, rhs);
  Value products = arith::MulIOp::create(b, loc, lhs, rhs);
  Value sum;
  for (int64_t q = 0; q < ways; ++q) {
    SmallVector<int64_t> picks;
    for (int64_t i = 0; i < lanes; ++i)
      picks.push_back(ways * i + q);
    Value part = vector::ShuffleOp::create(b, loc, products, products, picks);
    sum = sum ? arith::AddIOp::create(b, loc, sum, part).getResult() : part;
  }
  return arith::AddIOp::create(b, loc, op->getOperand(0), sum);
}

} // namespace

namespace {

struct PikeLowerVectorDotsPass
    : public mlir::pike::impl::PikeLowerVectorDotsBase<PikeLowerVectorDotsPass> {
  using PikeLowerVectorDotsBase::PikeLowerVectorDotsBase;

  void runOnOperation() override {
    const CpuTargetInfo &info = cpuTargetInfo(target);
    // What the code is built for, which an AOT library's CPU check must
    // match (pike-translate reads it).
    if (auto module = dyn_cast<ModuleOp>(getOperation()))
      module->setAttr("pike.target", StringAttr::get(module.getContext(), info.name));
    auto native = [&](Operation *op) {
      int64_t lanes = cast<VectorType>(op->getResult(0).getType()).getNumElements();
      if (lanes != 4 && lanes != 8 && lanes != 16)
        return false;
      return isa<VectorDot4Op>(op) ? info.hasU8S8Quads() : info.hasI16Pairs();
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
