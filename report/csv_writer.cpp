// CSV output. Cells are formatted straight into buffers of about a megabyte, on every core, and
// handed on in order: no streams, no per-cell strings. The rows come from a whole run's results,
// or (write_csv_evaluating) are evaluated block by block just before they are formatted.
#include "report/result_writers.hpp"
#include "report/value_format.hpp"
#include "system/ordered_blocks.hpp"
#include "system/parallel.hpp"

#include "base/date.hpp"
#include "base/decimal_write.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <stdexcept>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <range/v3/range/conversion.hpp>
#include <range/v3/view/transform.hpp>

namespace catengine::engine {

namespace {

// Whether a cell must be quoted: it holds a comma, a quote or a line break. Eight bytes at a
// time (a zero byte in x ^ c marks a byte equal to c), the few bytes left one at a time: names
// are most of the text in results, and rarely hold any of the four.
bool needs_quotes(std::string_view cell) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kHighs = 0x8080808080808080ULL;
  const auto zero_byte = [](std::uint64_t x) { return (x - kOnes) & ~x & kHighs; };
  std::size_t i = 0;
  for (; i + 8 <= cell.size(); i += 8) {
    std::uint64_t word;
    std::memcpy(&word, cell.data() + i, 8);
    if (zero_byte(word ^ (kOnes * ',')) | zero_byte(word ^ (kOnes * '"')) |
        zero_byte(word ^ (kOnes * '\r')) | zero_byte(word ^ (kOnes * '\n'))) {
      return true;
    }
  }
  for (; i < cell.size(); ++i) {
    const char c = cell[i];
    if (c == ',' || c == '"' || c == '\r' || c == '\n') return true;
  }
  return false;
}

// A cell a spreadsheet would evaluate (=, +, -, @, or a tab or carriage return first) is
// neutralised with an apostrophe, as OWASP advises for CSV injection.
bool needs_guard(std::string_view cell, bool is_text) {
  return is_text && !cell.empty() &&
         (cell[0] == '=' || cell[0] == '+' || cell[0] == '-' || cell[0] == '@' || cell[0] == '\t' ||
          cell[0] == '\r');
}

}  // namespace

