// Tests of eval/cadence_interval: the first interval whose condition holds is chosen, one without
// a condition always holds, and when none holds there is no interval. (The checker makes a policy
// say what a missing condition means, so a condition is yes or no here.)
#define BOOST_TEST_MODULE cadence_interval
#include <boost/test/unit_test.hpp>

#include <string>

#include "base/calendar.hpp"
#include "compile/compiled_policy.hpp"
#include "eval/cadence_interval.hpp"
#include "tests/support/policy_fixture.hpp"

using namespace catengine;
using namespace catengine::engine;

namespace {

const char* const kPolicy = R"(policy "Intervals"

record School
  field urn: integer, key
  field band: integer?
  field last_visit: date?

cadence visit "Visit"
  every 4 weeks when band is 4
  every 6 weeks when (band >= 3) if missing no
  every 52 weeks
  from last_visit

cadence check "Check"
  every 2 weeks when band is 1
  from last_visit

output
  column urn
  column next_visit = next_due of visit
)";

struct Fixture {
  std::unique_ptr<CompiledPolicy> compiled = test::compile_or_fail("intervals.policy", kPolicy);
  // Band 4 meets the first two conditions; band 3 the second; band 2 only the last; a missing
  // band is not 4 and, by `if missing no`, not 3 or more, so only the unconditional one holds.
  DataSet data = test::bind_or_fail(*compiled,
                                    "urn,band,last_visit\n"
                                    "1,4,2019-01-07\n"
                                    "2,3,2019-01-07\n"
                                    "3,2,2019-01-07\n"
                                    "4,,2019-01-07\n"
                                    "5,1,2019-01-07\n");

  // The chosen interval of cadence `c` for record `r`, or -1 for none.
  int chosen(std::size_t c, std::size_t r) {
    ReferenceEvaluator ev(compiled->policy, compiled->program.calendars, data.text,
                          date_from_ymd(2019, 2, 1));
    const std::vector<Value> fields = data.row(r);
    ev.reset(fields.data());
    const auto i = chosen_interval(ev, compiled->policy.cadences.at(c));
    return i ? static_cast<int>(*i) : -1;
  }
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(the_first_interval_whose_condition_holds_wins, Fixture) {
  BOOST_TEST(chosen(0, 0) == 0);  // band 4: every 4 weeks, though band >= 3 holds too
  BOOST_TEST(chosen(0, 1) == 1);  // band 3: every 6 weeks
  BOOST_TEST(chosen(0, 2) == 2);  // band 2: every 52 weeks
  BOOST_TEST(chosen(0, 3) == 2);  // band missing: neither condition holds
}

BOOST_FIXTURE_TEST_CASE(no_interval_when_no_condition_holds, Fixture) {
  BOOST_TEST(chosen(1, 4) == 0);   // band 1: every 2 weeks
  BOOST_TEST(chosen(1, 0) == -1);  // band 4: the only interval's condition fails
  BOOST_TEST(chosen(1, 3) == -1);
}

BOOST_FIXTURE_TEST_CASE(next_due_follows_the_choice, Fixture) {
  // From Monday 2019-01-07: 4 weeks is 2019-02-04, 6 weeks 2019-02-18, 52 weeks 2020-01-06.
  ReferenceEvaluator ev(compiled->policy, compiled->program.calendars, data.text,
                        date_from_ymd(2019, 2, 1));
  const auto& visit = compiled->policy.cadences.at(0);
  const char* const expected[] = {"2019-02-04", "2019-02-18", "2020-01-06", "2020-01-06"};
  for (std::size_t r = 0; r < 4; ++r) {
    const std::vector<Value> fields = data.row(r);
    ev.reset(fields.data());
    BOOST_TEST(format_iso(ev.definition(visit.next_def)) == expected[r]);
  }
}
