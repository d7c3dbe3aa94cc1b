//===- LowerFloat32Normalization.cpp - onnxruntime's kernels, bit for bit -===//
//
// pike.float32_layer_norm and pike.float32_softmax as linalg.generic ops
// whose float arithmetic is the op's, one IR op per rounding: sums are
// reductions whose loop runs in row order (the layer norm's lane sums over
// a [.., n/L, L] view, the lane loop outside the reduction loop), so the
// loops add in the kernel's order. Nothing here may be reassociated or
// contracted; arith and math carry no fast-math flags.
//
//===----------------------------------------------------------------------===//

#include "LoweringPatterns.h"
#include "RowGenerics.h"
#include "pike/Conversion/LoweringUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"
#include "pike/Dialect/Pike/IR/PikeOps.h"
#include "pike/Numerics/FixedPoint.h"

#include <cmath>

using namespace mlir;
using namespace mlir::pike;
using namespace mlir::pike::lowering;
namespace num = ::mlir::pike::numerics;

namespace {

/// onnxruntime's quantize of `real` (f32 or f64) into [lo, hi] at zero
/// point `zp`: clamped to [lo - zp, hi - zp] (a NaN to the lowest), rounded
/// half to even by adding and subtracting 1.5 * 2^(mantissa bits - 1),
/// exact inside those 17-bit bounds, plus `zp`. Clamping before rounding
/// is the same: the bounds are integers.
Value roundClamped(OpBuilder &b, Location l, Value real, int64_t lo, int64_t hi, int64_t zp,
                   Type outElement) {
  auto type = cast<FloatType>(real.getType());
  auto constant = [&](double v) { return scalarReal(b, l, type, v); };
  Value clamped = arith::MinNumFOp::create(
      b, l, arith::MaxNumFOp::create(b, l, real, constant(double(lo - zp))),
      constant(double(hi - zp)));
  Value magic = constant(std::ldexp(1.5, int(type.getFPMantissaWidth()) - 1));
  Value rounded = arith::SubFOp::create(b, l, arith::AddFOp::create(b, l, clamped, magic), magic);
  Type i32 = b.getI32Type();
  Value shifted = arith::AddIOp::create(b, l, arith::FPToSIOp::create(b, l, i32, rounded),
                                        arith::ConstantOp::create(b, l, b.getI32IntegerAttr(zp)));
  return castInt(b, l, shifted, outElement, /*isUnsigned=*/false);
}

/// Per row, `lanes` sums over a row viewed as [n / lanes, lanes]: lane j
/// adds elements j, j + lanes, ... in order, starting from 0, with `step`.
Value laneSums(OpBuilder &b, Location loc, Value full, int64_t lanes, Type element,
               function_ref<Value(OpBuilder &, Location, Value, Value)> step) {
  auto type = cast<RankedTensorType>(full.getType());
  int64_t rank = type.getRank();
  SmallVector<int64_t> viewShape(type.getShape());
  viewShape.back() /= lanes;
  viewShape.push_back(lanes);
  SmallVector<ReassociationIndices> groups;
  for (int64_t d = 0; d + 1 < rank; ++d)
    groups.push_back({d});
  groups.push_back({rank - 1, rank});
  Value view = tensor::ExpandShapeOp::create(
      b, loc, RankedTensorType::get(viewShape, type.getElementType()), full, groups);

  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, full);
  sizes.back() = b.getIndexAttr(lanes);
  Value zero = arith::ConstantOp::create(b, loc, b.getZeroAttr(element));
  Value init = linalg::FillOp::create(b, loc, zero,
                                      tensor::EmptyOp::create(b, loc, sizes, element).getResult())
                   .getResult(0);
  // Iteration (rows.., lane, k): the reduction over k is the innermost loop.
  MLIRContext *context = b.getContext();
  SmallVector<AffineExpr> in, out;
  for (int64_t d = 0; d + 1 < rank; ++d) {
    in.push_back(getAffineDimExpr(d, context));
    out.push_back(getAffineDimExpr(d, context));
  }
  AffineExpr lane = getAffineDimExpr(rank - 1, context), k = getAffineDimExpr(rank, context);
  in.append({k, lane});
  out.push_back(lane);
  SmallVector<AffineMap> maps = {AffineMap::get(rank + 1, 0, in, context),
                                 AffineMap::get(rank + 1, 0, out, context)};
  SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
  iterators.push_back(utils::IteratorType::reduction);
  return linalg::GenericOp::create(b, loc, TypeRange{init.getType()}, ValueRange{view},
                                   ValueRange{init}, maps, iterators,
                                   [&](OpBuilder &nb, Location l, ValueRange a) {
                                     linalg::YieldOp::create(nb, l, step(nb, l, a[0], a[1]));
                                   })
      .getResult(0);
}

