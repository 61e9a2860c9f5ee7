// Tests of the result writers (report/csv_writer, table_writer, json_writer) and the table layout
// they share (report/text_table), on three hand-made records: CSV quoting and the apostrophe that
// stops a spreadsheet running a cell as a formula, table alignment, and the JSON document's shape.
#define BOOST_TEST_MODULE result_writers
#include <boost/test/unit_test.hpp>

#include <string>

#include <nlohmann/json.hpp>

#include "base/calendar.hpp"
#include "base/version.hpp"
#include "compile/compiled_policy.hpp"
#include "eval/evaluator.hpp"
#include "report/result_writers.hpp"
#include "report/text_table.hpp"
#include "tests/support/policy_fixture.hpp"

using namespace catengine;
using namespace catengine::engine;

namespace {

const char* const kPolicy = R"(policy "Writers"

enumeration Band: high, other

record School
  field urn: integer, key
  field name: text
  field score: number?

decide band: Band by first match
  rule B1 "High"
    when (score >= 2) if missing no
    then high
  rule B2 "Other"
    otherwise other

output
  column urn
  column name
  column score
  column band
)";

// A comma, a formula, a negative number, UTF-8 with quotes, and a missing score.
const char* const kData =
    "urn,name,score\n"
    "101,\"Smith, Jones & Co\",2.5\n"
    "102,=SUM(A1),-1\n"
    "103,\"Ünïcode \"\"quoted\"\"\",\n";

struct Fixture {
  std::unique_ptr<CompiledPolicy> compiled = test::compile_or_fail("writers.policy", kPolicy);
  DataSet data = test::bind_or_fail(*compiled, kData, "d.csv");
  const Value as_of = date_from_ymd(2019, 1, 1);
  Results results = evaluate(compiled->program, data, {as_of, 0});
  const Provenance provenance{"p.policy",         "0123456789abcdef", "d.csv",
                              "fedcba9876543210", "2019-01-01",       3};
  Fixture() { BOOST_REQUIRE(results.errors.empty()); }
};

std::string cell(std::string_view text, bool is_text = true) {
  std::string out;
  append_csv_cell(out, text, is_text);
  return out;
}

