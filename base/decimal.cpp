// Exact decimal numbers as scaled 64-bit integers: parsing, formatting, checked arithmetic.
#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <iterator>

#include "base/decimal_write.hpp"
#include "base/value.hpp"

namespace catengine::decimal {

std::optional<Value> parse(std::string_view text) {
  // 64-bit arithmetic throughout: the whole part is refused once it passes kMaxWhole, so it
  // never nears overflow, and whole * kScale + fraction stays below 2^64.
  const char* p = text.data();
  const char* const e = p + text.size();
  bool negative = false;
  if (p != e && (*p == '+' || *p == '-')) {
    negative = *p == '-';
    ++p;
  }
  const char* const whole_begin = p;
  std::uint64_t whole = 0;
  for (unsigned d; p != e && (d = static_cast<unsigned char>(*p) - unsigned{'0'}) < 10; ++p) {
    whole = whole * 10 + d;
    if (whole > static_cast<std::uint64_t>(kMaxWhole)) return std::nullopt;
  }
  if (p == whole_begin) return std::nullopt;
  std::uint64_t fraction = 0;
  int fraction_digits = 0;
  if (p != e && *p == '.') {
    ++p;
    for (unsigned d; p != e && (d = static_cast<unsigned char>(*p) - unsigned{'0'}) < 10; ++p) {
      if (fraction_digits == kDigits) return std::nullopt;  // more precision than we hold
      fraction = fraction * 10 + d;
      ++fraction_digits;
    }
    if (fraction_digits == 0) return std::nullopt;
  }
  if (p != e) return std::nullopt;
  static constexpr std::uint64_t kScaleOf[] = {1'000'000, 100'000, 10'000, 1'000, 100, 10, 1};
  static_assert(std::size(kScaleOf) == kDigits + 1);
  const std::uint64_t v =
      whole * static_cast<std::uint64_t>(kScale) + fraction * kScaleOf[fraction_digits];
  if (v > static_cast<std::uint64_t>(std::numeric_limits<Value>::max())) return std::nullopt;
  return negative ? -static_cast<Value>(v) : static_cast<Value>(v);
}

char* write(char* out, Value v) {
  if (v == kMissing) return out;
  const bool negative = v < 0;
  const unsigned long long magnitude =
      negative ? 0ULL - static_cast<unsigned long long>(v) : static_cast<unsigned long long>(v);
  const unsigned long long whole = magnitude / kScale;
  unsigned long long fraction = magnitude % kScale;
  char* end = out;
  if (negative) *end++ = '-';
  end = std::to_chars(end, out + kMaxText, whole).ptr;
  if (fraction != 0) {
    *end++ = '.';
    int digits = kDigits;
    while (fraction % 10 == 0) {  // shortest exact form: drop trailing zeros
      fraction /= 10;
      --digits;
    }
    for (int i = digits - 1; i >= 0; --i) {
      end[i] = static_cast<char>('0' + fraction % 10);
      fraction /= 10;
    }
    end += digits;
  }
  return end;
}

void append(std::string& out, Value v) {
  // Filled from a stack buffer, because results files hold millions of numbers.
  char buffer[kMaxText];
  out.append(buffer, static_cast<std::size_t>(write(buffer, v) - buffer));
}

std::string format(Value v) {
  std::string out;
  append(out, v);
  return out;
}

namespace {
std::optional<Value> narrow(__int128 v) {
  if (v > std::numeric_limits<Value>::max() || v <= std::numeric_limits<Value>::min()) {
    return std::nullopt;
  }
  return static_cast<Value>(v);
}
// Divides rounding half away from zero.
__int128 round_div(__int128 n, __int128 d) {
  __int128 q = n / d;
  __int128 r = n % d;
  if (r < 0) r = -r;
  __int128 ad = d < 0 ? -d : d;
  if (2 * r >= ad) q += ((n < 0) != (d < 0)) ? -1 : 1;
  return q;
}
}  // namespace

std::optional<Value> add(Value a, Value b) {
  return narrow(static_cast<__int128>(a) + b);
}
std::optional<Value> sub(Value a, Value b) {
  return narrow(static_cast<__int128>(a) - b);
}
std::optional<Value> mul(Value a, Value b) {
  return narrow(round_div(static_cast<__int128>(a) * b, kScale));
}
std::optional<Value> div(Value a, Value b) {
  if (b == 0) return std::nullopt;
  return narrow(round_div(static_cast<__int128>(a) * kScale, b));
}

}  // namespace catengine::decimal
