//===- RowGenerics.cpp - linalg.generic over rows of the last dimension ---===//

#include "RowGenerics.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;

namespace mlir::pike::lowering {

SmallVector<Value> rowGeneric(OpBuilder &b, Location loc, Value shapeOf, ValueRange full,
                              ValueRange rows, ValueRange perPosition, ValueRange outputs,
                              bool reduce, RowBody body) {
  auto type = cast<RankedTensorType>(shapeOf.getType());
  int64_t rank = type.getRank();
  MLIRContext *context = b.getContext();
  AffineMap identity = b.getMultiDimIdentityMap(rank);
  AffineMap row = identity.dropResult(rank - 1);
  AffineMap position = AffineMap::get(rank, 0, b.getAffineDimExpr(rank - 1), context);
  SmallVector<Value> inputs;
  SmallVector<AffineMap> maps;
  for (Value v : full) {
    inputs.push_back(v);
    maps.push_back(identity);
  }
  for (Value v : rows) {
    inputs.push_back(v);
    maps.push_back(row);
  }
  for (Value v : perPosition) {
    inputs.push_back(v);
    maps.push_back(position);
  }
  for (size_t i = 0; i < outputs.size(); ++i)
    maps.push_back(reduce ? row : identity);
  SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
  if (reduce)
    iterators.back() = utils::IteratorType::reduction;
  SmallVector<Type> resultTypes;
  for (Value v : outputs)
    resultTypes.push_back(v.getType());
  auto generic = linalg::GenericOp::create(
      b, loc, resultTypes, inputs, outputs, maps, iterators,
      [&](OpBuilder &nested, Location l, ValueRange args) {
        linalg::YieldOp::create(nested, l, body(nested, l, args));
      });
  return SmallVector<Value>(generic.getResults());
}

Value rowTensor(OpBuilder &b, Location loc, Value input, Type element, TypedAttr fill) {
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, input);
  sizes.pop_back();
  Value empty = tensor::EmptyOp::create(b, loc, sizes, element);
  Value value = arith::ConstantOp::create(b, loc, fill);
  return linalg::FillOp::create(b, loc, value, empty).getResult(0);
}

Value fullTensor(OpBuilder &b, Location loc, Value input, Type element) {
  return tensor::EmptyOp::create(b, loc, tensor::getMixedSizes(b, loc, input), element);
}

} // namespace mlir::pike::lowering
