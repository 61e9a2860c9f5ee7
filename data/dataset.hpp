// Records bound to a schema: a dense row-major table of Values, ready to evaluate. Text cells are
// interned so that a record is nothing but integers.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/value.hpp"
#include "data/record_schema.hpp"
#include "system/table_memory.hpp"

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

// The bound records, one column per field, each in the width its values need: booleans,
// enumerations, dates, text ids, percentages and most numbers in four bytes, the rest in eight.
// Half the memory of eight bytes a value, and the batch machine reads a field's values for 64
// records from one place. The columns lie end to end in one block (TableMemory), room for
// `capacity` records each: one allocation a table, in huge pages when it is large.
class DataSet {
 public:
  // How a column holds its values. Narrow: the Value in four bytes. Whole: a whole number's
  // Value divided by decimal::kScale, in four bytes (`integer` fields such as a URN). Wide: the
  // Value. A four-byte column given a value it cannot hold becomes Wide (see try_set).
  enum class Width : std::uint8_t { Narrow, Whole, Wide };

  DataSet() = default;
  // `field_count` columns of the given widths (all Wide when `widths` is empty), no rows.
  explicit DataSet(std::size_t field_count, std::vector<Width> widths = {});
  DataSet(const DataSet& other);
  DataSet& operator=(const DataSet& other);
  DataSet(DataSet&& other) noexcept;
  DataSet& operator=(DataSet&& other) noexcept;

  std::size_t field_count = 0;
  std::vector<std::uint32_t> source_row;  // spreadsheet row number of each record (header = 1)
  TextPool text;

  std::size_t size() const { return source_row.size(); }
  Width width(std::size_t field) const { return columns_[field].width; }

  Value at(std::size_t r, std::size_t field) const {
    const Column& c = columns_[field];
    if (c.width == Width::Wide) return c.wide[r];
    const std::int32_t v = c.narrow[r];
    if (v == kNarrowMissing) return kMissing;
    return c.width == Width::Whole ? Value{v} * decimal::kScale : Value{v};
  }
  // Stores `v`, widening the column first when it cannot hold it. Not for columns that other
  // threads write at the same time: they use try_set.
  [[gnu::always_inline]] void set(std::size_t r, std::size_t field, Value v) {
    if (!try_set(r, field, v)) {
      widen(field);
      columns_[field].wide[r] = v;
    }
  }
  // Stores `v`; false, storing nothing, when the column is four bytes and cannot hold it.
  [[gnu::always_inline]] bool try_set(std::size_t r, std::size_t field, Value v) {
    Column& c = columns_[field];
    switch (c.width) {
      case Width::Wide:
        c.wide[r] = v;
        return true;
      case Width::Whole:
        if (v == kMissing) return c.narrow[r] = kNarrowMissing, true;
        if (v % decimal::kScale != 0) return false;
        return store_narrow(c.narrow[r], v / decimal::kScale);
      case Width::Narrow:
        if (v == kMissing) return c.narrow[r] = kNarrowMissing, true;
        return store_narrow(c.narrow[r], v);
    }
    return false;
  }

  // Stores a value known to fit a Narrow column (a label's index, a day number, a text id)
  // without try_set's checks. Precondition: width(field) is Narrow and `v` is not missing.
  [[gnu::always_inline]] void set_narrow(std::size_t r, std::size_t field, std::int32_t v) {
    columns_[field].narrow[r] = v;
  }

  // Stores a value into a Wide column without try_set's switch. Precondition: width(field) is
  // Wide.
  [[gnu::always_inline]] void set_wide(std::size_t r, std::size_t field, Value v) {
    columns_[field].wide[r] = v;
  }

  // A record's fields, widened: for the one-record paths (explanations, warnings, tests).
  std::vector<Value> row(std::size_t r) const;
  void row_into(std::size_t r, Value* out) const;
  // Field `field` of records [first, first + count), widened, into out[0 .. count).
  void column_into(std::size_t field, std::size_t first, std::size_t count, Value* out) const;

  // Adds a record whose every value is missing; returns its index (its source_row is 0).
  std::size_t add_row();
  // Rows up to `rows`; new ones hold missing values. source_row is resized with them.
  void resize(std::size_t rows);
  // Moves records [from, from + count) to start at record `to` (to <= from), row numbers too.
  void move_rows(std::size_t from, std::size_t count, std::size_t to);
  // Gives the values' memory back (the records' count and text stay).
  void release_values();
  // The bytes the values take (for tests and measurements).
  std::size_t value_bytes() const;

 private:
  static constexpr std::int32_t kNarrowMissing = std::numeric_limits<std::int32_t>::min();
  // Points into storage_: `narrow` for Narrow and Whole, `wide` for Wide, the other null.
  struct Column {
    Width width = Width::Wide;
    std::int32_t* narrow = nullptr;
    Value* wide = nullptr;
  };
  static bool store_narrow(std::int32_t& slot, Value v) {
    if (v <= kNarrowMissing || v > std::numeric_limits<std::int32_t>::max()) return false;
    slot = static_cast<std::int32_t>(v);
    return true;
  }
  void widen(std::size_t field);
  // Moves the records into a new block with room for `capacity` of them (at least size()),
  // each column in `widths` (a Wide one that was four bytes is widened).
  void lay_out(std::size_t capacity, const std::vector<Width>& widths);
  std::vector<Width> widths() const;

  std::vector<Column> columns_;
  std::size_t capacity_ = 0;  // records each column has room for
  TableMemory storage_;
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
