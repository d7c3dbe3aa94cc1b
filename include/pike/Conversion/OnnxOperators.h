//===- OnnxOperators.h - The operators the ONNX importer takes --*- C++ -*-===//
//
// The importer's operator registry (lib/Conversion/OnnxToPike), for tools:
// `pike-opt --list-onnx-operators` prints it, docs/generated/Pike/OnnxOperators.md
// is that output, and `pike import --help` lists it.
//
//===----------------------------------------------------------------------===//

#ifndef PIKE_CONVERSION_ONNXOPERATORS_H
#define PIKE_CONVERSION_ONNXOPERATORS_H

namespace llvm {
class raw_ostream;
} // namespace llvm

namespace mlir::pike {

/// Every operator convert-onnx-to-pike takes, as a Markdown table: domain,
/// operator, the first opset of the form it reads, how it is taken.
void printOnnxOperators(llvm::raw_ostream &os);

} // namespace mlir::pike

#endif // PIKE_CONVERSION_ONNXOPERATORS_H
