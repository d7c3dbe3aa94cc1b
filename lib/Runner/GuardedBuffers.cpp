//===- GuardedBuffers.cpp - Buffers that end at an inaccessible page ------===//

#include "pike/Runner/GuardedBuffers.h"

#include <csignal>
#include <cstdint>
#include <cstring>
#include <iterator>

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

constexpr int kFaultSignals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE};
struct sigaction previous[std::size(kFaultSignals)];
char alternateStack[64 * 1024];
unsigned scopeDepth = 0;

const char *signalName(int signal) {
  switch (signal) {
  case SIGSEGV:
    return "SIGSEGV";
  case SIGBUS:
    return "SIGBUS";
  case SIGILL:
    return "SIGILL";
  default:
    return "SIGFPE";
  }
}

/// Appends `text` to `buffer` at `length` (async-signal-safe, no malloc).
void append(char *buffer, size_t &length, size_t capacity, const char *text) {
  while (*text && length < capacity)
    buffer[length++] = *text++;
}

void onFault(int signal, siginfo_t *info, void *) {
  auto *address = static_cast<const char *>(info->si_addr);
  for (size_t i = 0; i < guardCount; ++i)
    if (address >= guards[i].begin && address < guards[i].end) {
      ssize_t written = write(STDERR_FILENO, guards[i].message, guards[i].length);
      (void)written;
      _exit(2);
    }
  char message[256];
  size_t length = 0;
  append(message, length, sizeof message, "pike-run: internal error: the compiled code got ");
  append(message, length, sizeof message, signalName(signal));
  append(message, length, sizeof message, " at address 0x");
  char digits[17];
  auto value = reinterpret_cast<uintptr_t>(address);
  for (int i = 15; i >= 0; --i, value >>= 4)
    digits[i] = "0123456789abcdef"[value & 15];
  digits[16] = 0;
  append(message, length, sizeof message, digits);
  append(message, length, sizeof message,
         "; a bug in Pike's lowering, not in the input (--guard-buffers may name the "
         "buffer)\n");
  ssize_t written = write(STDERR_FILENO, message, length);
  (void)written;
  _exit(70);
}

} // namespace

CompiledCodeFaults::CompiledCodeFaults() {
  // Nested scopes leave the outermost one's handlers in place.
  if (scopeDepth++ > 0)
    return;
  stack_t stack{};
  stack.ss_sp = alternateStack;
  stack.ss_size = sizeof alternateStack;
  sigaltstack(&stack, nullptr);
  struct sigaction action {};
  action.sa_sigaction = onFault;
  action.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigemptyset(&action.sa_mask);
  for (size_t i = 0; i < std::size(kFaultSignals); ++i)
    sigaction(kFaultSignals[i], &action, &previous[i]);
}

CompiledCodeFaults::~CompiledCodeFaults() {
  if (--scopeDepth > 0)
    return;
  for (size_t i = 0; i < std::size(kFaultSignals); ++i)
    sigaction(kFaultSignals[i], &previous[i], nullptr);
}

GuardedBuffers::~GuardedBuffers() {
  guardCount = 0;
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
