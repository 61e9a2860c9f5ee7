// One data file as the analyst gives it, whatever it is: a CSV file (UTF-8 or the source's
// declared encoding) or an .xlsx workbook, told apart by content, never by the file's name.
// Old .xls workbooks, OpenDocument sheets, UTF-16 text and semicolon- or tab-separated "CSV"
// are refused with a message saying how to save the file.
#pragma once

#include <string>
#include <string_view>

#include "data/binder.hpp"

namespace catengine::engine {

// Binds `bytes` (the file named `file_name`) to `schema`. `sheet` names a workbook's sheet
// (empty: the first); it is an error for a CSV file.
BindResult bind_data_file(std::string_view file_name, std::string_view bytes,
                          const RecordSchema& schema, const BindOptions& options = {},
                          const std::string& sheet = "");

}  // namespace catengine::engine
