// Binding CSV cells to a RecordSchema. Columns are resolved once from the header; each cell is
// then read as the CSV reader delivers its line, without copying. A cell that cannot be read
// yields a Problem, and a message is only built for it while there is still room in the error
// list, so a file where every cell is wrong stays cheap to reject.
//
// This file holds the header discipline (which columns are read, which are missing, duplicated
// or misnamed) and the row loop. The cell readers and the Binder class are in binder_impl.hpp,
// the messages in binder_messages.cpp, and reading a whole file (in pieces when it is large) in
// bind_records.cpp.
#include "data/binder.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/english.hpp"
#include "base/text.hpp"
#include "base/utf8.hpp"
#include "data/binder_impl.hpp"
#include "lang/diagnostics/diagnostic.hpp"

namespace catengine::engine {
namespace binder_detail {
namespace {

// Four bytes for a field whose values fit them: a whole number as itself, a percentage or a
// bounded decimal within ±2147 scaled. A value that does not fit widens its column (DataSet::set).
DataSet::Width width_of(const FieldSpec& f) {
  using W = DataSet::Width;
  if (!f.previous_of.empty()) return W::Wide;  // filled from a saved run
  const auto fits = [&](Value scale) {
    for (const Value v : {f.low, f.high, f.missing_means}) {
      if (v == kMissing) continue;
      if (v % scale != 0) return false;
      const Value n = v / scale;
      if (n <= std::numeric_limits<std::int32_t>::min() ||
          n > std::numeric_limits<std::int32_t>::max())
        return false;
    }
    return true;
  };
  switch (f.kind) {
    case ValueKind::Integer:
      return fits(decimal::kScale) ? W::Whole : W::Wide;
    case ValueKind::Number:  // without bounds it may be money: eight bytes from the start
      return f.low != kMissing && f.high != kMissing && fits(1) ? W::Narrow : W::Wide;
    case ValueKind::Percent:  // 0 to 100
      return fits(1) ? W::Narrow : W::Wide;
    case ValueKind::Boolean:
    case ValueKind::Text:
    case ValueKind::Date:
    case ValueKind::Enumeration:
    case ValueKind::AcademicYear:
      return fits(1) ? W::Narrow : W::Wide;
  }
  return W::Wide;
}

}  // namespace
}  // namespace binder_detail

std::vector<DataSet::Width> column_widths(const RecordSchema& schema) {
  std::vector<DataSet::Width> widths;
  for (const FieldSpec& f : schema.fields) widths.push_back(binder_detail::width_of(f));
  return widths;
}

namespace binder_detail {

void Binder::on_header(std::uint32_t row, std::span<const std::string_view> cells) {
  std::vector<std::string_view> header;
  header.reserve(cells.size());
  // One scratch string a cell, sized first so the views into them stay valid; a header cell
  // with a byte the encoding lacks is kept as written (it then matches no field).
  std::vector<std::string> decoded_header(cells.size());
  for (std::size_t c = 0; c < cells.size(); ++c) {
    std::string_view h = trim(cells[c]);
    std::size_t bad = 0;
    decoded(h, decoded_header[c], bad);
    header.push_back(h);
  }
  width_ = header.size();
  percent_seen_.assign(schema_.fields.size(), {0, 0});
  if (check_utf8_) {
    for (std::size_t c = 0; c < header.size(); ++c) {
      if (lang::is_valid_utf8(header[c]) || !wants_error()) continue;
      push(row, "-",
           "expected text in UTF-8 in the header (column " + column_letters(c) + "), found " +
               quoted(header[c]));
    }
  }

  const std::size_t nf = schema_.fields.size();
  absent_row_.assign(nf, kMissing);
  std::vector<std::string_view> missing_required;
  std::vector<const FieldSpec*> absent_optional;
  std::vector<std::string_view> duplicated;
  absent_defaults_.clear();
  for (std::size_t fi = 0; fi < nf; ++fi) {
    const FieldSpec& spec = schema_.fields[fi];
    if (!spec.previous_of.empty()) continue;  // filled from history, not from the file
    std::vector<std::size_t> found;
    for (std::size_t c = 0; c < header.size(); ++c) {
      if (header[c] == spec.column) found.push_back(c);
    }
    if (found.empty()) {
      if (!spec.required) {
        absent_row_[fi] = spec.missing_means;
        if (spec.missing_means != kMissing) absent_defaults_.push_back(fi);
        absent_optional.push_back(&spec);
      } else if (std::find(missing_required.begin(), missing_required.end(), spec.column) ==
                 missing_required.end()) {
        missing_required.push_back(spec.column);
      }
      continue;
    }
    if (found.size() > 1 &&
        std::find(duplicated.begin(), duplicated.end(), spec.column) == duplicated.end()) {
      duplicated.push_back(spec.column);
    }
    // Carry on with the first, to report the rest of the file.
    FieldReader r = plan_field(spec, fi, found.front(), rules_);
    // Words, dates, academic years and text ids always fit four bytes, so a column that starts
    // Narrow (column_widths) is never widened and its values are stored without the checks.
    // So do numbers whose bounds fit them (a percentage's 0 to 100).
    const DataSet::Width width = out_.data.width(fi);
    const bool bounded = r.low != kMissing && r.high != kMissing &&
                         r.low > std::numeric_limits<std::int32_t>::min() &&
                         r.high <= std::numeric_limits<std::int32_t>::max();
    r.narrow = width == DataSet::Width::Narrow && (r.reading != Reading::Decimal || bounded);
    r.wide = width == DataSet::Width::Wide;
    readers_.push_back(std::move(r));
  }
  // Reading cells left to right keeps each row's errors in the order a reader scans them.
  std::stable_sort(readers_.begin(), readers_.end(),
                   [](const FieldReader& a, const FieldReader& b) { return a.column < b.column; });
  keys_.resize(readers_.size());
  for (std::size_t i = 0; i < readers_.size(); ++i) {
    readers_[i].check_key = readers_[i].spec->key && check_keys_;
    readers_[i].watched = readers_[i].check_key || readers_[i].percent;
    if (readers_[i].check_key) keys_[i].configure(readers_[i], rows_hint_);
    readers_[i].action = plan_action(readers_[i], schema_.encoding == TextEncoding::Utf8,
                                     missing_.any_padded(), keys_[i].direct());
    readers_[i].on_missing = plan_missing(readers_[i]);
  }

  if (keep_keys_ != nullptr) {
    for (const FieldReader& r : readers_) {
      if (r.spec->key) key_reader_ = &r;
    }
  }
  // Headers no field reads, for "did you mean" (a renamed column is the usual reason a
  // declared one is absent).
  std::vector<std::string> unread;
  for (std::size_t c = 0; c < header.size(); ++c) {
    if (std::none_of(readers_.begin(), readers_.end(),
                     [&](const FieldReader& r) { return r.column == c; })) {
      unread.emplace_back(header[c]);
    }
  }
  const auto near = [&](std::string_view column) -> std::string {
    const std::string close = lang::closest_match(column, unread);
    if (close.empty()) return "";
    const auto at = std::find(header.begin(), header.end(), close) - header.begin();
    return "; did you mean " + quoted(close) + " (column " +
           column_letters(static_cast<std::size_t>(at)) + ")?";
  };

  if (!missing_required.empty() && wants_error()) {
    std::string hints;
    for (std::string_view c : missing_required) hints += near(c);
    push(row, "-",
         (missing_required.size() == 1
              ? "required column " + quoted(missing_required[0]) + " is missing from the header"
              : "required columns " + list_in_words(quoted_each(missing_required), "and") +
                    " are missing from the header") +
             hints);
  }
  for (const FieldSpec* spec : absent_optional) {
    out_.absent_fields.push_back(static_cast<std::uint32_t>(spec - schema_.fields.data()));
    if (spec->absent_previous >= 0) {
      warn(row, "-",
           "optional column " + quoted(spec->column) + " is not in the header, so " +
               quoted(spec->name) + " is the previous saved run's `" +
               schema_.fields[static_cast<std::size_t>(spec->absent_previous)].previous_of +
               "` (missing without `--history`)");
    } else if (spec->may_be_absent || schema_.optional_columns_may_be_absent) {
      if (spec->silent_when_absent) continue;
      warn(row, "-",
           "optional column " + quoted(spec->column) + " is not in the header, so " +
               quoted(spec->name) + " is " +
               (spec->missing_means == kMissing ? std::string("missing")
                                                : std::string("its default")) +
               " for every record" + near(spec->column));
    } else if (wants_error()) {
      push(row, "-",
           "optional column " + quoted(spec->column) +
               " is missing from the header (an optional column's cells may be empty, but the "
               "column must be there, or the policy must say `may be absent`)" +
               near(spec->column));
    }
  }
  for (const RowTest& t : schema_.row_tests) {
    const auto at = std::find(header.begin(), header.end(), t.column);
    if (at == header.end()) {
      if (wants_error()) {
        push(row, "-",
             "column " + quoted(t.column) +
                 ", which says which rows count (`rows count when`), is missing from the "
                 "header" +
                 near(t.column));
      }
      row_tests_.clear();
      width_ = static_cast<std::size_t>(-1);  // no row can be read without its test
      break;
    }
    row_tests_.push_back({static_cast<std::size_t>(at - header.begin()), &t.values});
  }
  for (std::string_view name : duplicated) {
    if (!wants_error()) continue;
    std::vector<std::string> letters;
    for (std::size_t c = 0; c < header.size(); ++c) {
      if (header[c] == name) letters.push_back(column_letters(c));
    }
    const std::string where = list_in_words(letters, "and");
    push(
        row, name,
        "column " + quoted(name) + " appears more than once in the header (columns " + where + ")");
  }
}

namespace {

// A row's cells by header index, for bind_row: a list of views (on_row) ...
struct ViewCells {
  std::span<const std::string_view> cells;
  [[gnu::always_inline]] std::string_view of(const FieldReader& f) const { return cells[f.column]; }
};

// ... or a plain line's cells, found by their starts (on_plain_row).
struct PlainCells {
  const PlainLine& line;
  [[gnu::always_inline]] std::string_view of(const FieldReader& f) const {
    return line.cell(f.column);
  }
};

}  // namespace

template <class Cells>
[[gnu::always_inline]] inline void Binder::bind_row(std::uint32_t row, Cells& cells,
                                                    bool check_utf8) {
  DataSet& data = out_.data;
  DataSet* table = &data;
  std::size_t at = 0;
  if (region_ != nullptr) {
    if (region_->count == region_->capacity) {
      region_->overflow = true;
      return;
    }
    table = region_->table;
    at = region_->first + region_->count++;
  } else {
    // Rows were made ahead (reserve_rows): a record is added (or, streaming, the records
    // handed over) only past them.
    at = next_row_++;
    if (at == data.size()) [[unlikely]]
      at = record_after_table();
  }
  // A record starts missing: only the defaults of absent columns are written.
  for (const std::size_t f : absent_defaults_) store(*table, at, f, absent_row_[f]);
  table->source_row[at] = row;
  const bool utf8 = schema_.encoding == TextEncoding::Utf8;
  // By pointer: readers_.size() would be a division by the reader's size on every cell.
  const FieldReader* const readers_end = readers_.data() + readers_.size();
  for (const FieldReader* r = readers_.data(); r != readers_end; ++r) {
    const FieldReader& f = *r;
    std::string_view t = cells.of(f);
    if (t.empty()) {  // missing whatever the reading rules list: a third of a file's cells
      if (f.on_missing != OnMissing::Nothing) missing_cell(row, f, t, *table, at);
      continue;
    }
    Value v;  // set by each reading that succeeds (a stack slot: it is passed by reference)
    // One switch on the planned action; `break` leaves it with a missing cell. The cell is not
    // trimmed first: each fast path below takes only text with no space or tab at either end
    // (and no missing code or word has one: plan_action), so whatever it takes is the trimmed
    // cell. Anything it leaves goes, trimmed, to the general reading (bind_general), which
    // gives the values, problems and messages of a trimmed cell, as every cell once had.
    // Masked: the eight actions are the eight cases, so the jump needs no range check.
    switch (static_cast<CellAction>(static_cast<unsigned>(f.action) & 7U)) {
      case CellAction::Words:
        // Missing codes and words in one look-up.
        if (!f.cell_words.find(t, v)) [[unlikely]] {
          bind_general(row, f, trim_cell(t), *table, at, check_utf8, utf8);
          continue;
        }
        if (v == kMissing) break;
        table->set_narrow(at, f.field, static_cast<std::int32_t>(v));
        continue;
      case CellAction::Number:
      case CellAction::WideNumber:
        if (is_missing(t)) break;
        if (!plain_decimal(f, t, v)) [[unlikely]] {
          bind_general(row, f, trim_cell(t), *table, at, check_utf8, utf8);
          continue;
        }
        if (v < f.low || v > f.at_most) [[unlikely]] {  // kMissing is the least
          report_problem(row, f, t, Problem::OutOfRange);
          continue;
        }
        if (f.action == CellAction::WideNumber) {
          table->set_wide(at, f.field, v);
          continue;
        }
        table->set_narrow(at, f.field, static_cast<std::int32_t>(v));
        if (f.percent) {
          auto& [count, most] = percent_seen_[f.field];
          ++count;
          most = std::max(most, v);
        }
        continue;
      case CellAction::Date:
        if (is_missing(t)) break;
        if (!plain_date(f, t, v)) [[unlikely]] {
          bind_general(row, f, trim_cell(t), *table, at, check_utf8, utf8);
          continue;
        }
        table->set_narrow(at, f.field, static_cast<std::int32_t>(v));
        continue;
      case CellAction::Text:  // kept as written, so trimmed first
        t = trim_cell(t);
        if (is_missing(t)) break;
        if (check_utf8 && !lang::is_valid_utf8(t)) [[unlikely]] {
          report_problem(row, f, t, Problem::NotUtf8);
          continue;
        }
        table->set_narrow(at, f.field, static_cast<std::int32_t>(data.text.intern(t)));
        continue;
      case CellAction::AcademicYear:
        if (is_missing(t)) break;
        if (read_academic_year(t, v) != Problem::None) [[unlikely]] {
          bind_general(row, f, trim_cell(t), *table, at, check_utf8, utf8);
          continue;
        }
        table->set_narrow(at, f.field, static_cast<std::int32_t>(v));
        continue;
      case CellAction::Key:
        if (is_missing(t)) break;
        // Anything but a whole number within the bounds is the general reading's to explain.
        if (!plain_decimal(f, t, v) || v % decimal::kScale != 0 || v < f.low || v > f.at_most)
            [[unlikely]] {
          bind_general(row, f, trim_cell(t), *table, at, check_utf8, utf8);
          continue;
        }
        store(*table, at, f.field, v);
        if (const std::uint32_t first =
                keys_[static_cast<std::size_t>(r - readers_.data())].first_or_add_direct(v, row);
            first != 0) [[unlikely]] {
          report_duplicate(row, *f.spec, t, first);
        }
        continue;
      case CellAction::General:
        bind_general(row, f, trim_cell(t), *table, at, check_utf8, utf8);
        continue;
    }
    if (f.on_missing != OnMissing::Nothing) missing_cell(row, f, t, *table, at);
  }
}

// A missing cell whose field has something to write: a default into its four-byte column
// here; anything else (another width, or an error for a required field) out of line, to keep
// the row loop small enough for GCC to inline the readers into it.
[[gnu::always_inline]] inline void Binder::missing_cell(std::uint32_t row, const FieldReader& f,
                                                        std::string_view t, DataSet& table,
                                                        std::size_t at) {
  if (f.on_missing == OnMissing::Narrow) {
    table.set_narrow(at, f.field, static_cast<std::int32_t>(f.missing_means));
  } else {
    bind_missing(row, f, t, table, at);
  }
}

// A missing cell: the record starts missing, so only a default is written.
[[gnu::noinline]] void Binder::bind_missing(std::uint32_t row, const FieldReader& f,
                                            std::string_view t, DataSet& table, std::size_t at) {
  switch (f.on_missing) {
    case OnMissing::Nothing:
      return;
    case OnMissing::Narrow:
      table.set_narrow(at, f.field, static_cast<std::int32_t>(f.missing_means));
      return;
    case OnMissing::Wide:
      table.set_wide(at, f.field, f.missing_means);
      return;
    case OnMissing::Store:
      store(table, at, f.field, f.missing_means);
      return;
    case OnMissing::Required:
      report_required(row, *f.spec, t);
      return;
  }
}

// Any field's cell by its reading, stored by its column's width: the row loop's General action.
[[gnu::noinline]] void Binder::bind_general(std::uint32_t row, const FieldReader& f,
                                            std::string_view t, DataSet& table, std::size_t at,
                                            bool check_utf8, bool utf8) {
  const FieldSpec& spec = *f.spec;
  if (std::size_t bad = 0; !utf8 && !decoded(t, cell_scratch_, bad)) {
    report_undecodable(row, spec, t, bad);
    return;
  }
  Value v = kMissing;
  Problem p = Problem::None;
  if (t.empty()) {
    // Missing whatever the reading rules list.
  } else if (f.reading == Reading::Words) {
    // Missing codes and words in one look-up; anything else is not one of the words.
    if (!f.cell_words.find(t, v)) p = f.word_problem;
  } else if (!is_missing(t)) {
    p = read_cell(f, rules_, t, out_.data.text, check_utf8, v);
  }
  if (p != Problem::None) [[unlikely]] {
    report_problem(row, f, t, p);
    return;
  }
  if (v == kMissing) {
    if (!spec.required) {
      // The record starts missing: only a default is written (a third of a file's cells).
      if (spec.missing_means != kMissing) store(table, at, f.field, spec.missing_means);
    } else {
      report_required(row, spec, t);
    }
    return;
  }
  if (f.narrow) {
    table.set_narrow(at, f.field, static_cast<std::int32_t>(v));
  } else if (f.wide) {
    table.set_wide(at, f.field, v);
  } else {
    store(table, at, f.field, v);
  }
  if (!f.watched) return;
  if (f.percent) {
    auto& [count, most] = percent_seen_[f.field];
    ++count;
    most = std::max(most, v);
  }
  if (f.check_key) [[unlikely]] {
    const std::uint32_t first =
        keys_[static_cast<std::size_t>(&f - readers_.data())].first_or_add(v, row);
    if (first != 0) report_duplicate(row, spec, t, first);
  }
}

void Binder::on_row(std::uint32_t row, std::span<const std::string_view> cells) {
  if (width_ == static_cast<std::size_t>(-1)) return;  // the header is unusable (reported)
  if (cells.size() == width_ && left_out([&](std::size_t i) { return cells[i]; })) return;
  if (cells.size() != width_) {
    if (wants_error()) {
      push(row, "-",
           "found " + std::to_string(cells.size()) + " cell" + (cells.size() == 1 ? "" : "s") +
               ", expected " + std::to_string(width_) + " (one per header column)");
    }
    return;
  }
  ViewCells views{cells};
  bind_row(row, views, check_utf8_);
}

bool Binder::on_plain_row(std::uint32_t row, const PlainLine& line) {
  // Rows with the wrong number of cells take on_row, which reports them.
  if (line.cells != width_) return false;
  read_to_ = line.begin;  // every byte before it is read (lines with quotes do not move it)
  if (left_out([&](std::size_t i) { return line.cell(i); })) return true;
  // A line of ASCII is UTF-8; only a line with a byte beyond it is checked, and only when that
  // line is not UTF-8 are its text cells checked one by one.
  const bool check = check_utf8_ && !line.ascii &&
                     !lang::is_valid_utf8(std::string_view(
                         line.begin, static_cast<std::size_t>(line.end - line.begin)));
  PlainCells cells{line};
  bind_row(row, cells, check);
  return true;
}

}  // namespace binder_detail
}  // namespace catengine::engine
