//===- JitRunner.cpp - JIT-compile a pike module and run a function -------===//

#include "pike/Runner/JitRunner.h"

#include "pike/Runner/GuardedBuffers.h"

#include "pike/Analysis/ACEv2.h"
#include "pike/Dialect/Pike/Transforms/Passes.h"
#include "pike/Pipelines/LoweringPipelines.h"
#include "pike/Runner/Npy.h"
#include "pike/Support/ShownName.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Target/LLVMIR/Dialect/OpenMP/OpenMPToLLVMIRTranslation.h"

#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/Support/DynamicLibrary.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/TargetParser/Host.h"

#include <algorithm>
#include <chrono>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <optional>
#include <thread>

#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <sys/resource.h>
#include <unistd.h>

using namespace mlir;

namespace mlir::pike {
namespace {

/// Bytes MLIR's memrefs use per element of `type`.
unsigned storageBytes(Type type) {
  unsigned bits = type.getIntOrFloatBitWidth();
  return bits <= 8 ? 1 : bits <= 16 ? 2 : bits <= 32 ? 4 : 8;
}

/// Keeps the buffers a compiled function frees for its next call. A lowered
/// model mallocs and frees every intermediate tensor on each call (hundreds of
/// them, up to megabytes each); by default glibc serves blocks over 128 KiB
/// with a fresh mmap and trims the heap top after a free, so each call
/// page-faults and zero-fills all of its intermediates again, which took half
/// the time of a RegNetX-400MF call. Blocks up to 32 MiB (glibc's largest
/// threshold) now come from the heap, and the heap is not trimmed.
void keepFreedBuffers() {
#if defined(__GLIBC__)
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, INT_MAX);
#endif
}

/// Minor page faults of this process so far.
long minorPageFaults() {
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_minflt;
}

/// The .npy dtype pike-run reads and writes for a real type, or "" where
/// NumPy has none. bfloat16 travels as float32, which holds it exactly.
std::string npyDtypeOf(Type element) {
  if (element.isF16())
    return "f2";
  if (element.isF32() || element.isBF16())
    return "f4";
  if (element.isF64())
    return "f8";
  return "";
}

/// malloc for the compiled code (RunOptions::reportFaults): a buffer the
/// model needs that cannot be allocated ends pike-run with a message and
/// exit status 2, where the code would write through a null pointer.
void *checkedMalloc(size_t bytes) {
  void *block = std::malloc(bytes);
  if (!block && bytes) {
    char message[160];
    int length = std::snprintf(message, sizeof message,
                               "pike-run: error: the model needs a buffer of %zu bytes, which "
                               "cannot be allocated\n",
                               bytes);
    ssize_t written = write(STDERR_FILENO, message, size_t(std::max(length, 0)));
    (void)written;
    _exit(2);
  }
  return block;
}

/// A memref descriptor with the buffer it points to.
struct Buffer {
  std::vector<uint8_t> data;
  std::vector<int64_t> descriptor; // allocated, aligned, offset, sizes, strides
  void *descriptorPtr = nullptr;

  void describe(ArrayRef<int64_t> shape) {
    descriptor.assign(3 + 2 * shape.size(), 0);
    auto base = reinterpret_cast<int64_t>(data.data());
    descriptor[0] = descriptor[1] = base;
    int64_t stride = 1;
    for (int64_t i = int64_t(shape.size()) - 1; i >= 0; --i) {
      descriptor[3 + i] = shape[i];
      descriptor[3 + shape.size() + i] = stride;
      stride *= shape[i];
    }
    descriptorPtr = descriptor.data();
  }
};

LogicalResult fail(llvm::raw_ostream &errs, const Twine &message) {
  errs << "pike-run: error: " << message << "\n";
  return failure();
}

std::string typeString(Type type) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << type;
  return text;
}

