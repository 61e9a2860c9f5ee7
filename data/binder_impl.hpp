// Private to the binder (data/binder*.cpp), not part of data/'s interface: what the binder's
// files share. The Binder visitor that resolves columns from the header and binds each row, and
// the message helpers the binder's error texts are built with. Reading one cell is in
// cell_reading.hpp, inline so the row loop (binder.cpp) inlines it into its per-cell path.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "base/text.hpp"
#include "base/utf8.hpp"
#include "data/binder.hpp"
#include "data/cell_reading.hpp"
#include "data/csv_reader.hpp"
#include "data/text_encoding.hpp"
#include "system/table_memory.hpp"

namespace catengine::engine::binder_detail {

// ---- message helpers (binder_messages.cpp) ------------------------------------------------

// A cell's text inside backticks, escaped and cut short for a one-line message.
std::string shown(std::string_view s);
std::string quoted(std::string_view s);
// Each item in backquotes: `a`, `b`, `c`.
std::vector<std::string> quoted_each(const std::vector<std::string_view>& items);
// Spreadsheet column letters for a 0-based index: A, B, ..., Z, AA, ...
std::string column_letters(std::size_t index);

// ---- binding ------------------------------------------------------------------------------

// Which row first had each value of a key column. A whole-number key with a narrow range (a
// URN has six digits) is a direct table of row numbers, a few bytes a value; any other key a
// hash map, a few dozen bytes a row.
class KeyIndex {
 public:
  void configure(const FieldReader& f, std::size_t rows_hint) {
    // Direct when the table is at most four times a hash map of the rows (about 56 bytes a
    // row): a lookup is an index rather than a hash and a node (about 270 instructions a row
    // for the URN at 24,000 records), for a few MB at most.
    const Value most = static_cast<Value>(std::max<std::size_t>(rows_hint, 1024)) * 56;
    if (f.spec->kind == ValueKind::Integer && f.low != kMissing && f.high != kMissing &&
        (f.high - f.low) / decimal::kScale < most) {
      low_ = f.low;
      const auto values = static_cast<std::size_t>((f.high - f.low) / decimal::kScale + 1);
      // Only written where a value is seen, so left as the kernel gives it (zero) rather than
      // cleared: 3.6 MB for six-digit URNs, in huge pages.
      direct_ = TableMemory(values * sizeof(std::uint32_t), true);
      seen_.assign((values + 63) / 64, 0);
    } else {
      map_.reserve(rows_hint);
    }
  }
  // The row that already has `v`; or 0, after recording `row` (never 0) as its first.
  std::uint32_t first_or_add(Value v, std::uint32_t row) {
    if (direct()) return first_or_add_direct(v, row);
    const auto [it, inserted] = map_.emplace(v, row);
    return inserted ? 0 : it->second;
  }
  bool direct() const { return direct_.data() != nullptr; }
  // first_or_add for a direct table. Precondition: v is whole and within the bounds.
  [[gnu::always_inline]] std::uint32_t first_or_add_direct(Value v, std::uint32_t row) {
    // Whether a value was seen is a bit, a thirty-second of the row table, so it stays in the
    // cache where the row table (3.6 MB for six-digit URNs) does not: reading the table for
    // every row waited on memory, 8% of the CPU at 240,000 records. The table is only written
    // on the way (a store does not hold the row loop up), and read for a duplicate.
    const auto i = static_cast<std::size_t>((v - low_) / decimal::kScale);
    std::uint64_t& word = seen_[i / 64];
    const std::uint64_t bit = std::uint64_t{1} << (i % 64);
    auto* const first_rows = reinterpret_cast<std::uint32_t*>(direct_.data());
    if ((word & bit) != 0) return first_rows[i];
    word |= bit;
    first_rows[i] = row;
    return 0;
  }

