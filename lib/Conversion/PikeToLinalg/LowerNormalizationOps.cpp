//===- LowerNormalizationOps.cpp - Softmax and LayerNorm to linalg --------===//
//
// Each op is a few linalg.generic ops over rows of the last dimension:
// reductions to one value per row (max, sums), then one elementwise pass
// that reads the row's values. The integer ops spell out the arithmetic of
// lib/Numerics/Normalization.cpp in i64, so ACEv2 counts what runs.
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
#include "pike/Numerics/Normalization.h"

using namespace mlir;
using namespace mlir::pike;
using namespace mlir::pike::lowering;
namespace num = ::mlir::pike::numerics;

namespace {

Value i64(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIntOp::create(b, loc, b.getI64Type(), v);
}

/// The exp table of pike.integer_softmax read at distance `d` (i64, >= 0):
/// 0 past its end, the index clamped so the read stays inside.
Value lookupExp(OpBuilder &b, Location loc, Value table, int64_t size, Value d) {
  Value last = i64(b, loc, size - 1);
  Value index = arith::MinSIOp::create(b, loc, d, last);
  Value entry = tensor::ExtractOp::create(
      b, loc, table, ValueRange{arith::IndexCastOp::create(b, loc, b.getIndexType(), index)});
  Value wide = arith::ExtSIOp::create(b, loc, b.getI64Type(), entry);
  Value inside = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sle, d, last);
  return arith::SelectOp::create(b, loc, inside, wide, i64(b, loc, 0));
}

/// What a softmax `mask` keeps: `kept` (i1, the input's shape) and `any`
/// (one i1 per row, whether the row keeps an element). A row that keeps
/// none keeps all, read as equal values (uniform). Null without a mask.
struct Kept {
  Value kept, any;
  explicit operator bool() const { return bool(kept); }
};

Kept keptElements(OpBuilder &b, Location loc, Value mask) {
  if (!mask)
    return {};
  Type i1 = b.getI1Type();
  Value none = rowTensor(b, loc, mask, i1, b.getBoolAttr(false));
  Value any = rowGeneric(b, loc, mask, {mask}, {}, {}, {none}, true,
                         [&](OpBuilder &nb, Location l, ValueRange a) -> SmallVector<Value> {
                           return {arith::OrIOp::create(nb, l, a[0], a[1])};
                         })[0];
  Value kept = rowGeneric(b, loc, mask, {mask}, {any}, {}, {fullTensor(b, loc, mask, i1)}, false,
                          [&](OpBuilder &nb, Location l, ValueRange a) -> SmallVector<Value> {
                            Value noneKept = arith::XOrIOp::create(
                                nb, l, a[1], arith::ConstantIntOp::create(nb, l, nb.getI1Type(), 1));
                            return {arith::OrIOp::create(nb, l, a[0], noneKept)};
                          })[0];
  return {kept, any};
}

/// The full inputs of a softmax's passes: the input, and what it keeps.
SmallVector<Value> softmaxInputs(Value input, const Kept &kept) {
  SmallVector<Value> inputs = {input};
  if (kept)
    inputs.push_back(kept.kept);
  return inputs;
}

/// The row inputs of a softmax's passes: `rows`, then whether each row
/// keeps an element.
SmallVector<Value> softmaxRows(ValueRange rows, const Kept &kept) {
  SmallVector<Value> inputs(rows.begin(), rows.end());
  if (kept)
    inputs.push_back(kept.any);
  return inputs;
}

