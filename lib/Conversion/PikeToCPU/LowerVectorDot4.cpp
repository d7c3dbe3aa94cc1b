//===- LowerVectorDot4.cpp - pike.vector_dot4 to vpdpbusd or vectors ------===//

#include "pike/Conversion/Passes.h"
#include "pike/Dialect/Pike/IR/PikeOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

namespace mlir::pike {
#define GEN_PASS_DEF_PIKELOWERVECTORDOT4
#include "pike/Conversion/Passes.h.inc"
} // namespace mlir::pike

using namespace mlir;
using namespace mlir::pike;

namespace {

Value lowerToVnni(OpBuilder &b, VectorDot4Op op) {
  int64_t bits = op.getAccumulator().getType().getNumElements() * 32;
  std::string name = "llvm.x86.avx512.vpdpbusd." + std::to_string(bits);
  return LLVM::CallIntrinsicOp::create(b, op.getLoc(), op.getType(), b.getStringAttr(name),
                                       ValueRange{op.getAccumulator(), op.getLhs(), op.getRhs()})
      .getResult(0);
}

Value expand(OpBuilder &b, VectorDot4Op op) {
  Location loc = op.getLoc();
  VectorType accType = op.getType();
  int64_t lanes = accType.getNumElements();
  Value sum = op.getAccumulator();
  for (int64_t q = 0; q < 4; ++q) {
    SmallVector<int64_t> picks;
    for (int64_t i = 0; i < lanes; ++i)
      picks.push_back(4 * i + q);
    auto pick = [&](Value bytes) {
      return vector::ShuffleOp::create(b, loc, bytes, bytes, picks).getResult();
    };
    Value lhs = arith::ExtUIOp::create(b, loc, accType, pick(op.getLhs()));
    Value rhs = arith::ExtSIOp::create(b, loc, accType, pick(op.getRhs()));
    sum = arith::AddIOp::create(b, loc, sum, arith::MulIOp::create(b, loc, lhs, rhs));
  }
  return sum;
}

struct PikeLowerVectorDot4Pass
    : public mlir::pike::impl::PikeLowerVectorDot4Base<PikeLowerVectorDot4Pass> {
  using PikeLowerVectorDot4Base::PikeLowerVectorDot4Base;

  void runOnOperation() override {
    bool vnni = resolveCpuTarget(target) == CpuTarget::avx512_vnni;
    getOperation()->walk([&](VectorDot4Op op) {
      OpBuilder b(op);
      int64_t lanes = op.getType().getNumElements();
      bool native = vnni && (lanes == 4 || lanes == 8 || lanes == 16);
      op.replaceAllUsesWith(native ? lowerToVnni(b, op) : expand(b, op));
      op.erase();
    });
  }
};

} // namespace
