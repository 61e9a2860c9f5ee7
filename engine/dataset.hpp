// Records bound to a schema: a dense row-major table of Values, ready to evaluate. Text cells are
// interned so that a record is nothing but integers.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/record_schema.hpp"
#include "lang/value.hpp"

namespace catengine::engine {

// Interned strings; a Value of kind Text is an index here. Indices are stable.
class TextPool {
 public:
  Value intern(std::string_view text);
  std::string_view text(Value id) const { return strings_.at(static_cast<std::size_t>(id)); }
  std::size_t size() const { return strings_.size(); }

 private:
  std::deque<std::string> strings_;  // deque: references stay valid as it grows
  std::unordered_map<std::string_view, Value> index_;
};

struct DataSet {
  std::size_t field_count = 0;
  std::vector<Value> cells;               // rows × field_count, row-major, in input order
  std::vector<std::uint32_t> source_row;  // spreadsheet row number of each record (header = 1)
  TextPool text;

  std::size_t size() const { return source_row.size(); }
  const Value* row(std::size_t r) const { return cells.data() + r * field_count; }
};

// `FILE:ROW:COLUMN: message`; row 0 and column "-" mean the whole file.
struct DataError {
  std::string file;
  std::uint32_t row = 0;
  std::string column;  // header name, or "-" for a problem with the whole row or file
  std::string message;
};

std::string to_string(const DataError& e);

}  // namespace catengine::engine
