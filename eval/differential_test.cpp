// Differential tests: the compiled evaluator (lowered register code) must agree with the
// reference tree-walking evaluator on every definition of every record: the shipped policy on
// its examples and on random records, and random small policies on random records. The batch
// machine, which the evaluator runs 64 records at a time, must in turn agree with the
// one-record machine on every slot, and on every error and where it arose.
#define BOOST_TEST_MODULE differential
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>

#include <fmt/format.h>

#include "compile/compiled_policy.hpp"
#include "data/binder.hpp"
#include "eval/batch_vm.hpp"
#include "eval/evaluator.hpp"
#include "eval/reference_evaluator.hpp"
#include "tests/support/test_support.hpp"

using namespace catengine;
using namespace catengine::engine;

using catengine::test::Random;
using catengine::test::slurp;

namespace {

// Random values of the right kind for each field, with missing values where allowed.
std::vector<Value> random_record(const CompiledPolicy& c, Random& rnd, TextPool& text) {
  std::vector<Value> row;
  for (const auto& f : c.policy.record.fields) {
    if (!f.required && f.missing_means == kMissing && rnd.chance(20)) {
      row.push_back(kMissing);
      continue;
    }
    switch (f.type.base) {
      case lang::BaseType::Integer:
        row.push_back(decimal::from_integer(100000 + rnd.below(900000)));
        break;
      case lang::BaseType::Number:
        row.push_back((rnd.below(4001) - 2000) * 1000);
        break;  // -2..2 in 0.001s
      case lang::BaseType::Percent:
        row.push_back(rnd.below(1001) * 100000);
        break;  // 0..100 in 0.1s
      case lang::BaseType::Boolean:
        row.push_back(rnd.below(2));
        break;
      case lang::BaseType::Text:
        row.push_back(text.intern(fmt::format("school {}", rnd.below(50))));
        break;
      case lang::BaseType::Date:
        row.push_back(17000 + rnd.below(1500));
        break;
      case lang::BaseType::AcademicYear:
        row.push_back(2013 + rnd.below(6));
        break;
      case lang::BaseType::Enum:
        row.push_back(rnd.below(static_cast<int>(c.policy.enums[f.type.enum_id].members.size())));
        break;
      default:
        row.push_back(kMissing);
    }
  }
  return row;
}

// Records where a `by unique match` decision had two rules apply (random policies make some).
int unique_clashes = 0;
// Chains with a test for missing that may end them, written into the random policies.
int guarded_chains = 0;

// Compares every definition and output of one record; returns the number of disagreements.
int compare_record(const CompiledPolicy& c, const LinkedProgram& linked, ReferenceEvaluator& ref,
                   const Value* fields, const std::string& label) {
  std::vector<Value> slots;
  EvalStatus status = evaluate_record(linked, fields, slots);
  ref.reset(fields);
  for (std::uint32_t d = 0; d < c.policy.definitions.size(); ++d) ref.definition(d);
  if (status.fault != EvalFault::None || ref.fault() != EvalFault::None) {
    BOOST_CHECK_MESSAGE(status.fault != EvalFault::None && ref.fault() != EvalFault::None,
                        label << ": only one evaluator faulted");
    if (status.fault == EvalFault::UniqueClash || ref.fault() == EvalFault::UniqueClash) {
      ++unique_clashes;
      BOOST_CHECK_MESSAGE(status.fault == ref.fault() && status.detail == ref.fault_detail(),
                          label << ": the evaluators name different rules of a unique match");
    }
    return 0;
  }
  int bad = 0;
  for (std::uint32_t d = 0; d < c.policy.definitions.size(); ++d) {
    const Value compiled = slots[c.program.definition_slots[d]];
    const Value reference = ref.definition(d);
    if (compiled != reference) {
      ++bad;
      BOOST_ERROR(label << ": `" << c.policy.definitions[d].name << "` compiled " << compiled
                        << " but reference " << reference);
    }
  }
  for (std::size_t o = 0; o < c.policy.outputs.size(); ++o) {
    const Value compiled = slots[c.program.output_slots[o]];
    const Value reference = ref.eval(c.policy.outputs[o].value);
    if (compiled != reference) {
      ++bad;
      BOOST_ERROR(label << ": output `" << c.policy.outputs[o].name << "` differs");
    }
  }
  return bad;
}

int compare_batches_at_width(const CompiledPolicy& c, const LinkedProgram& linked,
                             const std::vector<Value>& rows, Random& rnd, const std::string& label);

// Runs `rows` (each field_count values) through the batch machine, in batches whose lanes are
// chosen at random (so lanes outside a run keep stale values), and compares each lane with the
// one-record machine: the same fault at the same instruction, or the same value in every
// definition and output slot; with the machine's loop compiled for each vector width the
// processor has (AVX-512, AVX2, plain x86-64). Returns the number of disagreements.
int compare_batches(const CompiledPolicy& c, const LinkedProgram& linked,
                    const std::vector<Value>& rows, Random& rnd, const std::string& label) {
  int bad = 0;
  for (const unsigned width : {8u, 4u, 2u}) {
    if (!use_vector_width(width)) continue;
    bad += compare_batches_at_width(c, linked, rows, rnd,
                                    fmt::format("{} ({} lanes a vector)", label, width));
  }
  use_vector_width(0);
  return bad;
}

int compare_batches_at_width(const CompiledPolicy& c, const LinkedProgram& linked,
                             const std::vector<Value>& rows, Random& rnd,
                             const std::string& label) {
  const std::size_t n = c.program.field_count;
  const std::size_t count = rows.size() / n;
  BOOST_REQUIRE(runs_in_batches(linked.code));
  BatchMachine machine(linked);
  std::vector<Value> slots;
  int bad = 0;
  for (std::size_t first = 0; first < count; first += kBatchLanes) {
    const auto loaded = static_cast<unsigned>(std::min<std::size_t>(kBatchLanes, count - first));
    machine.load(rows.data() + first * n, n, loaded);
    LaneMask lanes = loaded == kBatchLanes ? kAllLanes : (LaneMask{1} << loaded) - 1;
    if (rnd.chance(30)) lanes &= rnd.next();
    machine.run(lanes);
    for (unsigned l = 0; l < loaded; ++l) {
      if (((lanes >> l) & 1) == 0) continue;
      const std::string where = fmt::format("{} record {}", label, first + l);
      const EvalStatus one = evaluate_record(linked, rows.data() + (first + l) * n, slots);
      const EvalStatus batch = machine.status(l);
      if (one.fault != batch.fault || one.pc != batch.pc || one.detail != batch.detail) {
        ++bad;
        BOOST_ERROR(where << ": one-record fault " << static_cast<int>(one.fault) << " at "
                          << one.pc << ", batch fault " << static_cast<int>(batch.fault) << " at "
                          << batch.pc);
        continue;
      }
      if (one.fault != EvalFault::None) continue;
      for (std::uint32_t d = 0; d < c.policy.definitions.size(); ++d) {
        const Slot s = c.program.definition_slots[d];
        if (slots[s] != machine.value(s, l)) {
          ++bad;
          BOOST_ERROR(where << ": `" << c.policy.definitions[d].name << "` one-record " << slots[s]
                            << " but batch " << machine.value(s, l));
        }
      }
      for (const Slot s : c.program.output_slots) {
        if (slots[s] != machine.value(s, l)) {
          ++bad;
          BOOST_ERROR(where << ": an output differs");
        }
      }
    }
  }
  return bad;
}

const Value kAsOf = 17791;  // 2018-09-17

}  // namespace

