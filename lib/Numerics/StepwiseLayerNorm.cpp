//===- StepwiseLayerNorm.cpp - A layer norm quantized between its steps ---===//

#include "pike/Numerics/StepwiseLayerNorm.h"

#include "Failure.h"
#include "pike/Numerics/FixedPoint.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace mlir::pike::numerics {
namespace {

using detail::fail;

bool positiveFinite(double scale) { return scale > 0 && std::isfinite(scale); }

int64_t quantizeExact(double real, const TableQuantizer &q) {
  return quantize(real, q.scale, q.zeroPoint, q.bits, q.isSigned);
}

/// onnxruntime's QuantizeLinear of a float32 value (MLAS: divide, clamp
/// with a NaN to the lowest, round half to even).
int64_t mlasQuantize(float real, const TableQuantizer &q) {
  float lo = float(minValue(q.bits, q.isSigned) - q.zeroPoint);
  float hi = float(maxValue(q.bits, q.isSigned) - q.zeroPoint);
  float z = real / float(q.scale);
  z = std::isnan(z) ? lo : std::min(std::max(z, lo), hi);
  return int64_t(std::nearbyint(z)) + q.zeroPoint;
}

float dequantizeFloat32(int64_t v, const TableQuantizer &q) {
  return float(v - q.zeroPoint) * float(q.scale);
}

bool checkSteps(const VarianceSteps &steps, std::string &error) {
  std::ostringstream os;
  for (const TableQuantizer *q : {&steps.variance, steps.epsilonQuantizer ? &*steps.epsilonQuantizer
                                                                          : nullptr,
                                  steps.deviation ? &*steps.deviation : nullptr})
    if (q && (!positiveFinite(q->scale) || q->bits < 1 || q->bits > 16))
      return fail(error, os << "the variance's quantizers need positive finite scales and 1 to "
                               "16 bits");
  if (!std::isfinite(steps.epsilon) || steps.epsilon < 0)
    return fail(error, os << "epsilon must be finite and non-negative, got " << steps.epsilon);
  return true;
}

} // namespace

double stepwiseDeviation(const VarianceSteps &steps, int64_t v) {
  double e = dequantize(v, steps.variance.scale, steps.variance.zeroPoint) + steps.epsilon;
  if (!steps.deviation)
    return e;
  return dequantize(quantizeExact(e, *steps.deviation), steps.deviation->scale,
                    steps.deviation->zeroPoint);
}

bool planStepwiseLayerNorm(const TableQuantizer &in, const VarianceSteps &steps,
                           const TableQuantizer &out, int64_t length, double scale, double bias,
                           StepwiseLayerNormPlan &plan, std::string &error) {
  std::ostringstream os;
  if (!checkSteps(steps, error))
    return false;
  if (in.bits < 1 || in.bits > 16 || out.bits < 1 || out.bits > 32 ||
      !positiveFinite(in.scale) || !positiveFinite(out.scale))
    return fail(error, os << "needs an input of 1 to 16 bits, a result of 1 to 32 and positive "
                             "finite scales");
  if (!positiveFinite(scale) || !std::isfinite(bias))
    return fail(error, os << "needs a positive finite scale and a finite bias, got " << scale
                          << " and " << bias);
  // T = sum c^2 < 2^62 with |c| <= n * (hi - lo).
  long double n = (long double)length;
  long double cMax = n * (long double)(maxValue(in.bits, in.isSigned) -
                                       minValue(in.bits, in.isSigned));
  if (length < 1 || n * cMax * cMax >= std::ldexp(1.0L, 62))
    return fail(error, os << "the sum of squares of a row of " << length << " " << in.bits
                          << "-bit values could overflow 64 bits");
  // s_in^2 / (n^3 * s_var): a 31-bit multiplier.
  long double k = (long double)in.scale * in.scale / (n * n * n * steps.variance.scale);
  int exponent = 0;
  long double m = std::frexp(k, &exponent);
  int64_t multiplier = int64_t(std::llround(std::ldexp(m, 31)));
  if (multiplier == (int64_t(1) << 31)) {
    multiplier >>= 1;
    ++exponent;
  }
  int varianceShift = 31 - exponent;
  if (varianceShift < 1 || varianceShift > 125)
    return fail(error, os << "the variance scale " << steps.variance.scale
                          << " is out of reach of a 128-bit product with input scale "
                          << in.scale);
  plan.varianceMultiplier = multiplier;
  plan.varianceShift = unsigned(varianceShift);
  plan.varianceZeroPoint = steps.variance.zeroPoint;
  plan.varianceLo = minValue(steps.variance.bits, steps.variance.isSigned);
  plan.varianceHi = maxValue(steps.variance.bits, steps.variance.isSigned);

  // G(v) = scale * s_in / (n * sqrt(e) * s_out) for each e > 0, each at
  // the largest shift keeping it below 2^31 (and c * G far inside int64)
  // and the bias below 2^61.
  long double mBound = std::min(std::ldexp(1.0L, 31), std::ldexp(1.0L, 61) / cMax);
  double biasReal = std::fabs(bias / out.scale);
  plan.multipliers.clear();
  plan.shifts.clear();
  plan.biases.clear();
  for (int64_t v = plan.varianceLo; v <= plan.varianceHi; ++v) {
    double e = stepwiseDeviation(steps, v);
    double g = e > 0 ? scale * in.scale / (double(length) * std::sqrt(e) * out.scale) : 0.0;
    if (e > 0 && !std::isfinite(g))
      return fail(error, os << "variance plus epsilon dequantizes to " << e
                            << " at variance integer " << v
                            << ": its inverse square root is not a finite number");
    int shift = 62;
    auto fits = [&](int s) {
      return (long double)roundHalfToEven(std::ldexp(g, s)) < mBound &&
             roundHalfToEven(std::ldexp(biasReal, s)) < std::ldexp(1.0, 61);
    };
    while (shift >= 1 && !fits(shift))
      --shift;
    if (shift < 1)
      return fail(error, os << "variance plus epsilon dequantizes to " << e
                            << " at variance integer " << v << ": normalizing by it into output "
                            << "scale " << out.scale << " needs a multiplier past 31 bits");
    int64_t m = e > 0 ? std::max<int64_t>(1, int64_t(roundHalfToEven(std::ldexp(g, shift))))
                      : (e == 0 ? 0 : -1);
    plan.multipliers.push_back(m);
    plan.shifts.push_back(shift);
    plan.biases.push_back(int64_t(roundHalfToEven(std::ldexp(bias / out.scale, shift))));
  }
  plan.outZeroPoint = out.zeroPoint;
  plan.outLo = minValue(out.bits, out.isSigned);
  plan.outHi = maxValue(out.bits, out.isSigned);
  return true;
}

