//===- QdqNodes.cpp - QuantizeLinear, DequantizeLinear, QONNX Quant -------===//

#include "Importer.h"

#include "llvm/Support/Format.h"

#include <cmath>

using namespace mlir;
using namespace mlir::pike::onnx_import;

namespace {


FailureOr<Importer::Results> quantizeLinear(Importer &im) {
  PIKE_ASSIGN_OR_FAIL(x, im.input(0));
  PIKE_ASSIGN_OR_FAIL(scale, im.constInput(1));
  PIKE_ASSIGN_OR_FAIL(zero, im.zeroPointInput(2));
  std::optional<HostArray> zp = zero.values;
  std::optional<Element> zpElement = zero.element;
  PIKE_ASSIGN_OR_FAIL(quant, im.quantizer(scale, zp, zpElement, im.intAttr("axis", 1),
                                          x->shape.size(), x->nhwc));
  PIKE_ASSIGN_OR_FAIL(q, im.quantize(x, quant));
  return Importer::Results{q};
}

FailureOr<Importer::Results> dequantizeLinear(Importer &im) {
  PIKE_ASSIGN_OR_FAIL(x, im.input(0));
  if (x->isFloat())
    return im.fail() << "input #0 must be an integer tensor, got " << x->element.str();
  PIKE_ASSIGN_OR_FAIL(scale, im.constInput(1));
  PIKE_ASSIGN_OR_FAIL(zero, im.zeroPointInput(2));
  std::optional<HostArray> zp = zero.values;
  std::optional<Element> zpElement = zero.element;
  if (x->element.bits == 32) {
    // An int32 bias: kept as reals (folded here).
    if (!x->constant || x->value)
      return im.fail() << "an int32 DequantizeLinear input must be a constant (a bias)";
    HostArray reals = *x->constant;
    if (scale.size() != 1 && scale.size() != reals.size())
      return im.fail() << "an int32 bias of " << reals.size() << " values has "
                       << scale.size() << " scales";
    for (auto [i, v] : llvm::enumerate(reals.values)) {
      double s = scale.values[scale.size() == 1 ? 0 : i];
      double z = zp ? zp->values[zp->size() == 1 ? 0 : std::min<size_t>(i, zp->size() - 1)] : 0;
      v = double(float((v - z) * s));
    }
    auto out = std::make_shared<Tensor>();
    out->shape = reals.shape;
    out->element = Element{true, 32, false};
    out->constant = std::move(reals);
    return Importer::Results{out};
  }
  std::optional<unsigned> bits;
  std::optional<bool> isSigned;
  bool narrow = false;
  if (x->quant) {
    bits = x->quant->bits;
    isSigned = x->quant->isSigned;
    narrow = x->quant->narrow;
  } else if (!zpElement) {
    zpElement = x->element;
  }
  PIKE_ASSIGN_OR_FAIL(quant, im.quantizer(scale, zp, zpElement, im.intAttr("axis", 1),
                                          x->shape.size(), x->nhwc, bits, isSigned, narrow));
  if (quant.axis && x->shape[*quant.axis] != int64_t(quant.scales.size()))
    return im.fail() << "there are " << quant.scales.size()
                     << " scales, which is not the size of the quantized axis";
  return Importer::Results{im.dequantized(x, quant, im.node.getNodeName().str())};
}

FailureOr<Importer::Results> qonnxQuant(Importer &im) {
  PIKE_ASSIGN_OR_FAIL(x, im.input(0));
  PIKE_ASSIGN_OR_FAIL(scale, im.constInput(1));
  PIKE_ASSIGN_OR_FAIL(zeroPoint, im.constInput(2));
  PIKE_ASSIGN_OR_FAIL(bitwidth, im.constInput(3));
  if (bitwidth.size() != 1 || bitwidth.values[0] != std::round(bitwidth.values[0]) ||
      bitwidth.values[0] < 1 || bitwidth.values[0] > 16) {
    return im.fail() << "bitwidth must be one integer in [1, 16], got "
                     << listText(bitwidth.values);
  }
  std::string mode = StringRef(im.stringAttr("rounding_mode", "ROUND")).upper();
  if (mode != "ROUND" && mode != "HALF_EVEN")
    return im.fail() << "rounding_mode '" << shown(mode) << "' is not supported (ROUND only)";
  bool isSigned = im.intAttr("signed", 1) != 0;
  bool narrow = im.intAttr("narrow", 0) != 0;
  int64_t rank = x->shape.size();
  int64_t axis = 0;
  if (scale.size() > 1) {
    SmallVector<int64_t> nontrivial;
    for (auto [i, d] : llvm::enumerate(scale.shape))
      if (d > 1)
        nontrivial.push_back(i);
    if (nontrivial.size() != 1 || int64_t(scale.shape.size()) > rank)
      return im.fail() << "scale of shape " << listText(scale.shape)
                       << " is not per-tensor or per-channel";
    axis = nontrivial.front() + (rank - int64_t(scale.shape.size()));
  }
  PIKE_ASSIGN_OR_FAIL(quant, im.quantizer(scale, zeroPoint, std::nullopt, axis, rank, x->nhwc,
                                          unsigned(bitwidth.values[0]), isSigned, narrow));
  PIKE_ASSIGN_OR_FAIL(ints, im.quantize(x, quant));
  return Importer::Results{
      im.dequantized(ints, quant, im.node.getNodeName().str() + "/dequantize")};
}

FailureOr<Importer::Results> qonnxBipolarQuant(Importer &im) {
  PIKE_ASSIGN_OR_FAIL(weights, im.constInput(0));
  PIKE_ASSIGN_OR_FAIL(x, im.input(0));
  if (!x->element.isFloat)
    return im.fail() << "BipolarQuant needs real weights";
  PIKE_ASSIGN_OR_FAIL(scale, im.constInput(1));
  if (scale.size() != 1)
    return im.fail() << "BipolarQuant needs one scale";
  if (!std::isfinite(scale.values[0]) || scale.values[0] <= 0)
    return im.fail() << "scales must be positive and finite";
  HostArray ints = weights;
  for (double &v : ints.values)
    v = v >= 0 ? 1 : -1;
  Quant quant;
  quant.bits = 2;
  quant.isSigned = true;
  quant.scales = {scale.values[0]};
  quant.zeroPoints = {0};
  auto source = std::make_shared<Tensor>();
  source->shape = ints.shape;
  source->element = Element{false, 2, false};
  source->constant = std::move(ints);
  source->quant = quant;
  return Importer::Results{im.dequantized(source, quant, im.node.getNodeName().str())};
}

} // namespace

FailureOr<Importer::Results> Importer::convertQdq(StringRef op) {
  if (op == "QuantizeLinear")
    return quantizeLinear(*this);
  if (op == "DequantizeLinear")
    return dequantizeLinear(*this);
  if (op == "qonnx.Quant")
    return qonnxQuant(*this);
  return qonnxBipolarQuant(*this);
}
