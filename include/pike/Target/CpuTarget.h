//===- CpuTarget.h - The CPU targets Pike builds kernels for ---*- C++ -*-===//
//
// One description per target: what its kernels may use (vector width,
// dot-product instructions), what a CPU must have to run them, and how an
// ahead-of-time library is built and checked for it. The kernels, the pass
// and tool options, `pike-run --list-targets` (which the Python front end and
// lit read) and the AOT build all read this table; a new target is a new
// enum value and a new row in CpuTarget.cpp.
//
//===----------------------------------------------------------------------===//

#ifndef PIKE_TARGET_CPUTARGET_H
#define PIKE_TARGET_CPUTARGET_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/CommandLine.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>

namespace llvm {
class raw_ostream;
} // namespace llvm

namespace mlir::pike {

/// What convert-pike-to-cpu-kernels builds MAC kernels for.
enum class CpuTarget {
  /// The best target the host CPU runs (resolved before use).
  host,
  scalar,
  vector,
  avx512_vnni,
  avx512_vnni_popcnt,
  aarch64,
  aarch64_dotprod,
  aarch64_i8mm,
};

/// The dot-product instructions a target's MAC kernels are built around; it
/// decides the packed weight layout and how `pike.vector_dot4`/`vector_dot2`
/// lower.
enum class DotProduct {
  /// No kernels: every op goes through linalg to scalar loops.
  none,
  /// None as instructions: inputs widened to i16 and multiplied by pairs of
  /// weights in plain vector arithmetic any LLVM target lowers.
  portable,
  /// x86 AVX2: no quads, but pairs of u8 x s8 into saturating i16 lanes
  /// (`vpmaddubsw`, called by name) beside pairs of i16 into i32
  /// (`vpmaddwd`, selected by LLVM from the portable arithmetic).
  x86Pairs,
  /// x86 VNNI: quads of u8 x s8 (`vpdpbusd`, a signed input offset to
  /// unsigned) and pairs of i16 (`vpdpwssd`) into each i32 lane.
  x86Vnni,
  /// AArch64 dot product (FEAT_DotProd): quads of s8 x s8 (`sdot`, an
  /// unsigned input offset to signed).
  armDot,
  /// AArch64 FEAT_I8MM on top of it: quads of u8 x s8 as well (`usdot`) and
  /// 2 x 8 by 8 x 2 matrix products (`smmla`, `usmmla`) into 2 x 2 tiles.
  armI8mm,
};

/// Everything Pike knows about one concrete target.
struct CpuTargetInfo {
  CpuTarget id;
  /// As options, `--target`, lit's REQUIRES and the manifest spell it.
  llvm::StringLiteral name;
  /// One line for --help.
  llvm::StringLiteral summary;
  DotProduct dot;
  /// Width of the kernels' accumulator vectors (0 without kernels).
  unsigned vectorBits;
  /// The register file those vectors live in: how many vector registers
  /// the instruction set names, and their width (0 without kernels). A
  /// vector wider than a register takes several (`vector`: 512 bits in
  /// AVX2's 256-bit ymm); the kernels size their register tiles by it.
  unsigned vectorRegisters, registerBits;
  /// The CPU the target builds for (llc -mcpu): an x86-64
  /// micro-architecture level, also checked at run time by the AOT library,
  /// or `generic`.
  llvm::StringLiteral cpuLevel;
  /// LLVM features beyond the level (llc -mattr=+..., and a run-time check,
  /// under the same name for __builtin_cpu_supports).
  llvm::ArrayRef<llvm::StringLiteral> extraFeatures;
  /// LLVM tuning flags for the AOT build (llc -mattr, not checked).
  llvm::StringLiteral tuning;
  /// The matrix tile unit the kernels use (`amx-int8`), or empty: none of
  /// today's targets has tile kernels.
  llvm::StringLiteral tileUnit = "";
  /// The target triple of its code (llc -mtriple; a cross C compiler
  /// `<triple>-gcc` when it is not the host's).
  llvm::StringLiteral triple = "x86_64-linux-gnu";

  bool isAArch64() const { return triple.starts_with("aarch64"); }

