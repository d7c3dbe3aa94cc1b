//===- ShownName.h - A model's text as a diagnostic shows it ----*- C++ -*-===//

#ifndef PIKE_SUPPORT_SHOWNNAME_H
#define PIKE_SUPPORT_SHOWNNAME_H

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

namespace mlir::pike {

/// A string from a model as a diagnostic shows it: non-printable bytes,
/// quotes and backslashes escaped (\1B, \27), at most `limit` bytes then
/// "...", so that no name can write to the terminal or end its quotes.
inline std::string shownName(llvm::StringRef text, size_t limit = 120) {
  std::string out;
  llvm::raw_string_ostream os(out);
  llvm::printEscapedString(text.take_front(limit), os);
  // printEscapedString leaves ' as it is; it would end the quoted name.
  std::string escaped;
  for (char c : out)
    escaped += c == '\'' ? std::string("\\27") : std::string(1, c);
  if (text.size() > limit)
    escaped += "...";
  return escaped;
}

} // namespace mlir::pike

#endif // PIKE_SUPPORT_SHOWNNAME_H
