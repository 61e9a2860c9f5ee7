// Turns a CSV file into a DataSet for one RecordSchema: finds each field's column in the header,
// reads every cell as its field's kind (missing codes, numbers, percentages, dates, enumerations,
// academic years, booleans, text), checks bounds, requiredness and key uniqueness, and reports
// every problem in the file as a DataError.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "data/dataset.hpp"
#include "data/record_schema.hpp"

namespace catengine::engine {

// Errors beyond this many are counted, not listed: one final error says how many were left out.
inline constexpr std::size_t kMaxDataErrors = 1000;

struct BindResult {
  // One record per data row, fields in schema order. Only meaningful when `errors` is empty
  // (rows with the wrong number of cells are left out; cells with errors hold kMissing).
  DataSet data;
  // In file order (row, then column left to right); at most kMaxDataErrors, then one more whose
  // row is 0 saying how many were not listed.
  std::vector<DataError> errors;
};

struct BindOptions {
  unsigned threads = 0;  // 0: as many as the machine has
  // A file is read in pieces, one per thread, only when each piece would have at least this
  // many bytes. The result is identical either way; tests lower it to read small files in pieces.
  std::size_t min_piece_bytes = std::size_t{1} << 19;
};

// Never throws on bad input. `file_name` is used only in errors.
BindResult bind_records(std::string_view file_name, std::string_view bytes,
                        const RecordSchema& schema, const BindOptions& options = {});

}  // namespace catengine::engine
