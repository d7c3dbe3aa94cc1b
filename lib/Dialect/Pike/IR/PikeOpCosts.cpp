//===- PikeOpCosts.cpp - What each pike op computes, for ACEv2 ------------===//
//
// Each count follows, operation by operation, the arithmetic that
// convert-pike-to-linalg emits for the op (docs/ACEv2.md), so a model costs
// the same before and after lowering; test/Analysis checks that.
//
//===----------------------------------------------------------------------===//

#include "pike/Dialect/Pike/IR/PikeOps.h"

#include "mlir/IR/TypeUtilities.h"
#include "pike/Numerics/FixedPoint.h"

using namespace mlir;
using namespace mlir::pike;
using Width = ScalarCounter::Width;
namespace num = ::pike::numerics;

namespace {

Width elementWidth(Value value) {
  Type type = getElementTypeOrSelf(value.getType());
  if (isa<FloatType>(type))
    return ScalarCounter::real(type.getIntOrFloatBitWidth());
  return ScalarCounter::integer(type.getIntOrFloatBitWidth());
}

/// The narrowest width holding every value (as the lowering types them).
Width widest(ArrayRef<int64_t> values) {
  Width result = ScalarCounter::constant(0);
  for (int64_t v : values)
    result.bits = std::max(result.bits, ScalarCounter::constant(v).bits);
  return result;
}

FailureOr<int64_t> numElements(Value value) {
  auto type = cast<ShapedType>(value.getType());
  if (!type.hasStaticShape())
    return failure();
  return type.getNumElements();
}

/// Subtracting a zero point while widening an operand (if it is not 0).
void countCentering(ArithmeticCost &cost, Value operand, int64_t zeroPoint,
                    unsigned limit) {
  if (zeroPoint == 0)
    return;
  ScalarCounter counter;
  counter.add(elementWidth(operand), ScalarCounter::constant(zeroPoint), limit);
  cost.append(counter.cost(), *numElements(operand));
}

/// The rounding right shift, output zero point and clamp of a
/// requantization, after `value` (i64).
void countRequantizeTail(ScalarCounter &counter, Width value,
                         ArrayRef<int64_t> shifts, RoundingMode mode, int64_t zp,
                         int64_t lo, int64_t hi) {
  bool doubleRound = mode == RoundingMode::double_round;
  SmallVector<int64_t> halves, ups, downs;
  for (int64_t s : shifts) {
    halves.push_back((int64_t(1) << (s - 1)) - (mode == RoundingMode::half_even ? 1 : 0));
    ups.push_back(s > 31 ? int64_t(1) << 30 : 0);
    downs.push_back(s > 31 ? -(int64_t(1) << 30) : 0);
  }
  Width rounded = counter.add(value, widest(halves), 64);
  if (mode == RoundingMode::half_even) {
    Width quotient = counter.other(value, widest(shifts));
    Width odd = counter.other(quotient, ScalarCounter::constant(1));
    rounded = counter.add(rounded, odd, 64);
  }
  if (doubleRound) {
    counter.other(value, ScalarCounter::constant(0));
    Width adjust = counter.other(widest(ups), widest(downs));
    rounded = counter.add(rounded, adjust, 64);
  }
  Width shifted = counter.other(rounded, widest(shifts));
  if (zp != 0)
    shifted = counter.add(shifted, ScalarCounter::constant(zp), 64);
  Width low = counter.other(shifted, ScalarCounter::constant(lo));
  counter.other(low, ScalarCounter::constant(hi));
}

FailureOr<ArithmeticCost> macCost(Operation *op, Value input, Value weight,
                                  Value bias, Value output, int64_t inputZp,
                                  int64_t weightZp, int64_t termsPerOutput) {
  FailureOr<int64_t> outputs = numElements(output);
  if (failed(outputs) || failed(numElements(input)) || failed(numElements(weight)))
    return failure();
  unsigned accBits = elementWidth(output).bits;
  ArithmeticCost cost;
  countCentering(cost, input, inputZp, accBits);
  countCentering(cost, weight, weightZp, accBits);
  ScalarCounter mac;
  mac.mac(elementWidth(input), elementWidth(weight));
  cost.append(mac.cost(), *outputs * termsPerOutput);
  if (bias) {
    ScalarCounter add;
    add.add(elementWidth(output), elementWidth(bias), accBits);
    cost.append(add.cost(), *outputs);
  }
  return cost;
}

int64_t typeMin(Type type, bool isUnsigned) {
  return num::minValue(type.getIntOrFloatBitWidth(), !isUnsigned);
}
int64_t typeMax(Type type, bool isUnsigned) {
  return num::maxValue(type.getIntOrFloatBitWidth(), !isUnsigned);
}

} // namespace

