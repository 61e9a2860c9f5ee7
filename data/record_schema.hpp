// The record schema as the data binder needs it: per field, the column it reads, how a cell is
// turned into a Value, and whether it may be missing. Built from the checked policy; the binder
// never sees policy syntax.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/text_encoding.hpp"
#include "base/value.hpp"

namespace catengine::engine {

enum class ValueKind : std::uint8_t {
  Integer,       // whole decimal; a fractional part is an error
  Number,        // any decimal
  Percent,       // a decimal from 0 to 100; may carry a trailing `%`
  Boolean,       // ReadingRules::yes_words / no_words
  Text,          // any text, interned in the DataSet's TextPool
  Date,          // ReadingRules::date_formats
  Enumeration,   // one of `labels`, matched ignoring case; the Value is its index
  AcademicYear,  // `YYYY/YY` where YY is the year after YYYY; the Value is the start year
};

enum class DateFormat : std::uint8_t {
  Iso,       // YYYY-MM-DD
  DayMonth,  // D/M/YYYY, day and month one or two digits
};

struct ReadingRules {
  std::vector<std::string> missing_values{"", "SUPP", "NE", "NP", "LOWCOV", "NA", "x"};  // any case
  std::vector<std::string> yes_words{"yes", "y", "true", "1"};                           // any case
  std::vector<std::string> no_words{"no", "n", "false", "0"};
  std::vector<DateFormat> date_formats{DateFormat::Iso, DateFormat::DayMonth};
};

struct FieldSpec {
  std::string name;    // field name in the policy (for messages)
  std::string column;  // header name in the file
  ValueKind kind = ValueKind::Text;
  std::vector<std::string> labels;  // Enumeration: member keys in declaration order
  bool required = true;             // missing is an error (and an absent column is an error)
  Value missing_means =
      kMissing;          // used for a missing cell when not required; kMissing = stays missing
  bool key = false;      // values must be unique within a file
  Value low = kMissing;  // inclusive bounds for numbers (scaled decimals); kMissing = none
  Value high = kMissing;
  std::uint32_t source = 0;    // index in RecordSchema::sources (0 when there are none)
  bool may_be_absent = false;  // an optional column that need not be in the header
  // A `shown` field no rule reads: its column's absence cannot change a result, so it is not
  // warned about (the warning is there for a renamed column that would).
  bool silent_when_absent = false;
  // A field of a joined source that every row of that file must have (a school absent from the
  // file still has it missing).
  bool required_in_file = false;
  // Non-empty: not read from any file but filled from the previous saved run's column of this
  // name (history/previous_values.hpp); missing until then.
  std::string previous_of;
  // `if absent then previous X`: when the column is absent, the field index whose values (the
  // previous run's) it takes once they are filled in; -1 for none.
  std::int32_t absent_previous = -1;
};

// Which rows of a file count: the cell under `column` is one of `values` (as text, ignoring case
// and surrounding spaces). Rows that fail a test are skipped without reading their other cells.
struct RowTest {
  std::string column;
  std::vector<std::string> values;
};

// One named file of a policy that joins several (data/source_join.hpp). The first is the school
// list; the others are joined to it on the key field, read from each file's `key_column`.
struct SourceSpec {
  std::string name;   // "gias": what `--data NAME=PATH` names
  std::string title;  // "Get Information About Schools (edubasealldata)"
  std::string key_column;
  TextEncoding encoding = TextEncoding::Utf8;
  ReadingRules reading;
  std::vector<RowTest> row_tests;
  bool may_be_absent = false;  // the file need not be given
  bool optional_columns_may_be_absent = false;
};

struct RecordSchema {
  std::string name;  // "School"
  std::vector<FieldSpec> fields;
  ReadingRules reading;
  // How one file is read. For a policy with sources, the join gives each source's binding a
  // schema of its own (its key and fields) with these taken from the source.
  TextEncoding encoding = TextEncoding::Utf8;
  std::vector<RowTest> row_tests;
  bool optional_columns_may_be_absent = false;
  // Empty when the policy reads one file with the fields' headers.
  std::vector<SourceSpec> sources;
};

}  // namespace catengine::engine
