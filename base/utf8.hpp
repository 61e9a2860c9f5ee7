// UTF-8 validation and safe display of untrusted text. Policies, data files and calendars are all
// read as UTF-8 and checked once on reading, so no writer (JSON above all) ever sees a byte
// sequence that is not UTF-8; messages that show such bytes escape them as `\xNN`.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace catengine::lang {

// Length of the valid UTF-8 sequence at the start of `s` (2, 3 or 4 for a multi-byte one, 1 for
// ASCII), or 0 when `s` is empty or does not start with one. Overlong forms, surrogates and code
// points above U+10FFFF are not valid.
std::size_t utf8_sequence_length(std::string_view s);

// The offset of the first byte of `s` that is not part of a valid UTF-8 sequence, or npos when
// all of `s` is UTF-8. Runs of ASCII are skipped eight bytes at a time.
std::size_t first_invalid_utf8(std::string_view s);

inline bool is_valid_utf8(std::string_view s) {
  return first_invalid_utf8(s) == std::string_view::npos;
}

// `s` for a one-line message: printable ASCII and valid UTF-8 as they are; line breaks and tabs
// as `\n`, `\r`, `\t`; other control characters and bytes that are not UTF-8 as `\xNN`. Text
// beyond `max_chars` characters is cut and ends in `...`.
std::string shown_text(std::string_view s, std::size_t max_chars = 60);

// `s` with every byte that is not part of valid UTF-8 replaced by U+FFFD, for echoing a source
// line under a caret; valid text comes back unchanged.
std::string replace_invalid_utf8(std::string_view s);

}  // namespace catengine::lang
