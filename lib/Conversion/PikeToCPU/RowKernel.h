//===- RowKernel.h - MAC kernels computed one output row at a time -*- C++ -*-===//

#ifndef PIKE_LIB_CONVERSION_PIKETOCPU_ROWKERNEL_H
#define PIKE_LIB_CONVERSION_PIKETOCPU_ROWKERNEL_H

#include "MacOperands.h"

#include "pike/Conversion/RegisterTile.h"

#include <memory>

namespace mlir::pike::cpu {

/// A MAC kernel, computed one output row at a time: `materialize` emits its
/// constants (and any copy of its input) once, at the kernel's entry;
/// `fillRow` fills the output row (n, oh), a [1, 1, OW, F] slice, inside
/// the parallel loop over rows. Each holds references to the MacOperands
/// and Epilogue it was made from, which must outlive it.
class RowKernel {
public:
  virtual ~RowKernel();
  virtual void materialize(OpBuilder &b, Location loc) = 0;
  virtual Value fillRow(OpBuilder &b, Location loc, Value n, Value oh, Value row) = 0;
  /// Where a row's channels can split into up to `parts` parts filled
  /// apart: the first channel of each part after the first, ascending,
  /// whole vectors apart; none when the kernel fills rows whole.
  virtual SmallVector<int64_t> channelSplits(int64_t parts) const { return {}; }
  /// Fills channels [first, last) of the output row (n, oh): `part`, a
  /// [1, 1, OW, last - first] slice at channel `first` (channelSplits).
  virtual Value fillRowPart(OpBuilder &b, Location loc, Value n, Value oh, int64_t first,
                            int64_t last, Value part);
};

/// Up to `parts` part starts after 0 for `vectors` vectors of `lanes`
/// channels, as even as whole vectors allow.
SmallVector<int64_t> evenChannelSplits(int64_t vectors, int64_t lanes, int64_t parts);

/// How the dense kernel computes: its register tile, and whether it may
/// step on byte pairs (pike.vector_dot2_bytes) where the target has them
/// and no quads, and the operands' ranges keep the pairs' sums in i16.
struct DenseChoices {
  /// The register tile; none: registerTile's for the target and the layer's
  /// steps.
  std::optional<RegisterTile> tile;
  bool allowBytePairs = true;
};

/// The dense kernel: dense and grouped convolutions (any groups) and
/// fully-connected layers (DenseKernel.cpp).
std::unique_ptr<RowKernel> makeDenseRowKernel(OpBuilder &b, const MacOperands &mac,
                                              Epilogue &epilogue, const CpuTargetInfo &target,
                                              DenseChoices choices);
/// The depthwise kernel (isDepthwise: channel multiplier 1): on byte quads
/// where it fits (DepthwiseQuadKernel.cpp), or on byte pairs where the
/// target has them, `allowBytePairs` and the weights keep the pairs' sums
/// in i16; else on i16 pairs or i32 lanes.
std::unique_ptr<RowKernel> makeDepthwiseRowKernel(OpBuilder &b, const MacOperands &mac,
                                                  Epilogue &epilogue, const CpuTargetInfo &target,
                                                  bool allowBytePairs);
/// The quad kernel: on byte quads, or where `pairRun` > 0 (depthwisePairRun)
/// on byte pairs, that many kernel columns a run.
std::unique_ptr<RowKernel> makeDepthwiseQuadRowKernel(OpBuilder &b, const MacOperands &mac,
                                                      Epilogue &epilogue,
                                                      const CpuTargetInfo &target, int64_t pairRun);
/// The XOR-popcount kernel (BinaryKernel.cpp, fitsBinaryKernel).
std::unique_ptr<RowKernel> makeBinaryRowKernel(OpBuilder &b, const MacOperands &mac,
                                               Epilogue &epilogue, const CpuTargetInfo &target);

/// The dense kernel of a pointwise layer that reads each output row's
/// input from the [1, 1, W, C] tensor `setRowInput` gives before each
/// fillRow, not from mac.input.
class PointwiseRowKernel : public RowKernel {
public:
  virtual void setRowInput(Value rowInput) = 0;
};
/// Whether `mac` can be a PointwiseRowKernel: 1x1, stride 1, no padding,
/// and a kernel that reads its input in place (no copy with padded
/// channels, bytes read with the other signedness, or i16 pairs); else
/// the reason in `whyNot`.
bool fitsPointwiseRowKernel(const MacOperands &mac, const CpuTargetInfo &target,
                            DenseChoices choices, std::string &whyNot);
std::unique_ptr<PointwiseRowKernel> makePointwiseRowKernel(OpBuilder &b, const MacOperands &mac,
                                                           Epilogue &epilogue,
                                                           const CpuTargetInfo &target,
                                                           DenseChoices choices);

/// `kernel`'s constants, then its rows in one parallel loop over `dest`
/// (NHWC, the epilogue's stored type), every element of which it writes;
/// returns `dest` filled. A layer of few rows loops over parts of rows
/// too (channelSplits) where `rowParts`, so that its rows' work spreads
/// over the threads.
Value emitRowKernel(OpBuilder &b, Location loc, RowKernel &kernel, Value dest, bool rowParts);

/// A depthwise layer and the pointwise layer that reads its output, in one
/// loop over output rows: each depthwise row goes to its place in
/// `intermediate` (NHWC bytes) and is at once read by the pointwise kernel,
/// from L1, into its row of `dest`. Returns both filled; the kernel
/// function must return both, since a loop result nobody reads is dropped
/// and its rows then become a buffer allocated inside the loop.
SmallVector<Value> emitSeparableKernel(OpBuilder &b, Location loc, RowKernel &depthwise,
                                       PointwiseRowKernel &pointwise, Value intermediate,
                                       Value dest);

} // namespace mlir::pike::cpu

#endif // PIKE_LIB_CONVERSION_PIKETOCPU_ROWKERNEL_H
