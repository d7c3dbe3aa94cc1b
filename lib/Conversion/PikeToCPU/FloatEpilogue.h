//===- FloatEpilogue.h - Requantization in float lanes ---------*- C++ -*-===//
//
// The epilogue's scaling in float64 lanes where every intermediate is exact,
// and in float32 lanes for the `float32` rounding, which is float32
// arithmetic by definition: the same integers as pike.apply_scale in i64
// lanes, in fewer instructions.
//
//===----------------------------------------------------------------------===//

#ifndef PIKE_LIB_CONVERSION_PIKETOCPU_FLOATEPILOGUE_H
#define PIKE_LIB_CONVERSION_PIKETOCPU_FLOATEPILOGUE_H

#include "KernelSupport.h"

namespace mlir::pike::cpu {

/// Where `epilogue.op`'s scaling of `channels` channels (and a fused
/// residual add's) has a float form, materializes its tables at `b` and
/// sets the epilogue's scaleLanes, channelTables and residualInFloat64;
/// false, changing nothing, where it has none.
bool materializeFloatScaling(OpBuilder &b, Location loc, Epilogue &epilogue, int64_t channels);

/// Whether the epilogue's float64 lanes will hold the doubles by halves
/// (Epilogue::doublesByHalves), before materializeFloatScaling decides it.
bool scalesByHalves(const Epilogue &epilogue, int64_t channels);

/// The op's stored vector (its numbers, i8 when narrower) for the i32
/// accumulators `acc`, scaled in the epilogue's float lanes by `tables`.
Value storeFloatScaled(OpBuilder &b, Location loc, const Epilogue &epilogue, Value acc,
                       ValueRange tables);

/// The residual add's stored vector (residualInFloat64): the op's rounded
/// float lanes against the other operand, read at `position`.
Value addResidualInFloat64(OpBuilder &b, Location loc, const Epilogue &epilogue, Value acc,
                           ValueRange tables, ValueRange position, bool partial);

} // namespace mlir::pike::cpu

#endif // PIKE_LIB_CONVERSION_PIKETOCPU_FLOATEPILOGUE_H
