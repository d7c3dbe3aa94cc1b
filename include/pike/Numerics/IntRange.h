//===- IntRange.h - Exact integer bounds that report overflow ----*- C++ -*-===//
//
// Range arithmetic for the overflow checks: bounds are exact 128-bit values,
// and a bound that leaves the 128-bit range marks the whole range as
// overflowed instead of wrapping. Operands of Pike's types (at most 64 bits,
// zero points included) never get there in one product, so the checks stay
// exact wherever an answer in a 64-bit type is possible.
//
//===----------------------------------------------------------------------===//

#ifndef PIKE_NUMERICS_INTRANGE_H
#define PIKE_NUMERICS_INTRANGE_H

#include <cstdint>
#include <optional>
#include <string>

namespace mlir::pike::numerics {

/// Widest integer type Pike's arithmetic and its checks handle.
constexpr unsigned kMaxIntegerBits = 64;

class IntRange {
public:
  using Wide = __int128;

  /// The range {0}.
  IntRange() = default;
  /// [lo, hi]; lo <= hi.
  IntRange(Wide lo, Wide hi);
  static IntRange point(Wide value) { return IntRange(value, value); }
  /// All values of a `bits`-wide integer (1 <= bits <= 64).
  static IntRange ofType(unsigned bits, bool isSigned);
  /// A range whose bounds are beyond 128 bits.
  static IntRange overflowed();

  Wide lo() const { return low; }
  Wide hi() const { return high; }
  bool isOverflowed() const { return overflow; }

  IntRange operator+(const IntRange &other) const;
  IntRange operator-(const IntRange &other) const;
  IntRange operator*(const IntRange &other) const;
  /// The range of a sum of `count` values, each in this range.
  IntRange sumOf(int64_t count) const;
  /// The smallest range holding both.
  IntRange hull(const IntRange &other) const;

  /// Whether every value fits a `bits`-wide integer.
  bool fits(unsigned bits, bool isSigned) const;
  /// Bits (sign included) a signed type needs to hold every value; 129 when
  /// overflowed.
  unsigned signedBits() const;
  /// The bound of larger magnitude (the one that decides the width).
  Wide extreme() const;
  /// "[lo, hi]", or "beyond 2^127" when overflowed.
  std::string str() const;

private:
  Wide low = 0, high = 0;
  bool overflow = false;
};

/// Decimal text of a 128-bit integer.
std::string toString(IntRange::Wide value);

/// start times every factor, or nullopt when a factor is negative or the
/// product passes `limit`: sizes from a model's shapes are multiplied only
/// through this (ShapedType::getNumElements wraps).
template <typename Range>
std::optional<int64_t> checkedProduct(const Range &factors, int64_t start, int64_t limit) {
  int64_t product = start;
  for (int64_t factor : factors)
    if (factor < 0 || __builtin_mul_overflow(product, factor, &product) || product > limit)
      return std::nullopt;
  return product;
}

} // namespace mlir::pike::numerics

#endif // PIKE_NUMERICS_INTRANGE_H