BOOST_AUTO_TEST_CASE(peterborough_examples_agree) {
  auto r = compile_policy(std::string(CATENGINE_SOURCE_DIR) + "/policies/peterborough");
  BOOST_REQUIRE(r.compiled);
  const auto& c = *r.compiled;
  for (const char* file :
       {"/examples/peterborough/schools.csv", "/policies/peterborough/tests/rules.csv"}) {
    const std::string path = std::string(CATENGINE_SOURCE_DIR) + file;
    BindResult bound = bind_records(path, slurp(path), c.schema);
    BOOST_REQUIRE(bound.errors.empty());
    BOOST_REQUIRE_GT(bound.data.size(), 40u);
    LinkedProgram linked = link(c.program, bound.data.text, kAsOf);
    ReferenceEvaluator ref(c.policy, c.program.calendars, bound.data.text, kAsOf,
                           c.program.term_calendars);
    int bad = 0;
    for (std::size_t i = 0; i < bound.data.size(); ++i) {
      bad += compare_record(c, linked, ref, bound.data.row(i).data(),
                            fmt::format("{} row {}", file, bound.data.source_row[i]));
    }
    Random rnd{3};
    std::vector<Value> rows;  // the records as rows, as compare_batches takes them
    for (std::size_t i = 0; i < bound.data.size(); ++i) {
      const std::vector<Value> row = bound.data.row(i);
      rows.insert(rows.end(), row.begin(), row.end());
    }
    bad += compare_batches(c, linked, rows, rnd, file);
    BOOST_TEST(bad == 0);
  }
}

