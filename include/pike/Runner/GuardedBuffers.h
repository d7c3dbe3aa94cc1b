//===- GuardedBuffers.h - Buffers that end at an inaccessible page -*- C++ -*-===//
//
// pike-run --guard-buffers: every argument and result of the called function
// is copied to the end of its own mapping, followed by a page that may not
// be read or written. Compiled code that reads or writes past a buffer (a
// vector load or store running over its last element) faults at once, and
// the fault is reported as an error naming the buffer, where without the
// guard it would touch the neighbouring heap and go unseen.
//
//===----------------------------------------------------------------------===//

#ifndef PIKE_RUNNER_GUARDEDBUFFERS_H
#define PIKE_RUNNER_GUARDEDBUFFERS_H

#include <cstddef>
#include <string>
#include <vector>

namespace mlir::pike {

/// While alive (around calls of compiled code), a fault ends pike-run with a
/// message: exit status 2 at a guard page (naming the buffer), 70 elsewhere
/// (a bug in the lowering). LLVM's own crash handler would run instead, and
/// it may deadlock in malloc when the fault came from a corrupted heap.
class CompiledCodeFaults {
public:
  CompiledCodeFaults();
  ~CompiledCodeFaults();
  CompiledCodeFaults(const CompiledCodeFaults &) = delete;
  CompiledCodeFaults &operator=(const CompiledCodeFaults &) = delete;
};

class GuardedBuffers {
public:
  GuardedBuffers() = default;
  ~GuardedBuffers();
  GuardedBuffers(const GuardedBuffers &) = delete;
  GuardedBuffers &operator=(const GuardedBuffers &) = delete;

  /// A copy of `bytes` bytes of `data` that ends where the guard page
  /// begins, or null when the mapping fails. `label` names the buffer in
  /// the report of a fault.
  void *add(const void *data, size_t bytes, const std::string &label);

private:
  struct Mapping {
    char *base;
    size_t length;
  };
  std::vector<Mapping> mappings;
};

} // namespace mlir::pike

#endif // PIKE_RUNNER_GUARDEDBUFFERS_H