/// Copies a .npy array into a buffer of `type`, checking dtype and range.
LogicalResult loadInput(const NpyArray &array, ShapedType type, const std::string &label,
                        const std::string &path, Buffer &buffer,
                        llvm::raw_ostream &errs) {
  std::string where = label + " ('" + path + "')";
  std::vector<int64_t> expected(type.getShape().begin(), type.getShape().end());
  if (array.shape != expected)
    return fail(errs, where + " has shape " + shapeString(array.shape) + ", but " +
                          typeString(type) + " needs " + shapeString(expected));
  Type element = type.getElementType();
  unsigned bytes = storageBytes(element);
  buffer.data.assign(size_t(array.numElements()) * bytes, 0);
  if (isa<FloatType>(element)) {
    std::string wanted = npyDtypeOf(element);
    if (array.dtype != wanted)
      return fail(errs, where + " has dtype " + dtypeName(array.dtype) + ", but " +
                            typeString(type) + " needs " + dtypeName(wanted) +
                            (element.isBF16() ? " (values bfloat16 holds)" : ""));
    if (!element.isBF16()) {
      buffer.data = array.data;
    } else {
      // NumPy has no bfloat16: float32 values whose low 16 bits are 0.
      for (int64_t i = 0, e = array.numElements(); i < e; ++i) {
        uint32_t bits;
        std::memcpy(&bits, array.data.data() + 4 * i, 4);
        if (bits & 0xffff)
          return fail(errs, where + ": element " + std::to_string(i) + " = " +
                                llvm::formatv("{0}", llvm::format("%.9g", array.realAt(i))).str() +
                                " is not a bfloat16 value");
        uint16_t high = uint16_t(bits >> 16);
        std::memcpy(buffer.data.data() + 2 * i, &high, 2);
      }
    }
  } else {
    if (array.dtype[0] == 'f')
      return fail(errs, where + " has real dtype " + dtypeName(array.dtype) + ", but " +
                            typeString(type) + " needs integers");
    unsigned bits = element.getIntOrFloatBitWidth();
    // Either reading of the bits is accepted: s4 -8..7 or u4 0..15.
    int64_t lo = bits >= 64 ? INT64_MIN : -(int64_t(1) << (bits - 1));
    int64_t hi = bits >= 63 ? INT64_MAX : (int64_t(1) << bits) - 1;
    for (int64_t i = 0, e = array.numElements(); i < e; ++i) {
      int64_t value = array.intAt(i);
      bool wrapped = array.dtype == "u8" && value < 0; // above INT64_MAX
      if (wrapped || value < lo || value > hi)
        return fail(errs, where + ": element " + std::to_string(i) + " = " +
                              (wrapped ? std::to_string(uint64_t(value))
                                       : std::to_string(value)) +
                              " does not fit " +
                              typeString(element));
      // A sub-byte integer is stored zero-extended, as LLVM's own stores
      // leave it (an i1 loaded with other bits set is undefined).
      if (bits % 8 != 0)
        value &= (int64_t(1) << bits) - 1;
      std::memcpy(buffer.data.data() + i * bytes, &value, bytes);
    }
  }
  buffer.describe(type.getShape());
  return success();
}

/// The result buffer as a .npy array: integers as the signed reading of
/// their bits, or the unsigned one for a result marked `pike.unsigned`.
NpyArray toNpy(const Buffer &buffer, ShapedType type, bool isUnsigned) {
  NpyArray array;
  array.shape.assign(type.getShape().begin(), type.getShape().end());
  Type element = type.getElementType();
  unsigned bytes = storageBytes(element);
  if (isa<FloatType>(element)) {
    array.dtype = npyDtypeOf(element);
    if (!element.isBF16()) {
      array.data = buffer.data;
      return array;
    }
    array.data.resize(2 * buffer.data.size());
    for (int64_t i = 0, e = type.getNumElements(); i < e; ++i) {
      uint16_t high;
      std::memcpy(&high, buffer.data.data() + 2 * i, 2);
      uint32_t bits = uint32_t(high) << 16;
      std::memcpy(array.data.data() + 4 * i, &bits, 4);
    }
    return array;
  }
  unsigned bits = element.getIntOrFloatBitWidth();
  array.dtype = bits == 1 ? "b1" : (isUnsigned ? "u" : "i") + std::to_string(bytes);
  array.data.resize(buffer.data.size());
  for (int64_t i = 0, e = type.getNumElements(); i < e; ++i) {
    int64_t value = 0;
    std::memcpy(&value, buffer.data.data() + i * bytes, bytes);
    if (bits < 64) {
      value &= (int64_t(1) << bits) - 1;
      if (!isUnsigned && bits > 1 && (value >> (bits - 1)) & 1)
        value -= int64_t(1) << bits;
    }
    std::memcpy(array.data.data() + i * bytes, &value, bytes);
  }
  return array;
}