FailureOr<ArithmeticCost> Conv2DOp::getArithmeticCost() {
  RankedTensorType weightType = getWeight().getType();
  int64_t terms = weightType.getDimSize(1) * weightType.getDimSize(2) *
                  weightType.getDimSize(3);
  return macCost(*this, getInput(), getWeight(), getBias(), getOutput(),
                 getInputZp(), getWeightZp(), terms);
}

FailureOr<ArithmeticCost> FullyConnectedOp::getArithmeticCost() {
  return macCost(*this, getInput(), getWeight(), getBias(), getOutput(),
                 getInputZp(), getWeightZp(), getWeight().getType().getDimSize(1));
}

FailureOr<ArithmeticCost> QuantizeOp::getArithmeticCost() {
  FailureOr<int64_t> elements = numElements(getOutput());
  if (failed(elements))
    return failure();
  // x / scale, round, + zero point, clamp to the integer range, NaN test
  // and select of the zero point.
  Width real = elementWidth(getInput());
  unsigned bits = real.bits;
  ScalarCounter counter;
  Width scaled = counter.mul(real, real, bits);
  Width rounded = counter.other(scaled, scaled);
  Width shifted = counter.add(rounded, real, bits);
  Width low = counter.other(shifted, real);
  Width clamped = counter.other(low, real);
  counter.other(real, real);
  counter.other(real, clamped);
  return counter.scaled(*elements);
}

FailureOr<ArithmeticCost> DequantizeOp::getArithmeticCost() {
  FailureOr<int64_t> elements = numElements(getOutput());
  if (failed(elements))
    return failure();
  QuantizerAttr q = getQuantizer();
  ScalarCounter counter;
  if (q.getZeroPoints() &&
      llvm::any_of(q.getZeroPoints().asArrayRef(), [](int64_t zp) { return zp != 0; }))
    counter.add(elementWidth(getInput()), widest(q.getZeroPoints().asArrayRef()), 64);
  Width real = elementWidth(getOutput());
  counter.mul(real, real, real.bits);
  return counter.scaled(*elements);
}

FailureOr<ArithmeticCost> BatchNormOp::getArithmeticCost() {
  FailureOr<int64_t> elements = numElements(getOutput());
  if (failed(elements))
    return failure();
  // (x - mean) / sqrt(variance + epsilon) * gamma + beta, as written.
  Width real = elementWidth(getOutput());
  unsigned bits = real.bits;
  ScalarCounter counter;
  Width centered = counter.add(real, real, bits);
  Width variance = counter.add(real, real, bits);
  Width deviation = counter.other(variance, variance);
  Width normalized = counter.mul(centered, deviation, bits);
  Width scaled = counter.mul(normalized, real, bits);
  counter.add(scaled, real, bits);
  return counter.scaled(*elements);
}

FailureOr<ArithmeticCost> ScaleOp::getArithmeticCost() {
  FailureOr<int64_t> elements = numElements(getOutput());
  if (failed(elements))
    return failure();
  Width real = elementWidth(getOutput());
  ScalarCounter counter;
  Width scaled = counter.mul(real, real, real.bits);
  if (getBias())
    counter.add(scaled, real, real.bits);
  return counter.scaled(*elements);
}

FailureOr<ArithmeticCost> QuantNormOp::getArithmeticCost() {
  FailureOr<int64_t> elements = numElements(getOutput());
  if (failed(elements))
    return failure();
  FixedPointAttr fp = getMultiplier();
  ScalarCounter counter;
  Width value = counter.mul(elementWidth(getInput()),
                            widest(fp.getMultipliers().asArrayRef()), 64);
  if (auto bias = getBias())
    value = counter.add(value, widest(*bias), 64);
  countRequantizeTail(counter, value, fp.getShifts().asArrayRef(),
                      fp.getRounding(),
                      getOutputZp(), getClampMin(), getClampMax());
  return counter.scaled(*elements);
}

FailureOr<ArithmeticCost> RequantizeOp::getArithmeticCost() {
  FailureOr<int64_t> elements = numElements(getOutput());
  if (failed(elements))
    return failure();
  FixedPointAttr fp = getMultiplier();
  Type outType = getOutput().getType().getElementType();
  ScalarCounter counter;
  Width x = elementWidth(getInput());
  if (getInputZp() != 0)
    x = counter.add(x, ScalarCounter::constant(getInputZp()), 64);
  Width value = counter.mul(x, widest(fp.getMultipliers().asArrayRef()), 64);
  countRequantizeTail(counter, value, fp.getShifts().asArrayRef(),
                      fp.getRounding(),
                      getOutputZp(), typeMin(outType, getOutputUnsigned()),
                      typeMax(outType, getOutputUnsigned()));
  return counter.scaled(*elements);
}

