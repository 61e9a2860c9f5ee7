// How every value of the language is held at run time: one 64-bit integer, with one bit pattern
// reserved for "missing". The type, known statically, says how to read the integer:
//   integer, number, percent  exact decimal, scaled by 10^6 (64.9 is 64'900'000)
//   boolean                    0 or 1
//   date                       days since 1970-01-01 (std::chrono::sys_days)
//   enumeration, scale         index of the member, in declaration order (scales: best first)
//   text                       index into a TextPool
//   academic year              the calendar year it starts in (2016/17 is 2016)
// One representation keeps the evaluator's slots a flat array of int64 with no tags.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace catengine {

using Value = std::int64_t;
inline constexpr Value kMissing = std::numeric_limits<Value>::min();

namespace decimal {

inline constexpr int kDigits = 6;           // digits after the point
inline constexpr Value kScale = 1'000'000;  // 10^kDigits
// Largest magnitude a decimal may hold, in whole units (about 9.2 million million).
inline constexpr Value kMaxWhole = std::numeric_limits<Value>::max() / kScale;

inline constexpr Value from_integer(std::int64_t i) {
  return i * kScale;
}

// Parses an ASCII decimal: optional sign, digits, optional point and up to kDigits digits.
// No exponent, no thousands separators, no spaces. Returns nullopt when malformed or too large.
std::optional<Value> parse(std::string_view text);

// Shortest exact form: 59.9, -5, 0.25 (never "59.900000" or "-0").
std::string format(Value v);
void append(std::string& out, Value v);  // the same text, appended without allocating

// Exact arithmetic; nullopt on overflow (and on division by zero). Multiplication and division
// round half away from zero to kDigits places.
std::optional<Value> add(Value a, Value b);
std::optional<Value> sub(Value a, Value b);
std::optional<Value> mul(Value a, Value b);
std::optional<Value> div(Value a, Value b);

}  // namespace decimal
}  // namespace catengine
