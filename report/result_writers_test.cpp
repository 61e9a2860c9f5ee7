// Tests of the result writers (report/csv_writer, table_writer, json_writer) and the table layout
// they share (report/text_table), on three hand-made records: CSV quoting and the apostrophe that
// stops a spreadsheet running a cell as a formula, table alignment, and the JSON document's shape.
#define BOOST_TEST_MODULE result_writers
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <string>
#include <vector>

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

namespace {

// For the CSV evaluated block by block: `by unique match` fails for an attainment from 40 to
// 49.9, which the generated records have only where asked.
const char* const kClashPolicy = R"(policy "Clash"

record School
  field urn: integer, key
  field name: text
  field attainment: percent
  field opened: date?

decide band: integer by unique match
  rule S1 "Low" when attainment < 50 then 1
  rule S2 "Middle" when attainment between 40 and 70 then 2
  rule S3 "High" when attainment > 70 then 3
  rule S4 "Exactly 70" otherwise 2

output
  column urn
  column name
  column attainment
  column opened
  column band
)";

// `count` records, some names quoted or guarded, some dates missing; the records at the indexes
// in `clashes` (from 0) fail to evaluate.
std::string clash_records(std::size_t count, const std::vector<std::size_t>& clashes = {}) {
  std::string csv = "urn,name,attainment,opened\n";
  for (std::size_t i = 0; i < count; ++i) {
    std::size_t score = i * 37 % 100;
    if (score >= 40 && score < 50) score += 20;
    if (std::find(clashes.begin(), clashes.end(), i) != clashes.end()) score = 45;
    const std::string name = i % 7 == 0    ? "=x" + std::to_string(i)
                             : i % 11 == 0 ? "\"a, b " + std::to_string(i) + "\""
                                           : "School " + std::to_string(i);
    const std::string opened = i % 5 == 0
                                   ? ""
                                   : "20" + std::to_string(10 + i % 9) + "-0" +
                                         std::to_string(1 + i % 9) + "-1" + std::to_string(i % 10);
    csv +=
        std::to_string(100000 + i) + "," + name + "," + std::to_string(score) + "," + opened + "\n";
  }
  return csv;
}

// Evaluated block by block, the records of three blocks and more (8,192 records each).
constexpr std::size_t kStreamedRecords = 20000;

struct Streamed {
  StreamedCsv result;
  std::vector<std::string> pieces;
};

Streamed write_streamed(const CompiledPolicy& compiled, DataSet& data, unsigned threads,
                        std::size_t accept = static_cast<std::size_t>(-1)) {
  Streamed s;
  s.result = write_csv_evaluating(
      compiled, data, date_from_ymd(2019, 1, 1),
      [&](std::string_view piece) {
        s.pieces.emplace_back(piece);
        return s.pieces.size() <= accept;
      },
      threads);
  return s;
}