FailureOr<ArithmeticCost> ClampOp::getArithmeticCost() {
  FailureOr<int64_t> elements = numElements(getOutput());
  if (failed(elements))
    return failure();
  Width x = elementWidth(getInput());
  ScalarCounter counter;
  if (x.isFloat) {
    Width low = counter.other(x, x);
    counter.other(low, x);
  } else {
    Width low = counter.other(x, ScalarCounter::constant(cast<IntegerAttr>(getMin()).getInt()));
    counter.other(low, ScalarCounter::constant(cast<IntegerAttr>(getMax()).getInt()));
  }
  return counter.scaled(*elements);
}

FailureOr<ArithmeticCost> AddOp::getArithmeticCost() {
  FailureOr<int64_t> elements = numElements(getOutput());
  if (failed(elements))
    return failure();
  ScalarCounter counter;
  Width lhs = elementWidth(getLhs()), rhs = elementWidth(getRhs());
  if (lhs.isFloat) {
    counter.add(lhs, rhs, lhs.bits);
    return counter.scaled(*elements);
  }
  FixedPointAttr lhsScale = *getLhsScale(), rhsScale = *getRhsScale();
  auto term = [&](Width x, int64_t zp, int64_t multiplier) {
    if (zp != 0)
      x = counter.add(x, ScalarCounter::constant(zp), 64);
    return counter.mul(x, ScalarCounter::constant(multiplier), 64);
  };
  Width left = term(lhs, getLhsZp(), lhsScale.getMultiplier(0));
  Width right = term(rhs, getRhsZp(), rhsScale.getMultiplier(0));
  Width sum = counter.add(left, right, 64);
  Type outType = getOutput().getType().getElementType();
  countRequantizeTail(counter, sum, lhsScale.getShifts().asArrayRef(),
                      lhsScale.getRounding(),
                      getOutputZp(), typeMin(outType, getOutputUnsigned()),
                      typeMax(outType, getOutputUnsigned()));
  return counter.scaled(*elements);
}

FailureOr<ArithmeticCost> AvgPool2DOp::getArithmeticCost() {
  FailureOr<int64_t> outputs = numElements(getOutput());
  FailureOr<int64_t> inputs = numElements(getInput());
  if (failed(outputs) || failed(inputs))
    return failure();
  int64_t window = getKernel()[0] * getKernel()[1];
  Width x = elementWidth(getInput());
  ArithmeticCost cost;
  if (x.isFloat) {
    ScalarCounter sum, divide;
    sum.add(x, x, x.bits);
    divide.mul(x, x, x.bits);
    cost.append(sum.cost(), *outputs * window);
    cost.append(divide.cost(), *outputs);
    return cost;
  }
  // The exact sum (i32 for inputs up to 16 bits), then the rounded division.
  unsigned sumBits = x.bits <= 16 ? 32 : 64;
  countCentering(cost, getInput(), getInputZp(), sumBits);
  ScalarCounter sum;
  sum.add(ScalarCounter::integer(sumBits), x, sumBits);
  cost.append(sum.cost(), *outputs * window);
  ScalarCounter divide;
  Width total = ScalarCounter::integer(sumBits);
  Width twice = divide.mul(total, ScalarCounter::constant(2), 64);
  Width numerator = divide.add(twice, ScalarCounter::constant(window), 64);
  Width mean = divide.mul(numerator, ScalarCounter::constant(2 * window), 64);
  if (getOutputZp() != 0)
    mean = divide.add(mean, ScalarCounter::constant(getOutputZp()), 64);
  Type type = getOutput().getType().getElementType();
  Width low = divide.other(mean, ScalarCounter::constant(typeMin(type, getInputUnsigned())));
  divide.other(low, ScalarCounter::constant(typeMax(type, getInputUnsigned())));
  cost.append(divide.cost(), *outputs);
  return cost;
}

FailureOr<ArithmeticCost> MaxPool2DOp::getArithmeticCost() {
  FailureOr<int64_t> outputs = numElements(getOutput());
  if (failed(outputs))
    return failure();
  Width x = elementWidth(getInput());
  ScalarCounter counter;
  counter.other(x, x);
  return counter.scaled(*outputs * getKernel()[0] * getKernel()[1]);
}
