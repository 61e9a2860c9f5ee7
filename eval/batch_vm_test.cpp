// The batch machine: which code it takes, and evaluate() through it giving what the one-record
// machine gives for any number of records (full and partial batches, one or two threads), at
// as-of dates that hoist and one that does not, with errors in record order.
// (tests/unit/differential_test.cpp compares it slot by slot on random records and policies.)
#define BOOST_TEST_MODULE batch_vm
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <string>

#include "compile/compiled_policy.hpp"
#include "data/binder.hpp"
#include "eval/batch_vm.hpp"
#include "eval/evaluator.hpp"
#include "tests/support/test_support.hpp"

using namespace catengine;
using namespace catengine::engine;

using catengine::test::slurp;

namespace {

constexpr Value day(int y, unsigned m, unsigned d) {
  return std::chrono::sys_days{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}}
      .time_since_epoch()
      .count();
}

// evaluate() against the one-record machine, record by record: the same values, or the same
// error in the same order.
void check_against_one_record(const Program& program, DataSet& data, Value as_of,
                              unsigned threads) {
  const Results results = evaluate(program, data, {as_of, threads});
  const LinkedProgram linked = link(program, data.text, as_of);
  std::vector<Value> slots;
  std::size_t next_error = 0;
  for (std::size_t r = 0; r < data.size(); ++r) {
    const EvalStatus one = evaluate_record(linked, data.row(r).data(), slots);
    if (one.fault != EvalFault::None) {
      BOOST_REQUIRE_LT(next_error, results.errors.size());
      const EvaluationError& e = results.errors[next_error++];
      BOOST_TEST(e.row == data.source_row[r]);
      BOOST_TEST(e.definition == linked.code_owner[one.pc]);
      BOOST_TEST(static_cast<int>(e.fault) == static_cast<int>(one.fault));
      BOOST_TEST(e.detail == one.detail);
      for (std::size_t c = 0; c < results.columns; ++c) BOOST_TEST(results.row(r)[c] == kMissing);
      continue;
    }
    for (std::size_t c = 0; c < results.columns; ++c)
      BOOST_TEST(results.row(r)[c] == slots[program.output_slots[c]],
                 "record " << r << " column " << c << " as of " << as_of);
  }
  BOOST_TEST(next_error == results.errors.size());
}

// A small policy over a small file: compiled, bound, checked against the one-record machine on
// one and two threads, and evaluated on one.
struct Checked {
  CompileResult compiled;
  BindResult bound;
  Results results;
};

Checked evaluate_checked(const std::string& policy, const std::string& csv, Value as_of) {
  Checked c{compile_policy_text("t.policy", policy), {}, {}};
  BOOST_REQUIRE(c.compiled.compiled);
  const Program& program = c.compiled.compiled->program;
  c.bound = bind_records("t.csv", csv, c.compiled.compiled->schema);
  BOOST_REQUIRE(c.bound.errors.empty());
  for (unsigned threads : {1u, 2u}) check_against_one_record(program, c.bound.data, as_of, threads);
  c.results = evaluate(program, c.bound.data, {as_of, 1});
  return c;
}

}  // namespace

BOOST_AUTO_TEST_CASE(takes_forward_code_ending_in_halt) {
  auto r = compile_policy(std::string(CATENGINE_SOURCE_DIR) + "/policies/peterborough");
  BOOST_REQUIRE(r.compiled);
  const Program& p = r.compiled->program;
  BOOST_TEST(runs_in_batches(p.code));
  BOOST_TEST(runs_in_batches(p.hoisted.body));

  std::vector<Instr> code = p.hoisted.body;
  code.pop_back();  // no Halt
  BOOST_TEST(!runs_in_batches(code));
  BOOST_TEST(!runs_in_batches(std::vector<Instr>{}));

  // A jump back, or to itself, or past the end.
  for (Slot target : {Slot{0}, Slot{2}, Slot{100}}) {
    std::vector<Instr> loop = {{OpCode::Move, 1, 0},
                               {OpCode::Move, 2, 1},
                               {OpCode::Jump, 0, 0, 0, target},
                               {OpCode::Halt}};
    BOOST_TEST(!runs_in_batches(loop));
  }
  std::vector<Instr> forward = {{OpCode::Branch, 3, 0, 2, 3},
                                {OpCode::Move, 1, 0},
                                {OpCode::RuleTest, 2, 1, 0, 3},
                                {OpCode::Halt}};
  BOOST_TEST(runs_in_batches(forward));
  forward[0].b = 0;
  BOOST_TEST(!runs_in_batches(forward));
}

