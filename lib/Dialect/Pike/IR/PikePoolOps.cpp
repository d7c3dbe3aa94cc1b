//===- PikePoolOps.cpp - Verifiers of the pike pooling ops ----------------===//

#include "pike/Dialect/Pike/IR/PikeOps.h"

#include "PikeVerifyUtils.h"

using namespace mlir;
using namespace mlir::pike;
using namespace mlir::pike::detail;

/// Checks a pooling window and the NHWC result shape it implies.
static LogicalResult verifyPool(Operation *op, RankedTensorType inputType,
                                RankedTensorType resultType,
                                ArrayRef<int64_t> kernel,
                                ArrayRef<int64_t> strides,
                                ArrayRef<int64_t> padding) {
  if (inputType.getRank() != 4 || resultType.getRank() != 4)
    return op->emitOpError() << "expects rank-4 NHWC input and result, got ranks "
                             << inputType.getRank() << " and "
                             << resultType.getRank();
  if (inputType.getElementType() != resultType.getElementType())
    return op->emitOpError() << "result element type "
                             << resultType.getElementType()
                             << " differs from the input's "
                             << inputType.getElementType();
  if (failed(verifyArray(op, "kernel", kernel, 2, 1)) ||
      failed(verifyArray(op, "strides", strides, 2, 1)) ||
      failed(verifyArray(op, "padding", padding, 4, 0)))
    return failure();
  for (int i = 0; i < 2; ++i)
    if (padding[2 * i] >= kernel[i] || padding[2 * i + 1] >= kernel[i])
      return op->emitOpError() << "padding must be smaller than the kernel, so "
                                  "every window sees the input";
  FailureOr<int64_t> outHeight =
      windowOutputSize(op, "height", inputType.getDimSize(1), kernel[0],
                       strides[0], 1, padding[0], padding[1]);
  if (failed(outHeight))
    return failure();
  FailureOr<int64_t> outWidth =
      windowOutputSize(op, "width", inputType.getDimSize(2), kernel[1],
                       strides[1], 1, padding[2], padding[3]);
  if (failed(outWidth))
    return failure();
  if (failed(verifyDim(op, "result batch", resultType.getDimSize(0),
                       inputType.getDimSize(0))) ||
      failed(verifyDim(op, "result height", resultType.getDimSize(1), *outHeight)) ||
      failed(verifyDim(op, "result width", resultType.getDimSize(2), *outWidth)) ||
      failed(verifyDim(op, "result channels", resultType.getDimSize(3),
                       inputType.getDimSize(3))))
    return failure();
  return success();
}

bool AvgPool2DOp::isGlobal() {
  RankedTensorType inputType = getInput().getType();
  return getKernel()[0] == inputType.getDimSize(1) &&
         getKernel()[1] == inputType.getDimSize(2);
}

LogicalResult AvgPool2DOp::verify() {
  RankedTensorType inputType = getInput().getType();
  int64_t noPadding[] = {0, 0, 0, 0};
  if (failed(verifyPool(*this, inputType, getOutput().getType(), getKernel(),
                        getStrides(), noPadding)))
    return failure();
  Type elementType = inputType.getElementType();
  if (isa<FloatType>(elementType)) {
    if (getInputZp() || getOutputZp() || getInputUnsigned())
      return emitOpError("zero points and signedness apply to integer pooling "
                         "only");
    return success();
  }
  if (failed(verifyFitsType(*this, "input_zp", getInputZp(), elementType,
                            getInputUnsigned())) ||
      failed(verifyFitsType(*this, "output_zp", getOutputZp(), elementType,
                            getInputUnsigned())))
    return failure();
  return success();
}

LogicalResult MaxPool2DOp::verify() {
  RankedTensorType inputType = getInput().getType();
  if (failed(verifyPool(*this, inputType, getOutput().getType(), getKernel(),
                        getStrides(), getPadding())))
    return failure();
  if (isa<FloatType>(inputType.getElementType()) && getInputUnsigned())
    return emitOpError("input_unsigned applies to integer tensors only");
  return success();
}
