//===- Numerics.cpp - Pike's integer arithmetic, from C -------------------===//

#include "pike-c/Numerics.h"

#include "pike/Numerics/FixedPoint.h"

#include <cstdio>
#include <cstdlib>
#include <optional>

namespace num = ::mlir::pike::numerics;

/// The numerics rounding of a C value, or nothing for a value no
/// PikeRounding names (C does not stop a caller passing one).
static std::optional<num::Rounding> toRounding(PikeRounding mode) {
  switch (mode) {
  case PikeRoundingDouble:
    return num::Rounding::Double;
  case PikeRoundingHalfEven:
    return num::Rounding::HalfEven;
  case PikeRoundingTflite:
    return num::Rounding::Tflite;
  case PikeRoundingTvmUpward:
    return num::Rounding::TvmUpward;
  case PikeRoundingTvmToNearest:
    return num::Rounding::TvmToNearest;
  case PikeRoundingFloat32:
    return num::Rounding::Float32;
  case PikeRoundingSingle:
    return num::Rounding::Single;
  }
  return std::nullopt;
}

int64_t pikeRoundingShift(int64_t value, unsigned shift, PikeRounding mode) {
  std::optional<num::Rounding> rounding = toRounding(mode);
  if (!rounding) {
    std::fprintf(stderr, "pikeRoundingShift: %d is not a PikeRounding\n", int(mode));
    std::abort();
  }
  return num::roundingShift(value, shift, *rounding);
}

bool pikeApplyScale(int64_t value, int64_t multiplier, int64_t addend,
                    unsigned shift, PikeRounding mode, int64_t *result) {
  std::optional<num::Rounding> rounding = toRounding(mode);
  return rounding && num::applyScale(value, multiplier, addend, shift, *rounding, *result);
}

int64_t pikeQuantize(double x, double scale, int64_t zeroPoint, unsigned bits,
                     bool isSigned) {
  return num::quantize(x, scale, zeroPoint, bits, isSigned);
}

int64_t pikeDivideRoundHalfUp(int64_t sum, int64_t count) {
  return num::divideRoundHalfUp(sum, count);
}

int64_t pikeDivideRoundHalfEven(int64_t sum, int64_t count) {
  return num::divideRoundHalfEven(sum, count);
}
