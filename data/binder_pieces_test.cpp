// Reading a file in pieces (one per core) must give exactly what reading it whole gives: the
// same records, row numbers, text, and the same errors in the same order. Checked on the shipped
// example and on thousands of damaged variants of it: quoted line breaks that straddle a piece
// boundary, blank lines, CRLF, a byte-order mark, duplicate keys in different pieces, bad values,
// stray and unclosed quotes, literal quotes in unquoted cells.
#define BOOST_TEST_MODULE binder_pieces
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "compile/compiled_policy.hpp"
#include "data/binder.hpp"
#include "tests/support/test_support.hpp"

using namespace catengine;
using namespace catengine::engine;

using catengine::test::Random;
using catengine::test::slurp;

namespace {

const CompiledPolicy& peterborough() {
  static auto r = compile_policy(std::string(CATENGINE_SOURCE_DIR) + "/policies/peterborough");
  if (!r.compiled) throw std::runtime_error("policy does not compile");
  return *r.compiled;
}

// Empty when equal, else what differs first.
std::string difference(const BindResult& a, const BindResult& b, const RecordSchema& schema) {
  if (a.errors.size() != b.errors.size()) {
    return "error counts " + std::to_string(a.errors.size()) + " and " +
           std::to_string(b.errors.size());
  }
  for (std::size_t i = 0; i < a.errors.size(); ++i) {
    if (to_string(a.errors[i]) != to_string(b.errors[i]) || a.errors[i].file != b.errors[i].file) {
      return "error " + std::to_string(i) + ": " + to_string(a.errors[i]) + " | " +
             to_string(b.errors[i]);
    }
  }
  if (!a.errors.empty()) return {};  // with errors, the records are not meaningful
  if (a.data.size() != b.data.size()) {
    return "record counts " + std::to_string(a.data.size()) + " and " +
           std::to_string(b.data.size());
  }
  if (a.data.source_row != b.data.source_row) return "row numbers differ";
  const std::size_t nf = schema.fields.size();
  for (std::size_t r = 0; r < a.data.size(); ++r) {
    for (std::size_t f = 0; f < nf; ++f) {
      const Value x = a.data.row(r)[f], y = b.data.row(r)[f];
      const bool text = schema.fields[f].kind == ValueKind::Text && x != kMissing && y != kMissing;
      if (text ? a.data.text.text(x) != b.data.text.text(y) : x != y) {
        return "record " + std::to_string(r) + " field " + schema.fields[f].name;
      }
    }
  }
  return {};
}

BindResult in_pieces(const std::string& csv, unsigned threads) {
  return bind_records("t.csv", csv, peterborough().schema, BindOptions{threads, 1});
}

BindResult whole(const std::string& csv) {
  return bind_records("t.csv", csv, peterborough().schema, BindOptions{1, 1});
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// One damage to the data lines (never the header, which pieces take from the first line).
void damage(std::vector<std::string>& lines, Random& rnd) {
  const std::size_t i = 1 + rnd.below(lines.size() - 1);
  std::string& line = lines[i];
  if (line.find(',') == std::string::npos) return;  // a blank line from an earlier damage
  switch (rnd.below(10)) {
    case 0: {  // a quoted line break in the name: the line becomes two physical lines
      const std::size_t comma = line.find(',');
      const std::size_t next = line.find(',', comma + 1);
      line = line.substr(0, comma + 1) + "\"St Mary's\nAnnexe\"" + line.substr(next);
      break;
    }
    case 1:
      lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(i), "");  // blank line
      break;
    case 2:
      lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(i), "   \t");
      break;
    case 3:
      lines[i] = lines[1 + rnd.below(lines.size() - 1)];  // duplicate URN
      break;
    case 4:
      line.insert(0, "9");  // a URN of seven digits: out of range
      break;
    case 5:
      line += ",extra";  // too many cells
      break;
    case 6:
      line.insert(line.find(',') + 1, "ab\"c ");  // a literal quote inside an unquoted cell
      break;
    case 7:
      line.insert(line.find(',') + 1, "\"unclosed ");  // opens a quote that runs on
      break;
    case 8:
      line.insert(line.find(',') + 1, "\"Q\"x");  // text after a closing quote
      break;
    default:
      line.insert(line.find(',') + 1, "\"\"\"quoted\"\" name\"\"\"");  // doubled quotes
  }
}

std::string join(const std::vector<std::string>& lines, const std::string& end) {
  std::string out;
  for (const auto& l : lines) out += l + end;
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_example_reads_the_same_in_pieces) {
  const std::string csv =
      slurp(std::string(CATENGINE_SOURCE_DIR) + "/examples/peterborough/schools.csv");
  const BindResult one = whole(csv);
  BOOST_REQUIRE(one.errors.empty());
  BOOST_REQUIRE_EQUAL(one.data.size(), 77u);
  for (unsigned threads : {2u, 3u, 4u, 8u}) {
    BOOST_TEST(difference(one, in_pieces(csv, threads), peterborough().schema) == "",
               threads << " pieces");
  }
}

BOOST_AUTO_TEST_CASE(damaged_files_read_the_same_in_pieces) {
  const auto base =
      lines_of(slurp(std::string(CATENGINE_SOURCE_DIR) + "/examples/peterborough/schools.csv"));
  Random rnd{42};
  int clean = 0;
  for (int round = 0; round < 1500; ++round) {
    auto lines = base;
    const std::size_t damages = rnd.below(4);  // a quarter of the files stay clean
    for (std::size_t d = 0; d < damages; ++d) damage(lines, rnd);
    std::string csv = join(lines, rnd.below(3) == 0 ? "\r\n" : "\n");
    if (rnd.below(5) == 0) csv = "\xEF\xBB\xBF" + csv;
    if (rnd.below(5) == 0) csv.pop_back();  // no line end after the last line
    const BindResult one = whole(csv);
    clean += one.errors.empty();
    const unsigned threads = 2 + static_cast<unsigned>(rnd.below(7));
    const std::string diff = difference(one, in_pieces(csv, threads), peterborough().schema);
    BOOST_TEST(diff == "", "round " << round << ", " << threads << " pieces: " << diff);
    if (!diff.empty()) break;
  }
  BOOST_TEST(clean > 300);  // the clean path, where pieces are really used, was exercised
}

BOOST_AUTO_TEST_CASE(duplicate_keys_in_different_pieces_are_found) {
  const std::string csv =
      slurp(std::string(CATENGINE_SOURCE_DIR) + "/examples/peterborough/schools.csv");
  auto lines = lines_of(csv);
  lines.push_back(lines[1]);  // the first school again, at the end: another piece
  const std::string copy = join(lines, "\n");
  const BindResult pieces = in_pieces(copy, 4);
  BOOST_REQUIRE_EQUAL(pieces.errors.size(), 1u);
  BOOST_TEST(pieces.errors[0].row == 79u);
  BOOST_TEST(pieces.errors[0].message.find("already has it") != std::string::npos);
}
