/*===- Numerics.h - Pike's integer arithmetic, from C -----------*- C -*-===*\
|*                                                                        *|
|* The numerics library (docs/Numerics.md) as plain C functions, so that  *|
|* other languages (Pike's NumPy reference, through ctypes) can check     *|
|* their own copies against the one definition.                           *|
\*===----------------------------------------------------------------------===*/

#ifndef PIKE_C_NUMERICS_H
#define PIKE_C_NUMERICS_H

#include "mlir-c/Support.h"

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Rounding modes, numbered as the pike dialect's RoundingMode.
typedef enum {
  PikeRoundingSingle = 0,
  PikeRoundingDouble = 1,
  PikeRoundingHalfEven = 2,
  PikeRoundingTflite = 3,
  PikeRoundingTvmUpward = 4,
  PikeRoundingTvmToNearest = 5,
  /// float32 requantization of an accumulator (the addend its integer bias).
  PikeRoundingFloat32 = 6,
} PikeRounding;

/// round_shift(value, shift) in `mode`; shift in [1, 62]. A `mode` that is
/// not a PikeRounding aborts with a message.
MLIR_CAPI_EXPORTED int64_t pikeRoundingShift(int64_t value, unsigned shift,
                                             PikeRounding mode);

/// round_shift(value * multiplier + addend, shift); false (result untouched)
/// when the 64-bit arithmetic would overflow, the shift is outside [1, 62] or
/// `mode` is not a PikeRounding.
MLIR_CAPI_EXPORTED bool pikeApplyScale(int64_t value, int64_t multiplier,
                                       int64_t addend, unsigned shift,
                                       PikeRounding mode, int64_t *result);

/// ONNX QuantizeLinear in double precision (NaN -> zero point).
MLIR_CAPI_EXPORTED int64_t pikeQuantize(double x, double scale, int64_t zeroPoint,
                                        unsigned bits, bool isSigned);

/// round(sum / count), ties toward +inf (integer average pooling).
MLIR_CAPI_EXPORTED int64_t pikeDivideRoundHalfUp(int64_t sum, int64_t count);

/// round(sum / count), ties to even (ONNX's and PyTorch's integer averages).
MLIR_CAPI_EXPORTED int64_t pikeDivideRoundHalfEven(int64_t sum, int64_t count);

#ifdef __cplusplus
}
#endif

#endif // PIKE_C_NUMERICS_H
