//===- PikeAttrs.h - Attributes of the pike dialect -------------*- C++ -*-===//

#ifndef PIKE_DIALECT_PIKE_IR_PIKEATTRS_H
#define PIKE_DIALECT_PIKE_IR_PIKEATTRS_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectImplementation.h"
#include "pike/Numerics/FixedPoint.h"
#include "llvm/Support/ErrorHandling.h"

#include "pike/Dialect/Pike/IR/PikeEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "pike/Dialect/Pike/IR/PikeAttrs.h.inc"

namespace mlir::pike {
/// Largest bit-width a quantizer (and a double-quantized scale) may have.
constexpr unsigned kMaxQuantBits = 16;

/// Requantization rounding when neither a pass option nor the model (its
/// `pike.rounding`) says.
constexpr RoundingMode kDefaultRounding = RoundingMode::single_round;

/// What each rounding mode matches, for --help (RoundingModeOption.h).
llvm::StringRef describeRoundingMode(RoundingMode mode);

/// Whether `mode` can round the products of `bits`-bit fixed-point
/// multipliers: double rounding exists for 32-bit ones only (TOSA rescale),
/// float32 for those a float32 significand holds.
inline bool roundsMultipliersOf(RoundingMode mode, unsigned bits) {
  switch (mode) {
  case RoundingMode::double_round:
    return bits == 32;
  case RoundingMode::float32:
    return bits <= ::mlir::pike::numerics::kFloat32MultiplierBits;
  case RoundingMode::single_round:
  case RoundingMode::half_even:
  case RoundingMode::tflite:
  case RoundingMode::tvm_upward:
  case RoundingMode::tvm_tonearest:
    return true;
  }
  llvm_unreachable("unknown rounding mode");
}

/// The numerics library's rounding for a dialect rounding mode.
inline ::mlir::pike::numerics::Rounding toNumericsRounding(RoundingMode mode) {
  switch (mode) {
  case RoundingMode::double_round:
    return ::mlir::pike::numerics::Rounding::Double;
  case RoundingMode::half_even:
    return ::mlir::pike::numerics::Rounding::HalfEven;
  case RoundingMode::tflite:
    return ::mlir::pike::numerics::Rounding::Tflite;
  case RoundingMode::tvm_upward:
    return ::mlir::pike::numerics::Rounding::TvmUpward;
  case RoundingMode::tvm_tonearest:
    return ::mlir::pike::numerics::Rounding::TvmToNearest;
  case RoundingMode::float32:
    return ::mlir::pike::numerics::Rounding::Float32;
  case RoundingMode::single_round:
    return ::mlir::pike::numerics::Rounding::Single;
  }
  llvm_unreachable("unknown rounding mode");
}

/// The numerics library's rounding for a quantize's rounding mode.
inline ::mlir::pike::numerics::RealRounding toNumericsRounding(QuantizeRounding mode) {
  switch (mode) {
  case QuantizeRounding::half_even:
    return ::mlir::pike::numerics::RealRounding::HalfEven;
  case QuantizeRounding::floor:
    return ::mlir::pike::numerics::RealRounding::Floor;
  case QuantizeRounding::ceil:
    return ::mlir::pike::numerics::RealRounding::Ceil;
  case QuantizeRounding::toward_zero:
    return ::mlir::pike::numerics::RealRounding::TowardZero;
  }
  llvm_unreachable("unknown quantize rounding");
}
} // namespace mlir::pike

#endif // PIKE_DIALECT_PIKE_IR_PIKEATTRS_H
