#define BOOST_TEST_MODULE cell_reading
#include <boost/test/unit_test.hpp>

// The fast paths of a cell's reading (digits-only decimals, dates at fixed positions, words by a
// perfect hash) must give exactly what the general reading gives: the same value for the text
// they accept, and they must leave every other text to it. Checked on hand-picked edges and on
// many thousands of random short texts made of the characters numbers and dates are made of.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "data/cell_reading.hpp"
#include "tests/support/test_support.hpp"

using namespace catengine;
using namespace catengine::engine;
using namespace catengine::engine::binder_detail;

namespace {

FieldSpec spec_of(ValueKind kind) {
  FieldSpec s;
  s.name = s.column = "f";
  s.kind = kind;
  return s;
}

// The reading with the fast paths, and the general one alone, of the same text.
void check_same(const FieldReader& f, const ReadingRules& rules, std::string_view t) {
  TextPool text;
  Value fast = kMissing, general = kMissing;
  const Problem p = read_cell(f, rules, t, text, false, fast);
  Problem q = Problem::None;
  switch (f.reading) {
    case Reading::Decimal:
      q = read_decimal(f, t, general);
      break;
    case Reading::Date:
      q = read_date(rules, t, general);
      break;
    default:
      BOOST_FAIL("not a reading with a fast path");
  }
  BOOST_TEST_INFO("text `" << t << "`");
  BOOST_TEST(static_cast<int>(p) == static_cast<int>(q));
  if (p == Problem::None && q == Problem::None) BOOST_TEST(fast == general);
}

}  // namespace

BOOST_AUTO_TEST_CASE(decimals_read_as_the_general_reading_reads_them) {
  const ReadingRules rules;
  const FieldSpec number = spec_of(ValueKind::Number), integer = spec_of(ValueKind::Integer),
                  percent = spec_of(ValueKind::Percent);
  const FieldSpec bounded = [] {
    FieldSpec s = spec_of(ValueKind::Number);
    s.low = decimal::from_integer(-3);
    s.high = decimal::from_integer(7);
    return s;
  }();
  std::vector<FieldReader> readers;
  for (const FieldSpec* s : {&number, &integer, &percent, &bounded}) {
    readers.push_back(plan_field(*s, 0, 0, rules));
  }
  const std::vector<std::string> edges{"0",
                                       "-0",
                                       "+0",
                                       "7",
                                       "007",
                                       "64.9",
                                       "64.9%",
                                       "64.9 %",
                                       "%",
                                       "1.",
                                       ".5",
                                       "-.5",
                                       "1.5.",
                                       "1e3",
                                       "--1",
                                       "+-1",
                                       "0.000001",
                                       "0.0000001",
                                       "100",
                                       "100.000001",
                                       "999999999999",
                                       "9999999999999",
                                       "9223372036854",
                                       "1.234567%",
                                       "-3",
                                       "-3.000001",
                                       "7.0",
                                       "7.000001",
                                       "12%%",
                                       "50.3%"};
  for (const FieldReader& f : readers) {
    for (const std::string& t : edges) check_same(f, rules, t);
  }
  test::Random random{18};
  const std::string alphabet = "0123456789.-+%x";
  for (int i = 0; i < 20000; ++i) {
    std::string t;
    const std::size_t n = random.below(std::size_t{16});
    for (std::size_t k = 0; k < n; ++k) t += alphabet[random.below(alphabet.size())];
    if (t.empty()) continue;  // an empty cell is missing: never read
    for (const FieldReader& f : readers) check_same(f, rules, t);
  }
}

BOOST_AUTO_TEST_CASE(dates_read_as_the_general_reading_reads_them) {
  const FieldSpec date = spec_of(ValueKind::Date);
  ReadingRules both, iso, day_month;
  iso.date_formats = {DateFormat::Iso};
  day_month.date_formats = {DateFormat::DayMonth};
  const std::vector<std::string> edges{
      "2018-09-17", "2019-02-29", "2020-02-29", "1900-02-29", "2000-02-29", "0000-01-01",
      "0001-01-01", "9999-12-31", "2018-13-01", "2018-00-10", "2018-09-00", "2018-09-31",
      "17/9/2018", "1/1/2018", "01/01/2018", "31/12/9999", "29/2/2019", "29/2/2020", "1/13/2018",
      "0/1/2018", "1/0/2018", "1/1/0000", "123/1/2018", "1/123/2018", "1//2018", "/1/2018",
      "1/1/218", "1/1/20188", "2018/09/17", "17-9-2018", "2018-9-17", "12/12/2018", "1a/1/2018",
      "1/1a/2018", "1/1/201a", "2018-09-1a",
      // bytes next to the digits and beyond ASCII, which the digit test reads eight at a time
      "201:-09-17", "2018-0/-17", "2018-09-1:",
      "\xFF"
      "018-09-17",
      "2018-09-1\xB9",
      "1/1/2\x80"
      "18",
      "1/1/:018", "1/1/201/"};
  for (const ReadingRules* rules : {&both, &iso, &day_month}) {
    const FieldReader f = plan_field(date, 0, 0, *rules);
    for (const std::string& t : edges) check_same(f, *rules, t);
    test::Random random{1800};
    const std::string alphabet = "0123/-";
    for (int i = 0; i < 20000; ++i) {
      std::string t;
      const std::size_t n = 6 + random.below(std::size_t{6});
      for (std::size_t k = 0; k < n; ++k) t += alphabet[random.below(alphabet.size())];
      check_same(f, *rules, t);
    }
  }
}

