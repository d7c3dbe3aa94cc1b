//===- RowKernel.cpp - Kernels run row by row, alone or two in one loop ---===//
//
// A depthwise-separable block is a depthwise convolution whose output only
// a pointwise one reads. Run one after the other, the depthwise kernel
// writes its whole output and the pointwise kernel reads it back, from L2
// or beyond (N x H x W x C bytes: 401 KB on MobileNetV1's 112 x 112
// layers). In one loop over output rows each depthwise row is still
// written to its place, but read by the pointwise kernel while it is in
// L1, and the block pays for one parallel loop, not two.
//
//===----------------------------------------------------------------------===//

#include "RowKernel.h"

using namespace mlir;
using namespace mlir::pike;
using namespace mlir::pike::cpu;

RowKernel::~RowKernel() = default;

Value mlir::pike::cpu::emitRowKernel(OpBuilder &b, Location loc, RowKernel &kernel, Value dest) {
  kernel.materialize(b, loc);
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
