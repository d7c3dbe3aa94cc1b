//===- Importer.cpp - The graph walk and what every node handler shares ---===//

#include "Importer.h"

#include "pike/Support/ShownName.h"

#include "pike/Dialect/Pike/IR/PikeOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/Format.h"

#include <cmath>

using namespace mlir;
using namespace mlir::pike;
using namespace mlir::pike::onnx_import;

//===----------------------------------------------------------------------===//
// Elements and host data
//===----------------------------------------------------------------------===//

Type Element::signless(MLIRContext *context) const {
  if (!isFloat)
    return IntegerType::get(context, bits);
  if (bits == 16)
    return Float16Type::get(context);
  if (bits == 64)
    return Float64Type::get(context);
  return Float32Type::get(context);
}

std::string Element::str() const {
  if (isFloat)
    return "float" + std::to_string(bits);
  if (bits == 1)
    return "bool";
  return (isUnsigned ? "uint" : "int") + std::to_string(bits);
}

std::optional<Element> onnx_import::elementOf(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor)
    return std::nullopt;
  Type element = tensor.getElementType();
  if (isa<Float16Type, Float32Type, Float64Type>(element))
    return Element{true, element.getIntOrFloatBitWidth(), false};
  auto integer = dyn_cast<IntegerType>(element);
  if (!integer)
    return std::nullopt;
  unsigned bits = integer.getWidth();
  if (bits != 1 && bits != 4 && bits != 8 && bits != 16 && bits != 32 && bits != 64)
    return std::nullopt;
  return Element{false, bits, bits == 1 || integer.isUnsigned()};
}

static double readRaw(const char *data, Type element) {
  using namespace llvm::support;
  if (element.isF32())
    return llvm::bit_cast<float>(endian::read32le(data));
  if (element.isF64())
    return llvm::bit_cast<double>(endian::read64le(data));
  if (element.isF16()) {
    APFloat half(APFloat::IEEEhalf(), APInt(16, endian::read16le(data)));
    bool lost;
    half.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &lost);
    return half.convertToDouble();
  }
  auto integer = cast<IntegerType>(element);
  bool isUnsigned = integer.isUnsigned() || integer.getWidth() == 1;
  switch (integer.getWidth()) {
  case 1:
    return *data ? 1 : 0;
  case 4: // unpacked by the generic form's writer, one element per byte
  case 8:
    return isUnsigned ? double(uint8_t(*data)) : double(int8_t(*data));
  case 16:
    return isUnsigned ? double(endian::read16le(data))
                      : double(int16_t(endian::read16le(data)));
  case 32:
    return isUnsigned ? double(endian::read32le(data))
                      : double(int32_t(endian::read32le(data)));
  default:
    return isUnsigned ? double(endian::read64le(data))
                      : double(int64_t(endian::read64le(data)));
  }
}

std::optional<HostArray> onnx_import::readElements(ElementsAttr attr) {
  auto type = dyn_cast<RankedTensorType>(attr.getType());
  if (!type || !type.hasStaticShape() || !elementOf(type))
    return std::nullopt;
  HostArray array;
  array.shape.assign(type.getShape().begin(), type.getShape().end());
  Type element = type.getElementType();
  int64_t count = type.getNumElements();
  if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    array.values.reserve(count);
    if (isa<FloatType>(element)) {
      for (APFloat value : dense.getValues<APFloat>()) {
        bool lost;
        value.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &lost);
        array.values.push_back(value.convertToDouble());
      }
    } else {
      bool isUnsigned = element.isUnsignedInteger() || element.isInteger(1);
      for (const APInt &value : dense.getValues<APInt>())
        array.values.push_back(isUnsigned ? double(value.getZExtValue())
                                          : double(value.getSExtValue()));
    }
    return array;
  }
  auto resource = dyn_cast<DenseResourceElementsAttr>(attr);
  if (!resource)
    return std::nullopt;
  AsmResourceBlob *blob = resource.getRawHandle().getBlob();
  if (!blob)
    return std::nullopt;
  ArrayRef<char> data = blob->getData();
  size_t width = std::max<size_t>(1, element.getIntOrFloatBitWidth() / 8);
  if (data.size() != width * size_t(count))
    return std::nullopt;
  array.values.reserve(count);
  for (int64_t i = 0; i < count; ++i)
    array.values.push_back(readRaw(data.data() + i * width, element));
  return array;
}

