// Lowering of small policies, instruction by instruction against expectations worked out by
// hand: operand order, constants in their own slots, temporaries after them, `if missing` as
// IfMissing, `if` over two names as Select, and a first-match decision as RuleTests and Jumps.
#define BOOST_TEST_MODULE lower
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "base/value.hpp"
#include "compile/compiled_policy.hpp"

using namespace catengine;
using namespace catengine::engine;

namespace {

// Fields: id (slot 0), a (1), b (2), f (3); the definitions follow from slot 4.
constexpr Slot kA = 1, kB = 2, kF = 3;

Program lowered(const std::string& defs) {
  const std::string text =
      "policy \"t\"\nrecord R\n  field id: integer, key\n  field a: number?\n"
      "  field b: number?\n  field f: boolean?\n" +
      defs + "\noutput\n  column x\n";
  auto r = compile_policy_text("t.policy", text);
  BOOST_REQUIRE(r.compiled);
  return r.compiled->program;
}

bool same(const Instr& got, OpCode op, Slot dst, Slot a = 0, Slot b = 0, Slot c = 0) {
  return got.op == op && got.dst == dst && got.a == a && got.b == b && got.c == c;
}

}  // namespace

BOOST_AUTO_TEST_CASE(arithmetic_evaluates_inner_first_into_a_temporary) {
  const Program p = lowered("define x = a + b * 2");
  BOOST_TEST(p.field_count == 4u);
  BOOST_REQUIRE(p.definition_slots.size() == 1u);
  const Slot x = p.definition_slots[0];
  BOOST_TEST(x == 4u);
  // The constant 2 has a slot of its own, holding 2 as a decimal; the temporary comes last.
  const Slot two = 7, tmp = 8;
  BOOST_TEST(p.constants.at(two) == decimal::from_integer(2));
  BOOST_TEST(p.slot_count == 9u);
  BOOST_REQUIRE(p.code.size() == 3u);
  BOOST_TEST(same(p.code[0], OpCode::Mul, tmp, kB, two));
  BOOST_TEST(same(p.code[1], OpCode::Add, x, kA, tmp));
  BOOST_TEST(same(p.code[2], OpCode::Halt, 0));
  BOOST_TEST(p.code_owner.size() == p.code.size());
}

BOOST_AUTO_TEST_CASE(if_over_two_names_is_one_select) {
  const Program p = lowered("define x = if f then a else b");
  BOOST_REQUIRE(p.code.size() == 2u);
  BOOST_TEST(same(p.code[0], OpCode::Select, p.definition_slots[0], kF, kA, kB));
}

BOOST_AUTO_TEST_CASE(definitions_read_each_others_slots_in_order) {
  const Program p = lowered("define y = a - 1\ndefine x = y > 0");
  const Slot y = p.definition_slots[0], x = p.definition_slots[1];
  BOOST_TEST(y == 4u);
  BOOST_TEST(x == 5u);
  const Slot one = 8, zero = 9;
  BOOST_TEST(p.constants.at(one) == decimal::from_integer(1));
  BOOST_TEST(p.constants.at(zero) == 0);
  BOOST_REQUIRE(p.code.size() == 3u);
  BOOST_TEST(same(p.code[0], OpCode::Sub, y, kA, one));
  BOOST_TEST(same(p.code[1], OpCode::Gt, x, y, zero));  // y is computed before x reads it
}

BOOST_AUTO_TEST_CASE(if_missing_is_a_fallback_over_a_temporary) {
  const Program p = lowered("define x = (a > b) if missing no");
  const Slot no = 7, tmp = 8;
  BOOST_TEST(p.constants.at(no) == 0);
  BOOST_REQUIRE(p.code.size() == 3u);
  BOOST_TEST(same(p.code[0], OpCode::Gt, tmp, kA, kB));
  BOOST_TEST(same(p.code[1], OpCode::IfMissing, p.definition_slots[0], tmp, no));
}

