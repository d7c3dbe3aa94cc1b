//===- PikeMacOps.cpp - Verifiers of the multiply-accumulate pike ops ----===//

#include "pike/Dialect/Pike/IR/PikeOps.h"

#include "PikeVerifyUtils.h"
#include "pike/Dialect/Pike/IR/AccumulatorBounds.h"

using namespace mlir;
using namespace mlir::pike;
using namespace mlir::pike::detail;

/// Checks that the accumulator holds every sum (docs/Numerics.md "Range
/// checks"): the worst case over all weights, or else, for constant
/// weights, the exact range of each output channel. Two's-complement sums
/// wrap consistently, so only the final value (with the bias) must fit.
static LogicalResult verifyAccumulatorBounds(Operation *op, Type accType,
                                             int64_t terms) {
  unsigned accBits = accType.getIntOrFloatBitWidth();
  std::optional<AccumulatorBounds> bounds =
      computeAccumulatorBounds(op, /*withWeights=*/false);
  if (!bounds || bounds->worstCase.fits(accBits, /*isSigned=*/true))
    return success();
  bounds = computeAccumulatorBounds(op, /*withWeights=*/true);
  Value bias = op->getNumOperands() > 2 ? op->getOperand(2) : Value();
  StringRef biasText = bias && bounds->biasKnown ? " and the bias" : "";
  if (bounds->perChannel) {
    for (auto [c, range] : llvm::enumerate(*bounds->perChannel)) {
      if (range.fits(accBits, /*isSigned=*/true))
        continue;
      InFlightDiagnostic diag = op->emitOpError();
      diag << "accumulator type " << accType << " may overflow in output channel " << c
           << ": with its constant weights the sum of " << terms << " products" << biasText;
      if (range.isOverflowed())
        return diag << " is " << range.str();
      return diag << " reaches " << numerics::toString(range.extreme()) << ", which needs "
                  << range.signedBits() << " bits";
    }
    return success();
  }
  InFlightDiagnostic diag = op->emitOpError();
  diag << "accumulator type " << accType << " may overflow: the worst-case sum of "
       << terms << " products" << biasText;
  if (bounds->worstCase.isOverflowed())
    return diag << " is " << bounds->worstCase.str();
  return diag << " reaches " << numerics::toString(bounds->worstCase.extreme())
              << ", which needs " << bounds->worstCase.signedBits() << " bits";
}

/// Checks what conv2d, fully_connected and batch_matmul share: zero points
/// (attributes `<inputName>_zp`, `<weightName>_zp`), bias and the
/// accumulator's capacity for `terms` products per output.
static LogicalResult verifyMacCommon(Operation *op, RankedTensorType inputType,
                                     RankedTensorType weightType,
                                     RankedTensorType resultType, Value bias,
                                     int64_t outChannels, int64_t inputZp,
                                     int64_t weightZp, bool inputUnsigned,
                                     bool weightUnsigned, int64_t terms,
                                     StringRef inputName = "input",
                                     StringRef weightName = "weight") {
  Type inElement = inputType.getElementType();
  Type wElement = weightType.getElementType();
  Type accElement = resultType.getElementType();
  if (failed(verifyFitsType(op, (inputName + "_zp").str(), inputZp, inElement,
                            inputUnsigned)) ||
      failed(verifyFitsType(op, (weightName + "_zp").str(), weightZp, wElement,
                            weightUnsigned)))
    return failure();
  unsigned accBits = accElement.getIntOrFloatBitWidth();
  if (accBits < inElement.getIntOrFloatBitWidth() ||
      accBits < wElement.getIntOrFloatBitWidth())
    return op->emitOpError() << "accumulator type " << accElement
                             << " is narrower than its operands";
  if (bias) {
    auto biasType = cast<RankedTensorType>(bias.getType());
    if (biasType.getRank() != 1 || biasType.getElementType() != accElement)
      return op->emitOpError() << "bias must be a 1-D tensor of the accumulator "
                                  "type "
                               << accElement << ", got " << biasType;
    if (failed(verifyDim(op, "bias size", biasType.getDimSize(0), outChannels)))
      return failure();
  }
  if (ShapedType::isDynamic(terms))
    return success();
  return verifyAccumulatorBounds(op, accElement, terms);
}

