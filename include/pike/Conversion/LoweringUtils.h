//===- LoweringUtils.h - Builders shared by the pike lowerings --*- C++ -*-===//
//
// Requantize, quantize, cast and per-channel builders used by the linalg
// lowering (PikeToLinalg) and the CPU kernels (PikeToCPU); library
// PikeLowering.
//
//===----------------------------------------------------------------------===//

#ifndef PIKE_CONVERSION_LOWERINGUTILS_H
#define PIKE_CONVERSION_LOWERINGUTILS_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "pike/Dialect/Pike/IR/PikeAttrs.h"

#include <variant>

namespace mlir::pike::lowering {

/// A per-channel operand of an elementwise body: one value shared by all
/// channels (materialized as a scalar constant) or a 1-D tensor indexed by
/// the last dimension.
struct ChannelValues {
  Value tensor;      // set when per channel
  Attribute shared;  // set when one value serves every channel
  int64_t axis = -1; // the dimension `tensor` indexes; -1 is the last
};

/// Integer values in the narrowest type that holds them all (the width the
/// ACEv2 analysis counts them at); bodies widen them with `castInt`.
ChannelValues channelInts(OpBuilder &b, Location loc, ArrayRef<int64_t> values,
                          int64_t axis = -1);
ChannelValues channelReals(OpBuilder &b, Location loc, ArrayRef<double> values,
                           Type elementType, int64_t axis = -1);

using BodyBuilder =
    function_ref<Value(OpBuilder &, Location, ValueRange tensorArgs,
                       ValueRange channelArgs)>;

/// A linalg.generic over `resultType` whose inputs are `tensors` (same shape
/// as the result) and `channels` (per-channel values along the last
/// dimension); `body` gets the scalars of both, in order.
Value elementwise(OpBuilder &b, Location loc, RankedTensorType resultType,
                  ValueRange tensors, ArrayRef<ChannelValues> channels,
                  BodyBuilder body);

/// An integer or real scalar constant of `type` (an integer vector type
/// gives a splat).
Value scalarInt(OpBuilder &b, Location loc, Type type, int64_t value);
/// An integer constant in the narrowest type that holds it, sign-extended
/// to `type`.
Value narrowInt(OpBuilder &b, Location loc, Type type, int64_t value);
/// A real constant of `type` (a vector type gives a splat).
Value scalarReal(OpBuilder &b, Location loc, Type type, double value);

/// Sign- or zero-extends (or truncates) an integer scalar or vector to the
/// element type `to`.
Value castInt(OpBuilder &b, Location loc, Value value, Type to, bool isUnsigned);

/// The tensor `input` widened to `to` (read as unsigned if `isUnsigned`)
/// minus `zeroPoint`.
Value widenAndCenter(OpBuilder &b, Location loc, Value input, bool isUnsigned,
                     int64_t zeroPoint, IntegerType to);

/// clamp(value, lo, hi) on signed integers (scalars or vectors).
Value clampInt(OpBuilder &b, Location loc, Value value, int64_t lo, int64_t hi);

/// clamp(zp + apply_scale(x * M [+ addend], s), lo, hi) truncated to the
/// element type `outType`, on i64 scalars or vectors: the one spelling of
/// requantization that every lowering emits.
Value requantize(OpBuilder &b, Location loc, Value x, Value multiplier, Value addend,
                 Value shift, RoundingMode mode, int64_t zp, int64_t lo, int64_t hi,
                 Type outType);

/// The real type quantizeReal adds the zero point and clamps in, for an
/// input of element type `real`: f32 for f16 and bf16, whose integers stop
/// being exact past 2^11 (2^8), so that a 16-bit zero point and bound do
/// not round (32767 to 32768, wrapping); `real` itself otherwise.
Type quantizeSumType(Type real);

/// ONNX QuantizeLinear of a real scalar or vector `x`: `x / scale` in x's
/// type rounded by `rounding` (half to even for ONNX), plus `zero`, clamped
/// to [lo, hi], NaN to the zero point (docs/Numerics.md), converted to the
/// element type `outType`. `scale` is of x's type and shape, `zero` of its
/// shape and quantizeSumType: the zero point is added, and the result
/// clamped, exactly.
Value quantizeReal(OpBuilder &b, Location loc, Value x, Value scale, Value zero, double lo,
                   double hi, Type outType,
                   QuantizeRounding rounding = QuantizeRounding::half_even);

/// `(q - zero) * scale` as the element type `realType`, for an integer
/// scalar or vector `q` read as unsigned if `isUnsigned`; `zero` (an
/// integer of q's shape) may be null.
Value dequantizeInt(OpBuilder &b, Location loc, Value q, bool isUnsigned, Value zero,
                    Value scale, Type realType);

/// `input` padded with `value` by [before, after] on H and W of NHWC.
Value padNHWC(OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> padding,
              TypedAttr value);

/// A tensor.empty of `type`, filled with `value` if given.
Value emptyTensor(OpBuilder &b, Location loc, RankedTensorType type,
                  TypedAttr fill = {});

} // namespace mlir::pike::lowering

#endif // PIKE_CONVERSION_LOWERINGUTILS_H
