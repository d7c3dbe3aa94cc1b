//===- ParserDefects.cpp - Input that MLIR 22's parser crashes on ---------===//
//
// A scan over MLIR's tokens, light enough to run before every parse: it
// skips strings and comments, and remembers the last operation name and the
// last punctuation so that a keyword is judged in its context.
//
//===----------------------------------------------------------------------===//

#include "pike/Tools/ParserDefects.h"
#include "pike/Tools/NestingLimit.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <limits>

using namespace mlir::pike;

namespace {

bool isIdentifierStart(char c) { return llvm::isAlpha(c) || c == '_'; }
bool isIdentifierChar(char c) { return llvm::isAlnum(c) || c == '_' || c == '$' || c == '.'; }

class Scanner {
public:
  explicit Scanner(llvm::StringRef text) : text(text) {}

  std::optional<ParserDefect> run();

private:
  char at(size_t i) const { return i < text.size() ? text[i] : '\0'; }
  /// Past whitespace and `//` comments from `i`.
  size_t skipBlank(size_t i) const;
  /// Past the string literal that opens at `i`.
  size_t skipString(size_t i) const;
  size_t skipIdentifier(size_t i) const;
  /// Whether `[` at `i` (after blanks) opens a list of 64-bit integers that
  /// MLIR's DenseI64ArrayAttr parser accepts.
  bool isIntegerList(size_t i) const;
  /// Whether the type at `i` is `index` or one of `aliases`.
  bool indexType(size_t i, const llvm::StringSet<> *aliases = nullptr) const;
  ParserDefect defectAt(size_t offset, std::string message) const;

  llvm::StringRef text;
};

size_t Scanner::skipBlank(size_t i) const {
  while (i < text.size()) {
    char c = text[i];
    // What MLIR's lexer skips: not \f or \v, but a NUL inside the buffer.
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\0') {
      ++i;
    } else if (text[i] == '/' && at(i + 1) == '/') {
      while (i < text.size() && text[i] != '\n')
        ++i;
    } else {
      break;
    }
  }
  return i;
}

size_t Scanner::skipString(size_t i) const {
  for (++i; i < text.size(); ++i) {
    if (text[i] == '\\')
      ++i;
    else if (text[i] == '"' || text[i] == '\n')
      return i + 1;
  }
  return text.size();
}

size_t Scanner::skipIdentifier(size_t i) const {
  while (i < text.size() && isIdentifierChar(text[i]))
    ++i;
  return i;
}

bool Scanner::isIntegerList(size_t i) const {
  i = skipBlank(i);
  if (at(i) != '[')
    return false;
  i = skipBlank(i + 1);
  if (at(i) == ']')
    return true;
  while (true) {
    bool negative = at(i) == '-';
    if (negative)
      i = skipBlank(i + 1);
    unsigned radix = 10;
    if (at(i) == '0' && at(i + 1) == 'x' && llvm::isHexDigit(at(i + 2))) {
      radix = 16;
      i += 2;
    }
    size_t digits = i;
    while (radix == 16 ? llvm::isHexDigit(at(i)) : llvm::isDigit(at(i)))
      ++i;
    if (i == digits || isIdentifierChar(at(i)))
      return false;
    // Sign and magnitude as MLIR checks them: -2^63 ... 2^63 - 1.
    uint64_t magnitude;
    if (text.slice(digits, i).getAsInteger(radix, magnitude))
      return false;
    uint64_t limit = uint64_t(std::numeric_limits<int64_t>::max()) + (negative ? 1 : 0);
    if (magnitude > limit)
      return false;
    i = skipBlank(i);
    if (at(i) == ']')
      return true;
    if (at(i) != ',')
      return false;
    i = skipBlank(i + 1);
  }
}

bool Scanner::indexType(size_t i, const llvm::StringSet<> *aliases) const {
  llvm::StringRef type = text.slice(i, skipIdentifier(at(i) == '!' ? i + 1 : i));
  return type == "index" || (aliases && aliases->contains(type));
}

ParserDefect Scanner::defectAt(size_t offset, std::string message) const {
  llvm::StringRef before = text.take_front(offset);
  size_t lineStart = before.rfind('\n');
  size_t column = lineStart == llvm::StringRef::npos ? offset + 1 : offset - lineStart;
  return {size_t(before.count('\n')) + 1, column, std::move(message)};
}

