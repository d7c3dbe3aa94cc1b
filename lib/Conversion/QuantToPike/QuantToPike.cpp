//===- QuantToPike.cpp - quant dialect casts and types to pike ------------===//

#include "pike/Conversion/Passes.h"

#include "pike/Dialect/Pike/IR/PikeOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir::pike {
#define GEN_PASS_DEF_CONVERTQUANTTOPIKE
#include "pike/Conversion/Passes.h.inc"
} // namespace mlir::pike

using namespace mlir;
using namespace mlir::pike;

namespace {

/// The quantizer a !quant.uniform type stands for, or failure (with the
/// reason) for one pike cannot represent.
FailureOr<QuantizerAttr> quantizerOf(Operation *op, quant::QuantizedType type) {
  unsigned bits = type.getStorageTypeIntegralWidth();
  if (bits < 1 || bits > kMaxQuantBits)
    return op->emitOpError() << "quantized type " << type << " has " << bits
                             << "-bit storage; pike quantizers hold 1 to "
                             << kMaxQuantBits << " bits";
  bool isSigned = type.isSigned();
  int64_t fullMin = isSigned ? -(int64_t(1) << (bits - 1)) : 0;
  int64_t fullMax = isSigned ? (int64_t(1) << (bits - 1)) - 1 : (int64_t(1) << bits) - 1;
  if (type.getStorageTypeMin() != fullMin || type.getStorageTypeMax() != fullMax)
    return op->emitOpError() << "quantized type " << type
                             << " narrows its storage range; pike quantizers use "
                                "the full range of their width";
  MLIRContext *context = op->getContext();
  SmallVector<double> scales;
  SmallVector<int64_t> zeroPoints;
  std::optional<int64_t> axis;
  if (auto uniform = dyn_cast<quant::UniformQuantizedType>(type)) {
    scales.push_back(uniform.getScale());
    zeroPoints.push_back(uniform.getZeroPoint());
  } else if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(type)) {
    scales.assign(perAxis.getScales().begin(), perAxis.getScales().end());
    zeroPoints.assign(perAxis.getZeroPoints().begin(), perAxis.getZeroPoints().end());
    axis = perAxis.getQuantizedDimension();
  } else {
    return op->emitOpError() << "quantized type " << type
                             << " is not uniform (per tensor or per axis)";
  }
  auto emitError = [&] { return op->emitOpError(); };
  if (failed(QuantizerAttr::verifyInvariants(
          emitError, bits, isSigned, axis, QuantScheme::uniform,
          DenseF64ArrayAttr::get(context, scales),
          DenseI64ArrayAttr::get(context, zeroPoints))))
    return failure();
  return QuantizerAttr::get(context, bits, isSigned, axis, QuantScheme::uniform,
                            DenseF64ArrayAttr::get(context, scales),
                            DenseI64ArrayAttr::get(context, zeroPoints));
}

quant::QuantizedType quantizedElement(Type type) {
  return dyn_cast<quant::QuantizedType>(getElementTypeOrSelf(type));
}

struct QuantizeCastLowering : public OpConversionPattern<quant::QuantizeCastOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(quant::QuantizeCastOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    FailureOr<QuantizerAttr> quantizer =
        quantizerOf(op, quantizedElement(op.getResult().getType()));
    if (failed(quantizer))
      return failure();
    auto resultType = dyn_cast_or_null<RankedTensorType>(
        getTypeConverter()->convertType(op.getResult().getType()));
    if (!resultType || !isa<RankedTensorType>(adaptor.getInput().getType()))
      return op.emitOpError("pike imports quantize casts of ranked tensors only");
    rewriter.replaceOpWithNewOp<QuantizeOp>(op, resultType, adaptor.getInput(),
                                            *quantizer);
    return success();
  }
};

struct DequantizeCastLowering : public OpConversionPattern<quant::DequantizeCastOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(quant::DequantizeCastOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    FailureOr<QuantizerAttr> quantizer =
        quantizerOf(op, quantizedElement(op.getInput().getType()));
    if (failed(quantizer))
      return failure();
    auto resultType = dyn_cast<RankedTensorType>(op.getResult().getType());
    if (!resultType)
      return op.emitOpError("pike imports dequantize casts of ranked tensors only");
    rewriter.replaceOpWithNewOp<DequantizeOp>(op, resultType, adaptor.getInput(),
                                              *quantizer);
    return success();
  }
};

/// A storage cast is a no-op once quantized types are their storage type.
struct StorageCastLowering : public OpConversionPattern<quant::StorageCastOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(quant::StorageCastOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, adaptor.getInput());
    return success();
  }
};

struct ConvertQuantToPikePass
    : public mlir::pike::impl::ConvertQuantToPikeBase<ConvertQuantToPikePass> {
  void runOnOperation() override {
    MLIRContext *context = &getContext();
    // Reject what pike cannot represent up front, with the reason.
    WalkResult unsupported = getOperation()->walk([](Operation *op) {
      if (!isa<quant::QuantizeCastOp, quant::DequantizeCastOp>(op))
        return WalkResult::advance();
      Type type = isa<quant::QuantizeCastOp>(op) ? op->getResult(0).getType()
                                                 : op->getOperand(0).getType();
      return failed(quantizerOf(op, quantizedElement(type))) ? WalkResult::interrupt()
                                                             : WalkResult::advance();
    });
    if (unsupported.wasInterrupted())
      return signalPassFailure();
    TypeConverter converter;
    converter.addConversion([](Type type) { return type; });
    // Quantized elements become the signless integer of their storage width.
    converter.addConversion([](quant::QuantizedType type) -> Type {
      return IntegerType::get(type.getContext(), type.getStorageTypeIntegralWidth());
    });
    converter.addConversion([&](RankedTensorType type) -> Type {
      if (!quantizedElement(type))
        return type;
      return type.clone(converter.convertType(type.getElementType()));
    });

    ConversionTarget target(*context);
    target.addIllegalDialect<quant::QuantDialect>();
    target.addDynamicallyLegalOp<func::FuncOp>([&](func::FuncOp fn) {
      return converter.isSignatureLegal(fn.getFunctionType()) &&
             converter.isLegal(&fn.getBody());
    });
    target.markUnknownOpDynamicallyLegal(
        [&](Operation *op) { return converter.isLegal(op); });

    RewritePatternSet patterns(context);
    patterns.add<QuantizeCastLowering, DequantizeCastLowering, StorageCastLowering>(
        converter, context);
    populateFunctionOpInterfaceTypeConversionPattern<func::FuncOp>(patterns, converter);
    populateReturnOpTypeConversionPattern(patterns, converter);
    populateCallOpTypeConversionPattern(patterns, converter);
    // quant.dcast(quant.qcast(x)) folds to x, which would drop the
    // rounding the pair stands for: never fold.
    ConversionConfig config;
    config.foldingMode = DialectConversionFoldingMode::Never;
    if (failed(applyPartialConversion(getOperation(), target, std::move(patterns),
                                      config)))
      signalPassFailure();
  }
};

} // namespace
