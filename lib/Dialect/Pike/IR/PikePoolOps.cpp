//===- PikePoolOps.cpp - Verifiers of the pike pooling ops ----------------===//

#include "pike/Dialect/Pike/IR/PikeOps.h"

#include "PikeVerifyUtils.h"

#include "pike/Numerics/Pooling.h"

using namespace mlir;
using namespace mlir::pike;
using namespace mlir::pike::detail;

/// Checks a pooling window and the NHWC result shape it implies.
static LogicalResult verifyPool(Operation *op, RankedTensorType inputType,
                                RankedTensorType resultType,
                                ArrayRef<int64_t> kernel,
                                ArrayRef<int64_t> strides,
                                ArrayRef<int64_t> padding, bool ceilMode = false) {
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
  // Ceil mode: the verified floor size padded input holds one window.
  if (ceilMode && !ShapedType::isDynamic(*outHeight))
    outHeight = numerics::poolOutputSize(inputType.getDimSize(1), kernel[0], strides[0],
                                         padding[0], padding[1], true);
  if (ceilMode && !ShapedType::isDynamic(*outWidth))
    outWidth = numerics::poolOutputSize(inputType.getDimSize(2), kernel[1], strides[1],
                                        padding[2], padding[3], true);
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

std::vector<int64_t> AvgPool2DOp::windowCounts(unsigned axis) {
  int64_t input = getInput().getType().getDimSize(1 + axis);
  int64_t output = getOutput().getType().getDimSize(1 + axis);
  ArrayRef<int64_t> padding = getPadding();
  return numerics::poolWindowCounts(input, output, getKernel()[axis], getStrides()[axis],
                                    padding[2 * axis], padding[2 * axis + 1],
                                    getCountIncludePad());
}

bool AvgPool2DOp::hasUniformDivisor() {
  // In floor mode every window lies inside the padded input.
  if (!getCeilMode() && (getCountIncludePad() ||
                         llvm::all_of(getPadding(), [](int64_t p) { return p == 0; })))
    return true;
  for (unsigned axis = 0; axis < 2; ++axis) {
    if (ShapedType::isDynamic(getInput().getType().getDimSize(1 + axis)) ||
        ShapedType::isDynamic(getOutput().getType().getDimSize(1 + axis)))
      return false;
    if (llvm::any_of(windowCounts(axis), [&](int64_t n) { return n != getKernel()[axis]; }))
      return false;
  }
  return true;
}

LogicalResult AvgPool2DOp::verify() {
  RankedTensorType inputType = getInput().getType();
  if (failed(verifyPool(*this, inputType, getOutput().getType(), getKernel(),
                        getStrides(), getPadding(), getCeilMode())))
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