std::optional<ParserDefect> Scanner::run() {
  llvm::StringRef lastOperation;
  // Whether lastOperation was spelled in the generic form, `"op.name"(...)`.
  bool genericForm = false;
  char lastPunctuation = '\0';
  bool inMetadata = false;
  // Type aliases of `index` (`!i = index`, and aliases of those).
  llvm::StringSet<> indexAliases;
  for (size_t i = skipBlank(0); i < text.size(); i = skipBlank(i)) {
    char c = text[i];
    if (text.substr(i).starts_with("{-#")) {
      inMetadata = true;
      i += 3;
      continue;
    }
    if (text.substr(i).starts_with("#-}")) {
      inMetadata = false;
      i += 3;
      continue;
    }
    if (c == '"') {
      size_t end = skipString(i);
      llvm::StringRef body = text.slice(i + 1, end);
      if (body.ends_with("\""))
        body = body.drop_back();
      // A blob (a value: after its key's `:`) starts with its alignment as 4
      // bytes; 0 with data aborts.
      if (inMetadata && lastPunctuation == ':' && body.starts_with("0x") && body.size() > 2 + 8 &&
          body.substr(2, 8) == "00000000")
        return defectAt(i, "a resource blob whose alignment (its first 4 bytes) is 0; MLIR's "
                           "parser aborts on it");
      if (body.contains('.') && at(skipBlank(end)) == '(') {
        lastOperation = body;
        genericForm = true;
      }
      i = end;
      lastPunctuation = '"';
      continue;
    }
    if (c == '%' || c == '@' || c == '#' || c == '!' || c == '^') {
      // A value, symbol, alias or block name is no keyword.
      size_t end = skipIdentifier(i + 1);
      size_t equal = skipBlank(end);
      if (at(equal) == '=' && (c == '!' || c == '#')) {
        // An alias definition: a type alias of index is remembered, and an
        // attribute alias's dictionary belongs to no operation.
        if (indexType(skipBlank(equal + 1), &indexAliases))
          indexAliases.insert(text.slice(i, end));
        lastOperation = "";
        genericForm = false;
      }
      i = end;
      lastPunctuation = c;
      continue;
    }
    if (llvm::isDigit(c)) {
      i = skipIdentifier(i);
      lastPunctuation = '0';
      continue;
    }
    if (!isIdentifierStart(c)) {
      lastPunctuation = c;
      ++i;
      continue;
    }
    size_t end = skipIdentifier(i);
    llvm::StringRef word = text.slice(i, end);
    size_t next = skipBlank(end);
    if (word == "array" && at(next) == '<' && indexType(skipBlank(next + 1), &indexAliases))
      return defectAt(i, "a dense array of 'index' elements; MLIR's parser crashes on it "
                         "(use i64)");
    bool listOperation =
        !genericForm && (lastOperation == "linalg.transpose" ||
                         lastOperation == "linalg.broadcast" || lastOperation == "linalg.reduce");
    bool inDictionary = lastPunctuation == '{' || lastPunctuation == ',' || lastPunctuation == '<';
    if ((word == "permutation" || word == "dimensions") && listOperation && !inDictionary &&
        at(next) == '=' && !isIntegerList(next + 1))
      return defectAt(i, ("'" + word + "' of '" + lastOperation +
                          "' needs a list of 64-bit integers such as [1, 0]; MLIR's parser "
                          "crashes on anything else")
                             .str());
    bool iteratorOperation =
        !genericForm && (lastOperation.empty() || lastOperation == "linalg.generic" ||
                         lastOperation == "vector.contract");
    if (word == "iterator_types" && iteratorOperation && at(next) == '=') {
      size_t open = skipBlank(next + 1);
      size_t first = skipBlank(open + 1);
      if (at(open) == '[' && at(first) != '"' && at(first) != ']')
        return defectAt(i, "'iterator_types' of a custom-form 'linalg.generic' or "
                           "'vector.contract' must be strings such as [\"parallel\"]; MLIR's "
                           "parser crashes on anything else");
    }
    // An operation name, but not the `{ arith.addf }` payload of a short-form
    // linalg.reduce or linalg.map.
    if (word.contains('.') && !(lastPunctuation == '{' && at(next) == '}')) {
      lastOperation = word;
      genericForm = false;
    }
    lastPunctuation = 'a';
    i = end;
  }
  return std::nullopt;
}

} // namespace

std::optional<ParserDefect> mlir::pike::findParserDefect(llvm::StringRef text) {
  return Scanner(text).run();
}

bool mlir::pike::reportUnparsableInput(const llvm::MemoryBuffer &file) {
  if (reportExcessNesting(file))
    return true;
  std::optional<ParserDefect> defect = findParserDefect(file.getBuffer());
  if (!defect)
    return false;
  llvm::errs() << file.getBufferIdentifier() << ":" << defect->line << ":" << defect->column
               << ": error: " << defect->message << "\n";
  return true;
}
