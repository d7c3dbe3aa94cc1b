//===- CLibrary.h - The C interface of an ahead-of-time library -*- C++ -*-===//
//
// An ahead-of-time library is the lowered module (LLVM dialect, compiled by
// LLVM) plus a C wrapper per public function, a C header declaring them and a
// JSON manifest. All three are emitted here from the lowered module: its
// public functions carry `pike.c_interface` (from pike-name-entry-points: the
// entry point, the tensors' names, types and signedness) and
// `pike.workspace_bytes` (from pike-plan-workspace). A model's names reach C
// only as string literals made by cStringLiteral and JSON only through
// llvm::json, so escaping lives here alone (docs/Security.md).
//
//===----------------------------------------------------------------------===//

#ifndef PIKE_AOT_CLIBRARY_H
#define PIKE_AOT_CLIBRARY_H

#include "pike/Target/CpuTarget.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LLVM.h"

#include <string>
#include <vector>

namespace mlir::pike {

/// What the build adds to the module's own account of its library.
struct CLibraryOptions {
  /// The instruction set the kernels were lowered for: the module's
  /// `pike.target` when it has one (another one is an error), else this
  /// (`host`: this CPU's).
  CpuTarget target = CpuTarget::host;
  /// Whether the kernels run OpenMP parallel loops (the library needs libomp).
  bool parallel = false;
  /// CPU features checked at each call besides the target's
  /// (__builtin_cpu_supports names: lower-case letters, digits, `-`, `.`).
  std::vector<std::string> extraCpuChecks;
  /// The header the wrapper includes (letters, digits, `_ . + -`);
  /// `<prefix>.h` when empty.
  std::string headerName;
  /// For the manifest: the library's file name, `shared` or `object`, and
  /// the model it was built from.
  std::string library;
  std::string emit = "shared";
  std::string source;
};

/// The workspace alignment every entry point checks.
constexpr int64_t kWorkspaceAlignment = 64;

/// The status codes the entry points return besides 0.
enum CLibraryStatus { kErrorCpu = 1, kErrorWorkspace = 2, kErrorNull = 3 };

LogicalResult emitCHeader(ModuleOp module, const CLibraryOptions &options,
                          llvm::raw_ostream &os);
LogicalResult emitCWrapper(ModuleOp module, const CLibraryOptions &options,
                           llvm::raw_ostream &os);
LogicalResult emitLibraryManifest(ModuleOp module, const CLibraryOptions &options,
                                  llvm::raw_ostream &os);

/// A C string literal holding exactly `bytes`: printable ASCII stays, except
/// `"`, `\` and `?` (trigraphs); every other byte is a three-digit octal
/// escape, which no following digit extends.
std::string cStringLiteral(StringRef bytes);

/// Registers the translations `--pike-c-header`, `--pike-c-wrapper` and
/// `--pike-library-manifest` (pike-translate), with their options.
void registerPikeCLibraryTranslations();

} // namespace mlir::pike

#endif // PIKE_AOT_CLIBRARY_H