BOOST_AUTO_TEST_CASE(word_lists_find_the_first_word_that_matches_ignoring_case) {
  WordList words;
  const std::vector<std::string> list{"yes",
                                      "Y",
                                      "true",
                                      "1",
                                      "well below",
                                      "WELL BELOW",
                                      "requires improvement",
                                      "requires improvement, school causing concern",
                                      "x"};
  for (std::size_t i = 0; i < list.size(); ++i) words.add(list[i], static_cast<Value>(i));
  for (const bool planned : {false, true}) {
    if (planned) words.plan();
    Value v = kMissing;
    BOOST_TEST((words.find("YES", v) && v == 0));
    BOOST_TEST((words.find("y", v) && v == 1));
    BOOST_TEST((words.find("True", v) && v == 2));
    BOOST_TEST((words.find("Well Below", v) && v == 4));  // the first of two equal words
    BOOST_TEST((words.find("REQUIRES IMPROVEMENT", v) && v == 6));
    BOOST_TEST((words.find("Requires improvement, school causing concern", v) && v == 7));
    BOOST_TEST((words.find("X", v) && v == 8));
    BOOST_TEST(!words.find("requires improvemenT!", v));
    BOOST_TEST(!words.find("requires improvemenx", v));  // same start and length, not a word
    BOOST_TEST(!words.find("well belox", v));  // the same for a word of nine to sixteen bytes
    BOOST_TEST(!words.find("xell below", v));
    BOOST_TEST(!words.find("ye", v));
    BOOST_TEST(!words.find("yes ", v));
    BOOST_TEST(!words.find("", v));
    BOOST_TEST(!words.find("2", v));
    BOOST_TEST((words.find("1", v) && v == 3));  // one-byte words by their byte when planned
    BOOST_TEST(!words.find("Z", v));
    BOOST_TEST(!words.find(" ", v));
  }
  WordList grades;  // a letter in either case, and the first of two one-byte words that match
  for (const std::string_view w : {"a", "A", "B", "\xE9"}) grades.add(w, static_cast<Value>(w[0]));
  grades.plan();
  Value v = kMissing;
  BOOST_TEST((grades.find("A", v) && v == 'a'));
  BOOST_TEST((grades.find("b", v) && v == 'B'));
  BOOST_TEST((grades.find("\xE9", v) && v == '\xE9'));
  BOOST_TEST(!grades.find("\xC9", v));  // only ASCII letters ignore case
  BOOST_TEST(!grades.find("c", v));
  // One-byte words whose value the byte table cannot hold (a missing code, a large value) are
  // found all the same.
  WordList codes;
  codes.add("x", kMissing);
  codes.add("z", 300);
  codes.add("q", 252);
  codes.add("w", 253);
  for (const bool planned : {false, true}) {
    if (planned) codes.plan();
    BOOST_TEST((codes.find("X", v) && v == kMissing));
    BOOST_TEST((codes.find("z", v) && v == 300));
    BOOST_TEST((codes.find("Q", v) && v == 252));
    BOOST_TEST((codes.find("w", v) && v == 253));
    BOOST_TEST(!codes.find("y", v));
  }
}

