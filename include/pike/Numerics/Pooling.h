//===- Pooling.h - Pooling window sizes and divisors, free of MLIR -*- C++ -*-===//
//
// The one definition of a pooling window's output size (floor or ceil mode,
// as ONNX and PyTorch count) and of the divisor of an average, used by the
// verifier, the lowering and the ONNX importer (pike.avg_pool2d in
// docs/generated/Pike/PikeDialect.md).
//
//===----------------------------------------------------------------------===//

#ifndef PIKE_NUMERICS_POOLING_H
#define PIKE_NUMERICS_POOLING_H

#include <algorithm>
#include <cstdint>
#include <vector>

namespace mlir::pike::numerics {

/// Windows of `kernel` moved by `stride` over `input` padded by `padBefore`
/// and `padAfter` (the caller has checked that the padded input holds one
/// window): floor((padded - kernel) / stride) + 1, or with `ceilMode` the
/// ceiling, less a last window that would start in the end padding (the
/// ONNX and PyTorch rule: every window starts inside the input or the
/// leading padding).
inline int64_t poolOutputSize(int64_t input, int64_t kernel, int64_t stride,
                              int64_t padBefore, int64_t padAfter, bool ceilMode) {
  int64_t span = input + padBefore + padAfter - kernel;
  int64_t out = (ceilMode ? (span + stride - 1) / stride : span / stride) + 1;
  if (ceilMode && (out - 1) * stride >= input + padBefore)
    --out;
  return out;
}

/// Padding a ceil-mode pooling adds after `padAfter` for its last window
/// (0 in floor mode); below `kernel`, since that window starts inside.
inline int64_t poolExtraPadding(int64_t input, int64_t output, int64_t kernel,
                                int64_t stride, int64_t padBefore, int64_t padAfter) {
  return std::max<int64_t>(0, (output - 1) * stride + kernel -
                                  (input + padBefore + padAfter));
}

/// The divisor of each of `output` averages along one axis: how many of its
/// window's positions lie inside [-padBefore, input + padAfter) when
/// `countPadding` (ONNX count_include_pad; positions a ceil-mode window
/// adds beyond the padding never count), else inside the input [0, input).
inline std::vector<int64_t> poolWindowCounts(int64_t input, int64_t output,
                                             int64_t kernel, int64_t stride,
                                             int64_t padBefore, int64_t padAfter,
                                             bool countPadding) {
  int64_t lo = countPadding ? -padBefore : 0;
  int64_t hi = countPadding ? input + padAfter : input;
  std::vector<int64_t> counts;
  counts.reserve(output);
  for (int64_t o = 0; o < output; ++o) {
    int64_t start = o * stride - padBefore;
    counts.push_back(std::max<int64_t>(
        0, std::min(start + kernel, hi) - std::max(start, lo)));
  }
  return counts;
}

} // namespace mlir::pike::numerics

#endif // PIKE_NUMERICS_POOLING_H