// Which instructions may write every lane: those whose slot no record that skips them reads
// before writing it again.
BOOST_AUTO_TEST_CASE(writes_every_lane_only_where_skipping_records_do_not_read_the_slot) {
  // 10 = (0 == 1); if 10 then 11 = 2 else 11 = 3; 12 = (11 == 1); the output is 12.
  const std::vector<Instr> code = {{OpCode::Eq, 10, 0, 1},          // 0: nothing jumps over it
                                   {OpCode::Branch, 11, 10, 4, 4},  // 1: writes only some
                                   {OpCode::Move, 11, 2},       // 2: skipped to 4, which writes 11
                                   {OpCode::Jump, 0, 0, 0, 5},  // 3
                                   {OpCode::Move, 11, 3},       // 4: skipped to 5, which reads 11
                                   {OpCode::Eq, 12, 11, 1},     // 5
                                   {OpCode::Move, 1, 2},        // 6: slot 1 is read before
                                   {OpCode::Halt}};
  const std::vector<Slot> outputs = {12};
  const std::vector<bool> every = writes_every_lane(code, outputs, 13);
  BOOST_REQUIRE_EQUAL(every.size(), code.size());
  BOOST_TEST(every[0]);
  BOOST_TEST(!every[1]);
  BOOST_TEST(every[2]);
  BOOST_TEST(!every[3]);
  BOOST_TEST(!every[4]);
  BOOST_TEST(every[5]);
  BOOST_TEST(!every[6]);
  BOOST_TEST(!every[7]);
  // The branch jumping straight to the end: the records that skip 2 read 11 only if it is
  // an output.
  std::vector<Instr> past = code;
  past[1].b = past[1].c = 7;
  BOOST_TEST(writes_every_lane(past, outputs, 13)[2]);
  BOOST_TEST(!writes_every_lane(past, std::vector<Slot>{11, 12}, 13)[2]);
}

BOOST_AUTO_TEST_CASE(every_size_of_batch_and_thread_count_agrees_with_one_record) {
  auto r = compile_policy(std::string(CATENGINE_SOURCE_DIR) + "/policies/peterborough");
  BOOST_REQUIRE(r.compiled);
  const CompiledPolicy& c = *r.compiled;
  const std::string csv =
      slurp(std::string(CATENGINE_SOURCE_DIR) + "/examples/peterborough/schools.csv");
  // The example file repeated, cut at sizes around the batch width.
  std::string header = csv.substr(0, csv.find('\n') + 1);
  std::string body = csv.substr(header.size());
  for (std::size_t want : {1u, 2u, 63u, 64u, 65u, 127u, 129u, 300u}) {
    std::string text = header;
    std::size_t lines = 0;
    for (int urn = 0; lines < want; ++urn) {
      // Distinct keys: rewrite each copy's URN.
      for (std::size_t at = 0; at < body.size() && lines < want;) {
        const std::size_t end = body.find('\n', at);
        std::string line = body.substr(at, end - at + 1);
        line.replace(0, line.find(','), std::to_string(100000 + lines));
        text += line;
        ++lines;
        at = end + 1;
      }
    }
    BindResult bound = bind_records("schools.csv", text, c.schema);
    BOOST_REQUIRE(bound.errors.empty());
    BOOST_REQUIRE(bound.data.size() == want);
    for (unsigned threads : {1u, 2u})
      check_against_one_record(c.program, bound.data, day(2018, 9, 17), threads);
  }
}

BOOST_AUTO_TEST_CASE(agrees_around_the_year) {
  auto r = compile_policy(std::string(CATENGINE_SOURCE_DIR) + "/policies/peterborough");
  BOOST_REQUIRE(r.compiled);
  const CompiledPolicy& c = *r.compiled;
  BindResult bound = bind_records(
      "schools.csv",
      slurp(std::string(CATENGINE_SOURCE_DIR) + "/examples/peterborough/schools.csv"), c.schema);
  BOOST_REQUIRE(bound.errors.empty());
  for (Value as_of : {day(2018, 9, 17), day(2018, 12, 21), day(2019, 4, 19), day(2019, 8, 1),
                      day(2016, 2, 29), day(2020, 1, 1)})
    check_against_one_record(c.program, bound.data, as_of, 1);
}