struct IntegerSoftmaxLowering : public OpConversionPattern<IntegerSoftmaxOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(IntegerSoftmaxOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    bool isUnsigned = op.getInputUnsigned();
    Type i64Type = rewriter.getI64Type();
    auto read = [&](OpBuilder &b, Location l, Value q) {
      return castInt(b, l, q, i64Type, isUnsigned);
    };
    // Entries are at most 2^30: an i32 table.
    ArrayRef<int64_t> entries = op.getExpTable();
    auto tableType = RankedTensorType::get({int64_t(entries.size())}, rewriter.getI32Type());
    SmallVector<int32_t> narrow(entries.begin(), entries.end());
    Value table = arith::ConstantOp::create(
        rewriter, loc, DenseIntElementsAttr::get(tableType, ArrayRef<int32_t>(narrow)));
    int64_t size = int64_t(entries.size());

    // With a mask, each pass reads `kept` after the input (a[1]) and, after
    // the row values, whether the row keeps any (last): a row keeping none
    // reads every value as 0, equal values, so the row comes out uniform.
    Kept kept = keptElements(rewriter, loc, adaptor.getMask());
    SmallVector<Value> full = softmaxInputs(input, kept);
    unsigned rowArg = full.size();
    auto value = [&](OpBuilder &b, Location l, ValueRange a) -> Value {
      Value v = read(b, l, a[0]);
      return kept ? arith::SelectOp::create(b, l, a.drop_back().back(), v, i64(b, l, 0)).getResult()
                  : v;
    };
    Value maxInit = rowTensor(rewriter, loc, input, i64Type,
                              rewriter.getI64IntegerAttr(std::numeric_limits<int64_t>::min()));
    Value rowMax = rowGeneric(rewriter, loc, input, full, softmaxRows({}, kept), {}, {maxInit},
                              true, [&](OpBuilder &b, Location l, ValueRange a) -> SmallVector<Value> {
                                Value acc = a.back(), v = value(b, l, a);
                                if (kept)
                                  v = arith::SelectOp::create(b, l, a[1], v, acc);
                                return {arith::MaxSIOp::create(b, l, v, acc)};
                              })[0];
    Value sumInit = rowTensor(rewriter, loc, input, i64Type, rewriter.getI64IntegerAttr(0));
    // A dropped element reads past the table's end: 0, whatever its distance.
    auto expAt = [&](OpBuilder &b, Location l, ValueRange a, Value m) {
      Value d = arith::SubIOp::create(b, l, m, value(b, l, a));
      if (kept)
        d = arith::SelectOp::create(b, l, a[1], d, i64(b, l, size));
      return lookupExp(b, l, table, size, d);
    };
    Value rowSum = rowGeneric(rewriter, loc, input, full, softmaxRows({rowMax}, kept), {},
                              {sumInit}, true,
                              [&](OpBuilder &b, Location l, ValueRange a) -> SmallVector<Value> {
                                return {arith::AddIOp::create(b, l, expAt(b, l, a, a[rowArg]),
                                                              a.back())};
                              })[0];
    auto resultType = op.getOutput().getType();
    Type outElement = resultType.getElementType();
    int64_t lo = num::minValue(outElement.getIntOrFloatBitWidth(), !op.getOutputUnsigned());
    int64_t hi = num::maxValue(outElement.getIntOrFloatBitWidth(), !op.getOutputUnsigned());
    Value init = fullTensor(rewriter, loc, input, outElement);
    Value result = rowGeneric(
        rewriter, loc, input, full, softmaxRows({rowMax, rowSum}, kept), {}, {init}, false,
        [&](OpBuilder &b, Location l, ValueRange a) -> SmallVector<Value> {
          // S >= exp_table[0] for any input; at least 1 whatever the bytes hold.
          Value e = expAt(b, l, a, a[rowArg]);
          Value sum = arith::MaxSIOp::create(b, l, a[rowArg + 1], i64(b, l, 1));
          // P = floor((2 * E * 2^30 + S) / (2 * S)): E / S rounded, 30 fraction bits.
          Value scaled = arith::ShLIOp::create(b, l, e, i64(b, l, num::kSoftmaxProbabilityBits + 1));
          Value twice = arith::ShLIOp::create(b, l, sum, i64(b, l, 1));
          Value p = arith::DivSIOp::create(b, l, arith::AddIOp::create(b, l, scaled, sum), twice);
          Value y = requantize(b, l, p, i64(b, l, op.getMultiplier()), Value(),
                               i64(b, l, op.getShift()), RoundingMode::single_round,
                               op.getOutputZp(), lo, hi, outElement);
          if (kept)
            y = arith::SelectOp::create(
                b, l, a[1], y, arith::ConstantIntOp::create(b, l, outElement, op.getOutputZp()));
          return {y};
        })[0];
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// floor(sqrt(v)) of a non-negative i64, digit by digit (32 steps, no
/// data-dependent loop): the arithmetic of numerics::integerSqrt.
Value integerSqrt(OpBuilder &b, Location loc, Value v) {
  Value rest = v, root = i64(b, loc, 0), one = i64(b, loc, 1);
  for (int step = 31; step >= 0; --step) {
    Value bit = i64(b, loc, int64_t(1) << (2 * step));
    Value candidate = arith::AddIOp::create(b, loc, root, bit);
    Value fits = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::uge, rest, candidate);
    rest = arith::SelectOp::create(b, loc, fits, arith::SubIOp::create(b, loc, rest, candidate),
                                   rest);
    Value half = arith::ShRUIOp::create(b, loc, root, one);
    root = arith::SelectOp::create(b, loc, fits, arith::AddIOp::create(b, loc, half, bit), half);
  }
  return root;
}

