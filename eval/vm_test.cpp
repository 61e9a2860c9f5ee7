// The one-record machine on hand-built programs, independent of lowering: arithmetic in exact
// decimals, the missing-value rules, comparisons, control flow, and a fault that names the
// instruction that raised it.
#define BOOST_TEST_MODULE vm
#include <boost/test/unit_test.hpp>

#include <vector>

#include "base/value.hpp"
#include "eval/vm.hpp"

using namespace catengine;
using namespace catengine::engine;

namespace {

constexpr Value kYes = 1;
constexpr Value kNo = 0;

Value num(std::int64_t whole) {
  return decimal::from_integer(whole);
}

// Runs `code` (Halt appended) over slots 0..n-1 holding `slots`; returns the status and leaves
// the final slot values in `slots`.
EvalStatus run_code(std::vector<Instr> code, std::vector<Value>& slots) {
  Program p;
  code.push_back({OpCode::Halt});
  p.code = code;
  p.code_owner.assign(p.code.size(), 0);
  p.slot_count = slots.size();
  p.constants = slots;
  LinkedProgram linked;
  linked.program = &p;
  linked.slot_template = slots;
  linked.code = p.code;
  linked.code_owner = p.code_owner;
  return run(linked, slots.data());
}

}  // namespace

BOOST_AUTO_TEST_CASE(arithmetic_is_exact_decimal) {
  // slots: 0 = 7, 1 = 2, 2..5 results
  std::vector<Value> s = {num(7), num(2), kMissing, kMissing, kMissing, kMissing, kMissing};
  const EvalStatus st = run_code({{OpCode::Add, 2, 0, 1},
                                  {OpCode::Sub, 3, 0, 1},
                                  {OpCode::Mul, 4, 0, 1},
                                  {OpCode::Div, 5, 0, 1},
                                  {OpCode::Neg, 6, 0}},
                                 s);
  BOOST_TEST((st.fault == EvalFault::None));
  BOOST_TEST(s[2] == num(9));
  BOOST_TEST(s[3] == num(5));
  BOOST_TEST(s[4] == num(14));
  BOOST_TEST(s[5] == 3'500'000);  // 3.5
  BOOST_TEST(s[6] == num(-7));
}

BOOST_AUTO_TEST_CASE(missing_in_missing_out_except_where_total) {
  // slot 1 is missing: arithmetic and ordering give missing; equality and `is missing` do not.
  std::vector<Value> s = {num(1), kMissing, num(5), kYes, kYes, kYes, kYes, kYes, kYes};
  const EvalStatus st = run_code({{OpCode::Add, 3, 0, 1},
                                  {OpCode::Lt, 4, 0, 1},
                                  {OpCode::Eq, 5, 0, 1},
                                  {OpCode::IsMissing, 6, 1},
                                  {OpCode::IfMissing, 7, 1, 2},
                                  {OpCode::Eq, 8, 1, 1}},
                                 s);
  BOOST_TEST((st.fault == EvalFault::None));
  BOOST_TEST(s[3] == kMissing);
  BOOST_TEST(s[4] == kMissing);
  BOOST_TEST(s[5] == kNo);     // 1 is not missing
  BOOST_TEST(s[6] == kYes);    // slot 1 is missing
  BOOST_TEST(s[7] == num(5));  // the fallback
  BOOST_TEST(s[8] == kYes);    // missing equals missing
}

BOOST_AUTO_TEST_CASE(comparisons_and_logic) {
  std::vector<Value> s(12, kMissing);
  s[0] = num(3);
  s[1] = num(4);
  const EvalStatus st = run_code({{OpCode::Lt, 2, 0, 1},
                                  {OpCode::Le, 3, 1, 1},
                                  {OpCode::Gt, 4, 0, 1},
                                  {OpCode::Ge, 5, 0, 1},
                                  {OpCode::Ne, 6, 0, 1},
                                  {OpCode::And, 7, 2, 4},
                                  {OpCode::Or, 8, 2, 4},
                                  {OpCode::Not, 9, 4},
                                  {OpCode::Min, 10, 0, 1},
                                  {OpCode::Between, 11, 0, 0, 1}},
                                 s);
  BOOST_TEST((st.fault == EvalFault::None));
  BOOST_TEST(s[2] == kYes);
  BOOST_TEST(s[3] == kYes);
  BOOST_TEST(s[4] == kNo);
  BOOST_TEST(s[5] == kNo);
  BOOST_TEST(s[6] == kYes);
  BOOST_TEST(s[7] == kNo);
  BOOST_TEST(s[8] == kYes);
  BOOST_TEST(s[9] == kYes);
  BOOST_TEST(s[10] == num(3));
  BOOST_TEST(s[11] == kYes);  // 3 <= 3 <= 4
}

BOOST_AUTO_TEST_CASE(branch_takes_the_false_arm_and_skips) {
  // if s0 then s3 = s1 else s3 = s2, as lowering writes it with Branch and Jump.
  std::vector<Value> s = {kNo, num(10), num(20), kMissing};
  const EvalStatus st = run_code({{OpCode::Branch, 3, 0, 3, 4},  // 0: false -> 3, missing -> 4
                                  {OpCode::Move, 3, 1},          // 1
                                  {OpCode::Jump, 0, 0, 0, 4},    // 2
                                  {OpCode::Move, 3, 2}},         // 3
                                 s);
  BOOST_TEST((st.fault == EvalFault::None));
  BOOST_TEST(s[3] == num(20));
  s = {kMissing, num(10), num(20), num(99)};
  run_code({{OpCode::Branch, 3, 0, 3, 4},
            {OpCode::Move, 3, 1},
            {OpCode::Jump, 0, 0, 0, 4},
            {OpCode::Move, 3, 2}},
           s);
  BOOST_TEST(s[3] == kMissing);  // a missing condition makes the result missing
}

BOOST_AUTO_TEST_CASE(division_by_zero_faults_at_its_instruction) {
  std::vector<Value> s = {num(1), num(0), kMissing, num(42)};
  const EvalStatus st = run_code({{OpCode::Move, 2, 0}, {OpCode::Div, 3, 0, 1}}, s);
  BOOST_TEST((st.fault == EvalFault::DivisionByZero));
  BOOST_TEST(st.pc == 1u);
  BOOST_TEST(s[3] == num(42));  // the destination is left as it was
  BOOST_TEST(describe(st.fault) == "division by zero");
}

BOOST_AUTO_TEST_CASE(overflow_faults) {
  std::vector<Value> s = {decimal::from_integer(decimal::kMaxWhole), num(10), kMissing};
  const EvalStatus st = run_code({{OpCode::Mul, 2, 0, 1}}, s);
  BOOST_TEST((st.fault == EvalFault::Overflow));
  BOOST_TEST(st.pc == 0u);
}