void printResult(const NpyArray &array, const std::string &label, llvm::raw_ostream &out) {
  out << label << ": " << dtypeName(array.dtype) << " "
      << shapeString(array.shape) << "\n  [";
  for (int64_t i = 0, e = array.numElements(); i < e; ++i) {
    out << (i ? ", " : "");
    if (array.dtype[0] == 'f')
      out << array.realAt(i);
    else
      out << array.intAt(i);
  }
  out << "]\n";
}

/// What pike-run needs of the function it runs, read before lowering.
struct EntryPoint {
  func::FuncOp fn;
  SmallVector<ShapedType> argTypes, resultTypes;
  SmallVector<bool> unsignedResults;
  /// "input #0 'x'": how errors and printed results name each.
  SmallVector<std::string> inputLabels, resultLabels;
};

/// A model is untrusted: nothing in it may reach outside its tensors, and
/// no size computed from its shapes can overflow (docs/Security.md).
LogicalResult verifyModel(ModuleOp module, llvm::raw_ostream &errs) {
  PassManager verify(module.getContext());
  verify.addPass(createPikeVerifyModel());
  if (failed(verify.run(module)))
    return fail(errs, "the model was refused (see the diagnostics above)");
  return success();
}

/// The entry function, its statically shaped types checked against the
/// options' inputs and outputs, and its names; the names and signedness are
/// then taken off the function (LLVM has no use for them, and warns).
FailureOr<EntryPoint> readEntryPoint(ModuleOp module, const RunOptions &options,
                                     llvm::raw_ostream &errs) {
  EntryPoint entry;
  entry.fn = module.lookupSymbol<func::FuncOp>(options.entry);
  if (!entry.fn || entry.fn.isExternal()) {
    std::string names;
    for (auto fn : module.getOps<func::FuncOp>())
      names += (names.empty() ? "@" : ", @") + shownName(fn.getName());
    return fail(errs, "no function @" + shownName(options.entry) + " to run (functions: " +
                          (names.empty() ? "none" : names) + ")");
  }
  FunctionType fnType = entry.fn.getFunctionType();
  for (auto [list, types, what] :
       {std::make_tuple(&entry.argTypes, fnType.getInputs(), "argument"),
        std::make_tuple(&entry.resultTypes, fnType.getResults(), "result")})
    for (Type type : types) {
      auto shaped = dyn_cast<ShapedType>(type);
      if (!shaped || !shaped.hasStaticShape() || !shaped.getElementType().isIntOrFloat())
        return fail(errs, "@" + options.entry + " has " + what + " type " + typeString(type) +
                              "; pike-run needs statically shaped tensors or "
                              "memrefs of integers or reals");
      if (isa<FloatType>(shaped.getElementType()) && npyDtypeOf(shaped.getElementType()).empty())
        return fail(errs, "@" + options.entry + " has " + what + " type " + typeString(type) +
                              "; pike-run reads and writes f16, bf16, f32 and f64 reals only");
      list->push_back(shaped);
    }
  if (options.inputs.size() != entry.argTypes.size())
    return fail(errs, "@" + options.entry + " takes " + std::to_string(entry.argTypes.size()) +
                          " inputs, got " + std::to_string(options.inputs.size()) + " --input");
  if (!options.outputs.empty() && options.outputs.size() != entry.resultTypes.size())
    return fail(errs, "@" + options.entry + " returns " +
                          std::to_string(entry.resultTypes.size()) + " results, got " +
                          std::to_string(options.outputs.size()) + " --output");

  func::FuncOp fn = entry.fn;
  auto label = [](StringRef kind, unsigned i, StringAttr name) {
    std::string text = (kind + " #" + Twine(i)).str();
    return name ? text + " '" + shownName(name) + "'" : text;
  };
  for (unsigned i = 0; i < entry.argTypes.size(); ++i) {
    entry.inputLabels.push_back(label("input", i, fn.getArgAttrOfType<StringAttr>(i, "pike.name")));
    fn.removeArgAttr(i, "pike.name");
  }
  for (unsigned i = 0; i < entry.resultTypes.size(); ++i) {
    entry.resultLabels.push_back(
        label("result", i, fn.getResultAttrOfType<StringAttr>(i, "pike.name")));
    entry.unsignedResults.push_back(fn.getResultAttr(i, "pike.unsigned") != nullptr);
    fn.removeResultAttr(i, StringAttr::get(fn.getContext(), "pike.name"));
    fn.removeResultAttr(i, StringAttr::get(fn.getContext(), "pike.unsigned"));
  }
  return entry;
}

