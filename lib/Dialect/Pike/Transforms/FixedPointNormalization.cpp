//===- FixedPointNormalization.cpp - Softmax and LayerNorm made integer ---===//
//
// quantize(softmax(dequantize(q))) and quantize(layer_norm(dequantize(q)))
// become pike.integer_softmax and pike.integer_layer_norm, their constants
// planned by lib/Numerics/Normalization.cpp from the two quantizers.
//
//===----------------------------------------------------------------------===//

#include "TransformUtils.h"

#include "pike/Dialect/Pike/IR/PikeOps.h"
#include "pike/Numerics/Normalization.h"

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

LogicalResult mlir::pike::rewriteIntegerSoftmax(PatternRewriter &rewriter, QuantizeOp quantize,
                                                SoftmaxOp softmax, bool onnxruntime) {
  FailureOr<DequantizeOp> dequantize = betweenQuantizers(rewriter, quantize, softmax);
  if (failed(dequantize))
    return failure();
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
  replace(rewriter, quantize, result, softmax, *dequantize);
  return success();
}

LogicalResult mlir::pike::rewriteIntegerLayerNorm(PatternRewriter &rewriter, QuantizeOp quantize,
                                                  LayerNormOp norm) {
  FailureOr<DequantizeOp> dequantize = betweenQuantizers(rewriter, quantize, norm);
  if (failed(dequantize))
    return failure();
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
  replace(rewriter, quantize, result, norm, *dequantize);
  return success();
}
