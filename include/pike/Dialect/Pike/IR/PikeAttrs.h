//===- PikeAttrs.h - Attributes of the pike dialect -------------*- C++ -*-===//

#ifndef PIKE_DIALECT_PIKE_IR_PIKEATTRS_H
#define PIKE_DIALECT_PIKE_IR_PIKEATTRS_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectImplementation.h"
#include "pike/Numerics/FixedPoint.h"

#include "pike/Dialect/Pike/IR/PikeEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "pike/Dialect/Pike/IR/PikeAttrs.h.inc"

namespace mlir::pike {
/// Largest bit-width a quantizer (and a double-quantized scale) may have.
constexpr unsigned kMaxQuantBits = 16;

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
  return ::mlir::pike::numerics::Rounding::Single;
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
  return ::mlir::pike::numerics::RealRounding::HalfEven;
}
} // namespace mlir::pike

#endif // PIKE_DIALECT_PIKE_IR_PIKEATTRS_H