/// Whether `bytes` can be allocated now. The pointer is volatile: clang
/// removes an unused malloc/free pair and takes the allocation as made.
bool canAllocate(size_t bytes) {
  void *volatile probe = std::malloc(bytes);
  bool allocated = probe != nullptr || bytes == 0;
  std::free(probe);
  return allocated;
}

/// One buffer per input (read from its .npy and checked) and per result.
LogicalResult makeBuffers(const EntryPoint &entry, const RunOptions &options,
                          std::vector<Buffer> &buffers, llvm::raw_ostream &errs) {
  buffers.assign(entry.argTypes.size() + entry.resultTypes.size(), Buffer());
  for (size_t i = 0; i < entry.argTypes.size(); ++i) {
    NpyArray array;
    std::string error;
    if (!readNpy(options.inputs[i], array, error))
      return fail(errs, entry.inputLabels[i] + ": " + error);
    if (failed(loadInput(array, entry.argTypes[i], entry.inputLabels[i], options.inputs[i],
                         buffers[i], errs)))
      return failure();
  }
  for (size_t i = 0; i < entry.resultTypes.size(); ++i) {
    ShapedType type = entry.resultTypes[i];
    Buffer &buffer = buffers[entry.argTypes.size() + i];
    size_t bytes = size_t(type.getNumElements()) * storageBytes(type.getElementType());
    // Tried first: a failed std::vector allocation aborts the process.
    if (!canAllocate(bytes))
      return fail(errs, entry.resultLabels[i] + " needs " + std::to_string(bytes) +
                            " bytes, which cannot be allocated");
    buffer.data.assign(bytes, 0);
    buffer.describe(type.getShape());
  }
  return success();
}

/// Points every buffer's descriptor at a copy that ends at a guard page
/// (RunOptions::guardBuffers); `copies` holds where each one went.
LogicalResult guardBuffers(const EntryPoint &entry, std::vector<Buffer> &buffers,
                           std::optional<GuardedBuffers> &guarded, std::vector<void *> &copies,
                           llvm::raw_ostream &errs) {
  guarded.emplace();
  for (size_t i = 0; i < buffers.size(); ++i) {
    size_t inputs = entry.argTypes.size();
    const std::string &label =
        i < inputs ? entry.inputLabels[i] : entry.resultLabels[i - inputs];
    void *copy = guarded->add(buffers[i].data.data(), buffers[i].data.size(), label);
    if (!copy)
      return fail(errs, "cannot map a guarded copy of " + label);
    buffers[i].descriptor[0] = buffers[i].descriptor[1] = reinterpret_cast<int64_t>(copy);
    copies.push_back(copy);
  }
  return success();
}

/// The marks of the instrumented call under way (pike-instrument-layers).
std::vector<std::pair<int64_t, std::chrono::steady_clock::time_point>> *profileMarks = nullptr;

extern "C" void profileMark(int64_t id) {
  if (profileMarks)
    profileMarks->emplace_back(id, std::chrono::steady_clock::now());
}

/// The host's machine restricted to what `target`'s row builds for (its CPU
/// level and features, as the compiled library's llc flags), not every
/// feature the host has: `--target=vector` on an AVX-512 host runs AVX2 code.
llvm::Expected<std::unique_ptr<llvm::TargetMachine>> targetMachine(CpuTarget target,
                                                                    unsigned optLevel) {
  llvm::Expected<llvm::orc::JITTargetMachineBuilder> builder =
      llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!builder)
    return builder.takeError();
  const CpuTargetInfo &info = cpuTargetInfo(target);
  builder->setCPU(info.cpuLevel.str());
  builder->getFeatures() = llvm::SubtargetFeatures();
  std::vector<std::string> features;
  for (llvm::StringRef feature : info.extraFeatures)
    features.push_back(("+" + feature).str());
  llvm::SmallVector<llvm::StringRef> tuning;
  info.tuning.split(tuning, ',', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef flag : tuning)
    features.push_back(flag.str());
  builder->addFeatures(features);
  // -O0 to -O3 reach code generation too.
  constexpr llvm::CodeGenOptLevel kLevels[] = {
      llvm::CodeGenOptLevel::None, llvm::CodeGenOptLevel::Less, llvm::CodeGenOptLevel::Default,
      llvm::CodeGenOptLevel::Aggressive};
  builder->setCodeGenOptLevel(kLevels[std::min(optLevel, 3u)]);
  return builder->createTargetMachine();
}

