//===- FixedPointNormalization.cpp - Softmax and LayerNorm made integer ---===//
//
// quantize(softmax(dequantize(q))) and quantize(layer_norm(dequantize(q)))
// become pike.integer_softmax and pike.integer_layer_norm, their constants
// planned by lib/Numerics/Normalization.cpp from the two quantizers; under
// the float32 rounding the LayerNorm becomes onnxruntime's float32 kernel,
// pike.float32_layer_norm, the one way to match that runtime bit for bit.
//
//===----------------------------------------------------------------------===//

#include "TransformUtils.h"

#include "pike/Dialect/Pike/IR/PikeOps.h"
#include "pike/Numerics/Normalization.h"
#include "pike/Numerics/StepwiseLayerNorm.h"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::pike;
namespace num = ::mlir::pike::numerics;

namespace {

/// The per-tensor dequantize feeding `op` and the op's quantize, if `op`
/// sits between two per-tensor quantizers and nothing else reads it.
FailureOr<DequantizeOp> betweenQuantizers(PatternRewriter &rewriter, QuantizeOp quantize,
                                          Operation *op) {
  auto dequantize = op->getOperand(0).getDefiningOp<DequantizeOp>();
  if (!dequantize || !op->hasOneUse() || dequantize.getQuantizer().isPerChannel() ||
      quantize.getQuantizer().isPerChannel())
    return rewriter.notifyMatchFailure(quantize, "not between per-tensor quantizers");
  return dequantize;
}

num::TableQuantizer tableQuantizer(QuantizerAttr q) {
  return {q.getScale(0), q.getZeroPoint(0), q.getBits(), q.getIsSigned()};
}

int64_t rowLength(Value v) { return cast<RankedTensorType>(v.getType()).getShape().back(); }

void replace(PatternRewriter &rewriter, QuantizeOp quantize, Value result, Operation *real,
             DequantizeOp dequantize) {
  rewriter.replaceOp(quantize, result);
  rewriter.eraseOp(real);
  if (dequantize->use_empty())
    rewriter.eraseOp(dequantize);
}

} // namespace

/// onnxruntime's QLinearSoftmax between 8-bit quantizers of one type (an
/// output scale above 1 would make its multiplier 0): its float32 table,
/// built as onnxruntime builds it (logf of float32, exp of double, a
/// headroom keeping the row's sum finite), and floor(1 / output scale).
static std::optional<Value> float32Softmax(PatternRewriter &rewriter, QuantizeOp quantize,
                                           SoftmaxOp softmax, DequantizeOp dequantize,
                                           std::string &whyNot) {
  QuantizerAttr in = dequantize.getQuantizer(), out = quantize.getQuantizer();
  if (in.getBits() != 8 || out.getBits() != 8 || in.getIsSigned() != out.getIsSigned()) {
    whyNot = "its quantizers are not both 8 bits of one signedness";
    return std::nullopt;
  }
  float inScale = float(in.getScale(0)), outScale = float(out.getScale(0));
  if (!(inScale > 0) || !std::isfinite(inScale) || !(outScale > 0) || !(outScale <= 1)) {
    whyNot = "a scale is not a positive float32 (the output's at most 1)";
    return std::nullopt;
  }
  float n = float(rowLength(softmax.getInput()));
  float logOfRoom = std::log(std::numeric_limits<float>::max() / n); // float: logf
  double headroom = std::max(0.0, double(logOfRoom) - 5) / double(inScale);
  SmallVector<float> table;
  for (int d = 0; d < 256; ++d)
    table.push_back(float(std::exp((headroom - d) * double(inScale))));
  float multiplier = std::floor(1.0f / outScale);
  if (!(table.front() > 0) || !std::isfinite(table.front()) || !std::isfinite(multiplier)) {
    whyNot = "its exponential table is not finite in float32";
    return std::nullopt;
  }
  return Float32SoftmaxOp::create(rewriter, softmax.getLoc(), quantize.getType(),
                                  dequantize.getInput(), table, APFloat(multiplier),
                                  out.getZeroPoint(0), !in.getIsSigned(), !out.getIsSigned());
}

void mlir::pike::warnIntegerForm(Location loc, StringRef whyNot) {
  emitWarning(loc) << "keeps Pike's integer form, not onnxruntime's float32 kernel (" << whyNot
                   << "): its outputs may differ from onnxruntime's by a step";
}

