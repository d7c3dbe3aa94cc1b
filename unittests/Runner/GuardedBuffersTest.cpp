//===- GuardedBuffersTest.cpp - pike-run's guarded buffers ----------------===//

#include "pike/Runner/GuardedBuffers.h"

#include <gtest/gtest.h>

#include <csignal>

#include <sys/wait.h>

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
  GuardedBuffers guarded;
  guarded.add(kData, 1, "input #0");
  auto *copy = static_cast<volatile char *>(guarded.add(kData, sizeof(kData), "result #1"));
  (void)copy[sizeof(kData)];
}

/// Writes the first byte after an empty guarded buffer.
void writePastEmpty() {
  GuardedBuffers guarded;
  auto *copy = static_cast<volatile char *>(guarded.add(nullptr, 0, "input #2"));
  copy[0] = 1;
}

/// A fault that no guard page explains: a read of address zero.
void otherFault() {
  GuardedBuffers guarded;
  guarded.add(kData, 1, "input #0");
  static volatile char *volatile nowhere = nullptr;
  (void)*nowhere;
}

TEST(GuardedBuffersDeathTest, ReadPastTheEndIsAnErrorNamingTheBuffer) {
  EXPECT_EXIT(readPastSecond(), ::testing::ExitedWithCode(2),
              "read or wrote past the end of result #1");
}

TEST(GuardedBuffersDeathTest, WritePastTheEndOfAnEmptyBuffer) {
  EXPECT_EXIT(writePastEmpty(), ::testing::ExitedWithCode(2), "past the end of input #2");
}

TEST(GuardedBuffersDeathTest, OtherFaultsStayFaults) {
  // Killed by the signal, or reported by a sanitizer's own handler: not
  // taken for a guard page (exit status 2).
  auto notGuardReport = [](int status) {
    return !(WIFEXITED(status) && WEXITSTATUS(status) == 2);
  };
  EXPECT_EXIT(otherFault(), notGuardReport, "");
}

} // namespace
