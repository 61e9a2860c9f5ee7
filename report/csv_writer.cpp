// CSV output. Cells are formatted straight into buffers of about a megabyte, on every core, and
// handed on in order: no streams, no per-cell strings.
#include "report/result_writers.hpp"
#include "report/value_format.hpp"
#include "system/parallel.hpp"

#include "base/date.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <range/v3/range/conversion.hpp>
#include <range/v3/view/transform.hpp>

namespace catengine::engine {

namespace {

// Whether a cell must be quoted: it holds a comma, a quote or a line break. A loop of four
// comparisons a byte rather than find_first_of, which calls memchr once per character sought.
bool needs_quotes(std::string_view cell) {
  for (char c : cell) {
    if (c == ',' || c == '"' || c == '\r' || c == '\n') return true;
  }
  return false;
}

}  // namespace

void append_csv_cell(std::string& out, std::string_view cell, bool is_text) {
  // A cell a spreadsheet would evaluate (=, +, -, @, or a tab or carriage return first) is
  // neutralised with an apostrophe, as OWASP advises for CSV injection.
  const bool guard = is_text && !cell.empty() &&
                     (cell[0] == '=' || cell[0] == '+' || cell[0] == '-' || cell[0] == '@' ||
                      cell[0] == '\t' || cell[0] == '\r');
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

namespace {

// How one output column is written, worked out once per block of rows from the one formatter
// (ValueFormatter), so a cell is a table lookup or a few digits rather than a switch on its
// type and a string built and escaped.
struct ColumnPlan {
  enum class How : std::uint8_t { Words, Text, Decimal, Date, Other };
  How how = How::Other;
  const lang::Type* type = nullptr;
  // Words: the finished CSV cell of each value (a boolean's no and yes; an enumeration's keys).
  std::vector<std::string> words;
  bool boolean = false;  // Words of a boolean: any value but 0 is yes
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
        break;
      case lang::BaseType::Date:
        plan.how = ColumnPlan::How::Date;
        break;
      default:
        break;
    }
    plans.push_back(std::move(plan));
  }
  return plans;
}

// The text of recently written dates: results hold few distinct dates (deadlines, visit dates),
// so most are copied from here rather than worked out from the day number again.
class DateTexts {
 public:
  DateTexts() { days_.fill(kMissing); }
  void append(std::string& out, Value day) {
    const std::size_t i = static_cast<std::size_t>(day) % kSize;
    if (days_[i] != day) {
      std::string text;
      append_iso(text, day);
      if (text.size() != kWidth) {  // a year outside 1-9999: not kept
        out += text;
        return;
      }
      days_[i] = day;
      std::copy(text.begin(), text.end(), texts_[i].begin());
    }
    out.append(texts_[i].data(), kWidth);
  }

 private:
  static constexpr std::size_t kSize = 1024, kWidth = 10;  // YYYY-MM-DD
  std::array<Value, kSize> days_;
  std::array<std::array<char, kWidth>, kSize> texts_{};
};

// Rows [begin, end) as CSV lines, appended to `out`.
void format_rows(const CompiledPolicy& compiled, const DataSet& data, const Results& results,
                 std::size_t begin, std::size_t end, std::string& out) {
  const ValueFormatter format(compiled.policy, data.text);
  const std::vector<ColumnPlan> plans = plan_columns(compiled, format);
  DateTexts dates;
  for (std::size_t r = begin; r < end; ++r) {
    const Value* row = results.row(r);
    for (std::size_t c = 0; c < plans.size(); ++c) {
      if (c) out += ',';
      const Value v = row[c];
      if (v == kMissing) continue;
      const ColumnPlan& plan = plans[c];
      switch (plan.how) {
        case ColumnPlan::How::Words: {
          if (plan.boolean) {
            out += plan.words[v != 0];
          } else if (v >= 0 && static_cast<std::size_t>(v) < plan.words.size()) {
            out += plan.words[static_cast<std::size_t>(v)];
          }
          break;
        }
        case ColumnPlan::How::Text:
          append_csv_cell(out, data.text.text(v), true);
          break;
        case ColumnPlan::How::Decimal:
          decimal::append(out, v);  // never holds a comma, quote or line break
          break;
        case ColumnPlan::How::Date:
          dates.append(out, v);
          break;
        case ColumnPlan::How::Other:
          format.append(out, v, *plan.type);  // academic years: digits and a slash
          break;
      }
    }
    out += '\n';
  }
}

}  // namespace

bool write_csv(const CompiledPolicy& compiled, const DataSet& data, const Results& results,
               const ChunkSink& sink, unsigned threads) {
  const auto& outputs = compiled.policy.outputs;
  std::string header;
  append_csv_row(header, outputs | ranges::views::transform(&lang::OutputColumnInfo::name) |
                             ranges::to<std::vector<std::string>>());
  if (!sink(header)) return false;
  // Blocks of rows (about a megabyte of text each) are formatted side by side on the machine's
  // cores and handed on in row order, so the bytes are the same whatever the number of cores,
  // and a national results file is never held whole in memory next to the data it came from.
  constexpr std::size_t kRowsPerBlock = 8192;
  const std::size_t rows = data.size();
  const std::size_t workers = std::clamp<std::size_t>((rows + kRowsPerBlock - 1) / kRowsPerBlock, 1,
                                                      std::min(thread_count(threads), 8u));
  std::vector<std::string> blocks(workers);
  for (std::size_t start = 0; start < rows; start += workers * kRowsPerBlock) {
    auto block = [&](std::size_t w) {
      const std::size_t begin = std::min(rows, start + w * kRowsPerBlock);
      const std::size_t end = std::min(rows, begin + kRowsPerBlock);
      blocks[w].clear();
      format_rows(compiled, data, results, begin, end, blocks[w]);
    };
    // Only the workers with rows left in this round.
    const std::size_t busy = std::min(workers, (rows - start + kRowsPerBlock - 1) / kRowsPerBlock);
    run_in_parallel(busy, block);
    for (std::size_t w = 0; w < busy; ++w) {
      if (!sink(blocks[w])) return false;
    }
  }
  return true;
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
