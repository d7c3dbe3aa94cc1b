//===- CLibrary.cpp - Header, wrapper and manifest of an AOT library ------===//

#include "pike/Aot/CLibrary.h"

#include "pike/Version.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Interfaces/FunctionInterfaces.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdio>
#include <set>

using namespace mlir;
using namespace mlir::pike;

namespace {

constexpr int64_t kMaxElements = int64_t(1) << 62;

/// One argument or result as C and NumPy see it.
struct CTensor {
  std::string name; // from the model: only ever a string literal or JSON
  std::string cType, dtype, element;
  SmallVector<int64_t> shape;
  int64_t elements = 1;
};

/// One public function of the library.
struct CFunction {
  std::string sourceName; // from the model
  std::string mlirSymbol, symbol;
  std::vector<CTensor> inputs, outputs;
  int64_t workspaceBytes = 0;
};

struct CLibrary {
  std::string prefix;
  std::vector<CFunction> functions;
};

bool isCIdentifier(StringRef name) {
  return !name.empty() && !llvm::isDigit(name.front()) &&
         llvm::all_of(name, [](char c) { return llvm::isAlnum(c) || c == '_'; });
}

/// The C and NumPy types of `element`, or failure.
LogicalResult cTypeOf(Type element, bool isUnsigned, CTensor &t) {
  if (element.isF32())
    t.cType = "float", t.dtype = "float32", t.element = "f32";
  else if (element.isF64())
    t.cType = "double", t.dtype = "float64", t.element = "f64";
  else if (element.isF16())
    t.cType = "uint16_t", t.dtype = "float16", t.element = "f16";
  else if (element.isBF16()) // NumPy has no bfloat16: its bits
    t.cType = "uint16_t", t.dtype = "uint16", t.element = "bf16";
  else if (element.isInteger(1))
    t.cType = "uint8_t", t.dtype = "bool", t.element = "i1";
  else if (auto integer = dyn_cast<IntegerType>(element)) {
    unsigned bits = integer.getWidth();
    // Narrower integers are stored one a byte, as pike-run writes them.
    unsigned stored = bits <= 8 ? 8 : bits;
    if (stored != 8 && stored != 16 && stored != 32 && stored != 64)
      return failure();
    t.element = "i" + std::to_string(bits);
    t.cType = (isUnsigned ? "uint" : "int") + std::to_string(stored) + "_t";
    t.dtype = (isUnsigned ? "uint" : "int") + std::to_string(stored);
  } else {
    return failure();
  }
  return success();
}

FailureOr<CTensor> readTensor(Operation *fn, Attribute entry, StringRef what) {
  auto dict = dyn_cast<DictionaryAttr>(entry);
  auto name = dict ? dict.getAs<StringAttr>("name") : StringAttr();
  auto type = dict ? dict.getAs<TypeAttr>("type") : TypeAttr();
  auto tensor = type ? dyn_cast<RankedTensorType>(type.getValue()) : RankedTensorType();
  if (!name || !tensor)
    return emitError(fn->getLoc()) << "pike.c_interface: " << what
                           << " needs a name and a ranked tensor type";
  CTensor t;
  t.name = name.str();
  bool isUnsigned = dict.get("unsigned") != nullptr || tensor.getElementType().isUnsignedInteger();
  if (failed(cTypeOf(tensor.getElementType(), isUnsigned, t)))
    return emitError(fn->getLoc()) << what << " has element type " << tensor.getElementType()
                           << ", which has no C type here";
  if (!tensor.hasStaticShape())
    return emitError(fn->getLoc()) << what << " has a dynamic shape; compile a static one "
                           << "(e.g. pike import --batch N)";
  // The strides are products of the dimensions: every product of them,
  // not only the element count (0 for an empty tensor), stays below 2^62.
  int64_t span = 1;
  for (int64_t d : tensor.getShape()) {
    int64_t nonzero = std::max<int64_t>(d, 1);
    if (span > kMaxElements / nonzero)
      return emitError(fn->getLoc()) << what << " has more than 2^62 elements";
    span *= nonzero;
    t.elements *= d;
    t.shape.push_back(d);
  }
  return t;
}

/// The library the module describes, or failure (located).
FailureOr<CLibrary> readLibrary(ModuleOp module, CLibraryOptions &options) {
  CLibrary library;
  // The CPU check is the lowering's: a module says what it was built for.
  if (auto recorded = module->getAttrOfType<StringAttr>("pike.target")) {
    std::optional<CpuTarget> built = parseCpuTarget(recorded.strref());
    if (!built || *built == CpuTarget::host)
      return emitError(module.getLoc()) << "pike.target is not a target";
    if (options.target != CpuTarget::host && options.target != *built)
      return emitError(module.getLoc())
             << "the module was lowered for " << recorded.strref() << ", not "
             << cpuTargetName(options.target);
    options.target = *built;
  }
  options.target = resolveCpuTarget(options.target);
  auto prefix = module->getAttrOfType<StringAttr>("pike.c_prefix");
  if (!prefix)
    return emitError(module.getLoc()) << "no pike.c_prefix: run pike-name-entry-points before "
                                 "lowering the module";
  library.prefix = prefix.str();
  if (!isCIdentifier(library.prefix))
    return emitError(module.getLoc()) << "pike.c_prefix is not a C identifier";
  for (auto fn : module.getOps<FunctionOpInterface>()) {
    // MLIR's C-interface wrappers (_mlir_ciface_*) copy the attributes of the
    // function they wrap; the C wrapper calls them by that function's name.
    if (!fn.isPublic() || fn.getName().starts_with("_mlir_ciface_"))
      continue;
    auto interface = fn->getAttrOfType<DictionaryAttr>("pike.c_interface");
    if (!interface)
      return emitError(fn.getLoc()) << "public function without pike.c_interface: run "
                               "pike-name-entry-points before lowering the module";
    CFunction f;
    f.mlirSymbol = fn.getName().str();
    auto symbol = interface.getAs<StringAttr>("symbol");
    auto inputs = interface.getAs<ArrayAttr>("inputs");
    auto outputs = interface.getAs<ArrayAttr>("outputs");
    if (!symbol || !inputs || !outputs)
      return emitError(fn.getLoc()) << "pike.c_interface: needs symbol, inputs and outputs";
    f.symbol = symbol.str();
    // pike-name-entry-points named the function <prefix>__<id> and its
    // entry point <prefix>_<id>; both become C source.
    StringRef id = StringRef(f.symbol).drop_front(library.prefix.size() + 1);
    if (!StringRef(f.symbol).starts_with(library.prefix + "_") || !isCIdentifier(f.symbol) ||
        f.mlirSymbol != library.prefix + "__" + id.str())
      return emitError(fn.getLoc()) << "pike.c_interface: the entry point does not match the "
                               "function's name";
    auto source = fn->getAttrOfType<StringAttr>("pike.source_name");
    f.sourceName = source ? source.str() : f.mlirSymbol;
    for (auto [i, entry] : llvm::enumerate(inputs)) {
      FailureOr<CTensor> t = readTensor(fn, entry, "input " + std::to_string(i));
      if (failed(t))
        return failure();
      f.inputs.push_back(*t);
    }
    for (auto [i, entry] : llvm::enumerate(outputs)) {
      FailureOr<CTensor> t = readTensor(fn, entry, "output " + std::to_string(i));
      if (failed(t))
        return failure();
      f.outputs.push_back(*t);
    }
    // The wrapper's workspace check rests on this size: exactly an i64 from
    // pike-plan-workspace, never a value read loosely.
    if (Attribute bytes = fn->getAttr("pike.workspace_bytes")) {
      auto integer = dyn_cast<IntegerAttr>(bytes);
      if (!integer || !integer.getType().isSignlessInteger(64) || integer.getInt() < 0)
        return emitError(fn.getLoc())
               << "pike.workspace_bytes must be a non-negative i64 (pike-plan-workspace)";
      f.workspaceBytes = integer.getInt();
    }
    // The C wrapper calls MLIR's C interface of the function: one memref
    // pointer per input and output, then the workspace's and its offset.
    size_t expected = f.inputs.size() + f.outputs.size() + (f.workspaceBytes ? 2 : 0);
    auto ciface = module.lookupSymbol<LLVM::LLVMFuncOp>("_mlir_ciface_" + f.mlirSymbol);
    if (!ciface || ciface.getNumArguments() != expected ||
        !isa<LLVM::LLVMVoidType>(ciface.getFunctionType().getReturnType()))
      return emitError(fn.getLoc())
             << "no _mlir_ciface_ function of " << expected
             << " arguments matches pike.c_interface: lower the module with "
                "pike-cpu-pipeline{workspace=true} after pike-name-entry-points";
    library.functions.push_back(std::move(f));
  }
  if (library.functions.empty())
    return emitError(module.getLoc()) << "the module has no public function to compile";
  return library;
}

std::string shapeText(ArrayRef<int64_t> shape, StringRef open = "[", StringRef close = "]") {
  SmallVector<std::string> dims;
  for (int64_t d : shape)
    dims.push_back(std::to_string(d));
  return (open + llvm::join(dims, ", ") + close).str();
}

SmallVector<int64_t> stridesOf(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides(shape.size());
  int64_t step = 1;
  for (int64_t i = int64_t(shape.size()) - 1; i >= 0; --i) {
    strides[i] = step;
    step *= shape[i];
  }
  return strides;
}

std::string parameters(const CFunction &f) {
  SmallVector<std::string> params;
  for (auto [i, t] : llvm::enumerate(f.inputs))
    params.push_back("const " + t.cType + " *in" + std::to_string(i));
  for (auto [i, t] : llvm::enumerate(f.outputs))
    params.push_back(t.cType + " *out" + std::to_string(i));
  params.push_back("void *workspace");
  params.push_back("size_t workspace_bytes");
  return llvm::join(params, ", ");
}

/// __builtin_cpu_supports names the library checks before each call: the
/// micro-architecture level past the baseline, then the extra features.
SmallVector<std::string> cpuChecks(const CLibraryOptions &options) {
  const CpuTargetInfo &target = cpuTargetInfo(options.target);
  SmallVector<std::string> checks;
  if (!target.isAArch64() && target.cpuLevel != "x86-64")
    checks.push_back(target.cpuLevel.str());
  for (llvm::StringRef feature : target.extraFeatures)
    checks.push_back(feature.str());
  checks.append(options.extraCpuChecks.begin(), options.extraCpuChecks.end());
  return checks;
}

/// Options that become C source text are checked first.
LogicalResult checkOptions(ModuleOp module, const CLibraryOptions &options) {
  for (const std::string &check : options.extraCpuChecks)
    if (check.empty() || !llvm::all_of(check, [](char c) {
          return llvm::isDigit(c) || llvm::isLower(c) || c == '-' || c == '.';
        }))
      return emitError(module.getLoc())
             << "CPU check '" << check << "': use lower-case letters, digits, '-' and '.'";
  StringRef header = options.headerName;
  if (!header.empty() && (header.front() == '.' || !llvm::all_of(header, [](char c) {
                            return llvm::isAlnum(c) || StringRef("_.+-").contains(c);
                          })))
    return emitError(module.getLoc())
           << "header name '" << header << "': use letters, digits and _ . + - only";
  return success();
}

std::string headerNameOf(const CLibrary &library, const CLibraryOptions &options) {
  return options.headerName.empty() ? library.prefix + ".h" : options.headerName;
}

void writeHeader(const CLibrary &library, const CLibraryOptions &options,
                 llvm::raw_ostream &os) {
  const std::string &prefix = library.prefix;
  std::string guard = "PIKE_" + StringRef(prefix).upper() + "_H";
  // Comments hold only Pike's own words; a model's names are string literals.
  os << "/* " << prefix << ": generated by `pike compile`\n"
     << " * (pike " << PIKE_VERSION << "; target " << cpuTargetInfo(options.target).name
     << (options.parallel ? ", OpenMP threads" : ", one thread") << ").\n"
     << " * Tensors are dense, row-major, in each function's own dimension order\n"
     << " * (an imported ONNX model keeps its NCHW interface). A call allocates\n"
     << " * nothing: it works in the caller's workspace (64-byte aligned, at least\n"
     << " * the function's _WORKSPACE_BYTES, one per concurrent call), so calls on\n"
     << " * different buffers may run in parallel. */\n"
     << "#ifndef " << guard << "\n#define " << guard << "\n\n"
     << "#include <stddef.h>\n#include <stdint.h>\n\n"
     << "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n"
     << "#ifndef PIKE_ERROR_CPU\n"
     << "#define PIKE_ERROR_CPU " << kErrorCpu
     << "       /* the CPU lacks the library's instructions */\n"
     << "#define PIKE_ERROR_WORKSPACE " << kErrorWorkspace
     << " /* workspace NULL, not 64-byte aligned, or smaller than _WORKSPACE_BYTES */\n"
     << "#define PIKE_ERROR_NULL " << kErrorNull
     << "      /* an input or output pointer is NULL */\n"
     << "#endif\n\n"
     << "/* NULL if this CPU runs the library, else a message saying what is missing. */\n"
     << "const char *" << prefix << "_check_cpu(void);\n\n";
  for (const CFunction &f : library.functions) {
    std::string base =
        StringRef(prefix).upper() + "_" + StringRef(f.symbol).drop_front(prefix.size() + 1).upper();
    std::string macro = base + "_WORKSPACE_BYTES";
    // _FUNCTION_NAME, not _NAME: function `a_in0`'s would be `a`'s input 0's.
    os << "#define " << base << "_FUNCTION_NAME " << cStringLiteral(f.sourceName) << "\n"
       << "#define " << macro << " " << f.workspaceBytes << "\n";
    for (auto [kind, items] : {std::pair<StringRef, ArrayRef<CTensor>>{"IN", f.inputs},
                               std::pair<StringRef, ArrayRef<CTensor>>{"OUT", f.outputs}})
      for (auto [i, t] : llvm::enumerate(items)) {
        os << "#define " << base << "_" << kind << i << "_ELEMENTS " << t.elements << "\n";
        os << "#define " << base << "_" << kind << i << "_NAME " << cStringLiteral(t.name)
           << "\n";
      }
    os << "/* " << f.symbol << ":\n";
    for (auto [kind, items] : {std::pair<StringRef, ArrayRef<CTensor>>{"input", f.inputs},
                               std::pair<StringRef, ArrayRef<CTensor>>{"output", f.outputs}})
      for (auto [i, t] : llvm::enumerate(items))
        os << " *   " << kind << " " << i << ": "
           << (t.element == "bf16" ? "bfloat16 (its bits)" : t.dtype) << " " << shapeText(t.shape)
           << "\n";
    os << " *   workspace: " << macro << " bytes\n"
       << " * Returns 0, PIKE_ERROR_CPU, PIKE_ERROR_NULL or PIKE_ERROR_WORKSPACE. */\n"
       << "int " << f.symbol << "(" << parameters(f) << ");\n\n";
  }
  os << "#ifdef __cplusplus\n}\n#endif\n\n#endif /* " << guard << " */\n";
}

void writeWrapper(const CLibrary &library, const CLibraryOptions &options,
                  llvm::raw_ostream &os) {
  const std::string &prefix = library.prefix;
  // The wrapper's own names: <prefix>___*. Entry points are <prefix>_<id>
  // and the model's functions <prefix>__<id>, where <id> never starts with
  // `_` (pike-name-entry-points), so no model name can be spelled like them.
  std::string own = prefix + "___";
  std::set<size_t> ranks = {1};
  for (const CFunction &f : library.functions) {
    for (const CTensor &t : f.inputs)
      ranks.insert(t.shape.size());
    for (const CTensor &t : f.outputs)
      ranks.insert(t.shape.size());
  }
  os << "#include " << cStringLiteral(headerNameOf(library, options)) << "\n"
     << "#include <stdint.h>\n\n";
  // The memref descriptors of MLIR's C interface (_mlir_ciface_*).
  for (size_t r : ranks) {
    os << "typedef struct { void *allocated; void *aligned; int64_t offset;";
    if (r)
      os << " int64_t sizes[" << r << "]; int64_t strides[" << r << "];";
    os << " } " << own << "memref" << r << ";\n";
  }
  SmallVector<std::string> checks = cpuChecks(options);
  SmallVector<std::string> conditions;
  bool aarch64 = cpuTargetInfo(options.target).isAArch64();
  for (const std::string &check : checks) {
    if (!aarch64) {
      conditions.push_back("__builtin_cpu_supports(\"" + check + "\")");
      continue;
    }
    // AArch64 Linux reports features in the auxiliary vector (asm/hwcap.h).
    if (check == "neon")
      conditions.push_back("(getauxval(AT_HWCAP) & (1UL << 1))");
    else if (check == "dotprod")
      conditions.push_back("(getauxval(AT_HWCAP) & (1UL << 20))");
    else if (check == "i8mm")
      conditions.push_back("(getauxval(AT_HWCAP2) & (1UL << 13))");
    else
      conditions.push_back("0 /* no check for " + check + " */");
  }
  if (aarch64)
    os << "#include <sys/auxv.h>\n";
  os << "\nstatic int " << own << "cpu_supported(void) {\n"
     << (aarch64 || conditions.empty() ? "" : "  __builtin_cpu_init();\n") << "  return "
     << (conditions.empty() ? std::string("1") : llvm::join(conditions, " && ")) << ";\n}\n\n"
     << "const char *" << prefix << "_check_cpu(void) {\n"
     << "  return " << own << "cpu_supported() ? 0 : \"" << prefix << ": this CPU lacks "
     << llvm::join(checks, ", ") << ", which the library was built for\";\n}\n\n";
  for (const CFunction &f : library.functions) {
    SmallVector<const CTensor *> tensors;
    SmallVector<std::string> vars;
    for (auto [i, t] : llvm::enumerate(f.inputs)) {
      tensors.push_back(&t);
      vars.push_back("in" + std::to_string(i));
    }
    for (auto [i, t] : llvm::enumerate(f.outputs)) {
      tensors.push_back(&t);
      vars.push_back("out" + std::to_string(i));
    }
    SmallVector<std::string> params;
    for (const CTensor *t : tensors)
      params.push_back(own + "memref" + std::to_string(t->shape.size()) + " *");
    if (f.workspaceBytes) {
      params.push_back(own + "memref1 *");
      params.push_back("int64_t");
    }
    os << "extern void _mlir_ciface_" << f.mlirSymbol << "("
       << (params.empty() ? std::string("void") : llvm::join(params, ", ")) << ");\n"
       << "int " << f.symbol << "(" << parameters(f) << ") {\n"
       << "  if (!" << own << "cpu_supported()) return PIKE_ERROR_CPU;\n";
    if (!vars.empty()) {
      SmallVector<std::string> nulls;
      for (const std::string &v : vars)
        nulls.push_back("!" + v);
      os << "  if (" << llvm::join(nulls, " || ") << ") return PIKE_ERROR_NULL;\n";
    }
    if (f.workspaceBytes)
      os << "  if (!workspace || workspace_bytes < " << f.workspaceBytes
         << "u || ((uintptr_t)workspace & " << kWorkspaceAlignment - 1
         << "u)) return PIKE_ERROR_WORKSPACE;\n";
    else
      os << "  (void)workspace; (void)workspace_bytes;\n";
    SmallVector<std::string> args;
    for (auto [i, t] : llvm::enumerate(tensors)) {
      os << "  " << own << "memref" << t->shape.size() << " m" << i << " = {(void *)" << vars[i]
         << ", (void *)" << vars[i] << ", 0";
      if (!t->shape.empty())
        os << ", " << shapeText(t->shape, "{", "}") << ", "
           << shapeText(stridesOf(t->shape), "{", "}");
      os << "};\n";
      args.push_back("&m" + std::to_string(i));
    }
    if (f.workspaceBytes) {
      os << "  " << own << "memref1 ws = {workspace, workspace, 0, {" << f.workspaceBytes
         << "}, {1}};\n";
      args.push_back("&ws");
      args.push_back("0");
    }
    os << "  _mlir_ciface_" << f.mlirSymbol << "(" << llvm::join(args, ", ") << ");\n"
       << "  return 0;\n}\n\n";
  }
}

llvm::json::Value tensorJson(const CTensor &t) {
  llvm::json::Array shape;
  for (int64_t d : t.shape)
    shape.push_back(d);
  // JSON text is UTF-8: a name that is not has its bad bytes as U+FFFD.
  return llvm::json::Object{{"name", llvm::json::fixUTF8(t.name)},
                            {"dtype", t.dtype},
                            {"c_type", t.cType},
                            {"shape", std::move(shape)},
                            {"element", t.element}};
}

void writeManifest(const CLibrary &library, const CLibraryOptions &options,
                   llvm::raw_ostream &os) {
  llvm::json::Array functions;
  for (const CFunction &f : library.functions) {
    llvm::json::Array inputs, outputs;
    for (const CTensor &t : f.inputs)
      inputs.push_back(tensorJson(t));
    for (const CTensor &t : f.outputs)
      outputs.push_back(tensorJson(t));
    functions.push_back(llvm::json::Object{{"name", llvm::json::fixUTF8(f.sourceName)},
                                           {"mlir_symbol", f.mlirSymbol},
                                           {"symbol", f.symbol},
                                           {"inputs", std::move(inputs)},
                                           {"outputs", std::move(outputs)},
                                           {"workspace_bytes", f.workspaceBytes}});
  }
  llvm::json::Array checks;
  llvm::json::Array runtime{"libc", "libm"};
  for (const std::string &check : cpuChecks(options))
    checks.push_back(check);
  if (options.parallel)
    runtime.push_back("libomp");
  llvm::json::Object manifest{
      {"library", llvm::json::fixUTF8(options.library)},
      {"header", llvm::json::fixUTF8(headerNameOf(library, options))},
      {"emit", llvm::json::fixUTF8(options.emit)},
      {"prefix", library.prefix},
      {"target", cpuTargetInfo(options.target).name},
      {"parallel", options.parallel},
      {"cpu_checks", std::move(checks)},
      {"pike_version", PIKE_VERSION},
      {"source", llvm::json::fixUTF8(options.source)},
      {"alignment", kWorkspaceAlignment},
      {"functions", std::move(functions)},
      {"runtime", std::move(runtime)}};
  os << llvm::formatv("{0:2}", llvm::json::Value(std::move(manifest))) << "\n";
}

} // namespace