/// Lane `j` of a [rows.., lanes] tensor, as a tensor of one value per row.
Value lane(OpBuilder &b, Location loc, Value sums, int64_t j) {
  auto type = cast<RankedTensorType>(sums.getType());
  int64_t rank = type.getRank();
  SmallVector<OpFoldResult> offsets(rank, b.getIndexAttr(0)), strides(rank, b.getIndexAttr(1));
  offsets.back() = b.getIndexAttr(j);
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, sums);
  sizes.back() = b.getIndexAttr(1);
  auto rowType = RankedTensorType::get(type.getShape().drop_back(), type.getElementType());
  return tensor::ExtractSliceOp::create(b, loc, rowType, sums, offsets, sizes, strides);
}

/// A generic over rows reading one value per row from each of `rows`.
Value perRow(OpBuilder &b, Location loc, ValueRange rows, Type element, RowBody body) {
  auto type = cast<RankedTensorType>(rows.front().getType());
  Value init =
      tensor::EmptyOp::create(b, loc, tensor::getMixedSizes(b, loc, rows.front()), element);
  SmallVector<AffineMap> maps(rows.size() + 1, b.getMultiDimIdentityMap(type.getRank()));
  return linalg::GenericOp::create(
             b, loc, TypeRange{init.getType()}, rows, ValueRange{init}, maps,
             SmallVector<utils::IteratorType>(type.getRank(), utils::IteratorType::parallel),
             [&](OpBuilder &nb, Location l, ValueRange a) {
               linalg::YieldOp::create(nb, l, body(nb, l, a));
             })
      .getResult(0);
}

/// Per row, 8 float32 lane sums ([rows.., 8]) added as onnxruntime's x86
/// code adds them (its LayerNorm's variance, its ReduceMean),
/// ((L0 + L4) + (L2 + L6)) + ((L1 + L5) + (L3 + L7)), then divided by n.
Value meanOfLanes(OpBuilder &b, Location loc, Value sums, int64_t n) {
  SmallVector<Value> lanes;
  for (int64_t j = 0; j < 8; ++j)
    lanes.push_back(lane(b, loc, sums, j));
  Type f32 = b.getF32Type();
  return perRow(b, loc, lanes, f32, [&](OpBuilder &nb, Location l, ValueRange a) {
    auto add = [&](Value p, Value q) { return arith::AddFOp::create(nb, l, p, q).getResult(); };
    Value total =
        add(add(add(a[0], a[4]), add(a[2], a[6])), add(add(a[1], a[5]), add(a[3], a[7])));
    return SmallVector<Value>{
        arith::DivFOp::create(nb, l, total, scalarReal(nb, l, f32, float(n)))};
  });
}

