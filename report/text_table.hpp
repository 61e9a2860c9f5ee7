// An aligned text table for the terminal, the one layout the result and schedule tables share:
// columns two spaces apart, a rule of `─` under the heads, no trailing spaces, widths counted in
// characters (UTF-8), long cells clipped with `…`.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace catengine::engine {

struct TextTable {
  std::vector<std::string> heads;
  std::vector<std::vector<std::string>> rows;  // each as many cells as `heads`
  std::vector<bool> right;                     // per column: right-aligned (numbers); empty: none
  // Per cell: an ANSI colour to wrap it in, or nullptr; empty: no colour. Same shape as `rows`.
  std::vector<std::vector<const char*>> tints;
  bool bold_heads = false;
};

// Characters, not bytes: what a terminal shows of UTF-8 text.
std::size_t display_width(std::string_view s);

// `s` cut to `width` characters, the last being `…`, when it is wider.
std::string clip(const std::string& s, std::size_t width);

std::string render_text_table(const TextTable& t);

}  // namespace catengine::engine