 private:
  Value low_ = 0;
  TableMemory direct_;  // by value: its first row (four bytes), once seen_ says it was seen
  std::vector<std::uint64_t> seen_;  // by value: a bit, set once the value is seen
  std::unordered_map<Value, std::uint32_t> map_;
};

// Binds rows as the reader delivers them, so the file's cells are never copied.
class Binder final : public CsvVisitor {
 public:
  Binder(std::string_view file, const RecordSchema& schema, BindResult& out,
         const KeySet* keep_keys = nullptr)
      : file_(file), schema_(schema), rules_(schema.reading), out_(out), keep_keys_(keep_keys) {
    out_.data = DataSet(schema.fields.size(), column_widths(schema));
    for (const std::string& m : rules_.missing_values) {
      missing_.add(m, kMissing);
      if (m.empty()) continue;
      const auto first = static_cast<unsigned char>(m.front());
      may_be_missing_[first] = true;
      may_be_missing_[static_cast<unsigned char>(ascii_lower(static_cast<char>(first)))] = true;
      if (first >= 'a' && first <= 'z') may_be_missing_[first - 'a' + 'A'] = true;
    }
    missing_.plan();
  }

  // Reading in pieces: rows go into `capacity` rows of a table shared with the other pieces'
  // binders, starting at `cells` (and their row numbers at `rows`), not into out_.data.
  struct Region {
    DataSet* table = nullptr;  // shared by the pieces, sized for all of them
    std::size_t first = 0;     // this piece's first record in it
    std::size_t capacity = 0;
    std::size_t count = 0;
    bool overflow = false;  // more rows than capacity, text not UTF-8, or a value too wide
                            // for its column: this piece's result is unusable
  };
  // `check_keys` false: duplicate keys are left to the first piece's binder (add_keys).
  void write_into(Region* region, std::size_t rows_hint, bool check_keys) {
    region_ = region;
    rows_hint_ = rows_hint;
    check_keys_ = check_keys;
  }

  // Adds the key values of `count` bound rows (from another piece) to this binder's; false when
  // one is already there.
  bool add_keys(const DataSet& table, std::size_t first, std::size_t count) {
    for (std::size_t i = 0; i < readers_.size(); ++i) {
      if (!readers_[i].spec->key) continue;
      for (std::size_t r = first; r < first + count; ++r) {
        const Value v = table.at(r, readers_[i].field);
        if (v != kMissing && keys_[i].first_or_add(v, 1) != 0) return false;
      }
    }
    return true;
  }

  // Adds what another piece's binder saw of each percentage field, so the first piece's finish()
  // judges "these look like fractions" on the whole file, as one reader would.
  void add_percents_seen(const Binder& other) {
    for (std::size_t f = 0; f < percent_seen_.size(); ++f) {
      percent_seen_[f].first += other.percent_seen_[f].first;
      percent_seen_[f].second = std::max(percent_seen_[f].second, other.percent_seen_[f].second);
    }
  }

  // Check the header and text cells for UTF-8 (a CSV file in UTF-8). A plain line of ASCII (as
  // the reader finds it) needs no check, so a clean file pays nothing for it.
  void check_utf8(bool on) { check_utf8_ = on; }

  // Makes `n` records ahead, all missing, so a row is written into one rather than pushed onto
  // every column; finish() drops those no row used.
  void reserve_rows(std::size_t n) {
    out_.data.resize(n);
    rows_hint_ = n;
  }

  // Hands the records to `window` every `rows` records rather than keeping them
  // (BindOptions::window); `window` must outlive the binder. `rows_hint` sizes the key index.
  // `file` is the first byte of the file, for BoundWindow::bytes_read.
  void stream_to(const RecordWindow* window, std::size_t rows, std::size_t rows_hint,
                 const char* file) {
    window_ = window;
    file_begin_ = file;
    read_to_ = file;
    reserve_rows(std::max<std::size_t>(rows, 1));
    rows_hint_ = rows_hint;
  }

  // The record to bind the next row into once the table's records are all used: a new one, or
  // when streaming, the first again, after the table's records are handed over and made missing.
  [[gnu::noinline]] std::size_t record_after_table() {
    DataSet& data = out_.data;
    if (window_ == nullptr) return data.add_row();
    const std::size_t rows = data.size();
    hand_over(rows);
    data.resize(0);
    data.resize(rows);
    next_row_ = 1;
    return 0;
  }

