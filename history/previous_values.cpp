// Reading a saved run's text back as the current policy's values.
#include "history/previous_values.hpp"

#include <fmt/format.h>

#include <unordered_map>

#include "base/date.hpp"
#include "base/value.hpp"
#include "report/value_format.hpp"

namespace catengine::engine {

namespace {

// A saved cell as a value of `type`, or nothing when it cannot be one.
std::optional<Value> read_saved(std::string_view text, const lang::Type& type,
                                const lang::CheckedPolicy& policy, TextPool& pool) {
  switch (type.base) {
    case lang::BaseType::Integer:
    case lang::BaseType::Number:
    case lang::BaseType::Percent:
      return decimal::parse(text);
    case lang::BaseType::Boolean:
      if (text == "yes") return 1;
      if (text == "no") return 0;
      return std::nullopt;
    case lang::BaseType::Text:
      return pool.intern(text);
    case lang::BaseType::Date:
      return parse_iso_date(text);
    case lang::BaseType::AcademicYear: {
      const auto slash = text.find('/');
      if (slash == std::string_view::npos) return std::nullopt;
      auto year = decimal::parse(text.substr(0, slash));
      if (!year) return std::nullopt;
      return *year / decimal::kScale;
    }
    case lang::BaseType::Enum: {
      const auto& members = policy.enums.at(type.enum_id).members;
      for (std::size_t i = 0; i < members.size(); ++i) {
        if (members[i].key == text) return static_cast<Value>(i);
      }
      return std::nullopt;
    }
    case lang::BaseType::Error:
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace

bool reads_previous(const CompiledPolicy& compiled) {
  for (const auto& f : compiled.policy.record.fields) {
    if (!f.previous_of.empty()) return true;
  }
  return false;
}

std::vector<std::string> fill_previous(const CompiledPolicy& compiled, DataSet& data,
                                       const StoredRun& run,
                                       const std::vector<std::uint32_t>& absent_fields) {
  const auto& fields = compiled.policy.record.fields;
  std::vector<std::string> problems;
  const std::optional<std::size_t> key_field = compiled.policy.record.key_field();
  if (!key_field) return {"the policy reads `previous` values, but its record has no key"};
  const std::size_t key = *key_field;
  const std::string which = run.as_of.empty()
                                ? std::string("the previous run")
                                : fmt::format("the run of {} saved {}", run.as_of, run.saved_at);
  // Each previous field's column in the saved run.
  std::vector<std::pair<std::size_t, std::size_t>> filled;  // (field, saved column)
  for (std::size_t f = 0; f < fields.size(); ++f) {
    if (fields[f].previous_of.empty()) continue;
    std::size_t column = run.columns.size();
    for (std::size_t c = 0; c < run.columns.size(); ++c) {
      if (run.columns[c].name == fields[f].previous_of) column = c;
    }
    if (column == run.columns.size()) {
      problems.push_back(fmt::format("`previous {}`: {} has no column `{}`", fields[f].previous_of,
                                     which, fields[f].previous_of));
      continue;
    }
    filled.emplace_back(f, column);
  }
  if (!problems.empty()) return problems;
  std::unordered_map<std::string_view, std::size_t> by_key;
  for (std::size_t r = 0; r < run.rows.size(); ++r) by_key.emplace(run.rows[r][0], r);
  const ValueFormatter format(compiled.policy, data.text);
  for (std::size_t r = 0; r < data.size(); ++r) {
    const std::string k = format.format(data.at(r, key), fields[key].type);
    const auto it = by_key.find(k);
    if (it == by_key.end()) continue;  // a school new this term
    const auto& saved = run.rows[it->second];
    for (const auto& [f, c] : filled) {
      const std::string& text = saved.at(c + 1);
      if (text.empty()) continue;
      const auto v = read_saved(text, fields[f].type, compiled.policy, data.text);
      if (!v) {
        problems.push_back(fmt::format(
            "`previous {}` of {} `{}`: {} holds `{}`, which is not {} in this policy",
            fields[f].previous_of, fields[key].name, k, which, text,
            fields[f].type.base == lang::BaseType::Enum
                ? "a member of `" + compiled.policy.enums.at(fields[f].type.enum_id).name + "`"
                : std::string("a value of its type")));
        continue;
      }
      data.set(r, f, *v);
    }
  }
  for (std::uint32_t f : absent_fields) {
    if (f >= fields.size() || fields[f].absent_previous < 0) continue;
    const auto from = static_cast<std::size_t>(fields[f].absent_previous);
    for (std::size_t r = 0; r < data.size(); ++r) {
      data.set(r, f, data.at(r, from));
    }
  }
  return problems;
}

}  // namespace catengine::engine
