// The checker's first passes: diagnostics helpers, collecting every declaration into one
// namespace (types in their own), and resolving types, literal constants, the record and the
// parameters.
#include "lang/check/checker_impl.hpp"

#include <algorithm>

#include "base/english.hpp"

namespace catengine::lang::checking {

Diagnostic& Checker::error(DiagnosticKind kind, SourceSpan span, std::string message,
                           std::string label, std::string hint) {
  Diagnostic d{kind, span, std::move(message), std::move(label), {}, {}, true};
  if (!hint.empty()) d.hints.push_back(std::move(hint));
  diags_.push_back(std::move(d));
  return diags_.back();
}

std::string Checker::did_you_mean(std::string_view name, const std::vector<std::string>& options) {
  std::string best = closest_match(name, options);
  return best.empty() ? std::string{} : fmt::format("did you mean `{}`?", best);
}

void Checker::declare_value(const std::string& name, SourceSpan span, Kind kind,
                            std::uint32_t index) {
  if (auto it = values_.find(name); it != values_.end()) {
    auto& d =
        error(DiagnosticKind::E0202, span, fmt::format("`{}` is declared twice", name),
              "declared again here", "give each field, definition and parameter its own name");
    d.notes.push_back({it->second.span, "first declared here"});
    return;
  }
  values_[name] = {kind, index, span};
}

void Checker::collect_declarations() {
  const Module* header_module = nullptr;
  for (ModuleId m = 0; m < p_.modules.size(); ++m) {
    const Module& mod = p_.modules[m];
    for (const Decl& decl : mod.decls) {
      if (const auto* h = std::get_if<PolicyHeader>(&decl)) {
        if (m != p_.main_module) continue;  // the loader reports headers in imported modules
        if (header_module != nullptr) {
          error(DiagnosticKind::E0104, h->span, "a policy file has one `policy` header",
                "second header", "remove this line, or split the file into two policies");
          continue;
        }
        header_module = &mod;
        p_.title = h->title;
        p_.cite = h->cite;
      } else if (const auto* e = std::get_if<EnumDecl>(&decl)) {
        collect_enum(*e);
      } else if (const auto* r = std::get_if<RecordDecl>(&decl)) {
        if (record_ != nullptr) {
          auto& d = error(DiagnosticKind::E0402, r->name.span,
                          "a policy reads one kind of record, but this is a second `record`",
                          "second record", "put every field in one `record` block");
          d.notes.push_back({record_->name.span, "the first record is declared here"});
          continue;
        }
        record_ = r;
        record_module_ = m;
      } else if (const auto* sd = std::get_if<SourceDecl>(&decl)) {
        source_decls_.push_back(sd);
      } else if (const auto* pd = std::get_if<ParamDecl>(&decl)) {
        declare_value(pd->name.name, pd->name.span, Kind::Parameter,
                      static_cast<std::uint32_t>(param_sources_.size()));
        param_sources_.push_back({m, pd});
      } else if (const auto* dd = std::get_if<DefineDecl>(&decl)) {
        add_definition(dd->name, {m, dd, nullptr});
      } else if (const auto* dc = std::get_if<DecisionDecl>(&decl)) {
        add_definition(dc->name, {m, nullptr, dc});
      } else if (const auto* cal = std::get_if<CalendarDecl>(&decl)) {
        CalendarInfo info;
        info.name = cal->name.name;
        info.title = cal->title;
        info.path = (std::filesystem::path(p_.module_paths[m]).parent_path() / cal->file)
                        .lexically_normal()
                        .string();
        info.cite = cal->cite;
        info.span = cal->name.span;
        (cal->terms ? p_.term_calendars : p_.calendars).push_back(std::move(info));
      } else if (const auto* n = std::get_if<NoticeDecl>(&decl)) {
        add_notice(*n, m);
      } else if (const auto* cd = std::get_if<CadenceDecl>(&decl)) {
        add_cadence(*cd, m);
      } else if (const auto* w = std::get_if<WarnDecl>(&decl)) {
        warn_sources_.push_back({m, w});
      } else if (const auto* o = std::get_if<OutputDecl>(&decl)) {
        if (output_ != nullptr) {
          auto& d = error(DiagnosticKind::E0209, o->span, "the policy has a second `output` block",
                          "second output", "list every column in one `output` block");
          d.notes.push_back({output_->span, "the first output block is here"});
          continue;
        }
        output_ = o;
        output_module_ = m;
      }
    }
  }
  if (header_module == nullptr && !p_.modules.empty() && !options_.module) {
    Diagnostic d{DiagnosticKind::E0103,
                 {static_cast<FileId>(p_.modules[p_.main_module].file), 0, 0},
                 "this file has no `policy` header",
                 "",
                 {},
                 {},
                 false};
    d.hints.push_back("start the file with `policy \"Title\" cite \"...\"`");
    diags_.push_back(std::move(d));
  }
}

void Checker::collect_enum(const EnumDecl& e) {
  if (auto it = type_names_.find(e.name.name);
      it != type_names_.end() || is_builtin_type(e.name.name)) {
    auto& d =
        error(DiagnosticKind::E0202, e.name.span,
              fmt::format("the type `{}` is declared twice", e.name.name), "declared again here");
    if (it != type_names_.end())
      d.notes.push_back({p_.enums[it->second].span, "first declared here"});
    return;
  }
  if (e.members.empty()) {
    error(DiagnosticKind::E0412, e.name.span, fmt::format("`{}` has no members", e.name.name),
          "empty", "list its values after the colon: `enumeration Phase: primary, secondary`");
  }
  std::set<std::string> seen;
  for (const auto& m : e.members) {
    if (!seen.insert(m.key).second) {
      error(DiagnosticKind::E0205, m.span,
            fmt::format("`{}` appears twice in `{}`", m.key, e.name.name), "repeated member");
    }
  }
  type_names_[e.name.name] = static_cast<std::uint16_t>(p_.enums.size());
  p_.enums.push_back({e.name.name, e.ordered, e.members, e.cite, e.name.span});
}

void Checker::add_definition(const Identifier& name, DefSource source) {
  const auto index = static_cast<std::uint32_t>(p_.definitions.size());
  declare_value(name.name, name.span, Kind::Definition, index);
  DefinitionInfo info;
  info.name = name.name;
  info.is_decision = source.decide != nullptr;
  info.unique = info.is_decision && source.decide->hit_policy == HitPolicy::UniqueMatch;
  info.kind = info.is_decision ? DefinitionInfo::Kind::Decision : DefinitionInfo::Kind::Define;
  info.span = name.span;
  info.cite = source.define ? source.define->cite : source.decide->cite;
  p_.definitions.push_back(std::move(info));
  def_sources_.push_back(source);
  def_state_.push_back(DefState::Unchecked);
}

// A definition computed by a notice or cadence. `visible` binds its name in expressions.
std::uint32_t Checker::add_hidden(std::string name, SourceSpan span, Type type,
                                  DefinitionInfo::Kind kind, std::uint32_t owner,
                                  std::uint32_t part, bool visible, std::optional<Citation> cite) {
  const auto index = static_cast<std::uint32_t>(p_.definitions.size());
  if (visible) declare_value(name, span, Kind::Definition, index);
  DefinitionInfo info;
  info.name = std::move(name);
  info.type = type;
  info.kind = kind;
  info.owner = owner;
  info.part = part;
  info.span = span;
  info.cite = std::move(cite);
  p_.definitions.push_back(std::move(info));
  def_sources_.push_back({0, nullptr, nullptr});
  def_state_.push_back(DefState::Typed);
  return index;
}

void Checker::add_notice(const NoticeDecl& n, ModuleId m) {
  using K = DefinitionInfo::Kind;
  const auto index = static_cast<std::uint32_t>(p_.notices.size());
  NoticeInfo info;
  info.name = n.name.name;
  info.title = n.title;
  info.cite = n.cite;
  info.span = n.name.span;
  for (std::uint32_t g = 0; g < n.grounds.size(); ++g) {
    const auto& ground = n.grounds[g];
    info.ground_defs.push_back(add_hidden(fmt::format("{}.{}", n.name.name, ground.id.name),
                                          ground.id.span, kBoolean, K::NoticeGround, index, g,
                                          false, ground.cite ? ground.cite : n.cite));
  }
  info.issued_def =
      add_hidden(n.name.name, n.name.span, kBoolean, K::NoticeIssued, index, 0, true, n.cite);
  info.grounds_def = add_hidden(n.name.name + ".grounds", n.name.span, kText, K::NoticeGrounds,
                                index, 0, false, n.cite);
  info.letters_def = add_hidden(n.name.name + ".ground_letters", n.name.span, kText,
                                K::NoticeGroundLetters, index, 0, false, n.cite);
  info.due_def = add_hidden(n.name.name + ".due", n.name.span, kDate.maybe(true), K::NoticeDue,
                            index, 0, false, n.cite);
  p_.notices.push_back(std::move(info));
  notice_sources_.push_back({m, &n, nullptr});
  if (n.grounds.size() > 16) {
    error(DiagnosticKind::E0403, n.name.span,
          fmt::format("`{}` has {} grounds; a notice may have at most 16", n.name.name,
                      n.grounds.size()),
          "too many grounds");
  }
}

void Checker::add_cadence(const CadenceDecl& c, ModuleId m) {
  using K = DefinitionInfo::Kind;
  const auto index = static_cast<std::uint32_t>(p_.cadences.size());
  if (auto [it, fresh] = cadence_names_.emplace(c.name.name, index); !fresh) {
    error(DiagnosticKind::E0202, c.name.span,
          fmt::format("the cadence `{}` is declared twice", c.name.name), "declared again here");
    return;
  }
  CadenceInfo info;
  info.name = c.name.name;
  info.title = c.title;
  info.cite = c.cite;
  info.span = c.name.span;
  info.next_def = add_hidden(c.name.name + ".next_due", c.name.span, kDate.maybe(true),
                             K::CadenceNext, index, 0, false, c.cite);
  info.overdue_def = add_hidden(c.name.name + ".overdue", c.name.span, kBoolean, K::CadenceOverdue,
                                index, 0, false, c.cite);
  p_.cadences.push_back(std::move(info));
  cadence_sources_.push_back({m, nullptr, &c});
}

bool Checker::is_builtin_type(const std::string& n) {
  static const std::set<std::string> names{"integer", "number", "percent",      "boolean",
                                           "text",    "date",   "academic year"};
  return names.count(n) != 0;
}

Type Checker::resolve_type(const TypeRef& t) {
  Type out = kErrorType;
  if (t.name == "integer")
    out = kInteger;
  else if (t.name == "number")
    out = kNumber;
  else if (t.name == "percent")
    out = {BaseType::Percent, 0, false};
  else if (t.name == "boolean")
    out = kBoolean;
  else if (t.name == "text")
    out = kText;
  else if (t.name == "date")
    out = kDate;
  else if (t.name == "academic year")
    out = {BaseType::AcademicYear, 0, false};
  else if (auto it = type_names_.find(t.name); it != type_names_.end()) {
    out = {BaseType::Enum, it->second, false};
  } else {
    std::vector<std::string> options{"integer", "number", "percent", "boolean", "text", "date"};
    for (const auto& e : p_.enums) options.push_back(e.name);
    error(DiagnosticKind::E0203, t.span, fmt::format("unknown type `{}`", t.name), "unknown type",
          did_you_mean(t.name, options).empty()
              ? "declare it with `enumeration` or `scale`, or use a built-in type: integer, "
                "number, percent, boolean, text, date, academic year"
              : did_you_mean(t.name, options));
    return kErrorType;
  }
  out.optional = t.optional;
  return out;
}

// Checks a literal against `expected` and returns its value, or nullopt after reporting.
std::optional<Value> Checker::constant(ModuleId m, ExprId e, const Type& expected,
                                       std::string_view what) {
  Type t = check(m, e, &expected);
  if (t.is_error()) return std::nullopt;
  const Expr& x = p_.modules[m].expr(e);
  const Resolution& r = p_.tables[m].resolutions[e];
  if (r.kind == Kind::Literal || r.kind == Kind::EnumMember) {
    if (expected.base == BaseType::Text) {
      error(DiagnosticKind::E0403, x.span, fmt::format("{} cannot be text", what), "text value",
            "leave the column optional (`text?`) instead");
      return std::nullopt;
    }
    if (!assignable(t, expected.required())) {
      mismatch(x.span, expected.required(), t, what);
      return std::nullopt;
    }
    return r.value;
  }
  if (x.kind == ExprKind::Unary && x.op == Op::Neg) {
    const Resolution& inner = p_.tables[m].resolutions[x.args[0]];
    if (inner.kind == Kind::Literal && t.is_numeric() && assignable(t, expected.required())) {
      return -inner.value;
    }
  }
  error(DiagnosticKind::E0403, x.span,
        fmt::format("{} must be a single value, not a calculation", what), "not a literal",
        "write a number, a date, `yes`/`no` or a member of the type");
  return std::nullopt;
}

void Checker::mismatch(SourceSpan span, const Type& expected, const Type& found,
                       std::string_view what) {
  error(DiagnosticKind::E0301, span,
        fmt::format("{} should be {}, but this is {}", what, article(expected), article(found)),
        fmt::format("{}", tn(found)));
}

std::string Checker::article(const Type& t) const {
  std::string n = tn(t.required());
  std::string s = (n[0] == 'a' || n[0] == 'e' || n[0] == 'i' || n[0] == 'o' || n[0] == 'u')
                      ? "an `" + n + "`"
                      : "a `" + n + "`";
  if (t.optional) s += " that may be missing";
  return s;
}

void Checker::resolve_record() {
  if (record_ == nullptr) {
    if (!p_.modules.empty() && !options_.module) {
      Diagnostic d{DiagnosticKind::E0401,
                   {p_.modules[p_.main_module].file, 0, 0},
                   "the policy declares no `record`, so it cannot read any data",
                   "",
                   {},
                   {},
                   false};
      d.hints.push_back("add a `record School` block listing the fields each row of data has");
      diags_.push_back(std::move(d));
    }
    return;
  }
  RecordInfo& rec = p_.record;
  rec.name = record_->name.name;
  rec.cite = record_->cite;
  rec.span = record_->name.span;
  rec.reading = reading_info(rec.reading, record_->reading);
  rec.optional_columns_may_be_absent = record_->optional_columns_may_be_absent.has_value();
  resolve_sources();
  std::map<std::pair<std::uint32_t, std::string>, SourceSpan> columns;
  for (const auto& f : record_->fields) {
    FieldInfo info;
    info.name = f.name.name;
    info.column = f.column.value_or(f.name.name);
    info.type = resolve_type(f.type);
    info.key = f.key;
    info.may_be_absent = f.may_be_absent;
    info.required_in_file = f.required_in_file;
    info.shown = f.shown;
    info.cite = f.cite;
    info.span = f.name.span;
    if (f.source) info.source = source_of_field(f);
    if (auto [it, fresh] = columns.emplace(std::pair{info.source, info.column}, f.span); !fresh) {
      auto& d = error(DiagnosticKind::E0209, f.span,
                      fmt::format("two fields read the column `{}`", info.column), "second use");
      d.notes.push_back({it->second, "first read here"});
    }
    if (f.missing_means != kNoExpr && !info.type.is_error()) {
      if (info.type.optional) {
        error(DiagnosticKind::E0403, p_.modules[record_module_].expr(f.missing_means).span,
              fmt::format("`{}` is optional (`?`) and also has a default", info.name), "default",
              "drop the `?`: with `missing means`, the field always has a value");
      } else if (auto v = constant(record_module_, f.missing_means, info.type,
                                   fmt::format("the default of `{}`", info.name))) {
        info.missing_means = *v;
      }
      info.required = false;
    } else {
      info.required = !info.type.optional;
    }
    if (f.may_be_absent && info.required && !info.type.is_error()) {
      error(DiagnosticKind::E0418, f.span,
            fmt::format("`{}` is required, so its column must be in the file", info.name),
            "may be absent",
            fmt::format("make the field optional (`{}?`) or give it a default (`missing means "
                        "...`), or drop `may be absent`",
                        f.type.name));
    }
    if (!rec.sources.empty() && info.source != 0 && info.required && !info.type.is_error()) {
      error(DiagnosticKind::E0416, f.span,
            fmt::format("`{}` is read from source `{}`, joined to the school list, so a school "
                        "absent from that file has no value for it",
                        info.name, rec.sources[info.source].name),
            "required",
            fmt::format("make the field optional (`{}?`) or give it a default (`missing means "
                        "...`)",
                        f.type.name));
    }
    if (f.required_in_file && (rec.sources.empty() || info.source == 0) && !info.type.is_error()) {
      error(DiagnosticKind::E0418, f.span,
            fmt::format("`required in its file` is for a field of a joined source, but `{}` is "
                        "read from the school list",
                        info.name),
            "required in its file",
            "a field of the school list is required when its type has no `?`: drop `?` and "
            "`required in its file`");
    } else if (f.required_in_file && info.required && !info.type.is_error()) {
      error(DiagnosticKind::E0418, f.span,
            fmt::format("`{}` has a value whenever the school is in its file, so it is `required "
                        "in its file` only when its type has `?`",
                        info.name),
            "required in its file",
            fmt::format("write `{}?`: a school absent from the file still has no value",
                        f.type.name));
    }
    if (f.key && f.source) {
      error(DiagnosticKind::E0414, f.source->span,
            fmt::format("the key field `{}` is read from every source", info.name), "from",
            "drop `from ...`; each source names its key's header with `key column \"...\"`");
    }
    if (f.key) {
      if (const auto earlier = rec.key_field()) {
        error(DiagnosticKind::E0420, f.span,
              fmt::format("`{}` is marked `key`, but `{}` already is", info.name,
                          rec.fields[*earlier].name),
              "second key",
              fmt::format("a record has one key, the column that tells one school from another: "
                          "remove `key` from `{}` or from `{}`",
                          rec.fields[*earlier].name, info.name));
      }
    }
    if (f.key && !info.required) {
      error(DiagnosticKind::E0411, f.span,
            fmt::format("the key field `{}` may be missing", info.name), "optional key",
            "a key identifies each record, so every row must have one: remove the `?`");
    }
    if (f.low != kNoExpr && !info.type.is_error()) {
      Type bound = info.type.required();
      if (!bound.is_numeric()) {
        error(DiagnosticKind::E0306, f.span,
              "`between` bounds only numbers, percentages and whole numbers", "not a number");
      } else {
        auto lo = constant(record_module_, f.low, bound, "the lower bound");
        auto hi = constant(record_module_, f.high, bound, "the upper bound");
        if (lo && hi) {
          info.low = *lo;
          info.high = *hi;
        }
      }
    }
    declare_value(info.name, info.span, Kind::Field, static_cast<std::uint32_t>(rec.fields.size()));
    rec.fields.push_back(std::move(info));
  }
  // `if absent then previous X`: made after every field, so hidden fields come last.
  for (std::size_t i = 0; i < record_->fields.size(); ++i) {
    const FieldDecl& f = record_->fields[i];
    if (!f.absent_previous) continue;
    Expr ref;
    ref.kind = ExprKind::Name;
    ref.text = "previous " + f.absent_previous->name;
    ref.span = f.absent_previous->span;
    const auto hidden = previous_field(ref);
    if (!hidden || rec.fields[i].type.is_error()) continue;
    FieldInfo& info = rec.fields[i];
    const Type from = rec.fields[*hidden].type;
    if (info.required || from.base != info.type.base || from.enum_id != info.type.enum_id) {
      error(DiagnosticKind::E0301, f.span,
            fmt::format("`{}` takes the previous run's `{}` when its column is absent, so it must "
                        "have that column's type and may be missing",
                        info.name, f.absent_previous->name),
            "if absent", fmt::format("write the field's type as `{}`", tn(from)));
      continue;
    }
    info.absent_previous = static_cast<std::int32_t>(*hidden);
    info.may_be_absent = true;
  }
  if (rec.sources.empty()) return;
  const auto key =
      std::find_if(rec.fields.begin(), rec.fields.end(), [](const FieldInfo& f) { return f.key; });
  if (key == rec.fields.end()) {
    error(DiagnosticKind::E0419, rec.span,
          fmt::format("the record reads {} sources, joined on its key, but no field is the key",
                      rec.sources.size()),
          "no key", "mark the field that identifies a school `key`: `field urn: integer, key`");
    return;
  }
  for (SourceInfo& s : rec.sources) {
    if (s.key_column.empty()) s.key_column = key->column;
  }
}

ReadingInfo Checker::reading_info(const ReadingInfo& base, const std::vector<ReadingRule>& rules) {
  ReadingInfo out = base;
  for (const auto& rule : rules) {
    switch (rule.kind) {
      case ReadingRule::Kind::MissingValues:
        out.missing_values = rule.words;
        break;
      case ReadingRule::Kind::YesWords:
        out.yes_words = rule.words;
        break;
      case ReadingRule::Kind::NoWords:
        out.no_words = rule.words;
        break;
      case ReadingRule::Kind::DateFormats:
        out.date_formats.clear();
        for (const auto& w : rule.words) {
          // `DD/MM/YYYY` is how Ofsted and GIAS describe their dates; it reads as `D/M/YYYY`
          // does (one or two digits for day and month).
          if (w == "YYYY-MM-DD" || w == "D/M/YYYY" || w == "DD/MM/YYYY") {
            out.date_formats.push_back(w == "DD/MM/YYYY" ? "D/M/YYYY" : w);
          } else {
            error(DiagnosticKind::E0410, rule.span,
                  fmt::format("`{}` is not a date format catengine reads", w), "unknown format",
                  "the formats are \"YYYY-MM-DD\" and \"DD/MM/YYYY\" (also written "
                  "\"D/M/YYYY\")");
          }
        }
        break;
    }
  }
  return out;
}

void Checker::resolve_sources() {
  RecordInfo& rec = p_.record;
  std::map<std::string, SourceSpan> names;
  for (const SourceDecl* d : source_decls_) {
    if (auto [it, fresh] = names.emplace(d->name.name, d->name.span); !fresh) {
      auto& diag = error(DiagnosticKind::E0415, d->name.span,
                         fmt::format("source `{}` is declared twice", d->name.name),
                         "declared again here", "give each file its own name");
      diag.notes.push_back({it->second, "first declared here"});
      continue;
    }
    SourceInfo info;
    info.name = d->name.name;
    info.title = d->title;
    info.cite = d->cite;
    info.span = d->name.span;
    info.reading = reading_info(rec.reading, d->reading);
    info.may_be_absent = d->may_be_absent.has_value();
    info.optional_columns_may_be_absent =
        rec.optional_columns_may_be_absent || d->optional_columns_may_be_absent.has_value();
    if (d->encoding) {
      if (auto e = encoding_named(*d->encoding)) {
        info.encoding = *e;
      } else {
        error(DiagnosticKind::E0417, d->encoding_span,
              fmt::format("catengine does not read text encoded as `{}`", *d->encoding),
              "unknown encoding",
              fmt::format("the encodings are {}; save the file in one of them",
                          kEncodingNamesInWords));
      }
    }
    if (d->may_be_absent && rec.sources.empty()) {
      error(DiagnosticKind::E0415, *d->may_be_absent,
            fmt::format("source `{}` is the first, so it is the school list: it must be given",
                        info.name),
            "may be absent", "declare the school list first and the optional files after it");
    }
    info.key_column = d->key_column.value_or("");  // the key field's name: filled in below
    for (const RowTest& t : d->row_tests) info.row_tests.push_back({t.column, t.values});
    rec.sources.push_back(std::move(info));
  }
}

std::uint32_t Checker::source_of_field(const FieldDecl& f) {
  const RecordInfo& rec = p_.record;
  for (std::uint32_t i = 0; i < rec.sources.size(); ++i) {
    if (rec.sources[i].name == f.source->name) return i;
  }
  std::vector<std::string> names, plain;
  for (const auto& s : rec.sources) {
    names.push_back("`" + s.name + "`");
    plain.push_back(s.name);
  }
  const std::string near = closest_match(f.source->name, plain);
  error(DiagnosticKind::E0414, f.source->span,
        fmt::format("there is no source `{}`", f.source->name), "unknown source",
        names.empty()  ? std::string("declare it first: `source " + f.source->name +
                                     " \"What the file is\"` with its `key column`")
        : near.empty() ? "the sources are " + list_in_words(names, "and")
                       : fmt::format("did you mean `{}`? The sources are {}", near,
                                     list_in_words(names, "and")));
  return 0;
}

void Checker::resolve_parameters() {
  // Plain variables rather than a structured binding: lambdas below capture them.
  for (const auto& source : param_sources_) {
    const ModuleId m = source.first;
    const ParamDecl* decl = source.second;
    ParamInfo info;
    info.name = decl->name.name;
    info.type = resolve_type(decl->type);
    info.by_date = decl->by_date;
    info.cite = decl->cite;
    info.span = decl->name.span;
    if (info.type.optional) {
      error(DiagnosticKind::E0301, decl->type.span, "a parameter's values cannot be missing",
            "optional", "remove the `?`; a year with no entry is already missing");
      info.type.optional = false;
    }
    for (const auto& e : decl->entries) {
      ParamEntryInfo entry;
      entry.cite = e.cite;
      entry.span = e.span;
      auto key = [&](const std::string& text) -> std::optional<Value> {
        if (decl->by_date) {
          Value v = parse_date_literal(text);
          if (v == kMissing) {
            error(DiagnosticKind::E0405, e.span, fmt::format("`{}` is not a date", text),
                  "expected YYYY-MM-DD",
                  "a parameter `by date` is keyed by dates such as 2018-09-01");
            return std::nullopt;
          }
          return v;
        }
        if (text.size() != 4 || text.find('-') != std::string::npos) {
          error(DiagnosticKind::E0403, e.span, fmt::format("`{}` is not a year", text),
                "expected a year", "a parameter `by year` is keyed by years such as 2017");
          return std::nullopt;
        }
        return std::stoll(text);
      };
      auto from = key(e.from);
      auto to = e.to.empty() ? from : key(e.to);
      if (!from || !to) continue;
      if (*to < *from) {
        error(DiagnosticKind::E0408, e.span,
              fmt::format("this range runs backwards, from {} to {}", e.from, e.to),
              "backwards range");
        continue;
      }
      entry.from = *from;
      entry.to = *to;
      if (info.type.is_error()) continue;
      auto v = constant(m, e.value, info.type, fmt::format("a value of `{}`", info.name));
      if (!v) continue;
      entry.value = *v;
      info.entries.push_back(std::move(entry));
    }
    std::sort(info.entries.begin(), info.entries.end(),
              [](const auto& a, const auto& b) { return a.from < b.from; });
    for (std::size_t i = 1; i < info.entries.size(); ++i) {
      if (info.entries[i].from <= info.entries[i - 1].to) {
        auto& d = error(DiagnosticKind::E0408, info.entries[i].span,
                        fmt::format("this entry of `{}` overlaps an earlier one", info.name),
                        "overlapping entry", "each year (or date) may have only one value");
        d.notes.push_back({info.entries[i - 1].span, "the entry it overlaps"});
      }
    }
    p_.parameters.push_back(std::move(info));
  }
}

}  // namespace catengine::lang::checking
