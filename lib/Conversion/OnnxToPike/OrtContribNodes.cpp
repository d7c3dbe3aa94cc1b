//===- OrtContribNodes.cpp - ONNX Runtime's QOperator ops, spelled as QDQ -===//
//
// ONNX Runtime's static quantizer writes com.microsoft ops (QOperator
// format). Each is, by its definition in onnxruntime's contrib-op
// documentation, dequantize → the float op → quantize; so before the import
// each becomes exactly those standard nodes in the generic form, and the
// QDQ handling (and pike-fixed-point) gives them their integer form.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

using namespace mlir;
using namespace mlir::pike;
using namespace mlir::pike::onnx_import;

namespace {

struct Expander {
  onnx::NodeOp node;
  OpBuilder builder;
  std::string name;

  explicit Expander(onnx::NodeOp node)
      : node(node), builder(node), name(node.getNodeName().str()) {}

  StringRef type() { return node.getOpType(); }
  /// A located error naming the node; always failure.
  LogicalResult fail(const Twine &message) {
    return node.emitError() << "node '" << shown(node.getNodeName()) << "' (" << shown(type())
                            << "): " << message;
  }

  Value input(unsigned index) {
    if (index < node->getNumOperands())
      return node->getOperand(index);
    return onnx::NoneOp::create(builder, node.getLoc(), builder.getNoneType());
  }
  bool has(unsigned index) {
    return index < node->getNumOperands() &&
           !node->getOperand(index).getDefiningOp<onnx::NoneOp>();
  }

