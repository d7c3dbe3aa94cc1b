//===- IntRange.cpp - Exact integer bounds that report overflow -----------===//

#include "pike/Numerics/IntRange.h"

#include <algorithm>
#include <initializer_list>

namespace mlir::pike::numerics {

using Wide = IntRange::Wide;

IntRange::IntRange(Wide lo, Wide hi) : low(lo), high(hi) {}

IntRange IntRange::ofType(unsigned bits, bool isSigned) {
  bits = std::clamp(bits, 1u, kMaxIntegerBits);
  if (isSigned)
    return IntRange(-(Wide(1) << (bits - 1)), (Wide(1) << (bits - 1)) - 1);
  return IntRange(0, (Wide(1) << bits) - 1);
}

IntRange IntRange::overflowed() {
  IntRange range;
  range.overflow = true;
  return range;
}

IntRange IntRange::operator+(const IntRange &other) const {
  Wide lo, hi;
  if (overflow || other.overflow || __builtin_add_overflow(low, other.low, &lo) ||
      __builtin_add_overflow(high, other.high, &hi))
    return overflowed();
  return IntRange(lo, hi);
}

IntRange IntRange::operator-(const IntRange &other) const {
  Wide lo, hi;
  if (overflow || other.overflow || __builtin_sub_overflow(low, other.high, &lo) ||
      __builtin_sub_overflow(high, other.low, &hi))
    return overflowed();
  return IntRange(lo, hi);
}

IntRange IntRange::operator*(const IntRange &other) const {
  if (overflow || other.overflow)
    return overflowed();
  Wide lo = 0, hi = 0;
  bool first = true;
  for (Wide a : {low, high})
    for (Wide b : {other.low, other.high}) {
      Wide product;
      if (__builtin_mul_overflow(a, b, &product))
        return overflowed();
      lo = first ? product : std::min(lo, product);
      hi = first ? product : std::max(hi, product);
      first = false;
    }
  return IntRange(lo, hi);
}

IntRange IntRange::sumOf(int64_t count) const {
  if (count <= 0)
    return IntRange();
  return *this * IntRange::point(count);
}

IntRange IntRange::hull(const IntRange &other) const {
  if (overflow || other.overflow)
    return overflowed();
  return IntRange(std::min(low, other.low), std::max(high, other.high));
}

bool IntRange::fits(unsigned bits, bool isSigned) const {
  if (overflow)
    return false;
  IntRange type = ofType(bits, isSigned);
  return low >= type.low && high <= type.high;
}

unsigned IntRange::signedBits() const {
  if (overflow)
    return 129;
  unsigned bits = 1;
  while (bits < 128 && !(low >= -(Wide(1) << (bits - 1)) &&
                         high <= (Wide(1) << (bits - 1)) - 1))
    ++bits;
  return bits;
}

Wide IntRange::extreme() const {
  // low + high cannot overflow when high >= 0 > low.
  return (low < 0 && (high < 0 || low + high < 0)) ? low : high;
}

std::string IntRange::str() const {
  if (overflow)
    return "beyond 2^127";
  return "[" + toString(low) + ", " + toString(high) + "]";
}

std::string toString(Wide value) {
  if (value == 0)
    return "0";
  bool negative = value < 0;
  std::string digits;
  while (value != 0) {
    int digit = int(value % 10);
    digits.push_back(char('0' + (negative ? -digit : digit)));
    value /= 10;
  }
  if (negative)
    digits.push_back('-');
  return std::string(digits.rbegin(), digits.rend());
}

} // namespace mlir::pike::numerics
