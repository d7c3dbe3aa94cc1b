//===- PikeAttrs.cpp - Attributes of the pike dialect ---------------------===//

#include "pike/Dialect/Pike/IR/PikeAttrs.h"
#include "pike/Dialect/Pike/IR/PikeDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

using namespace mlir;
using namespace mlir::pike;
namespace num = ::mlir::pike::numerics;

/// Parses `s4` / `u8`: signedness letter then width.
static ParseResult parseBitWidth(AsmParser &parser, unsigned &bits,
                                 bool &isSigned) {
  SMLoc loc = parser.getCurrentLocation();
  StringRef keyword;
  if (parser.parseKeyword(&keyword))
    return failure();
  if (keyword.size() < 2 || (keyword[0] != 's' && keyword[0] != 'u') ||
      keyword.drop_front().getAsInteger(10, bits))
    return parser.emitError(loc, "expected a signedness letter and a "
                                 "bit-width such as 's4' or 'u8', got '")
           << keyword << "'";
  isSigned = keyword[0] == 's';
  return success();
}

static void printBitWidth(AsmPrinter &printer, unsigned bits, bool isSigned) {
  printer << (isSigned ? 's' : 'u') << bits;
}

#include "pike/Dialect/Pike/IR/PikeEnums.cpp.inc"
#define GET_ATTRDEF_CLASSES
#include "pike/Dialect/Pike/IR/PikeAttrs.cpp.inc"

void PikeDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "pike/Dialect/Pike/IR/PikeAttrs.cpp.inc"
      >();
}

static bool isPositiveFinite(double value) {
  return std::isfinite(value) && value > 0.0;
}

//===----------------------------------------------------------------------===//
// QuantizerAttr
//===----------------------------------------------------------------------===//

LogicalResult
QuantizerAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                      unsigned bits, bool isSigned,
                      std::optional<int64_t> axis, QuantScheme scheme,
                      DenseF64ArrayAttr scales, DenseI64ArrayAttr zeroPoints) {
  if (bits < 1 || bits > kMaxQuantBits)
    return emitError() << "quantizer bit-width " << bits
                       << " is outside [1, " << kMaxQuantBits << "]";
  if (axis && *axis < 0)
    return emitError() << "quantizer axis " << *axis << " is negative";
  if (!scales || scales.empty())
    return emitError() << "quantizer needs at least one scale";
  if (!axis && scales.size() != 1)
    return emitError() << "per-tensor quantizer has " << scales.size()
                       << " scales; give exactly one, or an axis";
  for (auto [index, scale] : llvm::enumerate(scales.asArrayRef())) {
    if (!isPositiveFinite(scale))
      return emitError() << "quantizer scale #" << index << " (" << scale
                         << ") is not a positive finite number";
    int exponent;
    if (scheme == QuantScheme::pow2 && std::frexp(scale, &exponent) != 0.5)
      return emitError() << "pow2 quantizer scale #" << index << " (" << scale
                         << ") is not a power of two";
  }
  if (zeroPoints) {
    if (zeroPoints.size() != scales.size())
      return emitError() << "quantizer has " << scales.size() << " scales but "
                         << zeroPoints.size() << " zero points";
    int64_t lo = num::minValue(bits, isSigned), hi = num::maxValue(bits, isSigned);
    for (auto [index, zp] : llvm::enumerate(zeroPoints.asArrayRef()))
      if (zp < lo || zp > hi)
        return emitError() << "quantizer zero point #" << index << " (" << zp
                           << ") is outside the " << (isSigned ? "s" : "u")
                           << bits << " range [" << lo << ", " << hi << "]";
  }
  return success();
}

int64_t QuantizerAttr::getZeroPoint(size_t index) const {
  if (!getZeroPoints())
    return 0;
  return getZeroPoints()[isPerChannel() ? index : 0];
}

double QuantizerAttr::getScale(size_t index) const {
  return getScales()[isPerChannel() ? index : 0];
}

int64_t QuantizerAttr::getMinValue() const {
  return num::minValue(getBits(), getIsSigned());
}

int64_t QuantizerAttr::getMaxValue() const {
  return num::maxValue(getBits(), getIsSigned());
}

//===----------------------------------------------------------------------===//
// DoubleQuantScaleAttr
//===----------------------------------------------------------------------===//

