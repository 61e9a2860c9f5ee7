// `catengine schedule`: compile the policy, bind the data, work out the schedule for the range
// and write it. Any error stops before anything is written.
#include "cli/schedule_command.hpp"
#include "cli/verb_steps.hpp"

#include <chrono>

#include <fmt/format.h>

#include "base/calendar.hpp"
#include "compile/compiled_policy.hpp"
#include "report/schedule.hpp"

namespace catengine::engine {

int run_schedule(const ScheduleOptions& options, const Console& console) {
  if (!format_is_one_of(options.format, {"table", "csv", "json", "ics", "xlsx"}, console))
    return kExitInputError;
  if (options.format == "xlsx" && !out_given_for("xlsx", options.out, "schedule.xlsx", console))
    return kExitInputError;
  ScheduleRange range;
  const auto as_of = date_option("--as-of", options.as_of, console);
  if (!as_of) return kExitInputError;
  range.as_of = *as_of;
  auto from = date_option("--from", options.from, console);
  if (!from) return kExitInputError;
  auto to = date_option("--to", options.to, console);
  if (!to) return kExitInputError;
  if (*to < *from) {
    print(console.err,
          fmt::format(
              "error: `--to {}` is before `--from {}`; expected a range that ends on or after "
              "its start\n",
              options.to, options.from));
    return kExitInputError;
  }
  range.from = *from;
  range.to = *to;

  const auto compiled_policy = compile_and_report(options.policy, console);
  if (!compiled_policy) return kExitInputError;
  const CompiledPolicy& compiled = *compiled_policy;
  if (!compiled.policy.record.key_field()) {
    print(console.err,
          "error: the policy's record has no `key` field, so events cannot be told apart by "
          "school\n");
    return kExitInputError;
  }

  auto bound = bind_and_report(compiled, options.data, console);
  if (!bound) return kExitInputError;
  DataSet& data = bound->data;

  const Schedule schedule = compute_schedule(compiled, data, range);
  if (!schedule.faults.empty()) {
    std::string out;
    for (const auto& f : schedule.faults) {
      out += fmt::format("{}:{}:-: could not work out `{}`: {}\n", bound->path,
                         data.source_row[f.record], f.what, describe(f.fault, f.detail));
    }
    const std::size_t n = schedule.faults.size();
    out += fmt::format("error: {} record{} could not be scheduled; nothing was written\n", n,
                       n == 1 ? "" : "s");
    print(console.err, out);
    return kExitInputError;
  }

  const std::vector<RaisedWarning> warnings =
      report_warnings(compiled, *bound, range.as_of, console);

  const Provenance provenance = provenance_of(options.policy, compiled, *bound, range.as_of);
  if (options.format == "xlsx") {
    return write_file_by_name(
        *options.out,
        [&](const std::string& path, std::string& error) {
          return write_schedule_xlsx(path, compiled, data, schedule, range, provenance, warnings,
                                     error);
        },
        console);
  }
  std::string text;
  if (options.format == "csv") {
    text = write_schedule_csv(compiled, data, schedule);
  } else if (options.format == "json") {
    text = write_schedule_json(compiled, data, schedule, range, provenance);
  } else if (options.format == "ics") {
    text = write_schedule_ics(compiled, data, schedule, range);
  } else {
    text = write_schedule_table(compiled, data, schedule, range, provenance);
  }
  return write_text(options.out, text, console);
}

}  // namespace catengine::engine
