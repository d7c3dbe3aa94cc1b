//===- ArithmeticCost.h - Operation counts with operand widths --*- C++ -*-===//
//
// What an op computes, as counts of multiply-accumulates, multiplies, adds
// and other elementwise operations with their operand bit-widths. Cost
// models (ACE, ACEv2, energy) are computed from these counts: see
// docs/ACEv2.md.
//
//===----------------------------------------------------------------------===//

#ifndef PIKE_INTERFACES_ARITHMETICCOST_H
#define PIKE_INTERFACES_ARITHMETICCOST_H

#include "llvm/ADT/SmallVector.h"

#include <cstdint>

namespace mlir::pike {

enum class ArithmeticKind {
  Mac,   // multiply-accumulate of two operands
  Mul,   // elementwise multiply (and divide)
  Add,   // elementwise add or subtract
  Other, // compare, min/max, select, shift, round, square root
  Lookup, // a read of a constant table (pike.table), at the value's width
};

/// `count` operations of one kind with the given operand widths (`widthB`
/// is 0 for one-operand ops); `isFloat` for real arithmetic, whose widths
/// a cost model may override.
struct ArithmeticTerm {
  ArithmeticKind kind;
  unsigned widthA = 0;
  unsigned widthB = 0;
  bool isFloat = false;
  int64_t count = 0;
};

/// The arithmetic of one op.
class ArithmeticCost {
public:
  void add(ArithmeticKind kind, unsigned widthA, unsigned widthB, bool isFloat,
           int64_t count);
  void append(const ArithmeticCost &other, int64_t times = 1);
  llvm::ArrayRef<ArithmeticTerm> terms() const { return termList; }
  bool empty() const { return termList.empty(); }

private:
  llvm::SmallVector<ArithmeticTerm> termList;
};

/// Follows values through the arithmetic of one element (a linalg body, or
/// a pike op's definition written the same way) and records each op with
/// the operand widths the ACEv2 rules give (docs/ACEv2.md):
/// casts are free and keep the width; a constant has the width its value
/// needs; a product is as wide as its operands together; a sum one bit wider
/// than its wider operand; min/max/select keep the wider width. Widths never
/// exceed `limit` (the storage type).
class ScalarCounter {
public:
  struct Width {
    unsigned bits = 0;
    bool isFloat = false;
  };

  static Width integer(unsigned bits) { return {bits, false}; }
  static Width real(unsigned bits) { return {bits, true}; }
  /// Width an integer constant needs (sign included).
  static Width constant(int64_t value);

  Width mul(Width a, Width b, unsigned limit);
  Width add(Width a, Width b, unsigned limit);
  Width other(Width a, Width b);
  /// One read of a constant table giving a value of width `value`.
  Width lookup(Width value);
  /// An add into an accumulator fed by a multiply: one MAC.
  void mac(Width a, Width b);

  const ArithmeticCost &cost() const { return counts; }
  ArithmeticCost scaled(int64_t elements) const;

private:
  ArithmeticCost counts;
};

} // namespace mlir::pike

#endif // PIKE_INTERFACES_ARITHMETICCOST_H
