//===- QuantizerKernels.h - Vectorized quantize and dequantize --*- C++ -*-===//

#ifndef PIKE_LIB_CONVERSION_PIKETOCPU_QUANTIZERKERNELS_H
#define PIKE_LIB_CONVERSION_PIKETOCPU_QUANTIZERKERNELS_H

#include "KernelSupport.h"

#include "mlir/IR/Operation.h"

#include <string>

namespace mlir::pike::cpu {

/// Replaces a pike.quantize or pike.dequantize by a vector loop over its
/// flattened tensor, `lanes` elements a step (a sub-byte integer side through `storage`); false,
/// with the reason in `whyNot`, when its types or quantizer need the linalg
/// lowering.
bool rewriteQuantizer(Operation *op, int64_t lanes, ByteStorage &storage, std::string &whyNot);

} // namespace mlir::pike::cpu

#endif // PIKE_LIB_CONVERSION_PIKETOCPU_QUANTIZERKERNELS_H
