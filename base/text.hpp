// Trimming text: the one helper the CSV reader, the binder and the test runner share.
#pragma once

#include <string_view>

namespace catengine {

// `s` without the characters of `blanks` around it; by default spaces and tabs, a cell's
// padding. Almost every cell has none: two tests and done.
inline std::string_view trim(std::string_view s, std::string_view blanks = " \t") {
  if (s.empty() || (blanks.find(s.front()) == std::string_view::npos &&
                    blanks.find(s.back()) == std::string_view::npos)) {
    return s;
  }
  const auto b = s.find_first_not_of(blanks);
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(blanks) - b + 1);
}

}  // namespace catengine
