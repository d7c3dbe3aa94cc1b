//===- ACEv2.h - ACE, ACEv2 and energy of a model ---------------*- C++ -*-===//
//
// The ACEv2 analysis collects the ArithmeticCost of every op that does
// arithmetic and turns it into ACE (PokeBNN/AQT: MACs times operand
// widths), ACEv2 (PikeLPN: plus the elementwise work) and energy
// (Horowitz, ISSCC 2014). Formulas and sources: docs/ACEv2.md.
//
//===----------------------------------------------------------------------===//

#ifndef PIKE_ANALYSIS_ACEV2_H
#define PIKE_ANALYSIS_ACEV2_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Operation.h"
#include "pike/Interfaces/ArithmeticCost.h"

#include "llvm/ADT/SmallVector.h"

#include <string>

namespace mlir::pike {

/// How compares, shifts, clamps and rounding enter ACEv2 and energy.
enum class OtherOpsRule { Add, Ignore };

struct CostOptions {
  /// Width real operands count at; 0 keeps their storage width (f32: 32).
  unsigned floatBits = 0;
  /// Count compares, shifts, clamps and rounding like adds of their width
  /// (true) or leave them out of ACEv2 and energy (false).
  bool countOtherOps = true;
};

struct CostSummary {
  int64_t macs = 0;
  int64_t muls = 0;
  int64_t adds = 0;
  int64_t others = 0;
  int64_t lookups = 0;
  /// Sum of MACs times operand widths (bit-operations).
  double ace = 0;
  /// ACE plus elementwise multiplies (width product) and adds (width).
  double acev2 = 0;
  double energyPJ = 0;

  /// ACEv2 of the elementwise work alone.
  double elementwise() const { return acev2 - ace; }
  CostSummary &operator+=(const CostSummary &other);
};

/// ACE, ACEv2 and energy of `cost`.
CostSummary summarize(const ArithmeticCost &cost, const CostOptions &options);

/// Energy in pJ of one operation (docs/ACEv2.md gives the rule).
double multiplyEnergy(unsigned widthA, unsigned widthB, bool isFloat);
double addEnergy(unsigned width, bool isFloat);

/// Every op of a module that does arithmetic, with what it computes. Ops
/// nested in a costed op (e.g. a linalg body) are part of their parent.
class ACEv2Analysis {
public:
  struct Entry {
    Operation *op;
    ArithmeticCost cost;
  };

  explicit ACEv2Analysis(Operation *root);

  ArrayRef<Entry> entries() const { return entryList; }
  /// Ops that do arithmetic but could not be counted (e.g. dynamic shapes).
  ArrayRef<Operation *> uncounted() const { return uncountedList; }
  /// tosa and math ops that compute but have no cost model.
  ArrayRef<Operation *> unmodeled() const { return unmodeledList; }
  CostSummary total(const CostOptions &options) const;

private:
  SmallVector<Entry> entryList;
  SmallVector<Operation *> uncountedList;
  SmallVector<Operation *> unmodeledList;
};

/// How reports name an op's location: its layer name (a NameLoc, or the
/// first of a fused location) or file:line:column.
std::string costLocationName(Location loc);

/// An op `pike-instrument-layers` marks: its index among the ACEv2
/// analysis's entries, which are also the rows of the ACEv2 report.
struct InstrumentedOp {
  int64_t index;
  std::string op;
  std::string loc;
};

/// Mark ids besides the entries' indices: a function's start, and its
/// return (the time after the last marked op).
constexpr int64_t kProfileStartMark = -1;
constexpr int64_t kProfileReturnMark = -2;
/// The external function the marks call: void(int64_t id).
constexpr llvm::StringLiteral kProfileMarkFunction = "pike_profile_mark";

/// Inserts a call of `pike_profile_mark(id)` at the start of every function,
/// after every ACEv2 entry that sits directly in a function body, and before
/// every return. Time between two marks is the later mark's: an op is
/// charged from the end of the op marked before it, so the data movement
/// and buffers between two costed ops count with the second. Fails if the
/// module already has a symbol of that name.
FailureOr<SmallVector<InstrumentedOp>> instrumentLayers(ModuleOp module);

} // namespace mlir::pike

#endif // PIKE_ANALYSIS_ACEV2_H
