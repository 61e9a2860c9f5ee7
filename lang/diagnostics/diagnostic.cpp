// The registry of diagnostic kinds, rendering in the Rust/Elm style, and "did you mean" matching.
#include "lang/diagnostics/diagnostic.hpp"
#include "base/utf8.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <vector>

namespace catengine::lang {
namespace {

constexpr std::array kInfos = {
#define X(code, severity, summary) DiagnosticKindInfo{#code, Severity::severity, summary},
#include "lang/diagnostics/diagnostic_kinds.def"
#undef X
};

constexpr std::array kKinds = {
#define X(code, severity, summary) DiagnosticKind::code,
#include "lang/diagnostics/diagnostic_kinds.def"
#undef X
};

// ANSI styles, used only when RenderOptions::colour is set.
constexpr std::string_view kReset = "\x1b[0m";
constexpr std::string_view kBold = "\x1b[1m";
constexpr std::string_view kRed = "\x1b[1;31m";
constexpr std::string_view kYellow = "\x1b[1;33m";
constexpr std::string_view kGreen = "\x1b[1;32m";
constexpr std::string_view kBlue = "\x1b[1;34m";

std::string_view severity_word(Severity s) {
  switch (s) {
    case Severity::Error:
      return "error";
    case Severity::Warning:
      return "warning";
    case Severity::Note:
      return "note";
  }
  return "error";
}

std::string_view severity_colour(Severity s) {
  switch (s) {
    case Severity::Error:
      return kRed;
    case Severity::Warning:
      return kYellow;
    case Severity::Note:
      return kGreen;
  }
  return kRed;
}

bool is_continuation(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

// Display width of the bytes [from, to) of a line: one per character, four per tab.
std::size_t width(std::string_view line, std::size_t from, std::size_t to) {
  std::size_t w = 0;
  for (std::size_t i = from; i < to && i < line.size(); ++i) {
    if (line[i] == '\t') {
      w += 4;
    } else if (!is_continuation(line[i])) {
      ++w;
    }
  }
  return w;
}

std::string expand_tabs(std::string_view line) {
  std::string out;
  for (char c : line) {
    if (c == '\t') {
      out += "    ";
    } else {
      out += c;
    }
  }
  return out;
}

class Painter {
 public:
  explicit Painter(bool on) : on_(on) {}
  std::string operator()(std::string_view style, std::string_view text) const {
    if (!on_) return std::string(text);
    return std::string(style) + std::string(text) + std::string(kReset);
  }

 private:
  bool on_;
};

std::string location(const SourceFile& f, std::uint32_t offset) {
  const LineColumn lc = f.locate(offset);
  return f.path() + ":" + std::to_string(lc.line) + ":" + std::to_string(lc.column);
}

}  // namespace

const DiagnosticKindInfo& info(DiagnosticKind kind) {
  return kInfos.at(static_cast<std::size_t>(kind));
}

std::vector<DiagnosticKind> all_diagnostic_kinds() {
  return std::vector<DiagnosticKind>(kKinds.begin(), kKinds.end());
}

std::string docs_anchor(const DiagnosticKindInfo& info) {
  // Lowercase letters and digits, `-` and `_` kept, spaces made `-`, everything else dropped.
  const std::string heading = std::string(info.code) + ": " + std::string(info.summary);
  std::string out;
  for (const char c : heading) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
      out += c;
    } else if (c >= 'A' && c <= 'Z') {
      out += static_cast<char>(c - 'A' + 'a');
    } else if (c == ' ') {
      out += '-';
    }
  }
  return out;
}

