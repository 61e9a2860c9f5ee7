// The English words of dates in a policy (`6 months after x`, `15 September in the year of x`),
// written once for the parser that reads them, the checker that quotes them and the formatter
// that writes them back.
#pragma once

#include <array>
#include <string_view>

#include "lang/syntax/ast.hpp"

namespace catengine::lang {

inline constexpr std::array<std::string_view, 12> kMonthNames = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

// The built-in each unit of `COUNT UNIT after DATE` calls, with the unit's singular (the plural
// adds an `s`).
struct DateUnit {
  std::string_view builtin;
  std::string_view singular;
};
inline constexpr std::array<DateUnit, 4> kDateUnits = {{{"add_days", "day"},
                                                        {"add_weeks", "week"},
                                                        {"add_months", "month"},
                                                        {"add_working_days", "working day"}}};

// The built-in a unit as written calls (`day`, `weeks`, `working  days`: any blanks between the
// two words), or an empty view for a word that is not a unit.
constexpr std::string_view builtin_of_unit(std::string_view word) {
  if (word.starts_with("working")) return "add_working_days";
  if (word.ends_with('s')) word.remove_suffix(1);
  for (const DateUnit& u : kDateUnits) {
    if (u.singular == word) return u.builtin;
  }
  return {};
}

// The singular unit of a date-shifting built-in, or an empty view for any other name.
constexpr std::string_view unit_of_builtin(std::string_view builtin) {
  for (const DateUnit& u : kDateUnits) {
    if (u.builtin == builtin) return u.singular;
  }
  return {};
}

// `of`, `after` or `before`, the word after `in the year` for a day of the year's spelling.
constexpr std::string_view year_relation(Spelling s) {
  return s == Spelling::YearAfter ? "after" : s == Spelling::YearBefore ? "before" : "of";
}

}  // namespace catengine::lang