/// The module lowered by pike-cpu-pipeline for the options' target and
/// JIT-compiled, with the C interface pike-run calls.
FailureOr<std::unique_ptr<ExecutionEngine>> compile(ModuleOp module, const EntryPoint &entry,
                                                    const RunOptions &options,
                                                    llvm::raw_ostream &out,
                                                    llvm::raw_ostream &errs,
                                                    bool instrumented = false) {
  SmallVector<std::string> missing = missingHostFeatures(options.target);
  if (!missing.empty())
    return fail(errs, "target " + cpuTargetName(options.target).str() +
                          " needs CPU features this host lacks: " + llvm::join(missing, ", "));
  module.lookupSymbol<func::FuncOp>(options.entry)
      ->setAttr("llvm.emit_c_interface", UnitAttr::get(module.getContext()));
  PassManager pm(module.getContext());
  bool parallel = options.threads != 1;
  mlir::pike::KernelChoices choices;
  choices.binary = options.binaryKernels;
  // The marks between layers keep each depthwise-separable block two
  // kernels (pike-convert-pike-to-cpu-kernels), so each layer keeps its row.
  choices.separable = options.separableKernels;
  choices.rowParts = options.rowParts;
  choices.denseTile = options.denseTile;
  choices.bytePairs = options.bytePairs;
  mlir::pike::buildCpuPipeline(pm, options.target, parallel, /*workspace=*/false,
                               /*warnFallbacks=*/true, choices);
  if (failed(pm.run(module)))
    return fail(errs, "lowering to LLVM failed (see the diagnostics above)");

  // The calling convention pike-run relies on: every buffer a parameter.
  auto lowered = module.lookupSymbol<LLVM::LLVMFuncOp>("_mlir_ciface_" + options.entry);
  if (!lowered ||
      lowered.getNumArguments() != entry.argTypes.size() + entry.resultTypes.size() ||
      !isa<LLVM::LLVMVoidType>(lowered.getFunctionType().getReturnType()))
    return fail(errs, "@" + options.entry +
                          " did not lower to a function taking every input and "
                          "result buffer as a parameter");

  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  llvm::Expected<std::unique_ptr<llvm::TargetMachine>> machine =
      targetMachine(options.target, options.optLevel);
  if (!machine)
    return fail(errs, "JIT compilation failed: " + llvm::toString(machine.takeError()));
  // ExecutionEngineOptions::transformer is a function_ref: the optimizer it
  // points to must outlive ExecutionEngine::create. It optimizes for the
  // row's machine (the engine owns it from create on): without it the loop
  // vectorizer knows no vector registers and leaves linalg's loops scalar.
  std::function<llvm::Error(llvm::Module *)> optimize =
      makeOptimizingTransformer(options.optLevel, /*sizeLevel=*/0, machine->get());
  std::function<llvm::Error(llvm::Module *)> optimizeAndPrint =
      [&](llvm::Module *llvmModule) -> llvm::Error {
    // Scheduled for this CPU (tuning only: the instructions stay the row's).
    for (llvm::Function &function : *llvmModule)
      if (!function.isDeclaration())
        function.addFnAttr("tune-cpu", llvm::sys::getHostCPUName());
    if (llvm::Error error = optimize(llvmModule))
      return error;
    if (options.printLLVM)
      llvmModule->print(out, nullptr);
    return llvm::Error::success();
  };
  ExecutionEngineOptions engineOptions;
  engineOptions.transformer = optimizeAndPrint;
  engineOptions.enableObjectDump = !options.objectPath.empty();
  SmallVector<StringRef> sharedLibs;
  if (parallel) {
    registerOpenMPDialectTranslation(*module.getContext());
    sharedLibs.push_back(PIKE_LIBOMP_PATH);
    engineOptions.sharedLibPaths = sharedLibs;
  }
  auto engine = ExecutionEngine::create(module, engineOptions, std::move(*machine));
  if (!engine)
    return fail(errs, "JIT compilation failed: " + llvm::toString(engine.takeError()));
  if (!options.objectPath.empty()) {
    // dumpToObjectFile reports an unwritable file only by a message.
    {
      std::error_code error;
      llvm::raw_fd_ostream probe(options.objectPath, error);
      if (error)
        return fail(errs, "cannot write --dump-object file '" + options.objectPath +
                              "': " + error.message());
    }
    // The module is compiled at its first lookup.
    if (auto found = (*engine)->lookup("_mlir_ciface_" + options.entry); !found)
      return fail(errs, "JIT compilation failed: " + llvm::toString(found.takeError()));
    (*engine)->dumpToObjectFile(options.objectPath);
  }
  bool checkAllocations = options.reportFaults;
  (*engine)->registerSymbols([&](llvm::orc::MangleAndInterner interner) {
    llvm::orc::SymbolMap symbols;
    if (instrumented)
      symbols[interner(kProfileMarkFunction)] = {llvm::orc::ExecutorAddr::fromPtr(&profileMark),
                                                 llvm::JITSymbolFlags::Exported};
    if (checkAllocations)
      symbols[interner("malloc")] = {llvm::orc::ExecutorAddr::fromPtr(&checkedMalloc),
                                     llvm::JITSymbolFlags::Exported};
    return symbols;
  });
  // Compiled now, not at the first call: a fault while running it is then
  // the compiled code's (CompiledCodeFaults), never LLVM's code generator's.
  if (auto found = (*engine)->lookup("_mlir_ciface_" + options.entry); !found)
    return fail(errs, "JIT compilation failed: " + llvm::toString(found.takeError()));
  return std::move(*engine);
}

