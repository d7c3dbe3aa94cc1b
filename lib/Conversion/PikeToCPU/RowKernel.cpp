//===- RowKernel.cpp - Kernels run row by row (or part of a row) ----------===//
//
// A depthwise-separable block is a depthwise convolution whose output only
// a pointwise one reads. Run one after the other, the depthwise kernel
// writes its whole output and the pointwise kernel reads it back, from L2
// or beyond (N x H x W x C bytes: 401 KB on MobileNetV1's 112 x 112
// layers). In one loop over output rows each depthwise row is still
// written to its place, but read by the pointwise kernel while it is in
// L1, and the block pays for one parallel loop, not two.
//
// A layer of few rows (7x7, or a batch-1 fully-connected layer's one) is
// a parallel loop of too few iterations for its threads: its rows also
// split into parts of their channels, each filled apart.
//
//===----------------------------------------------------------------------===//

#include "RowKernel.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::pike;
using namespace mlir::pike::cpu;

RowKernel::~RowKernel() = default;

Value RowKernel::fillRowPart(OpBuilder &, Location, Value, Value, int64_t, int64_t, Value) {
  llvm_unreachable("a kernel without channel splits fills rows whole");
}

SmallVector<int64_t> mlir::pike::cpu::evenChannelSplits(int64_t vectors, int64_t lanes,
                                                        int64_t parts) {
  parts = std::min(parts, vectors);
  SmallVector<int64_t> splits;
  for (int64_t k = 1; k < parts; ++k)
    splits.push_back(k * vectors / parts * lanes);
  return splits;
}

namespace {

/// Rows a parallel loop should have at least, so that 2 to 4 threads get
/// nearly equal shares: 7 rows (a 7x7 layer) split 4 + 3 on two threads,
/// a batch-1 fully-connected layer's one row runs on one.
constexpr int64_t kBalancedRows = 16;
constexpr int64_t kMaxRowParts = 4;

/// The loop over rows (n, oh) and parts of their channels, split at
/// `splits`: each part is a [1, 1, W, size] slice of its row, filled by
/// `kernel` for its static channel range.
Value forEachRowPart(OpBuilder &b, Location loc, RowKernel &kernel, Value dest,
                     ArrayRef<int64_t> splits) {
  auto type = cast<RankedTensorType>(dest.getType());
  ArrayRef<int64_t> shape = type.getShape();
  SmallVector<int64_t> bounds = {0};
  bounds.append(splits.begin(), splits.end());
  bounds.push_back(shape[3]);
  int64_t parts = int64_t(bounds.size()) - 1;
  auto forall = scf::ForallOp::create(
      b, loc,
      ArrayRef<OpFoldResult>{b.getIndexAttr(shape[0]), b.getIndexAttr(shape[1]),
                             b.getIndexAttr(parts)},
      ValueRange{dest}, std::nullopt);
  Block *body = forall.getBody();
  Value n = body->getArgument(0), oh = body->getArgument(1), part = body->getArgument(2);
  Value shared = body->getArgument(3);
  OpBuilder rb = OpBuilder::atBlockTerminator(body);
  // The part's first channel and width, chosen from the static bounds.
  Value first = indexConst(rb, loc, 0), width = indexConst(rb, loc, bounds[1]);
  for (int64_t k = 1; k < parts; ++k) {
    Value isK = arith::CmpIOp::create(rb, loc, arith::CmpIPredicate::eq, part,
                                      indexConst(rb, loc, k));
    first = arith::SelectOp::create(rb, loc, isK, indexConst(rb, loc, bounds[k]), first);
    width = arith::SelectOp::create(rb, loc, isK, indexConst(rb, loc, bounds[k + 1] - bounds[k]),
                                    width);
  }
  SmallVector<OpFoldResult> offsets = {n, oh, rb.getIndexAttr(0), first};
  SmallVector<OpFoldResult> sizes = {rb.getIndexAttr(1), rb.getIndexAttr(1),
                                     rb.getIndexAttr(shape[2]), width};
  SmallVector<OpFoldResult> strides(4, rb.getIndexAttr(1));
  Value slice = tensor::ExtractSliceOp::create(rb, loc, shared, offsets, sizes, strides);
  SmallVector<int64_t> cases = llvm::to_vector(llvm::seq<int64_t>(0, parts));
  auto choice = scf::IndexSwitchOp::create(rb, loc, TypeRange{slice.getType()}, part, cases,
                                           int64_t(cases.size()));
  for (int64_t k = 0; k < parts; ++k) {
    OpBuilder cb = OpBuilder::atBlockBegin(&choice.getCaseRegions()[k].emplaceBlock());
    auto staticType = RankedTensorType::get({1, 1, shape[2], bounds[k + 1] - bounds[k]},
                                            type.getElementType());
    Value own = tensor::CastOp::create(cb, loc, staticType, slice);
    own = kernel.fillRowPart(cb, loc, n, oh, bounds[k], bounds[k + 1], own);
    scf::YieldOp::create(cb, loc, ValueRange{tensor::CastOp::create(cb, loc, slice.getType(), own)});
  }
  // No part index reaches the default.
  OpBuilder db = OpBuilder::atBlockBegin(&choice.getDefaultRegion().emplaceBlock());
  scf::YieldOp::create(db, loc, ValueRange{slice});
  OpBuilder tb = OpBuilder::atBlockBegin(forall.getTerminator().getBody());
  tensor::ParallelInsertSliceOp::create(tb, loc, choice.getResult(0), shared, offsets, sizes,
                                        strides);
  return forall.getResult(0);
}

} // namespace

Value mlir::pike::cpu::emitRowKernel(OpBuilder &b, Location loc, RowKernel &kernel, Value dest,
                                    bool rowParts) {
  kernel.materialize(b, loc);
  ArrayRef<int64_t> shape = cast<RankedTensorType>(dest.getType()).getShape();
  int64_t rows = shape[0] * shape[1];
  if (rowParts && rows < kBalancedRows) {
    int64_t parts = std::min<int64_t>(kMaxRowParts, llvm::divideCeil(kBalancedRows, rows));
    SmallVector<int64_t> splits = kernel.channelSplits(parts);
    if (!splits.empty())
      return forEachRowPart(b, loc, kernel, dest, splits);
  }
  return forEachOutputRow(b, loc, dest,
                          [&](OpBuilder &nb, Location nl, Value n, Value oh, Value row) {
                            return kernel.fillRow(nb, nl, n, oh, row);
                          });
}

SmallVector<Value> mlir::pike::cpu::emitSeparableKernel(OpBuilder &b, Location loc,
                                                        RowKernel &depthwise,
                                                        PointwiseRowKernel &pointwise,
                                                        Value intermediate, Value dest) {
  depthwise.materialize(b, loc);
  pointwise.materialize(b, loc);
  return forEachOutputRow(
      b, loc, ValueRange{intermediate, dest},
      [&](OpBuilder &nb, Location nl, Value n, Value oh, ValueRange row) {
        Value middle = depthwise.fillRow(nb, nl, n, oh, row[0]);
        pointwise.setRowInput(middle);
        return SmallVector<Value>{middle, pointwise.fillRow(nb, nl, n, oh, row[1])};
      });
}
