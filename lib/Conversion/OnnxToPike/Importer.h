//===- Importer.h - ONNX nodes to pike, one node at a time ------*- C++ -*-===//
//
// --convert-onnx-to-pike walks the generic graph in order (ONNX nodes are
// topologically sorted) and keeps, for every ONNX value, what Pike knows
// about it: its SSA value in pike's layout, its host data when it is a
// constant, and — for a dequantized tensor — the integers and quantizer
// behind it, so that a convolution can consume the integers. Nodes are
// handled by family (QdqNodes, MacNodes, ElementwiseNodes, ShapeNodes), each
// family listing its operators in the registry (OnnxOperators.cpp).
//
//===----------------------------------------------------------------------===//

#ifndef PIKE_LIB_CONVERSION_ONNXTOPIKE_IMPORTER_H
#define PIKE_LIB_CONVERSION_ONNXTOPIKE_IMPORTER_H

#include "pike/Dialect/Onnx/IR/OnnxOps.h"
#include "pike/Dialect/Pike/IR/PikeAttrs.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/DenseMap.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mlir::pike::onnx_import {

/// Constant data on the host, row-major. Doubles hold every float32 and
/// every integer below 2^53 exactly, which covers ONNX initializers of
/// quantized models (weights, zero points, biases, shapes).
struct HostArray {
  SmallVector<int64_t> shape;
  std::vector<double> values;
  int64_t size() const { return static_cast<int64_t>(values.size()); }
};

/// Integers a HostArray holds exactly (doubles): magnitudes below 2^53.
constexpr double kExactIntegers = 9007199254740992.0;

/// A tensor's element type as ONNX declares it.
struct Element {
  bool isFloat = true;
  unsigned bits = 32;
  bool isUnsigned = false;
  Type signless(MLIRContext *context) const;
  std::string str() const; // "float32", "uint8", ...
};

/// A uniform quantizer in pike's layout (the axis already moved to NHWC).
struct Quant {
  unsigned bits = 8;
  bool isSigned = false;
  SmallVector<double> scales;
  SmallVector<int64_t> zeroPoints;
  std::optional<int64_t> axis;
  bool narrow = false;

  int64_t lo() const;
  int64_t hi() const;
  bool perTensor() const { return !axis; }
  bool sameAs(const Quant &other) const;
  QuantizerAttr attr(MLIRContext *context) const;
};

struct Tensor;
using TensorPtr = std::shared_ptr<Tensor>;

/// An ONNX value as pike sees it.
struct Tensor {
  SmallVector<int64_t> shape; // pike's layout: NHWC when `nhwc`
  Element element;
  Value value;                 // null for a constant not yet emitted
  bool nhwc = false;
  std::optional<HostArray> constant;
  // A dequantized tensor: the integers behind it and their quantizer. Its
  // pike.dequantize is emitted only when something needs the reals.
  TensorPtr intSource;
  std::optional<Quant> quant;
  bool pendingDequantize = false;
  std::string dequantizeLoc;
  // A real computed from a dequantized tensor that keeps that tensor's
  // quantizer, as PyTorch's quantized ops do (clipping, max and average
  // pooling): a quantizer (Importer::quantizesItsInput) and the graph's
  // outputs read the real itself, which is what the ONNX graph defines;
  // every other reader reads it quantized again with `keptQuant` (once,
  // `settled`, located at `keptBy`, the node that computed it).
  std::optional<Quant> keptQuant;
  onnx::NodeOp keptBy;
  TensorPtr settled;
  // An NHWC activation padded spatially with real zeros (ONNX Pad): its
  // source and the padding, [top, bottom, left, right], which an
  // AveragePool reading it takes as counted padding (count_include_pad).
  TensorPtr paddedFrom;
  SmallVector<int64_t, 4> padding;
  // Real constants from a blocked DequantizeLinear: each element's scale,
  // so that weights can be put back on an exact per-channel grid.
  std::optional<HostArray> elementScales;
  // A step of a layer normalization written out over the last axis of
  // `source` (DecomposedLayerNorm.cpp): no value until the whole is seen.
  struct NormStep {
    enum class Kind { Mean, Centered, Squared, Variance, Deviation } kind;
    TensorPtr source;
    double epsilon = 0;
    // A variance quantized between the steps (onnxruntime's quantize_static):
    // its quantizer before and after the epsilon is added, the epsilon's
    // own, whether the epsilon was added, and whether the step is the
    // integers of a QuantizeLinear waiting for its DequantizeLinear.
    std::optional<Quant> variance, epsilonQuant, deviation;
    bool withEpsilon = false;
    bool quantized = false;
  };
  std::optional<NormStep> normStep;
  // Attention scores with a Where's mask (MaskNodes.cpp): `source` where
  // `keep` (i1, `source`'s shape) holds, a very negative constant elsewhere;
  // only a Softmax over the last axis reads it, as a masked softmax.
  struct SoftmaxMask {
    TensorPtr source;
    Value keep;
  };
  std::optional<SoftmaxMask> softmaxMask;

