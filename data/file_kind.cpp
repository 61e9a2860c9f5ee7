// Sniffing a data file's kind from its first bytes; see file_kind.hpp.
#include "data/file_kind.hpp"

#include <cstddef>

namespace catengine::engine {

namespace {

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// UTF-16 without a byte-order mark still shows itself in its first character: for the ASCII
// that begins any header, one of the two bytes is zero.
bool looks_utf16(std::string_view b) {
  if (starts_with(b, "\xFF\xFE") || starts_with(b, "\xFE\xFF")) return true;
  if (b.size() < 4) return false;
  const auto printable = [](char c) { return c >= 0x20 && c < 0x7F; };
  return (printable(b[0]) && b[1] == 0 && printable(b[2]) && b[3] == 0) ||
         (b[0] == 0 && printable(b[1]) && b[2] == 0 && printable(b[3]));
}

// OpenDocument puts an uncompressed `mimetype` entry first, so its name sits at offset 30 of
// the first local header and its contents just after.
bool looks_ods(std::string_view b) {
  return b.size() > 38 && b.substr(30, 8) == "mimetype" &&
         b.substr(38).starts_with("application/vnd.oasis.opendocument");
}

// Counts separators on the first line that is not blank, as the CSV reader finds its header.
HeaderSeparator header_separator(std::string_view b) {
  if (starts_with(b, "\xEF\xBB\xBF")) b.remove_prefix(3);
  std::size_t commas = 0, semicolons = 0, tabs = 0;
  bool quoted = false, content = false;
  for (const char c : b) {
    if (quoted) {
      if (c == '"') quoted = false;  // a doubled quote reopens at once: the same count
      continue;
    }
    if (c == '\n' || c == '\r') {
      if (content) break;
      commas = semicolons = tabs = 0;  // a blank line (spaces and tabs only) before the header
      continue;
    }
    if (c == '"') quoted = true;
    if (c == ',') ++commas;
    if (c == ';') ++semicolons;
    if (c == '\t') ++tabs;
    if (c != ' ' && c != '\t') content = true;
  }
  if (commas > 0) return HeaderSeparator::Comma;
  if (semicolons > 0 && semicolons >= tabs) return HeaderSeparator::Semicolon;
  if (tabs > 0) return HeaderSeparator::Tab;
  return HeaderSeparator::None;
}

}  // namespace

FileKindReport sniff_file_kind(std::string_view bytes) {
  if (starts_with(bytes, "PK\x03\x04")) {
    return {.kind = looks_ods(bytes) ? FileKind::Ods : FileKind::Xlsx};
  }
  if (starts_with(bytes, "\xD0\xCF\x11\xE0")) return {.kind = FileKind::Xls};
  if (looks_utf16(bytes)) return {.kind = FileKind::Utf16};
  return {.kind = FileKind::Csv, .separator = header_separator(bytes)};
}

std::optional<DataError> unreadable_file_error(std::string_view file_name,
                                               const FileKindReport& report) {
  std::string message;
  switch (report.kind) {
    case FileKind::Csv:
    case FileKind::Xlsx:
      return std::nullopt;
    case FileKind::Xls:
      message =
          "the file is an Excel 97-2003 workbook (.xls) or a password-protected workbook, which "
          "catengine "
          "cannot read; open it in Excel and save it as \"Excel Workbook (.xlsx)\" without a "
          "password, or as \"CSV UTF-8 (Comma delimited)\"";
      break;
    case FileKind::Ods:
      message =
          "the file is an OpenDocument spreadsheet (.ods), which catengine cannot read; save it as "
          "\"Excel 2007-365 (.xlsx)\" or as CSV with the character set UTF-8";
      break;
    case FileKind::Utf16:
      message =
          "the file is UTF-16 text (Excel's \"Unicode Text\"), which catengine cannot read; save "
          "it as "
          "\"CSV UTF-8 (Comma delimited)\"";
      break;
  }
  return DataError{.file = std::string(file_name), .row = 0, .column = "-", .message = message};
}

std::optional<std::string> separator_problem(const FileKindReport& report) {
  if (report.kind != FileKind::Csv) return std::nullopt;
  if (report.separator == HeaderSeparator::Semicolon) {
    return "looks semicolon-separated: the header line holds semicolons but no comma; save the "
           "file as \"CSV UTF-8 (Comma delimited)\" with a comma as the list separator";
  }
  if (report.separator == HeaderSeparator::Tab) {
    return "looks tab-separated: the header line holds tabs but no comma; save the file as "
           "\"CSV UTF-8 (Comma delimited)\"";
  }
  return std::nullopt;
}

}  // namespace catengine::engine
