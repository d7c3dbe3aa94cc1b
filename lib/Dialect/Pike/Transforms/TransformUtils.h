//===- TransformUtils.h - Helpers shared by the pike passes -----*- C++ -*-===//

#ifndef PIKE_LIB_DIALECT_PIKE_TRANSFORMS_TRANSFORMUTILS_H
#define PIKE_LIB_DIALECT_PIKE_TRANSFORMS_TRANSFORMUTILS_H

#include "mlir/IR/PatternMatch.h"
#include "mlir/Pass/Pass.h"
#include "pike/Dialect/Pike/IR/PikeOps.h"
#include "pike/Dialect/Pike/Transforms/Options.h"

#include "llvm/ADT/SmallVector.h"

#include <optional>

namespace mlir::pike {

/// Errors of a pass that checks every op, at most `limit` of them shown:
/// a model of 20,000 layers gets 20 located errors and a count, not 20,000.
class ErrorCap {
public:
  explicit ErrorCap(unsigned limit = 20) : limit(limit) {}
  /// Reports `message` at `op`, unless the cap is reached.
  void report(Operation *op, const Twine &message);
  /// The count of the errors not shown, at `root`; whether any was reported.
  bool finish(Operation *root);

private:
  unsigned limit, count = 0;
};

/// The values of a constant real tensor, or nothing if `value` is not one.
std::optional<SmallVector<double>> getConstantReals(Value value);

/// The attribute `name` of `root` or its nearest enclosing op that has one:
/// what the model says (its rounding, what it was trained for).
Attribute findModelAttr(Operation *root, StringRef name);

/// The rounding a pass uses: its `rounding` option when given, else the
/// `pike.rounding` attribute of `root` or an enclosing op (what the model was
/// built for), else the option's default.
RoundingMode resolveRounding(Operation *root, const Pass::Option<RoundingMode> &option);

/// An unsigned option of a pass: the option when given, else the integer
/// attribute `attrName` of `root` or an enclosing op (what the model was
/// trained for), else the option's default.
unsigned resolveModelOption(Operation *root, const Pass::Option<unsigned> &option,
                            StringRef attrName);

/// Applies `patterns` once to each op under `root` that exists now (new
/// ops are not revisited, nothing is folded). Pike's transform patterns
/// report bad input with emitOpError and return failure, so this fails if
/// any error was reported on the way; the errors reach the caller's handlers.
LogicalResult applyPikePatterns(Operation *root, RewritePatternSet &&patterns);

/// The per-tensor quantize that consumes `value`, through at most one
/// real clamp, when each link has a single use. `clamp` is set when present.
QuantizeOp getQuantizeConsumer(Value value, ClampOp *clamp = nullptr);

/// Whether `quantize` takes the sign as BipolarQuant imports it: a floor to
/// a signed bit, one scale, zero point 0 (-1 below 0, else 0).
bool isSignQuantize(QuantizeOp quantize);

/// Builds a fixed-point scale, folding equal entries into one; double
/// rounding becomes single for multipliers narrower than 32 bits.
FixedPointAttr makeFixedPoint(MLIRContext *context, unsigned bits,
                              ArrayRef<int64_t> multipliers,
                              ArrayRef<int64_t> shifts, RoundingMode rounding);

/// Signed bit-width (sign included) needed to hold `value`.
unsigned signedBitsNeeded(int64_t value);

/// Whether `value` is a MAC op's accumulator (conv2d, fully_connected,
/// batch_matmul), reshaped or not: what float32 rounding requantizes as
/// runtimes do.
bool isMacAccumulator(Value value);

/// quantize(softmax(dequantize(q))) -> pike.integer_softmax, and
/// quantize(layer_norm(dequantize(q))) -> pike.integer_layer_norm, both
/// between per-tensor quantizers (FixedPointNormalization.cpp).
/// `onnxruntime` plans the softmax's output as onnxruntime's QLinearSoftmax
/// computes it, and makes the LayerNorm onnxruntime's float32 kernel
/// (pike.float32_layer_norm) where its rows fit that kernel (under the
/// float32 rounding, which reproduces onnxruntime).
LogicalResult rewriteIntegerSoftmax(PatternRewriter &rewriter, QuantizeOp quantize,
                                    SoftmaxOp softmax, bool onnxruntime);
/// Under the float32 rounding, an op at `loc` that keeps Pike's integer form
/// where onnxruntime computes in float32: said, since its outputs may then
/// differ from onnxruntime's.
void warnIntegerForm(Location loc, StringRef whyNot);
LogicalResult rewriteIntegerLayerNorm(PatternRewriter &rewriter, QuantizeOp quantize,
                                      LayerNormOp norm, bool onnxruntime);

/// quantize(gather(T, ids) [+ P]) with real constants T and P -> an integer
/// gather [and pike.add] (FixedPointEmbedding.cpp).
LogicalResult rewriteRealEmbedding(PatternRewriter &rewriter, QuantizeOp quantize);

} // namespace mlir::pike

#endif // PIKE_LIB_DIALECT_PIKE_TRANSFORMS_TRANSFORMUTILS_H
