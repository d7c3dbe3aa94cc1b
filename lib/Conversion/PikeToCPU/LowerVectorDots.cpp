//===- LowerVectorDots.cpp - Dot steps to the target's instructions ------===//

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

/// `name` on the op's operands, one call per `lanes` accumulator lanes (the
/// instruction's register width) when the op is wider; with `swapped`, its
/// two multiplicands the other way round. An instruction that does not
/// `accumulate` takes the multiplicands alone, and its result is added to
/// the accumulator.
Value callIntrinsic(OpBuilder &b, Operation *op, StringRef name, int64_t lanes,
                    bool swapped = false, bool accumulates = true) {
  Location loc = op->getLoc();
  auto accType = cast<VectorType>(op->getResult(0).getType());
  auto lhsType = cast<VectorType>(op->getOperand(1).getType());
  int64_t total = accType.getNumElements();
  int64_t elementsPerLane = lhsType.getNumElements() / total;
  Value acc = op->getOperand(0), lhs = op->getOperand(1), rhs = op->getOperand(2);
  if (swapped)
    std::swap(lhs, rhs);
  auto call = [&](Type type, Value a, Value l, Value r) {
    SmallVector<Value> operands;
    if (accumulates)
      operands.push_back(a);
    operands.append({l, r});
    return LLVM::CallIntrinsicOp::create(b, loc, type, b.getStringAttr(name), operands)
        .getResult(0);
  };
  Value result;
  if (total == lanes) {
    result = call(accType, acc, lhs, rhs);
  } else {
    auto chunkType = VectorType::get({lanes}, accType.getElementType());
    result =
        accumulates ? acc : arith::ConstantOp::create(b, loc, b.getZeroAttr(accType)).getResult();
    for (int64_t at = 0; at < total; at += lanes) {
      auto slice = [&](Value v, int64_t offset, int64_t size) {
        return vector::ExtractStridedSliceOp::create(b, loc, v, ArrayRef<int64_t>{offset},
                                                     ArrayRef<int64_t>{size}, ArrayRef<int64_t>{1})
            .getResult();
      };
      // Sliced in this order: a call's arguments are evaluated in none.
      Value accPart = accumulates ? slice(acc, at, lanes) : Value();
      Value lhsPart = slice(lhs, at * elementsPerLane, lanes * elementsPerLane);
      Value rhsPart = slice(rhs, at * elementsPerLane, lanes * elementsPerLane);
      Value part = call(chunkType, accPart, lhsPart, rhsPart);
      result = vector::InsertStridedSliceOp::create(b, loc, part, result, ArrayRef<int64_t>{at},
                                                    ArrayRef<int64_t>{1});
    }
  }
  return accumulates ? result : arith::AddIOp::create(b, loc, acc, result).getResult();
}

