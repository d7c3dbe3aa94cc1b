//===- CommandLine.h - What Pike's tools share on the command line -*- C++ -*-===//
//
// `--help` that leads with Pike's own options and `--version` that names Pike
// (docs/Guide.md "Command-line conventions").
//
//===----------------------------------------------------------------------===//

#ifndef PIKE_TOOLS_COMMANDLINE_H
#define PIKE_TOOLS_COMMANDLINE_H

#include "pike/Version.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/raw_ostream.h"

namespace mlir::pike {

/// Hides every option registered so far except help, version and those in
/// `keep`: called first thing in main, it hides the backend flags that libLLVM
/// registers at load time (AMDGPU, Polly, ...), which stay usable and appear
/// under --help-hidden. Options the tool registers afterwards stay visible.
inline void hideLLVMOptions(const llvm::cl::OptionCategory *keep = nullptr) {
  for (auto &[name, option] : llvm::cl::getRegisteredOptions()) {
    if (name.starts_with("help") || name == "version")
      continue;
    if (keep && llvm::is_contained(option->Categories, keep))
      continue;
    if (option->getOptionHiddenFlag() == llvm::cl::NotHidden)
      option->setHiddenFlag(llvm::cl::Hidden);
  }
}

/// Makes --version name the tool, Pike's version and the LLVM/MLIR it was
/// built with.
inline void registerPikeVersion(llvm::StringRef tool) {
  static std::string name = tool.str();
  llvm::cl::SetVersionPrinter([](llvm::raw_ostream &os) {
    os << name << " (Pike) " << PIKE_VERSION << "\n  built with LLVM/MLIR "
       << PIKE_LLVM_VERSION << "\n";
  });
}

} // namespace mlir::pike

#endif // PIKE_TOOLS_COMMANDLINE_H
