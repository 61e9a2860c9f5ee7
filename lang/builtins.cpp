// The table of built-in functions, by name.
#include "lang/builtins.hpp"

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
};
}  // namespace

std::optional<Builtin> find_builtin(std::string_view name) {
  for (const auto& b : kBuiltins) {
    if (b.name == name) return b.id;
  }
  return std::nullopt;
}

const BuiltinInfo& info(Builtin b) { return kBuiltins.at(static_cast<std::size_t>(b)); }

}  // namespace catengine::lang
