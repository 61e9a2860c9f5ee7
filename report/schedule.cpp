// Works out the schedule with the reference evaluator, so that a listed first date is always the
// `next_due` the evaluate verb reports, and the repetitions follow the same interval choice.
#include "report/schedule.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "base/calendar.hpp"
#include "eval/cadence_interval.hpp"
#include "eval/reference_evaluator.hpp"
#include "report/value_format.hpp"

namespace catengine::engine {

namespace {

bool present(lang::ExprRef e) {
  return e.expr != lang::kNoExpr;
}

struct Interval {
  lang::IntervalUnit unit = lang::IntervalUnit::Weeks;
  std::int64_t count = 0;               // 0: the cadence does not repeat for this record
  const TermCalendar* terms = nullptr;  // for Terms and HalfTerms
};

// Occurrence k of a cadence that first falls on `first`. Always measured from `first`, so that
// 31 August + 6 months + 6 months is 31 August, not 28 February + 6 months = 28 August.
Value occurrence(Value first, const Interval& iv, std::int64_t k) {
  switch (iv.unit) {
    case lang::IntervalUnit::Days:
      return add_days(first, k * iv.count);
    case lang::IntervalUnit::Weeks:
      return add_weeks(first, k * iv.count);
    case lang::IntervalUnit::Months:
      return add_months(first, static_cast<int>(k * iv.count));
    case lang::IntervalUnit::Terms:
    case lang::IntervalUnit::HalfTerms: {
      // The end of the k-th term (half term) after the one `first` ends; the schedule stops
      // where the term calendar does.
      const auto step = iv.unit == lang::IntervalUnit::Terms ? TermCalendar::Step::Term
                                                             : TermCalendar::Step::HalfTerm;
      const auto i = iv.terms->period_of(first, step);
      const auto& periods = iv.terms->periods(step);
      if (!i || *i + static_cast<std::size_t>(k * iv.count) >= periods.size()) return kMissing;
      return periods[*i + static_cast<std::size_t>(k * iv.count)].ends;
    }
  }
  return kMissing;
}

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (const auto& p : parts) {
    if (p.empty()) continue;
    if (!out.empty()) out += separator;
    out += p;
  }
  return out;
}

class Scheduler {
 public:
  Scheduler(const CompiledPolicy& c, DataSet& data, const ScheduleRange& range)
      : p_(c.policy),
        data_(data),
        range_(range),
        terms_(c.program.term_calendars),
        eval_(p_, c.program.calendars, data.text, range.as_of, terms_),
        format_(p_, data.text) {}

  Schedule run() {
    Schedule out;
    out.key_field = p_.record.key_field().value();
    std::vector<Value> fields(data_.field_count);
    for (std::size_t r = 0; r < data_.size(); ++r) {
      data_.row_into(r, fields.data());
      eval_.reset(fields.data());
      record(r, out);
    }
    sort(out);
    return out;
  }

 private:
  bool in_range(Value d) const { return d != kMissing && range_.from <= d && d <= range_.to; }

  // False (and the fault recorded) when evaluation faulted; the record is then abandoned.
  bool ok(std::size_t r, const std::string& what, Schedule& out) {
    if (eval_.fault() == EvalFault::None) return true;
    out.faults.push_back({r, what, eval_.fault(), eval_.fault_detail()});
    return false;
  }

  void record(std::size_t r, Schedule& out) {
    for (std::uint32_t i = 0; i < p_.cadences.size(); ++i) {
      cadence(r, i, out);
      if (!ok(r, p_.cadences[i].name, out)) return;
    }
    for (std::uint32_t i = 0; i < p_.notices.size(); ++i) {
      notice(r, i, out);
      if (!ok(r, p_.notices[i].name, out)) return;
    }
  }

  std::string text_of(const lang::AlternativeInfo* a, const lang::Type& type) {
    return a ? format_.format(eval_.eval(a->value), type) : std::string{};
  }

  // The interval `next_due` used: the first whose condition holds.
  Interval interval(const lang::CadenceInfo& c) {
    const auto chosen = chosen_interval(eval_, c);
    if (!chosen) return {};
    const auto& iv = c.intervals[*chosen];
    if (iv.unit == lang::IntervalUnit::Terms || iv.unit == lang::IntervalUnit::HalfTerms)
      return {iv.unit, 1, &terms_.at(iv.term_calendar)};
    const Value n = eval_.eval(iv.count);
    if (n == kMissing || n <= 0) return {};
    return {iv.unit, n / decimal::kScale};
  }

