// Hover, definition, references, rename, completion, formatting, folding, the outline and the
// code lenses: each reads the analysis's symbol index and converts spans to the protocol's
// UTF-16 positions.
#include "lsp/features.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "base/utf8.hpp"
#include "lang/check/builtins.hpp"
#include "lang/check/checker.hpp"
#include "lang/format/formatter.hpp"
#include "lang/syntax/parser.hpp"
#include "lang/syntax/scanner.hpp"

namespace catengine::lsp {

namespace fs = std::filesystem;
using namespace lang;

// ---- Positions -------------------------------------------------------------------------------

Json position_json(Position p) {
  return {{"line", p.line}, {"character", p.character}};
}

Json range_json(const Analysis& a, SourceSpan span) {
  if (span.file >= a.sources.size())
    return {{"start", position_json({})}, {"end", position_json({})}};
  const std::string& text = a.sources.file(span.file).text();
  const LineIndex index(text);
  return {{"start", position_json(index.position(text, span.begin))},
          {"end", position_json(index.position(text, std::max(span.begin, span.end)))}};
}

namespace {

Json location_json(const Analysis& a, SourceSpan span) {
  const std::string path =
      span.file < a.sources.size() ? canonical_path(a.sources.file(span.file).path()) : a.main_path;
  return {{"uri", path_to_uri(path)}, {"range", range_json(a, span)}};
}

Position position_of(const Json& params) {
  const Json& p = params.at("position");
  return {p.at("line").get<std::uint32_t>(), p.at("character").get<std::uint32_t>()};
}

const Document& document_of(Server& s, const Json& params) {
  const Document* d = s.document(params.at("textDocument").at("uri").get<std::string>());
  if (d == nullptr)
    throw RequestError{ErrorCode::InvalidParams, "the document is not open (send didOpen first)"};
  return *d;
}

// The analysis and the file a request is about, and its byte offset.
struct At {
  const Analysis& a;
  const Document& doc;
  FileId file = 0;
  std::uint32_t offset = 0;
  bool found = false;  // the document is one of the analysis's files
};

At locate(Server& s, const Json& params, bool with_position = true) {
  const Document& doc = document_of(s, params);
  const Analysis& a = s.analysis_for(doc.path);
  At at{a, doc};
  const int m = a.module_of(doc.path);
  if (m < 0) return at;
  at.file = a.modules[static_cast<std::size_t>(m)].file;
  at.found = true;
  if (with_position) {
    const std::string& text = a.sources.file(at.file).text();
    at.offset = static_cast<std::uint32_t>(LineIndex(text).offset(text, position_of(params)));
  }
  return at;
}

std::string span_text(const Analysis& a, SourceSpan span) {
  if (span.file >= a.sources.size()) return {};
  const std::string& t = a.sources.file(span.file).text();
  if (span.begin > span.end || span.end > t.size()) return {};
  return t.substr(span.begin, span.end - span.begin);
}

template <typename T>
const T& decl_of(const Analysis& a, const Symbol& y) {
  return std::get<T>(a.modules.at(y.module).decls.at(y.decl));
}

std::string cite_line(const std::optional<Citation>& c) {
  return c ? fmt::format("\n\n*cite:* {}", c->text) : std::string();
}

std::string type_ref_text(const TypeRef& t) {
  return t.name + (t.optional ? "?" : "");
}

// ---- Hover -----------------------------------------------------------------------------------

std::string hover_text(const Analysis& a, const Symbol& y) {
  const CheckedPolicy* p = a.checked ? &*a.checked : nullptr;
  switch (y.kind) {
    case SymbolKind::Field: {
      const FieldDecl& f = decl_of<RecordDecl>(a, y).fields.at(y.part);
      std::string type = type_ref_text(f.type);
      if (p) {
        for (const auto& fi : p->record.fields)
          if (fi.name == f.name.name) type = type_name(fi.type, p->enums);
      }
      std::string out = fmt::format("```catengine\nfield {}: {}\n```\ncolumn `{}`", f.name.name,
                                    type, f.column.value_or(f.name.name));
      if (f.source) out += fmt::format(" of source `{}`", f.source->name);
      if (f.key) out += ", the key";
      return out + cite_line(f.cite);
    }
    case SymbolKind::Define: {
      const DefineDecl& d = decl_of<DefineDecl>(a, y);
      std::string type = d.type ? type_ref_text(*d.type) : "(known once the policy checks)";
      if (p) {
        for (const auto& di : p->definitions)
          if (di.name == d.name.name) type = type_name(di.type, p->enums);
      }
      std::string body;
      if (d.body != kNoExpr) body = span_text(a, a.modules[y.module].expr(d.body).span);
      if (body.size() > 400) body = body.substr(0, 400) + " ...";
      return fmt::format("```catengine\ndefine {}: {}\n```\n```catengine\n{}\n```", d.name.name,
                         type, body) +
             cite_line(d.cite);
    }
    case SymbolKind::Decision: {
      const DecisionDecl& d = decl_of<DecisionDecl>(a, y);
      return fmt::format("```catengine\ndecide {}: {} by {}\n```\n{} rule{}", d.name.name,
                         type_ref_text(d.type),
                         d.hit_policy == HitPolicy::FirstMatch ? "first match" : "unique match",
                         d.rules.size(), d.rules.size() == 1 ? "" : "s") +
             cite_line(d.cite);
    }
    case SymbolKind::Rule: {
      const DecisionDecl& d = decl_of<DecisionDecl>(a, y);
      const Rule& r = d.rules.at(y.part);
      return fmt::format("**rule {}** \"{}\" of `{}`", r.id.name, r.title, d.name.name) +
             cite_line(r.cite ? r.cite : d.cite);
    }
    case SymbolKind::Enum: {
      const EnumDecl& e = decl_of<EnumDecl>(a, y);
      std::string members;
      for (const auto& m : e.members) members += (members.empty() ? "" : ", ") + m.key;
      return fmt::format("```catengine\n{} {}\n```\n{}{}", e.ordered ? "scale" : "enumeration",
                         e.name.name, e.ordered ? "from best to worst: " : "", members) +
             cite_line(e.cite);
    }
    case SymbolKind::EnumMember: {
      const EnumDecl& e = decl_of<EnumDecl>(a, y);
      const EnumMember& m = e.members.at(y.part);
      std::string out = fmt::format("**{}**", m.key);
      if (!m.description.empty()) out += fmt::format(" \"{}\"", m.description);
      out += fmt::format("\n\nmember {} of {} {} `{}`", y.part + 1, e.members.size(),
                         e.ordered ? "of the scale" : "of the enumeration", e.name.name);
      return out + cite_line(e.cite);
    }
    case SymbolKind::Parameter: {
      const ParamDecl& d = decl_of<ParamDecl>(a, y);
      std::string out = fmt::format("```catengine\nparameter {}: {} by {}\n```\n", d.name.name,
                                    type_ref_text(d.type), d.by_date ? "date" : "year");
      for (const auto& e : d.entries) {
        std::string key = e.to.empty() ? e.from : e.from + " to " + e.to;
        out += fmt::format(
            "- {}: {}", key,
            e.value == kNoExpr ? "" : span_text(a, a.modules[y.module].expr(e.value).span));
        if (e.cite) out += fmt::format(" (*cite:* {})", e.cite->text);
        out += "\n";
      }
      if (!out.empty() && out.back() == '\n') out.pop_back();
      return out + cite_line(d.cite);
    }
    case SymbolKind::Notice: {
      const NoticeDecl& d = decl_of<NoticeDecl>(a, y);
      return fmt::format("**notice {}** \"{}\"\n\n{} ground{}", d.name.name, d.title,
                         d.grounds.size(), d.grounds.size() == 1 ? "" : "s") +
             cite_line(d.cite);
    }
    case SymbolKind::Ground: {
      const Ground& g = decl_of<NoticeDecl>(a, y).grounds.at(y.part);
      return fmt::format("**ground {}** of `{}`: \"{}\"", g.id.name, y.container, g.wording) +
             cite_line(g.cite);
    }
    case SymbolKind::Cadence: {
      const CadenceDecl& d = decl_of<CadenceDecl>(a, y);
      return fmt::format("**cadence {}** \"{}\"", d.name.name, d.title) + cite_line(d.cite);
    }
    case SymbolKind::Calendar: {
      const CalendarDecl& d = decl_of<CalendarDecl>(a, y);
      return fmt::format("**calendar {}** \"{}\" from `{}`", d.name.name, d.title, d.file) +
             cite_line(d.cite);
    }
    case SymbolKind::Source: {
      const SourceDecl& d = decl_of<SourceDecl>(a, y);
      return fmt::format("**source {}** \"{}\"", d.name.name, d.title) + cite_line(d.cite);
    }
    case SymbolKind::Warning: {
      const WarnDecl& d = decl_of<WarnDecl>(a, y);
      return fmt::format("**warn {}** \"{}\"", d.name.name, d.message) + cite_line(d.cite);
    }
    case SymbolKind::Module:
      return fmt::format("module `{}`", y.name);
  }
  return {};
}

bool is_identifier(std::string_view s) {
  if (s.empty() || is_digit(s[0])) return false;
  return std::all_of(s.begin(), s.end(), is_word_char);
}

}  // namespace

Json hover(Server& s, const Json& params) {
  const At at = locate(s, params);
  if (!at.found) return nullptr;
  const Occurrence* o = at.a.occurrence_at(at.file, at.offset);
  if (o == nullptr) return nullptr;
  const Symbol& y = at.a.symbols.at(o->symbol);
  return {{"contents", {{"kind", "markdown"}, {"value", hover_text(at.a, y)}}},
          {"range", range_json(at.a, o->span)}};
}

Json definition(Server& s, const Json& params) {
  const At at = locate(s, params);
  if (!at.found) return nullptr;
  const Occurrence* o = at.a.occurrence_at(at.file, at.offset);
  if (o == nullptr) return nullptr;
  const Symbol& y = at.a.symbols.at(o->symbol);
  return location_json(
      at.a, y.kind == SymbolKind::Module ? SourceSpan{y.name_span.file, 0, 0} : y.name_span);
}

Json references(Server& s, const Json& params) {
  const At at = locate(s, params);
  if (!at.found) return nullptr;
  const Occurrence* o = at.a.occurrence_at(at.file, at.offset);
  if (o == nullptr) return Json::array();
  const bool with_declaration =
      params.contains("context") && params["context"].value("includeDeclaration", false);
  Json out = Json::array();
  for (const Occurrence* r : at.a.occurrences_of(o->symbol)) {
    if (r->declaration && !with_declaration) continue;
    if (r->declaration && at.a.symbols[r->symbol].kind == SymbolKind::Module) continue;
    out.push_back(location_json(at.a, r->span));
  }
  return out;
}

// ---- Rename ----------------------------------------------------------------------------------

namespace {

const Occurrence* renamable(const At& at) {
  const Occurrence* o = at.a.occurrence_at(at.file, at.offset);
  if (o == nullptr) return nullptr;
  const SymbolKind k = at.a.symbols.at(o->symbol).kind;
  return k == SymbolKind::Define || k == SymbolKind::Decision ? o : nullptr;
}

// The cells of a CSV header line, with where each starts and ends (quotes excluded).
struct Cell {
  std::string text;
  std::size_t begin = 0, end = 0;
};
std::vector<Cell> header_cells(std::string_view line) {
  std::vector<Cell> cells;
  std::size_t at = 0;
  while (at <= line.size()) {
    std::size_t end = line.find(',', at);
    if (end == std::string_view::npos) end = line.size();
    Cell c{std::string(line.substr(at, end - at)), at, end};
    if (c.text.size() >= 2 && c.text.front() == '"' && c.text.back() == '"') {
      c.text = c.text.substr(1, c.text.size() - 2);
      ++c.begin;
      --c.end;
    }
    cells.push_back(std::move(c));
    at = end + 1;
  }
  return cells;
}

}  // namespace

Json prepare_rename(Server& s, const Json& params) {
  const At at = locate(s, params);
  if (!at.found) return nullptr;
  const Occurrence* o = renamable(at);
  if (o == nullptr) return nullptr;
  return {{"range", range_json(at.a, o->span)}, {"placeholder", at.a.symbols[o->symbol].name}};
}

Json rename(Server& s, const Json& params) {
  const At at = locate(s, params);
  const Occurrence* o = at.found ? renamable(at) : nullptr;
  if (o == nullptr)
    throw RequestError{ErrorCode::RequestFailed,
                       "only a definition (`define` or `decide`) can be renamed"};
  const std::string name = params.at("newName").get<std::string>();
  if (!is_identifier(name) || is_reserved(name))
    throw RequestError{ErrorCode::RequestFailed,
                       fmt::format("`{}` is not a name: a letter or `_`, then letters, digits and "
                                   "`_`, and not a reserved word",
                                   name)};
  for (const Symbol& y : at.a.symbols) {
    if (y.name == name && y.kind != SymbolKind::EnumMember && y.kind != SymbolKind::Rule &&
        y.kind != SymbolKind::Ground && y.kind != SymbolKind::Module)
      throw RequestError{ErrorCode::RequestFailed, fmt::format("`{}` is already declared", name)};
  }
  const Symbol& target = at.a.symbols[o->symbol];
  const fs::path folder = fs::path(at.a.main_path).parent_path();
  std::map<std::string, Json> changes;
  for (const Occurrence* r : at.a.occurrences_of(o->symbol)) {
    const std::string path = canonical_path(at.a.sources.file(r->span.file).path());
    if (!fs::path(path).lexically_relative(folder).empty() &&
        *fs::path(path).lexically_relative(folder).begin() == "..")
      continue;  // the stdlib cannot read a policy's definitions
    changes[path_to_uri(path)].push_back({{"range", range_json(at.a, r->span)}, {"newText", name}});
  }
  // `column NAME` without `=` names its output column after the definition: the tests' expected
  // files have that column in their header.
  bool output_named = false;
  if (!at.a.modules.empty()) {
    for (const Decl& d : at.a.modules.back().decls) {
      if (const auto* out = std::get_if<OutputDecl>(&d)) {
        for (const auto& c : out->columns) {
          if (c.name == target.name && c.value != kNoExpr &&
              at.a.modules.back().expr(c.value).kind == ExprKind::Name &&
              span_text(at.a, c.span).find('=') == std::string::npos)
            output_named = true;
        }
      }
    }
  }
  if (output_named) {
    std::error_code ec;
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(folder / "tests", ec)) {
      const std::string f = e.path().filename().string();
      if (f.size() > 13 && f.ends_with(".expected.csv")) files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    for (const fs::path& f : files) {
      std::ifstream in(f, std::ios::binary);
      std::string line;
      if (!std::getline(in, line)) continue;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      for (const Cell& c : header_cells(line)) {
        if (c.text != target.name) continue;
        // The header is ASCII in practice; positions are UTF-16 all the same.
        const std::uint32_t b = utf16_length(std::string_view(line).substr(0, c.begin));
        const std::uint32_t e = utf16_length(std::string_view(line).substr(0, c.end));
        changes[path_to_uri(canonical_path(f.string()))].push_back(
            {{"range",
              {{"start", {{"line", 0}, {"character", b}}},
               {"end", {{"line", 0}, {"character", e}}}}},
             {"newText", name}});
      }
    }
  }
  return {{"changes", changes}};
}

// ---- Completion ------------------------------------------------------------------------------

namespace {

// CompletionItemKind values.
constexpr int kKindField = 5, kKindVariable = 6, kKindFunction = 3, kKindModule = 9,
              kKindKeyword = 14, kKindEnumMember = 20, kKindConstant = 21, kKindEvent = 23;

// The enumeration a name's values belong to, or empty: from the checker when the policy checks,
// else from what the declaration writes.
std::string enum_of_name(const Analysis& a, std::string_view name) {
  if (a.checked) {
    const CheckedPolicy& p = *a.checked;
    auto en = [&](const Type& t) {
      return t.base == BaseType::Enum && t.enum_id < p.enums.size() ? p.enums[t.enum_id].name
                                                                    : std::string();
    };
    for (const auto& f : p.record.fields)
      if (f.name == name) return en(f.type);
    for (const auto& d : p.definitions)
      if (d.name == name) return en(d.type);
    for (const auto& q : p.parameters)
      if (q.name == name) return en(q.type);
  }
  for (const Symbol& y : a.symbols) {
    if (y.name != name) continue;
    if (y.kind == SymbolKind::Field) return decl_of<RecordDecl>(a, y).fields.at(y.part).type.name;
    if (y.kind == SymbolKind::Decision) return decl_of<DecisionDecl>(a, y).type.name;
    if (y.kind == SymbolKind::Parameter) return decl_of<ParamDecl>(a, y).type.name;
    if (y.kind == SymbolKind::Define) {
      const auto& d = decl_of<DefineDecl>(a, y);
      if (d.type) return d.type->name;
    }
  }
  return {};
}

Json member_items(const Analysis& a, const std::string& en, bool in_quotes) {
  Json items = Json::array();
  for (const Symbol& y : a.symbols) {
    if (y.kind != SymbolKind::EnumMember || y.container != en) continue;
    const EnumMember& m = decl_of<EnumDecl>(a, y).members.at(y.part);
    const bool bare = is_identifier(m.key) && !is_reserved(m.key);
    Json item = {{"label", m.key},
                 {"kind", kKindEnumMember},
                 {"detail", m.description.empty() ? en : en + ": " + m.description},
                 {"sortText", fmt::format("{:04}", y.part)}};
    if (!bare && !in_quotes) item["insertText"] = "\"" + m.key + "\"";
    items.push_back(std::move(item));
  }
  return items;
}

// The words of code before the cursor on its line, the last first.
std::vector<std::string> words_before(std::string_view line) {
  std::vector<std::string> out;
  for (const Token& t : scan_code(line)) out.push_back(std::string(t.text(line)));
  std::reverse(out.begin(), out.end());
  return out;
}

}  // namespace

Json completion(Server& s, const Json& params) {
  const At at = locate(s, params);
  const Document& doc = at.doc;
  // The line up to the cursor, from the document as it is now.
  const LineIndex index(doc.text);
  const Position pos = position_of(params);
  const std::size_t cursor = index.offset(doc.text, pos);
  const std::size_t line_start = index.offset(doc.text, {pos.line, 0});
  std::string_view line = std::string_view(doc.text).substr(line_start, cursor - line_start);
  // What is being typed: a word, or a string just opened.
  std::size_t word = line.size();
  while (word > 0 && is_word_char(line[word - 1])) --word;
  const bool in_quotes = word > 0 && line[word - 1] == '"';
  std::string_view before = line.substr(0, in_quotes ? word - 1 : word);
  const std::vector<std::string> w = words_before(before);

  Json items = Json::array();
  // `use ` then a module.
  if (!w.empty() && w.back() == "use" && w.size() <= 2) {
    std::error_code ec;
    const fs::path stdlib = default_stdlib_dir();
    for (auto it = fs::recursive_directory_iterator(stdlib, ec); it != fs::end(it);
         it.increment(ec)) {
      if (it->path().extension() != ".policy") continue;
      std::string rel = it->path().lexically_relative(stdlib).replace_extension().generic_string();
      std::replace(rel.begin(), rel.end(), '/', '.');
      items.push_back({{"label", "stdlib." + rel}, {"kind", kKindModule}});
    }
    for (const auto& e : fs::directory_iterator(fs::path(doc.path).parent_path(), ec)) {
      if (e.path().extension() != ".policy" || canonical_path(e.path().string()) == doc.path)
        continue;
      const std::string f = e.path().filename().string();
      items.push_back(
          {{"label", f}, {"kind", kKindModule}, {"insertText", in_quotes ? f : "\"" + f + "\""}});
    }
    std::sort(items.begin(), items.end(),
              [](const Json& x, const Json& y) { return x["label"] < y["label"]; });
    return {{"isIncomplete", false}, {"items", items}};
  }
  // After a comparison or inside `in [...]`, the members of the compared value's enumeration.
  static const std::vector<std::string> kCompare = {
      "is", "not", "than", "least", "worst", "=", "!=", "<", "<=", ">", ">=", "[", ","};
  if (at.found && !w.empty() &&
      std::find(kCompare.begin(), kCompare.end(), w[0]) != kCompare.end()) {
    // The name compared: the first word before the operator's words (and before `[` and items).
    std::string subject;
    for (const std::string& t : w) {
      if (std::find(kCompare.begin(), kCompare.end(), t) != kCompare.end() || t == "in" ||
          t == "worse" || t == "better" || t == "at" || t == "\"" || t.front() == '"')
        continue;
      if (is_identifier(t)) subject = t;
      break;
    }
    const std::string en = subject.empty() ? std::string() : enum_of_name(at.a, subject);
    if (!en.empty()) return {{"isIncomplete", false}, {"items", member_items(at.a, en, in_quotes)}};
  }
  // After `then` or `otherwise` in a decision: the members of the decision's type.
  if (at.found && !w.empty() && (w[0] == "then" || w[0] == "otherwise")) {
    const Module& mod = at.a.modules[static_cast<std::size_t>(at.a.module_of(doc.path))];
    for (const Decl& d : mod.decls) {
      const auto* dec = std::get_if<DecisionDecl>(&d);
      if (dec && dec->span.begin <= at.offset && at.offset <= dec->span.end + 1) {
        const std::string en = enum_of_name(at.a, dec->name.name);
        if (!en.empty())
          return {{"isIncomplete", false}, {"items", member_items(at.a, en, in_quotes)}};
      }
    }
  }
  if (in_quotes) return {{"isIncomplete", false}, {"items", items}};
  // Anywhere else: the names the policy declares, the built-in functions and the keywords.
  if (at.found) {
    for (const Symbol& y : at.a.symbols) {
      int kind = 0;
      switch (y.kind) {
        case SymbolKind::Field:
          kind = kKindField;
          break;
        case SymbolKind::Define:
        case SymbolKind::Decision:
          kind = kKindVariable;
          break;
        case SymbolKind::Parameter:
          kind = kKindConstant;
          break;
        case SymbolKind::Notice:
        case SymbolKind::Cadence:
          kind = kKindEvent;
          break;
        default:
          break;
      }
      if (kind != 0)
        items.push_back({{"label", y.name}, {"kind", kind}, {"sortText", "1" + y.name}});
    }
  }
  for (std::size_t b = 0; b < kBuiltinCount; ++b) {
    const BuiltinInfo& bi = info(static_cast<Builtin>(b));
    items.push_back({{"label", std::string(bi.name)},
                     {"kind", kKindFunction},
                     {"detail", std::string(bi.signature)},
                     {"sortText", "2" + std::string(bi.name)}});
  }
  for (const std::string_view k : kReservedWords)
    items.push_back(
        {{"label", std::string(k)}, {"kind", kKindKeyword}, {"sortText", "3" + std::string(k)}});
  return {{"isIncomplete", false}, {"items", items}};
}

// ---- Formatting ------------------------------------------------------------------------------

namespace {

struct Formatted {
  std::string text;
  Module before, after;  // the document's declarations, and the formatted text's
};

Formatted format_document(const Document& doc) {
  if (first_invalid_utf8(doc.text) != std::string::npos)
    throw RequestError{ErrorCode::RequestFailed, "the policy cannot be formatted: it is not UTF-8"};
  SourceFile source(doc.path, doc.text);
  ParseResult parsed = parse(source, 0);
  if (!parsed.diagnostics.empty())
    throw RequestError{
        ErrorCode::RequestFailed,
        "the policy cannot be formatted until it parses: " + parsed.diagnostics.front().message};
  Formatted f;
  f.text = format_module(source, parsed.module);
  f.before = std::move(parsed.module);
  SourceFile formatted(doc.path, f.text);
  f.after = parse(formatted, 0).module;
  return f;
}

Json whole_document_edit(const Document& doc, const std::string& text) {
  Json edits = Json::array();
  if (text == doc.text) return edits;
  const LineIndex index(doc.text);
  edits.push_back({{"range",
                    {{"start", position_json({0, 0})},
                     {"end", position_json(index.position(doc.text, doc.text.size()))}}},
                   {"newText", text}});
  return edits;
}

SourceSpan decl_span(const Decl& d) {
  return std::visit([](const auto& x) { return x.span; }, d);
}

}  // namespace

Json formatting(Server& s, const Json& params) {
  const Document& doc = document_of(s, params);
  return whole_document_edit(doc, format_document(doc).text);
}

// Formats the whole declarations the range touches: each is replaced by its canonical text.
Json range_formatting(Server& s, const Json& params) {
  const Document& doc = document_of(s, params);
  const Formatted f = format_document(doc);
  if (f.before.decls.size() != f.after.decls.size()) return whole_document_edit(doc, f.text);
  const LineIndex index(doc.text);
  const Json& r = params.at("range");
  const std::size_t begin = index.offset(doc.text, {r["start"]["line"], r["start"]["character"]});
  const std::size_t end = index.offset(doc.text, {r["end"]["line"], r["end"]["character"]});
  Json edits = Json::array();
  for (std::size_t i = 0; i < f.before.decls.size(); ++i) {
    const SourceSpan b = decl_span(f.before.decls[i]), a = decl_span(f.after.decls[i]);
    if (b.end < begin || b.begin > end) continue;
    const std::string now = doc.text.substr(b.begin, b.end - b.begin);
    const std::string then = f.text.substr(a.begin, a.end - a.begin);
    if (now == then) continue;
    edits.push_back({{"range",
                      {{"start", position_json(index.position(doc.text, b.begin))},
                       {"end", position_json(index.position(doc.text, b.end))}}},
                     {"newText", then}});
  }
  return edits;
}

// ---- Folding and the outline -----------------------------------------------------------------

Json folding_ranges(Server& s, const Json& params) {
  const At at = locate(s, params, false);
  Json out = Json::array();
  if (!at.found) return out;
  const Module& mod = at.a.modules[static_cast<std::size_t>(at.a.module_of(at.doc.path))];
  const std::string& text = at.a.sources.file(at.file).text();
  const LineIndex index(text);
  for (const Decl& d : mod.decls) {
    const SourceSpan sp = decl_span(d);
    const Position b = index.position(text, sp.begin), e = index.position(text, sp.end);
    if (e.line > b.line)
      out.push_back({{"startLine", b.line}, {"endLine", e.line}, {"kind", "region"}});
  }
  return out;
}

namespace {

// SymbolKind values of the protocol.
constexpr int kSymFile = 1, kSymModule = 2, kSymMethod = 6, kSymField = 8, kSymEnum = 10,
              kSymFunction = 12, kSymVariable = 13, kSymConstant = 14, kSymArray = 18,
              kSymEnumMember = 22, kSymStruct = 23, kSymEvent = 24;

Json doc_symbol(const Analysis& a, const std::string& name, const std::string& detail, int kind,
                SourceSpan range, SourceSpan selection) {
  if (selection.end < selection.begin || selection.begin < range.begin || selection.end > range.end)
    selection = range;
  return {{"name", name.empty() ? std::string("(unnamed)") : name},
          {"detail", detail},
          {"kind", kind},
          {"range", range_json(a, range)},
          {"selectionRange", range_json(a, selection)},
          {"children", Json::array()}};
}

}  // namespace

Json document_symbols(Server& s, const Json& params) {
  const At at = locate(s, params, false);
  Json out = Json::array();
  if (!at.found) return out;
  const Analysis& a = at.a;
  const Module& mod = a.modules[static_cast<std::size_t>(a.module_of(at.doc.path))];
  for (const Decl& decl : mod.decls) {
    std::visit(
        [&](const auto& d) {
          using T = std::decay_t<decltype(d)>;
          if constexpr (std::is_same_v<T, PolicyHeader>) {
            out.push_back(doc_symbol(a, d.title, "policy", kSymFile, d.span, d.span));
          } else if constexpr (std::is_same_v<T, UseDecl>) {
            out.push_back(doc_symbol(a, d.target, "use", kSymModule, d.span, d.span));
          } else if constexpr (std::is_same_v<T, EnumDecl>) {
            Json e = doc_symbol(a, d.name.name, d.ordered ? "scale" : "enumeration", kSymEnum,
                                d.span, d.name.span);
            for (const auto& m : d.members)
              e["children"].push_back(
                  doc_symbol(a, m.key, m.description, kSymEnumMember, m.span, m.span));
            out.push_back(std::move(e));
          } else if constexpr (std::is_same_v<T, RecordDecl>) {
            Json r = doc_symbol(a, d.name.name, "record", kSymStruct, d.span, d.name.span);
            for (const auto& f : d.fields)
              r["children"].push_back(doc_symbol(a, f.name.name, type_ref_text(f.type), kSymField,
                                                 f.span, f.name.span));
            out.push_back(std::move(r));
          } else if constexpr (std::is_same_v<T, SourceDecl>) {
            out.push_back(doc_symbol(a, d.name.name, "source", kSymStruct, d.span, d.name.span));
          } else if constexpr (std::is_same_v<T, ParamDecl>) {
            out.push_back(doc_symbol(a, d.name.name, type_ref_text(d.type), kSymConstant, d.span,
                                     d.name.span));
          } else if constexpr (std::is_same_v<T, DefineDecl>) {
            out.push_back(doc_symbol(a, d.name.name, d.type ? type_ref_text(*d.type) : "define",
                                     kSymVariable, d.span, d.name.span));
          } else if constexpr (std::is_same_v<T, DecisionDecl>) {
            Json dec = doc_symbol(a, d.name.name, type_ref_text(d.type), kSymFunction, d.span,
                                  d.name.span);
            for (const auto& r : d.rules)
              dec["children"].push_back(
                  doc_symbol(a, r.id.name, r.title, kSymMethod, r.span, r.id.span));
            out.push_back(std::move(dec));
          } else if constexpr (std::is_same_v<T, OutputDecl>) {
            Json o = doc_symbol(a, "output", "", kSymArray, d.span, d.span);
            for (const auto& c : d.columns)
              o["children"].push_back(doc_symbol(a, c.name, "column", kSymField, c.span, c.span));
            out.push_back(std::move(o));
          } else if constexpr (std::is_same_v<T, CalendarDecl>) {
            out.push_back(doc_symbol(a, d.name.name, d.title, kSymConstant, d.span, d.name.span));
          } else if constexpr (std::is_same_v<T, NoticeDecl>) {
            Json n = doc_symbol(a, d.name.name, d.title, kSymEvent, d.span, d.name.span);
            for (const auto& g : d.grounds)
              n["children"].push_back(
                  doc_symbol(a, g.id.name, g.wording, kSymMethod, g.span, g.id.span));
            out.push_back(std::move(n));
          } else if constexpr (std::is_same_v<T, CadenceDecl>) {
            out.push_back(doc_symbol(a, d.name.name, d.title, kSymEvent, d.span, d.name.span));
          } else if constexpr (std::is_same_v<T, WarnDecl>) {
            out.push_back(doc_symbol(a, d.name.name, d.message, kSymEvent, d.span, d.name.span));
          }
        },
        decl);
  }
  return out;
}

// ---- Explanations ----------------------------------------------------------------------------

Json code_lenses(Server& s, const Json& params) {
  const At at = locate(s, params, false);
  Json out = Json::array();
  if (!at.found || at.a.module_only) return out;
  const Module& mod = at.a.modules[static_cast<std::size_t>(at.a.module_of(at.doc.path))];
  for (const Decl& decl : mod.decls) {
    const auto* d = std::get_if<DecisionDecl>(&decl);
    if (d == nullptr) continue;
    out.push_back({{"range", range_json(at.a, d->name.span)},
                   {"command",
                    {{"title", "Explain for the first example school"},
                     {"command", "catengine.explain"},
                     {"arguments", {{{"uri", at.doc.uri}, {"decision", d->name.name}}}}}}});
  }
  return out;
}

Json execute_command(Server& s, const Json& params) {
  const std::string command = params.at("command").get<std::string>();
  if (command != "catengine.explain")
    throw RequestError{ErrorCode::InvalidParams, "no command `" + command + "`"};
  const Json args = params.value("arguments", Json::array());
  if (!args.is_array() || args.empty())
    throw RequestError{ErrorCode::InvalidParams, "catengine.explain needs {uri, urn?}"};
  std::string uri, urn;
  if (args[0].is_string()) {
    uri = args[0];
    if (args.size() > 1 && args[1].is_string()) urn = args[1];
  } else {
    uri = args[0].at("uri").get<std::string>();
    if (args[0].contains("urn")) {
      const Json& u = args[0]["urn"];
      urn = u.is_string() ? u.get<std::string>() : u.dump();
    }
  }
  return explain_example(s, uri, urn);
}

}  // namespace catengine::lsp