LogicalResult mlir::pike::rewriteIntegerSoftmax(PatternRewriter &rewriter, QuantizeOp quantize,
                                                SoftmaxOp softmax, bool onnxruntime) {
  FailureOr<DequantizeOp> dequantize = betweenQuantizers(rewriter, quantize, softmax);
  if (failed(dequantize))
    return failure();
  std::string whyNot;
  if (onnxruntime) {
    rewriter.setInsertionPoint(quantize);
    if (std::optional<Value> result =
            float32Softmax(rewriter, quantize, softmax, *dequantize, whyNot)) {
      replace(rewriter, quantize, *result, softmax, *dequantize);
      return success();
    }
  }
  QuantizerAttr in = dequantize->getQuantizer(), out = quantize.getQuantizer();
  num::SoftmaxPlan plan;
  std::string error;
  if (!num::planSoftmax(tableQuantizer(in), tableQuantizer(out), rowLength(softmax.getInput()),
                        plan, error,
                        onnxruntime ? num::SoftmaxOutput::OnnxRuntime : num::SoftmaxOutput::Exact))
    return softmax.emitOpError() << "cannot be made integer: " << error;
  rewriter.setInsertionPoint(quantize);
  Value result = IntegerSoftmaxOp::create(
      rewriter, softmax.getLoc(), quantize.getType(), dequantize->getInput(), softmax.getMask(),
      rewriter.getDenseI64ArrayAttr(plan.expTable), plan.multiplier, plan.shift,
      out.getZeroPoint(0), !in.getIsSigned(), !out.getIsSigned());
  if (onnxruntime)
    warnIntegerForm(softmax.getLoc(), whyNot);
  replace(rewriter, quantize, result, softmax, *dequantize);
  return success();
}

/// onnxruntime's LayerNormalization between the quantizers: what its x86
/// vector kernel computes, for rows of a multiple of 8 values.
static std::optional<Value> float32LayerNorm(PatternRewriter &rewriter, QuantizeOp quantize,
                                             LayerNormOp norm, DequantizeOp dequantize,
                                             std::string &whyNot) {
  QuantizerAttr in = dequantize.getQuantizer(), out = quantize.getQuantizer();
  int64_t n = rowLength(norm.getInput());
  if (n % 8 != 0 || in.getBits() > 16 || out.getBits() > 16) {
    whyNot = n % 8 ? "its rows are not a multiple of 8 values" : "a quantizer is past 16 bits";
    return std::nullopt;
  }
  // Reals that float32 does not hold as finite values (or scales as
  // positive ones) are not a float32 model's: they keep the integer form.
  auto fits = [](double v) { return std::isfinite(float(v)); };
  auto positive = [&](double v) { return fits(v) && float(v) > 0; };
  if (!positive(in.getScale(0)) || !positive(out.getScale(0)) ||
      !fits(norm.getEpsilon().convertToDouble()) || !llvm::all_of(norm.getScale(), fits) ||
      !llvm::all_of(norm.getBias(), fits)) {
    whyNot = "a scale, epsilon, scale or bias is not a finite float32 (scales positive)";
    return std::nullopt;
  }
  auto floats = [&](ArrayRef<double> values) {
    SmallVector<float> row(n, float(values[0]));
    if (values.size() != 1)
      row.assign(values.begin(), values.end());
    return row;
  };
  auto f32 = [](double v) { return APFloat(float(v)); };
  return Float32LayerNormOp::create(
      rewriter, norm.getLoc(), quantize.getType(), dequantize.getInput(), f32(in.getScale(0)),
      in.getZeroPoint(0), floats(norm.getScale()), floats(norm.getBias()),
      f32(norm.getEpsilon().convertToDouble()), f32(out.getScale(0)), out.getZeroPoint(0),
      !in.getIsSigned(), !out.getIsSigned());
}

/// The steps between a stepwise norm's variance and its square root.
static num::VarianceSteps varianceSteps(LayerNormOp norm) {
  num::VarianceSteps steps{tableQuantizer(norm.getVarianceQuantizerAttr()),
                           norm.getEpsilon().convertToDouble()};
  if (QuantizerAttr q = norm.getEpsilonQuantizerAttr())
    steps.epsilonQuantizer = tableQuantizer(q);
  if (QuantizerAttr q = norm.getDeviationQuantizerAttr())
    steps.deviation = tableQuantizer(q);
  return steps;
}

