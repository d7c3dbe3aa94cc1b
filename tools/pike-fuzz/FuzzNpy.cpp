//===- FuzzNpy.cpp - libFuzzer target: the .npy reader --------------------===//
//
// Any bytes: the reader either fills an array whose data matches its shape
// and dtype, or says why not. It never crashes, throws or reads out of bounds.
//
//===----------------------------------------------------------------------===//

#include "pike/Runner/Npy.h"

#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string bytes(reinterpret_cast<const char *>(data), size);
  mlir::pike::NpyArray array;
  std::string error;
  if (!mlir::pike::parseNpy(bytes, "fuzz.npy", array, error)) {
    if (error.empty())
      std::abort(); // a failure must say why
    return 0;
  }
  // What was accepted is consistent: every element can be read.
  if (size_t(array.numElements()) * array.itemSize() != array.data.size())
    std::abort();
  volatile double sink = 0; // keeps the reads
  for (int64_t i = 0, e = array.numElements(); i < e; ++i)
    sink = sink + (array.dtype[0] == 'f' ? array.realAt(i) : double(array.intAt(i)));
  return 0;
}
