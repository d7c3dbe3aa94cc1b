//===- Npy.cpp - Reading and writing NumPy .npy files ---------------------===//

#include "pike/Runner/Npy.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

#include <sys/stat.h>

namespace mlir::pike {

int64_t NpyArray::numElements() const {
  int64_t count = 1;
  for (int64_t d : shape)
    count *= d;
  return count;
}

unsigned NpyArray::itemSize() const {
  // dtype is one of the supported names: a letter and a size of 1 to 8 bytes.
  return unsigned(dtype[1] - '0');
}

int64_t NpyArray::intAt(int64_t index) const {
  const uint8_t *p = data.data() + index * itemSize();
  switch (dtype[0]) {
  case 'b':
  case 'u': {
    uint64_t value = 0;
    std::memcpy(&value, p, itemSize());
    return int64_t(value);
  }
  default: {
    int64_t value = 0;
    std::memcpy(&value, p, itemSize());
    unsigned bits = 8 * itemSize();
    if (bits < 64 && (value >> (bits - 1)) & 1)
      value -= int64_t(1) << bits;
    return value;
  }
  }
}

/// An IEEE half's value; NumPy's float16.
static double halfValue(uint16_t bits) {
  double sign = bits >> 15 ? -1.0 : 1.0;
  int exponent = (bits >> 10) & 0x1f;
  int mantissa = bits & 0x3ff;
  if (exponent == 0x1f)
    return mantissa ? std::nan("") : sign * HUGE_VAL;
  if (exponent == 0)
    return sign * std::ldexp(double(mantissa), -24);
  return sign * std::ldexp(double(mantissa | 0x400), exponent - 25);
}

double NpyArray::realAt(int64_t index) const {
  const uint8_t *p = data.data() + index * itemSize();
  if (dtype == "f2") {
    uint16_t value;
    std::memcpy(&value, p, 2);
    return halfValue(value);
  }
  if (dtype == "f4") {
    float value;
    std::memcpy(&value, p, 4);
    return value;
  }
  double value;
  std::memcpy(&value, p, 8);
  return value;
}

std::string dtypeName(const std::string &dtype) {
  if (dtype == "b1")
    return "bool";
  if (dtype.size() < 2)
    return dtype;
  std::string bits = std::to_string(8 * (dtype[1] - '0'));
  switch (dtype[0]) {
  case 'f':
    return "float" + bits;
  case 'i':
    return "int" + bits;
  case 'u':
    return "uint" + bits;
  default:
    return dtype;
  }
}

std::string shapeString(const std::vector<int64_t> &shape) {
  std::ostringstream os;
  os << '(';
  for (size_t i = 0; i < shape.size(); ++i)
    os << (i ? ", " : "") << shape[i];
  if (shape.size() == 1)
    os << ',';
  os << ')';
  return os.str();
}

namespace {

/// The dtypes Pike reads and writes (without byte order).
bool isSupportedDtype(const std::string &dtype) {
  static const char *const kSupported[] = {"b1", "i1", "i2", "i4", "i8", "u1",
                                           "u2", "u4", "u8", "f2", "f4", "f8"};
  for (const char *name : kSupported)
    if (dtype == name)
      return true;
  return false;
}

/// Parses a decimal dimension; rejects signs, non-digits and values past
/// INT64_MAX instead of throwing or wrapping.
bool parseDimension(const std::string &text, int64_t &value) {
  if (text.empty() || text.size() > 19)
    return false;
  uint64_t result = 0;
  for (char c : text) {
    if (c < '0' || c > '9')
      return false;
    result = result * 10 + uint64_t(c - '0');
  }
  if (result > uint64_t(INT64_MAX))
    return false;
  value = int64_t(result);
  return true;
}

std::string trim(const std::string &text) {
  size_t begin = text.find_first_not_of(" \t");
  if (begin == std::string::npos)
    return "";
  size_t end = text.find_last_not_of(" \t");
  return text.substr(begin, end - begin + 1);
}

/// Parses the inside of the header's shape tuple, e.g. "2, 3" or "4,".
bool parseShape(const std::string &tuple, std::vector<int64_t> &shape,
                std::string &bad) {
  shape.clear();
  std::string rest = trim(tuple);
  if (rest.empty())
    return true; // a scalar: shape ()
  size_t start = 0;
  while (start <= rest.size()) {
    size_t comma = rest.find(',', start);
    std::string entry =
        trim(rest.substr(start, comma == std::string::npos ? std::string::npos
                                                           : comma - start));
    if (entry.empty() && comma == std::string::npos && !shape.empty())
      break; // the trailing comma of "(4,)"
    int64_t dim;
    if (!parseDimension(entry, dim)) {
      bad = entry;
      return false;
    }
    shape.push_back(dim);
    if (comma == std::string::npos)
      break;
    start = comma + 1;
  }
  return true;
}

/// The three fields of a .npy header, a Python dict literal.
struct NpyHeader {
  std::string descr, shape;
  bool fortranOrder = false;
};

/// Reads `{'descr': '<i1', 'fortran_order': False, 'shape': (2, 3), }` in one
/// pass without recursion (NumPy's headers may be long; std::regex recursed
/// once per character and overflowed the stack). The shape is returned as
/// the text inside its parentheses, for parseShape.
bool parseHeader(const std::string &text, NpyHeader &header, std::string &error) {
  size_t i = 0;
  auto skipSpace = [&] {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' ||
                               text[i] == '\r'))
      ++i;
  };
  auto take = [&](char c) {
    skipSpace();
    if (i < text.size() && text[i] == c) {
      ++i;
      return true;
    }
    return false;
  };
  auto quoted = [&](std::string &out) {
    skipSpace();
    if (i >= text.size() || (text[i] != '\'' && text[i] != '"'))
      return false;
    char quote = text[i++];
    size_t end = text.find(quote, i);
    if (end == std::string::npos)
      return false;
    out = text.substr(i, end - i);
    i = end + 1;
    return true;
  };
  if (!take('{')) {
    error = "it does not start with '{'";
    return false;
  }
  bool seen[3] = {false, false, false};
  while (!take('}')) {
    std::string key;
    if (!quoted(key) || !take(':')) {
      error = "expected a quoted key and ':' at byte " + std::to_string(i);
      return false;
    }
    int which = key == "descr" ? 0 : key == "fortran_order" ? 1 : key == "shape" ? 2 : -1;
    if (which < 0 || seen[which]) {
      error = "unexpected or repeated key '" + key.substr(0, 40) + "'";
      return false;
    }
    seen[which] = true;
    skipSpace();
    if (which == 0) {
      if (!quoted(header.descr)) {
        error = "'descr' is not a string";
        return false;
      }
    } else if (which == 1) {
      if (text.compare(i, 4, "True") == 0) {
        header.fortranOrder = true;
        i += 4;
      } else if (text.compare(i, 5, "False") == 0) {
        i += 5;
      } else {
        error = "'fortran_order' is not True or False";
        return false;
      }
    } else {
      size_t end = i < text.size() && text[i] == '(' ? text.find(')', i) : std::string::npos;
      if (end == std::string::npos) {
        error = "'shape' is not a tuple";
        return false;
      }
      header.shape = text.substr(i + 1, end - i - 1);
      i = end + 1;
    }
    if (!take(',')) {
      skipSpace();
      if (i >= text.size() || text[i] != '}') {
        error = "expected ',' or '}' at byte " + std::to_string(i);
        return false;
      }
    }
  }
  skipSpace();
  if (i != text.size()) {
    error = "text after the closing '}'";
    return false;
  }
  if (!seen[0] || !seen[1] || !seen[2]) {
    error = std::string("no '") + (!seen[0] ? "descr" : !seen[1] ? "fortran_order" : "shape") + "'";
    return false;
  }
  return true;
}

} // namespace