  /// The per-tensor quantizer of a dequantized tensor: ReLU, clipping and
  /// max pooling of it are quantized again with it, as PyTorch's quantized
  /// ops keep their input's quantizer (exact: the values stay on its grid).
  std::optional<Quant> gridQuant() const {
    if (pendingDequantize && quant && quant->perTensor())
      return quant;
    return std::nullopt;
  }

  bool isFloat() const { return element.isFloat || pendingDequantize; }
  /// Host data only: no SSA value yet, not a dequantized tensor.
  bool isHostConstant() const { return constant && !value && !pendingDequantize; }
  /// The shape in the model's order (NCHW for an activation).
  SmallVector<int64_t> modelDims() const {
    if (nhwc)
      return {shape[0], shape[3], shape[1], shape[2]};
    return shape;
  }
};

using Attrs = DictionaryAttr;

class Importer {
public:
  Importer(func::FuncOp graph, std::optional<int64_t> batch);

  /// Builds the pike function beside the generic one and erases the latter.
  LogicalResult run();

  // -- used by the node handlers ------------------------------------------
  MLIRContext *context;
  OpBuilder builder;
  onnx::NodeOp node;

  /// A located error naming the current node; always returns failure.
  InFlightDiagnostic fail();
  Location loc(StringRef suffix = "");
  std::string nodeLabel();

  /// Input `index`; a tensor that keeps its input's quantizer
  /// (Tensor::keptQuant) is read quantized again with it by every reader
  /// but a quantizer.
  FailureOr<TensorPtr> input(unsigned index);
  /// The tensor as readers other than quantizers see it: quantized again
  /// with its kept quantizer (made once), or itself.
  FailureOr<TensorPtr> settle(const TensorPtr &tensor);
  /// Whether the node reads a tensor that keeps its input's quantizer as
  /// the real it is: it quantizes it itself (QuantizeLinear, QONNX Quant,
  /// Trunc, BipolarQuant) or hands it on (Identity).
  bool quantizesItsInput();
  bool hasInput(unsigned index);
  /// Input `index` as recorded, or null: no checks, no settling (for
  /// patterns that look at a node before it is converted).
  TensorPtr peek(unsigned index);
  FailureOr<HostArray> constInput(unsigned index);
  FailureOr<Element> constElement(unsigned index);
  /// An optional zero-point input: its values and declared element, or
  /// nothing when the node leaves it out.
  struct ZeroPoint {
    std::optional<HostArray> values;
    std::optional<Element> element;
  };
  FailureOr<ZeroPoint> zeroPointInput(unsigned index);

  /// The reals of a tensor known on the host: a real constant, or a
  /// dequantized integer constant ((q - zp) * scale in float32, as ONNX's
  /// DequantizeLinear); nothing for a tensor computed at run time.
  std::optional<HostArray> hostReals(const TensorPtr &tensor);
  /// The SSA value of a real tensor, dequantizing or materializing it.
  FailureOr<Value> real(const TensorPtr &tensor);
  /// The SSA value of an integer tensor of `bits`, emitting its constant.
  Value integer(const TensorPtr &tensor, unsigned bits);
  Value intConstant(const HostArray &array, unsigned bits);
  Value realConstant(const HostArray &array);
  Value emit(StringRef opName, ValueRange operands, Type result,
             ArrayRef<NamedAttribute> attrs, StringRef locSuffix = "");
  Value transpose(Value input, ArrayRef<int64_t> perm, StringRef locName);
  RankedTensorType tensorType(ArrayRef<int64_t> shape, Type element);

