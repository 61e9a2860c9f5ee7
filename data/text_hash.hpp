// The hash of a text that the TextPool's index is kept by. Inline and eight bytes at a time:
// std::hash<std::string_view> is a call into libstdc++ (_Hash_bytes) that took about 100
// instructions for a school name, half the cost of interning one; a file of 240,000 records
// interns as many names.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace catengine::engine {

// Mixes each eight bytes in with a multiplication; the last (up to) eight bytes are one load
// that overlaps the bytes before when the text has eight or more, so no byte loop is needed.
[[gnu::always_inline]] inline std::uint64_t text_hash(std::string_view text) {
  constexpr std::uint64_t kMultiplier = 0x9E3779B97F4A7C15ULL;
  const char* p = text.data();
  std::size_t n = text.size();
  std::uint64_t h = n * kMultiplier;
  std::uint64_t word = 0;
  if (n >= 8) {
    for (; n > 8; p += 8, n -= 8) {
      std::memcpy(&word, p, 8);
      h = std::rotl((h ^ word) * kMultiplier, 29);  // high bits down, for the next word
    }
    std::memcpy(&word, p + n - 8, 8);  // the last eight bytes, overlapping when n < 8
  } else if (n >= 4) {
    std::uint32_t lo = 0, hi = 0;
    std::memcpy(&lo, p, 4);
    std::memcpy(&hi, p + n - 4, 4);
    word = lo | std::uint64_t{hi} << 32;
  } else if (n > 0) {
    word = static_cast<unsigned char>(p[0]) |
           std::uint64_t{static_cast<unsigned char>(p[n / 2])} << 8 |
           std::uint64_t{static_cast<unsigned char>(p[n - 1])} << 16;
  }
  // A product's high bits hold what its low bits do not: two rounds of folding them down and
  // multiplying again let every byte reach the low bits the index keeps.
  h = (h ^ word) * kMultiplier;
  h = (h ^ (h >> 32)) * kMultiplier;
  return h ^ (h >> 32);
}

}  // namespace catengine::engine
