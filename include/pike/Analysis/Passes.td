//===- Passes.td - The ACEv2 analysis pass -----------------*- tablegen -*-===//

#ifndef PIKE_ANALYSIS_PASSES_TD
#define PIKE_ANALYSIS_PASSES_TD

include "mlir/Pass/PassBase.td"

def PikeACEv2 : Pass<"pike-acev2", "::mlir::ModuleOp"> {
  let summary = "Annotate every arithmetic op with its ACE, ACEv2 and energy";
  let description = [{
    Counts what every op computes — pike ops, linalg ops (from their body
    and iteration space), arith ops on tensors, tosa convolutions, matmul
    and rescale — and attaches
    `pike.cost = {macs, muls, adds, others, ace, acev2, energy_pj}`.
    ACE is PokeBNN's and AQT's metric (MACs times operand bit-widths);
    ACEv2 adds the elementwise multiplies (width product) and adds (width)
    that low-bit models carry; energy uses Horowitz's 45 nm table.
    docs/ACEv2.md has the rules.

    `report=PATH` writes a JSON report (`-` for stdout) with `total` and one
    entry per op; `table=true` prints a per-layer table. An op whose cost
    cannot be counted (dynamic shapes) gets a warning and counts as zero.
  }];
  let options = [
    Option<"floatBits", "float-bits", "unsigned", "0",
           "Width real operands count at (0: their storage width; 16 as AQT counts bf16)">,
    Option<"otherOps", "other-ops", "::mlir::pike::OtherOpsRule",
           "::mlir::pike::OtherOpsRule::Add", "Compares, shifts, clamps, rounding",
           [{::llvm::cl::values(
               clEnumValN(::mlir::pike::OtherOpsRule::Add, "add", "count like adds of their width"),
               clEnumValN(::mlir::pike::OtherOpsRule::Ignore, "ignore", "leave them out"))}]>,
    Option<"report", "report", "std::string", "\"\"",
           "Write the JSON report to this path ('-': stdout)">,
    Option<"table", "table", "bool", "false",
           "Print a per-layer table to stdout">
  ];
  // Pike ops are costed by lowering them to linalg in a scratch module; the
  // report attaches pike attributes, also to modules without a pike op.
  let dependentDialects = ["::mlir::pike::PikeDialect",
                           "::mlir::arith::ArithDialect", "::mlir::func::FuncDialect",
                           "::mlir::linalg::LinalgDialect", "::mlir::math::MathDialect",
                           "::mlir::tensor::TensorDialect"];
}

def PikeInstrumentLayers : Pass<"pike-instrument-layers", "::mlir::ModuleOp"> {
  let summary = "Call a timer after every op the ACEv2 report lists";
  let description = [{
    Inserts `func.call @pike_profile_mark(%id)` after every op that is a row
    of the ACEv2 report (`%id` is the row's index), at the start of every
    function (id -1) and before every return (id -2), and declares
    `@pike_profile_mark(i64)`. The calls are side effects, so lowering keeps
    each op's code between its marks; an op fused into another (a
    convolution's requantization epilogue) is timed with the op it is fused
    into. `pike-run --profile` compiles the model with these marks and
    provides the timer: the time between two marks is the later one's, so
    an op's row also holds the data movement since the previous costed op.
    Ops inside loops or branches, and the functions of nested modules, are
    not marked. A module that already defines `@pike_profile_mark` is an
    error.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect", "::mlir::func::FuncDialect"];
}

#endif // PIKE_ANALYSIS_PASSES_TD
