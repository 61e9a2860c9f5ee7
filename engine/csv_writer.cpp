// CSV output. Cells are formatted straight into one buffer, handed on a megabyte at a time: no
// streams, no per-cell strings.
#include "engine/result_writers.hpp"
#include "engine/value_format.hpp"

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

bool write_csv(const CompiledPolicy& compiled, const DataSet& data, const Results& results,
               const ChunkSink& sink) {
  // Written in pieces of about a megabyte, so a national results file is never held whole in
  // memory next to the data it came from.
  constexpr std::size_t kChunk = 1 << 20;
  const auto& outputs = compiled.policy.outputs;
  ValueFormatter format(compiled.policy, data.text);
  std::string out;
  out.reserve(kChunk + 4096);
  for (std::size_t c = 0; c < outputs.size(); ++c) {
    if (c) out += ',';
    append_csv_cell(out, outputs[c].name, true);
  }
  out += '\n';
  std::string cell;
  for (std::size_t r = 0; r < data.size(); ++r) {
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
    if (out.size() >= kChunk) {
      if (!sink(out)) return false;
      out.clear();
    }
  }
  return out.empty() || sink(out);
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
