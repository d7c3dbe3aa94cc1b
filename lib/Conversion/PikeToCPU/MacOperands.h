//===- MacOperands.h - A MAC op's operands as the kernels take them -*- C++ -*-===//

#ifndef PIKE_LIB_CONVERSION_PIKETOCPU_MACOPERANDS_H
#define PIKE_LIB_CONVERSION_PIKETOCPU_MACOPERANDS_H

#include "KernelSupport.h"

#include "mlir/IR/PatternMatch.h"

#include <vector>

namespace mlir::pike::cpu {

/// A convolution (a fully-connected layer is a 1x1 one over [1, 1, M, K])
/// whose weights are compile-time constants that fit in s8 once centered.
struct MacOperands {
  Value input;                      // NHWC, at most 8 bits (kernels take it as i8)
  bool inputUnsigned = false;
  /// The input's element width as the op reads it, which bounds its values
  /// once the kernel takes them as bytes.
  unsigned inputBits = 8;
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

/// The XOR-popcount kernel (BinaryKernel.cpp): +-1 inputs against +-1
/// weights, one group.
bool fitsBinaryKernel(const MacOperands &mac);
/// Makes `mac` read its bipolarSource in place of its input, moved like
/// the input (the reshapes and transposes of the chain, rebuilt at `b`).
void readBipolarSource(OpBuilder &b, Location loc, MacOperands &mac);
/// Erases what requantized and moved the source into the input, from the
/// input down, where nothing else reads it (once the MAC op is gone).
void eraseUnusedBipolarChain(const MacOperands &mac);
/// The depthwise kernel on byte quads (target.hasQuads(), or byte pairs
/// where depthwisePairRun allows): 4 kernel rows of
/// one input column per lane, the input read in place. It unrolls the
/// output pixels whose windows reach into the padding, so it takes layers
/// whose padding is a few pixels wide (fitsDepthwiseQuadKernel).
bool fitsDepthwiseQuadKernel(const MacOperands &mac);
/// Where a target has byte pairs but no quads, the kernel columns whose
/// products one saturating i16 lane (2 kernel rows of a channel) may sum
/// without leaving i16, for every channel and run from column 0 given the
/// input's range; 0 when not even one column's pair fits.
int64_t depthwisePairRun(const MacOperands &mac);

} // namespace mlir::pike::cpu

#endif // PIKE_LIB_CONVERSION_PIKETOCPU_MACOPERANDS_H
