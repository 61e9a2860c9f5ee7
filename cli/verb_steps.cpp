// The steps verbs share; see verb_steps.hpp.
#include "cli/verb_steps.hpp"

#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <filesystem>

#include "base/date.hpp"
#include "base/english.hpp"
#include "data/data_file.hpp"
#include "lang/diagnostics/diagnostic.hpp"
#include "report/run_warnings.hpp"
#include "system/atomic_file.hpp"
#include "system/parallel.hpp"
#include "system/sha256.hpp"

namespace catengine::engine {

bool format_is_one_of(const std::string& format, std::initializer_list<std::string_view> names,
                      const Console& console) {
  for (std::string_view name : names) {
    if (format == name) return true;
  }
  // "a or b", "a, b or c": every name but the last joined with commas, then "or" the last.
  const std::vector<std::string_view> all(names);
  const std::string expected =
      all.size() == 1
          ? std::string(all.back())
          : fmt::format("{} or {}", fmt::join(all.begin(), all.end() - 1, ", "), all.back());
  print(console.err, fmt::format("error: unknown format `{}`; expected {}\n", format, expected));
  return false;
}

std::unique_ptr<CompiledPolicy> compile_and_report(
    const std::string& path, const Console& console,
    const std::function<std::string(std::string)>& relabel) {
  CompileResult r = compile_policy(path);
  const lang::SourceMap& sources = r.compiled ? r.compiled->sources : r.sources;
  if (!r.diagnostics.empty()) {
    std::string text = lang::render_all(r.diagnostics, sources, {console.colour_err});
    print(console.err, relabel ? relabel(std::move(text)) : text);
  }
  return std::move(r.compiled);
}

namespace {

std::optional<GivenFile> read_given(const std::string& arg, std::vector<std::string>& problems) {
  GivenFile f;
  f.path = arg;
  if (const auto hash = arg.rfind('#'); hash != std::string::npos &&
                                        !std::filesystem::exists(arg) &&
                                        std::filesystem::exists(arg.substr(0, hash))) {
    f.path = arg.substr(0, hash);
    f.sheet = arg.substr(hash + 1);
  }
  std::string error;
  // Mapped, not copied: the file is only read here, before anything is written.
  auto bytes = read_file_bytes(f.path, error);
  if (!bytes) {
    problems.push_back(error);
    return std::nullopt;
  }
  f.given = true;
  f.bytes = std::move(*bytes);
  return f;
}

// Which source each `--data` argument is for, by index; problems for the rest.
std::vector<std::optional<std::string>> assign_sources(const RecordSchema& schema,
                                                       const std::vector<std::string>& args,
                                                       std::vector<std::string>& problems) {
  std::vector<std::string> names, quoted;
  for (const SourceSpec& s : schema.sources) {
    names.push_back(s.name);
    quoted.push_back("`" + s.name + "`");
  }
  std::vector<std::optional<std::string>> arg_of(schema.sources.size());
  for (const std::string& arg : args) {
    const auto eq = arg.find('=');
    std::string name = eq == std::string::npos ? "" : arg.substr(0, eq);
    const std::string path = eq == std::string::npos ? arg : arg.substr(eq + 1);
    if (eq == std::string::npos) {
      if (schema.sources.size() != 1) {
        problems.push_back(
            fmt::format("`--data {}` does not say which source it is: this policy reads {}; "
                        "write `--data NAME=PATH` for each",
                        arg, list_in_words(quoted, "and")));
        continue;
      }
      name = schema.sources[0].name;
    }
    const auto it = std::find(names.begin(), names.end(), name);
    if (it == names.end()) {
      const std::string near = lang::closest_match(name, names);
      problems.push_back(
          fmt::format("`--data {}`: the policy has no source `{}`; its sources are {}{}", arg, name,
                      list_in_words(quoted, "and"),
                      near.empty() ? "" : fmt::format(" (did you mean `{}`?)", near)));
      continue;
    }
    auto& slot = arg_of[static_cast<std::size_t>(it - names.begin())];
    if (slot) {
      problems.push_back(
          fmt::format("source `{}` is given twice (`{}` and `{}`)", name, *slot, path));
      continue;
    }
    slot = path;
  }
  std::vector<std::string> absent;
  for (std::size_t s = 0; s < schema.sources.size(); ++s) {
    if (!arg_of[s] && !schema.sources[s].may_be_absent) {
      absent.push_back(
          fmt::format("`--data {}=PATH` ({})", schema.sources[s].name, schema.sources[s].title));
    }
  }
  if (!absent.empty()) {
    problems.push_back("the policy reads " + list_in_words(absent, "and") +
                       (absent.size() == 1 ? ", which was not given" : ", which were not given"));
  }
  return arg_of;
}

void print_warnings(const std::vector<DataError>& warnings, const Console& console) {
  std::string out;
  for (const auto& w : warnings) out += "warning: " + to_string(w) + "\n";
  if (!out.empty()) print(console.err, out);
}

}  // namespace

bool files_unchanged(const std::vector<GivenFile>& files, const Console& console) {
  std::string out;
  for (const GivenFile& f : files) {
    if (std::string error; !f.bytes.unchanged(error))
      out += "error: " + error + "; nothing was written\n";
  }
  print(console.err, out);
  return out.empty();
}

std::optional<std::vector<GivenFile>> read_data_files(const RecordSchema& schema,
                                                      const std::vector<std::string>& args,
                                                      const Console& console) {
  std::vector<std::string> problems;
  std::vector<GivenFile> files;
  if (schema.sources.empty()) {
    if (args.size() != 1) {
      problems.push_back(fmt::format(
          "this policy reads one data file, but `--data` was given {} times", args.size()));
    } else if (auto f = read_given(args[0], problems)) {
      files.push_back(std::move(*f));
    }
  } else {
    const auto arg_of = assign_sources(schema, args, problems);
    files.resize(schema.sources.size());
    if (problems.empty()) {
      for (std::size_t s = 0; s < arg_of.size(); ++s) {
        if (!arg_of[s]) continue;
        if (auto f = read_given(*arg_of[s], problems)) files[s] = std::move(*f);
      }
    }
  }
  if (!problems.empty()) {
    std::string out;
    for (const auto& p : problems) out += "error: " + p + "\n";
    print(console.err, out);
    return std::nullopt;
  }
  return files;
}

std::optional<BoundData> bind_and_report(const CompiledPolicy& compiled,
                                         const std::vector<std::string>& data_args,
                                         const Console& console, unsigned threads,
                                         const RecordWindow& window) {
  auto files = read_data_files(compiled.schema, data_args, console);
  if (!files) return std::nullopt;
  // The provenance hashes are as much work as binding: do both at once, unless the run is held
  // to one thread.
  BindResult bound;
  BindOptions options;
  options.threads = threads;
  // Records handed over as they are bound: the bytes read so far are hashed at each window, while
  // they are still in the cache, rather than read again from memory afterwards.
  Sha256 streamed_hash;
  std::size_t hashed = 0;
  const std::string_view list_bytes = files->front().bytes.view();
  if (window) {
    options.window = [&](const BoundWindow& w) {
      if (w.bytes_read > hashed) {
        streamed_hash.update(list_bytes.substr(hashed, w.bytes_read - hashed));
        hashed = w.bytes_read;
      }
      window(w);
    };
  }
  const auto bind = [&] { bound = bind_files(compiled.schema, *files, options); };
  const auto hash = [&] {
    for (GivenFile& f : *files) {
      if (!f.given) continue;
      if (&f == &files->front() && window) {
        streamed_hash.update(list_bytes.substr(hashed));
        f.sha256 = streamed_hash.hex();
      } else {
        f.sha256 = sha256_hex(f.bytes.view());
      }
    }
  };
  if (threads != 1 && !window) {  // a window is given records on the binding thread
    run_in_parallel(2, [&](std::size_t k) { k == 0 ? bind() : hash(); });
  } else {
    bind();
    hash();
  }
  if (!files_unchanged(*files, console)) return std::nullopt;
  print_warnings(bound.warnings, console);
  const GivenFile& list = files->front();
  if (!bound.errors.empty()) {
    std::string out;
    for (const auto& e : bound.errors) out += to_string(e) + "\n";
    out += fmt::format(
        "error: {} problem{} in {}; nothing was written\n", bound.errors.size(),
        bound.errors.size() == 1 ? "" : "s",
        compiled.schema.sources.empty() ? "`" + list.path + "`" : std::string("the data files"));
    print(console.err, out);
    return std::nullopt;
  }
  const std::size_t records = window ? bound.windowed : bound.data.size();
  BoundData out{std::move(bound.data),          list.path, list.sha256, {},
                std::move(bound.absent_fields), records};
  for (std::size_t s = 0; s < compiled.schema.sources.size(); ++s) {
    const GivenFile& f = (*files)[s];
    if (f.given) out.sources.push_back({compiled.schema.sources[s].name, f.path, f.sha256});
  }
  return out;
}

std::vector<RaisedWarning> report_warnings(const CompiledPolicy& compiled, BoundData& bound,
                                           Value as_of, const Console& console, std::size_t first,
                                           std::size_t end) {
  auto raised = find_warnings(compiled, bound.data, as_of, first, end);
  if (!raised.empty())
    print(console.err, render_warnings(compiled, bound.data, bound.path, raised));
  return raised;
}

Provenance provenance_of(const std::string& policy_path, const CompiledPolicy& compiled,
                         const BoundData& bound, Value as_of) {
  Provenance p{policy_path,       compiled.sources_sha256, bound.path,   bound.sha256,
               format_iso(as_of), bound.records,           bound.sources};
  return p;
}

int write_text(const std::optional<std::string>& out, std::string_view text,
               const Console& console) {
  if (!out) return print(console.out, text) ? kExitOk : kExitOutputError;
  std::string error;
  if (!write_file_atomically(*out, text, error)) {
    print(console.err, fmt::format("error: {}\n", error));
    return kExitInputError;
  }
  return kExitOk;
}

int write_file_by_name(
    const std::string& out,
    const std::function<bool(const std::string& path, std::string& error)>& write,
    const Console& console) {
  std::string error;
  // `write`'s own errors say what was wrong with the contents; the file system's name the file.
  auto wrote = [&](const std::filesystem::path& path) {
    if (write(path.string(), error)) return true;
    error = fmt::format("cannot write `{}`: {}; nothing was written", out, error);
    return false;
  };
  auto file = AtomicFile::create(out, error);
  bool written = file.has_value();
  if (written && file->replaces_file()) {
    written = wrote(file->temp_path()) && file->commit(error);
  } else if (written) {
    // A stream has no name to give: the file is made in the temporary folder (as an AtomicFile
    // never committed, so it goes whatever happens), then copied into the stream.
    auto scratch =
        AtomicFile::create(std::filesystem::temp_directory_path() / "catengine-out", error);
    std::optional<std::string> bytes;
    written = scratch && !scratch->temp_path().empty() && wrote(scratch->temp_path()) &&
              (bytes = read_file(scratch->temp_path(), error)) && file->write(*bytes, error) &&
              file->commit(error);
  }
  if (!written) {
    if (error.empty()) error = fmt::format("cannot write `{}`", out);  // no temporary file there
    print(console.err, fmt::format("error: {}\n", error));
    return kExitInputError;
  }
  return kExitOk;
}

bool out_given_for(const std::string& format, const std::optional<std::string>& out,
                   std::string_view example, const Console& console) {
  if (out) return true;
  print(console.err,
        fmt::format("error: `--format {0}` writes a file, not text for the terminal; name the file "
                    "with `--out`, such as `--out {1}`\n",
                    format, example));
  return false;
}

}  // namespace catengine::engine
