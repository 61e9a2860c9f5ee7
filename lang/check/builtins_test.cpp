// The built-in table (builtins.def): every row is found by its name and indexed by its id, and
// the rows the checker types generically (Fixed) say enough to do so.
#define BOOST_TEST_MODULE builtins
#include <boost/test/unit_test.hpp>

#include <string>

#include "lang/check/builtins.hpp"

using namespace catengine::lang;

BOOST_AUTO_TEST_CASE(every_row_is_found_by_name_and_indexed_by_id) {
  BOOST_TEST(kBuiltinCount == 23u);
  for (std::size_t k = 0; k < kBuiltinCount; ++k) {
    const auto id = static_cast<Builtin>(k);
    const BuiltinInfo& row = info(id);
    BOOST_TEST((row.id == id));
    BOOST_TEST((find_builtin(row.name) == id));
    // The signature names the function, for "write `...`" hints.
    BOOST_TEST(row.signature.substr(0, row.name.size()) == row.name);
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
      BOOST_TEST(row.arity == 0u);  // typed by a case of its own
    }
  }
}