void append_csv_cell(std::string& out, std::string_view cell, bool is_text) {
  const bool guard = needs_guard(cell, is_text);
  const bool quote = needs_quotes(cell);
  if (!quote && !guard) {
    out += cell;
    return;
  }
  if (quote) out += '"';
  if (guard) out += '\'';
  if (!quote) {
    out += cell;
    return;
  }
  for (char c : cell) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

void append_csv_row(std::string& out, const std::vector<std::string>& cells) {
  const auto quoted = cells | ranges::views::transform([](const std::string& cell) {
                        std::string text;
                        append_csv_cell(text, cell, true);
                        return text;
                      });
  fmt::format_to(std::back_inserter(out), "{}\n", fmt::join(quoted, ","));
}

// Named rather than anonymous, and private to this file: CsvWindowWriter (a class of the
// interface) keeps a formatter and a buffer from here between its calls.
namespace csv_rows {

// How one output column is written, worked out once per block of rows from the one formatter
// (ValueFormatter), so a cell is a table lookup or a few digits rather than a switch on its
// type and a string built and escaped.
inline constexpr std::size_t kShortWord = 16;

struct ColumnPlan {
  enum class How : std::uint8_t { Words, Text, Decimal, Date, Other };
  How how = How::Other;
  const lang::Type* type = nullptr;
  // Words: the finished CSV cell of each value (a boolean's no and yes; an enumeration's keys).
  std::vector<std::string> words;
  bool boolean = false;  // Words of a boolean: any value but 0 is yes
  // Words of at most kShortWord bytes, each padded to kShortWord: copied as one fixed-size move
  // rather than a call to memcpy (the row's room has kShortWord bytes to spare).
  std::vector<std::array<char, kShortWord>> short_words;
  // The most bytes a cell of the column takes, when that is known ahead (not for text).
  std::size_t widest = 0;
};

std::vector<ColumnPlan> plan_columns(const CompiledPolicy& compiled, const ValueFormatter& format) {
  std::vector<ColumnPlan> plans;
  for (const auto& column : compiled.policy.outputs) {
    ColumnPlan plan;
    plan.type = &column.type;
    switch (column.type.base) {
      case lang::BaseType::Boolean:
        plan.how = ColumnPlan::How::Words;
        plan.boolean = true;
        plan.words = {format.format(0, column.type), format.format(1, column.type)};
        break;
      case lang::BaseType::Enum: {
        plan.how = ColumnPlan::How::Words;
        const std::size_t n = compiled.policy.enums.at(column.type.enum_id).members.size();
        for (std::size_t i = 0; i < n; ++i) {
          plan.words.emplace_back();
          append_csv_cell(plan.words.back(), format.format(static_cast<Value>(i), column.type),
                          true);
        }
        break;
      }
      case lang::BaseType::Text:
        plan.how = ColumnPlan::How::Text;
        break;
      case lang::BaseType::Integer:
      case lang::BaseType::Number:
      case lang::BaseType::Percent:
        plan.how = ColumnPlan::How::Decimal;
        plan.widest = decimal::kMaxText;
        break;
      case lang::BaseType::Date:
        plan.how = ColumnPlan::How::Date;
        break;
      default:
        break;
    }
    for (const auto& word : plan.words) plan.widest = std::max(plan.widest, word.size());
    if (plan.widest <= kShortWord) {
      for (const auto& word : plan.words) {
        plan.short_words.emplace_back();
        std::copy(word.begin(), word.end(), plan.short_words.back().begin());
      }
    }
    plans.push_back(std::move(plan));
  }
  return plans;
}

// A block's text, written through a plain pointer: room for a whole row's fixed-width cells is
// made once per row, rather than a capacity check (and a call) per cell and comma. The bytes
// are not cleared when the buffer grows (std::string's resize would): each is written before
// it is read, and a block of a megabyte is reused for every round of rows.
class TextBuffer {
 public:
  // Makes room for `n` more bytes and returns where they go; advance() says how many were used.
  char* room(std::size_t n) {
    if (capacity_ - size_ < n) grow(n);
    return bytes_.get() + size_;
  }
  void advance(char* end) { size_ = static_cast<std::size_t>(end - bytes_.get()); }
  void append(std::string_view text) {
    char* p = room(text.size());
    if (!text.empty()) std::memcpy(p, text.data(), text.size());  // an empty view may be null
    advance(p + text.size());
  }
  void clear() { size_ = 0; }
  std::string_view view() const { return {bytes_.get(), size_}; }

 private:
  void grow(std::size_t n) {
    const std::size_t capacity = std::max(2 * capacity_, size_ + n + 4096);
    auto bytes = std::make_unique_for_overwrite<char[]>(capacity);
    if (size_) std::memcpy(bytes.get(), bytes_.get(), size_);
    bytes_ = std::move(bytes);
    capacity_ = capacity;
  }

  std::unique_ptr<char[]> bytes_;
  std::size_t size_ = 0, capacity_ = 0;
};

// The text of recently written dates: results hold few distinct dates (deadlines, visit dates),
// so most are copied from here rather than worked out from the day number again.
class DateTexts {
 public:
  static constexpr std::size_t kWidth = 10;  // YYYY-MM-DD

  DateTexts() { days_.fill(kMissing); }
  // Writes the date at `p` (room for kWidth bytes) and returns its end; nullptr for a year
  // outside 1-9999, which does not fit and is never kept (the caller appends it whole).
  char* write(char* p, Value day) {
    const std::size_t i = static_cast<std::size_t>(day) % kSize;
    if (days_[i] != day) {
      std::string text;
      append_iso(text, day);
      if (text.size() != kWidth) return nullptr;
      days_[i] = day;
      std::copy(text.begin(), text.end(), texts_[i].begin());
    }
    std::memcpy(p, texts_[i].data(), kWidth);
    return p + kWidth;
  }

 private:
  static constexpr std::size_t kSize = 1024;
  std::array<Value, kSize> days_;
  std::array<std::array<char, kWidth>, kSize> texts_{};
};

// Rows of results as CSV lines: the column plans, worked out once, and the caches formatting
// reuses from row to row. One per helper thread: it is not shared.
class RowFormatter {
 public:
  RowFormatter(const CompiledPolicy& compiled, const TextPool& text)
      : text_(text), format_(compiled.policy, text), plans_(plan_columns(compiled, format_)) {
    // The fixed-width part of a row: every cell but text (and academic years, written through
    // a string), its comma and the line feed.
    for (const ColumnPlan& plan : plans_) row_room_ += 1 + std::max(plan.widest, DateTexts::kWidth);
  }

  // `count` rows of values (one value for each output column, row after row) as CSV lines,
  // appended to `out`.
  void format(const Value* values, std::size_t count, TextBuffer& out);

 private:
  const TextPool& text_;
  const ValueFormatter format_;
  const std::vector<ColumnPlan> plans_;
  std::size_t row_room_ = 1 + kShortWord;
  DateTexts dates_;
  std::string scratch_;
};

void RowFormatter::format(const Value* values, std::size_t count, TextBuffer& out) {
  const std::size_t columns = plans_.size();
  const std::size_t row_room = row_room_;
  for (std::size_t r = 0; r < count; ++r) {
    const Value* row = values + r * columns;
    char* p = out.room(row_room);
    for (std::size_t c = 0; c < columns; ++c) {
      if (c) *p++ = ',';
      const Value v = row[c];
      if (v == kMissing) continue;
      const ColumnPlan& plan = plans_[c];
      switch (plan.how) {
        case ColumnPlan::How::Words: {
          std::size_t i = plan.words.size();  // none: an enumeration value out of range
          if (plan.boolean) {
            i = v != 0;
          } else if (v >= 0 && static_cast<std::size_t>(v) < plan.words.size()) {
            i = static_cast<std::size_t>(v);
          }
          if (i == plan.words.size()) break;
          const std::size_t size = plan.words[i].size();
          if (!plan.short_words.empty()) {
            std::memcpy(p, plan.short_words[i].data(), kShortWord);
          } else if (size != 0) {
            std::memcpy(p, plan.words[i].data(), size);
          }
          p += size;
          break;
        }
        case ColumnPlan::How::Decimal:
          p = decimal::write(p, v);  // never holds a comma, quote or line break
          break;
        case ColumnPlan::How::Date:
          if (char* after = dates_.write(p, v)) {
            p = after;
          } else {
            scratch_.clear();
            append_iso(scratch_, v);
            out.advance(p);
            out.append(scratch_);
            p = out.room(row_room);
          }
          break;
        case ColumnPlan::How::Text: {
          const std::string_view text = text_.text(v);
          if (!needs_guard(text, true) && !needs_quotes(text)) {  // most text: copied as it is
            out.advance(p);
            p = out.room(text.size() + row_room);
            if (!text.empty()) std::memcpy(p, text.data(), text.size());  // may be null if empty
            p += text.size();
            break;
          }
          [[fallthrough]];
        }
        case ColumnPlan::How::Other:
          // Text of any length (escaped), and academic years (digits and a slash): through a
          // string, then room for the rest of the row again.
          scratch_.clear();
          if (plan.how == ColumnPlan::How::Text) {
            append_csv_cell(scratch_, text_.text(v), true);
          } else {
            format_.append(scratch_, v, *plan.type);
          }
          out.advance(p);
          out.append(scratch_);
          p = out.room(row_room);
          break;
      }
    }
    *p++ = '\n';
    out.advance(p);
  }
}

// Blocks of rows (about 280 KB of text each for Peterborough's 23 columns) are formatted side by
// side on the machine's cores and handed on in row order, so the bytes are the same whatever the
// number of cores, and a national results file is never held whole in memory next to the data
// it came from.
// The sink (hashing and writing the results) runs on the calling thread while the helpers
// format the blocks after (system/ordered_blocks.hpp). Blocks of 2,048 rows rather than 8,192:
// the ring's buffers are fresh pages the kernel clears on first touch, and at 24,000 records
// that took 4,404 page faults against 3,299 (wall 36.0 -> 32.6 ms, hyperfine); 1,024 gained no
// more.
constexpr std::size_t kRowsPerBlock = 2048;

std::size_t block_count(std::size_t rows) {
  return (rows + kRowsPerBlock - 1) / kRowsPerBlock;
}

unsigned helper_count(std::size_t blocks, unsigned threads) {
  return static_cast<unsigned>(
      std::clamp<std::size_t>(blocks, 1, std::min(thread_count(threads), 8u)));
}

bool write_header(const CompiledPolicy& compiled, const ChunkSink& sink) {
  std::string header;
  append_csv_row(header, compiled.policy.outputs |
                             ranges::views::transform(&lang::OutputColumnInfo::name) |
                             ranges::to<std::vector<std::string>>());
  return sink(header);
}

// What each helper thread keeps from block to block, made on first use by the helper itself.
// make_blocks_in_order gives block b to helper b % helpers, and a helper its blocks in order,
// so slot b % helpers is only ever touched by one thread.
template <class State>
class PerHelper {
 public:
  explicit PerHelper(unsigned helpers) : states_(helpers) {}
  template <class... Args>
  State& of_block(std::size_t b, Args&&... args) {
    auto& state = states_[b % states_.size()];
    if (!state) state = std::make_unique<State>(std::forward<Args>(args)...);
    return *state;
  }

 private:
  std::vector<std::unique_ptr<State>> states_;
};

// Evaluating and formatting records, as one thread does it: a few batches at a time into its
// own small buffer, each piece formatted at once while its values are still in the cache.
struct EvaluatingFormatter {
  static constexpr std::size_t kRowsPerPiece = 512;
  EvaluatingFormatter(const BlockEvaluator& evaluator, const CompiledPolicy& compiled,
                      const TextPool& text)
      : worker(evaluator.worker()),
        rows(compiled, text),
        values(kRowsPerPiece * evaluator.columns()) {}

  // Records [begin, end) into `out`; their errors onto `errors`. Once a record has failed (or
  // `stopped` was already set) nothing more is formatted, but every record is still evaluated.
  void run(const BlockEvaluator& evaluator, std::size_t begin, std::size_t end,
           std::vector<EvaluationError>& errors, std::atomic<bool>& stopped, TextBuffer& out) {
    for (std::size_t first = begin; first < end; first += kRowsPerPiece) {
      const std::size_t n = std::min(kRowsPerPiece, end - first);
      evaluator.evaluate(worker, first, first + n, values.data(), errors);
      if (!errors.empty()) stopped = true;
      if (!stopped) rows.format(values.data(), n, out);
    }
  }

  BlockEvaluator::Worker worker;
  RowFormatter rows;
  std::vector<Value> values;
};

}  // namespace csv_rows

using namespace csv_rows;

bool write_csv(const CompiledPolicy& compiled, const DataSet& data, const Results& results,
               const ChunkSink& sink, unsigned threads) {
  if (!write_header(compiled, sink)) return false;
  const std::size_t rows = data.size();
  const std::size_t count = block_count(rows);
  const unsigned helpers = helper_count(count, threads);
  PerHelper<RowFormatter> formatters(helpers);
  return make_blocks_in_order<TextBuffer>(
      count, helpers,
      [&](std::size_t b, TextBuffer& block) {
        block.clear();
        const std::size_t begin = b * kRowsPerBlock;
        formatters.of_block(b, compiled, data.text)
            .format(results.row(begin), std::min(rows, begin + kRowsPerBlock) - begin, block);
      },
      [&](std::size_t, const TextBuffer& block) { return sink(block.view()); });
}

StreamedCsv write_csv_evaluating(const CompiledPolicy& compiled, DataSet& data, Value as_of,
                                 const ChunkSink& sink, unsigned threads) {
  const BlockEvaluator evaluator(compiled.program, data, as_of);
  StreamedCsv out;
  out.written = write_header(compiled, sink);
  const std::size_t records = evaluator.records();
  const std::size_t count = block_count(records);
  const unsigned helpers = helper_count(count, threads);
  PerHelper<EvaluatingFormatter> state(helpers);
  std::vector<std::vector<EvaluationError>> errors(count);  // each block's
  // Once a record has failed or the sink has, nothing more is formatted or written; every
  // record is still evaluated, so that every error is known.
  std::atomic<bool> stopped = !out.written;
  make_blocks_in_order<TextBuffer>(
      count, helpers,
      [&](std::size_t b, TextBuffer& block) {
        block.clear();
        state.of_block(b, evaluator, compiled, data.text)
            .run(evaluator, b * kRowsPerBlock, std::min(records, (b + 1) * kRowsPerBlock),
                 errors[b], stopped, block);
      },
      [&](std::size_t, const TextBuffer& block) {
        if (!stopped && !sink(block.view())) {
          out.written = false;
          stopped = true;
        }
        return true;
      });
  for (auto& e : errors) out.errors.insert(out.errors.end(), e.begin(), e.end());
  return out;
}

struct CsvWindowWriter::State {
  State(const CompiledPolicy& c, Value a, ChunkSink s)
      : compiled(c), as_of(a), sink(std::move(s)) {}
  const CompiledPolicy& compiled;
  const Value as_of;
  const ChunkSink sink;
  // Made at the first window, on the binder's table, which every later window reuses.
  DataSet* records = nullptr;
  std::optional<BlockEvaluator> evaluator;
  std::optional<EvaluatingFormatter> formatter;
  TextBuffer block;
  StreamedCsv out;
  std::atomic<bool> stopped = false;
};

CsvWindowWriter::CsvWindowWriter(const CompiledPolicy& compiled, Value as_of, ChunkSink sink)
    : state_(std::make_unique<State>(compiled, as_of, std::move(sink))) {
  state_->out.written = write_header(compiled, state_->sink);
  state_->stopped = !state_->out.written;
}

CsvWindowWriter::~CsvWindowWriter() = default;

void CsvWindowWriter::add(DataSet& records, std::size_t first, std::size_t count) {
  State& s = *state_;
  if (s.records == nullptr) {
    s.records = &records;
    s.evaluator.emplace(s.compiled.program, records, s.as_of);
    s.formatter.emplace(*s.evaluator, s.compiled, records.text);
  } else if (s.records != &records) {
    throw std::logic_error("CsvWindowWriter: every window must come from the same table");
  }
  s.block.clear();
  s.formatter->run(*s.evaluator, first, first + count, s.out.errors, s.stopped, s.block);
  if (!s.stopped && !s.sink(s.block.view())) {
    s.out.written = false;
    s.stopped = true;
  }
}

StreamedCsv CsvWindowWriter::finish() {
  return std::move(state_->out);
}

std::string write_csv(const CompiledPolicy& compiled, const DataSet& data, const Results& results) {
  std::string whole;
  write_csv(compiled, data, results, [&](std::string_view piece) {
    whole += piece;
    return true;
  });
  return whole;
}

}  // namespace catengine::engine