void integerStepwiseLayerNorm(const std::vector<int64_t> &row, const StepwiseLayerNormPlan &plan,
                              std::vector<int64_t> &out) {
  int64_t n = int64_t(row.size()), sum = 0, total = 0;
  for (int64_t q : row)
    sum += q;
  for (int64_t q : row)
    total += (n * q - sum) * (n * q - sum);
  __int128 scaled = (__int128)total * plan.varianceMultiplier +
                    ((__int128)1 << (plan.varianceShift - 1));
  // Clamped in 128 bits: the shifted product may pass 2^63.
  __int128 wide = (__int128)plan.varianceZeroPoint + (scaled >> plan.varianceShift);
  int64_t v = int64_t(std::clamp<__int128>(wide, plan.varianceLo, plan.varianceHi));
  size_t k = size_t(v - plan.varianceLo);
  int64_t m = plan.multipliers[k], shift = plan.shifts[k], bias = plan.biases[k];
  out.clear();
  for (int64_t q : row) {
    int64_t c = n * q - sum;
    if (m <= 0) {
      out.push_back(m == 0 && c > 0 ? plan.outHi : plan.outLo);
      continue;
    }
    int64_t y = (c * m + bias + (int64_t(1) << (shift - 1))) >> shift;
    out.push_back(std::clamp(plan.outZeroPoint + y, plan.outLo, plan.outHi));
  }
}

bool float32StepwiseDeviations(const VarianceSteps &steps, std::vector<float> &deviations,
                               std::string &error) {
  if (!checkSteps(steps, error))
    return false;
  for (const std::optional<TableQuantizer> &q :
       {std::optional<TableQuantizer>(steps.variance), steps.epsilonQuantizer, steps.deviation})
    if (q && !(float(q->scale) > 0 && std::isfinite(float(q->scale)))) {
      std::ostringstream os;
      return fail(error, os << "the scale " << q->scale << " is not a positive float32");
    }
  const TableQuantizer &var = steps.variance;
  float epsilon = float(steps.epsilon);
  // onnxruntime fuses DequantizeLinear -> Add -> QuantizeLinear into its
  // QLinearAdd when both operands and the result are 8-bit of one type.
  std::optional<TableQuantizer> epsQ = steps.epsilonQuantizer, dev = steps.deviation;
  bool qlinear = epsQ && dev && var.bits == 8 && epsQ->bits == 8 && dev->bits == 8 &&
                 var.isSigned == dev->isSigned && epsQ->isSigned == dev->isSigned;
  int64_t epsInteger = 0;
  float varRatio = 0, epsRatio = 0, fixedPart = 0;
  if (qlinear) {
    epsInteger = quantizeExact(steps.epsilon, *epsQ);
    auto ratio = [&](double s) { return float(double(float(s)) / double(float(dev->scale))); };
    varRatio = ratio(var.scale);
    epsRatio = ratio(epsQ->scale);
    fixedPart = qlinearAddFixedPart(varRatio, epsRatio, var.zeroPoint, epsQ->zeroPoint,
                                    dev->zeroPoint);
  }
  deviations.clear();
  for (int64_t v = minValue(var.bits, var.isSigned); v <= maxValue(var.bits, var.isSigned); ++v) {
    float e;
    if (qlinear) {
      int64_t q = qlinearAdd(v, epsInteger, varRatio, epsRatio, fixedPart,
                             minValue(dev->bits, dev->isSigned),
                             maxValue(dev->bits, dev->isSigned));
      e = dequantizeFloat32(q, *dev);
    } else {
      e = dequantizeFloat32(v, var) + epsilon;
      if (dev)
        e = dequantizeFloat32(mlasQuantize(e, *dev), *dev);
    }
    deviations.push_back(std::sqrt(e));
  }
  return true;
}

} // namespace mlir::pike::numerics