/// acc[i] + sum over q < ways of ext(lhs[lhsAt(i, q)]) * sext(rhs[rhsAt(i, q)]),
/// lhs zero-extended if `lhsUnsigned`: the operands gathered into product
/// order (a no-op shuffle for the dot steps), the products of every lane,
/// then each `ways` neighbours summed by strided shuffles. In this order
/// LLVM recognizes pairs of i16 as pmaddwd (SSE2, AVX2); shuffling before
/// multiplying it does not.
Value expand(OpBuilder &b, Operation *op, int64_t ways, bool lhsUnsigned,
             function_ref<int64_t(int64_t, int64_t)> lhsAt,
             function_ref<int64_t(int64_t, int64_t)> rhsAt) {
  Location loc = op->getLoc();
  auto accType = cast<VectorType>(op->getResult(0).getType());
  int64_t lanes = accType.getNumElements();
  auto wideType = VectorType::get({lanes * ways}, accType.getElementType());
  auto gather = [&](Value v, function_ref<int64_t(int64_t, int64_t)> at) -> Value {
    SmallVector<int64_t> picks;
    bool identity = true;
    for (int64_t i = 0; i < lanes; ++i)
      for (int64_t q = 0; q < ways; ++q) {
        picks.push_back(at(i, q));
        identity &= picks.back() == int64_t(picks.size()) - 1;
      }
    return identity ? v : vector::ShuffleOp::create(b, loc, v, v, picks).getResult();
  };
  Value lhs = gather(op->getOperand(1), lhsAt), rhs = gather(op->getOperand(2), rhsAt);
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

/// pike.vector_dot2_bytes: the even and the odd bytes apart, widened to i32,
/// multiplied, each pair summed and clamped to i16. In this order LLVM
/// selects pmaddubsw for it (SSSE3, AVX2, AVX-512BW).
Value expandBytePairs(OpBuilder &b, VectorDot2BytesOp op) {
  Location loc = op.getLoc();
  VectorType accType = op.getAccumulator().getType();
  int64_t lanes = accType.getNumElements();
  auto wideType = VectorType::get({lanes}, b.getI32Type());
  auto half = [&](Value v, int64_t q, bool isUnsigned) -> Value {
    SmallVector<int64_t> picks;
    for (int64_t i = 0; i < lanes; ++i)
      picks.push_back(2 * i + q);
    Value picked = vector::ShuffleOp::create(b, loc, v, v, picks);
    return isUnsigned ? arith::ExtUIOp::create(b, loc, wideType, picked).getResult()
                      : arith::ExtSIOp::create(b, loc, wideType, picked).getResult();
  };
  auto product = [&](int64_t q) -> Value {
    return arith::MulIOp::create(b, loc, half(op.getLhs(), q, true), half(op.getRhs(), q, false));
  };
  Value sum = arith::AddIOp::create(b, loc, product(0), product(1));
  Value low = arith::ConstantOp::create(b, loc, DenseElementsAttr::get(wideType, int32_t(-32768)));
  Value high = arith::ConstantOp::create(b, loc, DenseElementsAttr::get(wideType, int32_t(32767)));
  Value clamped = arith::MinSIOp::create(b, loc, arith::MaxSIOp::create(b, loc, sum, low), high);
  Value narrow = arith::TruncIOp::create(b, loc, accType, clamped);
  return arith::AddIOp::create(b, loc, op.getAccumulator(), narrow);
}

/// The op as the target's instruction, or an empty value when it has none.
Value lowerNative(OpBuilder &b, Operation *op, const CpuTargetInfo &info) {
  int64_t lanes = cast<VectorType>(op->getResult(0).getType()).getNumElements();
  // vpmaddubsw (AVX2), called by name: where a block is one step, LLVM
  // folds the portable form into the pmaddwd after it and multiplies in
  // i32 lanes instead.
  if (isa<VectorDot2BytesOp>(op) && info.hasU8S8Pairs())
    return lanes % 16 == 0 ? callIntrinsic(b, op, "llvm.x86.avx2.pmadd.ub.sw", 16,
                                           /*swapped=*/false, /*accumulates=*/false)
                           : Value();
  if (info.dot == DotProduct::x86Vnni) {
    if (lanes != 4 && lanes != 8 && lanes != 16)
      return {};
    std::string width = std::to_string(lanes * 32);
    if (isa<VectorDot2Op>(op))
      return callIntrinsic(b, op, "llvm.x86.avx512.vpdpwssd." + width, lanes);
    if (auto dot4 = dyn_cast<VectorDot4Op>(op); dot4 && !dot4.getLhsSigned())
      return callIntrinsic(b, op, "llvm.x86.avx512.vpdpbusd." + width, lanes);
    return {};
  }
  // AArch64's instructions work on 128-bit registers: 4 lanes at a time.
  if (!info.isAArch64() || lanes % 4 != 0)
    return {};
  if (auto dot4 = dyn_cast<VectorDot4Op>(op)) {
    if (dot4.getLhsSigned() && info.hasS8S8Quads())
      // Symmetric: the kernels' pixel bytes (often a lane broadcast) go
      // second, where LLVM selects the indexed form `sdot v.4s, w.16b, x.4b[j]`.
      return callIntrinsic(b, op, "llvm.aarch64.neon.sdot.v4i32.v16i8", 4, /*swapped=*/true);
    if (!dot4.getLhsSigned() && info.hasU8S8Quads())
      return callIntrinsic(b, op, "llvm.aarch64.neon.usdot.v4i32.v16i8", 4);
    return {};
  }
  if (auto mmla = dyn_cast<VectorMmlaOp>(op); mmla && info.hasByteMatrixTiles())
    return callIntrinsic(b, op,
                         mmla.getLhsSigned() ? "llvm.aarch64.neon.smmla.v4i32.v16i8"
                                             : "llvm.aarch64.neon.usmmla.v4i32.v16i8",
                         4);
  return {};
}

/// The op in portable vector arithmetic.
Value lowerPortable(OpBuilder &b, Operation *op) {
  if (auto pairs = dyn_cast<VectorDot2BytesOp>(op))
    return expandBytePairs(b, pairs);
  auto consecutive = [](int64_t ways) {
    return [ways](int64_t i, int64_t q) { return ways * i + q; };
  };
  if (isa<VectorDot2Op>(op))
    return expand(b, op, 2, /*lhsUnsigned=*/false, consecutive(2), consecutive(2));
  if (auto dot4 = dyn_cast<VectorDot4Op>(op))
    return expand(b, op, 4, !dot4.getLhsSigned(), consecutive(4), consecutive(4));
  // Lane 4t + 2i + j: row i of the tile's lhs against row j of its rhs.
  auto mmla = cast<VectorMmlaOp>(op);
  return expand(
      b, op, 8, !mmla.getLhsSigned(),
      [](int64_t lane, int64_t k) { return lane / 4 * 16 + lane % 4 / 2 * 8 + k; },
      [](int64_t lane, int64_t k) { return lane / 4 * 16 + lane % 2 * 8 + k; });
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
    getOperation()->walk([&](Operation *op) {
      if (!isa<VectorDot4Op, VectorDot2Op, VectorDot2BytesOp, VectorMmlaOp>(op))
        return;
      OpBuilder b(op);
      Value lowered = lowerNative(b, op, info);
      if (!lowered)
        lowered = lowerPortable(b, op);
      op->getResult(0).replaceAllUsesWith(lowered);
      op->erase();
    });
  }
};

} // namespace
