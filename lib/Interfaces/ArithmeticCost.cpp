//===- ArithmeticCost.cpp - Operation counts with operand widths ----------===//

#include "pike/Interfaces/ArithmeticCostInterface.h"
#include "pike/Numerics/FixedPoint.h"

#include <algorithm>

using namespace mlir;
using namespace mlir::pike;

#include "pike/Interfaces/ArithmeticCostInterface.cpp.inc"

void ArithmeticCost::add(ArithmeticKind kind, unsigned widthA, unsigned widthB,
                         bool isFloat, int64_t count) {
  if (count == 0)
    return;
  for (ArithmeticTerm &term : termList)
    if (term.kind == kind && term.widthA == widthA && term.widthB == widthB &&
        term.isFloat == isFloat) {
      term.count += count;
      return;
    }
  termList.push_back({kind, widthA, widthB, isFloat, count});
}

void ArithmeticCost::append(const ArithmeticCost &other, int64_t times) {
  for (const ArithmeticTerm &term : other.terms())
    add(term.kind, term.widthA, term.widthB, term.isFloat, term.count * times);
}

ScalarCounter::Width ScalarCounter::constant(int64_t value) {
  return integer(::mlir::pike::numerics::signedBitsOf(value));
}

ScalarCounter::Width ScalarCounter::mul(Width a, Width b, unsigned limit) {
  bool isFloat = a.isFloat || b.isFloat;
  counts.add(ArithmeticKind::Mul, std::max(a.bits, b.bits),
             std::min(a.bits, b.bits), isFloat, 1);
  return {isFloat ? limit : std::min(a.bits + b.bits, limit), isFloat};
}

ScalarCounter::Width ScalarCounter::add(Width a, Width b, unsigned limit) {
  bool isFloat = a.isFloat || b.isFloat;
  unsigned wider = std::max(a.bits, b.bits);
  counts.add(ArithmeticKind::Add, wider, 0, isFloat, 1);
  return {isFloat ? limit : std::min(wider + 1, limit), isFloat};
}

ScalarCounter::Width ScalarCounter::other(Width a, Width b) {
  Width wider{std::max(a.bits, b.bits), a.isFloat || b.isFloat};
  counts.add(ArithmeticKind::Other, wider.bits, 0, wider.isFloat, 1);
  return wider;
}

ScalarCounter::Width ScalarCounter::lookup(Width value) {
  counts.add(ArithmeticKind::Lookup, value.bits, 0, value.isFloat, 1);
  return value;
}

void ScalarCounter::mac(Width a, Width b) {
  counts.add(ArithmeticKind::Mac, std::max(a.bits, b.bits), std::min(a.bits, b.bits),
             a.isFloat || b.isFloat, 1);
}

ArithmeticCost ScalarCounter::scaled(int64_t elements) const {
  ArithmeticCost result;
  result.append(counts, elements);
  return result;
}
