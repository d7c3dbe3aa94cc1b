//===- MacOperands.h - A MAC op's operands as the kernels take them -*- C++ -*-===//

#ifndef PIKE_LIB_CONVERSION_PIKETOCPU_MACOPERANDS_H
#define PIKE_LIB_CONVERSION_PIKETOCPU_MACOPERANDS_H

#include "KernelSupport.h"

#include "mlir/IR/PatternMatch.h"

#include <memory>
#include <vector>

namespace mlir::pike::cpu {

/// A convolution (a fully-connected layer is a 1x1 one over [1, 1, M, K])
/// whose weights are compile-time constants that fit in s8 once centered.
struct MacOperands {
  Value input;                      // NHWC, at most 8 bits (kernels take it as i8)
  bool inputUnsigned = false;
  int64_t inputZp = 0;
  int64_t batch = 0, height = 0, width = 0, channels = 0;
  int64_t filters = 0, kernelH = 0, kernelW = 0;
  /// Filter f reads channels [g * C / groups, (g + 1) * C / groups) of its
  /// group g = f / (filters / groups).
  int64_t groups = 1;
  int64_t outH = 0, outW = 0;
  SmallVector<int64_t, 4> strides, dilations, padding;
  /// w[f][kh][kw][c] - weight_zp, each in [-128, 127], c a channel of f's
  /// group ([f][kh][kw] for depthwise, whose c is f).
  std::vector<int8_t> weights;
  /// The op's bias per filter (zeros when it has none), exact.
  std::vector<int64_t> bias;
  IntegerType accType;
  /// Set when every input value, less inputZp, is -1 or +1 because the
  /// input is a pike.requantize (BipolarQuant's sign, as imported) of a
  /// tensor of at most 8 bits, maybe through one more requantize, reshapes
  /// and transposes, and a source value x reads as -1 exactly when x <
  /// bipolarThreshold (a requantize never decreases): that tensor, read
  /// with bipolarSourceUnsigned. The binary kernel reads it in place of the
  /// input, moved like it.
  Value bipolarSource;
  bool bipolarSourceUnsigned = false;
  int64_t bipolarThreshold = 0;
  /// The reshapes, transposes and requantizes from the input down to the
  /// source.
  SmallVector<Operation *> bipolarChain;

  /// One group per channel and filter: the depthwise kernel's case.
  bool isDepthwise() const { return groups > 1 && groups == channels && filters == channels; }
};

/// The operands of `op` (pike.conv2d or pike.fully_connected) if a kernel
/// can compute it exactly, else a reason it cannot.
FailureOr<MacOperands> matchMacOperands(Operation *op, const CpuTargetInfo &target,
                                        std::string &whyNot);

/// Per filter, the largest magnitude its accumulator can reach,
/// sum |(x - zp) * w| + |bias| over the input type's range (saturated at
/// INT64_MAX): what an epilogue may assume of the values it scales.
SmallVector<int64_t> accumulatorBounds(const MacOperands &mac);

/// A kernel computed one output row at a time, as every MAC kernel is:
/// `materialize` emits its constants (and any copy of its input) once, at
/// the kernel's entry; `fillRow` fills the output row (n, oh), a [1, 1, OW,
/// F] slice, inside the loop over rows. A separable block runs two of them
/// in one loop (emitSeparableKernel).
class RowKernel {
public:
  virtual ~RowKernel();
  virtual void materialize(OpBuilder &b, Location loc) = 0;
  virtual Value fillRow(OpBuilder &b, Location loc, Value n, Value oh, Value row) = 0;
};

/// The depthwise kernel of `mac` (isDepthwise: channel multiplier 1): on
/// byte quads where it fits, else on i16 pairs or i32 lanes.
std::unique_ptr<RowKernel> makeDepthwiseRowKernel(OpBuilder &b, const MacOperands &mac,
                                                  Epilogue &epilogue, const CpuTargetInfo &target);
/// The dense kernel of a pointwise `mac` (1x1, stride 1, no padding) that
/// reads each output row's input from the [1, 1, W, C] tensor `setRowInput`
/// gives before each fillRow, not from mac.input; null when its kernel
/// would need a copy of the input first (padded channels, bytes read with
/// the other signedness, or i16 pairs).
class PointwiseRowKernel : public RowKernel {
public:
  virtual void setRowInput(Value rowInput) = 0;
};
std::unique_ptr<PointwiseRowKernel> makePointwiseRowKernel(OpBuilder &b, const MacOperands &mac,
                                                           Epilogue &epilogue,
                                                           const CpuTargetInfo &target);

/// A depthwise convolution and the pointwise one that reads its output, in
/// one loop over output rows: each row of the depthwise result is computed
/// and at once read by the pointwise kernel while it is in L1, instead of
/// the whole intermediate tensor being written and read back. `dest` is
/// the pointwise result (NHWC, its epilogue's stored type); each depthwise
/// row goes to its place in `intermediate` (NHWC bytes). Returns both
/// filled, and the kernel must return both: a loop result nobody reads is
/// dropped, and its rows then became a buffer per row, allocated inside
/// the loop.
SmallVector<Value> emitSeparableKernel(OpBuilder &b, Location loc,
                                       std::unique_ptr<RowKernel> depthwise,
                                       std::unique_ptr<PointwiseRowKernel> pointwise,
                                       Value intermediate, Value dest);

/// Emit the kernel that replaces a dense or grouped convolution (any
/// groups). It and emitRowKernel write every element of `dest` (NHWC, the
/// epilogue's stored type) and return it: the value the epilogue's op (or
/// the MAC op, when there is none) produced.
Value emitDenseKernel(OpBuilder &b, Location loc, const MacOperands &mac,
                      Epilogue &epilogue, const CpuTargetInfo &target, Value dest);
/// `kernel`'s constants, then its rows in one parallel loop over `dest`.
Value emitRowKernel(OpBuilder &b, Location loc, RowKernel &kernel, Value dest);
/// The XOR-popcount kernel (BinaryKernel.cpp): +-1 inputs against +-1
/// weights, one group.
bool fitsBinaryKernel(const MacOperands &mac);
/// Makes `mac` read its bipolarSource in place of its input, moved like
/// the input (the reshapes and transposes of the chain, rebuilt at `b`).
void readBipolarSource(OpBuilder &b, Location loc, MacOperands &mac);
/// Erases what requantized and moved the source into the input, from the
/// input down, where nothing else reads it (once the MAC op is gone).
void eraseUnusedBipolarChain(const MacOperands &mac);
Value emitBinaryKernel(OpBuilder &b, Location loc, const MacOperands &mac, Epilogue &epilogue,
                       const CpuTargetInfo &target, Value dest);
/// The depthwise kernel on byte quads (target.hasQuads()): 4 kernel rows of
/// one input column per lane, the input read in place. It unrolls the
/// output pixels whose windows reach into the padding, so it takes layers
/// whose padding is a few pixels wide (fitsDepthwiseQuadKernel).
bool fitsDepthwiseQuadKernel(const MacOperands &mac);
std::unique_ptr<RowKernel> makeDepthwiseQuadRowKernel(OpBuilder &b, const MacOperands &mac,
                                                      Epilogue &epilogue,
                                                      const CpuTargetInfo &target);

} // namespace mlir::pike::cpu

#endif // PIKE_LIB_CONVERSION_PIKETOCPU_MACOPERANDS_H