struct IntegerLayerNormLowering : public OpConversionPattern<IntegerLayerNormOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(IntegerLayerNormOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    bool isUnsigned = op.getInputUnsigned();
    Type i64Type = rewriter.getI64Type();
    int64_t n = op.getInput().getType().getShape().back();
    auto read = [&](OpBuilder &b, Location l, Value q) {
      return castInt(b, l, q, i64Type, isUnsigned);
    };
    // c = (n * q - sum q) << headroom.
    int64_t headroom = op.getHeadroom();
    auto centered = [&](OpBuilder &b, Location l, Value q, Value sum) -> Value {
      Value c = arith::SubIOp::create(b, l, arith::MulIOp::create(b, l, read(b, l, q), i64(b, l, n)),
                                      sum);
      return headroom ? arith::ShLIOp::create(b, l, c, i64(b, l, headroom)).getResult() : c;
    };
    Value zero = rowTensor(rewriter, loc, input, i64Type, rewriter.getI64IntegerAttr(0));
    Value rowSum = rowGeneric(rewriter, loc, input, {input}, {}, {}, {zero}, true,
                              [&](OpBuilder &b, Location l, ValueRange a) -> SmallVector<Value> {
                                return {arith::AddIOp::create(b, l, read(b, l, a[0]), a[1])};
                              })[0];
    // T = epsilon + sum c^2: the init holds epsilon.
    Value epsilon = rowTensor(rewriter, loc, input, i64Type,
                              rewriter.getI64IntegerAttr(op.getEpsilon()));
    Value total = rowGeneric(rewriter, loc, input, {input}, {rowSum}, {}, {epsilon}, true,
                             [&](OpBuilder &b, Location l, ValueRange a) -> SmallVector<Value> {
                               Value c = centered(b, l, a[0], a[1]);
                               return {arith::AddIOp::create(b, l, arith::MulIOp::create(b, l, c, c),
                                                             a[2])};
                             })[0];
    // Per row: k = (62 - bitLength(T)) / 2 and r = max(1, isqrt(T << 2k)).
    auto rowType = cast<RankedTensorType>(total.getType());
    Value kInit = tensor::EmptyOp::create(rewriter, loc, tensor::getMixedSizes(rewriter, loc, total),
                                          i64Type);
    Value rInit = tensor::EmptyOp::create(rewriter, loc, tensor::getMixedSizes(rewriter, loc, total),
                                          i64Type);
    AffineMap rowIdentity = rewriter.getMultiDimIdentityMap(rowType.getRank());
    auto rowOp = linalg::GenericOp::create(
        rewriter, loc, TypeRange{kInit.getType(), rInit.getType()}, ValueRange{total},
        ValueRange{kInit, rInit}, SmallVector<AffineMap>(3, rowIdentity),
        SmallVector<utils::IteratorType>(rowType.getRank(), utils::IteratorType::parallel),
        [&](OpBuilder &b, Location l, ValueRange a) {
          Value t = a[0];
          Value bits = arith::SubIOp::create(b, l, i64(b, l, 64), math::CountLeadingZerosOp::create(b, l, t));
          Value k = arith::ShRUIOp::create(b, l, arith::SubIOp::create(b, l, i64(b, l, 62), bits),
                                           i64(b, l, 1));
          Value shifted = arith::ShLIOp::create(b, l, t, arith::ShLIOp::create(b, l, k, i64(b, l, 1)));
          Value r = arith::MaxSIOp::create(b, l, integerSqrt(b, l, shifted), i64(b, l, 1));
          linalg::YieldOp::create(b, l, ValueRange{k, r});
        });
    Value rowK = rowOp.getResult(0), rowRoot = rowOp.getResult(1);

    auto perPosition = [&](ArrayRef<int64_t> values) {
      auto type = RankedTensorType::get({n}, i64Type);
      return arith::ConstantOp::create(rewriter, loc, DenseIntElementsAttr::get(type, values))
          .getResult();
    };
    Value gamma = perPosition(op.getGamma()), beta = perPosition(op.getBeta());
    auto resultType = op.getOutput().getType();
    Type outElement = resultType.getElementType();
    unsigned outBits = outElement.getIntOrFloatBitWidth();
    int64_t lo = num::minValue(outBits, !op.getOutputUnsigned());
    int64_t hi = num::maxValue(outBits, !op.getOutputUnsigned());
    int64_t shift = op.getShift();
    Value init = fullTensor(rewriter, loc, input, outElement);
    Value result = rowGeneric(
        rewriter, loc, input, {input}, {rowSum, rowK, rowRoot}, {gamma, beta}, {init}, false,
        [&](OpBuilder &b, Location l, ValueRange a) -> SmallVector<Value> {
          Value c = centered(b, l, a[0], a[1]);
          Value k = a[2], r = a[3], g = a[4], bias = a[5];
          Value num = arith::MulIOp::create(b, l, arith::ShLIOp::create(b, l, c, k), g);
          // round(num / r), ties away from zero, on the magnitude.
          Value negative = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, num, i64(b, l, 0));
          Value magnitude = math::AbsIOp::create(b, l, num);
          Value twice = arith::ShLIOp::create(b, l, magnitude, i64(b, l, 1));
          Value quotient = arith::DivSIOp::create(
              b, l, arith::AddIOp::create(b, l, twice, r), arith::ShLIOp::create(b, l, r, i64(b, l, 1)));
          Value t = arith::SelectOp::create(b, l, negative,
                                            arith::SubIOp::create(b, l, i64(b, l, 0), quotient), quotient);
          Value sum = arith::AddIOp::create(b, l, t, bias);
          Value rounded = arith::ShRSIOp::create(
              b, l, arith::AddIOp::create(b, l, sum, i64(b, l, int64_t(1) << (shift - 1))),
              i64(b, l, shift));
          Value y = clampInt(b, l, arith::AddIOp::create(b, l, rounded, i64(b, l, op.getOutputZp())),
                             lo, hi);
          return {castInt(b, l, y, outElement, false)};
        })[0];
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct IntegerStepwiseLayerNormLowering
    : public OpConversionPattern<IntegerStepwiseLayerNormOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(IntegerStepwiseLayerNormOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    bool isUnsigned = op.getInputUnsigned();
    Type i64Type = rewriter.getI64Type(), i128Type = rewriter.getIntegerType(128);
    int64_t n = op.getInput().getType().getShape().back();
    auto centered = [&](OpBuilder &b, Location l, Value q, Value sum) -> Value {
      Value wide = castInt(b, l, q, i64Type, isUnsigned);
      return arith::SubIOp::create(b, l, arith::MulIOp::create(b, l, wide, i64(b, l, n)), sum);
    };
    Value zero = rowTensor(rewriter, loc, input, i64Type, rewriter.getI64IntegerAttr(0));
    Value rowSum = rowGeneric(rewriter, loc, input, {input}, {}, {}, {zero}, true,
                              [&](OpBuilder &b, Location l, ValueRange a) -> SmallVector<Value> {
                                return {arith::AddIOp::create(
                                    b, l, castInt(b, l, a[0], i64Type, isUnsigned), a[1])};
                              })[0];
    Value total = rowGeneric(rewriter, loc, input, {input}, {rowSum}, {}, {zero}, true,
                             [&](OpBuilder &b, Location l, ValueRange a) -> SmallVector<Value> {
                               Value c = centered(b, l, a[0], a[1]);
                               Value square = arith::MulIOp::create(b, l, c, c);
                               return {arith::AddIOp::create(b, l, square, a[2])};
                             })[0];
    // Per row: the variance's integer in 128 bits, then its entry (the
    // multiplier, shift and bias).
    auto table = [&](ArrayRef<int64_t> entries) -> Value {
      auto type = RankedTensorType::get({int64_t(entries.size())}, i64Type);
      return arith::ConstantOp::create(rewriter, loc, DenseElementsAttr::get(type, entries));
    };
    Value tables[] = {table(op.getMultipliers()), table(op.getShifts()), table(op.getBiases())};
    int64_t varianceLo = int64_t(op.getVarianceMin()), varianceHi = int64_t(op.getVarianceMax());
    int64_t varianceShift = int64_t(op.getVarianceShift());
    auto rowType = cast<RankedTensorType>(total.getType());
    auto rowInit = [&]() -> Value {
      return tensor::EmptyOp::create(rewriter, loc, tensor::getMixedSizes(rewriter, loc, total),
                                     i64Type);
    };
    SmallVector<Value> inits = {rowInit(), rowInit(), rowInit()};
    AffineMap rowIdentity = rewriter.getMultiDimIdentityMap(rowType.getRank());
    auto rowEntry =
        linalg::GenericOp::create(
            rewriter, loc, ValueRange(inits).getTypes(), ValueRange{total}, inits,
            SmallVector<AffineMap>(4, rowIdentity),
            SmallVector<utils::IteratorType>(rowType.getRank(), utils::IteratorType::parallel),
            [&](OpBuilder &b, Location l, ValueRange a) {
              // Sign-extended: an i64 attribute of a 128-bit type is not.
              auto wide = [&](int64_t v) {
                return arith::ConstantOp::create(
                           b, l, b.getIntegerAttr(i128Type, APInt(128, v, /*isSigned=*/true)))
                    .getResult();
              };
              Value t = arith::ExtSIOp::create(b, l, i128Type, a[0]);
              Value product = arith::MulIOp::create(
                  b, l, t, wide(int64_t(op.getVarianceMultiplier())));
              Value half = arith::ConstantOp::create(
                  b, l, b.getIntegerAttr(i128Type, APInt(128, 1).shl(varianceShift - 1)));
              Value rounded = arith::AddIOp::create(b, l, product, half);
              Value shifted = arith::ShRSIOp::create(b, l, rounded, wide(varianceShift));
              // Clamped in 128 bits: the shifted product may pass 2^63.
              Value v = clampInt(
                  b, l, arith::AddIOp::create(b, l, shifted, wide(int64_t(op.getVarianceZp()))),
                  varianceLo, varianceHi);
              Value index = arith::IndexCastOp::create(
                  b, l, b.getIndexType(),
                  arith::SubIOp::create(b, l, arith::TruncIOp::create(b, l, i64Type, v),
                                        i64(b, l, varianceLo)));
              SmallVector<Value> entry;
              for (Value t : tables)
                entry.push_back(tensor::ExtractOp::create(b, l, t, ValueRange{index}));
              linalg::YieldOp::create(b, l, entry);
            });

    auto resultType = op.getOutput().getType();
    Type outElement = resultType.getElementType();
    unsigned outBits = outElement.getIntOrFloatBitWidth();
    int64_t lo = num::minValue(outBits, !op.getOutputUnsigned());
    int64_t hi = num::maxValue(outBits, !op.getOutputUnsigned());
    Value init = fullTensor(rewriter, loc, input, outElement);
    Value result = rowGeneric(
        rewriter, loc, input, {input},
        {rowSum, rowEntry.getResult(0), rowEntry.getResult(1), rowEntry.getResult(2)}, {}, {init},
        false, [&](OpBuilder &b, Location l, ValueRange a) -> SmallVector<Value> {
          Value c = centered(b, l, a[0], a[1]);
          Value m = a[2], shift = a[3];
          Value sum = arith::AddIOp::create(b, l, arith::MulIOp::create(b, l, c, m), a[4]);
          Value half = arith::ShLIOp::create(b, l, i64(b, l, 1),
                                             arith::SubIOp::create(b, l, shift, i64(b, l, 1)));
          Value rounded =
              arith::ShRSIOp::create(b, l, arith::AddIOp::create(b, l, sum, half), shift);
          Value offset = arith::AddIOp::create(b, l, rounded, i64(b, l, op.getOutputZp()));
          Value y = clampInt(b, l, offset, lo, hi);
          // M <= 0: a division by zero (M = 0) or a NaN (M = -1).
          Value positive = arith::CmpIOp::create(b, l, arith::CmpIPredicate::sgt, m, i64(b, l, 0));
          Value up = arith::AndIOp::create(
              b, l, arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, m, i64(b, l, 0)),
              arith::CmpIOp::create(b, l, arith::CmpIPredicate::sgt, c, i64(b, l, 0)));
          Value edge = arith::SelectOp::create(b, l, up, i64(b, l, hi), i64(b, l, lo));
          Value out = arith::SelectOp::create(b, l, positive, y, edge);
          return {castInt(b, l, out, outElement, false)};
        })[0];
    rewriter.replaceOp(op, result);
    return success();
  }
};