bool readNpy(const std::string &path, NpyArray &array, std::string &error) {
  // A FIFO or a device such as /dev/zero would block or never end.
  struct stat info;
  if (::stat(path.c_str(), &info) == 0 && !S_ISREG(info.st_mode)) {
    error = "'" + path + "' is not a regular file";
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot open '" + path + "'";
    return false;
  }
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return parseNpy(bytes, path, array, error);
}

bool parseNpy(const std::string &bytes, const std::string &path, NpyArray &array,
              std::string &error) {
  if (bytes.size() < 10 || bytes.compare(0, 6, "\x93NUMPY") != 0) {
    error = "'" + path + "' is not a .npy file (no \\x93NUMPY magic)";
    return false;
  }
  unsigned major = uint8_t(bytes[6]);
  size_t headerLength, offset;
  if (major == 1) {
    headerLength = uint8_t(bytes[8]) | (uint8_t(bytes[9]) << 8);
    offset = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12) {
      error = "'" + path + "' is truncated inside its header";
      return false;
    }
    headerLength = 0;
    for (int i = 0; i < 4; ++i)
      headerLength |= size_t(uint8_t(bytes[8 + i])) << (8 * i);
    offset = 12;
  } else {
    error = "'" + path + "' has unsupported .npy version " + std::to_string(major);
    return false;
  }
  if (headerLength > bytes.size() - offset) {
    error = "'" + path + "' is truncated inside its header";
    return false;
  }
  std::string header = bytes.substr(offset, headerLength);
  NpyHeader fields;
  if (!parseHeader(header, fields, error)) {
    error = "'" + path + "' has a malformed header: " + error;
    return false;
  }
  const std::string &descr = fields.descr;
  if (descr.size() < 3 || std::string("<>|=").find(descr[0]) == std::string::npos ||
      !std::islower(uint8_t(descr[1])) ||
      !std::all_of(descr.begin() + 2, descr.end(), [](char c) { return std::isdigit(uint8_t(c)); })) {
    error = "'" + path + "' has no supported 'descr' in its header";
    return false;
  }
  if (descr[0] == '>') {
    error = "'" + path + "' is big-endian; write it little-endian";
    return false;
  }
  array.dtype = descr.substr(1);
  if (!isSupportedDtype(array.dtype)) {
    error = "'" + path + "' has unsupported dtype '" + array.dtype +
            "' (supported: bool, int8-64, uint8-64, float16, float32, float64)";
    return false;
  }
  if (fields.fortranOrder) {
    error = "'" + path + "' is in Fortran order; save it in C order";
    return false;
  }
  std::string badEntry;
  if (!parseShape(fields.shape, array.shape, badEntry)) {
    error = "'" + path + "' has shape entry '" + badEntry +
            "', which is not a size from 0 to 2^63-1";
    return false;
  }
  // Element count and byte size, refusing products that do not fit.
  uint64_t dataBytes = array.itemSize();
  for (int64_t dim : array.shape) {
    if (__builtin_mul_overflow(dataBytes, uint64_t(dim), &dataBytes) ||
        dataBytes > uint64_t(INT64_MAX)) {
      error = "'" + path + "' has shape " + shapeString(array.shape) +
              ", whose size overflows 64 bits";
      return false;
    }
  }
  size_t start = offset + headerLength;
  if (bytes.size() - start != dataBytes) {
    error = "'" + path + "' holds " + std::to_string(bytes.size() - start) +
            " bytes of data, but shape " + shapeString(array.shape) + " of " +
            dtypeName(array.dtype) + " needs " + std::to_string(dataBytes);
    return false;
  }
  array.data.assign(bytes.begin() + start, bytes.end());
  return true;
}

bool writeNpy(const std::string &path, const NpyArray &array, std::string &error) {
  std::string byteOrder = array.itemSize() == 1 ? "|" : "<";
  std::string header = "{'descr': '" + byteOrder + array.dtype +
                       "', 'fortran_order': False, 'shape': " +
                       shapeString(array.shape) + ", }";
  // Pad so that the data starts at a multiple of 64 bytes, ending in '\n'.
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header.push_back('\n');
  std::ofstream out(path, std::ios::binary);
  if (!out) {
    error = "cannot write '" + path + "'";
    return false;
  }
  out.write("\x93NUMPY\x01\x00", 8);
  char length[2] = {char(header.size() & 0xff), char(header.size() >> 8)};
  out.write(length, 2);
  out.write(header.data(), std::streamsize(header.size()));
  out.write(reinterpret_cast<const char *>(array.data.data()),
            std::streamsize(array.data.size()));
  if (!out) {
    error = "failed writing '" + path + "'";
    return false;
  }
  return true;
}

} // namespace mlir::pike