BOOST_AUTO_TEST_CASE(first_match_decision_tests_rules_in_order) {
  const Program p = lowered(
      "decide x: integer by first match\n"
      "  rule A \"big\" when (a > 10) if missing no then 4\n"
      "  rule C \"rest\" otherwise 1");
  const Slot x = p.definition_slots[0], rule = p.rule_slots[0];
  BOOST_TEST(x == 4u);
  BOOST_TEST(rule == 5u);
  BOOST_TEST(p.rule_names == (std::vector<std::string>{"A", "C"}));
  const Slot ten = 8, no = 9, four = 10, index_one = 11, one = 12, tmp = 14, cond = 13;
  BOOST_TEST(p.constants.at(ten) == decimal::from_integer(10));
  BOOST_TEST(p.constants.at(four) == decimal::from_integer(4));
  BOOST_TEST(p.constants.at(index_one) == 1);  // the rule index, not a decimal
  BOOST_TEST(p.constants.at(one) == decimal::from_integer(1));
  BOOST_REQUIRE(p.code.size() == 8u);
  BOOST_TEST(same(p.code[0], OpCode::Gt, tmp, kA, ten));
  BOOST_TEST(same(p.code[1], OpCode::IfMissing, cond, tmp, no));
  // Rule A: when its condition holds, record rule 0 and take its value; else go to rule C.
  BOOST_TEST(same(p.code[2], OpCode::RuleTest, rule, cond, 0, 5));
  BOOST_TEST(same(p.code[3], OpCode::Move, x, four));
  BOOST_TEST(same(p.code[4], OpCode::Jump, 0, 0, 0, 7));  // past the rest, to Halt
  // Rule C, `otherwise`: no test.
  BOOST_TEST(same(p.code[5], OpCode::Move, rule, index_one));
  BOOST_TEST(same(p.code[6], OpCode::Move, x, one));
  BOOST_TEST(same(p.code[7], OpCode::Halt, 0));
}

BOOST_AUTO_TEST_CASE(the_opcode_table_describes_every_instruction) {
  BOOST_TEST(kOpCodeCount == 49u);
  BOOST_TEST(std::string(op_name(OpCode::Halt)) == "Halt");
  BOOST_TEST(std::string(op_name(OpCode::CountYes)) == "CountYes");
  // Jump targets and table indexes are not slots: relocation and hoisting leave them alone.
  BOOST_TEST(
      (info(OpCode::Branch).b == Operand::Target && info(OpCode::Branch).c == Operand::Target));
  BOOST_TEST((info(OpCode::AddWorkingDays).b == Operand::Slot));
  BOOST_TEST((info(OpCode::AddWorkingDays).c == Operand::Index));
  // Which step (term or half term) and which term calendar: neither is a slot.
  BOOST_TEST((info(OpCode::EndOfNextTerm).b == Operand::Index));
  BOOST_TEST((info(OpCode::EndOfNextTerm).c == Operand::Index));
  BOOST_TEST((info(OpCode::Jump).dst == DstUse::None));
  BOOST_TEST((info(OpCode::CountYes).dst == DstUse::Update));  // reads its running count
  BOOST_TEST(info(OpCode::Add).pure);
  BOOST_TEST(!info(OpCode::Move).pure);
}

// Issue 16: a chain with a test for missing before its last part is its parts one after another
// into the result, with a Branch to the end after the test when it decides (no for `and`; yes for
// `or`, over a Jump). A chain without one is strict binary code, as before.
BOOST_AUTO_TEST_CASE(a_test_for_missing_that_may_end_its_chain_jumps_to_the_end) {
  const Slot x = 4, t = 7;  // after the as-of date (5) and the missing value (6)
  {
    const Program p = lowered("define x = a is not missing and a > b");
    BOOST_REQUIRE(p.code.size() == 6u);
    BOOST_TEST(same(p.code[0], OpCode::IsPresent, t, kA));
    BOOST_TEST(same(p.code[1], OpCode::Move, x, t));
    BOOST_TEST(same(p.code[2], OpCode::Branch, x, t, 5, 5));
    BOOST_TEST(same(p.code[3], OpCode::Gt, t, kA, kB));
    BOOST_TEST(same(p.code[4], OpCode::And, x, x, t));
  }
  {
    const Program p = lowered("define x = a is missing or a > b");
    BOOST_REQUIRE(p.code.size() == 7u);
    BOOST_TEST(same(p.code[0], OpCode::IsMissing, t, kA));
    BOOST_TEST(same(p.code[1], OpCode::Move, x, t));
    BOOST_TEST(same(p.code[2], OpCode::Branch, x, t, 4, 4));
    BOOST_TEST(same(p.code[3], OpCode::Jump, 0, 0, 0, 6));
    BOOST_TEST(same(p.code[4], OpCode::Gt, t, kA, kB));
    BOOST_TEST(same(p.code[5], OpCode::Or, x, x, t));
  }
  {
    // The test last, or none: strict.
    const Program p = lowered("define x: boolean? = f and a > b and a is not missing");
    for (const Instr& i : p.code) BOOST_TEST((i.op != OpCode::Branch && i.op != OpCode::Jump));
  }
}