  Value make(StringRef opType, ValueRange inputs, StringRef suffix,
             ArrayRef<NamedAttribute> attrs = {}) {
    std::string nodeName = suffix.empty() ? name : name + "/" + suffix.str();
    auto op = onnx::NodeOp::create(
        builder, NameLoc::get(builder.getStringAttr(nodeName)),
        TypeRange{builder.getNoneType()}, inputs, builder.getStringAttr(opType),
        builder.getStringAttr(""), builder.getStringAttr(nodeName),
        builder.getDictionaryAttr(attrs));
    return op->getResult(0);
  }
  Value dequantize(Value x, Value scale, Value zp, StringRef suffix) {
    return make("DequantizeLinear", {x, scale, zp}, suffix);
  }
  Value quantize(Value x, Value scale, Value zp) {
    return make("QuantizeLinear", {x, scale, zp}, "");
  }
  /// The node's attributes, minus the ones named.
  SmallVector<NamedAttribute> attrsWithout(ArrayRef<StringRef> names) {
    SmallVector<NamedAttribute> kept;
    for (NamedAttribute attr : node.getNodeAttributes())
      if (!llvm::is_contained(names, attr.getName().strref()))
        kept.push_back(attr);
    return kept;
  }
  void replace(Value result) {
    node->getResult(0).replaceAllUsesWith(result);
    node->erase();
  }
};

/// The product of two constant scales (and a factor), as a new initializer.
FailureOr<Value> scaleProduct(Expander &e, Value a, Value b, double factor) {
  auto constA = a.getDefiningOp<onnx::ConstantOp>();
  auto constB = b.getDefiningOp<onnx::ConstantOp>();
  std::optional<HostArray> arrayA, arrayB;
  if (constA)
    arrayA = readElements(cast<ElementsAttr>(constA.getValue()));
  if (constB)
    arrayB = readElements(cast<ElementsAttr>(constB.getValue()));
  if (!arrayA || !arrayB || arrayA->size() != 1)
    return failure();
  SmallVector<float> values;
  for (double v : arrayB->values)
    values.push_back(float(arrayA->values[0] * v * factor));
  auto type = RankedTensorType::get(arrayB->shape, e.builder.getF32Type());
  ElementsAttr value = DenseElementsAttr::get(type, ArrayRef<float>(values));
  return onnx::ConstantOp::create(e.builder, e.node.getLoc(), e.name + "/scale", value)
      .getResult();
}

LogicalResult expandBinary(Expander &e) {
  Value a = e.dequantize(e.input(0), e.input(1), e.input(2), "dequantize_a");
  Value b = e.dequantize(e.input(3), e.input(4), e.input(5), "dequantize_b");
  StringRef op = e.type() == "QLinearAdd" ? "Add" : "Mul";
  e.replace(e.quantize(e.make(op, {a, b}, op.lower()), e.input(6), e.input(7)));
  return success();
}

LogicalResult expandPool(Expander &e) {
  Value x = e.dequantize(e.input(0), e.input(1), e.input(2), "dequantize");
  // channels_last = 1 (NHWC data) is passed on as pike_channels_last, which
  // the pooling handlers read: NHWC is pike's own layout.
  SmallVector<NamedAttribute> attrs = e.attrsWithout({"channels_last"});
  if (auto attr = dyn_cast_or_null<IntegerAttr>(e.node.getNodeAttributes().get("channels_last")))
    if (attr.getInt() != 0)
      attrs.push_back(e.builder.getNamedAttr("pike_channels_last",
                                             e.builder.getI64IntegerAttr(1)));
  // onnxruntime divides in float and rounds with nearbyint (half to even):
  // the AveragePool + QuantizeLinear reading, whose importer says so.
  StringRef pool = e.type() == "QLinearAveragePool" ? "AveragePool" : "GlobalAveragePool";
  Value y = e.make(pool, {x}, "pool", attrs);
  e.replace(e.quantize(y, e.input(3), e.input(4)));
  return success();
}

LogicalResult expandConcat(Expander &e) {
  unsigned count = e.node->getNumOperands();
  if (count < 5 || (count - 2) % 3 != 0)
    return e.fail("expects Y_scale, Y_zero_point, then (X, X_scale, X_zero_point) triples");
  SmallVector<Value> reals;
  for (unsigned i = 2; i < count; i += 3)
    reals.push_back(e.dequantize(e.input(i), e.input(i + 1), e.input(i + 2),
                                 "dequantize_" + std::to_string((i - 2) / 3)));
  Value y = e.make("Concat", reals, "concat", e.attrsWithout({}));
  e.replace(e.quantize(y, e.input(0), e.input(1)));
  return success();
}

LogicalResult expandQGemm(Expander &e) {
  DictionaryAttr attrs = e.node.getNodeAttributes();
  double alpha = 1.0;
  if (auto attr = dyn_cast_or_null<FloatAttr>(attrs.get("alpha")))
    alpha = attr.getValueAsDouble();
  // alpha scales A*B: it joins B's scale (and so C's, a_scale * b_scale * alpha).
  ElementsAttr oneValue = DenseElementsAttr::get(
      RankedTensorType::get({}, e.builder.getF32Type()), ArrayRef<float>{1.0f});
  Value one = onnx::ConstantOp::create(e.builder, e.node.getLoc(), e.name + "/one", oneValue);
  FailureOr<Value> bScale = scaleProduct(e, one, e.input(4), alpha);
  if (failed(bScale))
    return e.fail("the scales must be constants");
  // B's scale may be per column (N): B's axis 0 with transB, else 1; C's
  // scale is then per element of the 1-D bias.
  int64_t transB = 0;
  if (auto attr = dyn_cast_or_null<IntegerAttr>(attrs.get("transB")))
    transB = attr.getInt();
  bool perColumn = cast<ShapedType>(cast<ElementsAttr>(
                       (*bScale).getDefiningOp<onnx::ConstantOp>().getValue()).getType())
                       .getNumElements() > 1;
  auto axis = [&](int64_t value) {
    return perColumn ? SmallVector<NamedAttribute>{e.builder.getNamedAttr(
                           "axis", e.builder.getI64IntegerAttr(value))}
                     : SmallVector<NamedAttribute>{};
  };
  Value a = e.dequantize(e.input(0), e.input(1), e.input(2), "dequantize_a");
  Value b = e.make("DequantizeLinear", {e.input(3), *bScale, e.input(5)}, "dequantize_b",
                   axis(transB ? 0 : 1));
  SmallVector<Value> gemmInputs = {a, b};
  if (e.has(6)) {
    FailureOr<Value> cScale = scaleProduct(e, e.input(1), *bScale, 1.0);
    if (failed(cScale))
      return e.fail("the scale of A must be one constant");
    gemmInputs.push_back(
        e.make("DequantizeLinear", {e.input(6), *cScale}, "dequantize_c", axis(0)));
  }
  Value y = e.make("Gemm", gemmInputs, "gemm", e.attrsWithout({"alpha"}));
  e.replace(e.has(7) ? e.quantize(y, e.input(7), e.input(8)) : y);
  return success();
}

LogicalResult expandActivation(Expander &e) {
  Value x = e.dequantize(e.input(0), e.input(1), e.input(2), "dequantize");
  StringRef op = e.type() == "QLinearSigmoid" ? "Sigmoid" : "LeakyRelu";
  Value y = e.make(op, {x}, "activation", e.attrsWithout({}));
  e.replace(e.quantize(y, e.input(3), e.input(4)));
  return success();
}

struct ContribOperator {
  llvm::StringLiteral name;
  LogicalResult (*expand)(Expander &);
};

constexpr ContribOperator kContribOperators[] = {
    {"QLinearAdd", expandBinary},
    {"QLinearMul", expandBinary},
    {"QLinearSigmoid", expandActivation},
    {"QLinearLeakyRelu", expandActivation},
    {"QLinearGlobalAveragePool", expandPool},
    {"QLinearAveragePool", expandPool},
    {"QLinearConcat", expandConcat},
    {"QGemm", expandQGemm},
};

LogicalResult expand(onnx::NodeOp node) {
  Expander e(node);
  if (node->getNumResults() != 1 && e.type() != "DynamicQuantizeLinear")
    return e.fail("expects one output");
  for (const ContribOperator &op : kContribOperators)
    if (op.name == e.type())
      return op.expand(e);
  // A com.microsoft operator the importer takes as it is (its Gelu).
  std::string whyNot;
  if (lookupOnnxOperator(node.getDomain(), e.type(), std::nullopt, whyNot))
    return success();
  if (e.type() == "DynamicQuantizeLinear")
    return e.fail("the scale and zero point are computed from the data at run time; Pike "
                  "needs them constant (quantize the model statically)");
  return e.fail("operator of domain 'com.microsoft' is not supported by Pike's importer");
}

} // namespace

ArrayRef<llvm::StringLiteral> onnx_import::ortContribOperators() {
  static const SmallVector<llvm::StringLiteral> names = [] {
    SmallVector<llvm::StringLiteral> out;
    for (const ContribOperator &op : kContribOperators)
      out.push_back(op.name);
    return out;
  }();
  return names;
}

LogicalResult onnx_import::expandOrtContribNodes(func::FuncOp graph) {
  SmallVector<onnx::NodeOp> nodes;
  graph.walk([&](onnx::NodeOp node) {
    if (node.getDomain() == "com.microsoft")
      nodes.push_back(node);
  });
  for (onnx::NodeOp node : nodes)
    if (failed(expand(node)))
      return failure();
  return success();
}
