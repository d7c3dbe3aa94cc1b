//===- ParserDefects.h - Input that MLIR 22's parser crashes on -*- C++ -*-===//
//
// A few malformed spellings make MLIR 22's parser dereference a null
// attribute or abort instead of reporting an error (mlir-opt crashes too;
// docs/Robustness.md lists them). Pike's tools look for them before parsing
// and refuse them with a located error, as they do excess nesting.
//
//===----------------------------------------------------------------------===//

#ifndef PIKE_TOOLS_PARSERDEFECTS_H
#define PIKE_TOOLS_PARSERDEFECTS_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cstddef>
#include <optional>
#include <string>

namespace mlir::pike {

/// Where the first such spelling starts (1-based line and column) and why
/// it is refused.
struct ParserDefect {
  size_t line, column;
  std::string message;
};

/// The first spelling in `text` that MLIR 22's parser would crash on,
/// outside string literals and `//` comments:
///  - a dense array of `index` elements (`array<index: ...>`);
///  - `permutation =` or `dimensions =` of a custom-form `linalg.transpose`,
///    `linalg.broadcast` or `linalg.reduce` not followed by a well-formed
///    list of 64-bit integers;
///  - a resource blob in the `{-# ... #-}` metadata whose alignment header
///    is 0 and which has data.
std::optional<ParserDefect> findParserDefect(llvm::StringRef text);

/// Reports, as a located error on stderr, the excess nesting or the parser
/// defect `file` holds (the nesting first); true if it holds either.
bool reportUnparsableInput(const llvm::MemoryBuffer &file);

} // namespace mlir::pike

#endif // PIKE_TOOLS_PARSERDEFECTS_H