/// Host data moved by `perm` (a transpose).
HostArray onnx_import::permuteHost(const HostArray &array, ArrayRef<int64_t> perm) {
  HostArray out;
  int64_t rank = array.shape.size();
  for (int64_t p : perm)
    out.shape.push_back(array.shape[p]);
  SmallVector<int64_t> strides(rank, 1);
  for (int64_t d = rank - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * array.shape[d + 1];
  out.values.resize(array.values.size());
  SmallVector<int64_t> index(rank, 0);
  for (size_t i = 0; i < out.values.size(); ++i) {
    int64_t source = 0;
    for (int64_t d = 0; d < rank; ++d)
      source += index[d] * strides[perm[d]];
    out.values[i] = array.values[source];
    for (int64_t d = rank - 1; d >= 0; --d) {
      if (++index[d] < out.shape[d])
        break;
      index[d] = 0;
    }
  }
  return out;
}

//===----------------------------------------------------------------------===//
// Quantizers
//===----------------------------------------------------------------------===//

int64_t Quant::lo() const {
  return isSigned ? -(int64_t(1) << (bits - 1)) + (narrow ? 1 : 0) : 0;
}

int64_t Quant::hi() const {
  return isSigned ? (int64_t(1) << (bits - 1)) - 1
                  : (int64_t(1) << bits) - 1 - (narrow ? 1 : 0);
}

bool Quant::sameAs(const Quant &other) const {
  return bits == other.bits && isSigned == other.isSigned && scales == other.scales &&
         zeroPoints == other.zeroPoints && axis == other.axis && narrow == other.narrow;
}

QuantizerAttr Quant::attr(MLIRContext *context) const {
  bool anyZeroPoint = llvm::any_of(zeroPoints, [](int64_t zp) { return zp != 0; });
  return QuantizerAttr::get(
      context, bits, isSigned, axis, QuantScheme::uniform,
      DenseF64ArrayAttr::get(context, scales),
      anyZeroPoint ? DenseI64ArrayAttr::get(context, zeroPoints) : DenseI64ArrayAttr());
}

std::string onnx_import::listText(ArrayRef<double> values, size_t limit) {
  std::string text = "[";
  llvm::raw_string_ostream os(text);
  for (size_t i = 0; i < values.size() && i < limit; ++i)
    os << (i ? ", " : "") << llvm::format("%g", values[i]);
  if (values.size() > limit)
    os << ", ...";
  return text + "]";
}

std::string onnx_import::listText(ArrayRef<int64_t> values, size_t limit) {
  std::string text = "[";
  llvm::raw_string_ostream os(text);
  for (size_t i = 0; i < values.size() && i < limit; ++i)
    os << (i ? ", " : "") << values[i];
  if (values.size() > limit)
    os << ", ...";
  return text + "]";
}
FailureOr<Quant> Importer::quantizer(const HostArray &scale,
                                     const std::optional<HostArray> &zeroPoint,
                                     std::optional<Element> zpElement, int64_t axis,
                                     int64_t rank, bool nhwc, std::optional<unsigned> bits,
                                     std::optional<bool> isSigned, bool narrow) {
  Quant quant;
  quant.narrow = narrow;
  if (scale.size() == 0)
    return fail() << "the scale is empty";
  for (double s : scale.values)
    if (!std::isfinite(s) || s <= 0)
      return fail() << "scales must be positive and finite, got " << listText(scale.values, 4);
  quant.scales.assign(scale.values.begin(), scale.values.end());
  if (zeroPoint) {
    for (double zp : zeroPoint->values)
      if (zp != std::round(zp) || std::abs(zp) > double(1 << 16))
        return fail() << "zero points must be integers of the quantized type, got "
                      << listText(zeroPoint->values, 4);
    for (double zp : zeroPoint->values)
      quant.zeroPoints.push_back(int64_t(zp));
  } else {
    quant.zeroPoints.push_back(0);
  }
  if (!bits) {
    Element zp = zpElement.value_or(Element{false, 8, true});
    if (zp.isFloat || (zp.bits != 8 && zp.bits != 4))
      return fail() << "zero point type " << zp.str()
                    << " is not supported (uint8 or int8) or 4-bit (uint4 or int4)";
    quant.bits = zp.bits;
    quant.isSigned = !zp.isUnsigned;
  } else {
    quant.bits = *bits;
    quant.isSigned = *isSigned;
  }
  if (quant.scales.size() > 1) {
    if (axis < -rank || axis >= rank)
      return fail() << "axis " << axis << " is out of range for a rank-" << rank << " tensor";
    if (axis < 0)
      axis += rank;
    static const int64_t nchwToNhwc[] = {0, 3, 1, 2};
    quant.axis = (nhwc && rank == 4) ? nchwToNhwc[axis] : axis;
  }
  if (quant.zeroPoints.size() == 1 && quant.scales.size() > 1)
    quant.zeroPoints.assign(quant.scales.size(), quant.zeroPoints.front());
  if (quant.zeroPoints.size() != quant.scales.size())
    return fail() << "there are " << quant.scales.size() << " scales but "
                  << quant.zeroPoints.size() << " zero points";
  for (int64_t zp : quant.zeroPoints)
    if (zp < quant.lo() - (narrow ? 1 : 0) || zp > quant.hi() + (narrow ? 1 : 0))
      return fail() << "zero point " << zp << " is outside the range of the "
                    << quant.bits << "-bit " << (quant.isSigned ? "signed" : "unsigned")
                    << " type";
  return quant;
}

TensorPtr Importer::dequantized(TensorPtr ints, const Quant &quant, std::string locName) {
  auto out = std::make_shared<Tensor>();
  out->shape = ints->shape;
  out->element = Element{true, 32, false};
  out->nhwc = ints->nhwc;
  out->intSource = std::move(ints);
  out->quant = quant;
  out->pendingDequantize = true;
  out->dequantizeLoc = std::move(locName);
  return out;
}

TensorPtr Importer::relayout(const TensorPtr &x, bool toNhwc) {
  if (x->nhwc == toNhwc || x->shape.size() != 4)
    return x;
  // `perm` moves the data (new dimension i is old dimension perm[i]); the
  // other permutation is its inverse, which moves a quantizer's axis.
  static const int64_t nchwToNhwc[] = {0, 2, 3, 1}, nhwcToNchw[] = {0, 3, 1, 2};
  ArrayRef<int64_t> perm = toNhwc ? nchwToNhwc : nhwcToNchw;
  ArrayRef<int64_t> inverse = toNhwc ? nhwcToNchw : nchwToNhwc;
  auto out = std::make_shared<Tensor>(*x);
  out->shape = {x->shape[perm[0]], x->shape[perm[1]], x->shape[perm[2]], x->shape[perm[3]]};
  out->nhwc = toNhwc;
  out->paddedFrom.reset();
  out->elementScales.reset();
  if (out->quant && out->quant->axis)
    out->quant->axis = inverse[*out->quant->axis];
  if (x->pendingDequantize) {
    out->value = Value();
    out->intSource = relayout(x->intSource, toNhwc);
    return out;
  }
  if (x->constant && !x->value) {
    out->constant = permuteHost(*x->constant, perm);
    return out;
  }
  out->value = transpose(x->value, perm,
                         (node ? node.getNodeName().str() : "") + (toNhwc ? "/nhwc" : "/nchw"));
  return out;
}

/// float32 quantization, as ONNX QuantizeLinear computes it (QONNX Quant
/// with another rounding: the same quotient, rounded by `rounding`).
static HostArray quantizeHost(const HostArray &array, const Quant &quant,
                              QuantizeRounding rounding) {
  HostArray out;
  out.shape = array.shape;
  out.values.resize(array.values.size());
  int64_t inner = 1, channels = 1;
  if (quant.axis) {
    channels = array.shape[*quant.axis];
    for (size_t d = *quant.axis + 1; d < array.shape.size(); ++d)
      inner *= array.shape[d];
  }
  for (size_t i = 0; i < array.values.size(); ++i) {
    size_t c = quant.axis ? (i / inner) % channels : 0;
    float scaled = float(array.values[i]) / float(quant.scales[c]);
    double q = numerics::roundReal(double(scaled), toNumericsRounding(rounding)) +
               double(quant.zeroPoints[c]);
    out.values[i] = std::clamp(q, double(quant.lo()), double(quant.hi()));
  }
  return out;
}

std::optional<HostArray> Importer::hostReals(const TensorPtr &tensor) {
  if (tensor->isHostConstant())
    return tensor->element.isFloat ? tensor->constant : std::nullopt;
  // The integers' host data stays valid once they are also emitted.
  const TensorPtr &ints = tensor->intSource;
  if (!tensor->pendingDequantize || !ints || !ints->constant || ints->pendingDequantize ||
      ints->nhwc != tensor->nhwc)
    return std::nullopt;
  const Quant &quant = *tensor->quant;
  HostArray reals = *ints->constant;
  int64_t inner = 1;
  if (quant.axis)
    for (size_t d = *quant.axis + 1; d < reals.shape.size(); ++d)
      inner *= reals.shape[d];
  for (auto [i, v] : llvm::enumerate(reals.values)) {
    size_t c = quant.axis ? size_t((int64_t(i) / inner) % int64_t(quant.scales.size())) : 0;
    v = double(float(v - double(quant.zeroPoints[c])) * float(quant.scales[c]));
  }
  return reals;
}

FailureOr<TensorPtr> Importer::quantize(const TensorPtr &x, const Quant &quant,
                                        QuantizeRounding rounding) {
  if (quant.axis && (*quant.axis >= int64_t(x->shape.size()) ||
                     x->shape[*quant.axis] != int64_t(quant.scales.size())))
    return fail() << "there are " << quant.scales.size()
                  << " scales, which is not the size of the quantized axis";
  if (x->pendingDequantize && !x->value && x->quant->sameAs(quant) &&
      rounding == QuantizeRounding::half_even) {
    // quantize(dequantize(q)) with one quantizer is q (rounding to nearest
    // absorbs the float error of (q - zp) * s / s; floor or ceil may not).
    auto same = std::make_shared<Tensor>(*x->intSource);
    same->quant = quant;
    return same;
  }
  auto out = std::make_shared<Tensor>();
  out->shape = x->shape;
  out->element = Element{false, quant.bits, !quant.isSigned};
  out->nhwc = x->nhwc;
  out->quant = quant;
  if (std::optional<HostArray> reals = hostReals(x)) {
    out->constant = quantizeHost(*reals, quant, rounding);
    return out;
  }
  PIKE_ASSIGN_OR_FAIL(source, real(x));
  Type intType = tensorType(x->shape, builder.getIntegerType(quant.bits));
  SmallVector<NamedAttribute> quantizeAttrs = {
      builder.getNamedAttr("quantizer", quant.attr(context))};
  if (rounding != QuantizeRounding::half_even)
    quantizeAttrs.push_back(
        builder.getNamedAttr("rounding", QuantizeRoundingAttr::get(context, rounding)));
  Value q = emit(QuantizeOp::getOperationName(), {source}, intType, quantizeAttrs);
  if (quant.narrow) {
    SmallVector<NamedAttribute> attrs = {
        builder.getNamedAttr("min", builder.getI64IntegerAttr(quant.lo())),
        builder.getNamedAttr("max", builder.getI64IntegerAttr(quant.hi()))};
    if (!quant.isSigned)
      attrs.push_back(builder.getNamedAttr("input_unsigned", builder.getUnitAttr()));
    q = emit(ClampOp::getOperationName(), {q}, intType, attrs, "/narrow");
  }
  out->value = q;
  return out;
}

//===----------------------------------------------------------------------===//
// Building
//===----------------------------------------------------------------------===//

Importer::Importer(func::FuncOp graph, std::optional<int64_t> batch)
    : context(graph.getContext()), builder(graph.getContext()), graph(graph),
      batch(batch) {
  if (auto module = graph->getParentOfType<ModuleOp>())
    opsetAttr = module->getAttr("pike_onnx.opset");
}

std::string onnx_import::shown(StringRef text, size_t limit) {
  return shownName(text, limit);
}

std::string Importer::nodeLabel() {
  if (!node)
    return "model";
  return "node '" + shown(node.getNodeName()) + "' (" + shown(node.getOpType()) + ")";
}

InFlightDiagnostic Importer::fail() {
  Operation *where = node ? node.getOperation() : graph.getOperation();
  InFlightDiagnostic diag = where->emitError();
  diag << nodeLabel() << ": ";
  return diag;
}

Location Importer::loc(StringRef suffix) {
  std::string name = node ? node.getNodeName().str() : std::string("model");
  return NameLoc::get(builder.getStringAttr(name + suffix.str()));
}

RankedTensorType Importer::tensorType(ArrayRef<int64_t> shape, Type element) {
  return RankedTensorType::get(shape, element);
}

Value Importer::emit(StringRef opName, ValueRange operands, Type result,
                     ArrayRef<NamedAttribute> attrs, StringRef locSuffix) {
  OperationState state(loc(locSuffix), opName);
  state.addOperands(operands);
  state.addTypes(result);
  state.addAttributes(attrs);
  return builder.create(state)->getResult(0);
}

Value Importer::intConstant(const HostArray &array, unsigned bits) {
  auto type = tensorType(array.shape, builder.getIntegerType(bits));
  SmallVector<APInt> values;
  values.reserve(array.values.size());
  for (double v : array.values)
    values.emplace_back(bits, uint64_t(int64_t(v)), /*isSigned=*/true,
                        /*implicitTrunc=*/true);
  return arith::ConstantOp::create(builder, loc(),
                                   DenseElementsAttr::get(type, values));
}

Value Importer::realConstant(const HostArray &array) {
  auto type = tensorType(array.shape, builder.getF32Type());
  SmallVector<float> values(array.values.begin(), array.values.end());
  return arith::ConstantOp::create(builder, loc(),
                                   DenseElementsAttr::get(type, ArrayRef<float>(values)));
}

Value Importer::integer(const TensorPtr &tensor, unsigned bits) {
  if (!tensor->value)
    tensor->value = intConstant(*tensor->constant, bits);
  return tensor->value;
}

FailureOr<Value> Importer::real(const TensorPtr &tensor) {
  // Nodes that peek rather than take their inputs reach here too.
  if (tensor->softmaxMask)
    return fail() << "an input is a Where masking attention scores, which Pike takes only as "
                     "the input of a Softmax over the last axis";
  if (tensor->pendingDequantize) {
    if (!tensor->value) {
      const Quant &quant = *tensor->quant;
      Value ints = integer(tensor->intSource, quant.bits);
      tensor->value = emit(DequantizeOp::getOperationName(), {ints},
                           tensorType(tensor->shape, builder.getF32Type()),
                           {builder.getNamedAttr("quantizer", quant.attr(context))});
      tensor->value.getDefiningOp()->setLoc(
          NameLoc::get(builder.getStringAttr(tensor->dequantizeLoc)));
    }
    return tensor->value;
  }
  if (tensor->element.isFloat) {
    if (!tensor->value)
      tensor->value = realConstant(*tensor->constant);
    return tensor->value;
  }
  return fail() << "expected a real (floating-point or dequantized) input, got "
                << tensor->element.str();
}

Value Importer::transpose(Value input, ArrayRef<int64_t> perm, StringRef locName) {
  auto type = cast<RankedTensorType>(input.getType());
  SmallVector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(type.getDimSize(p));
  Location where = NameLoc::get(builder.getStringAttr(locName));
  Value init = tensor::EmptyOp::create(builder, where, shape, type.getElementType());
  return linalg::TransposeOp::create(builder, where, input, init, perm)->getResult(0);
}

//===----------------------------------------------------------------------===//
// Inputs and attributes of the current node
//===----------------------------------------------------------------------===//

bool Importer::hasInput(unsigned index) {
  return index < node->getNumOperands() &&
         !node->getOperand(index).getDefiningOp<onnx::NoneOp>();
}

bool Importer::quantizesItsInput() {
  StringRef domain = node.getDomain();
  // Identity hands the tensor on as it is: its readers decide.
  return node.getOpType() == "QuantizeLinear" || node.getOpType() == "Identity" ||
         domain == kQonnxDomain || domain == "finn.custom_op.general";
}

FailureOr<TensorPtr> Importer::input(unsigned index) {
  if (index >= node->getNumOperands())
    return fail() << "input #" << index << " is missing (the node has "
                  << node->getNumOperands() << " inputs)";
  Value operand = node->getOperand(index);
  if (operand.getDefiningOp<onnx::NoneOp>())
    return fail() << "input #" << index << " is required";
  TensorPtr tensor = values.lookup(operand);
  if (!tensor)
    return fail() << "input #" << index
                  << " is an output its producer does not compute here";
  if (tensor->normStep) {
    bool mean = tensor->normStep->kind == Tensor::NormStep::Kind::Mean;
    InFlightDiagnostic diagnostic =
        fail() << "input #" << index
               << (mean ? " is a mean over the last axis, which Pike takes only as the first"
                        : " is a")
               << " step of a layer normalization written out over the last axis "
                  "(ReduceMean, Sub, Pow, ReduceMean, Add, Sqrt, Div), which Pike takes only "
                  "whole";
    if (node.getOpType() == "QuantizeLinear")
      diagnostic << "; of its steps only the variance, before and after the epsilon is added, "
                    "may be quantized (as onnxruntime's quantize_static does)";
    return diagnostic;
  }
  if (tensor->softmaxMask)
    return fail() << "input #" << index
                  << " is a Where masking attention scores with a very negative constant, "
                     "which Pike takes only as the input of a Softmax over the last axis";
  if (tensor->keptQuant && !quantizesItsInput())
    return settle(tensor);
  return tensor;
}

TensorPtr onnx_import::realResult(Value value, ArrayRef<int64_t> shape, bool nhwc) {
  auto out = std::make_shared<Tensor>();
  out->shape.assign(shape.begin(), shape.end());
  out->value = value;
  out->nhwc = nhwc;
  return out;
}

TensorPtr Importer::peek(unsigned index) {
  if (index >= node->getNumOperands() || node->getOperand(index).getDefiningOp<onnx::NoneOp>())
    return nullptr;
  return values.lookup(node->getOperand(index));
}

FailureOr<TensorPtr> Importer::settle(const TensorPtr &tensor) {
  if (!tensor->keptQuant || tensor->settled)
    return tensor->settled ? tensor->settled : tensor;
  // Made, and located, as part of the node that computed the tensor.
  onnx::NodeOp reader = node;
  node = tensor->keptBy;
  FailureOr<TensorPtr> ints = quantize(tensor, *tensor->keptQuant);
  if (succeeded(ints))
    tensor->settled =
        dequantized(*ints, *tensor->keptQuant, node.getNodeName().str() + "/dequantize");
  node = reader;
  if (failed(ints))
    return failure();
  return tensor->settled;
}

FailureOr<HostArray> Importer::constInput(unsigned index) {
  PIKE_ASSIGN_OR_FAIL(tensor, input(index));
  if (!tensor->constant || tensor->value || tensor->pendingDequantize)
    return fail() << "input #" << index
                  << " must be a constant (an initializer or Constant node)";
  return *tensor->constant;
}

FailureOr<Element> Importer::constElement(unsigned index) {
  PIKE_ASSIGN_OR_FAIL(tensor, input(index));
  return tensor->element;
}

FailureOr<Importer::ZeroPoint> Importer::zeroPointInput(unsigned index) {
  ZeroPoint zp;
  if (!hasInput(index))
    return zp;
  PIKE_ASSIGN_OR_FAIL(values, constInput(index));
  PIKE_ASSIGN_OR_FAIL(element, constElement(index));
  zp.values = std::move(values);
  zp.element = element;
  return zp;
}

bool Importer::hasAttr(StringRef name) {
  return static_cast<bool>(node.getNodeAttributes().get(name));
}

int64_t Importer::intAttr(StringRef name, int64_t fallback) {
  Attribute attr = node.getNodeAttributes().get(name);
  if (!attr)
    return fallback;
  if (auto integer = dyn_cast<IntegerAttr>(attr))
    return integer.getInt();
  badAttribute(name, "an integer");
  return fallback;
}

double Importer::floatAttr(StringRef name, double fallback) {
  Attribute attr = node.getNodeAttributes().get(name);
  if (!attr)
    return fallback;
  if (auto real = dyn_cast<FloatAttr>(attr))
    return real.getValueAsDouble();
  if (auto integer = dyn_cast<IntegerAttr>(attr))
    return double(integer.getInt());
  badAttribute(name, "a float");
  return fallback;
}

std::string Importer::stringAttr(StringRef name, StringRef fallback) {
  Attribute attr = node.getNodeAttributes().get(name);
  if (!attr)
    return fallback.str();
  if (auto text = dyn_cast<StringAttr>(attr))
    return text.str();
  badAttribute(name, "a string");
  return fallback.str();
}

std::optional<SmallVector<int64_t>> Importer::intsAttr(StringRef name) {
  Attribute attr = node.getNodeAttributes().get(name);
  if (!attr)
    return std::nullopt;
  if (auto ints = dyn_cast<DenseI64ArrayAttr>(attr))
    return SmallVector<int64_t>(ints.asArrayRef());
  if (auto array = dyn_cast<ArrayAttr>(attr)) {
    SmallVector<int64_t> result;
    for (Attribute element : array) {
      auto integer = dyn_cast<IntegerAttr>(element);
      if (!integer) {
        badAttribute(name, "a list of integers");
        return std::nullopt;
      }
      result.push_back(integer.getInt());
    }
    return result;
  }
  badAttribute(name, "a list of integers");
  return std::nullopt;
}

void Importer::badAttribute(StringRef name, StringRef expected) {
  if (attributeFailed)
    return;
  attributeFailed = true;
  fail() << "attribute '" << name << "' must be " << expected;
}

//===----------------------------------------------------------------------===//
// The graph
//===----------------------------------------------------------------------===//

static const int64_t kToNhwc[] = {0, 2, 3, 1};
static const int64_t kToNchw[] = {0, 3, 1, 2};

LogicalResult Importer::importArguments(func::FuncOp pike, Block *body) {
  for (BlockArgument arg : graph.getArguments()) {
    auto nameAttr = graph.getArgAttrOfType<StringAttr>(arg.getArgNumber(), "pike_onnx.name");
    std::string name = nameAttr ? nameAttr.str() : "#" + std::to_string(arg.getArgNumber());
    std::optional<Element> element = elementOf(arg.getType());
    if (!element) {
      auto declared = graph.getArgAttrOfType<StringAttr>(arg.getArgNumber(),
                                                         "pike_onnx.elem_type");
      return graph.emitError() << "graph input '" << shown(name)
                               << "' has unsupported element type "
                               << (declared ? declared.str() : "");
    }
    auto type = cast<RankedTensorType>(arg.getType());
    SmallVector<int64_t> shape(type.getShape());
    if (!shape.empty() && ShapedType::isDynamic(shape[0]) && batch)
      shape[0] = *batch;
    if (llvm::any_of(shape, [](int64_t d) { return ShapedType::isDynamic(d) || d <= 0; })) {
      std::string text;
      llvm::raw_string_ostream os(text);
      os << "(";
      llvm::interleaveComma(shape, os, [&](int64_t d) {
        if (ShapedType::isDynamic(d))
          os << "?";
        else
          os << d;
      });
      os << ")";
      bool symbolicBatch = !shape.empty() && ShapedType::isDynamic(shape[0]);
      return graph.emitError() << "graph input '" << shown(name) << "' needs a static shape, got "
                               << text
                               << (symbolicBatch ? " (give --batch N for a symbolic batch "
                                                   "dimension)"
                                                 : "");
    }
    Value value = body->addArgument(tensorType(shape, element->signless(context)),
                                    NameLoc::get(builder.getStringAttr(name)));
    auto tensor = std::make_shared<Tensor>();
    tensor->shape = shape;
    tensor->element = *element;
    tensor->value = value;
    if (shape.size() == 4) {
      tensor->value = transpose(value, kToNhwc, name + "/nhwc");
      tensor->shape = {shape[0], shape[2], shape[3], shape[1]};
      tensor->nhwc = true;
    }
    values[arg] = tensor;
  }
  return success();
}

LogicalResult Importer::importNode(onnx::NodeOp op) {
  node = op;
  attributeFailed = false;
  std::string whyNot;
  const OnnxOperator *row = lookupOnnxOperator(op.getDomain(), op.getOpType(), opset, whyNot);
  if (!row)
    return fail() << whyNot;
  FailureOr<Results> results = row->convert(*this);
  if (failed(results) || attributeFailed)
    return failure();
  for (auto [result, tensor] : llvm::zip(op->getResults(), *results))
    values[result] = tensor;
  return success();
}

LogicalResult Importer::run() {
  // The model's ai.onnx opset import (0: none); hand-written IR without the
  // attribute is read in the newest forms.
  if (opsetAttr) {
    auto integer = dyn_cast<IntegerAttr>(opsetAttr);
    if (!integer || !integer.getType().isSignlessInteger(64) || integer.getInt() < 0)
      return graph.emitError() << "pike_onnx.opset must be the model's ai.onnx opset, an "
                                  "i64 of 0 or more";
    opset = integer.getInt();
  }
  auto pike = func::FuncOp::create(graph.getLoc(), graph.getSymName(),
                                   builder.getFunctionType({}, {}));
  Block *body = pike.addEntryBlock();
  builder.setInsertionPointToStart(body);
  llvm::scope_exit eraseOnFailure([&] {
    if (pike)
      pike.erase();
  });
  if (failed(importArguments(pike, body)))
    return failure();

  func::ReturnOp graphReturn;
  for (Operation &op : graph.getBody().front()) {
    if (auto constant = dyn_cast<onnx::ConstantOp>(op)) {
      std::optional<HostArray> array = readElements(cast<ElementsAttr>(constant.getValue()));
      if (!array)
        return constant.emitError() << "initializer '" << shown(constant.getName())
                                    << "' has an unsupported type or unreadable data";
      auto tensor = std::make_shared<Tensor>();
      tensor->shape = array->shape;
      tensor->element = *elementOf(constant.getType());
      tensor->constant = std::move(*array);
      values[constant.getResult()] = tensor;
    } else if (auto node = dyn_cast<onnx::NodeOp>(op)) {
      if (failed(importNode(node)))
        return failure();
    } else if (auto ret = dyn_cast<func::ReturnOp>(op)) {
      graphReturn = ret;
    } else if (!isa<onnx::NoneOp>(op)) {
      return op.emitError() << "unexpected op in an ONNX graph";
    }
  }
  node = nullptr;

  SmallVector<Value> results;
  SmallVector<DictionaryAttr> resultAttrs;
  for (auto [index, operand] : llvm::enumerate(graphReturn.getOperands())) {
    auto nameAttr = graph.getResultAttrOfType<StringAttr>(index, "pike_onnx.name");
    std::string name = nameAttr ? nameAttr.str() : "#" + std::to_string(index);
    TensorPtr tensor = values.lookup(operand);
    if (!tensor)
      return graph.emitError() << "graph output '" << shown(name) << "' is not computed";
    if (tensor->normStep)
      return graph.emitError() << "graph output '" << shown(name)
                               << "' is a step of a layer normalization written out over the "
                                  "last axis, which Pike takes only whole";
    if (tensor->softmaxMask)
      return graph.emitError() << "graph output '" << shown(name)
                               << "' is a Where masking attention scores, which Pike takes only "
                                  "as the input of a Softmax over the last axis";
    Value value;
    if (tensor->isFloat()) {
      PIKE_ASSIGN_OR_FAIL(realValue, real(tensor));
      value = realValue;
    } else {
      value = integer(tensor, tensor->element.bits);
    }
    if (tensor->nhwc)
      value = transpose(value, kToNchw, name + "/nchw");
    results.push_back(value);
    // Tensors are signless: a uint8 (uint16, bool) output says so, and
    // pike-run writes it with the declared dtype.
    NamedAttrList attrs;
    attrs.append("pike.name", builder.getStringAttr(name));
    std::optional<Element> declared = elementOf(graph.getResultTypes()[index]);
    if (declared && declared->isUnsigned && !tensor->isFloat())
      attrs.append("pike.unsigned", builder.getUnitAttr());
    resultAttrs.push_back(attrs.getDictionary(context));
  }
  func::ReturnOp::create(builder, graphReturn.getLoc(), results);
  pike.setFunctionType(builder.getFunctionType(body->getArgumentTypes(),
                                               ValueRange(results).getTypes()));
  for (BlockArgument arg : body->getArguments())
    if (auto name = graph.getArgAttr(arg.getArgNumber(), "pike_onnx.name"))
      pike.setArgAttr(arg.getArgNumber(), "pike.name", name);
  for (auto [index, attrs] : llvm::enumerate(resultAttrs))
    pike.setResultAttrs(index, attrs);

  // Ops a later node superseded (a scale folded into a new one).
  SmallVector<Operation *> ops;
  for (Operation &op : llvm::reverse(*body))
    ops.push_back(&op);
  for (Operation *op : ops)
    if (isOpTriviallyDead(op))
      op->erase();
  pike.setVisibility(graph.getVisibility());
  graph->getBlock()->getOperations().insert(Block::iterator(graph), pike.getOperation());
  graph.erase();
  pike = nullptr;
  return success();
}
