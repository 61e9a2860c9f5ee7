// workbook.xml, its relationships, sharedStrings.xml and styles.xml; see xlsx_workbook.hpp.
#include "data/xlsx_workbook.hpp"

#include "base/markup.hpp"

#include <fmt/format.h>

#include <charconv>
#include <map>

namespace catengine::engine {

namespace xlsx_xml {

bool parse(std::string& text, std::string_view part, pugi::xml_document& doc, std::string& error) {
  // parse_ws_pcdata_single keeps a text that is only spaces (`<t xml:space="preserve"> </t>`).
  const unsigned options = pugi::parse_default | pugi::parse_ws_pcdata_single;
  const pugi::xml_parse_result r =
      doc.load_buffer_inplace(text.data(), text.size(), options, pugi::encoding_auto);
  if (!r) {
    error = fmt::format("its part {} is not well-formed XML ({} at byte {})", part, r.description(),
                        r.offset);
    return false;
  }
  return true;
}

std::string_view local_name(const char* name) {
  const std::string_view s(name);
  const std::size_t colon = s.rfind(':');
  return colon == std::string_view::npos ? s : s.substr(colon + 1);
}

pugi::xml_node child(pugi::xml_node node, std::string_view name) {
  for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element && local_name(c.name()) == name) return c;
  }
  return {};
}

std::string_view attribute(pugi::xml_node node, std::string_view name) {
  for (pugi::xml_attribute a = node.first_attribute(); a; a = a.next_attribute()) {
    if (local_name(a.name()) == name) return a.value();
  }
  return {};
}

namespace {

// The code unit of `_xHHHH_` at the start of `s`, or -1.
long escape_at(std::string_view s) {
  if (s.size() < 7 || s[0] != '_' || (s[1] != 'x' && s[1] != 'X') || s[6] != '_') return -1;
  long v = 0;
  for (std::size_t i = 2; i < 6; ++i) {
    const int h = hex_digit_value(s[i]);
    if (h < 0) return -1;
    v = v * 16 + h;
  }
  return v;
}

void append_utf8(std::string& out, unsigned long cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace

std::string unescape(std::string_view text) {
  if (text.find('_') == std::string_view::npos) return std::string(text);
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const long unit = escape_at(text.substr(i));
    if (unit < 0) {
      out += text[i++];
      continue;
    }
    i += 7;
    unsigned long cp = static_cast<unsigned long>(unit);
    if (unit >= 0xD800 && unit <= 0xDBFF) {  // a surrogate pair is two escapes
      const long low = escape_at(text.substr(i));
      if (low >= 0xDC00 && low <= 0xDFFF) {
        cp = 0x10000 + ((cp - 0xD800) << 10) + static_cast<unsigned long>(low - 0xDC00);
        i += 7;
      } else {
        cp = 0xFFFD;
      }
    } else if (unit >= 0xDC00 && unit <= 0xDFFF) {
      cp = 0xFFFD;  // a lone surrogate is not text
    }
    append_utf8(out, cp);
  }
  return out;
}

std::string string_item(pugi::xml_node item) {
  std::string raw;
  for (pugi::xml_node c = item.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element) continue;
    const std::string_view name = local_name(c.name());
    if (name == "t") {
      raw += c.child_value();
    } else if (name == "r") {
      raw += child(c, "t").child_value();
    }
  }
  return unescape(raw);
}

}  // namespace xlsx_xml

namespace {

using namespace xlsx_xml;

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.ends_with(suffix);
}

// A relationship's target as a part name: relative to the folder of the part that holds the
// relationship, or absolute from the archive's root when it starts with `/`.
std::string resolve(std::string_view folder, std::string_view target) {
  std::string path;
  if (target.starts_with('/')) {
    target.remove_prefix(1);
  } else {
    path = folder;
  }
  std::vector<std::string> parts;
  std::string whole = path + std::string(target);
  std::size_t start = 0;
  while (start <= whole.size()) {
    const std::size_t slash = std::min(whole.find('/', start), whole.size());
    const std::string piece = whole.substr(start, slash - start);
    if (piece == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!piece.empty() && piece != ".") {
      parts.push_back(piece);
    }
    start = slash + 1;
  }
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : "/") + p;
  return out;
}

std::string folder_of(std::string_view part) {
  const std::size_t slash = part.rfind('/');
  return slash == std::string_view::npos ? "" : std::string(part.substr(0, slash + 1));
}

struct Relationship {
  std::string type;
  std::string target;  // resolved to a part name
};