/// The OpenMP runtime's thread count (0: every core); the count used.
FailureOr<unsigned> setThreadCount(const RunOptions &options, llvm::raw_ostream &errs) {
  unsigned count = options.threads;
  if (count == 0)
    count = std::max(1u, std::thread::hardware_concurrency());
  if (options.threads != 1) {
    auto setThreads = reinterpret_cast<void (*)(int)>(
        llvm::sys::DynamicLibrary::SearchForAddressOfSymbol("omp_set_num_threads"));
    if (!setThreads)
      return fail(errs, "the OpenMP runtime (" PIKE_LIBOMP_PATH ") has no omp_set_num_threads");
    setThreads(int(count));
  }
  return count;
}

double median(std::vector<double> values) {
  if (values.empty())
    return 0.0;
  std::sort(values.begin(), values.end());
  size_t mid = values.size() / 2;
  return values.size() % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

/// What the instrumented calls measured: per mark id, microseconds per call.
struct Profile {
  std::map<int64_t, std::vector<double>> microseconds;
  std::vector<double> callMs;
};

/// Charges each interval between two marks to the later mark, per call.
void addProfiledCall(
    const std::vector<std::pair<int64_t, std::chrono::steady_clock::time_point>> &marks,
    double callMs, Profile &profile) {
  std::map<int64_t, double> call;
  for (size_t i = 1; i < marks.size(); ++i)
    call[marks[i].first] +=
        std::chrono::duration<double, std::micro>(marks[i].second - marks[i - 1].second).count();
  for (auto &[id, us] : call)
    profile.microseconds[id].push_back(us);
  profile.callMs.push_back(callMs);
}

/// Calls the entry point once, then `timedRepeats` more times, timed; with
/// an instrumented engine, each timed call is followed by a profiled one.
LogicalResult invoke(ExecutionEngine &engine, ExecutionEngine *instrumented,
                     std::vector<Buffer> &buffers, const RunOptions &options,
                     unsigned threadCount, std::vector<double> &callMs, Profile &profile,
                     llvm::raw_ostream &errs) {
  SmallVector<void *> args;
  for (Buffer &buffer : buffers)
    args.push_back(&buffer.descriptorPtr);
  keepFreedBuffers();
  // Guard pages need the handler too: it is what reports them.
  std::optional<CompiledCodeFaults> faultReport;
  if (options.reportFaults || options.guardBuffers)
    faultReport.emplace();
  std::string symbol = "_mlir_ciface_" + options.entry;
  auto call = [&](ExecutionEngine &which) -> LogicalResult {
    if (llvm::Error error = which.invokePacked(symbol, args))
      return fail(errs, "calling @" + options.entry + " failed: " +
                            llvm::toString(std::move(error)));
    return success();
  };
  if (failed(call(engine)))
    return failure();
  std::vector<std::pair<int64_t, std::chrono::steady_clock::time_point>> marks;
  if (instrumented) {
    // The profiled calls write the same buffers; the plain call's results,
    // written last, are the ones reported.
    if (failed(call(*instrumented)))
      return failure();
  }
  if (options.timedRepeats == 0)
    return success();
  using Clock = std::chrono::steady_clock;
  long faultsBefore = minorPageFaults();
  long profiledFaults = 0;
  for (unsigned i = 0; i < options.timedRepeats; ++i) {
    if (instrumented) {
      marks.clear();
      marks.reserve(4096);
      long before = minorPageFaults();
      profileMarks = &marks;
      Clock::time_point start = Clock::now();
      LogicalResult result = call(*instrumented);
      double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
      profileMarks = nullptr;
      profiledFaults += minorPageFaults() - before;
      if (failed(result))
        return failure();
      addProfiledCall(marks, ms, profile);
    }
    Clock::time_point start = Clock::now();
    if (failed(call(engine)))
      return failure();
    callMs.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
  }
  double total = 0.0;
  for (double ms : callMs)
    total += ms;
  long faults =
      (minorPageFaults() - faultsBefore - profiledFaults) / long(options.timedRepeats);
  errs << llvm::formatv("time: {0:F3} ms mean, {1:F3} ms best, {2:F3} ms median per call of "
                        "@{3} ({4} calls after a warm-up call, compilation excluded; "
                        "target {5}, {6} thread(s)); {7} page faults per call\n",
                        total / options.timedRepeats,
                        *std::min_element(callMs.begin(), callMs.end()), median(callMs),
                        options.entry, options.timedRepeats,
                        cpuTargetName(resolveCpuTarget(options.target)), threadCount, faults);
  return success();
}

/// The profile as JSON: per marked op its median and best microseconds per
/// call, the whole call with and without marks, and what the marks miss.
LogicalResult writeProfile(const Profile &profile, ArrayRef<InstrumentedOp> marked,
                           const std::vector<double> &callMs, const RunOptions &options,
                           unsigned threadCount, llvm::ToolOutputFile &file,
                           llvm::raw_ostream &errs) {
  auto stats = [](const std::vector<double> &values, StringRef unit) {
    return llvm::json::Object{
        {("median_" + unit).str(), median(values)},
        {("best_" + unit).str(),
         values.empty() ? 0.0 : *std::min_element(values.begin(), values.end())}};
  };
  auto of = [&](int64_t id) {
    auto found = profile.microseconds.find(id);
    return found == profile.microseconds.end() ? std::vector<double>() : found->second;
  };
  llvm::json::Array ops;
  double opSum = 0.0;
  for (const InstrumentedOp &op : marked) {
    std::vector<double> us = of(op.index);
    llvm::json::Object record = stats(us, "us");
    record["index"] = op.index;
    record["op"] = op.op;
    record["loc"] = op.loc;
    opSum += median(us);
    ops.push_back(std::move(record));
  }
  double rest = median(of(kProfileReturnMark)) + median(of(kProfileStartMark));
  llvm::json::Object root{
      {"entry", options.entry},
      {"target", cpuTargetName(resolveCpuTarget(options.target)).str()},
      {"threads", int64_t(threadCount)},
      {"calls", int64_t(options.timedRepeats)},
      {"network", stats(callMs, "ms")},
      {"instrumented", stats(profile.callMs, "ms")},
      {"ops_sum_us", opSum},
      {"rest_us", rest},
      {"ops", std::move(ops)}};
  file.os() << llvm::formatv("{0:2}", llvm::json::Value(std::move(root))) << "\n";
  file.keep();
  double network = median(callMs);
  double deviation = network > 0 ? 100.0 * (opSum / 1000.0 - network) / network : 0.0;
  // formatv has no sign flag: the sign is written so a gain and a loss read alike.
  errs << llvm::formatv("profile: {0} ops timed in place; their medians sum to {1:F3} ms, the "
                        "instrumented call takes {2:F3} ms, the network without marks {3:F3} ms "
                        "({4}{5:F1}%); written to {6}\n",
                        marked.size(), opSum / 1000.0, median(profile.callMs), network,
                        deviation < 0 ? "-" : "+", std::fabs(deviation), options.profilePath);
  return success();
}

/// Each result to its --output, or printed.
LogicalResult writeResults(const EntryPoint &entry, const std::vector<Buffer> &buffers,
                           const RunOptions &options, llvm::raw_ostream &out,
                           llvm::raw_ostream &errs) {
  for (size_t i = 0; i < entry.resultTypes.size(); ++i) {
    NpyArray array = toNpy(buffers[entry.argTypes.size() + i], entry.resultTypes[i],
                           entry.unsignedResults[i]);
    if (options.outputs.empty()) {
      printResult(array, entry.resultLabels[i], out);
      continue;
    }
    std::string error;
    if (!writeNpy(options.outputs[i], array, error))
      return fail(errs, "output #" + std::to_string(i) + ": " + error);
  }
  return success();
}

} // namespace