  void cadence(std::size_t r, std::uint32_t index, Schedule& out) {
    const auto& c = p_.cadences[index];
    const Value next = eval_.definition(c.next_def);
    if (next == kMissing || eval_.fault() != EvalFault::None) return;
    ScheduleEvent base;
    base.record = r;
    base.kind = ScheduleEventKind::Cadence;
    base.owner = index;
    base.event = c.name;
    base.title = c.title;
    base.lasting = text_of(eval_.choose(c.lasting), c.lasting_type);
    const auto* reviewers = eval_.choose(c.reviewers);
    if (reviewers) {
      const Value v = eval_.eval(reviewers->value);
      base.reviewers = format_.format(v, c.reviewers_type);
      base.reviewers_value = v;
    }
    auto add = [&](Value date, Value due, std::string focus) {
      if (!in_range(date)) return;
      ScheduleEvent e = base;
      e.date = date;
      e.due = due;
      e.overdue = due < range_.as_of;
      e.focus = std::move(focus);
      // The original due date comes first: a table cuts long details short.
      std::vector<std::string> parts;
      if (e.overdue) parts.push_back(fmt::format("overdue, due {}", format_iso(due)));
      if (!e.focus.empty())
        parts.push_back(fmt::format("{} {}", p_.parameters[*c.dates_param].name, e.focus));
      if (!e.lasting.empty()) parts.push_back("lasting " + e.lasting);
      if (!e.reviewers.empty()) {
        parts.push_back(c.reviewers_type.is_numeric() ? fmt::format("{} reviewer{}", e.reviewers,
                                                                    e.reviewers == "1" ? "" : "s")
                                                      : "reviewers " + e.reviewers);
      }
      e.detail = join(parts, "; ");
      out.events.push_back(std::move(e));
    };
    // An overdue occurrence is listed on the as-of date, the first day it can still happen.
    const Value first = std::max(next, range_.as_of);
    if (c.dates_param) {
      const auto& param = p_.parameters[*c.dates_param];
      auto focus_on = [&](Value d) {
        const auto* entry = eval_.param_entry(*c.dates_param, d);
        return entry ? format_.format(entry->value, param.type) : std::string{};
      };
      add(first, next, focus_on(next));
      for (const auto& entry : param.entries) {
        const Value d = std::max(entry.from, range_.as_of);
        if (entry.to < range_.as_of || d <= first) continue;
        if (d > range_.to) break;
        add(d, d, format_.format(entry.value, param.type));
      }
      return;
    }
    add(first, next, {});
    const Interval iv = interval(c);
    if (iv.count <= 0 || eval_.fault() != EvalFault::None) return;
    // Days and weeks jump straight to the range; months are counted, at most 12 a year.
    std::int64_t k = 1;
    if ((iv.unit == lang::IntervalUnit::Days || iv.unit == lang::IntervalUnit::Weeks) &&
        range_.from > first) {
      const std::int64_t step = iv.count * (iv.unit == lang::IntervalUnit::Weeks ? 7 : 1);
      k = std::max<std::int64_t>(1, (range_.from - first) / step);
    }
    for (;; ++k) {
      const Value d = occurrence(first, iv, k);
      if (d == kMissing || !is_representable(d) || d > range_.to) break;
      add(d, d, {});
    }
  }

  void notice(std::size_t r, std::uint32_t index, Schedule& out) {
    const auto& n = p_.notices[index];
    if ((!present(n.respond_within) && !n.respond_by_term_end) ||
        eval_.definition(n.issued_def) != 1)
      return;
    const Value due = eval_.definition(n.due_def);
    if (!in_range(due) || eval_.fault() != EvalFault::None) return;
    ScheduleEvent e;
    e.date = due;
    e.due = due;
    e.record = r;
    e.kind = ScheduleEventKind::Notice;
    e.owner = index;
    e.event = n.name;
    e.title = n.title;
    e.addressed_to = text_of(eval_.choose(n.addressees), lang::kText);
    for (const auto& copy : n.copies) {
      if (!present(copy.condition) || eval_.eval(copy.condition) == 1) {
        e.copies.push_back(format_.format(eval_.eval(copy.value), lang::kText));
      }
    }
    std::vector<std::string> parts{
        n.respond_by_term_end
            ? std::string("response due (by the end of next term)")
            : fmt::format("response due ({} working days)",
                          format_.format(eval_.eval(n.respond_within), lang::kInteger))};
    if (!e.addressed_to.empty()) parts.push_back("to " + e.addressed_to);
    if (!e.copies.empty()) parts.push_back("copy to " + join(e.copies, ", "));
    e.detail = join(parts, "; ");
    out.events.push_back(std::move(e));
  }

  void sort(Schedule& out) const {
    const std::size_t key = out.key_field;
    const bool text_key =
        key < p_.record.fields.size() && p_.record.fields[key].type.base == lang::BaseType::Text;
    auto key_less = [&](std::size_t a, std::size_t b) {
      if (key >= p_.record.fields.size()) return a < b;
      const Value va = data_.at(a, key), vb = data_.at(b, key);
      if (text_key && va != kMissing && vb != kMissing) {
        const auto ta = data_.text.text(va), tb = data_.text.text(vb);
        if (ta != tb) return ta < tb;
      } else if (va != vb) {
        return va < vb;
      }
      return a < b;
    };
    std::sort(out.events.begin(), out.events.end(),
              [&](const ScheduleEvent& a, const ScheduleEvent& b) {
                if (a.date != b.date) return a.date < b.date;
                if (a.record != b.record) return key_less(a.record, b.record);
                if (a.kind != b.kind) return a.kind < b.kind;
                return a.owner < b.owner;
              });
  }

  const lang::CheckedPolicy& p_;
  DataSet& data_;
  ScheduleRange range_;
  const std::vector<TermCalendar>& terms_;
  ReferenceEvaluator eval_;
  ValueFormatter format_;
};

}  // namespace

Schedule compute_schedule(const CompiledPolicy& compiled, DataSet& data,
                          const ScheduleRange& range) {
  return Scheduler(compiled, data, range).run();
}

}  // namespace catengine::engine
