// Choosing the reader for a data file by what its bytes are.
#include "data/data_file.hpp"

#include "data/file_kind.hpp"
#include "data/source_join.hpp"

namespace catengine::engine {

namespace {

BindResult whole_file_error(std::string_view file_name, std::string message) {
  BindResult r;
  r.errors.push_back(DataError{std::string(file_name), 0, "-", std::move(message)});
  return r;
}

}  // namespace

BindResult bind_data_file(std::string_view file_name, std::string_view bytes,
                          const RecordSchema& schema, const BindOptions& options,
                          const std::string& sheet) {
  const FileKindReport kind = sniff_file_kind(bytes);
  if (auto e = unreadable_file_error(file_name, kind)) {
    BindResult r;
    r.errors.push_back(std::move(*e));
    return r;
  }
  if (kind.kind == FileKind::Xlsx) return bind_workbook(file_name, bytes, schema, sheet, options);
  if (!sheet.empty()) {
    return whole_file_error(file_name, "a sheet (`" + sheet +
                                           "`) was named, but this is a CSV file, not a "
                                           "workbook: drop `#" +
                                           sheet + "`");
  }
  // A one-column header with semicolons or tabs in it would otherwise be reported as every
  // declared column missing, which hides the real problem.
  if (auto problem = separator_problem(kind); problem && schema.fields.size() > 1) {
    return whole_file_error(file_name, "the file " + *problem);
  }
  return bind_records(file_name, bytes, schema, options);
}

BindResult bind_files(const RecordSchema& schema, const std::vector<GivenFile>& files,
                      const BindOptions& options) {
  if (schema.sources.empty()) {
    return bind_data_file(files[0].path, files[0].bytes.view(), schema, options, files[0].sheet);
  }
  std::vector<SourceInput> inputs;
  for (const GivenFile& f : files) inputs.push_back({f.given, f.path, f.sheet, f.bytes.view()});
  BindResult joined = bind_sources(schema, inputs, options);
  hand_over_whole(joined, options);
  return joined;
}

}  // namespace catengine::engine
