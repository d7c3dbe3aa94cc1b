//===- OnnxOperators.cpp - The importer's operator registry ---------------===//
//
// Keyed by domain, operator and opset as the ONNX specification versions
// them: a node is converted by the row of its domain and type with the
// highest `sinceVersion` not above the model's opset.
//
//===----------------------------------------------------------------------===//

#include "pike/Conversion/OnnxOperators.h"

#include "Importer.h"

#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::pike;
using namespace mlir::pike::onnx_import;

namespace {

struct Family {
  llvm::StringLiteral file;
  ArrayRef<OnnxOperator> (*rows)();
};

constexpr Family kFamilies[] = {
    {"QdqNodes.cpp", qdqOperators},
    {"MacNodes.cpp", macOperators},
    {"ElementwiseNodes.cpp", elementwiseOperators},
    {"ShapeNodes.cpp", shapeOperators},
    {"TransformerNodes.cpp", transformerOperators},
    {"IndexNodes.cpp", indexOperators},
    {"MaskNodes.cpp", maskOperators},
};

StringRef canonicalDomain(StringRef domain) {
  if (domain == "ai.onnx")
    return "";
  if (domain == "finn.custom_op.general")
    return kQonnxDomain;
  return domain;
}

StringRef shownDomain(StringRef domain) { return domain.empty() ? "ai.onnx" : domain; }

} // namespace

const OnnxOperator *onnx_import::lookupOnnxOperator(StringRef domain, StringRef name,
                                                    std::optional<int64_t> opset,
                                                    std::string &whyNot) {
  domain = canonicalDomain(domain);
  if (domain.empty() && opset && *opset == 0) {
    whyNot = "the model imports no ai.onnx opset";
    return nullptr;
  }
  const OnnxOperator *best = nullptr;
  bool domainKnown = false;
  int64_t earliest = 0;
  for (const Family &family : kFamilies)
    for (const OnnxOperator &row : family.rows()) {
      if (row.domain != domain)
        continue;
      domainKnown = true;
      if (row.name != name)
        continue;
      // Opsets version ai.onnx only; other domains take their one form.
      int64_t version = domain.empty() && opset ? *opset : INT64_MAX;
      if (row.sinceVersion > version) {
        earliest = earliest ? std::min(earliest, row.sinceVersion) : row.sinceVersion;
        continue;
      }
      if (!best || row.sinceVersion > best->sinceVersion)
        best = &row;
    }
  if (best)
    return best;
  if (!domainKnown)
    whyNot = "operator domain '" + shown(shownDomain(domain)) + "' is not supported";
  else if (earliest)
    whyNot = ("the importer reads " + name + " from opset " + Twine(earliest) +
              " on; this model imports opset " + Twine(*opset))
                 .str();
  else
    whyNot = "operator is not supported by Pike's importer";
  return nullptr;
}

void mlir::pike::printOnnxOperators(llvm::raw_ostream &os) {
  os << "| domain | operator | from opset | taken by |\n"
     << "|--------|----------|------------|----------|\n";
  for (const Family &family : kFamilies)
    for (const OnnxOperator &row : family.rows())
      os << "| " << shownDomain(row.domain) << " | `" << row.name << "` | "
         << (row.domain.empty() ? std::to_string(row.sinceVersion) : std::string("1"))
         << " | " << family.file << " |\n";
  for (llvm::StringLiteral name : ortContribOperators())
    os << "| com.microsoft | `" << name
       << "` | 1 | OrtContribNodes.cpp (as the standard nodes it stands for) |\n";
}
