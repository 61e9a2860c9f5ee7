// `catengine report`: compile the policy, bind the data, fill `previous` values from the history,
// then write the pages into a new folder beside --out, which replaces --out only once every page
// is written. On any error the new folder is removed and --out is left as it was.
#include "cli/report_command.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include "cli/history_steps.hpp"
#include "cli/verb_steps.hpp"
#include "papers/report_writer.hpp"
#include "papers/sheet_config.hpp"

namespace catengine::engine {

namespace {

namespace fs = std::filesystem;

// Marks a folder as written by this command, so that a later run may replace it.
constexpr const char* kMarker = ".catengine-report";

// Pages as files under a folder, each written through stdio and checked at every step.
class FolderSink final : public PageSink {
 public:
  explicit FolderSink(fs::path root) : root_(std::move(root)) {}
  ~FolderSink() override {
    if (file_) std::fclose(file_);
  }
  bool begin(const std::string& path, std::string& error) override {
    const fs::path full = root_ / path;
    std::error_code ec;
    fs::create_directories(full.parent_path(), ec);
    file_ = std::fopen(full.c_str(), "wb");
    if (!file_) return fail(full, error);
    current_ = full;
    return true;
  }
  bool write(std::string_view html, std::string& error) override {
    if (std::fwrite(html.data(), 1, html.size(), file_) != html.size())
      return fail(current_, error);
    return true;
  }
  bool end(std::string& error) override {
    // Flushed to the kernel here; one syncfs() puts the whole folder on disk before the rename.
    const bool ok = std::fflush(file_) == 0;
    const int saved = errno;
    const bool closed = std::fclose(file_) == 0;
    file_ = nullptr;
    errno = saved;
    if (!ok || !closed) return fail(current_, error);
    return true;
  }

 private:
  bool fail(const fs::path& p, std::string& error) {
    error = fmt::format("cannot write `{}`: {}", p.string(), std::strerror(errno));
    return false;
  }
  fs::path root_;
  fs::path current_;
  std::FILE* file_ = nullptr;
};

// The folder the policy's papers settings live in: the policy's folder, or the file's.
std::string policy_folder(const std::string& policy) {
  std::error_code ec;
  if (fs::is_directory(policy, ec)) return policy;
  const fs::path parent = fs::path(policy).parent_path();
  return parent.empty() ? "." : parent.string();
}

}  // namespace

int run_report(const ReportOptions& options, const Console& console) {
  auto as_of = date_option("--as-of", options.as_of, console);
  if (!as_of) return kExitInputError;
  const fs::path out = fs::path(options.out).lexically_normal();
  std::error_code ec;
  if (out.empty() || out.filename().empty() || out == "." || out == "..") {
    print(console.err, fmt::format("error: `--out {}` must name a folder to write\n", options.out));
    return kExitInputError;
  }
  if (fs::exists(fs::symlink_status(out, ec)) && !fs::is_directory(fs::symlink_status(out, ec))) {
    print(console.err,
          fmt::format("error: `--out {}` is not a folder; nothing was written\n", options.out));
    return kExitInputError;
  }
  // An existing folder is replaced whole, so only one this command wrote (it holds the marker
  // file) or an empty one: never a folder of someone's own files.
  if (fs::is_directory(fs::symlink_status(out, ec)) && !fs::is_empty(out, ec) &&
      !fs::exists(out / kMarker, ec)) {
    print(console.err,
          fmt::format("error: `--out {}` is a folder that `catengine report` did not write; name a "
                      "new folder, or empty this one; nothing was written\n",
                      options.out));
    return kExitInputError;
  }
  std::optional<HistoryStore> history;
  if (options.history) {
    history = open_history_to_read(*options.history, console);
    if (!history) return kExitInputError;
  }
  auto compiled = compile_and_report(options.policy, console);
  if (!compiled) return kExitInputError;
  std::string error;
  auto settings = read_paper_settings(policy_folder(options.policy), compiled->policy, error);
  if (!settings) {
    print(console.err, error + "error: the papers settings have problems; nothing was written\n");
    return kExitInputError;
  }
  auto bound = bind_and_report(*compiled, options.data, console);
  if (!bound) return kExitInputError;
  std::string previous_from;
  if (!fill_previous_from_history(history, *compiled, bound->data, *as_of, console, previous_from,
                                  bound->absent_fields))
    return kExitInputError;
  if (!previous_from.empty()) print(console.err, "previous values: " + previous_from + "\n");
  report_warnings(*compiled, *bound, *as_of, console);

  ReportInputs in;
  in.compiled = compiled.get();
  in.data = &bound->data;
  in.as_of = *as_of;
  in.provenance = provenance_of(options.policy, *compiled, *bound, *as_of);
  in.history = history ? &*history : nullptr;
  in.settings = std::move(*settings);

  // A new folder beside --out (same file system, so the rename is atomic), named uniquely.
  const fs::path parent = out.has_parent_path() ? out.parent_path() : fs::path(".");
  fs::path temp;
  {
    std::string pattern = (parent / ("." + out.filename().string() + ".tmp-XXXXXX")).string();
    if (!::mkdtemp(pattern.data())) {
      print(console.err, fmt::format("error: cannot make a folder beside `{}`: {}\n", options.out,
                                     std::strerror(errno)));
      return kExitInputError;
    }
    temp = pattern;
  }
  FolderSink sink(temp);
  auto summary = write_report(in, sink, error);
  if (summary && !(sink.begin(kMarker, error) &&
                   sink.write("This folder was written by `catengine report`, which replaces it "
                              "whole when run again with --out naming it.\n",
                              error) &&
                   sink.end(error)))
    summary.reset();
  if (summary) {
    // Every page on disk before the folder is renamed into place (one call for the folder,
    // rather than an fsync per page).
    const int dir = ::open(temp.c_str(), O_RDONLY | O_DIRECTORY);
    if (dir < 0 || ::syncfs(dir) != 0) {
      error = fmt::format("cannot write `{}`: {}", temp.string(), std::strerror(errno));
      summary.reset();
    }
    if (dir >= 0) ::close(dir);
  }
  if (!summary) {
    fs::remove_all(temp, ec);
    print(console.err, fmt::format("error: {}; nothing was written\n", error));
    return kExitInputError;
  }
  fs::permissions(temp,
                  fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                      fs::perms::others_read | fs::perms::others_exec,
                  ec);
  // Replace the old folder: move it aside, move the new one in, then remove the old one.
  fs::path aside;
  if (fs::exists(out, ec)) {
    aside = parent / ("." + out.filename().string() + ".old-" +
                      temp.filename().string().substr(temp.filename().string().size() - 6));
    fs::rename(out, aside, ec);
    if (ec) {
      fs::remove_all(temp, ec);
      print(console.err, fmt::format("error: cannot replace `{}`: {}; nothing was written\n",
                                     options.out, ec.message()));
      return kExitInputError;
    }
  }
  fs::rename(temp, out, ec);
  if (ec) {
    const std::string why = ec.message();
    if (!aside.empty()) fs::rename(aside, out, ec);
    fs::remove_all(temp, ec);
    print(console.err,
          fmt::format("error: cannot write `{}`: {}; nothing was written\n", options.out, why));
    return kExitInputError;
  }
  if (!aside.empty()) fs::remove_all(aside, ec);
  print(console.err,
        fmt::format("wrote {} profile sheets, {} notice and letter drafts and a clinic pack of {} "
                    "schools to {}/; open {}/index.html\n",
                    summary->schools, summary->notices, summary->on_agenda, options.out,
                    options.out));
  return kExitOk;
}

}  // namespace catengine::engine
