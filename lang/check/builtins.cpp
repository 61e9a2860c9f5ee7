// The table of built-in functions, by name.
#include "lang/check/builtins.hpp"

#include <array>

namespace catengine::lang {

namespace {
constexpr std::array kBuiltins{
    BuiltinInfo{Builtin::Rule, "rule", "rule of DECISION"},
    BuiltinInfo{Builtin::EndYear, "end_year", "end_year of ACADEMIC_YEAR"},
    BuiltinInfo{Builtin::StartYear, "start_year", "start_year of ACADEMIC_YEAR"},
    BuiltinInfo{Builtin::Year, "year", "year of DATE"},
    BuiltinInfo{Builtin::Worst, "worst", "worst of [SCALE, ...]"},
    BuiltinInfo{Builtin::Best, "best", "best of [SCALE, ...]"},
    BuiltinInfo{Builtin::Min, "min", "min(NUMBER, ...)"},
    BuiltinInfo{Builtin::Max, "max", "max(NUMBER, ...)"},
    BuiltinInfo{Builtin::AddDays, "add_days", "add_days(DATE, INTEGER)"},
    BuiltinInfo{Builtin::AddWeeks, "add_weeks", "add_weeks(DATE, INTEGER)"},
    BuiltinInfo{Builtin::AddMonths, "add_months", "add_months(DATE, INTEGER)"},
    BuiltinInfo{Builtin::AddWorkingDays, "add_working_days", "add_working_days(DATE, INTEGER)"},
    BuiltinInfo{Builtin::FirstWorkingDayOnOrAfter, "first_working_day_on_or_after",
                "first_working_day_on_or_after(DATE)"},
    BuiltinInfo{Builtin::DateOf, "date_of", "date_of(YEAR, MONTH, DAY)"},
    BuiltinInfo{Builtin::EarliestOnOrAfter, "earliest_on_or_after",
                "earliest_on_or_after(DATE, [DATE, ...])"},
    BuiltinInfo{Builtin::FirstDateOf, "first_date_of", "first_date_of(PARAMETER, DATE)"},
    BuiltinInfo{Builtin::TermEnd, "term_end", "term_end(DATE)"},
    BuiltinInfo{Builtin::GoodFriday, "good_friday", "good_friday(YEAR)"},
    BuiltinInfo{Builtin::Grounds, "grounds", "grounds of NOTICE"},
    BuiltinInfo{Builtin::Due, "due", "due of NOTICE"},
    BuiltinInfo{Builtin::NextDue, "next_due", "next_due of CADENCE"},
    BuiltinInfo{Builtin::Overdue, "overdue", "overdue of CADENCE"},
    BuiltinInfo{Builtin::HowMany, "how_many", "how_many of [YES/NO, ...]"},
};
}  // namespace

std::optional<Builtin> find_builtin(std::string_view name) {
  for (const auto& b : kBuiltins) {
    if (b.name == name) return b.id;
  }
  return std::nullopt;
}

const BuiltinInfo& info(Builtin b) {
  return kBuiltins.at(static_cast<std::size_t>(b));
}

}  // namespace catengine::lang
