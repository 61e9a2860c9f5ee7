// CSV output. Cells are formatted straight into buffers of about a megabyte, on every core, and
// handed on in order: no streams, no per-cell strings.
#include "report/result_writers.hpp"
#include "report/value_format.hpp"
#include "system/parallel.hpp"

#include <algorithm>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <range/v3/range/conversion.hpp>
#include <range/v3/view/transform.hpp>

namespace catengine::engine {

void append_csv_cell(std::string& out, std::string_view cell, bool is_text) {
  // A cell a spreadsheet would evaluate (=, +, -, @, or a tab or carriage return first) is
  // neutralised with an apostrophe, as OWASP advises for CSV injection.
  const bool guard = is_text && !cell.empty() &&
                     (cell[0] == '=' || cell[0] == '+' || cell[0] == '-' || cell[0] == '@' ||
                      cell[0] == '\t' || cell[0] == '\r');
  const bool quote = cell.find_first_of(",\"\r\n") != std::string_view::npos;
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

// Rows [begin, end) as CSV lines, appended to `out`.
void format_rows(const CompiledPolicy& compiled, const DataSet& data, const Results& results,
                 std::size_t begin, std::size_t end, std::string& out) {
  const auto& outputs = compiled.policy.outputs;
  const ValueFormatter format(compiled.policy, data.text);
  std::string cell;
  for (std::size_t r = begin; r < end; ++r) {
    const Value* row = results.row(r);
    for (std::size_t c = 0; c < outputs.size(); ++c) {
      if (c) out += ',';
      const auto& type = outputs[c].type;
      if (type.base == lang::BaseType::Text || type.base == lang::BaseType::Enum) {
        cell.clear();
        format.append(cell, row[c], type);
        append_csv_cell(out, cell, true);
      } else {
        format.append(out, row[c], type);  // never holds a comma, quote or line break
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
