// Running a few tasks side by side on std::jthread, the one way the engine starts threads.
// jthread joins in its destructor, so an exception while threads run (a thread that cannot be
// created, an allocation failure) never reaches std::terminate: the threads already started are
// joined, and the exception goes on to the caller.
#pragma once

#include <algorithm>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include <fmt/format.h>

namespace catengine {

// The most threads any phase uses, whatever --threads asks for: far beyond the cores of any
// machine an LA runs, and well inside what the system lets one process start.
inline constexpr unsigned kMaxThreads = 256;

// The system refused to start a thread (too many threads or processes, or no memory for a
// stack). The message says how many were asked for and why it failed.
class ThreadStartFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// `requested` threads (0: one per core), capped at kMaxThreads.
inline unsigned thread_count(unsigned requested) {
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  return std::min(requested != 0 ? requested : cores, kMaxThreads);
}

// Calls task(0) .. task(count - 1), task(0) on the calling thread and the others on threads of
// their own, and returns when all have finished. If a thread cannot be started, those already
// started are joined and ThreadStartFailure is thrown.
template <class Task>
void run_in_parallel(std::size_t count, Task&& task) {
  std::vector<std::jthread> helpers;
  helpers.reserve(count > 0 ? count - 1 : 0);
  for (std::size_t k = 1; k < count; ++k) {
    try {
      helpers.emplace_back([&task, k] { task(k); });
    } catch (const std::system_error& e) {
      throw ThreadStartFailure(
          fmt::format("could not start {} threads (started {}): {}", count, k, e.what()));
    }
  }
  if (count > 0) task(0);
}

}  // namespace catengine
