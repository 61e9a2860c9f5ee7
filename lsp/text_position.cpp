// Byte offsets and UTF-16 positions, and incremental edits applied to a document's bytes.
#include "lsp/text_position.hpp"

#include <algorithm>

#include "base/utf8.hpp"

namespace catengine::lsp {

Utf8Step utf8_step(std::string_view text, std::size_t i) {
  const std::size_t n = lang::utf8_sequence_length(text.substr(i));
  if (n == 0) return {1, 1};
  return {n, n == 4 ? 2u : 1u};
}

std::uint32_t utf16_length(std::string_view text) {
  std::uint32_t units = 0;
  for (std::size_t i = 0; i < text.size();) {
    const Utf8Step s = utf8_step(text, i);
    units += s.units;
    i += s.bytes;
  }
  return units;
}

LineIndex::LineIndex(std::string_view text) {
  starts_.push_back(0);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n'))) {
      starts_.push_back(static_cast<std::uint32_t>(i + 1));
    }
  }
}

namespace {

// Where the line's content ends: before its `\n`, `\r\n` or `\r`.
std::size_t content_end(std::string_view text, std::size_t start, std::size_t next) {
  std::size_t end = next;
  if (end > start && end <= text.size() && text[end - 1] == '\n') --end;
  if (end > start && end <= text.size() && text[end - 1] == '\r') --end;
  return end;
}

}  // namespace

Position LineIndex::position(std::string_view text, std::size_t offset) const {
  offset = std::min(offset, text.size());
  const auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
  const auto line = static_cast<std::uint32_t>(it - starts_.begin() - 1);
  Position p{line, 0};
  for (std::size_t i = starts_[line]; i < offset;) {
    const Utf8Step s = utf8_step(text, i);
    if (i + s.bytes > offset) break;  // inside a character: its start
    p.character += s.units;
    i += s.bytes;
  }
  return p;
}

std::size_t LineIndex::offset(std::string_view text, Position p) const {
  if (p.line >= starts_.size()) return text.size();
  const std::size_t start = starts_[p.line];
  const std::size_t next = p.line + 1 < starts_.size() ? starts_[p.line + 1] : text.size();
  const std::size_t end = content_end(text, start, next);
  std::size_t i = start;
  std::uint32_t units = 0;
  while (i < end && units < p.character) {
    const Utf8Step s = utf8_step(text, i);
    // A position between the two units of a surrogate pair is not a place in the text: the
    // character's start.
    if (units + s.units > p.character) break;
    units += s.units;
    i += s.bytes;
  }
  return i;
}

void apply_changes(std::string& text, const std::vector<TextChange>& changes) {
  for (const TextChange& c : changes) {
    if (!c.has_range) {
      text = c.text;
      continue;
    }
    const LineIndex index(text);
    std::size_t begin = index.offset(text, c.range.start);
    std::size_t end = index.offset(text, c.range.end);
    if (end < begin) std::swap(begin, end);
    text.replace(begin, end - begin, c.text);
  }
}

}  // namespace catengine::lsp
