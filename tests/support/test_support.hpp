// Helpers the unit tests share: reading a file whole (through the engine's own read_file), and a
// small deterministic random generator (splitmix64), so that failures reproduce everywhere.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>

#include "system/atomic_file.hpp"

namespace catengine::test {

inline std::string slurp(const std::filesystem::path& path) {
  std::string error;
  auto text = read_file(path, error);
  if (!text) throw std::runtime_error(error);
  return std::move(*text);
}

struct Random {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  int below(int n) { return static_cast<int>(next() % static_cast<std::uint64_t>(n)); }
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
  bool chance(int percent) { return below(100) < percent; }
};

}  // namespace catengine::test