std::string render(const Diagnostic& d, const SourceMap& sources, const RenderOptions& options) {
  const Painter paint(options.colour);
  const DiagnosticKindInfo& k = info(d.kind);
  std::string out;
  out += paint(severity_colour(k.severity),
               std::string(severity_word(k.severity)) + "[" + std::string(k.code) + "]");
  out += paint(kBold, ": " + d.message);
  out += '\n';

  const bool known_file = d.span.file < sources.size();
  std::size_t gutter = 2;  // width of the line-number column
  if (!known_file) {
    // No file to point into: the header alone.
  } else if (!d.has_span) {
    out += std::string(gutter, ' ') + paint(kBlue, "-->") + " " + sources.file(d.span.file).path() +
           "\n";
  } else {
    const SourceFile& f = sources.file(d.span.file);
    const LineColumn lc = f.locate(d.span.begin);
    const std::string number = std::to_string(lc.line);
    gutter = number.size();
    const std::string pad(gutter, ' ');
    out += pad + paint(kBlue, "-->") + " " + location(f, d.span.begin) + "\n";
    out += pad + " " + paint(kBlue, "|") + "\n";
    const std::string_view line = f.line_text(lc.line);
    out += paint(kBlue, number + " |");
    // A line that is not UTF-8 (E0009 points into one) is shown with U+FFFD for each bad byte.
    if (!line.empty()) out += " " + expand_tabs(replace_invalid_utf8(line));
    out += "\n";
    // The caret: from the span's start to its end, or to the end of the line when it runs on.
    const std::uint32_t line_start = d.span.begin - static_cast<std::uint32_t>([&] {
                                       std::uint32_t col_bytes = 0;
                                       const std::string& text = f.text();
                                       std::uint32_t i = std::min<std::uint32_t>(
                                           d.span.begin, static_cast<std::uint32_t>(text.size()));
                                       while (i > 0 && text[i - 1] != '\n') {
                                         --i;
                                         ++col_bytes;
                                       }
                                       return col_bytes;
                                     }());
    const std::size_t from = std::min<std::size_t>(d.span.begin - line_start, line.size());
    const std::size_t to =
        std::min<std::size_t>(std::max(d.span.end, d.span.begin) - line_start, line.size());
    const std::size_t indent = width(line, 0, from);
    const std::size_t carets = std::max<std::size_t>(1, width(line, from, to));
    out += pad + " " + paint(kBlue, "|") + " " + std::string(indent, ' ') +
           paint(severity_colour(k.severity), std::string(carets, '^'));
    if (!d.label.empty()) out += " " + paint(severity_colour(k.severity), d.label);
    out += "\n";
  }
  const std::string pad(gutter + 1, ' ');
  for (const std::string& hint : d.hints) {
    if (hint.empty()) continue;
    out += pad + paint(kBlue, "=") + " " + paint(kBold, "hint") + ": " + hint + "\n";
  }
  for (const DiagnosticNote& note : d.notes) {
    out += pad + paint(kBlue, "=") + " " + paint(kBold, "note") + ": ";
    if (note.span.file < sources.size()) {
      out += location(sources.file(note.span.file), note.span.begin) + ": ";
    }
    out += note.message + "\n";
  }
  return out;
}

std::string render_all(const std::vector<Diagnostic>& ds, const SourceMap& sources,
                       const RenderOptions& options) {
  if (ds.empty()) return "";
  std::string out;
  std::size_t errors = 0;
  std::size_t warnings = 0;
  std::size_t notes = 0;
  for (const Diagnostic& d : ds) {
    out += render(d, sources, options);
    out += "\n";
    if (d.kind == DiagnosticKind::E0008) continue;  // "too many errors" is not one more error
    switch (info(d.kind).severity) {
      case Severity::Error:
        ++errors;
        break;
      case Severity::Warning:
        ++warnings;
        break;
      case Severity::Note:
        ++notes;
        break;
    }
  }
  auto count = [](std::size_t n, std::string_view word) {
    return std::to_string(n) + " " + std::string(word) + (n == 1 ? "" : "s");
  };
  std::string summary;
  if (errors > 0) summary = count(errors, "error");
  if (warnings > 0) summary += (summary.empty() ? "" : ", ") + count(warnings, "warning");
  if (summary.empty()) summary = count(notes, "note");
  out += summary + "\n";
  return out;
}

bool has_errors(const std::vector<Diagnostic>& ds) {
  return std::any_of(ds.begin(), ds.end(),
                     [](const Diagnostic& d) { return info(d.kind).severity == Severity::Error; });
}

std::string closest_match(std::string_view name, const std::vector<std::string>& candidates) {
  // Optimal string alignment distance (Damerau-Levenshtein with adjacent transpositions).
  auto distance = [](std::string_view a, std::string_view b) {
    const std::size_t n = a.size();
    const std::size_t m = b.size();
    std::vector<std::vector<std::size_t>> dp(n + 1, std::vector<std::size_t>(m + 1));
    for (std::size_t i = 0; i <= n; ++i) dp[i][0] = i;
    for (std::size_t j = 0; j <= m; ++j) dp[0][j] = j;
    for (std::size_t i = 1; i <= n; ++i) {
      for (std::size_t j = 1; j <= m; ++j) {
        const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
        dp[i][j] = std::min({dp[i - 1][j] + 1, dp[i][j - 1] + 1, dp[i - 1][j - 1] + cost});
        if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
          dp[i][j] = std::min(dp[i][j], dp[i - 2][j - 2] + 1);
        }
      }
    }
    return dp[n][m];
  };
  const std::size_t limit = std::max<std::size_t>(1, name.size() / 3);
  std::string best;
  std::size_t best_distance = limit + 1;
  for (const std::string& c : candidates) {
    // Cheap bound: lengths differing by more than the limit cannot match.
    const std::size_t gap =
        c.size() > name.size() ? c.size() - name.size() : name.size() - c.size();
    if (gap > limit) continue;
    const std::size_t d = distance(name, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best;
}

}  // namespace catengine::lang