BOOST_AUTO_TEST_CASE(peterborough_random_records_agree) {
  auto r = compile_policy(std::string(CATENGINE_SOURCE_DIR) + "/policies/peterborough");
  BOOST_REQUIRE(r.compiled);
  const auto& c = *r.compiled;
  TextPool text;
  LinkedProgram linked = link(c.program, text, kAsOf);
  ReferenceEvaluator ref(c.policy, c.program.calendars, text, kAsOf, c.program.term_calendars);
  Random rnd{42};
  int bad = 0;
  std::vector<Value> rows;
  for (int i = 0; i < 20000 && bad < 5; ++i) {
    auto row = random_record(c, rnd, text);
    bad += compare_record(c, linked, ref, row.data(), fmt::format("random record {}", i));
    rows.insert(rows.end(), row.begin(), row.end());
  }
  bad += compare_batches(c, linked, rows, rnd, "random records");
  BOOST_TEST(bad == 0);
}

// ---- Random policies ---------------------------------------------------------------------------

namespace {

// Writes random, well-typed expressions over a fixed record. Each piece carries whether it
// may be missing, so `if missing` is written only where the checker allows it.
struct Piece {
  std::string text;
  bool optional;
};

struct PolicyWriter {
  Random& rnd;
  // Fields known present where the piece being written goes: after a test for missing that
  // stops an `and`/`or` chain (lang/check/chains.hpp), as the checker narrows them.
  std::vector<std::string> present = {};

  Piece field(const std::string& name) const {
    return {name, std::find(present.begin(), present.end(), name) == present.end()};
  }

  // `X is not missing and ...X...` or `X is missing or ...X...` (each test also written with
  // `not`), sometimes after a part read before the test, sometimes with a second test or more
  // parts after it: the parts after the test see X present, and are not read when it stops the
  // chain.
  Piece guarded(int depth) {
    ++guarded_chains;
    static const char* names[] = {"n1", "n2", "p", "i", "b", "g", "h"};
    const bool is_and = rnd.chance(50);
    const char* op = is_and ? " and " : " or ";
    auto test = [&](const std::string& x) {
      if (rnd.chance(75)) return x + (is_and ? " is not missing" : " is missing");
      return fmt::format("not ({} {})", x, is_and ? "is missing" : "is not missing");
    };
    std::string text = "(";
    bool optional = false;
    if (rnd.chance(25)) {
      const Piece before = boolean(depth - 1);
      text += before.text + op;
      optional = before.optional;
    }
    const std::size_t mark = present.size();
    for (int tests = rnd.chance(25) ? 2 : 1; tests > 0; --tests) {
      const std::string x = names[rnd.below(7)];
      text += test(x) + op;
      present.push_back(x);
    }
    const Piece rest = boolean(depth - 1);
    text += rest.text;
    optional = optional || rest.optional;
    if (rnd.chance(30)) {
      const Piece more = boolean(depth - 1);
      text += op + more.text;
      optional = optional || more.optional;
    }
    present.resize(mark);
    return {text + ")", optional};
  }

  static Piece wrap(const char* format, const Piece& a, const Piece& b) {
    return {fmt::format(fmt::runtime(format), a.text, b.text), a.optional || b.optional};
  }