LogicalResult runModule(ModuleOp module, const RunOptions &options,
                        llvm::raw_ostream &out, llvm::raw_ostream &errs) {
  if (failed(verifyModel(module, errs)))
    return failure();
  if (options.optLevel > 3)
    return fail(errs, "-O" + std::to_string(options.optLevel) +
                          " is not an optimization level (0 to 3)");
  FailureOr<EntryPoint> entry = readEntryPoint(module, options, errs);
  if (failed(entry))
    return failure();
  std::vector<Buffer> buffers;
  if (failed(makeBuffers(*entry, options, buffers, errs)))
    return failure();
  std::optional<GuardedBuffers> guarded;
  std::vector<void *> guardedCopies;
  if (options.guardBuffers && failed(guardBuffers(*entry, buffers, guarded, guardedCopies, errs)))
    return failure();
  bool profiling = !options.profilePath.empty();
  if (profiling && options.timedRepeats == 0)
    return fail(errs, "--profile needs --repeat N: the number of calls to time");
  if (options.profilePath == "-" && options.outputs.empty())
    return fail(errs, "--profile=- needs --output: the results would be printed to stdout too");
  // Opened before compiling, so that a path that cannot be written fails
  // before the work.
  std::unique_ptr<llvm::ToolOutputFile> profileFile;
  if (profiling) {
    std::string error;
    profileFile = openOutputFile(options.profilePath, &error);
    if (!profileFile)
      return fail(errs, "--profile: " + error);
  }
  OwningOpRef<ModuleOp> instrumentedModule;
  SmallVector<InstrumentedOp> marked;
  if (profiling) {
    instrumentedModule = module.clone();
    FailureOr<SmallVector<InstrumentedOp>> ops = instrumentLayers(*instrumentedModule);
    if (failed(ops))
      return fail(errs, "--profile: the model cannot be instrumented (see above)");
    marked = std::move(*ops);
    if (marked.empty())
      return fail(errs, "--profile: no op of @" + shownName(options.entry) +
                            " has an ACEv2 cost to time it by (are the cost models "
                            "registered? registerPikeDependencies)");
  }
  FailureOr<std::unique_ptr<ExecutionEngine>> engine =
      compile(module, *entry, options, out, errs);
  if (failed(engine))
    return failure();
  FailureOr<std::unique_ptr<ExecutionEngine>> instrumented;
  if (profiling) {
    RunOptions quiet = options;
    quiet.printLLVM = false;
    quiet.objectPath.clear();
    instrumented = compile(*instrumentedModule, *entry, quiet, out, errs, /*instrumented=*/true);
    if (failed(instrumented))
      return failure();
  }
  FailureOr<unsigned> threads = setThreadCount(options, errs);
  std::vector<double> callMs;
  Profile profile;
  if (failed(threads) ||
      failed(invoke(**engine, profiling ? instrumented->get() : nullptr, buffers, options,
                    *threads, callMs, profile, errs)))
    return failure();
  if (profiling &&
      failed(writeProfile(profile, marked, callMs, options, *threads, *profileFile, errs)))
    return failure();
  for (size_t i = entry->argTypes.size(); i < guardedCopies.size(); ++i)
    std::memcpy(buffers[i].data.data(), guardedCopies[i], buffers[i].data.size());
  return writeResults(*entry, buffers, options, out, errs);
}

} // namespace mlir::pike
