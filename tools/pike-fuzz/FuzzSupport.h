//===- FuzzSupport.h - What Pike's MLIR fuzz targets share ------*- C++ -*-===//

#ifndef PIKE_TOOLS_PIKE_FUZZ_FUZZSUPPORT_H
#define PIKE_TOOLS_PIKE_FUZZ_FUZZSUPPORT_H

#include "pike/InitPike.h"
#include "pike/Tools/NestingLimit.h"
#include "pike/Tools/ParserDefects.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <string>

/// One context for the whole run: every dialect Pike uses, diagnostics
/// swallowed (they are expected), one thread.
inline mlir::MLIRContext &fuzzContext() {
  static mlir::MLIRContext *instance = [] {
    mlir::DialectRegistry registry;
    mlir::pike::registerPikeDialect(registry);
    mlir::pike::registerPikeDependencies(registry);
    auto *ctx = new mlir::MLIRContext(registry);
    ctx->loadAllAvailableDialects();
    ctx->disableMultithreading();
    ctx->printOpOnDiagnostic(false);
    ctx->getDiagEngine().registerHandler(
        [](mlir::Diagnostic &) { return mlir::success(); });
    return ctx;
  }();
  return *instance;
}

/// Inputs that crash upstream MLIR 22 itself (documented in
/// docs/Robustness.md): skipped so that they do not mask Pike's own bugs.
inline bool hitsKnownUpstreamCrash(llvm::StringRef text) {
  // What the tools refuse before parsing, the same way.
  if (mlir::pike::findExcessNesting(text) || mlir::pike::findParserDefect(text))
    return true;
  // A `{-#` file-metadata section without its closing `#-}`: the lexer
  // reads past the end of the buffer (an ASan SEGV in Lexer::lexToken).
  size_t metadata = text.find("{-#");
  return metadata != llvm::StringRef::npos &&
         !text.substr(metadata).contains("#-}");
}

/// The module libFuzzer's bytes spell, or null (unparsable, or a known
/// upstream crash). MLIR's lexer reads up to a terminating NUL, which
/// libFuzzer's buffer does not have: a copy is parsed.
inline mlir::OwningOpRef<mlir::ModuleOp> parseFuzzInput(const uint8_t *data, size_t size) {
  std::string copy(reinterpret_cast<const char *>(data), size);
  llvm::StringRef text(copy.c_str(), copy.size());
  if (hitsKnownUpstreamCrash(text))
    return nullptr;
  mlir::ParserConfig config(&fuzzContext());
  return mlir::parseSourceString<mlir::ModuleOp>(text, config);
}

#endif // PIKE_TOOLS_PIKE_FUZZ_FUZZSUPPORT_H
