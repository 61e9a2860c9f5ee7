// The catengine command line: parses arguments with CLI11 and hands each verb to its library
// call in commands.hpp. Usage errors exit 2; --help and --version exit 0.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include "base/version.hpp"
#include "cli/check_command.hpp"
#include "cli/commands.hpp"
#include "cli/diff_command.hpp"
#include "cli/fmt_command.hpp"
#include "cli/history_command.hpp"
#include "cli/lsp_command.hpp"
#include "cli/report_command.hpp"
#include "cli/schedule_command.hpp"
#include "cli/test_command.hpp"
#include "lang/diagnostics/diagnostic.hpp"
#include "system/parallel.hpp"

using namespace catengine::engine;
using catengine::kMaxThreads;
using catengine::ThreadStartFailure;

namespace {

// Every verb writes through stdio, so a full disk or a closed pipe shows up only as a failed
// write or flush; without this check the run would exit 0 with its output lost. A closed pipe
// (`catengine ... | head`) ends quietly, as a process ended by SIGPIPE would, but not with 0.
int finish(int status) {
  const int err = finish_output(stdout);
  if (err == 0) return status;
  if (err == EPIPE) return kExitClosedPipe;
  std::fprintf(stderr, "error: cannot write standard output: %s\n", std::strerror(err));
  return kExitOutputError;
}

int run(int argc, char** argv);

}  // namespace

int main(int argc, char** argv) {
  return finish(run(argc, argv));
}