/// A layer norm whose variance is quantized: under the float32 rounding
/// onnxruntime's run of its steps (rows of a multiple of 8 values, scale 1
/// and bias 0: quantize_static quantizes the Div before the Mul and Add),
/// else the integer form with the table of lib/Numerics/StepwiseLayerNorm.
static LogicalResult rewriteStepwiseLayerNorm(PatternRewriter &rewriter, QuantizeOp quantize,
                                              LayerNormOp norm, DequantizeOp dequantize,
                                              bool onnxruntime) {
  QuantizerAttr in = dequantize.getQuantizer(), out = quantize.getQuantizer();
  int64_t n = rowLength(norm.getInput());
  num::VarianceSteps steps = varianceSteps(norm);
  std::string error;
  rewriter.setInsertionPoint(quantize);
  bool unit = norm.getScale().size() == 1 && norm.getScale()[0] == 1.0 &&
              norm.getBias().size() == 1 && norm.getBias()[0] == 0.0;
  auto f32 = [](double v) { return APFloat(float(v)); };
  // Scales float32 does not hold as positive values are not a float32
  // model's: they keep the integer form.
  auto positive = [](double v) { return std::isfinite(float(v)) && float(v) > 0; };
  std::vector<float> deviations;
  std::string whyNot = !unit       ? "its scale is not 1 and its bias not 0"
                       : n % 8     ? "its rows are not a multiple of 8 values"
                       : in.getBits() > 16 || out.getBits() > 16 ? "a quantizer is past 16 bits"
                       : !positive(in.getScale(0)) || !positive(out.getScale(0))
                           ? "a scale is not a positive float32"
                           : "";
  if (onnxruntime && whyNot.empty() && !num::float32StepwiseDeviations(steps, deviations, error))
    whyNot = error;
  if (onnxruntime && whyNot.empty()) {
    QuantizerAttr var = norm.getVarianceQuantizerAttr();
    Value result = Float32StepwiseLayerNormOp::create(
        rewriter, norm.getLoc(), quantize.getType(), dequantize.getInput(), f32(in.getScale(0)),
        in.getZeroPoint(0), f32(var.getScale(0)), var.getZeroPoint(0),
        num::minValue(var.getBits(), var.getIsSigned()),
        num::maxValue(var.getBits(), var.getIsSigned()), deviations, f32(out.getScale(0)),
        out.getZeroPoint(0), !in.getIsSigned(), !out.getIsSigned());
    replace(rewriter, quantize, result, norm, dequantize);
    return success();
  }
  error.clear();
  if (norm.getScale().size() != 1 || norm.getBias().size() != 1)
    return norm.emitOpError() << "cannot be made integer: a quantized variance takes one scale "
                                 "and one bias, not one per position";
  num::StepwiseLayerNormPlan plan;
  if (!num::planStepwiseLayerNorm(tableQuantizer(in), steps, tableQuantizer(out), n,
                                  norm.getScale()[0], norm.getBias()[0], plan, error))
    return norm.emitOpError() << "cannot be made integer: " << error;
  Value result = IntegerStepwiseLayerNormOp::create(
      rewriter, norm.getLoc(), quantize.getType(), dequantize.getInput(), plan.varianceMultiplier,
      plan.varianceShift, plan.varianceZeroPoint, plan.varianceLo, plan.varianceHi,
      rewriter.getDenseI64ArrayAttr(plan.multipliers), rewriter.getDenseI64ArrayAttr(plan.shifts),
      rewriter.getDenseI64ArrayAttr(plan.biases), out.getZeroPoint(0), !in.getIsSigned(),
      !out.getIsSigned());
  if (onnxruntime)
    warnIntegerForm(norm.getLoc(), whyNot);
  replace(rewriter, quantize, result, norm, dequantize);
  return success();
}

LogicalResult mlir::pike::rewriteIntegerLayerNorm(PatternRewriter &rewriter, QuantizeOp quantize,
                                                  LayerNormOp norm, bool onnxruntime) {
  FailureOr<DequantizeOp> dequantize = betweenQuantizers(rewriter, quantize, norm);
  if (failed(dequantize))
    return failure();
  if (norm.getVarianceQuantizerAttr())
    return rewriteStepwiseLayerNorm(rewriter, quantize, norm, *dequantize, onnxruntime);
  if (norm.getDeviationQuantizerAttr())
    return norm.emitOpError() << "cannot be made integer: variance plus epsilon is quantized "
                                 "but the variance is not";
  std::string whyNot;
  if (onnxruntime) {
    rewriter.setInsertionPoint(quantize);
    if (std::optional<Value> result =
            float32LayerNorm(rewriter, quantize, norm, *dequantize, whyNot)) {
      replace(rewriter, quantize, *result, norm, *dequantize);
      return success();
    }
  }
  QuantizerAttr in = dequantize->getQuantizer(), out = quantize.getQuantizer();
  num::LayerNormPlan plan;
  std::string error;
  std::vector<double> gamma(norm.getScale().begin(), norm.getScale().end());
  std::vector<double> beta(norm.getBias().begin(), norm.getBias().end());
  if (!num::planLayerNorm(tableQuantizer(in), tableQuantizer(out), rowLength(norm.getInput()),
                          gamma, beta, norm.getEpsilon().convertToDouble(), plan, error))
    return norm.emitOpError() << "cannot be made integer: " << error;
  rewriter.setInsertionPoint(quantize);
  Value result = IntegerLayerNormOp::create(
      rewriter, norm.getLoc(), quantize.getType(), dequantize->getInput(),
      rewriter.getDenseI64ArrayAttr(plan.gamma), rewriter.getDenseI64ArrayAttr(plan.beta),
      plan.epsilon, plan.shift, plan.headroom, out.getZeroPoint(0), !in.getIsSigned(),
      !out.getIsSigned());
  if (onnxruntime)
    warnIntegerForm(norm.getLoc(), whyNot);
  replace(rewriter, quantize, result, norm, *dequantize);
  return success();
}