  Piece number(int depth) {
    if (depth == 0 || rnd.chance(25)) {
      switch (rnd.below(6)) {
        case 0:
          return field("n1");
        case 1:
          return field("n2");
        case 2:
          return field("p");
        case 3:
          return {fmt::format("{}", rnd.below(200) - 100), false};
        case 4:
          return {fmt::format("{}.{}", rnd.below(10), rnd.below(10)), false};
        default:
          return field("i");
      }
    }
    switch (rnd.below(8)) {
      case 0:
        return wrap("({} + {})", number(depth - 1), number(depth - 1));
      case 1:
        return wrap("({} - {})", number(depth - 1), number(depth - 1));
      case 2:
        return wrap("({} * {})", number(depth - 1), number(depth - 1));
      case 3: {
        Piece c = boolean(depth - 1), a = number(depth - 1), b = number(depth - 1);
        return {fmt::format("(if {} then {} else {})", c.text, a.text, b.text),
                c.optional || a.optional || b.optional};
      }
      case 4: {
        Piece a = number(depth - 1);
        return {"-" + a.text, a.optional};
      }
      case 5:
        return decided("max({}, {})", number(depth - 1), number(depth - 1), "-1");
      case 6:
        return count(depth);
      default: {
        Piece d = number(depth - 1);
        return {fmt::format("(n1 if missing {})", d.text), d.optional};
      }
    }
  }

  Piece grade(int depth) {
    if (depth == 0 || rnd.chance(40)) return field(rnd.chance(50) ? "g" : "h");
    Piece other =
        rnd.chance(30) ? Piece{fmt::format("{}", 1 + rnd.below(4)), false} : grade(depth - 1);
    Piece first = grade(depth - 1);  // a field first, so the list's type is the scale
    return decided("worst of [{}, {}]", first, other, "2");
  }

  // A list whose values may be missing says what a missing one means: `ignoring missing`
  // (missing only when every value is) or `if missing` right after it.
  Piece decided(const char* format, const Piece& a, const Piece& b, const char* otherwise) {
    const std::string call = fmt::format(fmt::runtime(format), a.text, b.text);
    if (!a.optional && !b.optional) return {call, false};
    if (rnd.chance(50)) return {"(" + call + " ignoring missing)", a.optional && b.optional};
    return {fmt::format("({} if missing {})", call, otherwise), false};
  }

  // how_many, counting yes values.
  Piece count(int depth) {
    Piece a = boolean(depth - 1), b = boolean(depth - 1);
    if (!a.optional && !b.optional)
      return {fmt::format("how_many of [{}, {}]", a.text, b.text), false};
    if (rnd.chance(50))
      return {fmt::format("(how many of [{}, {}] ignoring missing)", a.text, b.text), false};
    return {fmt::format("(how_many({}, {}) if missing 7)", a.text, b.text), false};
  }

  // A date, in English and as the function it means: both must lower alike.
  Piece date(int depth) {
    static const char* months[] = {"January", "April", "September", "December"};
    if (depth == 0 || rnd.chance(25))
      return rnd.chance(70) ? Piece{"last", true} : Piece{"as_of", false};
    Piece d = date(depth - 1);
    const int n = static_cast<int>(rnd.below(40));
    switch (rnd.below(9)) {
      case 0:
        return {fmt::format("({} days after {})", n, d.text), d.optional};
      case 1:
        return {fmt::format("({} weeks before {})", n, d.text), d.optional};
      case 2:
        return {fmt::format("({} months {} {})", n, rnd.chance(50) ? "after" : "before", d.text),
                d.optional};
      case 3:
        return {
            fmt::format("({} working days {} {})", n, rnd.chance(50) ? "after" : "before", d.text),
            d.optional};
      case 4:
        return {fmt::format("(the first working day on or after {})", d.text), d.optional};
      case 5: {
        static const char* relation[] = {"of", "after", "before"};
        return {fmt::format("{} {} in the year {} {}", 1 + rnd.below(28), months[rnd.below(4)],
                            relation[rnd.below(3)], d.text),
                d.optional};
      }
      case 6: {
        Piece e = date(depth - 1);
        return {fmt::format("(the earliest of [{}, {}] on or after as_of)", d.text, e.text), true};
      }
      case 7:
        return {fmt::format("add_working_days({}, {})", d.text, n), d.optional};
      default:
        return {fmt::format("add_months({}, -{})", d.text, n), d.optional};
    }
  }

