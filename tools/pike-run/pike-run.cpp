//===- pike-run.cpp - Run a function of a pike module on .npy inputs ------===//

#include "pike/Conversion/RegisterTile.h"
#include "pike/InitPike.h"
#include "pike/Runner/JitRunner.h"
#include "pike/Target/CpuTarget.h"
#include "pike/Tools/CommandLine.h"
#include "pike/Tools/ParserDefects.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"

namespace cl = llvm::cl;

static cl::OptionCategory pikeRunCategory("pike-run options");

static cl::opt<std::string> inputFile(cl::Positional, cl::cat(pikeRunCategory), cl::desc("<model.mlir>"));
static cl::opt<std::string> entry("entry", cl::cat(pikeRunCategory), cl::desc("Function to run"),
                                  cl::init("main"));
static cl::list<std::string> inputs(
    "input", cl::cat(pikeRunCategory),
    cl::desc("A .npy file per argument, in order: f16, f32 and f64 as float16/32/64; bf16 as "
             "float32 values bfloat16 holds exactly"));
static cl::list<std::string>
    outputs("output", cl::cat(pikeRunCategory),
            cl::desc("A .npy file per result, in order (default: print them); bf16 as float32"));
static cl::opt<unsigned> optLevel("O", cl::cat(pikeRunCategory), cl::Prefix, cl::desc("JIT optimization level: -O0 to -O3"),
                                  cl::init(2));
static cl::opt<bool> printLLVM(
    "print-llvm", cl::cat(pikeRunCategory),
    cl::desc("Print the LLVM IR that is JIT-compiled, after -O optimization"),
    cl::init(false));
static cl::opt<std::string> objectPath(
    "dump-object", cl::cat(pikeRunCategory), cl::value_desc("file.o"),
    cl::desc("Also write the object code the JIT compiles (for the target's CPU level and "
             "features, not the host's) to this file"));
static cl::opt<mlir::pike::CpuTarget, false, mlir::pike::CpuTargetParser> target(
    "target", cl::cat(pikeRunCategory),
    cl::desc("Instruction set of the MAC kernels (pike-cpu-pipeline)"),
    cl::init(mlir::pike::CpuTarget::host),
    mlir::pike::CpuTargetValues());
static cl::opt<bool> binaryKernels(
    "binary-kernels", cl::cat(pikeRunCategory),
    cl::desc("Compute layers whose inputs and weights are all +-1 with the XOR-popcount "
             "kernel; =false keeps them on the byte kernels (to time one against the other)"),
    cl::init(true));
static cl::opt<bool> separableKernels(
    "separable-kernels", cl::cat(pikeRunCategory),
    cl::desc("Compute a depthwise layer and the pointwise layer that alone reads it in one "
             "loop over output rows; =false runs them as two kernels (to time one against the "
             "other)"),
    cl::init(true));
static cl::opt<bool> rowParts(
    "row-parts", cl::cat(pikeRunCategory),
    cl::desc("Loop over parts of the channels of a layer with fewer than 16 output rows too, "
             "so that threads share it; =false keeps its rows whole (to time one against the "
             "other)"),
    cl::init(true));
static cl::opt<std::string> denseTile(
    "dense-tile", cl::cat(pikeRunCategory),
    cl::desc("The dense kernel's register tile as RxV, output pixels x filter vectors (R in "
             "1..8, V in 1..4); default: sized for the target's register file (to time one "
             "against another)"),
    cl::init(""));
static cl::opt<bool> bytePairs(
    "byte-pairs", cl::cat(pikeRunCategory),
    cl::desc("On a target with byte pairs and no quads (vector's AVX2 vpmaddubsw), let the "
             "dense and depthwise kernels step on u8 x s8 pairs into i16 where the operands' "
             "ranges fit (sub-8-bit or 7-bit weights); =false keeps i16 pairs and i32 lanes "
             "(to time one against the other)"),
    cl::init(true));
static cl::opt<unsigned> repeat(
    "repeat", cl::cat(pikeRunCategory),
    cl::desc("Time this many more calls and report the time per call (to stderr)"),
    cl::init(0));
static cl::opt<std::string> profile(
    "profile", cl::cat(pikeRunCategory),
    cl::desc("Also compile the model with a timer mark after every row of its ACEv2 "
             "report (pike-instrument-layers), run it after each --repeat call, and "
             "write each op's time in the whole network as JSON to this file"),
    cl::value_desc("file.json"), cl::init(""));
