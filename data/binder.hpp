// Turns a CSV file into a DataSet for one RecordSchema: finds each field's column in the header,
// reads every cell as its field's kind (missing codes, numbers, percentages, dates, enumerations,
// academic years, booleans, text), checks bounds, requiredness and key uniqueness, and reports
// every problem in the file as a DataError.
#pragma once

#include <cstddef>
#include <functional>
#include <string_view>
#include <unordered_set>
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
  // Things a reader should know that do not stop the run (an optional column that may be absent
  // and is; a header close to a declared one; percentages that look like fractions).
  std::vector<DataError> warnings;
  // The fields whose optional column was not in the header (indices in the schema), for a field
  // that then takes its values from elsewhere (`if absent then previous X`).
  std::vector<std::uint32_t> absent_fields;
  // The records handed to BindOptions::window (all of them, when it is set); `data` then keeps
  // only their text and the last window's records.
  std::size_t windowed = 0;
};

// Records handed over while the file is read (BindOptions::window), in file order.
struct BoundWindow {
  DataSet& records;  // the window is its records [first, first + count)
  std::size_t first = 0;
  std::size_t count = 0;
  // No error has been found so far in the file: after one, the records are still bound to find
  // every error, but nothing should be made of them.
  bool clean = true;
  // The file's first `bytes_read` bytes are read and bound (at least; 0 when not known), so
  // they can be hashed while they are still in the cache.
  std::size_t bytes_read = 0;
};
using RecordWindow = std::function<void(const BoundWindow&)>;

// The key values of the records a join keeps (data/source_join.hpp).
using KeySet = std::unordered_set<Value>;

struct BindOptions {
  unsigned threads = 0;  // 0: as many as the machine has
  // A file is read in pieces, one per thread, only when each piece would have at least this
  // many bytes. The result is identical either way; tests lower it to read small files in pieces.
  std::size_t min_piece_bytes = std::size_t{1} << 19;
  // When set, a row whose key is not in the set is left out before any other cell is read, so
  // the other schools in a national file cost nothing and raise no errors.
  const KeySet* keep_keys = nullptr;
  // When set, the records go to `window` a few thousand at a time as the file is read, and are
  // not kept: binding and using them (evaluating, writing results) take turns over a table that
  // stays in the cache, and no table of the whole file is made. The file is then read on one
  // thread. A workbook, or a policy's named sources, are bound whole first and handed over in
  // the same windows.
  RecordWindow window;
  std::size_t window_rows = 2048;
};

// The width each field's column starts with (DataSet::Width): four bytes wherever the field's
// kind and bounds allow.
std::vector<DataSet::Width> column_widths(const RecordSchema& schema);

// Never throws on bad input. `file_name` is used only in errors.
BindResult bind_records(std::string_view file_name, std::string_view bytes,
                        const RecordSchema& schema, const BindOptions& options = {});

// For a reader that binds a whole table first: hands its records to options.window (when set,
// and not done yet) in windows of options.window_rows.
void hand_over_whole(BindResult& result, const BindOptions& options);

// The same for a sheet of an .xlsx workbook (the first when `sheet` is empty), its cells read
// as the sheet's CSV export would hold them (data/xlsx_reader.hpp). A workbook's text is
// Unicode already: the schema's encoding is not applied.
BindResult bind_workbook(std::string_view file_name, std::string_view bytes,
                         const RecordSchema& schema, const std::string& sheet,
                         const BindOptions& options = {});

}  // namespace catengine::engine