// The row loop's action (plan_action) takes a kind's fast path only where the column's width is
// the one the action stores into; keys, whole numbers and files that are decoded are General.
BOOST_AUTO_TEST_CASE(row_loop_actions_follow_the_reading_and_the_column) {
  const ReadingRules rules;
  struct Case {
    ValueKind kind;
    bool narrow, wide, key, utf8;
    CellAction expected;
  };
  using A = CellAction;
  using K = ValueKind;
  const std::vector<Case> cases{
      {K::Boolean, true, false, false, true, A::Words},
      {K::Enumeration, true, false, false, true, A::Words},
      {K::Enumeration, false, true, false, true, A::General},  // a label index widened
      {K::Percent, true, false, false, true, A::Number},
      {K::Percent, false, true, false, true, A::General},  // bounds beyond four bytes
      {K::Number, true, false, false, true, A::Number},
      {K::Number, false, true, false, true, A::WideNumber},
      {K::Number, false, false, false, true, A::General},   // a column that may widen
      {K::Integer, false, false, false, true, A::General},  // whole: four bytes divided
      {K::Integer, false, true, false, true, A::General},   // whole: the fraction checked
      {K::Integer, false, false, true, true, A::Key},       // a key with a direct table
      {K::Date, true, false, false, true, A::Date},
      {K::Date, false, true, false, true, A::General},
      {K::Text, true, false, false, true, A::Text},
      {K::Text, true, false, true, true, A::General},  // a text key
      {K::AcademicYear, true, false, false, true, A::AcademicYear},
      {K::Boolean, true, false, false, false, A::General},  // cells decoded first
      {K::Number, false, true, false, false, A::General},
  };
  for (const Case& c : cases) {
    FieldSpec spec = spec_of(c.kind);
    if (c.kind == K::Enumeration) spec.labels = {"a", "b"};
    FieldReader r = plan_field(spec, 0, 0, rules);
    r.narrow = c.narrow;
    r.wide = c.wide;
    r.check_key = c.key;
    BOOST_TEST_INFO("kind " << static_cast<int>(c.kind) << " narrow " << c.narrow << " wide "
                            << c.wide << " key " << c.key << " utf8 " << c.utf8);
    BOOST_TEST(static_cast<int>(plan_action(r, c.utf8, false, true)) ==
               static_cast<int>(c.expected));
    // A missing code with a space or tab at an end: cells are trimmed first, as General does.
    BOOST_TEST(static_cast<int>(plan_action(r, c.utf8, true, true)) ==
               static_cast<int>(A::General));
    // A key without a direct table (a hash map) is General's.
    if (c.key) {
      BOOST_TEST(static_cast<int>(plan_action(r, c.utf8, false, false)) ==
                 static_cast<int>(A::General));
    }
  }
  // The same for a word of a yes/no field or a label.
  ReadingRules padded;
  padded.yes_words.push_back(" oui");
  FieldReader yes_no = plan_field(spec_of(K::Boolean), 0, 0, padded);
  yes_no.narrow = true;
  BOOST_TEST(static_cast<int>(plan_action(yes_no, true, false, true)) ==
             static_cast<int>(A::General));
  FieldSpec labelled = spec_of(K::Enumeration);
  labelled.labels = {"a", "b\t"};
  FieldReader labels = plan_field(labelled, 0, 0, rules);
  labels.narrow = true;
  BOOST_TEST(static_cast<int>(plan_action(labels, true, false, true)) ==
             static_cast<int>(A::General));
  // A missing cell's default is the spec's, written as the action stores; a required field's
  // missing cell is an error whatever its default.
  FieldSpec optional = spec_of(K::Boolean), required = spec_of(K::Boolean),
            plain = spec_of(K::Number);
  optional.required = plain.required = false;
  optional.missing_means = 0;
  required.required = true;
  required.missing_means = 0;
  const auto on_missing_of = [&](const FieldSpec& spec, CellAction action) {
    FieldReader r = plan_field(spec, 0, 0, rules);
    r.action = action;
    return static_cast<int>(plan_missing(r));
  };
  using M = OnMissing;
  BOOST_TEST(plan_field(optional, 0, 0, rules).missing_means == 0);
  BOOST_TEST(plan_field(required, 0, 0, rules).missing_means == kMissing);
  BOOST_TEST(on_missing_of(optional, A::Words) == static_cast<int>(M::Narrow));
  BOOST_TEST(on_missing_of(optional, A::WideNumber) == static_cast<int>(M::Wide));
  BOOST_TEST(on_missing_of(optional, A::General) == static_cast<int>(M::Store));
  BOOST_TEST(on_missing_of(optional, A::Key) == static_cast<int>(M::Store));
  BOOST_TEST(on_missing_of(required, A::Words) == static_cast<int>(M::Required));
  BOOST_TEST(on_missing_of(required, A::General) == static_cast<int>(M::Required));
  BOOST_TEST(on_missing_of(plain, A::Number) == static_cast<int>(M::Nothing));
  BOOST_TEST(on_missing_of(plain, A::General) == static_cast<int>(M::Nothing));
}
