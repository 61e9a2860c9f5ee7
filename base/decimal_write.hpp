// A decimal's text written through a plain pointer, for writers that format millions of cells
// into a buffer they have already made room in (the CSV writer). Its own header so the few
// callers that need it do not make every includer of base/value.hpp rebuild.
#pragma once

#include "base/value.hpp"

#include <cstddef>

namespace catengine::decimal {

// The most bytes write() produces: a sign, 20 digits, the point and kDigits digits.
inline constexpr std::size_t kMaxText = 1 + 20 + 1 + kDigits;

// Writes the shortest exact form of `v` (as format() gives it; nothing for kMissing) at `out`,
// which has room for kMaxText bytes, and returns the end of what it wrote.
char* write(char* out, Value v);

}  // namespace catengine::decimal
