//===- NameEntryPoints.cpp - C identifiers for a library's functions ------===//
//
// A model's function names reach generated C only through this mapping, so
// no byte of them is ever C source text (docs/Security.md).
//
//===----------------------------------------------------------------------===//

#include "pike/Dialect/Pike/Transforms/Passes.h"
#include "pike/Support/ShownName.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"

namespace mlir::pike {
#define GEN_PASS_DEF_PIKENAMEENTRYPOINTS
#include "pike/Dialect/Pike/Transforms/Passes.h.inc"
} // namespace mlir::pike

using namespace mlir;
using namespace mlir::pike;

namespace {

// C11 and C23 keywords, and the name Pike gives each library's CPU check.
constexpr llvm::StringLiteral kReserved[] = {
    "auto", "break", "case", "char", "const", "continue", "default", "do", "double",
    "else", "enum", "extern", "float", "for", "goto", "if", "inline", "int", "long",
    "register", "restrict", "return", "short", "signed", "sizeof", "static", "struct",
    "switch", "typedef", "union", "unsigned", "void", "volatile", "while", "alignas",
    "alignof", "bool", "constexpr", "false", "nullptr", "static_assert", "thread_local",
    "true", "typeof", "typeof_unqual", "check_cpu"};

bool isCIdentifier(StringRef name) {
  if (name.empty() || llvm::isDigit(name.front()))
    return false;
  return llvm::all_of(name, [](char c) { return llvm::isAlnum(c) || c == '_'; });
}

bool isReserved(StringRef lowered) {
  // `_` then a capital, or `__`, is reserved to the C implementation.
  return llvm::is_contained(kReserved, lowered) || lowered.starts_with("_");
}

/// The documented mapping: identifiers that need no change keep their name,
/// the rest are spelled with `_` and numbered apart. Uniqueness ignores case
/// because the header's macros are upper case.
std::vector<std::string> mapToCIdentifiers(ArrayRef<std::string> names) {
  std::vector<std::string> ids(names.size());
  llvm::StringSet<> taken;
  for (auto [i, name] : llvm::enumerate(names)) {
    std::string lowered = StringRef(name).lower();
    if (isCIdentifier(name) && !isReserved(lowered) && taken.insert(lowered).second)
      ids[i] = name;
  }
  for (auto [i, name] : llvm::enumerate(names)) {
    if (!ids[i].empty())
      continue;
    std::string base;
    for (char c : name)
      base += llvm::isAlnum(c) || c == '_' ? c : '_';
    if (base.empty() || llvm::isDigit(base.front()) || base.front() == '_' ||
        isReserved(StringRef(base).lower()))
      base = "m_" + base;
    std::string id = base;
    for (unsigned n = 2; !taken.insert(StringRef(id).lower()).second; ++n)
      id = base + "_" + std::to_string(n);
    ids[i] = id;
  }
  return ids;
}

/// `pike.c_interface` of a public function: its C entry point and, per
/// argument and result, its name (pike.name, else input<i> / output<i>),
/// tensor type and signedness, which the C library emitter reads after
/// lowering (docs/Deploy.md).
DictionaryAttr cInterface(func::FuncOp fn, StringRef symbol) {
  Builder b(fn.getContext());
  auto tensors = [&](TypeRange types, bool results) {
    SmallVector<Attribute> out;
    for (auto [i, type] : llvm::enumerate(types)) {
      DictionaryAttr attrs = results ? fn.getResultAttrDict(i) : fn.getArgAttrDict(i);
      auto name = attrs ? attrs.getAs<StringAttr>("pike.name") : StringAttr();
      NamedAttrList entry;
      entry.append("name", name && !name.empty()
                               ? name
                               : b.getStringAttr((results ? "output" : "input") + Twine(i)));
      entry.append("type", TypeAttr::get(type));
      if (attrs && attrs.get("pike.unsigned"))
        entry.append("unsigned", b.getUnitAttr());
      out.push_back(entry.getDictionary(fn.getContext()));
    }
    return b.getArrayAttr(out);
  };
  return b.getDictionaryAttr({b.getNamedAttr("symbol", b.getStringAttr(symbol)),
                              b.getNamedAttr("inputs", tensors(fn.getArgumentTypes(), false)),
                              b.getNamedAttr("outputs", tensors(fn.getResultTypes(), true))});
}

struct PikeNameEntryPointsPass
    : public mlir::pike::impl::PikeNameEntryPointsBase<PikeNameEntryPointsPass> {
  using PikeNameEntryPointsBase::PikeNameEntryPointsBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (!isCIdentifier(prefix) || prefix.find("__") != std::string::npos) {
      module.emitError() << "prefix '" << prefix
                         << "' is not a C identifier without '__'";
      return signalPassFailure();
    }
    SmallVector<func::FuncOp> functions;
    std::vector<std::string> names;
    for (auto fn : module.getOps<func::FuncOp>()) {
      if (fn.isExternal()) {
        fn.emitError() << "function '" << shownName(fn.getSymName())
                       << "' has no body: a model cannot call code outside itself";
        return signalPassFailure();
      }
      functions.push_back(fn);
      names.push_back(fn.getSymName().str());
    }
    std::vector<std::string> ids = mapToCIdentifiers(names);
    llvm::StringSet<> finals;
    for (const std::string &id : ids)
      finals.insert(prefix + "__" + id);
    SymbolTable table(module);
    MLIRContext *ctx = module.getContext();
    // Through names that are neither taken nor final, so that a function
    // already called like another's final name is never in the way.
    unsigned counter = 0;
    for (func::FuncOp fn : functions) {
      if (fn.isPublic())
        fn->setAttr("pike.source_name", fn.getSymNameAttr());
      std::string scratch;
      do
        scratch = "pike.unnamed." + std::to_string(counter++);
      while (table.lookup(scratch) || finals.contains(scratch));
      if (failed(table.rename(fn, StringAttr::get(ctx, scratch))))
        return signalPassFailure();
    }
    for (auto [fn, id] : llvm::zip_equal(functions, ids)) {
      if (failed(table.rename(fn, StringAttr::get(ctx, prefix + "__" + id))))
        return signalPassFailure();
      if (fn.isPublic())
        fn->setAttr("pike.c_interface", cInterface(fn, prefix + "_" + id));
    }
    module->setAttr("pike.c_prefix", StringAttr::get(ctx, prefix));
  }
};

} // namespace
