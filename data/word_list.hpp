// Private to the binder (data/binder*.cpp and the cell readers): short lists of words matched
// ignoring ASCII case, the first match winning. Missing codes, yes and no words and an
// enumeration's labels are matched against most cells of a file, so a list is worked out once
// into a table a cell is found in with one multiplication and one comparison.
#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "base/text.hpp"
#include "base/value.hpp"

namespace catengine::engine::binder_detail {

// The first eight bytes of `t` (zero-padded), ASCII letters lowered, as one integer: a short
// word then compares ignoring case in one instruction. Lowers the same bytes ascii_lower does.
// Always inlined: it runs on most cells of a file, and a call costs as much as its work.
[[gnu::always_inline]] inline std::uint64_t packed_lower(std::string_view t) {
  std::uint64_t x = 0;
  const char* const p = t.data();
  const std::size_t n = t.size();
  if (n >= 8) {
    std::memcpy(&x, p, 8);
  } else if constexpr (std::endian::native == std::endian::little) {
    // Two loads that overlap (or meet) cover the word; the bytes they share are the same, so
    // or-ing them is exact. A memcpy of a variable length would be a call.
    if (n >= 4) {
      std::uint32_t lo, hi;
      std::memcpy(&lo, p, 4);
      std::memcpy(&hi, p + n - 4, 4);
      x = lo | std::uint64_t{hi} << (8 * (n - 4));
    } else if (n >= 2) {
      std::uint16_t lo, hi;
      std::memcpy(&lo, p, 2);
      std::memcpy(&hi, p + n - 2, 2);
      x = lo | std::uint64_t{hi} << (8 * (n - 2));
    } else if (n == 1) {
      x = static_cast<unsigned char>(p[0]);
    }
  } else {  // byte by byte, in the order a little-endian load would give
    for (std::size_t i = 0; i < n; ++i) {
      x |= std::uint64_t{static_cast<unsigned char>(p[i])} << (8 * i);
    }
  }
  constexpr std::uint64_t ones = 0x0101010101010101ULL, low7 = ones * 0x7F, high = ones * 0x80;
  const std::uint64_t h = x & low7;
  const std::uint64_t at_least_a = h + ones * (0x80 - 'A');        // high bit: byte >= 'A'
  const std::uint64_t beyond_z = h + ones * (0x80 - 'Z' - 1);      // high bit: byte > 'Z'
  const std::uint64_t upper = at_least_a & ~beyond_z & ~x & high;  // ASCII only
  return x | (upper >> 2);                                         // 0x80 >> 2 is 0x20
}

// iequals for two texts of the same length, more than eight bytes, whose first eight bytes
// are already known to match: eight bytes at a time, the last eight overlapping.
inline bool iequals_rest(std::string_view a, std::string_view b) {
  const std::size_t n = a.size();
  for (std::size_t i = 8; i + 8 < n; i += 8) {
    if (packed_lower(a.substr(i, 8)) != packed_lower(b.substr(i, 8))) return false;
  }
  return packed_lower(a.substr(n - 8)) == packed_lower(b.substr(n - 8));
}

// A list of words, each matched ignoring ASCII case; where two words match the same text, the
// first added wins. A word is found through a table of 2^k slots indexed by a multiplicative
// hash of its packed first eight bytes and its length, with a multiplier chosen (when the list
// is complete) so that no two words share a slot: a cell is then one hash, one load and one
// comparison. Words that cannot be told apart by the hash's inputs (longer than eight bytes,
// same start and length) fall back to a scan of the list.
class WordList {
 public:
  void add(std::string_view word, Value value) {
    for (const Entry& e : entries_) {
      if (iequals(e.word, word)) return;  // an earlier word already wins
    }
    // A word of nine to sixteen bytes is told apart by its first and last eight.
    const std::uint64_t tail = word.size() > 8 ? packed_lower(word.substr(word.size() - 8)) : 0;
    entries_.push_back({packed_lower(word), word.size(), value, word, tail});
    if (word.size() < 64) {
      lengths_ |= std::uint64_t{1} << word.size();
    } else {
      any_long_ = true;
    }
    slots_.clear();  // scanned until planned again
  }
  // Looks for a multiplier that gives every word a slot of its own, in tables of up to 16 times
  // as many slots as words; leaves the list scanned when there is none or the list is long.
  // Called once the list is complete.
  void plan() {
    slots_.clear();
    single_ready_ = false;
    if (entries_.empty() || entries_.size() >= kNone) return;
    // One-byte words (grades, `y`, `1`) by the byte itself, either case of a letter: the value
    // itself when it fits the byte, as nearly every word's does (a label's index, yes or no).
    single_.fill(kNone);
    for (const Entry& e : entries_) {
      if (e.size != 1) continue;
      const auto lower = static_cast<unsigned char>(e.packed);
      const std::uint8_t code = e.value == kMissing ? kMissingCode
                                : e.value >= 0 && e.value < kLookUp
                                    ? static_cast<std::uint8_t>(e.value)
                                    : kLookUp;
      single_[lower] = code;  // one entry a byte: add() keeps the first
      if (lower >= 'a' && lower <= 'z') single_[lower - 'a' + 'A'] = code;
    }
    single_ready_ = true;
    unsigned bits = 1;
    while ((std::size_t{1} << bits) < 2 * entries_.size()) ++bits;
    for (unsigned extra = 0; extra < 4; ++extra, ++bits) {
      shift_ = 64 - bits;
      std::uint64_t m = 0x9E3779B97F4A7C15ULL;  // odd multipliers, from the golden ratio on
      for (int attempt = 0; attempt < 64; ++attempt, m += 0x632BE59BD9B4E019ULL * 2) {
        multiplier_ = m;
        slots_.assign(std::size_t{1} << bits, kNone);
        bool clash = false;
        for (std::size_t i = 0; i < entries_.size() && !clash; ++i) {
          std::uint8_t& s = slots_[slot(entries_[i].packed, entries_[i].size)];
          clash = s != kNone;
          s = static_cast<std::uint8_t>(i);
        }
        if (!clash) return;
      }
    }
    slots_.clear();
  }
  // Whether some word starts or ends with a byte trim() takes away (a space or a tab).
  bool any_padded() const {
    for (const Entry& e : entries_) {
      if (trim(e.word).size() != e.word.size()) return true;
    }
    return false;
  }
  [[gnu::always_inline]] bool find(std::string_view t, Value& value) const {
    if (t.size() == 1 && single_ready_) {
      const std::uint8_t k = single_[static_cast<unsigned char>(t[0])];
      if (k < kLookUp) [[likely]] {
        value = k;
        return true;
      }
      if (k == kNone) return false;
      if (k == kMissingCode) {
        value = kMissing;
        return true;
      }
      // kLookUp: a value the byte cannot hold, found as a longer word is.
    }
    const std::uint64_t key = packed_lower(t);
    if (!slots_.empty()) [[likely]] {
      const std::uint8_t k = slots_[slot(key, t.size())];
      if (k == kNone) return false;
      const Entry& e = entries_[k];
      if (e.size != t.size() || e.packed != key) return false;
      if (e.size > 8 && (e.size > 16 ? !iequals_rest(t, e.word)
                                     : packed_lower(t.substr(t.size() - 8)) != e.tail)) {
        return false;
      }
      value = e.value;
      return true;
    }
    // A perfect hash needs no test of the length first (the entry is compared); a scan does.
    if (t.size() < 64 ? (lengths_ >> t.size() & 1) == 0 : !any_long_) return false;
    for (const Entry& e : entries_) {
      if (e.size == t.size() && e.packed == key && (e.size <= 8 || iequals_rest(t, e.word))) {
        value = e.value;
        return true;
      }
    }
    return false;
  }

 private:
  struct Entry {
    std::uint64_t packed;
    std::size_t size;
    Value value;
    std::string_view word;  // in the schema, which outlives the binder
    std::uint64_t tail;     // more than eight bytes: packed_lower of the last eight
  };
  static constexpr std::uint8_t kNone = 0xFF;
  // single_'s codes beside a value (below kLookUp): a missing code, or a value found otherwise.
  static constexpr std::uint8_t kMissingCode = 0xFE;
  static constexpr std::uint8_t kLookUp = 0xFD;

  std::size_t slot(std::uint64_t key, std::size_t size) const {
    return static_cast<std::size_t>(((key ^ size) * multiplier_) >> shift_);
  }
  std::vector<Entry> entries_;
  std::vector<std::uint8_t> slots_;         // entry index by slot, kNone for none; empty: scan
  std::array<std::uint8_t, 256> single_{};  // a one-byte word's value (or code) by its byte
  bool single_ready_ = false;               // set by plan()
  std::uint64_t multiplier_ = 1;
  unsigned shift_ = 63;
  std::uint64_t lengths_ = 0;  // bit n: some word has n characters
  bool any_long_ = false;      // some word has 64 or more
};

}  // namespace catengine::engine::binder_detail