  void on_header(std::uint32_t row, std::span<const std::string_view> cells) override;
  void on_row(std::uint32_t row, std::span<const std::string_view> cells) override;
  bool on_plain_row(std::uint32_t row, const PlainLine& line) override;
  // A row of the right width into the next record; `Cells` gives a cell by header index.
  template <class Cells>
  void bind_row(std::uint32_t row, Cells& cells, bool check_utf8);
  // A cell by its field's reading, stored by its column's width (the row loop's General action).
  void bind_general(std::uint32_t row, const FieldReader& f, std::string_view t, DataSet& table,
                    std::size_t at, bool check_utf8, bool utf8);
  // A missing cell of a planned field (its default, or an error for a required field).
  void bind_missing(std::uint32_t row, const FieldReader& f, std::string_view t, DataSet& table,
                    std::size_t at);
  void missing_cell(std::uint32_t row, const FieldReader& f, std::string_view t, DataSet& table,
                    std::size_t at);
  // A value into the table: a piece may not widen a column the others are writing, so a value
  // its column cannot hold makes the piece unusable (the file is then read whole).
  [[gnu::always_inline]] void store(DataSet& table, std::size_t at, std::size_t field, Value v) {
    if (region_ == nullptr) {
      table.set(at, field, v);
    } else if (!table.try_set(at, field, v)) {
      region_->overflow = true;
    }
  }
  // A cell's problems, out of line: on_row's loop stays small for the cells that have none.
  [[gnu::noinline, gnu::cold]] void report_undecodable(std::uint32_t row, const FieldSpec& spec,
                                                       std::string_view t, std::size_t bad);
  [[gnu::noinline, gnu::cold]] void report_problem(std::uint32_t row, const FieldReader& f,
                                                   std::string_view t, Problem p);
  [[gnu::noinline, gnu::cold]] void report_required(std::uint32_t row, const FieldSpec& spec,
                                                    std::string_view t);
  [[gnu::noinline, gnu::cold]] void report_duplicate(std::uint32_t row, const FieldSpec& spec,
                                                     std::string_view t, std::uint32_t first);

  // The first kMaxDataErrors errors are kept and the rest counted; callers ask before building
  // a message, so errors past the limit cost nothing but the count.
  bool wants_error() override {
    if (out_.errors.size() < kMaxDataErrors) return true;
    ++dropped_;
    return false;
  }
  void on_error(DataError error) override { out_.errors.push_back(std::move(error)); }

  void finish() {
    if (window_ != nullptr && next_row_ != 0) hand_over(next_row_);
    if (region_ == nullptr && out_.data.size() > next_row_) out_.data.resize(next_row_);
    warn_fractions();
    if (dropped_ == 0) return;
    push(0, "-",
         std::to_string(dropped_) + " more error" + (dropped_ == 1 ? "" : "s") +
             " not shown (only the first " + std::to_string(kMaxDataErrors) + " are listed)");
  }

