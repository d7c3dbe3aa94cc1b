//===- MemRefCopyToLinalg.cpp - memref.copy as linalg.copy ----------------===//

#include "pike/Conversion/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/MemRef/Utils/MemRefUtils.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::pike {
#define GEN_PASS_DEF_PIKEMEMREFCOPYTOLINALG
#include "pike/Conversion/Passes.h.inc"
} // namespace mlir::pike

using namespace mlir;

namespace {

struct PikeMemRefCopyToLinalgPass
    : public mlir::pike::impl::PikeMemRefCopyToLinalgBase<PikeMemRefCopyToLinalgPass> {
  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    getOperation()->walk([&](memref::CopyOp copy) {
      // Contiguous copies become llvm.memcpy in finalize-memref-to-llvm.
      auto contiguous = [](Value v) {
        return memref::isStaticShapeAndContiguousRowMajor(cast<MemRefType>(v.getType()));
      };
      if (contiguous(copy.getSource()) && contiguous(copy.getTarget()))
        return;
      rewriter.setInsertionPoint(copy);
      linalg::CopyOp::create(rewriter, copy.getLoc(), copy.getSource(),
                             copy.getTarget());
      rewriter.eraseOp(copy);
    });
  }
};

} // namespace
