// A small Wadler-style document for laying out expressions: text, breakable spaces, groups that
// fit flat or break, and alignment to a column, printed into kFormatWidth columns. Knows nothing
// of policies; the formatter (formatter.cpp) builds documents and places comments.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace catengine::lang {

// Text; a Line (a space when its group fits on the line, else a line break to the current
// indentation); Concat; Align (indentation = the current column); Group (fits flat or breaks).
struct Doc {
  enum class Kind : std::uint8_t { Text, Line, Concat, Align, Group } kind = Kind::Concat;
  std::string text;
  std::int64_t src = -1;  // Text: source offset of the token it prints, where a line may start
  std::vector<Doc> parts;
};

// Text printing `s`; `src` is the source offset of the token it prints, or -1.
Doc text(std::string s, std::int64_t src = -1);
// A space when its group fits on the line, else a line break to the current indentation.
Doc line();
Doc cat(std::vector<Doc> parts);
// Indentation inside `inner` is the column where it starts.
Doc align(Doc inner);
// `inner` flat if it fits, else with its own lines broken.
Doc group(Doc inner);

// Columns a string takes: one per UTF-8 code point.
int width_of(std::string_view s);
// Whether `d`, laid out flat from column `indent`, fits in kFormatWidth.
bool fits_flat(int indent, const Doc& d);

// A printed line: its text (with indentation) and the source offset of its first token.
struct PrintedLine {
  std::string text;
  std::int64_t first_src = -1;
};

// `doc` printed from column `indent`, each line without trailing spaces.
std::vector<PrintedLine> print_doc(const Doc& doc, int indent);

}  // namespace catengine::lang