  FailureOr<Quant> quantizer(const HostArray &scale,
                             const std::optional<HostArray> &zeroPoint,
                             std::optional<Element> zpElement, int64_t axis,
                             int64_t rank, bool nhwc,
                             std::optional<unsigned> bits = std::nullopt,
                             std::optional<bool> isSigned = std::nullopt,
                             bool narrow = false);
  TensorPtr dequantized(TensorPtr ints, const Quant &quant, std::string locName);
  /// A 4-D tensor in the model's NCHW order brought to pike's NHWC (the
  /// integers behind a dequantized one); other tensors unchanged.
  TensorPtr toNhwc(const TensorPtr &x) { return relayout(x, true); }
  /// The inverse: a tensor in pike's NHWC back in the model's NCHW order.
  TensorPtr toModelOrder(const TensorPtr &x) { return relayout(x, false); }
  /// `x` quantized by `quant`, rounding x / scale by `rounding`.
  FailureOr<TensorPtr> quantize(const TensorPtr &x, const Quant &quant,
                                QuantizeRounding rounding = QuantizeRounding::half_even);

  // Attribute access with ONNX defaults.
  int64_t intAttr(StringRef name, int64_t fallback);
  double floatAttr(StringRef name, double fallback);
  std::string stringAttr(StringRef name, StringRef fallback);
  std::optional<SmallVector<int64_t>> intsAttr(StringRef name);
  bool hasAttr(StringRef name);

  using Results = SmallVector<TensorPtr>;

private:
  func::FuncOp graph;
  std::optional<int64_t> batch;
  /// The model's ai.onnx opset (`pike_onnx.opset`; 0: it imports none),
  /// when it says.
  Attribute opsetAttr;
  std::optional<int64_t> opset;
  llvm::DenseMap<Value, TensorPtr> values;

  bool attributeFailed = false;

  LogicalResult importArguments(func::FuncOp pike, Block *body);
  TensorPtr relayout(const TensorPtr &x, bool toNhwc);
  LogicalResult importNode(onnx::NodeOp op);
  /// Reports an attribute of the wrong kind once; the node then fails.
  void badAttribute(StringRef name, StringRef expected);
};

/// Converts the importer's current node (`Importer::node`) to pike.
using NodeConverter = FailureOr<Importer::Results> (*)(Importer &im);

/// QONNX's custom-op domain (FINN's older name is read as the same).
inline constexpr llvm::StringLiteral kQonnxDomain = "qonnx.custom_op.general";

/// One row of the importer's operator registry: the operator of `domain`
/// ("" for ai.onnx) named `name`, in the form its opsets from `sinceVersion`
/// on define, converted by `convert`. Each family's rows live beside its
/// converters; OnnxOperators.cpp looks nodes up in them.
struct OnnxOperator {
  llvm::StringLiteral domain;
  llvm::StringLiteral name;
  int64_t sinceVersion;
  NodeConverter convert;
};
ArrayRef<OnnxOperator> qdqOperators();
ArrayRef<OnnxOperator> macOperators();
ArrayRef<OnnxOperator> elementwiseOperators();
ArrayRef<OnnxOperator> shapeOperators();
ArrayRef<OnnxOperator> transformerOperators();
ArrayRef<OnnxOperator> indexOperators();
ArrayRef<OnnxOperator> maskOperators();

