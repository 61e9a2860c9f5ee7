// Reading a policy folder's papers.csv and notice templates (see sheet_config.hpp).
#include "papers/sheet_config.hpp"

#include <algorithm>
#include <filesystem>
#include <sstream>

#include <fmt/format.h>

#include "base/text.hpp"
#include "data/csv_reader.hpp"
#include "system/atomic_file.hpp"

namespace catengine::engine {

namespace {

// The pieces of `text` between `by`s, without the spaces around them; empty pieces dropped.
std::vector<std::string> split(std::string_view text, char by) {
  std::vector<std::string> out;
  for (std::size_t start = 0;;) {
    const std::size_t end = std::min(text.find(by, start), text.size());
    const std::string_view piece = trim(text.substr(start, end - start), " ");
    if (!piece.empty()) out.emplace_back(piece);
    if (end == text.size()) return out;
    start = end + 1;
  }
}

bool names_something(const lang::CheckedPolicy& policy, const std::string& name) {
  for (const auto& f : policy.record.fields) {
    if (f.name == name && f.previous_of.empty()) return true;
  }
  for (const auto& d : policy.definitions) {
    if (d.name == name) return true;
  }
  return false;
}

}  // namespace

std::optional<PaperSettings> read_paper_settings(const std::string& folder,
                                                 const lang::CheckedPolicy& policy,
                                                 std::string& error) {
  namespace fs = std::filesystem;
  PaperSettings settings;
  std::string problems;
  const fs::path csv = fs::path(folder) / "papers.csv";
  std::error_code ec;
  if (fs::exists(csv, ec)) {
    std::string read_error;
    const auto bytes = read_file(csv, read_error, {.allow_pipes = false});
    if (!bytes) {
      error = read_error;
      return std::nullopt;
    }
    const std::string file = csv.string();
    const CsvResult result = read_csv(file, *bytes);
    for (const auto& e : result.errors) problems += to_string(e) + "\n";
    const auto& header = result.table.header;
    auto column = [&](std::string_view name) -> std::optional<std::size_t> {
      auto it = std::find(header.begin(), header.end(), name);
      if (it == header.end()) return std::nullopt;
      return static_cast<std::size_t>(it - header.begin());
    };
    const auto part = column("part"), title = column("title"), fields = column("fields"),
               labels = column("labels");
    if (result.errors.empty() && (!part || !title || !fields)) {
      problems += fmt::format("{}:1:-: expected the columns `part`, `title` and `fields`\n", file);
    }
    if (problems.empty()) {
      for (const auto& row : result.table.rows) {
        SheetPart p;
        const std::string kind(result.table.cell(row, *part));
        if (kind == "criterion") {
          p.kind = SheetPart::Kind::Criterion;
        } else if (kind == "trend") {
          p.kind = SheetPart::Kind::Trend;
        } else {
          problems +=
              fmt::format("{}:{}:part: `{}` is not a part; expected `criterion` or `trend`\n", file,
                          row.row, kind);
          continue;
        }
        p.title = std::string(result.table.cell(row, *title));
        p.fields = split(result.table.cell(row, *fields), ' ');
        if (labels) p.labels = split(result.table.cell(row, *labels), '|');
        for (const auto& f : p.fields) {
          if (!names_something(policy, f)) {
            problems += fmt::format(
                "{}:{}:fields: `{}` is neither a field nor a definition of the policy\n", file,
                row.row, f);
          }
        }
        if (!p.labels.empty() && p.labels.size() != p.fields.size()) {
          problems += fmt::format("{}:{}:labels: {} labels for {} fields\n", file, row.row,
                                  p.labels.size(), p.fields.size());
        }
        settings.parts.push_back(std::move(p));
      }
    }
  }
  // notice.mustache for every notice; NAME.mustache for one.
  if (fs::is_directory(folder, ec)) {
    std::vector<fs::path> found;
    for (const auto& entry : fs::directory_iterator(folder, ec)) {
      if (entry.path().extension() == ".mustache") found.push_back(entry.path());
    }
    std::sort(found.begin(), found.end());
    for (const auto& path : found) {
      std::string read_error;
      const auto text = read_file(path, read_error, {.allow_pipes = false});
      if (!text) {
        problems += read_error + "\n";
        continue;
      }
      const std::string stem = path.stem().string();
      settings.templates[stem == "notice" ? std::string() : stem] = *text;
    }
  }
  if (!problems.empty()) {
    error = problems;
    return std::nullopt;
  }
  return settings;
}

const std::string& default_notice_template() {
  static const std::string text =
      R"(<p class="muted">Draft for {{school_name}} ({{key_name}} {{school_key}}), prepared {{as_of}}.</p>
<address>To {{addressed_to}}<br>{{school_name}}</address>
{{#has_copies}}<p>Copy to: {{#copies}}{{copy}}{{^last}}; {{/last}}{{/copies}}</p>{{/has_copies}}
<h2>{{notice_title}}</h2>
<p>Dear {{addressed_to}},</p>
<p>The local authority has reviewed the information it holds about {{school_name}} under its policy, {{policy_title}}{{#notice_cite}} ({{notice_cite}}){{/notice_cite}}. This letter sets out the grounds on which it is written and what the local authority now asks of you.</p>
<h3>Grounds</h3>
{{#grounds}}
<div class="ground"><p class="holds">({{id}}) {{wording}}</p>
{{#cite}}<p class="cite">{{cite}}</p>{{/cite}}
{{#has_figures}}<table><thead><tr><th>Figure</th><th>Value</th><th>Source</th></tr></thead><tbody>
{{#figures}}<tr><td>{{name}}</td><td>{{value}}</td><td>{{source}}</td></tr>
{{/figures}}</tbody></table>{{/has_figures}}</div>
{{/grounds}}
{{#due}}<h3>What happens next</h3>
<p>Please respond in writing by <strong>{{due}}</strong> ({{respond_days}} working days, counted with {{calendar}}), setting out the action the school will take.</p>{{/due}}
{{#has_escalation}}<p>If the grounds are not addressed, the local authority may take the following steps, in this order:</p>
<ol>{{#escalation}}<li>{{step}}{{#cite}} <span class="cite">({{cite}})</span>{{/cite}}</li>{{/escalation}}</ol>{{/has_escalation}}
<p>Yours sincerely,</p>
<p>Director of Education<br><span class="muted">[name and signature]</span></p>
)";
  return text;
}

}  // namespace catengine::engine
