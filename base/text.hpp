// Trimming text, and comparing it ignoring ASCII case: the helpers the CSV reader, the binder,
// the test runner and the language server share.
#pragma once

#include <cstddef>
#include <string_view>

namespace catengine {

// Whether `c` is one of `blanks`. A loop over the few blanks rather than string_view::find,
// which calls memchr: trim runs on every cell of a file, twice.
constexpr bool is_one_of(char c, std::string_view blanks) {
  for (char b : blanks) {
    if (c == b) return true;
  }
  return false;
}

// The padded case of trim, kept out of line so that trim's test inlines into every cell's read.
[[gnu::noinline]] inline std::string_view trim_padded(std::string_view s, std::string_view blanks) {
  std::size_t b = 0, e = s.size();
  while (b < e && is_one_of(s[b], blanks)) ++b;
  while (e > b && is_one_of(s[e - 1], blanks)) --e;
  return s.substr(b, e - b);
}

// `s` without the characters of `blanks` around it; by default spaces and tabs, a cell's
// padding. Almost every cell has none: two tests and done.
inline std::string_view trim(std::string_view s, std::string_view blanks = " \t") {
  if (s.empty() || (!is_one_of(s.front(), blanks) && !is_one_of(s.back(), blanks))) return s;
  return trim_padded(s, blanks);
}

// `c` with an ASCII capital lowered; every other byte as it is (no locale: file contents and
// protocol headers are compared the same way on every machine).
constexpr char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// Whether `a` and `b` are the same text ignoring ASCII case.
constexpr bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

}  // namespace catengine
