// The built-in table (builtins.def): every row is found by its name and indexed by its id, the
// rows the checker types generically (Fixed) say enough to do so, and every row is reachable
// through its rule's strategies: called as its signature writes it, it checks, lowers to its
// instruction and means the same to the machine and the reference evaluator; called with a
// wrong number of arguments, the message gives its signature.
#define BOOST_TEST_MODULE builtins
#include <boost/test/unit_test.hpp>

#include <cctype>
#include <map>
#include <string>
#include <vector>

#include "base/date.hpp"
#include "compile/compiled_policy.hpp"
#include "compile/lower.hpp"
#include "eval/evaluator.hpp"
#include "eval/reference_evaluator.hpp"
#include "lang/check/builtins.hpp"
#include "lang/check/checker.hpp"

using namespace catengine::lang;
namespace engine = catengine::engine;
using catengine::Value;

BOOST_AUTO_TEST_CASE(every_row_is_found_by_name_and_indexed_by_id) {
  BOOST_TEST(kBuiltinCount == 26u);
  for (std::size_t k = 0; k < kBuiltinCount; ++k) {
    const auto id = static_cast<Builtin>(k);
    const BuiltinInfo& row = info(id);
    BOOST_TEST((row.id == id));
    BOOST_TEST((find_builtin(row.name) == id));
    // The signature names the function, for "write `...`" hints (`how_many` as read aloud).
    std::string name(row.name);
    if (id == Builtin::HowMany) name = "how many";
    BOOST_TEST(row.signature.substr(0, name.size()) == name);
  }
  BOOST_TEST(!find_builtin("no_such_function"));
}

BOOST_AUTO_TEST_CASE(fixed_rows_give_arity_argument_types_and_result) {
  const BuiltinInfo& add = info(Builtin::AddWorkingDays);
  BOOST_TEST((add.rule == BuiltinRule::Fixed));
  BOOST_TEST(add.arity == 2u);
  BOOST_TEST((add.args[0].base == BaseType::Date));
  BOOST_TEST((add.args[1].base == BaseType::Integer));
  BOOST_TEST(std::string(add.args[1].what) == "a whole number");
  BOOST_TEST((add.result == BaseType::Date));
  BOOST_TEST(add.calendar);

  const BuiltinInfo& date_of = info(Builtin::DateOf);
  BOOST_TEST(date_of.arity == 3u);
  BOOST_TEST(!date_of.calendar);
  for (std::size_t k = 0; k < kBuiltinCount; ++k) {
    const BuiltinInfo& row = info(static_cast<Builtin>(k));
    if (row.rule == BuiltinRule::Fixed) {
      BOOST_TEST(row.arity >= 1u);
    } else {
      BOOST_TEST(row.arity == 0u);  // typed by its rule's strategy
    }
  }
}

BOOST_AUTO_TEST_CASE(every_rule_has_rows_and_parts_only_where_read) {
  std::vector<int> rows(kBuiltinRuleCount, 0);
  for (std::size_t k = 0; k < kBuiltinCount; ++k) {
    const BuiltinInfo& row = info(static_cast<Builtin>(k));
    ++rows[static_cast<std::size_t>(row.rule)];
    const bool part = row.rule == BuiltinRule::NoticePart || row.rule == BuiltinRule::CadencePart;
    BOOST_TEST(row.part.has_value() == part, row.name);
  }
  for (std::size_t r = 0; r < kBuiltinRuleCount; ++r) BOOST_TEST(rows[r] > 0, "rule " << r);
}

