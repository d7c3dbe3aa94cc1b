//===- Normalization.h - Integer softmax and layer normalization -*- C++ -*-===//
//
// The one definition of pike.integer_softmax and pike.integer_layer_norm
// (docs/Numerics.md, "Softmax and LayerNorm in integers"): how their integer
// constants are made from the quantizers at compile time, and what they
// compute on one row. Integer only at run time, after I-BERT (ICML 2021):
// exp from a table of the input's integer distances to the row's maximum,
// the inverse square root from an integer square root. Pure C++.
//
//===----------------------------------------------------------------------===//

#ifndef PIKE_NUMERICS_NORMALIZATION_H
#define PIKE_NUMERICS_NORMALIZATION_H

#include "pike/Numerics/Activation.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mlir::pike::numerics {

/// Fraction bits of the softmax exp table: table[0] = 2^kSoftmaxExpBits.
/// 30 keeps a row's summed rounding error far below an output step
/// (E << 31 and the sum still fit int64).
constexpr unsigned kSoftmaxExpBits = 30;
/// Fraction bits of a softmax probability before it is requantized.
constexpr unsigned kSoftmaxProbabilityBits = 30;
/// Longest row either op takes (its sums stay far inside int64).
constexpr int64_t kMaxNormalizedRow = int64_t(1) << 20;

/// pike.integer_softmax's constants.
struct SoftmaxPlan {
  /// expTable[d] = round(2^30 * exp(-s_in * d)) for the integer distance d
  /// from the row's maximum; trailing zeros dropped (d past the end reads 0).
  std::vector<int64_t> expTable;
  /// 2^-30 / s_out as multiplier * 2^-shift (32-bit multiplier).
  int64_t multiplier = 0;
  unsigned shift = 0;
  int64_t outZeroPoint = 0;
  int64_t outLo = 0, outHi = 0;
};

/// How the probabilities become output integers.
enum class SoftmaxOutput {
  /// ONNX's QuantizeLinear: p / s_out.
  Exact,
  /// onnxruntime's QLinearSoftmax (the kernel it fuses a QDQ softmax into):
  /// p * floor(1 / s_out), that quotient in float32 (for s_out = 1/255 it
  /// is 254).
  OnnxRuntime,
};

/// The constants of quantize(softmax(dequantize(q))) over a row of `length`
/// values. False with `error` for an input wider than 16 bits, a row longer
/// than kMaxNormalizedRow, or scales that are not positive and finite.
bool planSoftmax(const TableQuantizer &in, const TableQuantizer &out, int64_t length,
                 SoftmaxPlan &plan, std::string &error,
                 SoftmaxOutput output = SoftmaxOutput::Exact);

/// One row: m = max q, E_i = expTable[m - q_i] (0 past the table),
/// S = sum E (at least expTable[0]), P_i = floor((2 * E_i * 2^30 + S) / (2 * S)),
/// y_i = clamp(zp_out + roundingShift(P_i * multiplier, shift, Single)).
void integerSoftmax(const std::vector<int64_t> &row, const SoftmaxPlan &plan,
                    std::vector<int64_t> &out);

/// Bits of a non-negative value (0 for 0).
unsigned bitLength(int64_t value);

/// floor(sqrt(value)) for value >= 0, in integers (digit by digit).
int64_t integerSqrt(int64_t value);

/// pike.integer_layer_norm's constants, for a row of `length` values.
struct LayerNormPlan {
  int64_t length = 0;
  /// c is scaled by 2^headroom, the most the sum of squares can take, so
  /// that epsilon keeps its fraction bits.
  unsigned headroom = 0;
  /// round(epsilon * n^3 / s_in^2 * 4^headroom): epsilon in the units of T.
  int64_t epsilon = 0;
  /// round(gamma_i * sqrt(n) / s_out * 2^shift), per position of the row
  /// (|gamma_i| < 2^30).
  std::vector<int64_t> gamma;
  /// round(beta_i / s_out * 2^shift).
  std::vector<int64_t> beta;
  unsigned shift = 0;
  int64_t outZeroPoint = 0;
  int64_t outLo = 0, outHi = 0;
};

/// The constants of quantize(layer_norm(dequantize(q))) with per-position
/// `gamma` and `beta` (one value each, or `length`). False with `error` when
/// a constant is not finite, a scale not positive, or a sum or product of
/// the row could leave int64 (the overflow is reported, not risked).
bool planLayerNorm(const TableQuantizer &in, const TableQuantizer &out, int64_t length,
                   const std::vector<double> &gamma, const std::vector<double> &beta,
                   double epsilon, LayerNormPlan &plan, std::string &error);

/// One row: c_i = (n * q_i - sum q) << headroom, T = sum c^2 + eps, k = (62 - bitLength(T))
/// / 2, r = max(1, isqrt(T << 2k)) (31 bits: sqrt(T) * 2^k),
/// t_i = (c_i << k) * gamma_i / r rounded half away from zero,
/// y_i = clamp(zp_out + roundingShift(t_i + beta_i, shift, Single)).
void integerLayerNorm(const std::vector<int64_t> &row, const LayerNormPlan &plan,
                      std::vector<int64_t> &out);

} // namespace mlir::pike::numerics

#endif // PIKE_NUMERICS_NORMALIZATION_H