/// A step of a layer normalization written out (ReduceMean, Sub, Pow,
/// ReduceMean, Add, Sqrt, Div over the last axis), when node `op` is one;
/// the Div emits the pike.layer_norm. Nothing when the node is not a step.
std::optional<FailureOr<Importer::Results>> decomposedLayerNorm(Importer &im, StringRef op);
/// QuantizeLinear (`quantize`, into `element` when no zero point says) or
/// DequantizeLinear of a decomposed layer norm's variance; nothing when the
/// node reads another tensor.
std::optional<FailureOr<Importer::Results>>
quantizedNormStep(Importer &im, bool quantize, std::optional<Element> element = std::nullopt);

/// A real tensor computed as `value`, of `shape` (pike's NHWC when `nhwc`).
TensorPtr realResult(Value value, ArrayRef<int64_t> shape, bool nhwc = false);

/// `value` (pike layout `from`, each dimension equal to `to`'s or 1)
/// broadcast to `to`: its unit dimensions collapsed, then linalg.broadcast.
Value broadcastTo(Importer &im, Value value, ArrayRef<int64_t> from, ArrayRef<int64_t> to);

/// Whether every input the current node gives is a host constant.
bool allInputsConstant(Importer &im);
/// Add, Sub, Mul, Div, Pow (two constants, NumPy broadcasting) or Sqrt, Neg
/// of constants, folded on the host in float32 (int64 for integers).
FailureOr<Importer::Results> foldConstantArithmetic(Importer &im, StringRef op);

/// The row converting `name` of `domain` in a model of ai.onnx opset
/// `opset` (newest form when unknown), or null with the reason in `whyNot`.
const OnnxOperator *lookupOnnxOperator(StringRef domain, StringRef name,
                                       std::optional<int64_t> opset, std::string &whyNot);

/// The com.microsoft operators expandOrtContribNodes rewrites.
ArrayRef<llvm::StringLiteral> ortContribOperators();

/// ONNX Runtime's com.microsoft QOperator nodes rewritten, in place, as the
/// standard dequantize → op → quantize nodes they stand for.
LogicalResult expandOrtContribNodes(func::FuncOp graph);

/// A reshape of x to model-order `shape` (same element count).
FailureOr<TensorPtr> reshapeTo(Importer &im, const TensorPtr &x, ArrayRef<int64_t> shape);

/// Host data moved by `perm` (a transpose).
HostArray permuteHost(const HostArray &array, ArrayRef<int64_t> perm);
/// The strided box of `array` at `offsets` of `sizes` (row-major).
HostArray sliceHost(const HostArray &array, ArrayRef<int64_t> offsets, ArrayRef<int64_t> sizes,
                    ArrayRef<int64_t> strides);
/// x's data in the model's order rearranged into model-order `shape`:
/// `build` on the integers behind a dequantized tensor (so that a quantize
/// after it stays integer), else on the reals or integers; `host` on a
/// constant. The result is a plain tensor of the model's order.
FailureOr<TensorPtr> rearrange(Importer &im, const TensorPtr &x, ArrayRef<int64_t> shape,
                               function_ref<Value(Value, Type)> build,
                               function_ref<HostArray(const HostArray &)> host);
/// A string from the model as a diagnostic shows it: non-printable
/// characters, quotes and backslashes escaped (\1B), at most `limit`
/// characters then "...", so that no name can write to the terminal.
std::string shown(StringRef text, size_t limit = 120);
/// "[1, 2, 3]" (at most `limit` values, then "...").
std::string listText(ArrayRef<int64_t> values, size_t limit = 8);
std::string listText(ArrayRef<double> values, size_t limit = 8);
/// Reads an elements attribute (dense or dense_resource) into host data.
std::optional<HostArray> readElements(ElementsAttr attr);
/// The declared element of a generic tensor type, if ONNX has one like it.
std::optional<Element> elementOf(Type type);

/// Fails (returning from the caller) when `expr` failed; else binds `name`.
#define PIKE_ASSIGN_OR_FAIL(name, expr)                                        \
  auto name##OrFailure = (expr);                                               \
  if (failed(name##OrFailure))                                                 \
    return failure();                                                          \
  auto name = std::move(*name##OrFailure);

} // namespace mlir::pike::onnx_import

#endif // PIKE_LIB_CONVERSION_ONNXTOPIKE_IMPORTER_H