LogicalResult
DoubleQuantScaleAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                             unsigned bits, DenseI64ArrayAttr values,
                             APFloat sharedScale) {
  double scale = sharedScale.convertToDouble();
  if (bits < 1 || bits > kMaxQuantBits)
    return emitError() << "double-quantized scale bit-width " << bits
                       << " is outside [1, " << kMaxQuantBits << "]";
  if (!values || values.empty())
    return emitError() << "double-quantized scale needs at least one value";
  int64_t hi = num::maxValue(bits, /*isSigned=*/false);
  for (auto [index, value] : llvm::enumerate(values.asArrayRef()))
    if (value < 1 || value > hi)
      return emitError() << "double-quantized scale value #" << index << " ("
                         << value << ") is outside [1, " << hi << "] of u"
                         << bits;
  if (!isPositiveFinite(scale))
    return emitError() << "double-quantized shared scale (" << scale
                       << ") is not a positive finite number";
  return success();
}

double DoubleQuantScaleAttr::getChannelScale(size_t index) const {
  return double(getValues()[index]) * getScale().convertToDouble();
}

//===----------------------------------------------------------------------===//
// FixedPointAttr
//===----------------------------------------------------------------------===//

LogicalResult
FixedPointAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                       unsigned bits, DenseI64ArrayAttr multipliers,
                       DenseI64ArrayAttr shifts, RoundingMode rounding) {
  if (!num::isValidMultiplierBits(bits))
    return emitError() << "fixed-point multiplier bit-width " << bits
                       << " is outside [2, 32]";
  if (!multipliers || multipliers.empty() || !shifts || shifts.empty())
    return emitError() << "fixed-point scale needs at least one multiplier "
                          "and one shift";
  if (multipliers.size() != 1 && shifts.size() != 1 &&
      multipliers.size() != shifts.size())
    return emitError() << "fixed-point scale has " << multipliers.size()
                       << " multipliers but " << shifts.size()
                       << " shifts; give one shared value or one per channel";
  int64_t hi = num::maxValue(bits, /*isSigned=*/true);
  for (auto [index, multiplier] : llvm::enumerate(multipliers.asArrayRef()))
    if (multiplier < 0 || multiplier > hi)
      return emitError() << "fixed-point multiplier #" << index << " ("
                         << multiplier << ") is outside [0, " << hi
                         << "] of a " << bits << "-bit signed multiplier";
  for (auto [index, shift] : llvm::enumerate(shifts.asArrayRef()))
    if (shift < int64_t(num::kMinShift) || shift > int64_t(num::kMaxShift))
      return emitError() << "fixed-point shift #" << index << " (" << shift
                         << ") is outside [" << num::kMinShift << ", "
                         << num::kMaxShift << "]";
  if (!roundsMultipliersOf(rounding, bits)) {
    if (rounding == RoundingMode::double_round)
      return emitError() << "double rounding needs 32-bit multipliers, not " << bits
                         << "-bit (as TOSA rescale)";
    return emitError() << "float32 rounding needs multipliers of at most "
                       << num::kFloat32MultiplierBits
                       << " bits (a float32 significand), not " << bits << "-bit";
  }
  return success();
}

size_t FixedPointAttr::getNumChannels() const {
  return std::max(getMultipliers().size(), getShifts().size());
}

int64_t FixedPointAttr::getMultiplier(size_t channel) const {
  auto multipliers = getMultipliers();
  return multipliers[multipliers.size() == 1 ? 0 : channel];
}

unsigned FixedPointAttr::getShift(size_t channel) const {
  auto shifts = getShifts();
  return unsigned(shifts[shifts.size() == 1 ? 0 : channel]);
}

double FixedPointAttr::getRealScale(size_t channel) const {
  return num::FixedPoint{getMultiplier(channel), getShift(channel)}.value();
}

llvm::StringRef mlir::pike::describeRoundingMode(RoundingMode mode) {
  switch (mode) {
  case RoundingMode::single_round:
    return "TOSA rescale SINGLE_ROUND: ties toward +inf";
  case RoundingMode::double_round:
    return "TOSA rescale DOUBLE_ROUND: single, +-2^30 for shifts above 31";
  case RoundingMode::half_even:
    return "ties to even, as ONNX QuantizeLinear";
  case RoundingMode::tflite:
    return "TFLite/gemmlowp: doubling high multiply, then rounding divide by a power of two";
  case RoundingMode::tvm_upward:
    return "TVM QNN UPWARD: ties toward +inf";
  case RoundingMode::tvm_tonearest:
    return "TVM QNN TONEAREST: ties away from zero";
  case RoundingMode::float32:
    return "onnxruntime's MLAS: an accumulator times a float32 scale in float32 "
           "arithmetic, ties to even (in integers), and 8-bit adds as its QLinearAdd "
           "(two float32 fmas); other rescales half_even";
  }
  llvm_unreachable("unknown rounding mode");
}