  /// i32 lanes per accumulator vector.
  int64_t lanes() const { return vectorBits / 32; }
  /// Registers one accumulator vector takes.
  int64_t registersPerVector() const {
    return registerBits ? std::max<int64_t>(vectorBits / registerBits, 1) : 1;
  }
  bool hasKernels() const { return dot != DotProduct::none; }
  /// Whether 4 u8 x s8 products into an i32 lane are one instruction.
  bool hasU8S8Quads() const {
    return dot == DotProduct::x86Vnni || dot == DotProduct::armI8mm;
  }
  /// Whether 4 s8 x s8 products into an i32 lane are one instruction.
  bool hasS8S8Quads() const { return dot == DotProduct::armDot || dot == DotProduct::armI8mm; }
  bool hasQuads() const { return hasU8S8Quads() || hasS8S8Quads(); }
  /// Whether a 2 x 8 by 8 x 2 product of bytes into a 2 x 2 i32 tile is one
  /// instruction, for u8 and s8 inputs against s8 weights.
  bool hasByteMatrixTiles() const { return dot == DotProduct::armI8mm; }
  /// Whether 2 u8 x s8 products, summed and saturated into an i16 lane, are
  /// one instruction (pike.vector_dot2_bytes).
  bool hasU8S8Pairs() const { return dot == DotProduct::x86Pairs || dot == DotProduct::x86Vnni; }
  /// Whether 2 i16 x i16 products into an i32 lane are one instruction.
  bool hasI16Pairs() const { return dot == DotProduct::x86Vnni; }
  /// Every LLVM feature a CPU must report to run the target: the level's
  /// and the extra ones.
  llvm::SmallVector<llvm::StringRef> requiredFeatures() const;
};

/// The concrete targets, from the most portable to the most specific.
llvm::ArrayRef<CpuTargetInfo> cpuTargets();
/// The description of `target` (`host` resolved first).
const CpuTargetInfo &cpuTargetInfo(CpuTarget target);

/// The target's name as options spell it.
llvm::StringRef cpuTargetName(CpuTarget target);
/// A target's name, or a row named after its architecture spelled by its
/// triple (`aarch64-linux-gnu-dotprod` for `aarch64-dotprod`).
std::optional<CpuTarget> parseCpuTarget(llvm::StringRef name);
/// The triple spelling of a row named after its architecture (the AArch64
/// rows, on any host), or empty: the name with its architecture replaced
/// by the triple.
std::string cpuTargetTripleSpelling(const CpuTargetInfo &info);

/// The most specific target the host CPU runs.
CpuTarget hostCpuTarget();

/// `host` resolved to the host's target; others unchanged.
CpuTarget resolveCpuTarget(CpuTarget target);

/// The LLVM CPU features `target` needs that the host lacks (empty when it
/// runs here).
llvm::SmallVector<std::string> missingHostFeatures(CpuTarget target);

/// The table as JSON, with what this host runs: `pike-run --list-targets`.
void printCpuTargetsJson(llvm::raw_ostream &os);

/// Another name for a row: its triple spelling and a line of --help that
/// names the row.
struct TargetSpelling {
  std::string name, help;
  CpuTarget id;
};
/// Every row's triple spelling, in table order.
llvm::ArrayRef<TargetSpelling> tripleSpellings();

/// The parser of a tool's --target option: a value from the table (with
/// CpuTargetValues), or an error that names every one. LLVM's own parser
/// says only that it cannot find the option.
class CpuTargetParser : public llvm::cl::parser<CpuTarget> {
public:
  using llvm::cl::parser<CpuTarget>::parser;
  bool parse(llvm::cl::Option &option, llvm::StringRef argName, llvm::StringRef arg,
             CpuTarget &value);
};

/// A `cl::values` for CpuTarget generated from the table: `host` first, then
/// every target with its summary.
struct CpuTargetValues {
  template <typename Opt>
  void apply(Opt &option) const {
    option.getParser().addLiteralOption("host", CpuTarget::host,
                                        "the most specific of the others this CPU runs");
    for (const CpuTargetInfo &info : cpuTargets())
      option.getParser().addLiteralOption(info.name, info.id, info.summary);
    // The parser keeps the names it is given: these live as long as the table.
    for (const TargetSpelling &spelling : tripleSpellings())
      option.getParser().addLiteralOption(spelling.name, spelling.id, spelling.help);
  }
};

} // namespace mlir::pike

#endif // PIKE_TARGET_CPUTARGET_H
