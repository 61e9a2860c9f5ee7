// Windows-1252 output for gias.csv: GIAS extracts are not UTF-8, so a curly apostrophe is the
// single byte 0x92 there and an en dash 0x96.

#pragma once

#include "model.hpp"

#include <string_view>

namespace report_cards {

// UTF-8 to Windows-1252 for the characters this generator uses (and the rest of Latin-1); any
// other character becomes '?'.
void put_cp1252(Buffer& out, std::string_view s);

// A CSV text field in Windows-1252, quoted when needed.
void put_text_cp1252(Buffer& out, std::string_view s);

}  // namespace report_cards
