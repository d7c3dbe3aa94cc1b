//===- NestingLimit.h - Refuse input nested deeper than MLIR can parse -*- C++ -*-===//
//
// MLIR's parser recurses once per nested bracket and has no depth limit, so a
// few thousand `[` exhaust its stack (mlir-opt crashes too). Pike's tools
// measure the nesting first and refuse such input with a located error.
//
//===----------------------------------------------------------------------===//

#ifndef PIKE_TOOLS_NESTINGLIMIT_H
#define PIKE_TOOLS_NESTINGLIMIT_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cstddef>
#include <optional>

namespace mlir::pike {

/// Far deeper than any model nests its types, attributes and regions.
constexpr size_t kMaxNesting = 512;

/// Where `text` first nests brackets (`[{(<`) deeper than `limit`, outside
/// string literals and `//` comments: the 1-based line and column.
struct NestingPosition {
  size_t line, column;
};

inline std::optional<NestingPosition> findExcessNesting(llvm::StringRef text,
                                                        size_t limit = kMaxNesting) {
  size_t depth = 0, line = 1, column = 0;
  bool inString = false, inComment = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    ++column;
    if (c == '\n') {
      ++line;
      column = 0;
      inComment = false;
      continue;
    }
    if (inComment)
      continue;
    if (inString) {
      if (c == '\\')
        ++i, ++column;
      else if (c == '"')
        inString = false;
      continue;
    }
    if (c == '"') {
      inString = true;
    } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '/') {
      inComment = true;
    } else if (c == '[' || c == '{' || c == '(' || c == '<') {
      if (++depth > limit)
        return NestingPosition{line, column};
    } else if ((c == ']' || c == '}' || c == ')' || c == '>') && depth > 0) {
      --depth;
    }
  }
  return std::nullopt;
}

/// Reports `file`'s excess nesting as a located error; true if it has some.
inline bool reportExcessNesting(const llvm::MemoryBuffer &file) {
  std::optional<NestingPosition> at = findExcessNesting(file.getBuffer());
  if (!at)
    return false;
  llvm::errs() << file.getBufferIdentifier() << ":" << at->line << ":" << at->column
               << ": error: brackets nest deeper than " << kMaxNesting
               << " levels, more than MLIR's parser can take\n";
  return true;
}

} // namespace mlir::pike

#endif // PIKE_TOOLS_NESTINGLIMIT_H