std::string joined(const std::vector<std::string>& pieces) {
  std::string out;
  for (const auto& p : pieces) out += p;
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(csv_evaluated_block_by_block_is_the_same_bytes) {
  const auto compiled = test::compile_or_fail("clash.policy", kClashPolicy);
  const std::string records = clash_records(kStreamedRecords);
  DataSet first = test::bind_or_fail(*compiled, records, "d.csv");
  const Results results = evaluate(compiled->program, first, {date_from_ymd(2019, 1, 1), 1});
  BOOST_REQUIRE(results.errors.empty());
  const std::string expected = write_csv(*compiled, first, results);
  BOOST_TEST(std::count(expected.begin(), expected.end(), '\n') == 1 + kStreamedRecords);
  for (unsigned threads : {1u, 2u, 3u, 8u}) {
    DataSet data = test::bind_or_fail(*compiled, records, "d.csv");
    const Streamed s = write_streamed(*compiled, data, threads);
    BOOST_TEST(s.result.errors.empty());
    BOOST_TEST(s.result.written);
    BOOST_TEST(joined(s.pieces) == expected, "threads " << threads);
  }
  // No records: the header alone.
  DataSet none = test::bind_or_fail(*compiled, clash_records(0), "d.csv");
  BOOST_TEST(joined(write_streamed(*compiled, none, 2).pieces) ==
             "urn,name,attainment,opened,band\n");
}

BOOST_AUTO_TEST_CASE(csv_evaluated_block_by_block_reports_every_error_in_record_order) {
  const auto compiled = test::compile_or_fail("clash.policy", kClashPolicy);
  const std::string records = clash_records(kStreamedRecords, {2, 9000, 9001, 19998});
  DataSet whole = test::bind_or_fail(*compiled, records, "d.csv");
  const Results results = evaluate(compiled->program, whole, {date_from_ymd(2019, 1, 1), 3});
  BOOST_REQUIRE(results.errors.size() == 4u);
  for (unsigned threads : {1u, 2u, 3u}) {
    DataSet data = test::bind_or_fail(*compiled, records, "d.csv");
    const Streamed s = write_streamed(*compiled, data, threads);
    BOOST_REQUIRE(s.result.errors.size() == results.errors.size());
    for (std::size_t i = 0; i < results.errors.size(); ++i) {
      const EvaluationError &a = s.result.errors[i], &b = results.errors[i];
      BOOST_TEST(a.row == b.row);
      BOOST_TEST(a.definition == b.definition);
      BOOST_TEST((a.fault == b.fault));
      BOOST_TEST(a.detail == b.detail);
    }
    BOOST_TEST(s.result.errors[0].row == 4u);  // the header is row 1
    // The first block failed, so nothing after the header was handed on.
    BOOST_TEST(s.pieces.size() == 1u);
  }
}

BOOST_AUTO_TEST_CASE(csv_evaluated_block_by_block_stops_writing_at_a_late_error) {
  // On one thread the first two blocks are formatted and handed on before the third block's
  // error is met: the caller must throw them away (evaluate --out leaves no file).
  const auto compiled = test::compile_or_fail("clash.policy", kClashPolicy);
  const std::string records = clash_records(kStreamedRecords, {19000});
  DataSet data = test::bind_or_fail(*compiled, records, "d.csv");
  const Streamed s = write_streamed(*compiled, data, 1);
  BOOST_TEST(s.result.errors.size() == 1u);
  BOOST_TEST(s.result.errors[0].row == 19002u);
  // The header and the blocks before the failing one, never the failing block (whatever the
  // writer's block size: 19,000 records hold several).
  BOOST_TEST(s.pieces.size() >= 3u);
  const std::string written = joined(s.pieces);
  BOOST_TEST(written.find("\n100000,") != std::string::npos);
  BOOST_TEST(written.find("\n119000,") == std::string::npos);
  BOOST_TEST(static_cast<std::size_t>(std::count(written.begin(), written.end(), '\n')) <= 19001u);
  // On more threads, never the failing block either.
  DataSet again = test::bind_or_fail(*compiled, records, "d.csv");
  const Streamed t = write_streamed(*compiled, again, 2);
  BOOST_TEST(t.result.errors.size() == 1u);
  BOOST_TEST(joined(t.pieces).find("\n119000,") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(csv_evaluated_block_by_block_evaluates_on_after_the_sink_fails) {
  // A full disk at the first block must not hide the evaluation errors after it.
  const auto compiled = test::compile_or_fail("clash.policy", kClashPolicy);
  const std::string records = clash_records(kStreamedRecords, {19000});
  DataSet one = test::bind_or_fail(*compiled, records, "d.csv");
  const Streamed first = write_streamed(*compiled, one, 1, 1);
  BOOST_TEST(!first.result.written);
  BOOST_TEST(first.pieces.size() == 2u);  // the header, then the refused first block
  BOOST_TEST(first.result.errors.size() == 1u);
  // On two threads the third block's error may be met before the first block is handed on.
  DataSet two = test::bind_or_fail(*compiled, records, "d.csv");
  const Streamed second = write_streamed(*compiled, two, 2, 1);
  BOOST_TEST(second.pieces.size() <= 2u);
  BOOST_TEST(second.result.errors.size() == 1u);
  DataSet data = test::bind_or_fail(*compiled, clash_records(kStreamedRecords), "d.csv");
  const Streamed s = write_streamed(*compiled, data, 2, 0);  // the header refused
  BOOST_TEST(!s.result.written);
  BOOST_TEST(s.pieces.size() == 1u);
  BOOST_TEST(s.result.errors.empty());
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
