// The schedule: every review, visit, clinic and notice deadline that falls in a date range, per
// school, worked out from a policy's cadences and notices, and written as a table, CSV, JSON, an
// RFC 5545 iCalendar file or an Excel workbook. `catengine schedule` is a thin layer over these
// calls.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "compile/compiled_policy.hpp"
#include "data/dataset.hpp"
#include "eval/vm.hpp"
#include "report/provenance.hpp"
#include "report/run_warnings.hpp"

namespace catengine::engine {

enum class ScheduleEventKind : std::uint8_t { Cadence, Notice };

struct ScheduleEvent {
  Value date = kMissing;   // the day the event is listed on
  std::size_t record = 0;  // index into the data set
  ScheduleEventKind kind = ScheduleEventKind::Cadence;
  std::uint32_t owner = 0;  // index into the policy's cadences or notices
  std::string event;        // the cadence's or notice's name, e.g. `sia_visit`
  std::string title;        // its title, e.g. "Triad peer review"
  std::string detail;       // one line for people: duration, reviewers, addressee, due date
  bool overdue = false;
  Value due = kMissing;  // the date the policy gives; differs from `date` only when overdue
  // The parts of `detail`, for the JSON writer; empty when the policy does not declare them.
  std::string lasting;
  std::string reviewers;
  Value reviewers_value = kMissing;  // of the cadence's reviewers type
  std::string focus;                 // the parameter's value on that date, for `on dates of PARAM`
  std::string addressed_to;
  std::vector<std::string> copies;
};

struct ScheduleRange {
  Value as_of = kMissing;
  Value from = kMissing;  // inclusive
  Value to = kMissing;    // inclusive
};

struct ScheduleFault {
  std::size_t record = 0;
  std::string what;  // the cadence or notice being worked out
  EvalFault fault = EvalFault::None;
  int detail = 0;
};

struct Schedule {
  std::vector<ScheduleEvent> events;  // sorted: date, school key, cadences then notices in
                                      // declaration order
  std::vector<ScheduleFault> faults;  // records whose dates could not be worked out
  std::size_t key_field = 0;          // the record's key field
};

// Precondition: the policy has a key field (RecordInfo::key_field) and
// range.from <= range.to.
//
// Cadences repeat forward from the first date listed (the next due date, or the as-of date when
// that is overdue) by the interval chosen for the record: occurrence k is first + k intervals,
// computed from the first date each time so that month-end clamping never accumulates. A
// cadence `on dates of PARAM` lists, for each entry of the parameter that is not over by the
// as-of date, its first day on or after the as-of date. A notice that is issued and has a
// response period is listed once, on its due date.
Schedule compute_schedule(const CompiledPolicy& compiled, DataSet& data,
                          const ScheduleRange& range);

// Writers. Every one is deterministic: the same inputs give the same bytes.
std::string write_schedule_table(const CompiledPolicy& compiled, const DataSet& data,
                                 const Schedule& schedule, const ScheduleRange& range,
                                 const Provenance& provenance);
std::string write_schedule_csv(const CompiledPolicy& compiled, const DataSet& data,
                               const Schedule& schedule);
std::string write_schedule_json(const CompiledPolicy& compiled, const DataSet& data,
                                const Schedule& schedule, const ScheduleRange& range,
                                const Provenance& provenance);
std::string write_schedule_ics(const CompiledPolicy& compiled, const DataSet& data,
                               const Schedule& schedule, const ScheduleRange& range);

// The schedule as an Excel workbook written to `path`, as write_xlsx writes results (see
// report/xlsx_writer.hpp: the caller renames the file into place; false with `error` set).
bool write_schedule_xlsx(const std::string& path, const CompiledPolicy& compiled,
                         const DataSet& data, const Schedule& schedule, const ScheduleRange& range,
                         const Provenance& provenance, std::span<const RaisedWarning> warnings,
                         std::string& error);

// RFC 5545 helpers, exposed for tests.
// TEXT value escaping (section 3.3.11): backslash, semicolon and comma are escaped, a line break
// becomes `\n`; other control characters, which TEXT cannot hold, become spaces.
std::string ics_escape_text(std::string_view text);
// One content line, folded (section 3.1) so that no line exceeds 75 octets without its CRLF;
// continuation lines start with a space, and a UTF-8 sequence is never split. Ends with CRLF.
std::string ics_fold_line(std::string_view line);

}  // namespace catengine::engine