//===----------------------------------------------------------------------===//
// Conv2DOp
//===----------------------------------------------------------------------===//

bool Conv2DOp::isDepthwise() {
  int64_t channels = getInput().getType().getDimSize(3);
  int64_t groups = int64_t(getGroups());
  return groups > 1 && groups == channels;
}

LogicalResult Conv2DOp::verify() {
  RankedTensorType inputType = getInput().getType();
  RankedTensorType weightType = getWeight().getType();
  RankedTensorType resultType = getOutput().getType();
  if (inputType.getRank() != 4 || weightType.getRank() != 4 ||
      resultType.getRank() != 4)
    return emitOpError() << "expects rank-4 input (NHWC), weight (OHWI) and "
                            "result (NHWC), got ranks "
                         << inputType.getRank() << ", " << weightType.getRank()
                         << ", " << resultType.getRank();
  if (failed(verifyArray(*this, "strides", getStrides(), 2, 1)) ||
      failed(verifyArray(*this, "dilations", getDilations(), 2, 1)) ||
      failed(verifyArray(*this, "padding", getPadding(), 4, 0)))
    return failure();
  int64_t groups = getGroups();
  if (groups < 1)
    return emitOpError() << "groups (" << groups << ") must be at least 1";

  int64_t inChannels = inputType.getDimSize(3);
  int64_t outChannels = weightType.getDimSize(0);
  if (!ShapedType::isDynamic(inChannels) && inChannels % groups != 0)
    return emitOpError() << "input channels (" << inChannels
                         << ") are not divisible by groups (" << groups << ")";
  if (!ShapedType::isDynamic(outChannels) && outChannels % groups != 0)
    return emitOpError() << "output channels (" << outChannels
                         << ") are not divisible by groups (" << groups << ")";
  if (!ShapedType::isDynamic(inChannels) &&
      failed(verifyDim(*this, "weight input channels (dimension 3)",
                       weightType.getDimSize(3), inChannels / groups)))
    return failure();

  ArrayRef<int64_t> strides = getStrides(), dilations = getDilations(),
                    padding = getPadding();
  FailureOr<int64_t> outHeight =
      windowOutputSize(*this, "height", inputType.getDimSize(1),
                       weightType.getDimSize(1), strides[0], dilations[0],
                       padding[0], padding[1]);
  if (failed(outHeight))
    return failure();
  FailureOr<int64_t> outWidth =
      windowOutputSize(*this, "width", inputType.getDimSize(2),
                       weightType.getDimSize(2), strides[1], dilations[1],
                       padding[2], padding[3]);
  if (failed(outWidth))
    return failure();
  if (failed(verifyDim(*this, "result batch", resultType.getDimSize(0),
                       inputType.getDimSize(0))) ||
      failed(verifyDim(*this, "result height", resultType.getDimSize(1),
                       *outHeight)) ||
      failed(verifyDim(*this, "result width", resultType.getDimSize(2),
                       *outWidth)) ||
      failed(verifyDim(*this, "result channels", resultType.getDimSize(3),
                       outChannels)))
    return failure();

  int64_t terms = ShapedType::kDynamic;
  if (weightType.hasStaticShape())
    terms = weightType.getDimSize(1) * weightType.getDimSize(2) *
            weightType.getDimSize(3);
  return verifyMacCommon(*this, inputType, weightType, resultType, getBias(),
                         outChannels, getInputZp(), getWeightZp(),
                         getInputUnsigned(), getWeightUnsigned(), terms);
}

//===----------------------------------------------------------------------===//
// FullyConnectedOp
//===----------------------------------------------------------------------===//

