// An aligned table for reading on a terminal, with colour for ratings and scales when wanted.
#include <algorithm>

#include <fmt/format.h>

#include "base/version.hpp"
#include "report/result_writers.hpp"
#include "report/value_format.hpp"

namespace catengine::engine {

namespace {

std::size_t display_width(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// Long names are cut to keep the table readable; the CSV and JSON keep them whole.
std::string clip(const std::string& s, std::size_t width) {
  if (display_width(s) <= width) return s;
  std::string out;
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && ++n > width - 1) break;
    out += s[i];
  }
  return out + "…";
}

// Green for the best values, red for the worst: scales by position, ratings by name.
const char* colour_of(const lang::CheckedPolicy& p, const lang::Type& t, Value v) {
  if (t.base != lang::BaseType::Enum || v == kMissing) return nullptr;
  const auto& e = p.enums[t.enum_id];
  const std::string& key = e.members[static_cast<std::size_t>(v)].key;
  if (key == "red") return "\x1b[31m";
  if (key == "amber") return "\x1b[33m";
  if (key == "green") return "\x1b[32m";
  if (!e.ordered || e.members.size() < 3) return nullptr;
  const auto last = static_cast<Value>(e.members.size() - 1);
  if (v == last) return "\x1b[31m";
  if (v >= last - 1) return "\x1b[33m";
  return nullptr;
}

}  // namespace

std::string write_table(const CompiledPolicy& compiled, const DataSet& data, const Results& results,
                        const Provenance& provenance, bool colour) {
  constexpr std::size_t kMaxCell = 36;
  const auto& p = compiled.policy;
  const auto& outputs = p.outputs;
  ValueFormatter format(p, data.text);
  std::vector<std::vector<std::string>> cells(data.size(),
                                              std::vector<std::string>(outputs.size()));
  std::vector<std::size_t> width(outputs.size());
  for (std::size_t c = 0; c < outputs.size(); ++c) width[c] = display_width(outputs[c].name);
  for (std::size_t r = 0; r < data.size(); ++r) {
    for (std::size_t c = 0; c < outputs.size(); ++c) {
      cells[r][c] = clip(format.format(results.row(r)[c], outputs[c].type), kMaxCell);
      width[c] = std::max(width[c], display_width(cells[r][c]));
    }
  }
  std::string out;
  auto pad = [&](const std::string& s, std::size_t w, bool right) {
    const std::size_t fill = w - std::min(w, display_width(s));
    if (right) out.append(fill, ' ');
    out += s;
    if (!right) out.append(fill, ' ');
  };
  auto numeric = [&](std::size_t c) { return outputs[c].type.is_numeric(); };
  for (std::size_t c = 0; c < outputs.size(); ++c) {
    if (c) out += "  ";
    if (colour) out += "\x1b[1m";
    pad(outputs[c].name, width[c], numeric(c));
    if (colour) out += "\x1b[0m";
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  out += '\n';
  for (std::size_t c = 0; c < outputs.size(); ++c) {
    if (c) out += "  ";
    for (std::size_t i = 0; i < width[c]; ++i) out += "─";
  }
  out += '\n';
  for (std::size_t r = 0; r < data.size(); ++r) {
    for (std::size_t c = 0; c < outputs.size(); ++c) {
      if (c) out += "  ";
      const char* tint = colour ? colour_of(p, outputs[c].type, results.row(r)[c]) : nullptr;
      if (tint) out += tint;
      pad(cells[r][c], width[c], numeric(c));
      if (tint) out += "\x1b[0m";
    }
    // No trailing spaces at the end of a row.
    while (!out.empty() && out.back() == ' ') out.pop_back();
    out += '\n';
  }
  fmt::format_to(std::back_inserter(out), "\n{} record{} · {} · as of {}\n", data.size(),
                 data.size() == 1 ? "" : "s", p.title, provenance.as_of);
  fmt::format_to(std::back_inserter(out),
                 "policy {} (sha256 {}) · data {} (sha256 {}) · catengine {}\n",
                 provenance.policy_path, provenance.policy_sha256.substr(0, 12),
                 provenance.data_path, provenance.data_sha256.substr(0, 12), catengine_version());
  return out;
}

}  // namespace catengine::engine