Value real(OpBuilder &b, Location loc, Type type, double v) {
  return arith::ConstantOp::create(b, loc, b.getFloatAttr(type, v));
}

struct SoftmaxLowering : public OpConversionPattern<SoftmaxOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(SoftmaxOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    Type element = op.getOutput().getType().getElementType();
    auto floatType = cast<FloatType>(element);
    Kept kept = keptElements(rewriter, loc, adaptor.getMask());
    SmallVector<Value> full = softmaxInputs(input, kept);
    unsigned rowArg = full.size();
    Value zero = real(rewriter, loc, element, 0.0);
    // A row keeping none reads every value as 0: uniform.
    auto value = [&](OpBuilder &b, Location l, ValueRange a) -> Value {
      return kept ? arith::SelectOp::create(b, l, a.drop_back().back(), a[0], zero).getResult()
                  : a[0];
    };
    Value maxInit = rowTensor(rewriter, loc, input, element,
                              rewriter.getFloatAttr(element, -INFINITY));
    Value rowMax = rowGeneric(rewriter, loc, input, full, softmaxRows({}, kept), {}, {maxInit},
                              true, [&](OpBuilder &b, Location l, ValueRange a) -> SmallVector<Value> {
                                Value acc = a.back(), v = value(b, l, a);
                                if (kept)
                                  v = arith::SelectOp::create(b, l, a[1], v, acc);
                                return {arith::MaximumFOp::create(b, l, v, acc)};
                              })[0];
    auto expAt = [&](OpBuilder &b, Location l, ValueRange a, Value m) -> Value {
      Value e = math::ExpOp::create(b, l, arith::SubFOp::create(b, l, value(b, l, a), m));
      return kept ? arith::SelectOp::create(b, l, a[1], e, zero).getResult() : e;
    };
    Value sumInit = rowTensor(rewriter, loc, input, element, rewriter.getFloatAttr(floatType, 0.0));
    Value rowSum = rowGeneric(rewriter, loc, input, full, softmaxRows({rowMax}, kept), {},
                              {sumInit}, true,
                              [&](OpBuilder &b, Location l, ValueRange a) -> SmallVector<Value> {
                                return {arith::AddFOp::create(b, l, expAt(b, l, a, a[rowArg]),
                                                              a.back())};
                              })[0];
    Value init = fullTensor(rewriter, loc, input, element);
    Value result = rowGeneric(rewriter, loc, input, full, softmaxRows({rowMax, rowSum}, kept), {},
                              {init}, false,
                              [&](OpBuilder &b, Location l, ValueRange a) -> SmallVector<Value> {
                                return {arith::DivFOp::create(b, l, expAt(b, l, a, a[rowArg]),
                                                              a[rowArg + 1])};
                              })[0];
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// A real quantized by a per-tensor `quantizer` (half to even, saturated)
/// and dequantized: the value a QDQ pair between two steps leaves.
Value requantizedReal(OpBuilder &b, Location loc, Value value, QuantizerAttr quantizer) {
  Type type = value.getType();
  double scale = quantizer.getScale(0), zp = double(quantizer.getZeroPoint(0));
  double lo = double(num::minValue(quantizer.getBits(), quantizer.getIsSigned()));
  double hi = double(num::maxValue(quantizer.getBits(), quantizer.getIsSigned()));
  Value scaled = arith::DivFOp::create(b, loc, value, real(b, loc, type, scale));
  Value q = arith::AddFOp::create(b, loc, math::RoundEvenOp::create(b, loc, scaled),
                                  real(b, loc, type, zp));
  Value clamped = arith::MinimumFOp::create(
      b, loc, arith::MaximumFOp::create(b, loc, q, real(b, loc, type, lo)), real(b, loc, type, hi));
  return arith::MulFOp::create(b, loc,
                               arith::SubFOp::create(b, loc, clamped, real(b, loc, type, zp)),
                               real(b, loc, type, scale));
}

struct LayerNormLowering : public OpConversionPattern<LayerNormOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(LayerNormOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    Type element = op.getOutput().getType().getElementType();
    int64_t n = op.getInput().getType().getShape().back();
    Value zero = rowTensor(rewriter, loc, input, element, rewriter.getFloatAttr(element, 0.0));
    Value rowSum = rowGeneric(rewriter, loc, input, {input}, {}, {}, {zero}, true,
                              [&](OpBuilder &b, Location l, ValueRange a) -> SmallVector<Value> {
                                return {arith::AddFOp::create(b, l, a[0], a[1])};
                              })[0];
    auto deviation = [&](OpBuilder &b, Location l, Value x, Value sum) {
      Value mean = arith::DivFOp::create(b, l, sum, real(b, l, element, double(n)));
      return arith::SubFOp::create(b, l, x, mean).getResult();
    };
    Value squares = rowGeneric(rewriter, loc, input, {input}, {rowSum}, {}, {zero}, true,
                               [&](OpBuilder &b, Location l, ValueRange a) -> SmallVector<Value> {
                                 Value d = deviation(b, l, a[0], a[1]);
                                 return {arith::AddFOp::create(b, l, arith::MulFOp::create(b, l, d, d),
                                                               a[2])};
                               })[0];
    auto perPosition = [&](ArrayRef<double> values) {
      SmallVector<double> full(values.begin(), values.end());
      if (full.size() == 1)
        full.assign(n, values[0]);
      auto type = RankedTensorType::get({n}, element);
      SmallVector<Attribute> data;
      for (double v : full)
        data.push_back(rewriter.getFloatAttr(element, v));
      return arith::ConstantOp::create(rewriter, loc, DenseElementsAttr::get(type, data))
          .getResult();
    };
    Value scale = perPosition(op.getScale()), bias = perPosition(op.getBias());
    double epsilon = op.getEpsilon().convertToDouble();
    Value init = fullTensor(rewriter, loc, input, element);
    Value result = rowGeneric(
        rewriter, loc, input, {input}, {rowSum, squares}, {scale, bias}, {init}, false,
        [&](OpBuilder &b, Location l, ValueRange a) -> SmallVector<Value> {
          Value variance = arith::DivFOp::create(b, l, a[2], real(b, l, element, double(n)));
          if (QuantizerAttr q = op.getVarianceQuantizerAttr())
            variance = requantizedReal(b, l, variance, q);
          Value sum = arith::AddFOp::create(b, l, variance, real(b, l, element, epsilon));
          if (QuantizerAttr q = op.getDeviationQuantizerAttr())
            sum = requantizedReal(b, l, sum, q);
          Value root = math::SqrtOp::create(b, l, sum);
          Value z = arith::DivFOp::create(b, l, deviation(b, l, a[0], a[1]), root);
          return {arith::AddFOp::create(b, l, arith::MulFOp::create(b, l, z, a[3]), a[4])};
        })[0];
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void mlir::pike::lowering::populateNormalizationLoweringPatterns(RewritePatternSet &patterns) {
  patterns.add<IntegerSoftmaxLowering, IntegerLayerNormLowering,
               IntegerStepwiseLayerNormLowering, SoftmaxLowering, LayerNormLowering>(
      patterns.getContext());
}
