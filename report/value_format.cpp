// Formats values by type. Dates go through <chrono>; decimals through decimal::append. Both
// write digits straight into the output: results files hold millions of values.
#include "report/value_format.hpp"

#include <charconv>
#include <cstdlib>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/calendar.hpp"

namespace catengine::engine {

using lang::BaseType;

void ValueFormatter::append(std::string& out, Value v, const lang::Type& type) const {
  if (v == kMissing) return;
  switch (type.base) {
    case BaseType::Integer:
    case BaseType::Number:
    case BaseType::Percent:
      decimal::append(out, v);
      return;
    case BaseType::Boolean:
      out += v ? "yes" : "no";
      return;
    case BaseType::Text:
      out += text_.text(v);
      return;
    case BaseType::Date:
      append_iso(out, v);
      return;
    case BaseType::AcademicYear: {
      char buffer[32];
      char* end = std::to_chars(buffer, buffer + 20, v).ptr;
      const Value next = (v + 1) % 100;
      *end++ = '/';
      *end++ = static_cast<char>('0' + (next < 0 ? -next : next) / 10);
      *end++ = static_cast<char>('0' + (next < 0 ? -next : next) % 10);
      out.append(buffer, static_cast<std::size_t>(end - buffer));
      return;
    }
    case BaseType::Enum: {
      const auto& members = policy_.enums.at(type.enum_id).members;
      if (v >= 0 && static_cast<std::size_t>(v) < members.size())
        out += members[static_cast<std::size_t>(v)].key;
      return;
    }
    case BaseType::Error:
      return;
  }
}

std::string ValueFormatter::format(Value v, const lang::Type& type) const {
  std::string out;
  append(out, v, type);
  return out;
}

std::string ValueFormatter::duration(Value count, const lang::Type& type,
                                     lang::DurationUnit unit) const {
  if (unit == lang::DurationUnit::None || count == kMissing) return format(count, type);
  if (unit == lang::DurationUnit::Days && count == decimal::kScale / 2) return "half a day";
  const std::string word = unit == lang::DurationUnit::Days ? "day" : "hour";
  const std::string n = format(count, lang::kNumber);
  return count == decimal::kScale ? "1 " + word : n + " " + word + "s";
}

nlohmann::ordered_json ValueFormatter::json(Value v, const lang::Type& type) const {
  if (v == kMissing) return nullptr;
  if (type.base == BaseType::Boolean) return v != 0;
  const std::string text = format(v, type);
  if (!type.is_numeric()) return text;
  if (v % decimal::kScale == 0) return v / decimal::kScale;
  // A fraction: a JSON number only if the shortest double text is our exact decimal text.
  const double d = std::strtod(text.c_str(), nullptr);
  if (fmt::format("{}", d) == text) return d;
  return text;
}

std::string ValueFormatter::describe(Value v, const lang::Type& type) const {
  if (v == kMissing) return "missing";
  std::string out = format(v, type);
  if (type.base == BaseType::Enum) {
    const auto& members = policy_.enums.at(type.enum_id).members;
    const auto& m = members.at(static_cast<std::size_t>(v));
    if (!m.description.empty()) out += fmt::format(" ({})", m.description);
  }
  return out;
}

}  // namespace catengine::engine
