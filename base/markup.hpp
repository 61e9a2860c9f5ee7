// Text made safe inside HTML and XML: the one escaper behind the report pages (papers/) and the
// JUnit XML of `catengine test` (tools/), and the one reader of a hexadecimal digit.
#pragma once

#include <string>
#include <string_view>

namespace catengine {

// Appends `text` with & < > " ' written as references (the apostrophe as &#39;, which HTML and
// XML both read), and the control characters XML 1.0 forbids even as references (all below
// 0x20 but tab, line feed and carriage return) as `?`, so the result is valid in both.
void append_markup_escaped(std::string& out, std::string_view text);
std::string markup_escaped(std::string_view text);

// The value of a hexadecimal digit (either case), or -1 for any other character.
constexpr int hex_digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace catengine