// The relationships of `part` (`folder/_rels/name.rels`), by Id. Empty when there are none.
std::optional<std::map<std::string, Relationship, std::less<>>> read_relationships(
    ZipArchive& zip, std::string_view part, std::string& error) {
  const std::string folder = folder_of(part);
  const std::string rels = folder + "_rels/" + std::string(part.substr(folder.size())) + ".rels";
  std::map<std::string, Relationship, std::less<>> out;
  if (!zip.has(rels)) return out;
  std::optional<std::string> text = zip.read(rels, error);
  if (!text) return std::nullopt;
  pugi::xml_document doc;
  if (!parse(*text, rels, doc, error)) return std::nullopt;
  for (pugi::xml_node r : child(doc, "Relationships").children()) {
    if (local_name(r.name()) != "Relationship") continue;
    if (attribute(r, "TargetMode") == "External") continue;
    out[std::string(attribute(r, "Id"))] = {std::string(attribute(r, "Type")),
                                            resolve(folder, attribute(r, "Target"))};
  }
  return out;
}

std::optional<unsigned> to_unsigned(std::string_view s) {
  unsigned v = 0;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

bool read_styles(ZipArchive& zip, const std::string& part, XlsxWorkbook& book, std::string& error) {
  std::optional<std::string> text = zip.read(part, error);
  if (!text) return false;
  pugi::xml_document doc;
  if (!parse(*text, part, doc, error)) return false;
  const pugi::xml_node sheet = child(doc, "styleSheet");
  std::map<unsigned, std::string_view> codes;
  for (pugi::xml_node f : child(sheet, "numFmts").children()) {
    if (local_name(f.name()) != "numFmt") continue;
    if (const auto id = to_unsigned(attribute(f, "numFmtId"))) {
      codes[*id] = attribute(f, "formatCode");
    }
  }
  for (pugi::xml_node xf : child(sheet, "cellXfs").children()) {
    if (local_name(xf.name()) != "xf") continue;
    const unsigned id = to_unsigned(attribute(xf, "numFmtId")).value_or(0);
    const auto code = codes.find(id);
    book.cell_formats.push_back(
        classify_number_format(id, code == codes.end() ? std::string_view() : code->second));
  }
  return true;
}

bool read_shared_strings(ZipArchive& zip, const std::string& part, XlsxWorkbook& book,
                         std::string& error) {
  std::optional<std::string> text = zip.read(part, error);
  if (!text) return false;
  pugi::xml_document doc;
  if (!parse(*text, part, doc, error)) return false;
  for (pugi::xml_node si : child(doc, "sst").children()) {
    if (local_name(si.name()) == "si") book.shared_strings.push_back(string_item(si));
  }
  return true;
}

}  // namespace

std::optional<XlsxWorkbook> read_xlsx_workbook(ZipArchive& zip, std::string& error) {
  // The package's relationships name the workbook part; xl/workbook.xml is where every writer
  // puts it, so it serves when they are missing.
  const auto root = read_relationships(zip, "", error);
  if (!root) return std::nullopt;
  std::string workbook_part = "xl/workbook.xml";
  for (const auto& [id, rel] : *root) {
    if (ends_with(rel.type, "/officeDocument")) workbook_part = rel.target;
  }
  if (!zip.has(workbook_part)) {
    error = fmt::format("it is a zip archive but not an Excel workbook: it has no part {}",
                        workbook_part);
    return std::nullopt;
  }
  std::optional<std::string> text = zip.read(workbook_part, error);
  if (!text) return std::nullopt;
  pugi::xml_document doc;
  if (!parse(*text, workbook_part, doc, error)) return std::nullopt;
  const auto rels = read_relationships(zip, workbook_part, error);
  if (!rels) return std::nullopt;

  XlsxWorkbook book;
  const pugi::xml_node workbook = child(doc, "workbook");
  const std::string_view date1904 = attribute(child(workbook, "workbookPr"), "date1904");
  book.date1904 = date1904 == "1" || date1904 == "true";
  for (pugi::xml_node s : child(workbook, "sheets").children()) {
    if (local_name(s.name()) != "sheet") continue;
    const auto rel = rels->find(attribute(s, "id"));                                 // r:id
    if (rel == rels->end() || !ends_with(rel->second.type, "/worksheet")) continue;  // a chart
    book.sheets.push_back({std::string(attribute(s, "name")), rel->second.target});
  }
  if (book.sheets.empty()) {
    error = fmt::format("its part {} lists no worksheets", workbook_part);
    return std::nullopt;
  }
  for (const auto& [id, rel] : *rels) {
    if (ends_with(rel.type, "/sharedStrings") && zip.has(rel.target)) {
      if (!read_shared_strings(zip, rel.target, book, error)) return std::nullopt;
    } else if (ends_with(rel.type, "/styles") && zip.has(rel.target)) {
      if (!read_styles(zip, rel.target, book, error)) return std::nullopt;
    }
  }
  return book;
}

}  // namespace catengine::engine
