// A local authority's school term dates: terms and half terms with their first and last days, in
// order. Each LA publishes its own, so they are declared data (`calendar of terms`), read from a
// CSV file the LA keeps (data/term_calendar_csv.hpp); cadences count in terms and half terms
// over it. Outside the listed terms it knows nothing, and says so rather than guess.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/value.hpp"

namespace catengine {

class TermCalendar {
 public:
  // One half term as listed: the term it belongs to ("Autumn 2024"), 1 or 2, its first and last
  // days, and the row it was listed on (for messages).
  struct HalfTerm {
    std::string term;
    int half = 1;
    Value starts = kMissing;
    Value ends = kMissing;
    std::size_t line = 0;
  };
  // A period counted over: a half term, or a whole term (its halves together).
  struct Period {
    std::string label;  // "Autumn 2024, first half" or "Autumn 2024"
    Value starts = kMissing;
    Value ends = kMissing;
  };
  enum class Step : std::uint8_t { Term, HalfTerm };

  // The calendar of the given half terms, which must be in date order, each starting after the
  // one before ends, a term's first half before its second, and a term's halves next to each
  // other. On failure returns nullopt and sets `error` (naming `name` and the row).
  static std::optional<TermCalendar> from_half_terms(std::string_view name,
                                                     std::vector<HalfTerm> rows,
                                                     std::string& error);

  const std::string& name() const { return name_; }
  const std::vector<Period>& periods(Step step) const {
    return step == Step::Term ? terms_ : halves_;
  }
  Value first_day() const { return halves_.front().starts; }
  Value last_day() const { return halves_.back().ends; }

  // The index of the period `date` falls in, or in a holiday the one that ended last before it;
  // nullopt when `date` is before the first period or missing.
  std::optional<std::size_t> period_of(Value date, Step step) const;
  // The last day of the period after the one `date` falls in (in a holiday: after the one that
  // ended last): when something done on `date` is next due "every term". kMissing for kMissing;
  // nullopt when the calendar does not reach that far (before its first period or past its last).
  std::optional<Value> end_of_next(Value date, Step step) const;

 private:
  TermCalendar() = default;

  std::string name_;
  std::vector<Period> halves_;  // in date order, never empty
  std::vector<Period> terms_;
};

}  // namespace catengine