LogicalResult FullyConnectedOp::verify() {
  RankedTensorType inputType = getInput().getType();
  RankedTensorType weightType = getWeight().getType();
  RankedTensorType resultType = getOutput().getType();
  if (inputType.getRank() != 2 || weightType.getRank() != 2 ||
      resultType.getRank() != 2)
    return emitOpError() << "expects rank-2 input [N, K], weight [M, K] and "
                            "result [N, M], got ranks "
                         << inputType.getRank() << ", " << weightType.getRank()
                         << ", " << resultType.getRank();
  if (failed(verifyDim(*this, "weight K (dimension 1)", weightType.getDimSize(1),
                       inputType.getDimSize(1))) ||
      failed(verifyDim(*this, "result N (dimension 0)", resultType.getDimSize(0),
                       inputType.getDimSize(0))) ||
      failed(verifyDim(*this, "result M (dimension 1)", resultType.getDimSize(1),
                       weightType.getDimSize(0))))
    return failure();
  return verifyMacCommon(*this, inputType, weightType, resultType, getBias(),
                         weightType.getDimSize(0), getInputZp(), getWeightZp(),
                         getInputUnsigned(), getWeightUnsigned(),
                         weightType.getDimSize(1));
}

//===----------------------------------------------------------------------===//
// BatchMatmulOp
//===----------------------------------------------------------------------===//

LogicalResult BatchMatmulOp::verify() {
  RankedTensorType lhsType = getLhs().getType();
  RankedTensorType rhsType = getRhs().getType();
  RankedTensorType resultType = getOutput().getType();
  int64_t lhsRank = lhsType.getRank(), rhsRank = rhsType.getRank();
  int64_t batchRank = std::max(lhsRank, rhsRank) - 2;
  if (lhsRank < 2 || rhsRank < 2)
    return emitOpError() << "expects lhs [..., M, K] and rhs [..., K, N] of rank 2 "
                            "or more, got ranks "
                         << lhsRank << ", " << rhsRank;
  if (resultType.getRank() != batchRank + 2)
    return emitOpError() << "expects a result of rank " << batchRank + 2
                         << " ([..., M, N] with the broadcast batch dimensions), got "
                         << resultType.getRank();
  if (failed(verifyDim(*this, "rhs K (dimension " + std::to_string(rhsRank - 2) + ")",
                       rhsType.getDimSize(rhsRank - 2), lhsType.getDimSize(lhsRank - 1))) ||
      failed(verifyDim(*this, "result M (dimension " + std::to_string(batchRank) + ")",
                       resultType.getDimSize(batchRank),
                       lhsType.getDimSize(lhsRank - 2))) ||
      failed(verifyDim(*this, "result N (dimension " + std::to_string(batchRank + 1) + ")",
                       resultType.getDimSize(batchRank + 1),
                       rhsType.getDimSize(rhsRank - 1))))
    return failure();
  // Batch dimensions, aligned from the right as NumPy broadcasts them.
  for (int64_t d = 0; d < batchRank; ++d) {
    int64_t lhsDim = d - (batchRank - (lhsRank - 2));
    int64_t rhsDim = d - (batchRank - (rhsRank - 2));
    int64_t l = lhsDim >= 0 ? lhsType.getDimSize(lhsDim) : 1;
    int64_t r = rhsDim >= 0 ? rhsType.getDimSize(rhsDim) : 1;
    int64_t expected = ShapedType::kDynamic;
    if (!ShapedType::isDynamic(l) && !ShapedType::isDynamic(r)) {
      if (l != r && l != 1 && r != 1)
        return emitOpError() << "batch dimensions do not broadcast: lhs dimension "
                             << lhsDim << " is " << l << " and rhs dimension " << rhsDim
                             << " is " << r << " (each pair must be equal or one of them 1)";
      expected = l == 1 ? r : l;
    }
    if (failed(verifyDim(*this, "result batch dimension " + std::to_string(d),
                         resultType.getDimSize(d), expected)))
      return failure();
  }
  int64_t k = lhsType.getDimSize(lhsRank - 1);
  return verifyMacCommon(*this, lhsType, rhsType, resultType, /*bias=*/Value(),
                         /*outChannels=*/ShapedType::kDynamic, getLhsZp(), getRhsZp(),
                         getLhsUnsigned(), getRhsUnsigned(), k, "lhs", "rhs");
}
