// What the synthetic record generators share: a portable random-number generator (the same bytes
// on every platform for the same seed), civil dates through <chrono>, CSV output into one buffer,
// and argument parsing helpers.
#pragma once

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <array>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <iterator>
#include <string_view>

namespace synthetic {

// Places in and around Peterborough, for school names (both Peterborough generators).
constexpr std::array<std::string_view, 42> kPeterboroughPlaces = {
    "Orton Longueville", "Orton Wistow", "Orton Goldhay",   "Werrington",
    "Bretton",           "Hampton Vale", "Hampton Hargate", "Paston",
    "Stanground",        "Dogsthorpe",   "Fletton",         "Old Fletton",
    "Gunthorpe",         "Eye",          "Thorney",         "Walton",
    "Westwood",          "Ravensthorpe", "Netherton",       "Longthorpe",
    "Millfield",         "Eastfield",    "Parnwell",        "Newborough",
    "Glinton",           "Castor",       "Ailsworth",       "Wittering",
    "Barnack",           "Yaxley",       "Woodston",        "Hampton",
    "Welland",           "Gladstone",    "Northborough",    "Peakirk",
    "Deeping Gate",      "Marholm",      "Helpston",        "Wansford",
    "Nene Valley",       "Cathedral"};

// splitmix64: small, fast, and fully specified, unlike std::uniform_*_distribution.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}

  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

  // Uniform in [0, n), n > 0, without modulo bias.
  std::uint64_t below(std::uint64_t n) {
    const std::uint64_t threshold = (0 - n) % n;  // 2^64 mod n
    for (;;) {
      const std::uint64_t x = next();
      if (x >= threshold) return x % n;
    }
  }

  // Uniform in [lo, hi].
  int range(int lo, int hi) {
    return lo + static_cast<int>(below(static_cast<std::uint64_t>(hi - lo) + 1));
  }

  // True with probability per_mille / 1000.
  bool chance(int per_mille) { return static_cast<int>(below(1000)) < per_mille; }

  // Triangular noise in [-k, k], mean 0. (Two statements: the order in which the operands of
  // one expression are evaluated is unspecified, and must not decide the output.)
  int noise(int k) {
    const int a = range(0, k);
    const int b = range(0, k);
    return a - b;
  }

  template <typename T, std::size_t N>
  const T& pick(const std::array<T, N>& items) {
    return items[static_cast<std::size_t>(below(N))];
  }

 private:
  std::uint64_t state_;
};

struct Date {
  int y, m, d;
};

// Whether y-m-d is a day of the calendar.
inline bool valid_date(int y, int m, int d) {
  if (m < 1 || m > 12 || d < 1 || d > 31) return false;
  return std::chrono::year_month_day{std::chrono::year{y},
                                     std::chrono::month{static_cast<unsigned>(m)},
                                     std::chrono::day{static_cast<unsigned>(d)}}
      .ok();
}

// Days since 1970-01-01 of a valid date.
inline long days_from_civil(int y, int m, int d) {
  const std::chrono::sys_days day{std::chrono::year{y} /
                                  std::chrono::month{static_cast<unsigned>(m)} /
                                  std::chrono::day{static_cast<unsigned>(d)}};
  return static_cast<long>(day.time_since_epoch().count());
}

inline Date civil_from_days(long days) {
  const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{days}}};
  return {static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
          static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

using Buffer = fmt::memory_buffer;

inline void put(Buffer& out, std::string_view s) {
  out.append(s.data(), s.data() + s.size());
}

// A CSV field, quoted when it holds a comma, quote or line break.
inline void put_text(Buffer& out, std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) {
    put(out, s);
    return;
  }
  out.push_back('"');
  for (char c : s) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

// A date written as a spreadsheet export might: YYYY-MM-DD with probability iso/1000, else
// D/M/YYYY with probability short_dmy/1000, else DD/MM/YYYY.
inline void put_date(Buffer& out, Rng& rng, long day, int iso, int short_dmy) {
  const Date d = civil_from_days(day);
  if (rng.chance(iso)) {
    fmt::format_to(std::back_inserter(out), "{:04}-{:02}-{:02}", d.y, d.m, d.d);
  } else if (rng.chance(short_dmy)) {
    fmt::format_to(std::back_inserter(out), "{}/{}/{}", d.d, d.m, d.y);
  } else {
    fmt::format_to(std::back_inserter(out), "{:02}/{:02}/{}", d.d, d.m, d.y);
  }
}

// An enumeration value, now and then capitalised as spreadsheets do.
inline void put_enumeration(Buffer& out, Rng& rng, std::string_view v) {
  if (!v.empty() && rng.chance(40)) {
    out.push_back(static_cast<char>(v[0] >= 'a' && v[0] <= 'z' ? v[0] - 32 : v[0]));
    put(out, v.substr(1));
    return;
  }
  put(out, v);
}

// The options every generator takes: --count (required, 0 to 900000, so URNs stay unique
// six-digit numbers) and --seed.
inline void add_count_and_seed(CLI::App& app, std::uint64_t& count, std::uint64_t& seed) {
  app.add_option("--count", count, "Number of records; URNs are unique 6-digit numbers")
      ->required()
      ->check(CLI::Range(std::uint64_t{0}, std::uint64_t{900000}));
  app.add_option("--seed", seed,
                 "Random seed (default 1); the output is byte-identical on every platform for "
                 "the same arguments");
}

inline bool parse_u64(std::string_view s, std::uint64_t& v) {
  if (s.empty()) return false;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc{} && p == s.data() + s.size();
}

inline std::uint64_t gcd(std::uint64_t a, std::uint64_t b) {
  while (b != 0) {
    const std::uint64_t t = a % b;
    a = b;
    b = t;
  }
  return a;
}

}  // namespace synthetic