std::string mlir::pike::cStringLiteral(StringRef bytes) {
  std::string out = "\"";
  for (unsigned char byte : bytes) {
    if (byte >= 0x20 && byte < 0x7f && byte != '"' && byte != '\\' && byte != '?')
      out += char(byte);
    else {
      char escaped[5];
      std::snprintf(escaped, sizeof escaped, "\\%03o", unsigned(byte));
      out += escaped;
    }
  }
  return out + "\"";
}

/// Reads the library from `module`, checks `options`, then writes with `write`.
static LogicalResult emitWith(ModuleOp module, const CLibraryOptions &options,
                              llvm::raw_ostream &os,
                              void (*write)(const CLibrary &, const CLibraryOptions &,
                                            llvm::raw_ostream &)) {
  CLibraryOptions resolved = options;
  FailureOr<CLibrary> library = readLibrary(module, resolved);
  if (failed(library) || failed(checkOptions(module, resolved)))
    return failure();
  write(*library, resolved, os);
  return success();
}

LogicalResult mlir::pike::emitCHeader(ModuleOp module, const CLibraryOptions &options,
                                      llvm::raw_ostream &os) {
  return emitWith(module, options, os, writeHeader);
}

LogicalResult mlir::pike::emitCWrapper(ModuleOp module, const CLibraryOptions &options,
                                       llvm::raw_ostream &os) {
  return emitWith(module, options, os, writeWrapper);
}

LogicalResult mlir::pike::emitLibraryManifest(ModuleOp module, const CLibraryOptions &options,
                                              llvm::raw_ostream &os) {
  return emitWith(module, options, os, writeManifest);
}
