//===- Activation.h - Real activations and their integer tables -*- C++ -*-===//
//
// The one definition of the activations Pike turns into lookup tables
// (pike.activation, pike.table): the real functions as ONNX defines them,
// and the table that maps every integer of an input quantizer to the
// output quantizer. Pure C++, as the rest of the numerics.
//
//===----------------------------------------------------------------------===//

#ifndef PIKE_NUMERICS_ACTIVATION_H
#define PIKE_NUMERICS_ACTIVATION_H

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace mlir::pike::numerics {

enum class Activation { Sigmoid, Tanh, HardSigmoid, HardSwish, LeakyRelu, Gelu, Erf };

/// f(x) in double precision; `alpha`/`beta` as ONNX's HardSigmoid and
/// LeakyRelu (ignored by the others).
double evaluate(Activation f, double x, double alpha, double beta);

/// A per-tensor quantizer: scale, zero point, bits, signedness.
struct TableQuantizer {
  double scale;
  int64_t zeroPoint;
  unsigned bits;
  bool isSigned;
};

/// Entry i is quantize(f(dequantize(lo + i))) for any real function `f` of
/// one value (a chain of activations, products and sums of it).
bool buildTableOf(const std::function<double(double)> &f, const TableQuantizer &in,
                  const TableQuantizer &out, std::vector<int64_t> &table, std::string &error);

/// Entry i is quantize(f(dequantize(lo + i))) with lo the input's smallest
/// value: 2^bits entries. Returns false and sets `error` for an input wider
/// than 16 bits or a non-positive scale.
bool buildTable(Activation f, double alpha, double beta, const TableQuantizer &in,
                const TableQuantizer &out, std::vector<int64_t> &table, std::string &error);

} // namespace mlir::pike::numerics

#endif // PIKE_NUMERICS_ACTIVATION_H
