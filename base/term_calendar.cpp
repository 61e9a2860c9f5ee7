// Term and half-term periods and counting over them; see term_calendar.hpp.
#include "base/term_calendar.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "base/date.hpp"

namespace catengine {

std::optional<TermCalendar> TermCalendar::from_half_terms(std::string_view name,
                                                          std::vector<HalfTerm> rows,
                                                          std::string& error) {
  auto fail = [&](std::size_t line, const std::string& what) {
    error = fmt::format("term calendar `{}`, row {}: {}", name, line, what);
    return std::nullopt;
  };
  if (rows.empty()) {
    error = fmt::format("term calendar `{}` lists no terms", name);
    return std::nullopt;
  }
  TermCalendar cal;
  cal.name_ = std::string(name);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const HalfTerm& h = rows[i];
    if (h.term.empty()) return fail(h.line, "the term has no name");
    if (h.half != 1 && h.half != 2)
      return fail(h.line, fmt::format("the half of `{}` is {}; write 1 or 2", h.term, h.half));
    if (h.ends < h.starts)
      return fail(h.line, fmt::format("`{}` ends on {}, before it starts on {}", h.term,
                                      format_iso(h.ends), format_iso(h.starts)));
    if (i > 0) {
      const HalfTerm& before = rows[i - 1];
      if (h.starts <= before.ends)
        return fail(h.line, fmt::format("`{}` starts on {}, not after the half term listed before "
                                        "it ends ({}); list the half terms in date order",
                                        h.term, format_iso(h.starts), format_iso(before.ends)));
      const bool same_term = h.term == before.term;
      if (same_term && !(before.half == 1 && h.half == 2))
        return fail(h.line, fmt::format("`{}` lists half {} after half {}; a term has a first "
                                        "half then a second",
                                        h.term, h.half, before.half));
      if (!same_term && before.half == 1)
        return fail(before.line,
                    fmt::format("`{}` has a first half but no second half after it", before.term));
      if (!same_term && h.half == 2)
        return fail(h.line,
                    fmt::format("`{}` has a second half but no first half before it", h.term));
      if (!same_term && std::any_of(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(i),
                                    [&](const HalfTerm& r) { return r.term == h.term; }))
        return fail(h.line, fmt::format("`{}` is listed twice", h.term));
    } else if (h.half != 1) {
      return fail(h.line,
                  fmt::format("`{}` has a second half but no first half before it", h.term));
    }
    cal.halves_.push_back(
        {fmt::format("{}, {} half", h.term, h.half == 1 ? "first" : "second"), h.starts, h.ends});
    if (h.half == 1) {
      cal.terms_.push_back({h.term, h.starts, h.ends});
    } else {
      cal.terms_.back().ends = h.ends;
    }
  }
  if (rows.back().half == 1)
    return fail(rows.back().line,
                fmt::format("`{}` has a first half but no second half after it", rows.back().term));
  return cal;
}

std::optional<std::size_t> TermCalendar::period_of(Value date, Step step) const {
  if (date == kMissing) return std::nullopt;
  const auto& p = periods(step);
  auto it = std::upper_bound(p.begin(), p.end(), date,
                             [](Value d, const Period& x) { return d < x.starts; });
  if (it == p.begin()) return std::nullopt;
  return static_cast<std::size_t>(it - p.begin()) - 1;
}

std::optional<Value> TermCalendar::end_of_next(Value date, Step step) const {
  if (date == kMissing) return kMissing;
  const auto i = period_of(date, step);
  const auto& p = periods(step);
  if (!i || *i + 1 >= p.size()) return std::nullopt;
  return p[*i + 1].ends;
}

}  // namespace catengine
