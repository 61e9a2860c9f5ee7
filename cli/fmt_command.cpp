// `catengine fmt`: finds the policy files, parses each, lays it out with lang::format_module and
// either rewrites it atomically or (--check) prints a unified diff of what would change. A file
// is written only when it parsed without errors and its formatted text has the same tokens.
#include "cli/fmt_command.hpp"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include <fmt/format.h>

#include "lang/diagnostics/diagnostic.hpp"
#include "lang/format/formatter.hpp"
#include "lang/syntax/parser.hpp"
#include "system/atomic_file.hpp"

namespace catengine::engine {
namespace {

namespace fs = std::filesystem;

// Lines with their line feeds; the last lacks one when the text does not end with a line feed.
std::vector<std::string_view> split_lines(const std::string& text) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    end = end == std::string::npos ? text.size() : end + 1;
    out.emplace_back(text.data() + start, end - start);
    start = end;
  }
  return out;
}

struct Edit {
  char op;  // ' ' kept, '-' removed, '+' added
  std::string_view line;
};

// The edit script by longest common subsequence of lines (after the common head and tail);
// a middle too large to compare line by line is shown as removed and added whole.
std::vector<Edit> diff_lines(const std::vector<std::string_view>& a,
                             const std::vector<std::string_view>& b) {
  std::size_t head = 0;
  while (head < a.size() && head < b.size() && a[head] == b[head]) ++head;
  std::size_t tail = 0;
  while (tail < a.size() - head && tail < b.size() - head &&
         a[a.size() - 1 - tail] == b[b.size() - 1 - tail]) {
    ++tail;
  }
  std::vector<Edit> edits;
  for (std::size_t i = 0; i < head; ++i) edits.push_back({' ', a[i]});
  const std::size_t n = a.size() - head - tail;
  const std::size_t m = b.size() - head - tail;
  if (n * m > 40'000'000) {
    for (std::size_t i = 0; i < n; ++i) edits.push_back({'-', a[head + i]});
    for (std::size_t j = 0; j < m; ++j) edits.push_back({'+', b[head + j]});
  } else {
    // lcs[i][j]: the longest common subsequence of a[head+i..] and b[head+j..].
    std::vector<std::uint32_t> lcs((n + 1) * (m + 1), 0);
    auto at = [&](std::size_t i, std::size_t j) -> std::uint32_t& { return lcs[i * (m + 1) + j]; };
    for (std::size_t i = n; i-- > 0;) {
      for (std::size_t j = m; j-- > 0;) {
        at(i, j) = a[head + i] == b[head + j] ? at(i + 1, j + 1) + 1
                                              : std::max(at(i + 1, j), at(i, j + 1));
      }
    }
    std::size_t i = 0;
    std::size_t j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[head + i] == b[head + j]) {
        edits.push_back({' ', a[head + i]});
        ++i;
        ++j;
      } else if (j < m && (i == n || at(i, j + 1) >= at(i + 1, j))) {
        edits.push_back({'+', b[head + j]});
        ++j;
      } else {
        edits.push_back({'-', a[head + i]});
        ++i;
      }
    }
  }
  for (std::size_t i = a.size() - tail; i < a.size(); ++i) edits.push_back({' ', a[i]});
  // Within each run of changes, removals before additions, as diff(1) prints them.
  for (std::size_t s = 0; s < edits.size();) {
    if (edits[s].op == ' ') {
      ++s;
      continue;
    }
    std::size_t e = s;
    while (e < edits.size() && edits[e].op != ' ') ++e;
    std::stable_partition(edits.begin() + static_cast<std::ptrdiff_t>(s),
                          edits.begin() + static_cast<std::ptrdiff_t>(e),
                          [](const Edit& x) { return x.op == '-'; });
    s = e;
  }
  return edits;
}

void append_line(std::string& out, char op, std::string_view line) {
  out += op;
  out += line;
  if (line.empty() || line.back() != '\n') out += "\n\\ No newline at end of file\n";
}

// Every policy file a path names, sorted within each folder; or an error message.
bool collect(const std::string& path, std::vector<std::string>& files, std::string& error) {
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (ec || !fs::exists(status)) {
    error = fmt::format("error: `{}` does not exist; expected a .policy file or a folder", path);
    return false;
  }
  if (!fs::is_directory(status)) {
    files.push_back(path);
    return true;
  }
  std::vector<std::string> found;
  for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file() && it->path().extension() == ".policy") {
      found.push_back(it->path().generic_string());
    }
  }
  if (ec) {
    error = fmt::format("error: could not read the folder `{}`: {}", path, ec.message());
    return false;
  }
  std::sort(found.begin(), found.end());
  files.insert(files.end(), found.begin(), found.end());
  return true;
}

}  // namespace

