//===- Failure.h - A numerics check's message as its error ----------------===//

#ifndef PIKE_LIB_NUMERICS_FAILURE_H
#define PIKE_LIB_NUMERICS_FAILURE_H

#include <sstream>
#include <string>

namespace mlir::pike::numerics::detail {

/// What was written to `os` (an std::ostringstream) as `error`, and false:
/// `return fail(error, os << "why");`.
inline bool fail(std::string &error, std::ostream &os) {
  error = static_cast<std::ostringstream &>(os).str();
  return false;
}

} // namespace mlir::pike::numerics::detail

#endif // PIKE_LIB_NUMERICS_FAILURE_H