namespace {

int run(int argc, char** argv) {
  CLI::App app{
      "catengine: school categorisation policies you can read aloud, evaluated and explained",
      "catengine"};
  app.set_version_flag("--version", "catengine " + catengine::catengine_version());
  app.require_subcommand(1);
  app.fallthrough(false);

  EvaluateOptions eval;
  auto* evaluate =
      app.add_subcommand("evaluate", "Evaluate a policy on every record of a data file");
  evaluate->add_option("policy", eval.policy, "The policy: a .policy file, or a folder holding one")
      ->required();
  evaluate
      ->add_option("--data", eval.data,
                   "The records, as CSV (a header row, then one row per school)")
      ->required();
  evaluate->add_option("--as-of", eval.as_of, "The evaluation date, YYYY-MM-DD (default: today)");
  evaluate
      ->add_option("--format", eval.format,
                   "table (default), csv, json or xlsx (an Excel workbook; needs --out)")
      ->check(CLI::IsMember({"table", "csv", "json", "xlsx"}));
  evaluate->add_option("--out", eval.out, "Write to this file (atomically) instead of the screen");
  evaluate
      ->add_option("--columns", eval.columns,
                   "Write only these output columns, in this order (comma-separated)")
      ->delimiter(',');
  evaluate
      ->add_option(
          "--threads", eval.threads,
          fmt::format("Threads to use, 1 to {} (default: all cores, for large files)", kMaxThreads))
      ->check(CLI::Range(0u, kMaxThreads));
  evaluate->add_option("--history", eval.history,
                       "The history store of earlier runs, an SQLite file (docs/history.md)");
  evaluate->add_flag("--save", eval.save,
                     "Save this run in the --history store (replacing one of the same as-of date)");

  ExplainOptions expl;
  auto* explain = app.add_subcommand("explain", "Explain how one school's results were reached");
  explain->add_option("policy", expl.policy, "The policy: a .policy file, or a folder holding one")
      ->required();
  explain->add_option("--data", expl.data, "The records, as CSV")->required();
  explain->add_option("--school", expl.school, "The school's key (its URN)")->required();
  explain->add_option("--as-of", expl.as_of, "The evaluation date, YYYY-MM-DD (default: today)");
  explain->add_option("--history", expl.history,
                      "The history store the policy's `previous` values are read from");
  explain->add_option("--format", expl.format, "text (default) or json")
      ->check(CLI::IsMember({"text", "json"}));

  ScheduleOptions sched;
  auto* schedule = app.add_subcommand(
      "schedule", "List every review, visit, clinic and notice deadline in a date range");
  schedule
      ->add_option("policy", sched.policy, "The policy: a .policy file, or a folder holding one")
      ->required();
  schedule->add_option("--data", sched.data, "The records, as CSV")->required();
  schedule->add_option("--from", sched.from, "The first day of the range, YYYY-MM-DD (inclusive)")
      ->required();
  schedule->add_option("--to", sched.to, "The last day of the range, YYYY-MM-DD (inclusive)")
      ->required();
  schedule->add_option("--as-of", sched.as_of, "The evaluation date, YYYY-MM-DD (default: today)");
  schedule
      ->add_option("--format", sched.format,
                   "table (default), csv, json, ics or xlsx (an Excel workbook; needs --out)")
      ->check(CLI::IsMember({"table", "csv", "json", "ics", "xlsx"}));
  schedule->add_option("--out", sched.out, "Write to this file (atomically) instead of the screen");

  ReportOptions rep;
  auto* report = app.add_subcommand(
      "report",
      "Write the papers people read: an LA overview, a profile sheet per school, the clinic pack "
      "and notice drafts, as HTML pages");
  report->add_option("policy", rep.policy, "The policy: a .policy file, or a folder holding one")
      ->required();
  report->add_option("--data", rep.data, "The records, as CSV")->required();
  report->add_option("--as-of", rep.as_of, "The evaluation date, YYYY-MM-DD (default: today)");
  report->add_option("--history", rep.history,
                     "The history store: levels term by term, and moves since last term");
  report->add_option("--out", rep.out, "The folder to write (replaced whole, atomically)")
      ->required();

  TestOptions test_opts;
  auto* test = app.add_subcommand(
      "test", "Run the fixture tests beside each policy and report rule coverage");
  test->add_option("paths", test_opts.paths,
                   "Policy folders (default: every folder under ./policies with a policy)");
  test->add_option(
      "--coverage-threshold", test_opts.coverage_threshold,
      "Fail when fewer than this percentage of rules, grounds and cadence intervals are reached");
  test->add_option("--format", test_opts.format, "text (default) or junit")
      ->check(CLI::IsMember({"text", "junit"}));
  test->add_flag("--update", test_opts.update,
                 "Rewrite expected files with the actual results, and say what changed");

  DiffOptions diff_opts;
  auto* diff = app.add_subcommand(
      "diff", "Show which schools two versions of a policy treat differently, and why");
  // Either two policies and --data, or two saved runs (--history FILE --runs A B): run_diff
  // checks which.
  diff->add_option("old", diff_opts.old_policy,
                   "The old policy: a path, or a git revision and path (main:policies/x)");
  diff->add_option("new", diff_opts.new_policy,
                   "The new policy: a path, or a git revision and path");
  diff->add_option("--data", diff_opts.data, "The records, as CSV (NAME=PATH per source)");
  diff->add_option("--history", diff_opts.history,
                   "Compare two runs saved in this history store, without evaluating");
  diff->add_option("--runs", diff_opts.runs, "With --history: the as-of dates of the two runs")
      ->expected(2);
  diff->add_option("--as-of", diff_opts.as_of, "The evaluation date, YYYY-MM-DD (default: today)");
  diff->add_option("--format", diff_opts.format, "text (default), csv, json or markdown")
      ->check(CLI::IsMember({"text", "csv", "json", "markdown"}));
  diff->add_flag("--fail-on-change", diff_opts.fail_on_change,
                 "Exit 1 when any school's outputs differ");

  CheckOptions check_opts;
  auto* check = app.add_subcommand(
      "check", "Type-check policies and modules and report lints (docs/check.md)");
  check
      ->add_option("paths", check_opts.paths,
                   "Policy files or folders (every .policy file in them)")
      ->required();
  check->add_option("--format", check_opts.format, "text (default), json or sarif")
      ->check(CLI::IsMember({"text", "json", "sarif"}));
  check->add_flag("--deny-warnings", check_opts.deny_warnings,
                  "Fail (exit 1) on warnings as well as errors");

  FmtOptions fmt_opts;
  auto* fmt_cmd = app.add_subcommand("fmt", "Lay out policy files in the one canonical format");
  fmt_cmd
      ->add_option("paths", fmt_opts.paths, "Policy files, or folders searched for .policy files")
      ->required();
  fmt_cmd->add_flag("--check", fmt_opts.check,
                    "Write nothing; print a diff of what would change and exit 1 if any");
  fmt_cmd->add_flag("--modernise,--modernize", fmt_opts.modernise,
                    "Also write older idioms in newer words, with the same meaning: `(EXPR) if "
                    "missing X` as `EXPR, or X if any figure is missing`, `how_many of` as `how "
                    "many of`");

  HistoryOptions hist;
  auto* history = app.add_subcommand("history",
                                     "List the runs saved in a history store, or one "
                                     "school's values term by term");
  history->add_option("store", hist.store, "The history store (an SQLite file)")->required();
  history->add_option("--school", hist.school, "Show this school's values term by term (its URN)");
  history->add_option("--count-by", hist.count_by,
                      "Count schools by this column's values (default: level)");
  history
      ->add_option("--columns", hist.columns,
                   "With --school: the columns to show (default: level, rule and overrides)")
      ->delimiter(',');
  history->add_option("--policy", hist.policy, "Only the runs of the policy with this name");
  history->add_flag("--audit", hist.audit, "Also list replaced runs, kept in the audit trail");
  history->add_option("--format", hist.format, "table (default), csv or json")
      ->check(CLI::IsMember({"table", "csv", "json"}));

  auto* lsp = app.add_subcommand(
      "lsp", "Serve the Language Server Protocol on standard input and output, for editors");
  bool stdio = true;
  lsp->add_flag("--stdio", stdio, "Talk over standard input and output (the default and only way)");

  // An unknown verb gets its own message (CLI11 would only say a subcommand is required).
  if (argc > 1 && argv[1][0] != '-') {
    std::vector<std::string> verbs;
    for (const auto* sub : app.get_subcommands([](CLI::App*) { return true; }))
      verbs.push_back(sub->get_name());
    if (std::find(verbs.begin(), verbs.end(), argv[1]) == verbs.end()) {
      const std::string near = catengine::lang::closest_match(argv[1], verbs);
      const std::string list = fmt::format("{}", fmt::join(verbs, ", "));
      std::fprintf(stderr,
                   "error: `%s` is not a catengine command%s\nthe commands are: %s (see `catengine "
                   "--help`)\n",
                   argv[1], near.empty() ? "" : ("; did you mean `" + near + "`?").c_str(),
                   list.c_str());
      return kExitInputError;
    }
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help, --version and usage errors, through print() like every other output, so a
    // failed write is caught at the end.
    std::ostringstream out, err;
    const int status = app.exit(e, out, err);
    print(stdout, out.str());
    print(stderr, err.str());
    return e.get_exit_code() == 0 ? status : kExitInputError;
  }

  Console console;
  console.colour_out = wants_colour(stdout);
  console.colour_err = wants_colour(stderr);
  try {
    if (evaluate->parsed()) return run_evaluate(eval, console);
    if (check->parsed()) return run_check(check_opts, console);
    if (fmt_cmd->parsed()) return run_fmt(fmt_opts, console);
    if (explain->parsed()) return run_explain(expl, console);
    if (test->parsed()) return run_test(test_opts, console);
    if (diff->parsed()) return run_diff(diff_opts, console);
    if (schedule->parsed()) return run_schedule(sched, console);
    if (report->parsed()) return run_report(rep, console);
    if (history->parsed()) return run_history(hist, console);
    if (lsp->parsed()) return run_lsp(console);
  } catch (const ThreadStartFailure& e) {
    // Every thread that had started was joined as the exception left its scope.
    std::fprintf(stderr, "error: %s; try a smaller --threads\n", e.what());
    return kExitInputError;
  } catch (const std::exception& e) {
    std::fprintf(stderr,
                 "internal error: %s\nthis is a bug in catengine; please report it with the "
                 "command you ran\n",
                 e.what());
    return kExitInternalError;
  }
  return kExitInputError;
}

}  // namespace