std::string unified_diff(const std::string& before, const std::string& after,
                         const std::string& before_label, const std::string& after_label) {
  if (before == after) return {};
  const auto a = split_lines(before);
  const auto b = split_lines(after);
  const std::vector<Edit> edits = diff_lines(a, b);
  constexpr std::size_t kContext = 3;
  std::string out = fmt::format("--- {}\n+++ {}\n", before_label, after_label);
  // line numbers (0-based) in a and b at the start of each edit
  std::vector<std::size_t> a_at(edits.size() + 1);
  std::vector<std::size_t> b_at(edits.size() + 1);
  for (std::size_t k = 0; k < edits.size(); ++k) {
    a_at[k + 1] = a_at[k] + (edits[k].op != '+' ? 1 : 0);
    b_at[k + 1] = b_at[k] + (edits[k].op != '-' ? 1 : 0);
  }
  std::size_t k = 0;
  while (k < edits.size()) {
    while (k < edits.size() && edits[k].op == ' ') ++k;
    if (k == edits.size()) break;
    const std::size_t start = k > kContext ? k - kContext : 0;
    std::size_t last_change = k;
    std::size_t e = k;
    while (e < edits.size()) {
      if (edits[e].op != ' ') {
        last_change = e;
      } else if (e - last_change > 2 * kContext) {
        break;
      }
      ++e;
    }
    const std::size_t stop = std::min(edits.size(), last_change + 1 + kContext);
    const std::size_t a_len = a_at[stop] - a_at[start];
    const std::size_t b_len = b_at[stop] - b_at[start];
    out += fmt::format("@@ -{},{} +{},{} @@\n", a_len == 0 ? a_at[start] : a_at[start] + 1, a_len,
                       b_len == 0 ? b_at[start] : b_at[start] + 1, b_len);
    for (std::size_t i = start; i < stop; ++i) append_line(out, edits[i].op, edits[i].line);
    k = stop;
  }
  return out;
}

int run_fmt(const FmtOptions& options, const Console& console) {
  std::vector<std::string> files;
  bool input_error = false;
  for (const std::string& path : options.paths) {
    std::string error;
    if (!collect(path, files, error)) {
      print(console.err, error + "\n");
      input_error = true;
    }
  }
  bool changes = false;
  for (const std::string& path : files) {
    std::string error;
    const auto text = read_file(path, error);
    if (!text) {
      print(console.err, fmt::format("error: {}\n", error));
      input_error = true;
      continue;
    }
    lang::SourceMap sources;
    const lang::FileId id = sources.add(path, *text);
    lang::ParseResult parsed = lang::parse(sources.file(id), id);
    if (lang::has_errors(parsed.diagnostics)) {
      print(console.err, lang::render_all(parsed.diagnostics, sources, {console.colour_err}));
      print(console.err,
            fmt::format("error: `{}` was not formatted because it does not parse\n", path));
      input_error = true;
      continue;
    }
    const std::string formatted = lang::format_module(sources.file(id), parsed.module);
    // A safety net: the layout may change, the tokens never.
    if (formatted != *text && !lang::same_tokens(*text, formatted)) {
      print(console.err,
            fmt::format("error: formatting `{}` would change more than its layout (a repeated "
                        "option or item?); the file was left as it is\n",
                        path));
      input_error = true;
      continue;
    }
    std::string modernised;
    if (options.modernise) {
      modernised = lang::format_module(sources.file(id), parsed.module, {.modernise = true});
      // Its own safety net: the words change, so the tokens do; the meaning never.
      lang::SourceMap again;
      const lang::FileId id2 = again.add(path, modernised);
      const lang::ParseResult reparsed = lang::parse(again.file(id2), id2);
      if (lang::has_errors(reparsed.diagnostics) ||
          !lang::same_meaning(parsed.module, reparsed.module)) {
        print(console.err, fmt::format("error: modernising `{}` would change its meaning; the "
                                       "file was left as it is (please report this)\n",
                                       path));
        input_error = true;
        continue;
      }
    }
    const std::string& result = options.modernise ? modernised : formatted;
    if (result == *text) continue;
    changes = true;
    if (options.check) {
      print(console.out, unified_diff(*text, result, path, path + " (formatted)"));
      continue;
    }
    if (!write_file_atomically(path, result, error)) {
      print(console.err, fmt::format("error: {}\n", error));
      input_error = true;
      continue;
    }
    print(console.out, path + "\n");
  }
  if (input_error) return kExitInputError;
  return options.check && changes ? kExitCheckFailed : kExitOk;
}

}  // namespace catengine::engine