namespace {

// Every kind of value a signature names, and the policy around a call that declares them.
const std::map<std::string, std::string> kSamples = {
    {"DECISION", "dec"},     {"SCALE", "g"},          {"NUMBER", "n"}, {"DATE", "d"},
    {"INTEGER", "3"},        {"YEAR", "2024"},        {"MONTH", "2"},  {"DAY", "29"},
    {"ACADEMIC_YEAR", "ay"}, {"PARAMETER", "visits"}, {"YES/NO", "b"}, {"NOTICE", "w"},
    {"CADENCE", "v"}};

std::string policy_calling(const std::string& call) {
  return "policy \"t\"\n"
         "use stdlib.calendar\n"
         "scale Grade from best to worst: 1, 2, 3, 4\n"
         "record R\n"
         "  field id: integer, key\n"
         "  field g: Grade\n"
         "  field n: number\n"
         "  field b: boolean\n"
         "  field d: date\n"
         "  field ay: academic year\n"
         "parameter visits: integer by date\n"
         "  2024-06-03: 1\n"
         "decide dec: Grade by first match\n"
         "  rule A \"a\" when b then 1\n"
         "  rule B \"b\" otherwise 2\n"
         "notice w \"Warning\"\n"
         "  ground low \"low\" when n < 10\n"
         "  issued when any ground holds\n"
         "  respond within 15 working days\n"
         "cadence v \"Visit\"\n"
         "  every 6 weeks\n"
         "  from d\n"
         "output\n"
         "  column id\n"
         "  column c = " +
         call + "\n";
}

// The signature with each CAPITALISED placeholder replaced by a sample of its kind, and `...` by
// another of the kind before it: `worst of [SCALE, ...]` is `worst of [g, g]`.
std::string call_from_signature(std::string_view signature) {
  std::string out, last;
  for (std::size_t i = 0; i < signature.size();) {
    if (signature.substr(i, 3) == "...") {
      out += last;
      i += 3;
      continue;
    }
    std::size_t j = i;
    while (j < signature.size() && (std::isupper(static_cast<unsigned char>(signature[j])) ||
                                    signature[j] == '_' || signature[j] == '/'))
      ++j;
    if (j - i >= 2) {
      const auto it = kSamples.find(std::string(signature.substr(i, j - i)));
      BOOST_REQUIRE_MESSAGE(it != kSamples.end(), "no sample for " << signature.substr(i, j - i));
      out += last = it->second;
      i = j;
    } else {
      out += signature[i++];
    }
  }
  return out;
}

struct Compiled {
  engine::CompileResult result;
  std::string messages;
};

Compiled compile(const std::string& call) {
  Compiled c{engine::compile_policy_text("t.policy", policy_calling(call)), {}};
  const auto& sources = c.result.compiled ? c.result.compiled->sources : c.result.sources;
  c.messages = render_all(c.result.diagnostics, sources);
  return c;
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_row_checks_lowers_and_evaluates_as_its_signature_writes_it) {
  const Value as_of = catengine::date_from_ymd(2024, 3, 1);
  for (std::size_t k = 0; k < kBuiltinCount; ++k) {
    const auto id = static_cast<Builtin>(k);
    const BuiltinInfo& row = info(id);
    const std::string call = call_from_signature(row.signature);
    BOOST_TEST_CONTEXT(call) {
      auto c = compile(call);
      BOOST_REQUIRE_MESSAGE(c.result.compiled, c.messages);
      const auto& compiled = *c.result.compiled;
      const auto& out = compiled.policy.outputs.at(1);
      const Resolution& res = compiled.policy.resolution(out.value);
      if (row.part) {
        // Resolved by the checker to the notice's or cadence's definition of that kind.
        BOOST_TEST((res.kind == Resolution::Kind::Definition));
        BOOST_TEST((compiled.policy.definitions.at(res.index).kind == *row.part));
      } else {
        BOOST_TEST((res.kind == Resolution::Kind::Builtin));
        BOOST_TEST(res.index == k);
        // Lowered by its rule's strategy to the row's instruction.
        const engine::OpCode op = engine::builtin_op(id);
        BOOST_TEST((op != engine::OpCode::Halt));
        const engine::Program program = engine::lower(compiled.policy);
        bool emitted = false;
        for (const auto& ins : program.code) emitted = emitted || ins.op == op;
        BOOST_TEST(emitted, "no " << engine::op_name(op));
      }
      if (row.rule == BuiltinRule::Fixed || row.rule == BuiltinRule::Extreme)
        BOOST_TEST((out.type.base == row.result));

      // The machine and the reference evaluator give the same value, and not missing.
      engine::TextPool pool;
      const engine::LinkedProgram linked = engine::link(compiled.program, pool, as_of);
      engine::ReferenceEvaluator ref(compiled.policy, compiled.program.calendars, pool, as_of);
      const std::vector<Value> fields = {catengine::decimal::from_integer(1),
                                         1,  // g: 2
                                         catengine::decimal::from_integer(5),
                                         1,  // b: yes
                                         catengine::date_from_ymd(2024, 3, 4),
                                         2023};  // ay: 2023/24
      BOOST_REQUIRE(fields.size() == compiled.policy.record.fields.size());
      std::vector<Value> slots;
      const engine::EvalStatus status = engine::evaluate_record(linked, fields.data(), slots);
      ref.reset(fields.data());
      const Value reference = ref.eval(out.value);
      BOOST_TEST((status.fault == engine::EvalFault::None));
      BOOST_TEST((ref.fault() == engine::EvalFault::None));
      BOOST_TEST(reference != catengine::kMissing);
      BOOST_TEST(slots.at(compiled.program.output_slots.at(1)) == reference);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_wrong_number_of_arguments_is_told_the_signature) {
  for (std::size_t k = 0; k < kBuiltinCount; ++k) {
    const BuiltinInfo& row = info(static_cast<Builtin>(k));
    const std::string hint = "write `" + std::string(row.signature) + "`";
    std::vector<std::string> calls = {std::string(row.name) + "()"};
    if (row.rule == BuiltinRule::Fixed) {
      // One argument too many.
      std::string args;
      for (std::size_t a = 0; a <= row.arity; ++a) {
        const BaseType base = a < row.arity ? row.args[a].base : BaseType::Integer;
        args += std::string(a ? ", " : "") + (base == BaseType::Date           ? "d"
                                              : base == BaseType::AcademicYear ? "ay"
                                                                               : "3");
      }
      calls.push_back(std::string(row.name) + "(" + args + ")");
    }
    for (const auto& call : calls) {
      BOOST_TEST_CONTEXT(call) {
        auto c = compile(call);
        BOOST_TEST(!c.result.compiled);
        BOOST_TEST(c.messages.find("[E0304]") != std::string::npos, c.messages);
        BOOST_TEST(c.messages.find(hint) != std::string::npos, c.messages);
      }
    }
  }
}
