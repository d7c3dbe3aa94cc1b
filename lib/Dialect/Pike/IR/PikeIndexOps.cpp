//===- PikeIndexOps.cpp - Reads at indices known at run time --------------===//

#include "pike/Dialect/Pike/IR/PikeOps.h"

using namespace mlir;
using namespace mlir::pike;

LogicalResult GatherOp::verify() {
  auto table = cast<RankedTensorType>(getTable().getType());
  auto indices = cast<RankedTensorType>(getIndices().getType());
  auto output = cast<RankedTensorType>(getOutput().getType());
  if (table.getRank() < 1 || table.getDimSize(0) < 1 || !table.hasStaticShape() ||
      !indices.hasStaticShape())
    return emitOpError("needs static shapes and a table of at least one row");
  if (table.getElementType() != output.getElementType())
    return emitOpError() << "result element type " << output.getElementType()
                         << " differs from the table's " << table.getElementType();
  SmallVector<int64_t> shape(indices.getShape());
  shape.append(table.getShape().begin() + 1, table.getShape().end());
  if (output.getShape() != ArrayRef<int64_t>(shape))
    return emitOpError() << "result shape must be the indices' followed by a row's";
  return success();
}
