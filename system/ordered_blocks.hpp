// Blocks made side by side and used in order: helper threads make blocks 0, 1, 2, ... into a
// ring of buffers while the calling thread uses each as soon as it and every block before it
// are ready. The results writer makes blocks of text this way while the calling thread hashes
// and writes the ones before, rather than making a round of blocks, then hashing and writing
// that round while the helpers wait.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <exception>
#include <limits>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "system/parallel.hpp"

namespace catengine {

// Calls make(b, buffer) for b = 0 .. count - 1 on `threads` helper threads (block b on helper
// b % threads, each helper in block order), and use(b, buffer) on the calling thread for every
// b in order; a buffer is made again only after use() is done with it. use() returning false
// stops the run (no later block is used) and gives false. An exception from make() or use()
// stops the helpers and goes on to the caller, as does ThreadStartFailure. With one thread or
// one block, everything runs on the calling thread: make(b) then use(b).
template <class Buffer, class Make, class Use>
bool make_blocks_in_order(std::size_t count, unsigned threads, Make&& make, Use&& use) {
  if (threads <= 1 || count <= 1) {
    Buffer buffer;
    for (std::size_t b = 0; b < count; ++b) {
      make(b, buffer);
      if (!use(b, buffer)) return false;
    }
    return true;
  }
  // Two buffers a helper: one being made while the one before waits to be used.
  const std::size_t ring = 2 * std::size_t{threads};
  constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();
  std::vector<Buffer> buffers(ring);
  std::vector<std::size_t> holds(ring, kNone);  // the block each buffer holds, once made
  std::mutex m;
  std::condition_variable changed;
  std::size_t used = 0;  // blocks 0 .. used - 1 have been used
  bool stop = false;
  std::exception_ptr failure;

  auto helper = [&](std::size_t first) {
    for (std::size_t b = first; b < count; b += threads) {
      {
        std::unique_lock lock(m);
        changed.wait(lock, [&] { return stop || used + ring > b; });  // its buffer is free
        if (stop) return;
      }
      try {
        make(b, buffers[b % ring]);
      } catch (...) {
        const std::lock_guard lock(m);
        if (!failure) failure = std::current_exception();
        stop = true;
        changed.notify_all();
        return;
      }
      {
        const std::lock_guard lock(m);
        holds[b % ring] = b;
      }
      changed.notify_all();
    }
  };
  // Stops the helpers however this function is left (declared after them, so it runs before
  // their threads are joined).
  struct Stopper {
    std::mutex& m;
    std::condition_variable& changed;
    bool& stop;
    ~Stopper() {
      {
        const std::lock_guard lock(m);
        stop = true;
      }
      changed.notify_all();
    }
  };

  bool complete = true;
  {
    std::vector<std::jthread> helpers;
    helpers.reserve(threads);
    Stopper stopper{m, changed, stop};
    for (unsigned k = 0; k < threads; ++k) {
      try {
        helpers.emplace_back(helper, std::size_t{k});
      } catch (const std::system_error& e) {
        throw ThreadStartFailure(
            fmt::format("could not start {} threads (started {}): {}", threads, k, e.what()));
      }
    }
    for (std::size_t b = 0; b < count; ++b) {
      {
        std::unique_lock lock(m);
        changed.wait(lock, [&] { return stop || holds[b % ring] == b; });
        if (stop) break;  // a helper failed
      }
      const bool go_on = use(b, buffers[b % ring]);
      {
        const std::lock_guard lock(m);
        ++used;
      }
      changed.notify_all();
      if (!go_on) {
        complete = false;
        break;
      }
    }
  }
  if (failure) std::rethrow_exception(failure);
  return complete;
}

}  // namespace catengine
