//===- FixedPoint.h - Pike's integer semantics, free of MLIR -----*- C++ -*-===//
//
// The one definition of quantization, rounding and fixed-point requantization
// used by the passes, the verifiers and the unit tests. Formulas: docs/Numerics.md.
//
//===----------------------------------------------------------------------===//

#ifndef PIKE_NUMERICS_FIXEDPOINT_H
#define PIKE_NUMERICS_FIXEDPOINT_H

#include "pike/Numerics/IntRange.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mlir::pike::numerics {

/// How `roundingShift` rounds; named after the runtime whose bits it matches.
enum class Rounding {
  /// TOSA SINGLE_ROUND: add 2^(s-1), arithmetic shift right: ties toward +inf.
  Single,
  /// TOSA DOUBLE_ROUND: as Single, plus +-2^30 (sign of the input) when s > 31.
  Double,
  /// Ties to even, as ONNX QuantizeLinear and QONNX Quant(ROUND) round.
  HalfEven,
  /// TFLite / gemmlowp: SaturatingRoundingDoublingHighMul (a rounding
  /// division by 2^31, ties away from zero) then RoundingDivideByPOT by
  /// s - 31 (ties away from zero): two roundings. s < 31 is TFLite's left
  /// shift: the value times 2^(31-s) before the first rounding.
  Tflite,
  /// TVM QNN requantize, rounding "UPWARD": ties toward +inf (= Single).
  TvmUpward,
  /// TVM QNN requantize, rounding "TONEAREST": ties away from zero.
  TvmToNearest,
  /// onnxruntime's MLAS (and XNNPACK's fp32) requantization of an
  /// accumulator v (with its integer bias b): float(float(v + b) * m * 2^-s),
  /// then ties to even. Both float32 roundings (to 24 significant bits,
  /// ties to even) are done in integers here and in the integer form (the
  /// CPU kernels use float32 lanes); the multiplier has at most 24 bits.
  Float32,
};

/// Significant bits of a float32 (the stored 23 and the implicit one).
constexpr unsigned kFloat32SignificandBits = 24;

/// `value` rounded to kFloat32SignificandBits significant bits, ties to even:
/// the integer float32 conversion and arithmetic round to (exact up to 2^64).
int64_t roundToFloat32(int64_t value);

/// A range holding roundToFloat32 of every value of `value`.
IntRange roundToFloat32(const IntRange &value);

/// How a quantize rounds x / scale to an integer (pike.quantize `rounding`).
enum class RealRounding { HalfEven, Floor, Ceil, TowardZero };

/// `value` rounded to an integer by `mode`.
double roundReal(double value, RealRounding mode);

/// Smallest and largest value of a `bits`-wide integer (bits in [1, 64]); an
/// unsigned 63- or 64-bit maximum saturates at INT64_MAX (exact bounds:
/// IntRange::ofType).
int64_t minValue(unsigned bits, bool isSigned);
int64_t maxValue(unsigned bits, bool isSigned);

/// Clamps `value` to [lo, hi].
int64_t saturate(int64_t value, int64_t lo, int64_t hi);

/// Round half to even, as ONNX QuantizeLinear and QONNX Quant(ROUND) do.
double roundHalfToEven(double value);

/// ONNX QuantizeLinear: saturate(roundHalfToEven(x / scale) + zeroPoint);
/// QONNX Quant's other rounding modes by `mode`.
int64_t quantize(double x, double scale, int64_t zeroPoint, unsigned bits,
                 bool isSigned, RealRounding mode = RealRounding::HalfEven);

/// ONNX DequantizeLinear: (q - zeroPoint) * scale.
double dequantize(int64_t q, double scale, int64_t zeroPoint);

/// pike.quantize of a float32 `x` as its lowering computes it: x / scale in
/// float32 (the scale rounded to float32), ties to even, plus the zero
/// point, saturating; NaN to the zero point.
int64_t quantizeFloat32(double x, double scale, int64_t zeroPoint, unsigned bits, bool isSigned);

/// `value >> shift` rounded by `mode`; shift in [1, 62]. The caller keeps
/// `value` in int64, which holds any i32 accumulator times a 32-bit multiplier.
int64_t roundingShift(int64_t value, unsigned shift, Rounding mode);

/// One intermediate of the 64-bit code pike-expand-apply-scale emits for
/// round_shift(v, shift), over every v of a range.
struct Intermediate {
  const char *what;
  IntRange range;
};

/// The intermediates of round_shift(v, shift, mode) as the expansion
/// computes them, for v in `value` (shift in [1, 62]): the overflow checks
/// require each to fit int64. Changes to the expansion change this list.
std::vector<Intermediate> roundingShiftIntermediates(const IntRange &value,
                                                     unsigned shift, Rounding mode);

