// Turning one cell's bytes into UTF-8.
// Everything after reading works on UTF-8 only; a file saved by older Excel or Access exports
// ("CSV (Comma delimited)" on a Western-European Windows) is Windows-1252, and is decoded here a
// cell at a time, so a file that is nearly all ASCII costs nothing extra.
//
// Why a table and not iconv: glibc's iconv decodes Windows-1252 correctly (it refuses the five
// undefined bytes, as below), but a single-byte code page is one lookup a byte. iconv would add
// a descriptor per thread (an iconv_t has state and cannot be shared by the parallel readers), a
// module loaded from disk at run time (gconv, absent from static and stripped builds) and
// errno-style errors, for nothing gained. The 128-entry table below is checked byte for byte in
// text_encoding_test.cpp against one written there from the Unicode mapping file, and against
// glibc iconv.
//
// The five bytes Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) are errors, not
// the C1 control characters Microsoft's converter and the WHATWG decoder turn them into: an
// invisible control character in a school name or a key would match nothing and could not be
// seen in any message, and a file holding those bytes is almost always in some other encoding.
// The error gives the byte's offset in the cell, so the caller can name row and column.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "base/text_encoding.hpp"  // TextEncoding, encoding_named, encoding_name

namespace catengine::engine {

// One cell decoded to UTF-8. `text` is the input itself when nothing needed converting (ASCII,
// or UTF-8 input that is valid), else a view of the caller's scratch string; either way it is
// valid until the input or the scratch string changes.
struct DecodedText {
  std::string_view text;                            // empty when !ok()
  std::size_t bad_offset = std::string_view::npos;  // offset of the first byte that is no
                                                    // character, in the input
  unsigned char bad_byte = 0;
  bool ok() const { return bad_offset == std::string_view::npos; }
};

// Windows-1252 bytes to UTF-8. Pure ASCII comes back as the input view, untouched; otherwise
// the text is written into `scratch` (its capacity is kept, so one scratch string serves a whole
// file). Fails at the first undefined byte (0x81, 0x8D, 0x8F, 0x90, 0x9D).
DecodedText windows1252_to_utf8(std::string_view bytes, std::string& scratch);

// `bytes` in `encoding` to UTF-8: for UTF-8, a check that the bytes are valid UTF-8 (the input
// view comes back; `scratch` is not used); for Windows-1252, the conversion above.
DecodedText to_utf8(TextEncoding encoding, std::string_view bytes, std::string& scratch);

// A message for a failed decode, e.g. "byte 0x81 at offset 4 is not a character in
// Windows-1252; is the file in another encoding?". Precondition: !decoded.ok().
std::string decode_error_message(TextEncoding encoding, const DecodedText& decoded);

}  // namespace catengine::engine
