//===- CostModel.cpp - ACE, ACEv2 and energy from operation counts --------===//

#include "pike/Analysis/ACEv2.h"

using namespace mlir;
using namespace mlir::pike;

CostSummary &CostSummary::operator+=(const CostSummary &other) {
  macs += other.macs;
  muls += other.muls;
  adds += other.adds;
  others += other.others;
  lookups += other.lookups;
  ace += other.ace;
  acev2 += other.acev2;
  energyPJ += other.energyPJ;
  return *this;
}

// Horowitz, ISSCC 2014, 45 nm: int8 add 0.03 pJ, int32 add 0.1, int8 mul 0.2,
// int32 mul 3.1, f16 add 0.4, f16 mul 1.1, f32 add 0.9, f32 mul 3.7.
// Integer adders: linear in the width through the 8- and 32-bit points;
// integer multipliers: linear in the product of the widths through the same
// points; reals: the f16 or f32 figure, scaled like the integers otherwise.
double mlir::pike::addEnergy(unsigned width, bool isFloat) {
  if (isFloat) {
    if (width <= 16)
      return 0.4 * width / 16.0;
    return 0.9 * width / 32.0;
  }
  if (width <= 8)
    return 0.03 * width / 8.0;
  return 0.03 + (width - 8.0) * (0.1 - 0.03) / 24.0;
}

double mlir::pike::multiplyEnergy(unsigned widthA, unsigned widthB, bool isFloat) {
  double product = double(widthA) * double(widthB);
  if (isFloat) {
    if (product <= 256.0)
      return 1.1 * product / 256.0;
    return 3.7 * product / 1024.0;
  }
  if (product <= 64.0)
    return 0.2 * product / 64.0;
  return 0.2 + (product - 64.0) * (3.1 - 0.2) / (1024.0 - 64.0);
}

CostSummary mlir::pike::summarize(const ArithmeticCost &cost,
                                  const CostOptions &options) {
  CostSummary summary;
  for (const ArithmeticTerm &term : cost.terms()) {
    auto width = [&](unsigned bits) {
      return term.isFloat && options.floatBits ? options.floatBits : bits;
    };
    double a = width(term.widthA), b = width(term.widthB);
    double count = double(term.count);
    switch (term.kind) {
    case ArithmeticKind::Mac:
      summary.macs += term.count;
      summary.ace += count * a * b;
      summary.acev2 += count * a * b;
      // The accumulation: 32-bit for integers, the operand width for reals.
      summary.energyPJ +=
          count * (multiplyEnergy(unsigned(a), unsigned(b), term.isFloat) +
                   addEnergy(term.isFloat ? unsigned(a) : 32, term.isFloat));
      break;
    case ArithmeticKind::Mul:
      summary.muls += term.count;
      summary.acev2 += count * a * b;
      summary.energyPJ += count * multiplyEnergy(unsigned(a), unsigned(b), term.isFloat);
      break;
    case ArithmeticKind::Add:
      summary.adds += term.count;
      summary.acev2 += count * a;
      summary.energyPJ += count * addEnergy(unsigned(a), term.isFloat);
      break;
    case ArithmeticKind::Lookup:
      // One per element at the value's width, like an add; its energy is
      // an add's of that width (a small register-file read).
      summary.lookups += term.count;
      summary.acev2 += count * a;
      summary.energyPJ += count * addEnergy(unsigned(a), term.isFloat);
      break;
    case ArithmeticKind::Other:
      summary.others += term.count;
      if (options.countOtherOps) {
        summary.acev2 += count * a;
        summary.energyPJ += count * addEnergy(unsigned(a), term.isFloat);
      }
      break;
    }
  }
  return summary;
}
