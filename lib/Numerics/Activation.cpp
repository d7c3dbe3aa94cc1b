//===- Activation.cpp - Real activations and their integer tables ---------===//

#include "pike/Numerics/Activation.h"

#include "pike/Numerics/FixedPoint.h"

#include <cmath>
#include <sstream>

namespace mlir::pike::numerics {

double evaluate(Activation f, double x, double alpha, double beta) {
  switch (f) {
  case Activation::Sigmoid:
    return 1.0 / (1.0 + std::exp(-x));
  case Activation::Tanh:
    return std::tanh(x);
  case Activation::HardSigmoid:
    return std::max(0.0, std::min(1.0, alpha * x + beta));
  case Activation::HardSwish:
    return x * std::max(0.0, std::min(1.0, x / 6.0 + 0.5));
  case Activation::LeakyRelu:
    return x >= 0.0 ? x : alpha * x;
  case Activation::Gelu:
    return 0.5 * x * (1.0 + std::erf(x / std::sqrt(2.0)));
  case Activation::Erf:
    return std::erf(x);
  }
  return x;
}

bool buildTable(Activation f, double alpha, double beta, const TableQuantizer &in,
                const TableQuantizer &out, std::vector<int64_t> &table, std::string &error) {
  return buildTableOf([&](double x) { return evaluate(f, x, alpha, beta); }, in, out, table,
                      error);
}

bool buildTableOf(const std::function<double(double)> &f, const TableQuantizer &in,
                  const TableQuantizer &out, std::vector<int64_t> &table, std::string &error) {
  std::ostringstream os;
  if (in.bits < 1 || in.bits > 16) {
    os << "a lookup table needs an input of 1 to 16 bits, got " << in.bits;
    error = os.str();
    return false;
  }
  if (!(in.scale > 0.0) || !(out.scale > 0.0) || !std::isfinite(in.scale) ||
      !std::isfinite(out.scale)) {
    os << "a lookup table needs positive finite scales, got " << in.scale << " and "
       << out.scale;
    error = os.str();
    return false;
  }
  int64_t lo = minValue(in.bits, in.isSigned), hi = maxValue(in.bits, in.isSigned);
  table.clear();
  table.reserve(size_t(hi - lo + 1));
  for (int64_t q = lo; q <= hi; ++q) {
    double y = f(dequantize(q, in.scale, in.zeroPoint));
    table.push_back(quantize(y, out.scale, out.zeroPoint, out.bits, out.isSigned));
  }
  return true;
}

} // namespace mlir::pike::numerics
