//===- Normalization.cpp - Integer softmax and layer normalization --------===//

#include "pike/Numerics/Normalization.h"

#include "Failure.h"
#include "pike/Numerics/FixedPoint.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

namespace mlir::pike::numerics {
namespace {

using detail::fail;

bool checkQuantizers(const TableQuantizer &in, const TableQuantizer &out, int64_t length,
                     std::string &error) {
  std::ostringstream os;
  if (in.bits < 1 || in.bits > 16)
    return fail(error, os << "the input must have 1 to 16 bits, got " << in.bits);
  if (out.bits < 1 || out.bits > 32)
    return fail(error, os << "the output must have 1 to 32 bits, got " << out.bits);
  for (double scale : {in.scale, out.scale})
    if (!(scale > 0.0) || !std::isfinite(scale))
      return fail(error, os << "scales must be positive and finite, got " << in.scale
                            << " and " << out.scale);
  if (length < 1 || length > kMaxNormalizedRow)
    return fail(error, os << "the normalized axis must have 1 to " << kMaxNormalizedRow
                          << " values, got " << length);
  return true;
}

/// The output quantizer's zero point and range, as both plans keep them.
template <typename Plan>
void setOutput(Plan &plan, const TableQuantizer &out) {
  plan.outZeroPoint = out.zeroPoint;
  plan.outLo = minValue(out.bits, out.isSigned);
  plan.outHi = maxValue(out.bits, out.isSigned);
}

/// |value| < 2^bits, as a double comparison that cannot overflow.
bool below(double magnitude, unsigned bits) { return magnitude < std::ldexp(1.0, bits); }

} // namespace

bool planSoftmax(const TableQuantizer &in, const TableQuantizer &out, int64_t length,
                 SoftmaxPlan &plan, std::string &error, SoftmaxOutput output) {
  if (!checkQuantizers(in, out, length, error))
    return false;
  int64_t span = maxValue(in.bits, in.isSigned) - minValue(in.bits, in.isSigned);
  plan.expTable.clear();
  for (int64_t d = 0; d <= span; ++d) {
    double e = std::ldexp(std::exp(-in.scale * double(d)), kSoftmaxExpBits);
    int64_t entry = int64_t(roundHalfToEven(e));
    if (entry == 0)
      break; // exp only falls: every later entry is 0 too
    plan.expTable.push_back(entry);
  }
  double perProbability = 1.0 / out.scale;
  if (output == SoftmaxOutput::OnnxRuntime) {
    if (!(out.scale <= double(std::numeric_limits<float>::max()))) {
      std::ostringstream os;
      return fail(error, os << "onnxruntime's softmax needs a float32 output scale, got "
                            << out.scale);
    }
    perProbability = std::floor(double(1.0f / float(out.scale)));
    if (!std::isfinite(perProbability)) {
      std::ostringstream os;
      return fail(error, os << "onnxruntime's softmax scales by floor(1 / output scale) in "
                               "float32, which overflows for an output scale of "
                            << out.scale);
    }
    if (!(perProbability >= 1.0)) {
      std::ostringstream os;
      return fail(error, os << "onnxruntime's softmax needs an output scale of at most 1, got "
                            << out.scale);
    }
  }
  FixedPoint fixed;
  if (!toFixedPoint(std::ldexp(perProbability, -int(kSoftmaxProbabilityBits)), 32, fixed, error))
    return false;
  plan.multiplier = fixed.multiplier;
  plan.shift = fixed.shift;
  setOutput(plan, out);
  return true;
}

void integerSoftmax(const std::vector<int64_t> &row, const SoftmaxPlan &plan,
                    std::vector<int64_t> &out) {
  int64_t m = *std::max_element(row.begin(), row.end());
  auto expOf = [&](int64_t q) {
    uint64_t d = uint64_t(m - q);
    return d < plan.expTable.size() ? plan.expTable[d] : 0;
  };
  int64_t sum = 0;
  for (int64_t q : row)
    sum += expOf(q);
  out.clear();
  for (int64_t q : row) {
    int64_t p = ((expOf(q) << (kSoftmaxProbabilityBits + 1)) + sum) / (2 * sum);
    int64_t y = roundingShift(p * plan.multiplier, plan.shift, Rounding::Single);
    out.push_back(saturate(y + plan.outZeroPoint, plan.outLo, plan.outHi));
  }
}

unsigned bitLength(int64_t value) {
  unsigned bits = 0;
  for (uint64_t v = uint64_t(value); v != 0; v >>= 1)
    ++bits;
  return bits;
}

int64_t integerSqrt(int64_t value) {
  uint64_t rest = uint64_t(value), root = 0;
  for (uint64_t bit = uint64_t(1) << 62; bit != 0; bit >>= 2) {
    if (rest >= root + bit) {
      rest -= root + bit;
      root = (root >> 1) + bit;
    } else {
      root >>= 1;
    }
  }
  return int64_t(root);
}

bool planLayerNorm(const TableQuantizer &in, const TableQuantizer &out, int64_t length,
                   const std::vector<double> &gamma, const std::vector<double> &beta,
                   double epsilon, LayerNormPlan &plan, std::string &error) {
  if (!checkQuantizers(in, out, length, error))
    return false;
  std::ostringstream os;
  auto sized = [&](const std::vector<double> &v) {
    return v.size() == 1 || int64_t(v.size()) == length;
  };
  if (!sized(gamma) || !sized(beta))
    return fail(error, os << "scale and bias need 1 or " << length << " values, got "
                          << gamma.size() << " and " << beta.size());
  auto finite = [](const std::vector<double> &v) {
    return std::all_of(v.begin(), v.end(), [](double x) { return std::isfinite(x); });
  };
  if (!finite(gamma) || !finite(beta))
    return fail(error, os << "scale and bias must be finite");
  double gammaMax = 0, betaMax = 0;
  for (double g : gamma)
    gammaMax = std::max(gammaMax, std::fabs(g));
  for (double b : beta)
    betaMax = std::max(betaMax, std::fabs(b));
  if (!std::isfinite(gammaMax) || !std::isfinite(betaMax) || !std::isfinite(epsilon) ||
      epsilon < 0)
    return fail(error, os << "scale, bias and epsilon must be finite (epsilon >= 0)");
  double n = double(length);
  // |c| <= n * (hi - lo); V <= n * c^2, and V + epsilon must fit in 2^62.
  double cMax = n * double(maxValue(in.bits, in.isSigned) - minValue(in.bits, in.isSigned));
  double epsReal = epsilon * n * n * n / (in.scale * in.scale);
  if (!std::isfinite(epsReal))
    return fail(error, os << "epsilon " << epsilon << " over the squared input scale "
                          << in.scale << " is not a finite number");
  // The largest headroom h with n * (cMax 2^h)^2 + eps 4^h < 2^62.
  int headroom = -1;
  double eps = 0;
  for (int h = 0; h <= 31; ++h) {
    double scaled = roundHalfToEven(std::ldexp(epsReal, 2 * h));
    if (!below(n * std::ldexp(cMax, h) * std::ldexp(cMax, h) + scaled, 62))
      break;
    headroom = h;
    eps = scaled;
  }
  if (headroom < 0)
    return fail(error, os << "the sum of squares of a row of " << length << " " << in.bits
                          << "-bit values with epsilon " << epsilon << " at input scale "
                          << in.scale << " could overflow 64 bits");
  // The largest shift keeping |gamma| < 2^30 and |beta| < 2^61 (with
  // |c << k| <= 2^31 the product c * gamma stays below 2^61).
  double gammaReal = gammaMax * std::sqrt(n) / out.scale, betaReal = betaMax / out.scale;
  int shift = 62;
  // Compared after rounding, as the entries are: a value just below 2^30
  // may round up to it.
  auto fits = [&](int s) {
    return roundHalfToEven(std::ldexp(gammaReal, s)) < std::ldexp(1.0, 30) &&
           roundHalfToEven(std::ldexp(betaReal, s)) < std::ldexp(1.0, 61);
  };
  while (shift >= 1 && !fits(shift))
    --shift;
  if (shift < 1)
    return fail(error, os << "the output scale " << out.scale
                          << " is too small for the layer's scale and bias");
  plan.length = length;
  plan.headroom = unsigned(headroom);
  plan.epsilon = int64_t(eps);
  plan.shift = unsigned(shift);
  plan.gamma.clear();
  plan.beta.clear();
  for (int64_t i = 0; i < length; ++i) {
    double g = gamma[gamma.size() == 1 ? 0 : i], b = beta[beta.size() == 1 ? 0 : i];
    plan.gamma.push_back(int64_t(roundHalfToEven(std::ldexp(g * std::sqrt(n) / out.scale, shift))));
    plan.beta.push_back(int64_t(roundHalfToEven(std::ldexp(b / out.scale, shift))));
  }
  setOutput(plan, out);
  return true;
}

void integerLayerNorm(const std::vector<int64_t> &row, const LayerNormPlan &plan,
                      std::vector<int64_t> &out) {
  int64_t n = int64_t(row.size()), sum = 0, squares = 0;
  for (int64_t q : row)
    sum += q;
  for (int64_t q : row) {
    // Scaled by multiplying: a left shift of a negative value is undefined in C++.
    int64_t c = (n * q - sum) * (int64_t(1) << plan.headroom);
    squares += c * c;
  }
  // T << 2k in [2^60, 2^62): a root of 31 bits whatever the row's spread.
  int64_t total = squares + plan.epsilon;
  unsigned k = (62 - bitLength(total)) / 2;
  int64_t root = std::max<int64_t>(1, integerSqrt(total << (2 * k)));
  out.clear();
  for (int64_t i = 0; i < n; ++i) {
    int64_t num = (n * row[i] - sum) * (int64_t(1) << (plan.headroom + k)) * plan.gamma[i];
    int64_t magnitude = (2 * (num < 0 ? -num : num) + root) / (2 * root);
    int64_t t = num < 0 ? -magnitude : magnitude;
    int64_t y = roundingShift(t + plan.beta[i], plan.shift, Rounding::Single);
    out.push_back(saturate(y + plan.outZeroPoint, plan.outLo, plan.outHi));
  }
}

} // namespace mlir::pike::numerics
