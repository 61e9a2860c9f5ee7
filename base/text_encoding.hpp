// The text encodings a source file may be declared in, and their names as a policy writes them.
// The one list: the checker validates `encoding is "..."` against it and the data layer converts
// cells with it (data/text_transcode.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace catengine {

enum class TextEncoding : std::uint8_t {
  Utf8,         // with or without a byte-order mark
  Windows1252,  // GIAS downloads: `St Mary’s` has byte 0x92
};

// The encoding a name stands for, ignoring case, spaces, `-` and `_` ("UTF-8", "utf8",
// "Windows-1252", "cp1252", "Latin-1", "ISO-8859-1"); nothing for any other name.
std::optional<TextEncoding> encoding_named(std::string_view name);

// The canonical name ("UTF-8", "Windows-1252"), for messages and provenance.
std::string_view encoding_name(TextEncoding encoding);

// The names a message offers.
inline constexpr std::string_view kEncodingNamesInWords =
    "\"UTF-8\" and \"Windows-1252\" (also written \"CP1252\" or \"Latin-1\")";

}  // namespace catengine
