// An aligned table for reading on a terminal, with colour for ratings and scales when wanted.
#include <fmt/format.h>

#include "report/result_writers.hpp"
#include "report/text_table.hpp"
#include "report/value_format.hpp"

namespace catengine::engine {

namespace {

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
  TextTable t;
  t.bold_heads = colour;
  for (const auto& o : outputs) {
    t.heads.push_back(o.name);
    t.right.push_back(o.type.is_numeric());
  }
  for (std::size_t r = 0; r < data.size(); ++r) {
    auto& cells = t.rows.emplace_back(outputs.size());
    for (std::size_t c = 0; c < outputs.size(); ++c)
      cells[c] = clip(format.format(results.row(r)[c], outputs[c].type), kMaxCell);
    if (!colour) continue;
    auto& tints = t.tints.emplace_back(outputs.size());
    for (std::size_t c = 0; c < outputs.size(); ++c)
      tints[c] = colour_of(p, outputs[c].type, results.row(r)[c]);
  }
  std::string out = render_text_table(t);
  fmt::format_to(std::back_inserter(out), "\n{} record{} · {} · as of {}\n", data.size(),
                 data.size() == 1 ? "" : "s", p.title, provenance.as_of);
  return out + provenance_line(provenance);
}

}  // namespace catengine::engine
