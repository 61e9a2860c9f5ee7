// Records bound to a schema: a dense row-major table of Values, ready to evaluate. Text cells are
// interned so that a record is nothing but integers.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/value.hpp"
#include "data/record_schema.hpp"

namespace catengine::engine {

// Interned strings; a Value of kind Text is an index here. Indices are stable. The text itself
// lives end to end in blocks of 64 KiB and the index is a flat table, not one allocation per
// string: a national file has a quarter of a million school names.
class TextPool {
 public:
  TextPool() = default;
  TextPool(TextPool&& other) noexcept;
  TextPool& operator=(TextPool&& other) noexcept;
  TextPool(const TextPool& other);
  TextPool& operator=(const TextPool& other);

  Value intern(std::string_view text);
  std::string_view text(Value id) const { return strings_.at(static_cast<std::size_t>(id)); }
  std::size_t size() const { return strings_.size(); }
  // Moves another pool's text into this one; returns, for each of its ids, the id here.
  std::vector<Value> absorb(TextPool&& other);

 private:
  std::string_view store(std::string_view text);
  // The id of `text`, adding it (copied into a block, or as given when `copy` is false).
  Value find_or_add(std::string_view text, bool copy);
  void grow_index();

  std::vector<std::unique_ptr<char[]>> blocks_;  // never move: views point into them
  char* free_ = nullptr;                         // unused end of the current block
  std::size_t left_ = 0;
  std::vector<std::string_view> strings_;  // by id
  // Open addressing, at most half full: id + 1 per slot, 0 for none. Four bytes a string
  // rather than a hash node each.
  std::vector<std::uint32_t> index_;
};

struct DataSet {
  std::size_t field_count = 0;
  std::vector<Value> cells;               // rows × field_count, row-major, in input order
  std::vector<std::uint32_t> source_row;  // spreadsheet row number of each record (header = 1)
  TextPool text;

  std::size_t size() const { return source_row.size(); }
  const Value* row(std::size_t r) const { return cells.data() + r * field_count; }
};

// `FILE:ROW:COLUMN: message`, or `FILE:ROW:COLUMN: [source] message` for a named source; row 0
// and column "-" mean the whole file.
struct DataError {
  std::string file;
  std::uint32_t row = 0;
  std::string column;  // header name, or "-" for a problem with the whole row or file
  std::string message;
  std::string source;  // the named source the file was given for, or empty for a one-file policy
};

std::string to_string(const DataError& e);

}  // namespace catengine::engine
