// `catengine diff`: loads both versions (from the working tree or from git), evaluates them on
// the same records and prints the differences. Exit 0, or 1 with --fail-on-change when any
// school moved; 2 when a policy, the data or a revision cannot be read.
#include "cli/diff_command.hpp"

#include "cli/history_steps.hpp"
#include "cli/verb_steps.hpp"
#include "history/history_store.hpp"
#include "tools/run_diff.hpp"

#include <chrono>
#include <filesystem>
#include <memory>

#include <fmt/format.h>

#include "base/calendar.hpp"
#include "compile/compiled_policy.hpp"
#include "system/atomic_file.hpp"
#include "tools/git_source.hpp"
#include "tools/policy_diff.hpp"

namespace catengine::engine {

namespace fs = std::filesystem;

namespace {

// A version of the policy, compiled; a git snapshot stays alive as long as it does.
struct Version {
  std::optional<GitSnapshot> snapshot;
  std::unique_ptr<CompiledPolicy> compiled;
};

std::optional<Version> load_version(const std::string& spec, const DiffOptions& options,
                                    const Console& console) {
  Version v;
  std::string path = spec;
  std::error_code ec;
  if (!fs::exists(spec, ec)) {
    auto rev = split_revision(spec);
    if (!rev) {
      print(console.err,
            fmt::format("error: `{}` does not exist; expected a policy file or folder, or a git "
                        "revision and path such as `main:policies/peterborough`\n",
                        spec));
      return std::nullopt;
    }
    std::string error;
    v.snapshot = GitSnapshot::take(options.repo_dir, rev->first, rev->second, error);
    if (!v.snapshot) {
      print(console.err, fmt::format("error: {}\n", error));
      return std::nullopt;
    }
    path = v.snapshot->path();
  }
  const auto relabel = [&](std::string text) {
    return v.snapshot ? v.snapshot->relabel(std::move(text)) : text;
  };
  v.compiled = compile_and_report(path, console, relabel);
  if (!v.compiled) {
    print(console.err, fmt::format("error: `{}` could not be compiled\n", spec));
    return std::nullopt;
  }
  return v;
}

}  // namespace

namespace {

// The current run of the store with this as-of date (one policy's, when the store holds several).
std::optional<StoredRun> saved_run(HistoryStore& store, const std::string& as_of,
                                   const Console& console) {
  std::string error;
  auto runs = store.runs(false, error);
  if (!runs) {
    print(console.err, fmt::format("error: {}\n", error));
    return std::nullopt;
  }
  std::vector<const RunSummary*> found;
  for (const auto& r : *runs) {
    if (r.as_of == as_of) found.push_back(&r);
  }
  if (found.size() != 1) {
    print(
        console.err,
        found.empty()
            ? fmt::format("error: `{}` holds no run as of {}; `catengine history {}` lists them\n",
                          store.path(), as_of, store.path())
            : fmt::format("error: `{}` holds runs of {} policies as of {}; compare one "
                          "policy's runs\n",
                          store.path(), found.size(), as_of));
    return std::nullopt;
  }
  auto run = store.run(found.front()->id, error);
  if (!run) print(console.err, fmt::format("error: {}\n", error));
  return run;
}

int render_and_exit(const PolicyDiff& diff, const DiffOptions& options, const Console& console) {
  const std::string text = options.format == "csv"        ? render_diff_csv(diff)
                           : options.format == "json"     ? render_diff_json(diff)
                           : options.format == "markdown" ? render_diff_markdown(diff)
                                                          : render_diff_text(diff);
  print(console.out, text);
  return options.fail_on_change && !diff.schools.empty() ? kExitCheckFailed : kExitOk;
}

int diff_saved_runs(const DiffOptions& options, const Console& console) {
  if (options.runs.size() != 2 || !options.old_policy.empty() || !options.data.empty()) {
    print(console.err,
          "error: to compare saved runs, give `--history FILE --runs OLD_AS_OF NEW_AS_OF` and no "
          "policies or `--data`\n");
    return kExitInputError;
  }
  auto store = open_history_to_read(*options.history, console);
  if (!store) return kExitInputError;
  auto old_run = saved_run(*store, options.runs[0], console);
  auto new_run = old_run ? saved_run(*store, options.runs[1], console) : std::nullopt;
  if (!old_run || !new_run) return kExitInputError;
  return render_and_exit(diff_runs(*old_run, *new_run), options, console);
}

}  // namespace

int run_diff(const DiffOptions& options, const Console& console) {
  if (!format_is_one_of(options.format, {"text", "csv", "json", "markdown"}, console))
    return kExitInputError;
  if (options.history || !options.runs.empty()) {
    if (!options.history) {
      print(console.err, "error: `--runs` compares runs saved in a store: add `--history FILE`\n");
      return kExitInputError;
    }
    return diff_saved_runs(options, console);
  }
  if (options.old_policy.empty() || options.new_policy.empty() || options.data.empty()) {
    print(console.err,
          "error: `diff` compares two policies on `--data` (catengine diff OLD NEW --data PATH), "
          "or two saved runs (catengine diff --history FILE --runs OLD_AS_OF NEW_AS_OF)\n");
    return kExitInputError;
  }
  const auto as_of_option = date_option("--as-of", options.as_of, console);
  if (!as_of_option) return kExitInputError;
  const Value as_of = *as_of_option;
  auto old_version = load_version(options.old_policy, options, console);
  auto new_version = load_version(options.new_policy, options, console);
  if (!old_version || !new_version) return kExitInputError;
  // Each version reads the files its own way; both must find them.
  auto old_files = read_data_files(old_version->compiled->schema, options.data, console);
  auto new_files = read_data_files(new_version->compiled->schema, options.data, console);
  if (!old_files || !new_files) return kExitInputError;
  const std::string data_path = new_files->front().path;
  DiffRequest request{old_version->compiled.get(),
                      new_version->compiled.get(),
                      options.old_policy,
                      options.new_policy,
                      data_path,
                      [&](const RecordSchema& schema) {
                        return bind_files(schema, &schema == &old_version->compiled->schema
                                                      ? *old_files
                                                      : *new_files);
                      },
                      as_of};
  std::vector<std::string> errors;
  auto diff = diff_policies(request, errors);
  if (!diff) {
    std::string out;
    for (const auto& e : errors) out += e + "\n";
    out += fmt::format("error: {} in `{}`; nothing was compared\n",
                       errors.size() == 1 ? "1 problem" : fmt::format("{} problems", errors.size()),
                       data_path);
    print(console.err, out);
    return kExitInputError;
  }
  if (!files_unchanged(*old_files, console) || !files_unchanged(*new_files, console))
    return kExitInputError;
  const std::string text = options.format == "csv"        ? render_diff_csv(*diff)
                           : options.format == "json"     ? render_diff_json(*diff)
                           : options.format == "markdown" ? render_diff_markdown(*diff)
                                                          : render_diff_text(*diff);
  print(console.out, text);
  return options.fail_on_change && !diff->schools.empty() ? kExitCheckFailed : kExitOk;
}

}  // namespace catengine::engine
