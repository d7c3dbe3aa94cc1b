//===- GuardedBuffersTest.cpp - pike-run's guarded buffers ----------------===//

#include "pike/Runner/GuardedBuffers.h"

#include <gtest/gtest.h>

#include <csignal>
#include <optional>

#include <sys/wait.h>

using mlir::pike::CompiledCodeFaults;
using mlir::pike::GuardedBuffers;

namespace {

const char kData[5] = {1, 2, 3, 4, 5};

TEST(GuardedBuffersTest, CopyHoldsTheBytes) {
  GuardedBuffers guarded;
  auto *copy = static_cast<volatile char *>(guarded.add(kData, sizeof(kData), "input #0"));
  ASSERT_NE(copy, nullptr);
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(copy[i], kData[i]);
  copy[4] = 9;
  EXPECT_EQ(copy[4], 9);
}

/// Reads the byte after the second of two guarded buffers.
void readPastSecond() {
  CompiledCodeFaults faults;
  GuardedBuffers guarded;
  guarded.add(kData, 1, "input #0");
  auto *copy = static_cast<volatile char *>(guarded.add(kData, sizeof(kData), "result #1"));
  (void)copy[sizeof(kData)];
}

/// Writes the first byte after an empty guarded buffer.
void writePastEmpty() {
  CompiledCodeFaults faults;
  GuardedBuffers guarded;
  auto *copy = static_cast<volatile char *>(guarded.add(nullptr, 0, "input #2"));
  copy[0] = 1;
}

/// A fault that no guard page explains: a read of address zero, inside
/// the scope or without one.
void otherFault(bool reported) {
  std::optional<CompiledCodeFaults> faults;
  if (reported)
    faults.emplace();
  GuardedBuffers guarded;
  guarded.add(kData, 1, "input #0");
  {
    // A nested scope ends without taking the handlers away.
    CompiledCodeFaults nested;
  }
  static volatile char *volatile nowhere = nullptr;
  (void)*nowhere;
}

/// A fault after the scope ended.
void faultAfterScope() {
  { CompiledCodeFaults faults; }
  static volatile char *volatile nowhere = nullptr;
  (void)*nowhere;
}

/// An illegal instruction in compiled code.
void trap() {
  CompiledCodeFaults faults;
  __builtin_trap();
}

TEST(GuardedBuffersDeathTest, ReadPastTheEndIsAnErrorNamingTheBuffer) {
  EXPECT_EXIT(readPastSecond(), ::testing::ExitedWithCode(2),
              "read or wrote past the end of result #1");
}

TEST(GuardedBuffersDeathTest, WritePastTheEndOfAnEmptyBuffer) {
  EXPECT_EXIT(writePastEmpty(), ::testing::ExitedWithCode(2), "past the end of input #2");
}

TEST(CompiledCodeFaultsDeathTest, AnyOtherFaultIsAnInternalError) {
  // Not LLVM's crash handler (which may deadlock in malloc after a write
  // corrupted the heap): a fixed message and exit status 70.
  EXPECT_EXIT(otherFault(true), ::testing::ExitedWithCode(70),
              "pike-run: internal error: the compiled code got SIGSEGV at address "
              "0x0000000000000000; a bug in Pike's lowering");
  EXPECT_EXIT(trap(), ::testing::ExitedWithCode(70), "the compiled code got SIGILL");
}

TEST(CompiledCodeFaultsDeathTest, OutsideTheScopeFaultsStayFaults) {
  // Killed by the signal, or reported by a sanitizer's own handler: the
  // handlers are restored when the scope ends.
  auto notReported = [](int status) {
    return !(WIFEXITED(status) && (WEXITSTATUS(status) == 2 || WEXITSTATUS(status) == 70));
  };
  EXPECT_EXIT(otherFault(false), notReported, "");
  EXPECT_EXIT(faultAfterScope(), notReported, "");
}

} // namespace