  Piece boolean(int depth) {
    if (depth == 0 || rnd.chance(20)) {
      switch (rnd.below(4)) {
        case 0:
          return field("b");
        case 1:
          return {"c", false};
        case 2:
          return {"yes", false};
        default:
          return {"n1 is missing", false};
      }
    }
    static const char* cmp[] = {"<", "<=", ">", ">="};
    static const char* scale[] = {"worse than", "better than", "at least", "at worst"};
    switch (rnd.below(15)) {
      case 11: {
        Piece a = date(depth - 1), b = date(depth - 1);
        return {fmt::format("({} {} {})", a.text, cmp[rnd.below(4)], b.text),
                a.optional || b.optional};
      }
      case 12:
      case 13:
        return guarded(depth);
      case 0:
        return wrap("({} and {})", boolean(depth - 1), boolean(depth - 1));
      case 1:
        return wrap("({} or {})", boolean(depth - 1), boolean(depth - 1));
      case 2: {
        Piece a = boolean(depth - 1);
        return {"not " + a.text, a.optional};
      }
      case 3: {
        Piece a = number(depth - 1), b = number(depth - 1);
        return {fmt::format("({} {} {})", a.text, cmp[rnd.below(4)], b.text),
                a.optional || b.optional};
      }
      case 4: {
        Piece a = number(depth - 1), b = number(depth - 1);
        return {fmt::format("({} {} {})", a.text, rnd.chance(50) ? "is" : "is not", b.text), false};
      }
      case 5: {
        Piece a = grade(depth - 1), b = grade(depth - 1);
        return {fmt::format("({} {} {})", a.text, scale[rnd.below(4)], b.text),
                a.optional || b.optional};
      }
      case 6: {
        Piece a = number(depth - 1), lo = number(depth - 1), hi = number(depth - 1);
        return {fmt::format("({} between {} and {})", a.text, lo.text, hi.text),
                a.optional || lo.optional || hi.optional};
      }
      case 7:
        return {fmt::format("({} in [1, 2])", grade(depth - 1).text), false};
      case 8: {
        Piece a = boolean(depth - 1);
        if (!a.optional) return a;
        return {fmt::format("(({}) if missing {})", a.text, rnd.chance(50) ? "yes" : "no"), false};
      }
      case 9:
        return {fmt::format("({} is missing)", grade(depth - 1).text), false};
      case 10: {
        Piece a = boolean(depth - 1), b = boolean(depth - 1);
        return decided(rnd.chance(50) ? "any of [{}, {}]" : "all of [{}, {}]", a, b, "no");
      }
      default: {
        Piece c = boolean(depth - 1), a = boolean(depth - 1), b = boolean(depth - 1);
        return {fmt::format("(if {} then {} else {})", c.text, a.text, b.text),
                c.optional || a.optional || b.optional};
      }
    }
  }

  std::string total(const Piece& b) {
    return b.optional ? fmt::format("({}) if missing no", b.text) : b.text;
  }

  // A whole condition made total: the old bracketed form, or the missing-data clause that means
  // the same (issue 16), at random.
  std::string whole(const Piece& b) {
    if (!b.optional || rnd.chance(50)) return total(b);
    return fmt::format("{}, or no if any figure is missing", b.text);
  }

