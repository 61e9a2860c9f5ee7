// `catengine schedule`: compile the policy, bind the data, work out the schedule for the range
// and write it. Any error stops before anything is written.
#include "cli/schedule_command.hpp"

#include <chrono>

#include <fmt/format.h>

#include "system/atomic_file.hpp"
#include "data/binder.hpp"
#include "base/calendar.hpp"
#include "compile/compiled_policy.hpp"
#include "system/sha256.hpp"
#include "report/schedule.hpp"

namespace catengine::engine {

int run_schedule(const ScheduleOptions& options, const Console& console) {
  if (options.format != "table" && options.format != "csv" && options.format != "json" &&
      options.format != "ics") {
    print(console.err, fmt::format("error: unknown format `{}`; expected table, csv, json or ics\n",
                                   options.format));
    return kExitInputError;
  }
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

  CompileResult r = compile_policy(options.policy);
  const lang::SourceMap& sources = r.compiled ? r.compiled->sources : r.sources;
  if (!r.diagnostics.empty())
    print(console.err, lang::render_all(r.diagnostics, sources, {console.colour_err}));
  if (!r.compiled) return kExitInputError;
  const CompiledPolicy& compiled = *r.compiled;
  if (schedule_key_field(compiled.policy) == compiled.policy.record.fields.size()) {
    print(console.err,
          "error: the policy's record has no `key` field, so events cannot be told apart by "
          "school\n");
    return kExitInputError;
  }

  std::string error;
  auto bytes = read_file(options.data, error);
  if (!bytes) {
    print(console.err, fmt::format("error: {}\n", error));
    return kExitInputError;
  }
  BindResult bound = bind_records(options.data, *bytes, compiled.schema);
  if (!bound.errors.empty()) {
    std::string out;
    for (const auto& e : bound.errors) out += to_string(e) + "\n";
    const std::size_t n = bound.errors.size();
    out += fmt::format("error: {} problem{} in `{}`; nothing was written\n", n, n == 1 ? "" : "s",
                       options.data);
    print(console.err, out);
    return kExitInputError;
  }
  DataSet& data = bound.data;

  const Schedule schedule = compute_schedule(compiled, data, range);
  if (!schedule.faults.empty()) {
    std::string out;
    for (const auto& f : schedule.faults) {
      out += fmt::format("{}:{}:-: could not work out `{}`: {}\n", options.data,
                         data.source_row[f.record], f.what, describe(f.fault, f.detail));
    }
    const std::size_t n = schedule.faults.size();
    out += fmt::format("error: {} record{} could not be scheduled; nothing was written\n", n,
                       n == 1 ? "" : "s");
    print(console.err, out);
    return kExitInputError;
  }

  const Provenance provenance{options.policy,     compiled.sources_sha256, options.data,
                              sha256_hex(*bytes), format_iso(range.as_of), data.size()};
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
  if (!options.out) {
    print(console.out, text);
    return kExitOk;
  }
  if (!write_file_atomically(*options.out, text, error)) {
    print(console.err, fmt::format("error: {}\n", error));
    return kExitInputError;
  }
  return kExitOk;
}

}  // namespace catengine::engine