/// onnxruntime's DequantizeLinear of every element: f32(q - zp) * scale.
Value dequantized(OpBuilder &b, Location loc, Value input, bool isUnsigned, int64_t zp,
                  float scale) {
  Type f32 = b.getF32Type(), i32 = b.getI32Type();
  return rowGeneric(b, loc, input, {input}, {}, {}, {fullTensor(b, loc, input, f32)}, false,
                    [&](OpBuilder &nb, Location l, ValueRange a) -> SmallVector<Value> {
                      Value q = castInt(nb, l, a[0], i32, isUnsigned);
                      Value c = arith::SubIOp::create(
                          nb, l, q, arith::ConstantOp::create(nb, l, nb.getI32IntegerAttr(zp)));
                      return {arith::MulFOp::create(nb, l, arith::SIToFPOp::create(nb, l, f32, c),
                                                    scalarReal(nb, l, f32, scale))};
                    })[0];
}

/// x - mean of its row, in float32.
Value centered(OpBuilder &b, Location loc, Value x, Value mean) {
  return rowGeneric(b, loc, x, {x}, {mean}, {}, {fullTensor(b, loc, x, b.getF32Type())}, false,
                    [&](OpBuilder &nb, Location l, ValueRange a) -> SmallVector<Value> {
                      return {arith::SubFOp::create(nb, l, a[0], a[1])};
                    })[0];
}

