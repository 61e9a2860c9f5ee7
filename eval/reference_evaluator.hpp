// The reference semantics: a direct walk over the checked syntax tree, one record at a time,
// with definitions computed on demand and remembered. Slow and obvious on purpose. Explanations
// are built with it, and tests check that the compiled evaluator always agrees with it.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "base/calendar.hpp"
#include "base/term_calendar.hpp"
#include "data/dataset.hpp"
#include "eval/vm.hpp"
#include "lang/check/builtins.hpp"
#include "lang/check/checked_policy.hpp"

namespace catengine::engine {

class ReferenceEvaluator {
 public:
  // `terms` are the policy's term calendars (Program::term_calendars), needed by cadences that
  // count in terms; a policy without any may leave them out.
  ReferenceEvaluator(const lang::CheckedPolicy& policy,
                     const std::vector<HolidayCalendar>& calendars, TextPool& text, Value as_of,
                     const std::vector<TermCalendar>& terms = no_terms());

  // Starts a new record; `fields` holds one Value per record field.
  void reset(const Value* fields);

  Value eval(lang::ExprRef e);
  Value definition(std::uint32_t index);
  // For a decision: the index of the rule that fired, or nullopt when none did.
  std::optional<std::uint32_t> fired_rule(std::uint32_t index);
  // The parameter entry a lookup used, for citing it; nullptr when the table had none.
  const lang::ParamEntryInfo* param_entry(std::uint32_t param, Value key) const;

  // The first alternative whose condition holds (addressees, durations), or nullptr.
  const lang::AlternativeInfo* choose(const std::vector<lang::AlternativeInfo>& alternatives);

  // The first fault met since reset() (overflow, division by zero, date out of range).
  EvalFault fault() const { return fault_; }
  int fault_detail() const { return fault_detail_; }
  // UniqueClash: the decision whose rules clashed.
  std::uint32_t fault_definition() const { return fault_definition_; }

 private:
  static const std::vector<TermCalendar>& no_terms() {
    static const std::vector<TermCalendar> none;
    return none;
  }
  Value call(lang::ExprRef e);
  Value fixed_call(lang::Builtin b, const std::vector<lang::ExprRef>& args);
  Value binary(lang::ExprRef e);
  Value chain(lang::ExprRef e);
  Value fail(EvalFault f, int detail = 0);
  Value hidden_definition(const lang::DefinitionInfo& def);
  Value next_due(const lang::CadenceInfo& c);
  const HolidayCalendar& calendar() const { return calendars_.at(p_.calendars.size() - 1); }

  const lang::CheckedPolicy& p_;
  const std::vector<HolidayCalendar>& calendars_;
  const std::vector<TermCalendar>& terms_;
  TextPool& text_;
  Value as_of_;
  const Value* fields_ = nullptr;
  std::vector<Value> values_;  // by definition; valid when known_
  std::vector<char> known_;
  std::vector<std::optional<std::uint32_t>> fired_;  // by definition (decisions)
  EvalFault fault_ = EvalFault::None;
  int fault_detail_ = 0;
  std::uint32_t fault_definition_ = 0;
};

}  // namespace catengine::engine