static cl::opt<bool> guardBuffers(
    "guard-buffers", cl::cat(pikeRunCategory),
    cl::desc("Place every argument and result just before an inaccessible page: "
             "compiled code that reads or writes past one stops with an error naming it "
             "(exit status 2) instead of touching the memory after it"));
static cl::opt<bool> listTargets(
    "list-targets", cl::cat(pikeRunCategory),
    cl::desc("Print the CPU targets as JSON (what each needs, which one --target=host "
             "picks here, which this CPU runs) and exit"),
    cl::init(false));

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  // libLLVM registers an undocumented --threads of its own; pike-run's
  // takes the name, so it is registered here, after that one is renamed.
  if (cl::Option *llvmThreads = cl::getRegisteredOptions().lookup("threads"))
    llvmThreads->setArgStr("llvm-threads");
  static cl::opt<unsigned> threads(
      "threads", cl::cat(pikeRunCategory),
      cl::desc("Threads for the kernels' parallel loops (OpenMP); 1 (default) compiles "
               "none, 0 uses every core"),
      cl::init(1));
  mlir::pike::hideLLVMOptions(&pikeRunCategory);
  mlir::pike::registerPikeVersion("pike-run");
  cl::ParseCommandLineOptions(
      argc, argv,
      "pike-run: JIT-compile a pike (or tosa/linalg) module and run a function\n\n"
      "  pike-run model.mlir --entry=main --input=x.npy --output=y.npy\n\n"
      "The module is lowered with pike-cpu-pipeline for --target (default: the\n"
      "best this CPU runs). Inputs must match the function's argument types\n"
      "(shape; f32 takes float32; an iN takes any integer dtype whose values fit\n"
      "N bits, signed or unsigned). Integer results are written as the signed\n"
      "reading of their bits, or unsigned where the result is pike.unsigned.\n");

  if (listTargets) {
    if (!inputFile.empty()) {
      llvm::errs() << "pike-run: error: --list-targets takes no model\n";
      return 1;
    }
    mlir::pike::printCpuTargetsJson(llvm::outs());
    return 0;
  }
  if (profile.getNumOccurrences() && profile.empty()) {
    llvm::errs() << "pike-run: error: --profile needs a file name\n";
    return 1;
  }
  if (!denseTile.empty() && !mlir::pike::parseRegisterTile(denseTile)) {
    llvm::errs() << "pike-run: error: --dense-tile: expected RxV (pixels x filter vectors, R in "
                    "1..8, V in 1..4)\n";
    return 1;
  }
  if (inputFile.empty()) {
    llvm::errs() << "pike-run: error: no model given (see pike-run --help)\n";
    return 1;
  }

  mlir::DialectRegistry registry;
  mlir::pike::registerPikeDialect(registry);
  // The cost models too: --profile marks the rows of the ACEv2 report.
  mlir::pike::registerPikeDependencies(registry);
  mlir::registerBuiltinDialectTranslation(registry);
  mlir::registerLLVMDialectTranslation(registry);
  mlir::MLIRContext context(registry);

  std::string error;
  auto file = mlir::openInputFile(inputFile, &error);
  // Exit status (docs/Guide.md): 1 for command-line misuse (reported by
  // the option parser), 2 for a model or input that is rejected.
  if (!file) {
    llvm::errs() << "pike-run: error: " << error << "\n";
    return 2;
  }
  if (mlir::pike::reportUnparsableInput(*file))
    return 2;
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  mlir::SourceMgrDiagnosticHandler handler(sourceMgr, &context);
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceFile<mlir::ModuleOp>(sourceMgr, &context);
  if (!module)
    return 2;

  mlir::pike::RunOptions options;
  options.entry = entry;
  options.target = target;
  options.threads = threads;
  options.inputs.assign(inputs.begin(), inputs.end());
  options.outputs.assign(outputs.begin(), outputs.end());
  options.optLevel = optLevel;
  options.printLLVM = printLLVM;
  options.objectPath = objectPath;
  options.timedRepeats = repeat;
  options.binaryKernels = binaryKernels;
  options.separableKernels = separableKernels;
  options.rowParts = rowParts;
  options.denseTile = denseTile;
  options.bytePairs = bytePairs;
  options.profilePath = profile;
  options.guardBuffers = guardBuffers;
  options.reportFaults = true;
  return mlir::failed(mlir::pike::runModule(*module, options, llvm::outs(), llvm::errs()))
             ? 2
             : 0;
}