struct Float32LayerNormLowering : public OpConversionPattern<Float32LayerNormOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(Float32LayerNormOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    int64_t n = op.getInput().getType().getShape().back();
    Type f32 = rewriter.getF32Type(), f64 = rewriter.getF64Type();
    auto vector = [&](ArrayRef<float> values) -> Value {
      auto type = RankedTensorType::get({n}, f32);
      return arith::ConstantOp::create(rewriter, loc, DenseElementsAttr::get(type, values));
    };

    Value x = dequantized(rewriter, loc, input, op.getInputUnsigned(), op.getInputZp(),
                          op.getInputScale().convertToFloat());

    // mean = f32(((S0 + S2) + (S1 + S3)) / n), the S_j float64 lane sums.
    Value sums =
        laneSums(rewriter, loc, x, 4, f64, [](OpBuilder &b, Location l, Value v, Value acc) {
          return arith::AddFOp::create(b, l, acc, arith::ExtFOp::create(b, l, b.getF64Type(), v))
              .getResult();
        });
    SmallVector<Value> s;
    for (int64_t j = 0; j < 4; ++j)
      s.push_back(lane(rewriter, loc, sums, j));
    Value mean = perRow(rewriter, loc, s, f32, [&](OpBuilder &b, Location l, ValueRange a) {
      Value total = arith::AddFOp::create(b, l, arith::AddFOp::create(b, l, a[0], a[2]),
                                          arith::AddFOp::create(b, l, a[1], a[3]));
      Value quotient = arith::DivFOp::create(
          b, l, total, arith::ConstantOp::create(b, l, b.getF64FloatAttr(double(n))));
      return SmallVector<Value>{arith::TruncFOp::create(b, l, f32, quotient)};
    });

    Value d = centered(rewriter, loc, x, mean);

    // inv = 1 / sqrt(V / n + epsilon), V the tree of 8 fma lane sums.
    Value squares =
        laneSums(rewriter, loc, d, 8, f32, [](OpBuilder &b, Location l, Value v, Value acc) {
          return math::FmaOp::create(b, l, v, v, acc).getResult();
        });
    Value variance = meanOfLanes(rewriter, loc, squares, n);
    Value inv = perRow(rewriter, loc, {variance}, f32, [&](OpBuilder &b, Location l, ValueRange a) {
      Value root = math::SqrtOp::create(
          b, l,
          arith::AddFOp::create(b, l, a[0],
                                scalarReal(b, l, f32, op.getEpsilon().convertToFloat())));
      return SmallVector<Value>{arith::DivFOp::create(b, l, scalarReal(b, l, f32, 1.0f), root)};
    });

    // y = fma(d * inv, gamma, beta), quantized as MLAS does: divide, clamp
    // (a NaN to the lowest), round half to even, add the zero point.
    auto resultType = op.getOutput().getType();
    Type outElement = resultType.getElementType();
    unsigned outBits = outElement.getIntOrFloatBitWidth();
    int64_t zp = op.getOutputZp();
    int64_t lo = num::minValue(outBits, !op.getOutputUnsigned());
    int64_t hi = num::maxValue(outBits, !op.getOutputUnsigned());
    Value result =
        rowGeneric(rewriter, loc, input, {d}, {inv}, {vector(op.getGamma()), vector(op.getBeta())},
                   {fullTensor(rewriter, loc, input, outElement)}, false,
                   [&](OpBuilder &b, Location l, ValueRange a) -> SmallVector<Value> {
                     Value t = arith::MulFOp::create(b, l, a[0], a[1]);
                     Value y = math::FmaOp::create(b, l, t, a[2], a[3]);
                     Value z = arith::DivFOp::create(
                         b, l, y, scalarReal(b, l, f32, op.getOutputScale().convertToFloat()));
                     return {roundClamped(b, l, z, lo, hi, zp, outElement)};
                   })[0];
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// onnxruntime's ReduceMean over rows of a multiple of 8 float32 values:
/// 8 lane sums in row order, added as a tree, divided by n.
Value reduceMean(OpBuilder &b, Location loc, Value full, int64_t n) {
  Value sums =
      laneSums(b, loc, full, 8, b.getF32Type(), [](OpBuilder &nb, Location l, Value v, Value acc) {
        return arith::AddFOp::create(nb, l, acc, v).getResult();
      });
  return meanOfLanes(b, loc, sums, n);
}

struct Float32StepwiseLayerNormLowering
    : public OpConversionPattern<Float32StepwiseLayerNormOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(Float32StepwiseLayerNormOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    int64_t n = op.getInput().getType().getShape().back();
    Type f32 = rewriter.getF32Type(), i64 = rewriter.getI64Type();
    // x = f32(q - zp) * scale; d = x - mean; s = d * d.
    Value x = dequantized(rewriter, loc, input, op.getInputUnsigned(), op.getInputZp(),
                          op.getInputScale().convertToFloat());
    Value mean = reduceMean(rewriter, loc, x, n);
    Value d = centered(rewriter, loc, x, mean);
    Value squares =
        rowGeneric(rewriter, loc, input, {d}, {}, {}, {fullTensor(rewriter, loc, input, f32)},
                   false, [&](OpBuilder &b, Location l, ValueRange a) -> SmallVector<Value> {
                     return {arith::MulFOp::create(b, l, a[0], a[0])};
                   })[0];
    Value variance = reduceMean(rewriter, loc, squares, n);
    // Per row: the variance quantized (QuantizeLinear), its deviation read.
    int64_t varianceLo = int64_t(op.getVarianceMin()), varianceHi = int64_t(op.getVarianceMax());
    int64_t varianceZp = int64_t(op.getVarianceZp());
    ArrayRef<float> entries = op.getDeviations();
    Value table = arith::ConstantOp::create(
        rewriter, loc,
        DenseElementsAttr::get(RankedTensorType::get({int64_t(entries.size())}, f32), entries));
    Value deviation = perRow(rewriter, loc, {variance}, f32,
                             [&](OpBuilder &b, Location l, ValueRange a) {
      Value z = arith::DivFOp::create(
          b, l, a[0], scalarReal(b, l, f32, op.getVarianceScale().convertToFloat()));
      Value v = roundClamped(b, l, z, varianceLo, varianceHi, varianceZp, i64);
      Value index = arith::SubIOp::create(
          b, l, v, arith::ConstantOp::create(b, l, b.getI64IntegerAttr(varianceLo)));
      return SmallVector<Value>{tensor::ExtractOp::create(
          b, l, table, ValueRange{arith::IndexCastOp::create(b, l, b.getIndexType(), index)})};
    });
    // y = d / deviation, quantized as MLAS does.
    Type outElement = op.getOutput().getType().getElementType();
    unsigned outBits = outElement.getIntOrFloatBitWidth();
    int64_t zp = op.getOutputZp();
    int64_t lo = num::minValue(outBits, !op.getOutputUnsigned());
    int64_t hi = num::maxValue(outBits, !op.getOutputUnsigned());
    Value result =
        rowGeneric(rewriter, loc, input, {d}, {deviation}, {},
                   {fullTensor(rewriter, loc, input, outElement)}, false,
                   [&](OpBuilder &b, Location l, ValueRange a) -> SmallVector<Value> {
                     Value y = arith::DivFOp::create(b, l, a[0], a[1]);
                     Value z = arith::DivFOp::create(
                         b, l, y, scalarReal(b, l, f32, op.getOutputScale().convertToFloat()));
                     return {roundClamped(b, l, z, lo, hi, zp, outElement)};
                   })[0];
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct Float32SoftmaxLowering : public OpConversionPattern<Float32SoftmaxOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(Float32SoftmaxOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    Type f32 = rewriter.getF32Type(), i32 = rewriter.getI32Type();
    bool isUnsigned = op.getInputUnsigned();
    auto read = [&](OpBuilder &b, Location l, Value q) {
      return castInt(b, l, q, i32, isUnsigned);
    };
    Value lowest = rowTensor(rewriter, loc, input, i32, rewriter.getI32IntegerAttr(INT32_MIN));
    Value rowMax = rowGeneric(rewriter, loc, input, {input}, {}, {}, {lowest}, true,
                              [&](OpBuilder &b, Location l, ValueRange a) -> SmallVector<Value> {
                                return {arith::MaxSIOp::create(b, l, read(b, l, a[0]), a[1])};
                              })[0];
    ArrayRef<float> entries = op.getExpTable();
    Value table = arith::ConstantOp::create(
        rewriter, loc,
        DenseElementsAttr::get(RankedTensorType::get({int64_t(entries.size())}, f32), entries));
    // E = exp_table[max - q]: the verifier's 8 bits keep the index inside.
    auto expAt = [&](OpBuilder &b, Location l, Value q, Value m) -> Value {
      Value d = arith::SubIOp::create(b, l, m, read(b, l, q));
      return tensor::ExtractOp::create(
          b, l, table, ValueRange{arith::IndexCastOp::create(b, l, b.getIndexType(), d)});
    };
    Value zero = rowTensor(rewriter, loc, input, f32, rewriter.getF32FloatAttr(0.0f));
    Value rowSum = rowGeneric(rewriter, loc, input, {input}, {rowMax}, {}, {zero}, true,
                              [&](OpBuilder &b, Location l, ValueRange a) -> SmallVector<Value> {
                                return {arith::AddFOp::create(b, l, a[2], expAt(b, l, a[0], a[1]))};
                              })[0];
    Type outElement = op.getOutput().getType().getElementType();
    int64_t zp = op.getOutputZp();
    int64_t lo = num::minValue(8, !op.getOutputUnsigned());
    int64_t hi = num::maxValue(8, !op.getOutputUnsigned());
    float multiplier = op.getMultiplier().convertToFloat();
    Value result = rowGeneric(
        rewriter, loc, input, {input}, {rowMax, rowSum}, {},
        {fullTensor(rewriter, loc, input, outElement)}, false,
        [&](OpBuilder &b, Location l, ValueRange a) -> SmallVector<Value> {
          // The product of two float32s is exact in float64: the quotient
          // is the one rounding.
          Type f64 = b.getF64Type();
          auto wide = [&](Value v) { return arith::ExtFOp::create(b, l, f64, v).getResult(); };
          Value product = arith::MulFOp::create(b, l, wide(expAt(b, l, a[0], a[1])),
                                                scalarReal(b, l, f64, multiplier));
          Value p = arith::DivFOp::create(b, l, product, wide(a[2]));
          return {roundClamped(b, l, p, lo, hi, zp, outElement)};
        })[0];
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void mlir::pike::lowering::populateFloat32NormalizationLoweringPatterns(
    RewritePatternSet &patterns) {
  patterns.add<Float32LayerNormLowering, Float32SoftmaxLowering, Float32StepwiseLayerNormLowering>(
      patterns.getContext());
}
