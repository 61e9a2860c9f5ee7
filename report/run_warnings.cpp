// Finding and printing run-time warnings (see run_warnings.hpp for why the reference evaluator).
#include "report/run_warnings.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "eval/reference_evaluator.hpp"
#include "report/value_format.hpp"

namespace catengine::engine {

std::vector<RaisedWarning> find_warnings(const CompiledPolicy& compiled, DataSet& data, Value as_of,
                                         std::size_t first, std::size_t end) {
  const lang::CheckedPolicy& p = compiled.policy;
  std::vector<RaisedWarning> out;
  if (p.warnings.empty()) return out;
  end = std::min(end, data.size());
  ReferenceEvaluator eval(p, compiled.program.calendars, data.text, as_of,
                          compiled.program.term_calendars);
  std::vector<Value> fields(data.field_count);
  for (std::size_t r = first; r < end; ++r) {
    // One reset per record: the definitions several warnings read are worked out once.
    data.row_into(r, fields.data());
    eval.reset(fields.data());
    for (std::uint32_t w = 0; w < p.warnings.size(); ++w) {
      const EvalFault before = eval.fault();
      const Value holds = eval.eval(p.warnings[w].condition);
      // The first fault since reset() is kept: a new one belongs to this condition.
      if (eval.fault() != EvalFault::None && before == EvalFault::None) {
        out.push_back({w, r, eval.fault(), eval.fault_detail()});
      } else if (holds == 1) {
        out.push_back({w, r});
      }
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const RaisedWarning& a, const RaisedWarning& b) {
    return a.warning < b.warning;
  });
  return out;
}

std::string warning_words(const lang::WarningInfo& warning, const RaisedWarning& raised) {
  if (raised.fault == EvalFault::None) return warning.message;
  return fmt::format("could not work out whether it holds: {}",
                     describe(raised.fault, raised.detail));
}

std::string render_warnings(const CompiledPolicy& compiled, const DataSet& data,
                            const std::string& path, const std::vector<RaisedWarning>& raised,
                            std::size_t limit) {
  const lang::CheckedPolicy& p = compiled.policy;
  const auto& fields = p.record.fields;
  const std::optional<std::size_t> key = p.record.key_field();
  const ValueFormatter format(p, data.text);
  std::string out;
  for (std::size_t i = 0; i < raised.size();) {
    const lang::WarningInfo& w = p.warnings.at(raised[i].warning);
    std::size_t end = i;
    while (end < raised.size() && raised[end].warning == raised[i].warning) ++end;
    for (std::size_t k = i; k < std::min(end, i + limit); ++k) {
      const RaisedWarning& r = raised[k];
      const std::string school =
          key ? fmt::format(" ({} {})", fields[*key].name,
                            format.format(data.at(r.record, *key), fields[*key].type))
              : std::string();
      const std::string words = warning_words(w, r);
      fmt::format_to(std::back_inserter(out), "{}:{}:-: warning: [{}] {}{}\n", path,
                     data.source_row.at(r.record), w.name, words, school);
    }
    if (end - i > limit) {
      const std::size_t more = end - i - limit;
      fmt::format_to(std::back_inserter(out), "{}: warning: [{}] ... and {} more school{}\n", path,
                     w.name, more, more == 1 ? "" : "s");
    }
    i = end;
  }
  return out;
}

}  // namespace catengine::engine