BOOST_AUTO_TEST_CASE(failing_lanes_stop_alone_and_report_in_record_order) {
  // As of 24 December 2027 the deadline runs into 2028, which the calendar lacks: the prologue
  // fails, the whole code runs, and only the urgent schools (every third) report it.
  const std::string text =
      "policy \"t\"\nuse stdlib.calendar\n"
      "record R\n  field id: integer, key\n  field urgent: boolean\n  field n: number?\n"
      "define deadline: date? = if urgent then add_working_days(as_of, 10) else as_of\n"
      "define share: number? = 100 / (n + 1)\n"
      // A rule's answer is worked out only for the records the rule fires for: 100 / n would
      // fail for n = 0.
      "decide ratio: number? by first match\n"
      "  rule A \"positive\" when n > 0 if missing no then 100 / n\n"
      "  rule B \"otherwise\" otherwise 0\n"
      "output\n  column id\n  column deadline\n  column share\n  column ratio\n";
  std::string csv = "id,urgent,n\n";
  for (int i = 0; i < 200; ++i)
    csv += std::to_string(i) + (i % 3 == 0 ? ",yes," : ",no,") +
           (i % 7 == 0   ? "-1"
            : i % 5 == 0 ? "0"
                         : "4") +
           "\n";
  const Value late = day(2027, 12, 24);
  Checked c = evaluate_checked(text, csv, late);
  const Program& program = c.compiled.compiled->program;
  BOOST_TEST(link(program, c.bound.data.text, late).code.size() == program.code.size());
  const Results& res = c.results;
  // Urgent schools fail on the deadline; of the rest, those with n = -1 fail on the division.
  std::size_t expected = 0;
  for (int i = 0; i < 200; ++i) expected += (i % 3 == 0 || i % 7 == 0) ? 1 : 0;
  BOOST_TEST(res.errors.size() == expected);
  BOOST_TEST(res.errors.front().row == 2u);
  BOOST_TEST(res.errors.front().detail == 2028);
  for (std::size_t e = 1; e < res.errors.size(); ++e)
    BOOST_TEST(res.errors[e - 1].row < res.errors[e].row);
  BOOST_TEST(res.row(1)[1] == late);                  // not urgent: the as-of date
  BOOST_TEST(res.row(1)[2] == 20 * decimal::kScale);  // 100 / (4 + 1)
  BOOST_TEST(res.row(1)[3] == 25 * decimal::kScale);  // 100 / 4
  BOOST_TEST(res.row(5)[3] == 0);                     // n = 0: rule B
}

BOOST_AUTO_TEST_CASE(overflow_fails_only_its_own_lane) {
  // Addition and subtraction run on every lane at once; a lane whose exact result does not fit
  // must fail exactly as it does alone, and its neighbours must not notice.
  const std::string text =
      "policy \"t\"\n"
      "record R\n  field id: integer, key\n  field n: number?\n"
      "define less: number? = n - 9000000\n"
      "define doubled: number? = n + n\n"
      "output\n  column id\n  column less\n  column doubled\n";
  const char* values[] = {"1", "5000000000000", "-9223372000000", "", "4000000000000", "-2.5"};
  std::string csv = "id,n\n";
  for (int i = 0; i < 150; ++i) csv += std::to_string(i) + "," + values[i % 6] + "\n";
  const Checked c = evaluate_checked(text, csv, day(2018, 9, 17));
  const Results& res = c.results;
  BOOST_TEST(res.errors.size() == 50u);  // two values in six overflow
  BOOST_TEST(static_cast<int>(res.errors[0].fault) == static_cast<int>(EvalFault::Overflow));
  BOOST_TEST(res.errors[0].row == 3u);  // 5000000000000 + itself
  BOOST_TEST(res.row(4)[2] == 8'000'000'000'000 * decimal::kScale);
  BOOST_TEST(res.row(5)[1] == -9'000'002'500'000);  // -2.5 - 9000000
  BOOST_TEST(res.row(3)[1] == kMissing);
}

BOOST_AUTO_TEST_CASE(dates_at_the_ends_of_the_calendar_fail_only_their_own_lane) {
  // Adding days and weeks runs on every lane at once inside the calendar; results past
  // 31 December 9999 or before 1 January 1 must fail as they do alone.
  const std::string text =
      "policy \"t\"\n"
      "record R\n  field id: integer, key\n  field d: date?\n  field n: integer?\n"
      "define later: date? = add_days(d, n)\n"
      "define weeks_later: date? = add_weeks(d, n)\n"
      "output\n  column id\n  column later\n  column weeks_later\n";
  const char* rows[] = {"2018-09-17,3",    "9999-12-25,6", "9999-12-25,7", "0001-01-03,-2",
                        "0001-01-03,-3",   "2018-09-17,",  ",5",           "2018-01-01,-100",
                        "9999-01-01,5000", "2000-02-28,1"};
  std::string csv = "id,d,n\n";
  for (int i = 0; i < 130; ++i) csv += std::to_string(i) + "," + rows[i % 10] + "\n";
  const Checked c = evaluate_checked(text, csv, day(2018, 9, 17));
  const Results& res = c.results;
  // Rows 1 (a week past Christmas 9999), 2, 3 (weeks before year 1), 4 and 8 fail.
  BOOST_TEST(res.errors.size() == 5u * 13u);
  BOOST_TEST(res.row(0)[1] == day(2018, 9, 20));
  BOOST_TEST(res.row(0)[2] == day(2018, 10, 8));
  BOOST_TEST(res.row(9)[1] == day(2000, 2, 29));
  BOOST_TEST(res.row(7)[2] == day(2016, 2, 1));
  BOOST_TEST(res.row(5)[1] == kMissing);
}
