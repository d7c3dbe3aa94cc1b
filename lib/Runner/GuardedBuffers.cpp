//===- GuardedBuffers.cpp - Buffers that end at an inaccessible page ------===//

#include "pike/Runner/GuardedBuffers.h"

#include <csignal>
#include <cstring>

#include <sys/mman.h>
#include <unistd.h>

namespace mlir::pike {
namespace {

/// The guard pages and the messages that name their buffers, read by the
/// signal handler (fixed storage: it may not allocate).
struct Guard {
  const char *begin, *end;
  char message[160];
  size_t length;
};
constexpr size_t kMaxGuards = 64;
Guard guards[kMaxGuards];
volatile size_t guardCount = 0;
struct sigaction previousSegv, previousBus;

void onFault(int signal, siginfo_t *info, void *) {
  auto *address = static_cast<const char *>(info->si_addr);
  for (size_t i = 0; i < guardCount; ++i)
    if (address >= guards[i].begin && address < guards[i].end) {
      ssize_t written = write(STDERR_FILENO, guards[i].message, guards[i].length);
      (void)written;
      _exit(2);
    }
  // Not a guard page: the fault it would have been without the guards.
  sigaction(signal, signal == SIGSEGV ? &previousSegv : &previousBus, nullptr);
}

} // namespace

GuardedBuffers::GuardedBuffers() {
  struct sigaction action {};
  action.sa_sigaction = onFault;
  action.sa_flags = SA_SIGINFO | SA_RESETHAND;
  sigemptyset(&action.sa_mask);
  sigaction(SIGSEGV, &action, &previousSegv);
  sigaction(SIGBUS, &action, &previousBus);
}

GuardedBuffers::~GuardedBuffers() {
  guardCount = 0;
  sigaction(SIGSEGV, &previousSegv, nullptr);
  sigaction(SIGBUS, &previousBus, nullptr);
  for (const Mapping &m : mappings)
    munmap(m.base, m.length);
}

void *GuardedBuffers::add(const void *data, size_t bytes, const std::string &label) {
  if (guardCount >= kMaxGuards)
    return nullptr;
  size_t page = size_t(sysconf(_SC_PAGESIZE));
  size_t dataPages = (bytes + page - 1) / page;
  size_t length = (dataPages + 1) * page;
  void *mapped = mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mapped == MAP_FAILED)
    return nullptr;
  auto *base = static_cast<char *>(mapped);
  char *guard = base + dataPages * page;
  if (mprotect(guard, page, PROT_NONE) != 0) {
    munmap(base, length);
    return nullptr;
  }
  mappings.push_back({base, length});
  char *copy = guard - bytes;
  if (bytes)
    std::memcpy(copy, data, bytes);
  Guard &g = guards[guardCount];
  g.begin = guard;
  g.end = guard + page;
  std::string message =
      "pike-run: error: the compiled code read or wrote past the end of " + label + "\n";
  g.length = std::min(message.size(), sizeof(g.message));
  std::memcpy(g.message, message.data(), g.length);
  guardCount = guardCount + 1;
  return copy;
}

} // namespace mlir::pike
