// One data file as the analyst gives it, whatever it is: a CSV file (UTF-8 or the source's
// declared encoding) or an .xlsx workbook, told apart by content, never by the file's name.
// Old .xls workbooks, OpenDocument sheets, UTF-16 text and semicolon- or tab-separated "CSV"
// are refused with a message saying how to save the file.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "data/binder.hpp"
#include "system/file_bytes.hpp"

namespace catengine::engine {

// Binds `bytes` (the file named `file_name`) to `schema`. `sheet` names a workbook's sheet
// (empty: the first); it is an error for a CSV file.
BindResult bind_data_file(std::string_view file_name, std::string_view bytes,
                          const RecordSchema& schema, const BindOptions& options = {},
                          const std::string& sheet = "");

// A data file as given for a policy (by `--data`, or a test fixture's file), mapped or read into
// memory (system/file_bytes.hpp). `PATH#SHEET` names a workbook's sheet.
struct GivenFile {
  bool given = false;  // false: an optional source that was not given
  std::string path;
  std::string sheet;
  FileBytes bytes;
  std::string sha256;  // for provenance; filled in by the CLI when it needs it
};

// Binds the files a policy reads: one file for a policy without sources, else one per source in
// the schema's order, joined on the key (data/source_join.hpp). Shared by every verb and the
// fixture runner, so a test binds its files exactly as `evaluate` would.
BindResult bind_files(const RecordSchema& schema, const std::vector<GivenFile>& files,
                      const BindOptions& options = {});

}  // namespace catengine::engine
