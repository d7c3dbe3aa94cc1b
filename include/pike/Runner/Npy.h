//===- Npy.h - Reading and writing NumPy .npy files -------------*- C++ -*-===//

#ifndef PIKE_RUNNER_NPY_H
#define PIKE_RUNNER_NPY_H

#include <cstdint>
#include <string>
#include <vector>

namespace mlir::pike {

/// An array from or for a .npy file: C order, little-endian data.
struct NpyArray {
  /// NumPy type string without byte order: "i1", "u1", "i2", "f4", "b1", ...
  std::string dtype;
  std::vector<int64_t> shape;
  std::vector<uint8_t> data;

  int64_t numElements() const;
  /// Bytes per element of `dtype`.
  unsigned itemSize() const;
  /// Element `index` as an integer (integer and bool dtypes).
  int64_t intAt(int64_t index) const;
  /// Element `index` as a double (float dtypes).
  double realAt(int64_t index) const;
};

/// Reads `path`; returns false and sets `error` on a malformed or
/// unsupported file (big-endian, Fortran order, object arrays).
bool readNpy(const std::string &path, NpyArray &array, std::string &error);

/// Parses the contents of a .npy file; `path` names it in errors.
bool parseNpy(const std::string &bytes, const std::string &path, NpyArray &array,
              std::string &error);

/// Writes `array` to `path` in .npy format 1.0.
bool writeNpy(const std::string &path, const NpyArray &array, std::string &error);

/// The NumPy name of a dtype ("float32", "int8", "bool") for messages.
std::string dtypeName(const std::string &dtype);

/// "(1, 32, 32, 3)" for messages.
std::string shapeString(const std::vector<int64_t> &shape);

} // namespace mlir::pike

#endif // PIKE_RUNNER_NPY_H