/// round_shift(value * multiplier + addend, shift): the arithmetic of
/// pike.apply_scale (Float32: roundingShift(roundToFloat32(roundToFloat32(value
/// + addend) * multiplier), shift, HalfEven): the addend is the accumulator's
/// integer bias). Returns false, leaving `result` alone, when the product,
/// the sum or an intermediate of the rounding leaves int64 (where the 64-bit
/// code would wrap) or the shift is outside [1, 62].
bool applyScale(int64_t value, int64_t multiplier, int64_t addend,
                unsigned shift, Rounding mode, int64_t &result);

/// A real scale approximated as multiplier * 2^-shift.
struct FixedPoint {
  int64_t multiplier = 0;
  unsigned shift = 0;
  /// The real value this fixed-point number stands for.
  double value() const;
};

/// Widths of a fixed-point multiplier, sign included: the one range every
/// pass, attribute and option checks against.
constexpr unsigned kMinMultiplierBits = 2;
constexpr unsigned kMaxMultiplierBits = 32;
inline bool isValidMultiplierBits(unsigned bits) {
  return bits >= kMinMultiplierBits && bits <= kMaxMultiplierBits;
}

/// Shift range TOSA rescale accepts, which Pike keeps so that its
/// requantization lowers to the same arithmetic.
constexpr unsigned kMinShift = 2;
constexpr unsigned kMaxShift = 62;

/// Converts `scale` to a multiplier of `bits` bits (sign bit included, so the
/// multiplier is in [2^(bits-2), 2^(bits-1)) when no clamping is needed) and a
/// shift in [kMinShift, kMaxShift]. Returns false and sets `error` for NaN,
/// infinite, zero or negative scales, scales too large for the shift range,
/// and scales so small that the multiplier would round to zero.
/// The relative error is at most 2^-(bits-1) unless the shift had to be
/// clamped to kMaxShift (tiny scales), in which case precision is lost first.
bool toFixedPoint(double scale, unsigned bits, FixedPoint &result,
                  std::string &error);

/// Width of a float32 rounding's multiplier: a float32 significand, sign
/// bit included.
constexpr unsigned kFloat32MultiplierBits = kFloat32SignificandBits + 1;

/// The float32 scale onnxruntime's MLAS requantizes an accumulator by,
/// float(accScale) / float(outScale) in float32, exactly as a fixed point of
/// kFloat32MultiplierBits bits (its significand and exponent). accScale =
/// s_x * s_w is exact in double, so its float is the float32 product; a
/// double quotient rounded to float is the float32 quotient (53 >= 2*24 + 2).
/// Returns false and sets `error` when the quotient is not a normal float
/// or the shift range cannot hold it.
bool toFloat32FixedPoint(double accScale, double outScale, FixedPoint &result,
                         std::string &error);

/// onnxruntime's QLinearAdd as MLAS computes it on x86 (pike.add with
/// float32 scales; docs/Numerics.md): the float32 ratios r_l = s_l / s_out
/// and r_r = s_r / s_out, the fixed part
/// F = f32(outZp - fma(r_l, lhsZp, f32(r_r * rhsZp))) (as onnxruntime's
/// compiler contracts MLAS's r_l * zp_l + r_r * zp_r), and per
/// element fma(lhs, r_l, fma(rhs, r_r, F)) rounded half to even and
/// saturated; a sum outside int32 gives `lo` (the conversion's 0x80000000).
float qlinearAddFixedPart(float lhsRatio, float rhsRatio, int64_t lhsZp, int64_t rhsZp,
                          int64_t outZp);
int64_t qlinearAdd(int64_t lhs, int64_t rhs, float lhsRatio, float rhsRatio, float fixedPart,
                   int64_t lo, int64_t hi);

/// Requantization of one accumulator value (docs/Numerics.md):
///   clamp(outZp + roundingShift(acc * multiplier + bias, shift), lo, hi).
int64_t requantize(int64_t acc, int64_t multiplier, int64_t bias,
                   unsigned shift, Rounding mode, int64_t outZp, int64_t lo,
                   int64_t hi);

/// round(sum / count) with ties toward +inf, for integer average pooling.
int64_t divideRoundHalfUp(int64_t sum, int64_t count);

/// round(sum / count) with ties to even (count > 0), as ONNX QuantizeLinear
/// rounds an average and PyTorch's quantized avg_pool2d divides: with
/// q = floor(sum / count) and r = sum - q * count, q + 1 if 2r > count, and
/// q + (q & 1) if 2r == count.
int64_t divideRoundHalfEven(int64_t sum, int64_t count);

/// Number of bits (sign included) a signed integer needs to hold |value|.
unsigned signedBitsFor(int64_t magnitude);

/// Number of bits (sign included) of the narrowest signed integer holding
/// `value` (-128 and 127: 8).
unsigned signedBitsOf(int64_t value);

} // namespace mlir::pike::numerics

#endif // PIKE_NUMERICS_FIXEDPOINT_H