 private:
  void hand_over(std::size_t count) {
    out_.windowed += count;
    (*window_)(BoundWindow{out_.data, 0, count, out_.errors.empty(),
                           static_cast<std::size_t>(read_to_ - file_begin_)});
  }
  void push(std::uint32_t row, std::string_view column, std::string message) {
    out_.errors.push_back(
        DataError{std::string(file_), row, std::string(column), std::move(message)});
  }
  void warn(std::uint32_t row, std::string_view column, std::string message) {
    out_.warnings.push_back(
        DataError{std::string(file_), row, std::string(column), std::move(message)});
  }
  // A cell as UTF-8: converted from the file's encoding when it has bytes beyond ASCII (into a
  // scratch buffer, valid until the next call). False when it holds a byte the encoding lacks.
  bool decoded(std::string_view& t, std::string& scratch, std::size_t& bad) const {
    if (schema_.encoding == TextEncoding::Utf8) return true;
    const DecodedText d = windows1252_to_utf8(t, scratch);
    if (!d.ok()) return bad = d.bad_offset, false;
    t = d.text;
    return true;
  }
  // Whether a row passes the source's `rows count when` tests (read before any other cell).
  // Whether a named source's row is left out before any other cell is read: it does not count
  // (`rows count when`), or the join does not keep its school. A national file is mostly such
  // rows. `cell(i)` is the row's cell in header column i (a line's views, or a plain line's
  // offsets).
  template <class CellAt>
  bool left_out(const CellAt& cell) {
    return (!row_tests_.empty() || keep_keys_ != nullptr) && (!counts(cell) || !kept(cell));
  }
  template <class CellAt>
  bool counts(const CellAt& cell) {
    for (const auto& [column, values] : row_tests_) {
      std::string_view t = trim(cell(column));
      std::size_t bad = 0;
      if (!decoded(t, test_scratch_, bad)) return false;
      if (std::none_of(values->begin(), values->end(),
                       [&](const std::string& v) { return iequals(t, v); })) {
        return false;
      }
    }
    return true;
  }
  // Whether a row's key is one the join keeps. A key that cannot be read is kept, so that its
  // reading reports the problem.
  template <class CellAt>
  bool kept(const CellAt& cell) {
    if (keep_keys_ == nullptr || key_reader_ == nullptr) return true;
    std::string_view t = trim(cell(key_reader_->column));
    if (is_missing(t)) return true;
    Value v = kMissing;
    if (read_cell(*key_reader_, rules_, t, key_scratch_, false, v) != Problem::None) return true;
    return keep_keys_->contains(v);
  }
  // Percentages written as fractions (0.65 for 65%) read as tiny percentages without a word:
  // a column whose every value lies between 0 and 1 is worth a warning.
  void warn_fractions() {
    for (const FieldReader& f : readers_) {
      if (f.spec->kind != ValueKind::Percent) continue;
      const auto& [count, most] = percent_seen_[f.field];
      if (count < 3 || most > decimal::from_integer(1) || most == 0) continue;
      warn(0, f.spec->column,
           fmt::format("every value of {} lies between 0 and 1 ({} values): a percentage is "
                       "written from 0 to 100 (`62` or `62%`), so these look like fractions",
                       quoted(f.spec->name), count));
    }
  }
  // Always inlined into the row loop: since the binder's pieces share this header (external
  // linkage), GCC no longer inlines it on its own, which cost 3% of the instructions of a run.
  [[gnu::always_inline]] bool is_missing(std::string_view t) const {
    if (t.empty()) return true;  // an empty cell is missing whatever the reading rules list
    // Most cells are numbers or words no missing code starts like: one table lookup.
    if (!may_be_missing_[static_cast<unsigned char>(t.front())]) return false;
    Value ignored = kMissing;
    return missing_.find(t, ignored);
  }

  std::string_view file_;
  const RecordSchema& schema_;
  const ReadingRules& rules_;
  BindResult& out_;
  std::size_t dropped_ = 0;
  WordList missing_;                        // the reading rules' missing codes
  std::array<bool, 256> may_be_missing_{};  // by first byte: some missing code starts so
  std::size_t rows_hint_ = 0;
  std::size_t next_row_ = 0;  // the record the next row is bound into, when region_ is null
  Region* region_ = nullptr;  // null: append to out_.data
  const RecordWindow* window_ = nullptr;  // streaming: where the records go
  const char* file_begin_ = nullptr;      // streaming: the file's first byte
  const char* read_to_ = nullptr;         // streaming: the start of the last plain line bound
  bool check_keys_ = true;
  bool check_utf8_ = false;
  std::size_t width_ = 0;                     // header cells
  std::vector<FieldReader> readers_;          // fields whose column is present, in header order
  std::vector<Value> absent_row_;             // a row's starting values: missing_means where absent
  std::vector<std::size_t> absent_defaults_;  // the fields whose starting value is not missing
  std::vector<KeyIndex> keys_;  // per reader: the first row of each value of a key column
  const KeySet* keep_keys_ = nullptr;
  const FieldReader* key_reader_ = nullptr;  // the key field's reader, when keep_keys_ is set
  TextPool key_scratch_;                     // text keys read only to be looked up
  // Row tests by header index; a test whose column is absent was reported in on_header.
  std::vector<std::pair<std::size_t, const std::vector<std::string>*>> row_tests_;
  std::string cell_scratch_, test_scratch_;
  // Per field: how many percentages were read and the largest (for warn_fractions).
  std::vector<std::pair<std::size_t, Value>> percent_seen_;
};

}  // namespace catengine::engine::binder_detail
