//===- RowGenerics.h - linalg.generic over rows of the last dimension -*- C++ -*-===//
//
// The normalizations' building blocks: a row is the last dimension of a
// tensor; these build the generics that reduce rows and read them back.
//
//===----------------------------------------------------------------------===//

#ifndef PIKE_LIB_CONVERSION_PIKETOLINALG_ROWGENERICS_H
#define PIKE_LIB_CONVERSION_PIKETOLINALG_ROWGENERICS_H

#include "mlir/IR/Builders.h"

namespace mlir::pike::lowering {

using RowBody = function_ref<SmallVector<Value>(OpBuilder &, Location, ValueRange)>;

/// A linalg.generic over the shape of `shapeOf` reading `full` tensors of
/// that shape, `rows` tensors of one value per row, and `perPosition` 1-D
/// tensors indexed by the last dimension, into `outputs`: row tensors
/// (filled inits) it reduces into when `reduce`, else tensors of the shape.
SmallVector<Value> rowGeneric(OpBuilder &b, Location loc, Value shapeOf, ValueRange full,
                              ValueRange rows, ValueRange perPosition, ValueRange outputs,
                              bool reduce, RowBody body);

/// A tensor of one `element` per row of `input`, filled with `fill`.
Value rowTensor(OpBuilder &b, Location loc, Value input, Type element, TypedAttr fill);

/// A tensor of `input`'s shape with element `element`, uninitialized.
Value fullTensor(OpBuilder &b, Location loc, Value input, Type element);

} // namespace mlir::pike::lowering

#endif // PIKE_LIB_CONVERSION_PIKETOLINALG_ROWGENERICS_H
