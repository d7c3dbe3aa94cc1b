//===- Options.h - Defaults and choices of the Pike passes ------*- C++ -*-===//
//
// Each default is defined here once and used by the pass options (Passes.td),
// the quantize pipeline, the C API and the docs; the Python CLI passes only
// what its user gave. docs/Transforms.md says why each default is what it is.
//
//===----------------------------------------------------------------------===//

#ifndef PIKE_DIALECT_PIKE_TRANSFORMS_OPTIONS_H
#define PIKE_DIALECT_PIKE_TRANSFORMS_OPTIONS_H

#include "pike/Dialect/Pike/IR/PikeAttrs.h"

namespace mlir::pike {

/// Bits of double-quantized per-channel scales: 8 keeps the per-channel
/// error below 0.8 % for channels within 2x of the largest.
constexpr unsigned kDefaultDoubleQuantBits = 8;
/// Bits of QuantNorm and requantization multipliers: 32 reproduces the float
/// scale to 2^-31, so an imported model keeps its own semantics.
constexpr unsigned kDefaultMultiplierBits = 32;
/// Largest width an integer QuantNorm bias may need.
constexpr unsigned kDefaultBiasBits = 62;
/// DHQ: depthwise and pointwise weights at 4 bits, as PikeLPN.
constexpr unsigned kDefaultDHQBits = 4;
/// What pike-check-overflow makes of an accumulator no bound proves safe.
enum class OverflowSeverity { Error, Warning };

/// Accumulator widths pike-narrow-accumulators chooses from by default.
constexpr unsigned kDefaultAccumulatorWidths[] = {16, 32};

/// Quantizer granularity, for DHQ's options.
enum class Granularity { PerChannel, PerTensor };

} // namespace mlir::pike

#endif // PIKE_DIALECT_PIKE_TRANSFORMS_OPTIONS_H
