// Hoisting: record-independent work runs once per run, the per-record body gives exactly what
// the whole code gives, and an as-of date for which the once-per-run work fails falls back to
// the whole code so that only the records that need the failing value report it.
#define BOOST_TEST_MODULE hoist
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>

#include "compile/compiled_policy.hpp"
#include "data/binder.hpp"
#include "eval/evaluator.hpp"
#include "tests/support/test_support.hpp"

using namespace catengine;
using namespace catengine::engine;

using catengine::test::slurp;

namespace {

bool has_op(const std::vector<Instr>& code, OpCode op) {
  return std::any_of(code.begin(), code.end(), [&](const Instr& i) { return i.op == op; });
}

constexpr Value day(int y, unsigned m, unsigned d) {
  return std::chrono::sys_days{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}}
      .time_since_epoch()
      .count();
}

}  // namespace

BOOST_AUTO_TEST_CASE(peterborough_counts_working_days_once_per_run) {
  auto r = compile_policy(std::string(CATENGINE_SOURCE_DIR) + "/policies/peterborough");
  BOOST_REQUIRE(r.compiled);
  const Program& p = r.compiled->program;
  // Notice deadlines and the profile send dates count working days from the as-of date only.
  BOOST_TEST(has_op(p.code, OpCode::AddWorkingDays));
  BOOST_TEST(has_op(p.hoisted.prologue, OpCode::AddWorkingDays));
  BOOST_TEST(!has_op(p.hoisted.body, OpCode::AddWorkingDays));
  BOOST_TEST(!has_op(p.hoisted.body, OpCode::FirstKeyOnOrAfter));  // the next clinic date
  BOOST_TEST(p.hoisted.body.size() < p.code.size());
  BOOST_TEST(p.hoisted.body.size() == p.hoisted.body_owner.size());
  BOOST_TEST(p.hoisted.prologue.size() == p.hoisted.prologue_owner.size());
}

BOOST_AUTO_TEST_CASE(hoisted_body_agrees_with_whole_code_on_every_definition) {
  auto r = compile_policy(std::string(CATENGINE_SOURCE_DIR) + "/policies/peterborough");
  BOOST_REQUIRE(r.compiled);
  const CompiledPolicy& c = *r.compiled;
  BindResult bound = bind_records(
      "schools.csv",
      slurp(std::string(CATENGINE_SOURCE_DIR) + "/examples/peterborough/schools.csv"), c.schema);
  BOOST_REQUIRE(bound.errors.empty());
  // Around the year: term ends, Christmas, Easter, the clinic dates, August.
  for (Value as_of : {day(2018, 9, 17), day(2018, 12, 21), day(2019, 4, 19), day(2019, 8, 1),
                      day(2016, 2, 29), day(2020, 1, 1)}) {
    LinkedProgram hoisted = link(c.program, bound.data.text, as_of);
    BOOST_REQUIRE(hoisted.code.data() == c.program.hoisted.body.data());
    LinkedProgram whole = hoisted;
    whole.code = c.program.code;
    whole.code_owner = c.program.code_owner;
    std::vector<Value> a(c.program.slot_count), b(c.program.slot_count);
    for (std::size_t row = 0; row < bound.data.size(); ++row) {
      BOOST_REQUIRE(evaluate_record(hoisted, bound.data.row(row).data(), a).fault ==
                    EvalFault::None);
      BOOST_REQUIRE(evaluate_record(whole, bound.data.row(row).data(), b).fault == EvalFault::None);
      for (std::size_t d = 0; d < c.program.definition_slots.size(); ++d) {
        const Slot s = c.program.definition_slots[d];
        BOOST_TEST(a[s] == b[s], "row " << row << " definition " << c.policy.definitions[d].name);
      }
      for (Slot s : c.program.output_slots) BOOST_TEST(a[s] == b[s]);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_failing_prologue_falls_back_to_the_whole_code) {
  // The deadline is record-independent, but for an as-of date at the end of the calendar it
  // cannot be worked out. Only the schools that need it may fail.
  const std::string text =
      "policy \"t\"\nuse stdlib.calendar\n"
      "record R\n  field id: integer, key\n  field urgent: boolean\n"
      "define deadline: date? = if urgent then add_working_days(as_of, 10) else as_of\n"
      "output\n  column id\n  column deadline\n";
  auto r = compile_policy_text("t.policy", text);
  BOOST_REQUIRE(r.compiled);
  BindResult bound = bind_records("t.csv", "id,urgent\n1,no\n2,yes\n", r.compiled->schema);
  BOOST_REQUIRE(bound.errors.empty());

  // Within the calendar: hoisted, and both schools evaluate.
  LinkedProgram fine = link(r.compiled->program, bound.data.text, day(2018, 9, 17));
  BOOST_TEST(fine.code.size() == r.compiled->program.hoisted.body.size());
  Results ok = evaluate(r.compiled->program, bound.data, {day(2018, 9, 17), 1});
  BOOST_TEST(ok.errors.empty());
  BOOST_TEST(ok.row(1)[1] == day(2018, 10, 1));

  // Ten working days after 24 December 2027 run into 2028, which the calendar lacks.
  LinkedProgram late = link(r.compiled->program, bound.data.text, day(2027, 12, 24));
  BOOST_TEST(late.code.size() == r.compiled->program.code.size());
  Results res = evaluate(r.compiled->program, bound.data, {day(2027, 12, 24), 1});
  BOOST_REQUIRE(res.errors.size() == 1u);
  BOOST_TEST(res.errors[0].row == 3u);  // the urgent school, on spreadsheet row 3
  BOOST_TEST(res.errors[0].detail == 2028);
  BOOST_TEST(res.row(0)[1] == day(2027, 12, 24));
}
