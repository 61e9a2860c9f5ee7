// Lays out aligned text tables. The widths are measured after clipping, so a clipped column is
// exactly as wide as its widest cell.
#include "report/text_table.hpp"

#include <algorithm>

namespace catengine::engine {

std::size_t display_width(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string clip(const std::string& s, std::size_t width) {
  if (display_width(s) <= width) return s;
  std::string out;
  std::size_t n = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80 && ++n > width - 1) break;
    out += c;
  }
  return out + "…";
}

std::string render_text_table(const TextTable& t) {
  const std::size_t columns = t.heads.size();
  std::vector<std::size_t> width(columns);
  for (std::size_t c = 0; c < columns; ++c) width[c] = display_width(t.heads[c]);
  for (const auto& row : t.rows) {
    for (std::size_t c = 0; c < columns; ++c) width[c] = std::max(width[c], display_width(row[c]));
  }
  std::string out;
  auto cell = [&](const std::string& s, std::size_t c, const char* tint) {
    if (c) out += "  ";
    if (tint) out += tint;
    const std::size_t fill = width[c] - std::min(width[c], display_width(s));
    const bool right = c < t.right.size() && t.right[c];
    if (right) out.append(fill, ' ');
    out += s;
    if (!right) out.append(fill, ' ');
    if (tint) out += "\x1b[0m";
  };
  // No trailing spaces at the end of a line (a coloured last cell ends in its reset code).
  auto end_line = [&] {
    while (!out.empty() && out.back() == ' ') out.pop_back();
    out += '\n';
  };
  for (std::size_t c = 0; c < columns; ++c) cell(t.heads[c], c, t.bold_heads ? "\x1b[1m" : nullptr);
  end_line();
  for (std::size_t c = 0; c < columns; ++c) {
    if (c) out += "  ";
    for (std::size_t i = 0; i < width[c]; ++i) out += "─";
  }
  out += '\n';
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    for (std::size_t c = 0; c < columns; ++c)
      cell(t.rows[r][c], c, r < t.tints.size() ? t.tints[r][c] : nullptr);
    end_line();
  }
  return out;
}

}  // namespace catengine::engine