// `n` box-drawing dashes, each three bytes and one character wide.
std::string rule(std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += "─";
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(csv_cells_are_quoted_only_when_they_must_be) {
  BOOST_TEST(cell("plain") == "plain");
  BOOST_TEST(cell("a,b") == "\"a,b\"");
  BOOST_TEST(cell("say \"hi\"") == "\"say \"\"hi\"\"\"");
  BOOST_TEST(cell("two\nlines") == "\"two\nlines\"");
  BOOST_TEST(cell("cr\rhere") == "\"cr\rhere\"");
  BOOST_TEST(cell("") == "");
}

BOOST_AUTO_TEST_CASE(csv_text_a_spreadsheet_would_run_gets_an_apostrophe) {
  for (const char* formula : {"=1+1", "+1", "-1", "@SUM(A1)", "\tx"}) {
    BOOST_TEST(cell(formula) == std::string("'") + formula);
  }
  // The apostrophe goes inside the quotes, so the spreadsheet still sees it first.
  BOOST_TEST(cell("=A1,B1") == "\"'=A1,B1\"");
  // Numbers are not text: a negative number keeps its sign alone.
  BOOST_TEST(cell("-1", false) == "-1");
  BOOST_TEST(cell("a=b") == "a=b");
}

BOOST_FIXTURE_TEST_CASE(csv_results, Fixture) {
  BOOST_TEST(write_csv(*compiled, data, results) ==
             "urn,name,score,band\n"
             "101,\"Smith, Jones & Co\",2.5,high\n"
             "102,'=SUM(A1),-1,other\n"
             "103,\"Ünïcode \"\"quoted\"\"\",,other\n");
  // Any number of threads gives the same bytes.
  std::string piecewise;
  write_csv(
      *compiled, data, results,
      [&](std::string_view piece) {
        piecewise += piece;
        return true;
      },
      3);
  BOOST_TEST(piecewise == write_csv(*compiled, data, results));
}

BOOST_FIXTURE_TEST_CASE(table_aligns_numbers_right_and_text_left, Fixture) {
  // Widths: urn 3, name 17 ("Smith, Jones & Co"), score 5 (its head), band 5 ("other").
  // "Ünïcode" counts 7 characters, not its 9 bytes. Rows end without trailing spaces.
  const std::string expected =
      "urn  name" + std::string(15, ' ') + "score  band\n" +                               //
      "───  " + rule(17) + "  ─────  ─────\n" + "101  Smith, Jones & Co    2.5  high\n" +  //
      "102  =SUM(A1)" + std::string(14, ' ') + "-1  other\n" +                             //
      "103  Ünïcode \"quoted\"" + std::string(10, ' ') + "other\n" +                       //
      "\n3 records · Writers · as of 2019-01-01\n" +
      "policy p.policy (sha256 0123456789ab) · data d.csv (sha256 fedcba987654) · catengine " +
      catengine_version() + "\n";
  BOOST_TEST(write_table(*compiled, data, results, provenance, false) == expected);
}

BOOST_FIXTURE_TEST_CASE(table_colour_wraps_heads_in_bold, Fixture) {
  const std::string t = write_table(*compiled, data, results, provenance, true);
  BOOST_TEST(t.starts_with("\x1b[1murn\x1b[0m  \x1b[1mname" + std::string(13, ' ') + "\x1b[0m"));
}

BOOST_AUTO_TEST_CASE(text_table_clips_by_characters) {
  BOOST_TEST(display_width("Ünïcode") == 7u);
  BOOST_TEST(clip("abcdef", 6) == "abcdef");
  BOOST_TEST(clip("abcdefg", 6) == "abcde…");
  BOOST_TEST(clip("ÄÖÜäöüß", 4) == "ÄÖÜ…");
  TextTable t;
  t.heads = {"a", "bb"};
  t.rows = {{"long", "x"}, {"", ""}};
  t.right = {true, false};
  // The empty last row is all padding, trimmed to nothing.
  BOOST_TEST(render_text_table(t) == "   a  bb\n────  ──\nlong  x\n\n");
}

BOOST_FIXTURE_TEST_CASE(json_document_shape, Fixture) {
  const auto doc =
      nlohmann::ordered_json::parse(write_json(*compiled, data, results, provenance, as_of));
  std::vector<std::string> keys;
  for (const auto& [k, v] : doc.items()) keys.push_back(k);
  BOOST_TEST(keys == (std::vector<std::string>{"provenance", "policy", "records"}),
             boost::test_tools::per_element());
  BOOST_TEST(doc["policy"]["title"] == "Writers");
  BOOST_TEST(doc["provenance"]["as_of"] == "2019-01-01");
  BOOST_REQUIRE(doc["records"].size() == 3u);
  const auto& first = doc["records"][0];
  BOOST_TEST(first["row"] == 2);  // the header is row 1
  BOOST_TEST(first["outputs"].dump() ==
             R"({"urn":101,"name":"Smith, Jones & Co","score":2.5,"band":"high"})");
  // The rest of each record is the one JSON shape of an explanation (`explain --format json`),
  // cut to the decisions.
  BOOST_TEST(
      first["reasoning"].dump() ==
      R"([{"name":"band","value":"high","cite":"","rules":[{"rule":"B1","title":"High",)"
      R"("cite":"","condition":"(score >= 2) if missing no","fired":true,"reads":[{"name":"score",)"
      R"("value":"2.5","source":"column score"}]}]}])");
  const auto& third = doc["records"][2];
  BOOST_TEST(third["outputs"]["score"].is_null());
  BOOST_TEST(third["reasoning"][0]["rules"][0]["fired"] == false);
  BOOST_TEST(!third["reasoning"][0]["rules"][0].contains("reads"));  // did not apply: no reads
  BOOST_TEST(third["reasoning"][0]["rules"][1]["rule"] == "B2");
  BOOST_TEST(third["reasoning"][0]["rules"][1]["fired"] == true);
}
