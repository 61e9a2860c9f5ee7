// The protocol's positions: a line and a character counted in UTF-16 code units, which the
// language server converts to and from the byte offsets the policy's spans carry. Lines end at
// `\n`, `\r\n` or a lone `\r`, as the protocol says. A byte that is not part of a UTF-8
// character counts one unit, as the U+FFFD an editor shows in its place would.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace catengine::lsp {

struct Position {
  std::uint32_t line = 0;
  std::uint32_t character = 0;  // UTF-16 code units from the start of the line
  friend bool operator==(const Position&, const Position&) = default;
};

struct Range {
  Position start;
  Position end;
  friend bool operator==(const Range&, const Range&) = default;
};

// The starts of the lines of one text, for converting between bytes and positions.
class LineIndex {
 public:
  explicit LineIndex(std::string_view text);

  // The position of byte `offset` (clamped to the text's end; inside a character, its start).
  Position position(std::string_view text, std::size_t offset) const;
  // The byte offset of `p`: a character past the line's end means its end, a line past the
  // last means the end of the text, as the protocol asks.
  std::size_t offset(std::string_view text, Position p) const;
  std::uint32_t line_count() const { return static_cast<std::uint32_t>(starts_.size()); }
  std::uint32_t line_start(std::uint32_t line) const { return starts_.at(line); }

 private:
  std::vector<std::uint32_t> starts_;  // byte offset where each line starts
};

// The length in bytes of the UTF-8 sequence starting at text[i], 1 for a byte that starts none,
// and how many UTF-16 units it takes.
struct Utf8Step {
  std::size_t bytes = 1;
  std::uint32_t units = 1;
};
Utf8Step utf8_step(std::string_view text, std::size_t i);

// The number of UTF-16 code units of `text`.
std::uint32_t utf16_length(std::string_view text);

// One change of TextDocumentSyncKind.Incremental: `range` replaced by `text`; without a range the
// whole document is replaced.
struct TextChange {
  bool has_range = false;
  Range range;
  std::string text;
};

// Applies changes in order, as the protocol sends them (each against the text the previous one
// left).
void apply_changes(std::string& text, const std::vector<TextChange>& changes);

}  // namespace catengine::lsp