  // A cadence over the example term calendar: `every term` and `every half term` beside the
  // other units. Random dates (2016 to 2020) are moved on about eight years, so some fall in the
  // calendar (2024/25 to 2026/27) and some before or after it, where both evaluators must fail
  // the same way.
  std::string visits() {
    static const char* units[] = {"term", "half term", "3 weeks", "2 months"};
    std::string s = "use stdlib.example_terms\ncadence visit \"visit\"\n";
    for (int k = 0; k < 3; ++k) {
      s += fmt::format("  every {} when {}\n", units[rnd.below(4)], whole(boolean(2)));
    }
    s += fmt::format("  every {}\n", units[rnd.below(4)]);
    s += rnd.chance(50) ? "  from add_days(last, 2900)\n" : "  from 2900 days after last\n";
    // A deadline in terms, from the as-of date (2018, before the calendar): a fault for every
    // record the notice is issued to, in both evaluators alike, and none for the others.
    s += fmt::format(
        "notice note \"note\"\n  issued when n1 is missing and {}\n  respond by the end of next "
        "term\n",
        total(boolean(2)));
    return s;
  }

  std::string policy() {
    std::string s =
        "policy \"random\"\nuse stdlib.calendar\n"
        "scale Grade from best to worst: 1, 2, 3, 4\n"
        "record R\n"
        "  field id: integer, key\n"
        "  field n1: number?\n  field n2: number?\n  field p: percent?\n  field i: integer?\n"
        "  field b: boolean?\n  field c: boolean, missing means no\n  field g: Grade?\n  field h: "
        "Grade?\n";
    s += "  field last: date?\n";
    for (int d = 0; d < 6; ++d) s += fmt::format("define v{}: number? = {}\n", d, number(3).text);
    for (int d = 0; d < 4; ++d) s += fmt::format("define t{}: boolean? = {}\n", d, boolean(3).text);
    s += "decide k: Grade? by first match\n";
    for (int r = 0; r < 4; ++r) {
      s += fmt::format("  rule K{} \"rule {}\" when {} then {}\n", r, r, whole(boolean(3)),
                       grade(2).text);
    }
    s += "  rule K9 \"otherwise\" otherwise 4\n";
    // By unique match: U1 and U3 both apply now and then (g is 1, h is 4), an evaluation error
    // both machines must report alike.
    s += "decide u: Grade? by unique match\n";
    s += fmt::format("  rule U1 \"one\" when g is 1 and {} then {}\n", total(boolean(2)),
                     grade(2).text);
    s += fmt::format("  rule U2 \"two\" when g is 2 then {}\n", grade(2).text);
    s += fmt::format("  rule U3 \"three\" when h is 4 and {} then {}\n", total(boolean(2)),
                     grade(2).text);
    s += visits();
    s += "output\n  column id\n  column k\n  column rule = rule of k\n  column u\n";
    s += "  column next = next_due of visit\n  column late = overdue of visit\n";
    s += "  column note_due = due of note\n";
    for (int d = 0; d < 6; ++d) s += fmt::format("  column v{}\n", d);
    for (int d = 0; d < 4; ++d) s += fmt::format("  column t{}\n", d);
    return s;
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(random_policies_agree) {
  Random rnd{7};
  int compiled_policies = 0, bad = 0;
  for (int p = 0; p < 150 && bad < 5; ++p) {
    PolicyWriter writer{rnd};
    const std::string text = writer.policy();
    auto r = compile_policy_text(fmt::format("random{}.policy", p), text);
    if (!r.compiled) {
      std::string rendered = lang::render_all(r.diagnostics, r.sources);
      BOOST_ERROR("random policy " << p << " did not compile:\n" << rendered << "\n" << text);
      ++bad;
      continue;
    }
    ++compiled_policies;
    const auto& c = *r.compiled;
    TextPool pool;
    LinkedProgram linked = link(c.program, pool, kAsOf);
    ReferenceEvaluator ref(c.policy, c.program.calendars, pool, kAsOf, c.program.term_calendars);
    std::vector<Value> rows;
    for (int i = 0; i < 300; ++i) {
      auto row = random_record(c, rnd, pool);
      bad += compare_record(c, linked, ref, row.data(), fmt::format("policy {} record {}", p, i));
      rows.insert(rows.end(), row.begin(), row.end());
    }
    bad += compare_batches(c, linked, rows, rnd, fmt::format("policy {}", p));
  }
  BOOST_TEST(compiled_policies == 150);
  BOOST_TEST(unique_clashes > 0);
  BOOST_TEST(guarded_chains > 100);
  BOOST_TEST(bad == 0);
}
