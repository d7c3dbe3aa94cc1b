//===- UpstreamCrashes.h - Inputs that crash upstream MLIR 22 ---*- C++ -*-===//
//
// Inputs that crash upstream MLIR 22 itself (documented in
// docs/Robustness.md): the fuzz targets skip them so that they do not mask
// Pike's own bugs.
//
//===----------------------------------------------------------------------===//

#ifndef PIKE_TOOLS_PIKE_FUZZ_UPSTREAMCRASHES_H
#define PIKE_TOOLS_PIKE_FUZZ_UPSTREAMCRASHES_H

#include "llvm/ADT/StringRef.h"

inline bool hitsKnownUpstreamCrash(llvm::StringRef text) {
  static const char *const kUpstreamCrashes[] = {
      "array<index", // DenseArrayAttr of index elements: parser segfault
      "\"0x00000000", // a resource blob of alignment 0: "LLVM ERROR: out of memory"
  };
  for (const char *pattern : kUpstreamCrashes)
    if (text.contains(pattern))
      return true;
  // A `{-#` file-metadata section without its closing `#-}`: the lexer
  // reads past the end of the buffer (an ASan SEGV in Lexer::lexToken).
  size_t metadata = text.find("{-#");
  return metadata != llvm::StringRef::npos &&
         !text.substr(metadata).contains("#-}");
}

#endif // PIKE_TOOLS_PIKE_FUZZ_UPSTREAMCRASHES_H
