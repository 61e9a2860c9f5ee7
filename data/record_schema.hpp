// The record schema as the data binder needs it: per field, the column it reads, how a cell is
// turned into a Value, and whether it may be missing. Built from the checked policy; the binder
// never sees policy syntax.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

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
};

struct RecordSchema {
  std::string name;  // "School"
  std::vector<FieldSpec> fields;
  ReadingRules reading;
};

}  // namespace catengine::engine
