// Resolves every name in a loaded policy and works out the type of every expression, recording
// both in side tables. Declarations from all modules share one namespace; types (enumerations
// and scales) have their own. Definitions may appear in any order: their types are worked out on
// demand, and a cycle among them is reported once, at the definition that closes it.
#include "lang/check/checker.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <set>

#include <fmt/format.h>

#include "lang/check/builtins.hpp"
#include "base/date.hpp"

namespace catengine::lang {

std::string type_name(const Type& t, const std::vector<EnumInfo>& enums) {
  std::string base;
  switch (t.base) {
    case BaseType::Error:
      base = "unknown";
      break;
    case BaseType::Integer:
      base = "integer";
      break;
    case BaseType::Number:
      base = "number";
      break;
    case BaseType::Percent:
      base = "percent";
      break;
    case BaseType::Boolean:
      base = "boolean";
      break;
    case BaseType::Text:
      base = "text";
      break;
    case BaseType::Date:
      base = "date";
      break;
    case BaseType::AcademicYear:
      base = "academic year";
      break;
    case BaseType::Enum:
      base = t.enum_id < enums.size() ? enums[t.enum_id].name : "?";
      break;
  }
  return t.optional ? base + "?" : base;
}

namespace {

using Kind = Resolution::Kind;

// Definitions deeper than this written out in full are typed bottom-up (type_bottom_up) rather
// than on demand. Far above what policies reach (the shipped ones: 23), far below the stack.
constexpr int kEagerDepth = 64;

// A literal date `YYYY-MM-DD` as days since 1970-01-01, or kMissing when no such date.
Value parse_date_literal(std::string_view s) {
  return parse_iso_date(s).value_or(kMissing);
}

class Checker {
 public:
  Checker(LoadedPolicy loaded, const CheckOptions& options) : options_(options) {
    p_.module_paths = std::move(loaded.paths);
    p_.modules = std::move(loaded.modules);
    p_.main_module = p_.modules.empty() ? 0 : static_cast<ModuleId>(p_.modules.size() - 1);
    p_.tables.resize(p_.modules.size());
    for (std::size_t m = 0; m < p_.modules.size(); ++m) {
      p_.tables[m].types.assign(p_.modules[m].exprs.size(), kErrorType);
      p_.tables[m].resolutions.assign(p_.modules[m].exprs.size(), Resolution{});
    }
  }

  CheckResult run() {
    collect_declarations();
    if (!definitions_shallow_enough()) {
      CheckResult r;
      r.diagnostics = std::move(diags_);
      return r;
    }
    resolve_record();
    resolve_parameters();
    for (std::uint32_t i = 0; i < p_.definitions.size(); ++i) definition_type(i);
    for (std::uint32_t i = 0; i < p_.definitions.size(); ++i) {
      if (def_sources_[i].define != nullptr || def_sources_[i].decide != nullptr)
        check_definition_body(i);
    }
    for (std::uint32_t i = 0; i < p_.notices.size(); ++i) check_notice(i);
    for (std::uint32_t i = 0; i < p_.cadences.size(); ++i) check_cadence(i);
    order_definitions();
    check_outputs();
    CheckResult r;
    r.diagnostics = std::move(diags_);
    if (!has_errors(r.diagnostics)) r.policy = std::move(p_);
    return r;
  }

 private:
  // ---- Diagnostics ---------------------------------------------------------------------------

  Diagnostic& error(DiagnosticKind kind, SourceSpan span, std::string message, std::string label,
                    std::string hint = {}) {
    Diagnostic d{kind, span, std::move(message), std::move(label), {}, {}, true};
    if (!hint.empty()) d.hints.push_back(std::move(hint));
    diags_.push_back(std::move(d));
    return diags_.back();
  }

  std::string tn(const Type& t) const { return type_name(t, p_.enums); }

  static std::string did_you_mean(std::string_view name, const std::vector<std::string>& options) {
    std::string best = closest_match(name, options);
    return best.empty() ? std::string{} : fmt::format("did you mean `{}`?", best);
  }

  // ---- Declarations --------------------------------------------------------------------------

  struct DefSource {
    ModuleId module;
    const DefineDecl* define = nullptr;
    const DecisionDecl* decide = nullptr;
  };
  // Hidden definitions (results of notices and cadences) have no DefSource body of their own:
  // their expressions are checked once, with the declaration.
  struct DeclSource {
    ModuleId module;
    const NoticeDecl* notice = nullptr;
    const CadenceDecl* cadence = nullptr;
  };

  void declare_value(const std::string& name, SourceSpan span, Kind kind, std::uint32_t index) {
    if (auto it = values_.find(name); it != values_.end()) {
      auto& d =
          error(DiagnosticKind::E0202, span, fmt::format("`{}` is declared twice", name),
                "declared again here", "give each field, definition and parameter its own name");
      d.notes.push_back({it->second.span, "first declared here"});
      return;
    }
    values_[name] = {kind, index, span};
  }

  void collect_declarations() {
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
          p_.calendars.push_back(std::move(info));
        } else if (const auto* n = std::get_if<NoticeDecl>(&decl)) {
          add_notice(*n, m);
        } else if (const auto* cd = std::get_if<CadenceDecl>(&decl)) {
          add_cadence(*cd, m);
        } else if (const auto* o = std::get_if<OutputDecl>(&decl)) {
          if (output_ != nullptr) {
            auto& d =
                error(DiagnosticKind::E0209, o->span, "the policy has a second `output` block",
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

  void collect_enum(const EnumDecl& e) {
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

  void add_definition(const Identifier& name, DefSource source) {
    const auto index = static_cast<std::uint32_t>(p_.definitions.size());
    declare_value(name.name, name.span, Kind::Definition, index);
    DefinitionInfo info;
    info.name = name.name;
    info.is_decision = source.decide != nullptr;
    info.kind = info.is_decision ? DefinitionInfo::Kind::Decision : DefinitionInfo::Kind::Define;
    info.span = name.span;
    info.cite = source.define ? source.define->cite : source.decide->cite;
    p_.definitions.push_back(std::move(info));
    def_sources_.push_back(source);
    def_state_.push_back(DefState::Unchecked);
  }

  // A definition computed by a notice or cadence. `visible` binds its name in expressions.
  std::uint32_t add_hidden(std::string name, SourceSpan span, Type type, DefinitionInfo::Kind kind,
                           std::uint32_t owner, std::uint32_t part, bool visible,
                           std::optional<Citation> cite) {
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

  void add_notice(const NoticeDecl& n, ModuleId m) {
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

  void add_cadence(const CadenceDecl& c, ModuleId m) {
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
    info.overdue_def = add_hidden(c.name.name + ".overdue", c.name.span, kBoolean,
                                  K::CadenceOverdue, index, 0, false, c.cite);
    p_.cadences.push_back(std::move(info));
    cadence_sources_.push_back({m, nullptr, &c});
  }

  static bool is_builtin_type(const std::string& n) {
    static const std::set<std::string> names{"integer", "number", "percent",      "boolean",
                                             "text",    "date",   "academic year"};
    return names.count(n) != 0;
  }

  Type resolve_type(const TypeRef& t) {
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

  // ---- Constants (literals in declarations) ----------------------------------------------------

  // Checks a literal against `expected` and returns its value, or nullopt after reporting.
  std::optional<Value> constant(ModuleId m, ExprId e, const Type& expected, std::string_view what) {
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

  void mismatch(SourceSpan span, const Type& expected, const Type& found, std::string_view what) {
    error(DiagnosticKind::E0301, span,
          fmt::format("{} should be {}, but this is {}", what, article(expected), article(found)),
          fmt::format("{}", tn(found)));
  }

  std::string article(const Type& t) const {
    std::string n = tn(t.required());
    std::string s = (n[0] == 'a' || n[0] == 'e' || n[0] == 'i' || n[0] == 'o' || n[0] == 'u')
                        ? "an `" + n + "`"
                        : "a `" + n + "`";
    if (t.optional) s += " that may be missing";
    return s;
  }

  // ---- Record --------------------------------------------------------------------------------

  void resolve_record() {
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
    for (const auto& rule : record_->reading) {
      switch (rule.kind) {
        case ReadingRule::Kind::MissingValues:
          rec.reading.missing_values = rule.words;
          break;
        case ReadingRule::Kind::YesWords:
          rec.reading.yes_words = rule.words;
          break;
        case ReadingRule::Kind::NoWords:
          rec.reading.no_words = rule.words;
          break;
        case ReadingRule::Kind::DateFormats:
          for (const auto& w : rule.words) {
            if (w != "YYYY-MM-DD" && w != "D/M/YYYY") {
              error(DiagnosticKind::E0410, rule.span,
                    fmt::format("`{}` is not a date format catengine reads", w), "unknown format",
                    "the formats are \"YYYY-MM-DD\" and \"D/M/YYYY\"");
            }
          }
          rec.reading.date_formats = rule.words;
          break;
      }
    }
    std::map<std::string, SourceSpan> columns;
    for (const auto& f : record_->fields) {
      FieldInfo info;
      info.name = f.name.name;
      info.column = f.column.value_or(f.name.name);
      info.type = resolve_type(f.type);
      info.key = f.key;
      info.cite = f.cite;
      info.span = f.name.span;
      if (auto [it, fresh] = columns.emplace(info.column, f.span); !fresh) {
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
      declare_value(info.name, info.span, Kind::Field,
                    static_cast<std::uint32_t>(rec.fields.size()));
      rec.fields.push_back(std::move(info));
    }
  }

  // ---- Parameters ----------------------------------------------------------------------------

  void resolve_parameters() {
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

  // ---- Definitions ---------------------------------------------------------------------------

  enum class DefState { Unchecked, InProgress, Typed, BodyChecked };

  // The type of a definition, checking its body first when it has no annotation.
  Type definition_type(std::uint32_t i) {
    DefinitionInfo& def = p_.definitions[i];
    if (def_state_[i] == DefState::Typed || def_state_[i] == DefState::BodyChecked) return def.type;
    if (def_state_[i] == DefState::InProgress) {
      return kErrorType;  // a cycle; order_definitions() reports it
    }
    const DefSource& src = def_sources_[i];
    if (src.decide != nullptr) {
      def.type = resolve_type(src.decide->type);
      bool has_otherwise =
          !src.decide->rules.empty() && src.decide->rules.back().condition == kNoExpr;
      if (!has_otherwise) def.type.optional = true;
      def_state_[i] = DefState::Typed;
    } else if (src.define->type) {
      def.type = resolve_type(*src.define->type);
      def_state_[i] = DefState::Typed;
    } else {
      def_state_[i] = DefState::InProgress;
      check_definition_body(i);
    }
    return def.type;
  }

  void check_definition_body(std::uint32_t i) {
    if (def_state_[i] == DefState::BodyChecked) return;
    DefinitionInfo& def = p_.definitions[i];
    const DefSource& src = def_sources_[i];
    const bool inferred = def_state_[i] == DefState::InProgress;
    def_state_[i] = DefState::InProgress;
    auto saved_deps = std::move(current_deps_);
    current_deps_.clear();
    auto saved_present = std::move(present_);
    present_.clear();
    if (src.define != nullptr) {
      const Type* expected = inferred ? nullptr : &def.type;
      Type body = check(src.module, src.define->body, expected);
      def.body = {src.module, src.define->body};
      if (inferred) {
        def.type = body;
      } else if (!body.is_error() && !def.type.is_error()) {
        require_assignable(src.module, src.define->body, body, def.type,
                           fmt::format("`{}`", def.name));
      }
    } else {
      check_rules(i, src);
    }
    std::sort(current_deps_.begin(), current_deps_.end());
    current_deps_.erase(std::unique(current_deps_.begin(), current_deps_.end()),
                        current_deps_.end());
    def.depends_on = std::move(current_deps_);
    current_deps_ = std::move(saved_deps);
    present_ = std::move(saved_present);
    def_state_[i] = DefState::BodyChecked;
  }

  void check_rules(std::uint32_t i, const DefSource& src) {
    DefinitionInfo& def = p_.definitions[i];
    const DecisionDecl& dc = *src.decide;
    if (dc.rules.empty()) {
      error(DiagnosticKind::E0406, dc.name.span, fmt::format("`{}` has no rules", def.name),
            "no rules",
            "add at least one `rule ID \"title\" when ... then ...`, and usually an `otherwise`");
    }
    std::map<std::string, SourceSpan> ids;
    bool after_otherwise = false;
    // Rule values have the declared type; only the decision as a whole becomes optional when
    // it has no `otherwise`.
    const Type value_type =
        def.type.is_error() ? kErrorType : def.type.required().maybe(dc.type.optional);
    std::size_t narrowed = present_.size();
    for (const Rule& rule : dc.rules) {
      if (auto [it, fresh] = ids.emplace(rule.id.name, rule.id.span); !fresh) {
        auto& d = error(DiagnosticKind::E0206, rule.id.span,
                        fmt::format("`{}` already names a rule of `{}`", rule.id.name, def.name),
                        "repeated id", "give each rule its own id, so explanations can name it");
        d.notes.push_back({it->second, "first used here"});
      }
      if (after_otherwise) {
        error(DiagnosticKind::E0407, rule.span,
              fmt::format("rule `{}` comes after the `otherwise` rule, so it can never apply",
                          rule.id.name),
              "unreachable", "move the `otherwise` rule to the end");
      }
      RuleInfo info;
      info.id = rule.id.name;
      info.title = rule.title;
      info.cite = rule.cite ? rule.cite : def.cite;
      info.span = rule.span;
      info.condition = {src.module, rule.condition};
      info.value = {src.module, rule.value};
      if (rule.condition == kNoExpr) {
        after_otherwise = true;
      } else {
        check_condition(src.module, rule.condition, fmt::format("rule `{}`", rule.id.name));
      }
      Type v = check(src.module, rule.value, value_type.is_error() ? nullptr : &value_type);
      if (!v.is_error() && !value_type.is_error()) {
        require_assignable(src.module, rule.value, v, value_type,
                           fmt::format("the value of rule `{}`", rule.id.name));
      }
      // A rule `when X is missing` that did not fire tells later rules that X is present.
      if (rule.condition != kNoExpr) {
        if (auto sym = missing_test(src.module, rule.condition, false)) present_.push_back(*sym);
      }
      def.rules.push_back(std::move(info));
    }
    present_.resize(narrowed);
  }

  void check_condition(ModuleId m, ExprId e, const std::string& whose) {
    Type t = check(m, e, &kBoolean);
    if (t.is_error()) return;
    const Expr& x = p_.modules[m].expr(e);
    if (t.base != BaseType::Boolean) {
      error(
          DiagnosticKind::E0305, x.span,
          fmt::format("the condition of {} should be yes or no, but this is {}", whose, article(t)),
          "not a condition", "compare it with something, e.g. `is`, `<`, `in [...]`");
      return;
    }
    if (t.optional) {
      std::string culprit = first_optional_name(m, e);
      error(DiagnosticKind::E0302, x.span,
            culprit.empty()
                ? fmt::format("the condition of {} may be missing", whose)
                : fmt::format("the condition of {} may be missing, because `{}` may be missing",
                              whose, culprit),
            "may be missing",
            "say what happens when it is missing: add `if missing no` after the condition");
    }
  }

  void require_assignable(ModuleId m, ExprId e, const Type& found, const Type& wanted,
                          const std::string& what) {
    const Expr& x = p_.modules[m].expr(e);
    if (!assignable(found.required(), wanted.required())) {
      mismatch(x.span, wanted, found, what);
    } else if (found.optional && !wanted.optional) {
      std::string culprit = first_optional_name(m, e);
      error(DiagnosticKind::E0302, x.span,
            culprit.empty()
                ? fmt::format("{} should always have a value, but this may be missing", what)
                : fmt::format("{} should always have a value, but this may be missing, because "
                              "`{}` may be missing",
                              what, culprit),
            "may be missing",
            fmt::format("add `if missing VALUE` to say what it is then, or declare the type `{}`",
                        tn(wanted.maybe(true))));
    }
  }

  static bool assignable(const Type& from, const Type& to) {
    if (from.is_error() || to.is_error()) return true;
    if (from.base == to.base) return from.base != BaseType::Enum || from.enum_id == to.enum_id;
    if (from.is_numeric() && to.is_numeric()) {
      return to.base != BaseType::Integer;  // integer -> number/percent widens; not back
    }
    return false;
  }

  // The first field or definition in the expression whose value may be missing.
  std::string first_optional_name(ModuleId m, ExprId e) const {
    const Expr& x = p_.modules[m].expr(e);
    const Resolution& r = p_.tables[m].resolutions[e];
    if (x.kind == ExprKind::Name && (r.kind == Kind::Field || r.kind == Kind::Definition) &&
        p_.tables[m].types[e].optional) {
      return x.text;
    }
    if (x.kind == ExprKind::IfMissing) return {};
    for (ExprId a : x.args) {
      if (a == kNoExpr) continue;
      std::string s = first_optional_name(m, a);
      if (!s.empty()) return s;
    }
    return {};
  }

  // When `e` is `NAME is missing` (or, with negated, `NAME is not missing`), the symbol it tests.
  std::optional<std::pair<Kind, std::uint32_t>> missing_test(ModuleId m, ExprId e,
                                                             bool negated) const {
    const Expr& x = p_.modules[m].expr(e);
    if (x.kind != ExprKind::IsMissing || x.negated != negated) return std::nullopt;
    const Resolution& r = p_.tables[m].resolutions[x.args[0]];
    if (r.kind != Kind::Field && r.kind != Kind::Definition) return std::nullopt;
    return std::make_pair(r.kind, r.index);
  }

  // Checks an expression and returns the definitions it reads.
  template <typename F>
  std::vector<std::uint32_t> reading(F&& f) {
    auto saved = std::move(current_deps_);
    current_deps_.clear();
    f();
    auto deps = std::move(current_deps_);
    current_deps_ = std::move(saved);
    return deps;
  }

  static void merge(std::vector<std::uint32_t>& into, const std::vector<std::uint32_t>& more) {
    into.insert(into.end(), more.begin(), more.end());
    std::sort(into.begin(), into.end());
    into.erase(std::unique(into.begin(), into.end()), into.end());
  }

  void check_text(ModuleId m, ExprId e, std::string_view what) {
    Type t = check(m, e, &kText);
    if (!t.is_error() && t.base != BaseType::Text)
      mismatch(p_.modules[m].expr(e).span, kText, t, what);
  }

  void check_count(ModuleId m, ExprId e, std::string_view what) {
    Type t = check(m, e, &kInteger);
    if (t.is_error()) return;
    if (t.base != BaseType::Integer || t.optional)
      mismatch(p_.modules[m].expr(e).span, kInteger, t, what);
  }

  std::vector<std::uint32_t> check_alternatives(ModuleId m, const std::vector<Alternative>& alts,
                                                std::vector<AlternativeInfo>& out,
                                                const std::string& what, Type* joined,
                                                bool text_only) {
    return reading([&] {
      for (const auto& a : alts) {
        if (a.condition != kNoExpr) check_condition(m, a.condition, what);
        if (text_only) {
          check_text(m, a.value, what);
        } else {
          Type t = check(m, a.value, joined != nullptr && !joined->is_error() ? joined : nullptr);
          if (joined != nullptr && !t.is_error()) {
            Type j = joined->is_error() ? t : join(*joined, t);
            if (j.is_error())
              mismatch(p_.modules[m].expr(a.value).span, *joined, t, what);
            else
              *joined = j;
          }
        }
        out.push_back({{m, a.value}, {m, a.condition}});
      }
    });
  }

  std::optional<std::uint32_t> calendar_for(SourceSpan span, std::string_view what) {
    if (p_.calendars.empty()) {
      error(DiagnosticKind::E0201, span,
            fmt::format("{} needs a holiday calendar, but the policy declares none", what),
            "no calendar", "add `use stdlib.calendar` for England and Wales bank holidays");
      return std::nullopt;
    }
    return static_cast<std::uint32_t>(p_.calendars.size() - 1);  // the last declared wins
  }

  void check_notice(std::uint32_t i) {
    const ModuleId m = notice_sources_[i].module;
    const NoticeDecl* decl = notice_sources_[i].notice;
    const NoticeDecl& n = *decl;
    NoticeInfo& info = p_.notices[i];
    const std::string who = fmt::format("notice `{}`", n.name.name);
    auto applies = reading([&] {
      if (n.applies_to != kNoExpr)
        check_condition(m, n.applies_to, fmt::format("`applies to` of {}", who));
    });
    info.applies_to = {m, n.applies_to};
    std::set<std::string> ids;
    for (std::uint32_t g = 0; g < n.grounds.size(); ++g) {
      const auto& ground = n.grounds[g];
      if (!ids.insert(ground.id.name).second) {
        error(DiagnosticKind::E0206, ground.id.span,
              fmt::format("`{}` already names a ground of `{}`", ground.id.name, n.name.name),
              "repeated id");
      }
      auto deps = reading([&] {
        check_condition(m, ground.condition, fmt::format("ground `{}`", ground.id.name));
      });
      merge(deps, applies);
      p_.definitions[info.ground_defs[g]].depends_on = deps;
      info.grounds.push_back(
          {ground.id.name, ground.wording, {m, ground.condition}, ground.cite, ground.span});
    }
    info.issued_when_any_ground = n.issued_when_any_ground;
    if (n.issued_when_any_ground && n.grounds.empty()) {
      error(DiagnosticKind::E0406, n.span,
            fmt::format("{} is issued when any ground holds, but it has no grounds", who),
            "no grounds", "add `ground ID \"wording\" when ...` lines");
    }
    auto issued = reading([&] {
      if (n.issued_when != kNoExpr)
        check_condition(m, n.issued_when, fmt::format("`issued when` of {}", who));
      if (n.unless != kNoExpr) check_condition(m, n.unless, fmt::format("`unless` of {}", who));
    });
    info.issued_when = {m, n.issued_when};
    info.unless = {m, n.unless};
    merge(issued, applies);
    merge(issued, info.ground_defs);
    merge(issued, check_alternatives(m, n.addressees, info.addressees,
                                     fmt::format("an addressee of {}", who), nullptr, true));
    merge(issued, check_alternatives(m, n.copies, info.copies, fmt::format("a copy of {}", who),
                                     nullptr, true));
    p_.definitions[info.issued_def].depends_on = issued;
    p_.definitions[info.grounds_def].depends_on = info.ground_defs;
    std::vector<std::uint32_t> due{info.issued_def};
    if (n.respond_within != kNoExpr) {
      merge(due, reading([&] {
              check_count(m, n.respond_within, fmt::format("the response period of {}", who));
            }));
      if (auto cal = calendar_for(p_.modules[m].expr(n.respond_within).span,
                                  "a response period in working days")) {
        info.calendar = *cal;
      }
    }
    info.respond_within = {m, n.respond_within};
    p_.definitions[info.due_def].depends_on = due;
    for (const auto& step : n.escalation) info.escalation.push_back({step.text, step.cite});
  }

  void check_cadence(std::uint32_t i) {
    const ModuleId m = cadence_sources_[i].module;
    const CadenceDecl* decl = cadence_sources_[i].cadence;
    const CadenceDecl& c = *decl;
    CadenceInfo& info = p_.cadences[i];
    const std::string who = fmt::format("cadence `{}`", c.name.name);
    std::vector<std::uint32_t> deps = reading([&] {
      if (c.applies_to != kNoExpr)
        check_condition(m, c.applies_to, fmt::format("`applies to` of {}", who));
      for (const auto& iv : c.intervals) {
        check_count(m, iv.count, fmt::format("the interval of {}", who));
        if (iv.condition != kNoExpr)
          check_condition(m, iv.condition, fmt::format("an interval of {}", who));
        info.intervals.push_back({{m, iv.count},
                                  iv.unit == Interval::Unit::Days    ? IntervalUnit::Days
                                  : iv.unit == Interval::Unit::Weeks ? IntervalUnit::Weeks
                                                                     : IntervalUnit::Months,
                                  {m, iv.condition}});
      }
      if (c.from != kNoExpr) {
        Type t = check(m, c.from, &kDate);
        if (!t.is_error() && t.base != BaseType::Date) {
          mismatch(p_.modules[m].expr(c.from).span, kDate, t, fmt::format("`from` of {}", who));
        }
      }
      if (c.if_never != kNoExpr) {
        Type t = check(m, c.if_never, &kDate);
        if (!t.is_error() && (t.base != BaseType::Date || t.optional)) {
          mismatch(p_.modules[m].expr(c.if_never).span, kDate, t,
                   fmt::format("the first due date of {}", who));
        }
      }
    });
    info.applies_to = {m, c.applies_to};
    info.from = {m, c.from};
    info.if_never = {m, c.if_never};
    if (c.dates_of) {
      auto it = values_.find(c.dates_of->name);
      if (it == values_.end() || it->second.kind != Kind::Parameter ||
          !p_.parameters[it->second.index].by_date) {
        error(DiagnosticKind::E0201, c.dates_of->span,
              fmt::format("`{}` is not a parameter `by date`, so it has no dates to follow",
                          c.dates_of->name),
              "not a dated parameter",
              "declare `parameter NAME: TYPE by date` with one entry per date");
      } else {
        info.dates_param = it->second.index;
      }
      if (!c.intervals.empty() || c.from != kNoExpr) {
        error(DiagnosticKind::E0301, c.span,
              fmt::format(
                  "{} follows the dates of `{}`, so it cannot also have an interval or `from`", who,
                  c.dates_of->name),
              "both kinds", "keep either `on dates of` or `every ... from ...`");
      }
    } else if (c.intervals.empty() || c.from == kNoExpr) {
      error(
          DiagnosticKind::E0406, c.name.span,
          fmt::format(
              "{} needs an interval (`every 6 weeks`) and the date it runs from (`from FIELD`), or "
              "`on dates of PARAMETER`",
              who),
          "incomplete cadence");
    }
    Type date = kDate;
    merge(deps, check_alternatives(m, c.no_later_than, info.no_later_than,
                                   fmt::format("`no later than` of {}", who), &date, false));
    if (!date.is_error() && date.base != BaseType::Date) {
      error(DiagnosticKind::E0301, c.name.span,
            fmt::format("`no later than` of {} needs dates", who), "not a date");
    }
    Type lasting = kErrorType, reviewers = kErrorType;
    check_alternatives(m, c.lasting, info.lasting, fmt::format("`lasting` of {}", who), &lasting,
                       false);
    check_alternatives(m, c.reviewers, info.reviewers, fmt::format("`reviewers` of {}", who),
                       &reviewers, false);
    info.lasting_type = lasting;
    info.reviewers_type = reviewers;
    p_.definitions[info.next_def].depends_on = deps;
    p_.definitions[info.overdue_def].depends_on = {info.next_def};
  }

  // ---- Depth of the definition graph ---------------------------------------------------------

  // Whether every definition, written out in full, is at most kMaxDefinitionDepth deep (E0011
  // otherwise). Runs before anything walks from one definition into another, and does not
  // recurse over the graph itself: its strongly connected components are found with an explicit
  // stack (Tarjan), then depths are worked out from the bottom of the graph up. Names are
  // resolved by spelling alone, so an enumeration member that shares a definition's name counts
  // as the definition: the bound can only be too high, never too low. In a circle (an error
  // reported later, E0207) each member counts the depth of all the others.
  bool definitions_shallow_enough() {
    const std::size_t n = p_.definitions.size();
    // Each definition's expressions, with the definitions they name.
    std::vector<std::vector<ExprRef>> roots(n);
    for (std::size_t i = 0; i < n; ++i) {
      const DefSource& src = def_sources_[i];
      if (src.define != nullptr) {
        roots[i].push_back({src.module, src.define->body});
      } else if (src.decide != nullptr) {
        for (const auto& rule : src.decide->rules) {
          roots[i].push_back({src.module, rule.condition});
          roots[i].push_back({src.module, rule.value});
        }
      } else if (p_.definitions[i].kind == DefinitionInfo::Kind::NoticeIssued) {
        const DeclSource& ns = notice_sources_[p_.definitions[i].owner];
        for (ExprId e : notice_exprs(*ns.notice)) roots[i].push_back({ns.module, e});
      }
    }
    std::vector<std::vector<std::uint32_t>> uses(n);
    for (std::size_t i = 0; i < n; ++i) {
      for (const ExprRef& root : roots[i]) named_definitions(root, uses[i]);
    }
    const std::vector<std::uint32_t> component = components(uses);
    // Components come out of Tarjan's algorithm with every component a definition uses before
    // it, so one pass works the depths out bottom-up.
    std::vector<int> depth(n, 0);
    std::vector<std::vector<std::uint32_t>> members;
    for (std::uint32_t i = 0; i < n; ++i) {
      if (component[i] >= members.size()) members.resize(component[i] + 1);
      members[component[i]].push_back(i);
    }
    for (const auto& group : members) {
      int total = 0;
      for (std::uint32_t i : group) {
        int own = 0;
        for (const ExprRef& root : roots[i])
          own = std::max(own, written_out_depth(root, component, depth, component[i]));
        total = std::min(total + own + (group.size() > 1 ? 1 : 0), kMaxDefinitionDepth + 1);
      }
      for (std::uint32_t i : group) depth[i] = total;
      if (total > kMaxDefinitionDepth) {
        too_deep(group.front(), uses[group.front()], depth);
        return false;
      }
    }
    deep_.assign(n, 0);
    for (std::uint32_t i = 0; i < n; ++i) deep_[i] = depth[i] > kEagerDepth;
    component_ = component;
    uses_ = std::move(uses);
    // Output columns and cadences name definitions too.
    std::vector<ExprRef> others;
    if (output_ != nullptr) {
      for (const auto& col : output_->columns) others.push_back({output_module_, col.value});
    }
    for (const auto& cs : cadence_sources_) {
      for (ExprId e : cadence_exprs(*cs.cadence)) others.push_back({cs.module, e});
    }
    for (const ExprRef& e : others) {
      if (written_out_depth(e, component, depth, UINT32_MAX) > kMaxDefinitionDepth) {
        error(DiagnosticKind::E0011, p_.modules[e.module].expr(e.expr).span,
              fmt::format("this expression uses definitions too deeply nested to work out: "
                          "written out in full, it would be more than {} levels deep",
                          kMaxDefinitionDepth),
              "too deep", "work out the value in fewer steps, each from the record's fields");
        return false;
      }
    }
    return true;
  }

  // Types the definitions `start` uses, and `start` itself, from the bottom of the graph up,
  // so that checking each body finds every definition it names already typed instead of
  // recursing into it: the checker's stack then holds one expression at a time however long the
  // chain. Only definitions deeper than kEagerDepth written out in full take this path, so
  // policies people write are checked in the order they always were (which fixes the order of
  // their messages). A circle is checked with each member seeing the others as unknown, as the
  // on-demand order would; E0207 reports it.
  void type_bottom_up(std::uint32_t start) {
    std::vector<std::uint32_t> found{start};
    std::vector<char> seen(p_.definitions.size(), 0);
    seen[start] = 1;
    for (std::size_t k = 0; k < found.size(); ++k) {
      for (std::uint32_t u : uses_[found[k]]) {
        if (!seen[u] && def_state_[u] == DefState::Unchecked) {
          seen[u] = 1;
          found.push_back(u);
        }
      }
    }
    // Tarjan numbers a component after every component it uses.
    std::stable_sort(found.begin(), found.end(), [&](std::uint32_t a, std::uint32_t b) {
      return component_[a] < component_[b];
    });
    for (std::size_t k = 0; k < found.size();) {
      std::size_t end = k;
      while (end < found.size() && component_[found[end]] == component_[found[k]]) ++end;
      // Inferred members of a circle are marked in progress together, so none recurses into
      // another; annotated definitions and decisions never recurse.
      if (end - k > 1) {
        for (std::size_t j = k; j < end; ++j) {
          const DefSource& src = def_sources_[found[j]];
          if (src.define != nullptr && !src.define->type)
            def_state_[found[j]] = DefState::InProgress;
        }
        for (std::size_t j = k; j < end; ++j) {
          if (def_state_[found[j]] == DefState::InProgress) check_definition_body(found[j]);
        }
      }
      for (std::size_t j = k; j < end; ++j) {
        if (def_state_[found[j]] == DefState::Unchecked) definition_type(found[j]);
      }
      k = end;
    }
  }

  static std::vector<ExprId> notice_exprs(const NoticeDecl& n) {
    std::vector<ExprId> out{n.applies_to, n.issued_when, n.unless, n.respond_within};
    for (const auto& g : n.grounds) out.push_back(g.condition);
    for (const auto* alts : {&n.addressees, &n.copies}) {
      for (const auto& a : *alts) {
        out.push_back(a.value);
        out.push_back(a.condition);
      }
    }
    return out;
  }

  static std::vector<ExprId> cadence_exprs(const CadenceDecl& c) {
    std::vector<ExprId> out{c.applies_to, c.from, c.if_never};
    for (const auto& iv : c.intervals) {
      out.push_back(iv.count);
      out.push_back(iv.condition);
    }
    for (const auto* alts : {&c.no_later_than, &c.lasting, &c.reviewers}) {
      for (const auto& a : *alts) {
        out.push_back(a.value);
        out.push_back(a.condition);
      }
    }
    return out;
  }

  // The definition a name spells, if any.
  std::optional<std::uint32_t> definition_named(const Expr& x) const {
    if (x.kind != ExprKind::Name) return std::nullopt;
    auto it = values_.find(x.text);
    if (it == values_.end() || it->second.kind != Kind::Definition) return std::nullopt;
    return it->second.index;
  }

  // Adds the definitions `root` names to `out`. Recursion is bounded by kMaxExpressionDepth.
  void named_definitions(ExprRef root, std::vector<std::uint32_t>& out) const {
    if (root.expr == kNoExpr) return;
    const Expr& x = p_.modules[root.module].expr(root.expr);
    if (auto d = definition_named(x)) out.push_back(*d);
    for (ExprId a : x.args) named_definitions({root.module, a}, out);
  }

  // The depth of `root` with each definition outside component `self` written out in full:
  // operators count one level each, and a name one more than the definition it names.
  // Recursion is bounded by kMaxExpressionDepth.
  int written_out_depth(ExprRef root, const std::vector<std::uint32_t>& component,
                        const std::vector<int>& depth, std::uint32_t self) const {
    if (root.expr == kNoExpr) return 0;
    const Expr& x = p_.modules[root.module].expr(root.expr);
    int d = 0;
    if (auto def = definition_named(x); def && component[*def] != self) d = 1 + depth[*def];
    for (ExprId a : x.args) {
      if (a != kNoExpr)
        d = std::max(d, 1 + written_out_depth({root.module, a}, component, depth, self));
    }
    return std::min(d, kMaxDefinitionDepth + 1);
  }

  // Strongly connected components of the graph `uses`, numbered so that a component comes after
  // every component it uses (Tarjan's algorithm, with an explicit stack).
  static std::vector<std::uint32_t> components(
      const std::vector<std::vector<std::uint32_t>>& uses) {
    const std::size_t n = uses.size();
    constexpr std::uint32_t kUnseen = UINT32_MAX;
    std::vector<std::uint32_t> index(n, kUnseen), low(n, 0), component(n, kUnseen);
    std::vector<std::uint32_t> open;                          // visited, component not yet known
    std::vector<std::pair<std::uint32_t, std::size_t>> path;  // (definition, next edge)
    std::uint32_t next_index = 0, next_component = 0;
    for (std::uint32_t start = 0; start < n; ++start) {
      if (index[start] != kUnseen) continue;
      path.push_back({start, 0});
      index[start] = low[start] = next_index++;
      open.push_back(start);
      while (!path.empty()) {
        auto& [v, edge] = path.back();
        if (edge < uses[v].size()) {
          const std::uint32_t w = uses[v][edge++];
          if (index[w] == kUnseen) {
            index[w] = low[w] = next_index++;
            open.push_back(w);
            path.push_back({w, 0});
          } else if (component[w] == kUnseen) {
            low[v] = std::min(low[v], index[w]);
          }
          continue;
        }
        const std::uint32_t done = v;
        path.pop_back();
        if (!path.empty()) low[path.back().first] = std::min(low[path.back().first], low[done]);
        if (low[done] == index[done]) {
          std::uint32_t w;
          do {
            w = open.back();
            open.pop_back();
            component[w] = next_component;
          } while (w != done);
          ++next_component;
        }
      }
    }
    return component;
  }

  void too_deep(std::uint32_t i, const std::vector<std::uint32_t>& uses,
                const std::vector<int>& depth) {
    const DefinitionInfo& def = p_.definitions[i];
    auto& d = error(DiagnosticKind::E0011, def.span,
                    fmt::format("`{}` uses definitions too deeply nested to work out: written out "
                                "in full, it would be more than {} levels deep",
                                def.name, kMaxDefinitionDepth),
                    "too deep",
                    "work out the value in fewer steps; a long chain of definitions, each "
                    "using the next, is the usual cause");
    std::optional<std::uint32_t> deepest;
    for (std::uint32_t u : uses) {
      // In a circle every member has the same depth: no one of them is the deeper part.
      if (depth[u] < depth[i] && (!deepest || depth[u] > depth[*deepest])) deepest = u;
    }
    if (deepest) {
      d.notes.push_back({p_.definitions[*deepest].span,
                         fmt::format("it uses `{}`, which is {} levels deep written out in full",
                                     p_.definitions[*deepest].name, depth[*deepest])});
    }
  }

  // Depth-first over `depends_on`, with an explicit stack: chains of definitions may be long.
  void order_definitions() {
    std::vector<int> mark(p_.definitions.size(), 0);  // 0 new, 1 on the stack, 2 done
    std::vector<std::uint32_t> stack;                 // the path being visited, outermost first
    std::vector<std::size_t> next;                    // by stack entry: the next dependency
    auto circle = [&](std::uint32_t i) {
      auto start = std::find(stack.begin(), stack.end(), i);
      std::string chain;
      for (auto it = start; it != stack.end(); ++it)
        chain += fmt::format("`{}` uses ", p_.definitions[*it].name);
      chain += fmt::format("`{}`", p_.definitions[i].name);
      auto& d = error(DiagnosticKind::E0207, p_.definitions[stack.back()].span,
                      fmt::format("these definitions depend on each other in a circle: {}", chain),
                      "closes the circle", "one of them must be worked out without the others");
      for (auto it = start; it != stack.end(); ++it) {
        if (*it != stack.back())
          d.notes.push_back({p_.definitions[*it].span, "part of the circle"});
      }
    };
    for (std::uint32_t root = 0; root < p_.definitions.size(); ++root) {
      if (mark[root] != 0) continue;
      mark[root] = 1;
      stack.push_back(root);
      next.push_back(0);
      while (!stack.empty()) {
        const std::uint32_t i = stack.back();
        const auto& deps = p_.definitions[i].depends_on;
        if (next.back() < deps.size()) {
          const std::uint32_t dep = deps[next.back()++];
          if (mark[dep] == 1) circle(dep);
          if (mark[dep] != 0) continue;
          mark[dep] = 1;
          stack.push_back(dep);
          next.push_back(0);
          continue;
        }
        stack.pop_back();
        next.pop_back();
        mark[i] = 2;
        p_.evaluation_order.push_back(i);
      }
    }
  }

  void check_outputs() {
    if (output_ == nullptr) {
      if (!p_.modules.empty() && !options_.module) {
        Diagnostic d{DiagnosticKind::E0409,
                     {p_.modules[p_.main_module].file, 0, 0},
                     "the policy has no `output` block, so evaluating it would write nothing",
                     "",
                     {},
                     {},
                     false};
        d.hints.push_back(
            "add `output` followed by `column NAME` lines, in the order to write them");
        diags_.push_back(std::move(d));
      }
      return;
    }
    p_.output_cite = output_->cite;
    std::map<std::string, SourceSpan> seen;
    for (const auto& c : output_->columns) {
      if (auto [it, fresh] = seen.emplace(c.name, c.span); !fresh) {
        auto& d = error(DiagnosticKind::E0209, c.span,
                        fmt::format("the column `{}` is written twice", c.name), "repeated column");
        d.notes.push_back({it->second, "first written here"});
      }
      Type t = check(output_module_, c.value, nullptr);
      p_.outputs.push_back({c.name, {output_module_, c.value}, t, c.span});
    }
    if (output_->columns.empty()) {
      error(DiagnosticKind::E0409, output_->span, "the `output` block lists no columns", "empty",
            "add `column NAME` lines");
    }
  }

  // ---- Expressions ---------------------------------------------------------------------------

  Type set(ModuleId m, ExprId e, Type t, Resolution r = {}) {
    p_.tables[m].types[e] = t;
    p_.tables[m].resolutions[e] = r;
    return t;
  }

  std::vector<std::string> value_names() const {
    std::vector<std::string> out;
    for (const auto& [name, _] : values_) out.push_back(name);
    return out;
  }

  // Looks a literal or bare name up among the members of an enumeration.
  std::optional<std::uint32_t> member_index(std::uint16_t enum_id, std::string_view key) const {
    const auto& members = p_.enums[enum_id].members;
    for (std::uint32_t i = 0; i < members.size(); ++i) {
      if (members[i].key == key) return i;
    }
    return std::nullopt;
  }

  Type unknown_member(ModuleId m, ExprId e, const Type& expected, std::string_view key) {
    const EnumInfo& en = p_.enums[expected.enum_id];
    std::vector<std::string> keys;
    for (const auto& mem : en.members) keys.push_back(mem.key);
    std::string listing;
    for (std::size_t i = 0; i < keys.size(); ++i)
      listing += (i ? ", " : "") + fmt::format("`{}`", keys[i]);
    std::string hint = did_you_mean(key, keys);
    error(DiagnosticKind::E0204, p_.modules[m].expr(e).span,
          fmt::format("`{}` is not one of the values of `{}`", key, en.name), "not a member",
          hint.empty() ? fmt::format("`{}` is one of {}", en.name, listing) : hint);
    return set(m, e, kErrorType);
  }

  Type check(ModuleId m, ExprId e, const Type* expected) {
    if (e == kNoExpr) return kErrorType;
    const Expr& x = p_.modules[m].expr(e);
    const bool want_enum = expected != nullptr && expected->base == BaseType::Enum;
    switch (x.kind) {
      case ExprKind::Integer:
      case ExprKind::Decimal: {
        if (want_enum) {
          if (auto idx = member_index(expected->enum_id, x.text)) {
            return set(m, e, expected->required(), {Kind::EnumMember, 0, static_cast<Value>(*idx)});
          }
          if (x.kind == ExprKind::Integer) return unknown_member(m, e, *expected, x.text);
        }
        auto v = decimal::parse(x.text);
        if (!v) {
          error(DiagnosticKind::E0404, x.span,
                fmt::format("`{}` is too large or too precise", x.text), "invalid number",
                "numbers have at most 6 digits after the point and 13 before it");
          return set(m, e, kErrorType);
        }
        return set(m, e, x.kind == ExprKind::Integer ? kInteger : kNumber, {Kind::Literal, 0, *v});
      }
      case ExprKind::String:
        if (want_enum) {
          if (auto idx = member_index(expected->enum_id, x.text)) {
            return set(m, e, expected->required(), {Kind::EnumMember, 0, static_cast<Value>(*idx)});
          }
          return unknown_member(m, e, *expected, x.text);
        }
        return set(m, e, kText, {Kind::Literal, 0, kMissing});
      case ExprKind::Date: {
        Value v = parse_date_literal(x.text);
        if (v == kMissing) {
          error(DiagnosticKind::E0405, x.span,
                fmt::format("`{}` is not a date in the calendar", x.text), "no such date");
          return set(m, e, kErrorType);
        }
        return set(m, e, kDate, {Kind::Literal, 0, v});
      }
      case ExprKind::Name:
        return check_name(m, e, x, expected);
      case ExprKind::List: {
        error(DiagnosticKind::E0301, x.span,
              "a list can only follow `in`, or be the argument of `worst`, `best`, `min` or `max`",
              "unexpected list");
        for (ExprId a : x.args) check(m, a, nullptr);
        return set(m, e, kErrorType);
      }
      case ExprKind::Unary:
        return check_unary(m, e, x, expected);
      case ExprKind::Binary:
        return check_binary(m, e, x, expected);
      case ExprKind::In: {
        Type lhs = check(m, x.args[0], nullptr);
        const Expr& list = p_.modules[m].expr(x.args[1]);
        for (ExprId a : list.args) {
          Type t = check(m, a, lhs.is_error() ? nullptr : &lhs);
          if (!lhs.is_error() && !t.is_error()) comparable(x, lhs, t, "`in`");
        }
        set(m, x.args[1], lhs);
        return set(m, e, kBoolean);
      }
      case ExprKind::IsMissing: {
        Type t = check(m, x.args[0], nullptr);
        if (!t.is_error() && !t.optional) {
          error(DiagnosticKind::W0301, x.span,
                fmt::format("`{}` is never missing, so this test is always {}",
                            source_text(x.args[0], m), x.negated ? "yes" : "no"),
                "never missing", "remove the test");
        }
        return set(m, e, kBoolean);
      }
      case ExprKind::Between: {
        Type a = check(m, x.args[0], nullptr);
        Type lo = check(m, x.args[1], a.is_error() ? nullptr : &a);
        Type hi = check(m, x.args[2], a.is_error() ? nullptr : &a);
        bool ok =
            ordered_comparable(x, a, lo, "`between`") && ordered_comparable(x, a, hi, "`between`");
        return set(m, e,
                   ok ? kBoolean.maybe(a.optional || lo.optional || hi.optional) : kErrorType);
      }
      case ExprKind::IfMissing: {
        Type a = check(m, x.args[0], expected);
        if (a.is_error()) {
          check(m, x.args[1], expected);
          return set(m, e, kErrorType);
        }
        if (!a.optional) {
          error(DiagnosticKind::W0301, x.span,
                fmt::format("`{}` is never missing, so `if missing` never applies",
                            source_text(x.args[0], m)),
                "never missing", "remove `if missing ...`");
        }
        Type want = a.required();
        Type b = check(m, x.args[1], &want);
        if (b.is_error()) return set(m, e, kErrorType);
        Type joined = join(a.required(), b.required());
        if (joined.is_error()) {
          mismatch(p_.modules[m].expr(x.args[1]).span, want, b, "the value when missing");
          return set(m, e, kErrorType);
        }
        return set(m, e, joined.maybe(b.optional));
      }
      case ExprKind::If: {
        Type c = check(m, x.args[0], &kBoolean);
        if (!c.is_error() && c.base != BaseType::Boolean) {
          error(DiagnosticKind::E0305, p_.modules[m].expr(x.args[0]).span,
                fmt::format("the condition after `if` should be yes or no, but this is {}",
                            article(c)),
                "not a condition");
        }
        std::size_t mark = present_.size();
        if (auto sym = missing_test(m, x.args[0], true)) present_.push_back(*sym);
        Type a = check(m, x.args[1], expected);
        present_.resize(mark);
        if (auto sym = missing_test(m, x.args[0], false)) present_.push_back(*sym);
        const Type* want_b = expected != nullptr ? expected : (a.is_error() ? nullptr : &a);
        Type b = check(m, x.args[2], want_b);
        present_.resize(mark);
        if (a.is_error() || b.is_error() || c.is_error()) return set(m, e, kErrorType);
        Type joined = join(a.required(), b.required());
        if (joined.is_error()) {
          mismatch(p_.modules[m].expr(x.args[2]).span, a.required(), b, "the `else` value");
          return set(m, e, kErrorType);
        }
        return set(m, e, joined.maybe(a.optional || b.optional || c.optional));
      }
      case ExprKind::Call:
        return check_call(m, e, x, expected);
    }
    return set(m, e, kErrorType);
  }

  std::string source_text(ExprId e, ModuleId m) const {
    const Expr& x = p_.modules[m].expr(e);
    return x.kind == ExprKind::Name ? x.text : "this value";
  }

  static Type join(const Type& a, const Type& b) {
    if (a.base == b.base && (a.base != BaseType::Enum || a.enum_id == b.enum_id)) return a;
    if (a.is_numeric() && b.is_numeric()) {
      return (a.base == BaseType::Integer && b.base == BaseType::Integer) ? kInteger : kNumber;
    }
    return kErrorType;
  }

  Type check_name(ModuleId m, ExprId e, const Expr& x, const Type* expected) {
    const bool want_enum = expected != nullptr && expected->base == BaseType::Enum;
    if (want_enum) {
      // An enumeration's own members win over booleans and names, so `yes` can be a member.
      // A field or definition of the same name wins only when it has this very type.
      auto named = values_.find(x.text);
      const bool value_fits =
          named != values_.end() && named->second.kind != Kind::Parameter &&
          (named->second.kind == Kind::Field
               ? p_.record.fields[named->second.index].type.required() == expected->required()
               : true);
      if (auto idx = member_index(expected->enum_id, x.text); idx && !value_fits) {
        return set(m, e, expected->required(), {Kind::EnumMember, 0, static_cast<Value>(*idx)});
      }
    }
    if (x.text == "yes" || x.text == "no") {
      return set(m, e, kBoolean, {Kind::Literal, 0, x.text == "yes" ? 1 : 0});
    }
    if (auto it = values_.find(x.text); it != values_.end()) {
      const Symbol& s = it->second;
      switch (s.kind) {
        case Kind::Field: {
          Type t = p_.record.fields[s.index].type;
          if (is_present(Kind::Field, s.index)) t.optional = false;
          return set(m, e, t, {Kind::Field, s.index, kMissing});
        }
        case Kind::Definition: {
          current_deps_.push_back(s.index);
          if (def_state_[s.index] == DefState::Unchecked && deep_[s.index]) type_bottom_up(s.index);
          Type t = definition_type(s.index);
          if (def_state_[s.index] == DefState::InProgress && !p_.definitions[s.index].is_decision &&
              !def_sources_[s.index].define->type) {
            t = kErrorType;  // inferring a definition that uses itself; reported as a cycle
          }
          if (is_present(Kind::Definition, s.index)) t.optional = false;
          return set(m, e, t, {Kind::Definition, s.index, kMissing});
        }
        case Kind::Parameter: {
          // The hint names no field: `results_year` exists only in policies that define it.
          const bool by_date = p_.parameters[s.index].by_date;
          error(DiagnosticKind::E0304, x.span,
                fmt::format("`{}` is a parameter, so it needs the {} to look up", x.text,
                            by_date ? "date" : "year"),
                "parameter without a key",
                by_date ? fmt::format("write `{} of DATE`, e.g. `{} of as_of`", x.text, x.text)
                        : fmt::format("write `{} of YEAR`, e.g. `{} of 2017`", x.text, x.text));
          return set(m, e, kErrorType);
        }
        default:
          break;
      }
    }
    if (x.text == "as_of") return set(m, e, kDate, {Kind::AsOf, 0, kMissing});
    if (want_enum) return unknown_member(m, e, *expected, x.text);
    // A member of some enumeration, used where no type says which: name the type in the hint.
    std::string hint;
    for (const auto& en : p_.enums) {
      for (const auto& mem : en.members) {
        if (mem.key == x.text) {
          hint = fmt::format(
              "`{}` is a value of `{}`; compare it with something of that type, e.g. `field is {}`",
              x.text, en.name, x.text);
        }
      }
    }
    if (hint.empty()) hint = did_you_mean(x.text, value_names());
    if (auto b = find_builtin(x.text); b && hint.empty()) {
      hint = fmt::format("`{}` is a function: write `{}`", x.text, info(*b).signature);
    }
    error(DiagnosticKind::E0201, x.span,
          record_ != nullptr
              ? fmt::format("`{}` is not a field of `{}` or a name defined in the policy", x.text,
                            p_.record.name)
              : fmt::format("`{}` is not defined", x.text),
          "unknown name", hint);
    return set(m, e, kErrorType);
  }

  bool is_present(Kind k, std::uint32_t index) const {
    return std::find(present_.begin(), present_.end(), std::make_pair(k, index)) != present_.end();
  }

  Type check_unary(ModuleId m, ExprId e, const Expr& x, const Type* expected) {
    if (x.op == Op::Not) {
      Type t = check(m, x.args[0], &kBoolean);
      if (t.is_error()) return set(m, e, kErrorType);
      if (t.base != BaseType::Boolean) {
        error(DiagnosticKind::E0305, p_.modules[m].expr(x.args[0]).span,
              fmt::format("`not` needs a yes/no value, but this is {}", article(t)), "not yes/no");
        return set(m, e, kErrorType);
      }
      return set(m, e, t);
    }
    Type t =
        check(m, x.args[0], expected != nullptr && expected->is_numeric() ? expected : nullptr);
    if (t.is_error()) return set(m, e, kErrorType);
    if (!t.is_numeric()) {
      error(DiagnosticKind::E0307, x.span,
            fmt::format("`-` needs a number, but this is {}", article(t)), "not a number");
      return set(m, e, kErrorType);
    }
    const Resolution& inner = p_.tables[m].resolutions[x.args[0]];
    Resolution r;
    if (inner.kind == Kind::Literal) r = {Kind::Literal, 0, -inner.value};
    return set(m, e, t.base == BaseType::Integer ? t : kNumber.maybe(t.optional), r);
  }

  bool comparable(const Expr& at, const Type& a, const Type& b, std::string_view op) {
    if (a.is_error() || b.is_error()) return false;
    if (a.is_numeric() && b.is_numeric()) return true;
    if (a.base == b.base && (a.base != BaseType::Enum || a.enum_id == b.enum_id)) return true;
    error(DiagnosticKind::E0306, at.span,
          fmt::format("{} compares {} with {}, which cannot be compared", op, article(a.required()),
                      article(b.required())),
          "different types");
    return false;
  }

  bool ordered_comparable(const Expr& at, const Type& a, const Type& b, std::string_view op) {
    if (!comparable(at, a, b, op)) return false;
    if (a.base == BaseType::Enum && !p_.enums[a.enum_id].ordered) {
      error(DiagnosticKind::E0303, at.span,
            fmt::format("`{}` is an enumeration, not a scale, so its values have no order",
                        p_.enums[a.enum_id].name),
            "no order",
            "compare with `is` or `in [...]`, or declare it with `scale ... from best to worst`");
      return false;
    }
    if (a.base == BaseType::Boolean || a.base == BaseType::Text) {
      error(DiagnosticKind::E0306, at.span,
            fmt::format("{} needs values with an order, not {}", op, article(a.required())),
            "no order", "compare with `is` instead");
      return false;
    }
    return true;
  }

  static std::string op_text(Op op) { return fmt::format("`{}`", spelling(op)); }

  Type check_binary(ModuleId m, ExprId e, const Expr& x, const Type* /*expected*/) {
    const ExprId l = x.args[0], r = x.args[1];
    switch (x.op) {
      case Op::And:
      case Op::Or: {
        Type a = check(m, l, &kBoolean);
        Type b = check(m, r, &kBoolean);
        bool ok = true;
        for (auto [t, id] : {std::pair{a, l}, std::pair{b, r}}) {
          if (!t.is_error() && t.base != BaseType::Boolean) {
            error(DiagnosticKind::E0305, p_.modules[m].expr(id).span,
                  fmt::format("{} joins yes/no values, but this is {}", op_text(x.op), article(t)),
                  "not yes/no", "compare it with something first, e.g. `phase is primary`");
            ok = false;
          }
        }
        if (a.is_error() || b.is_error() || !ok) return set(m, e, kErrorType);
        return set(m, e, kBoolean.maybe(a.optional || b.optional));
      }
      case Op::Add:
      case Op::Sub:
      case Op::Mul:
      case Op::Div: {
        Type a = check(m, l, nullptr);
        Type b = check(m, r, nullptr);
        if (a.is_error() || b.is_error()) return set(m, e, kErrorType);
        for (auto [t, id] : {std::pair{a, l}, std::pair{b, r}}) {
          if (!t.is_numeric()) {
            std::string hint = t.base == BaseType::Date
                                   ? "for dates, use `add_days`, `add_weeks` or `add_months`"
                                   : std::string{};
            error(DiagnosticKind::E0307, p_.modules[m].expr(id).span,
                  fmt::format("{} needs numbers, but this is {}", op_text(x.op), article(t)),
                  "not a number", hint);
            return set(m, e, kErrorType);
          }
        }
        Type out = (a.base == BaseType::Integer && b.base == BaseType::Integer && x.op != Op::Div)
                       ? kInteger
                       : kNumber;
        return set(m, e, out.maybe(a.optional || b.optional));
      }
      case Op::Eq:
      case Op::Ne: {
        Type a = check(m, l, nullptr);
        Type want = a.required();
        Type b = check(m, r, a.is_error() ? nullptr : &want);
        if (!comparable(x, a, b, op_text(x.op))) return set(m, e, kErrorType);
        return set(m, e, kBoolean);  // a missing value is simply not equal to a present one
      }
      default: {
        Type a = check(m, l, nullptr);
        Type want = a.required();
        Type b = check(m, r, a.is_error() ? nullptr : &want);
        const bool scale_only =
            x.op == Op::Worse || x.op == Op::Better || x.op == Op::AtLeast || x.op == Op::AtWorst;
        if (!ordered_comparable(x, a, b, op_text(x.op))) return set(m, e, kErrorType);
        if (scale_only && a.base != BaseType::Enum) {
          error(DiagnosticKind::E0303, x.span,
                fmt::format("{} compares values on a scale, but these are {}", op_text(x.op),
                            article(a.required())),
                "not a scale", "for numbers and dates use `<`, `<=`, `>` or `>=`");
          return set(m, e, kErrorType);
        }
        return set(m, e, kBoolean.maybe(a.optional || b.optional));
      }
    }
  }

  // Arguments of a call, with a single list argument spread out: `worst of [a, b]`.
  std::vector<ExprId> call_args(ModuleId m, const Expr& x) {
    if (x.args.size() == 1 && p_.modules[m].expr(x.args[0]).kind == ExprKind::List) {
      return p_.modules[m].expr(x.args[0]).args;
    }
    return x.args;
  }

  Type check_call(ModuleId m, ExprId e, const Expr& x, const Type* expected) {
    if (auto it = values_.find(x.text); it != values_.end() && it->second.kind == Kind::Parameter) {
      const ParamInfo& param = p_.parameters[it->second.index];
      if (x.args.size() != 1) {
        error(DiagnosticKind::E0304, x.span,
              fmt::format("`{}` is looked up by one {}, but this gives {}", x.text,
                          param.by_date ? "date" : "year", x.args.size()),
              "wrong number of arguments");
        return set(m, e, kErrorType);
      }
      Type k = check(m, x.args[0], nullptr);
      if (k.is_error()) return set(m, e, kErrorType);
      const Type want = param.by_date ? kDate : kInteger;
      if (k.base != want.base) {
        mismatch(p_.modules[m].expr(x.args[0]).span, want, k,
                 fmt::format("the key of `{}`", x.text));
        return set(m, e, kErrorType);
      }
      // Missing when the key is missing or the table has no entry for it.
      return set(m, e, param.type.maybe(true), {Kind::Parameter, it->second.index, kMissing});
    }
    auto builtin = find_builtin(x.text);
    if (!builtin) {
      std::vector<std::string> names;
      for (auto b = 0; b <= static_cast<int>(Builtin::HowMany); ++b) {
        names.emplace_back(info(static_cast<Builtin>(b)).name);
      }
      for (const auto& pr : p_.parameters) names.push_back(pr.name);
      std::string hint = did_you_mean(x.text, names);
      error(DiagnosticKind::E0208, x.name_span,
            fmt::format("there is no function or parameter `{}`", x.text), "unknown function",
            hint);
      for (ExprId a : x.args) check(m, a, nullptr);
      return set(m, e, kErrorType);
    }
    const Resolution res{Kind::Builtin, static_cast<std::uint32_t>(*builtin), kMissing};
    auto args = call_args(m, x);
    auto arity = [&](std::size_t n) {
      if (args.size() == n) return true;
      error(DiagnosticKind::E0304, x.span,
            fmt::format("`{}` takes {} argument{}, but this gives {}", x.text, n, n == 1 ? "" : "s",
                        args.size()),
            "wrong number of arguments", fmt::format("write `{}`", info(*builtin).signature));
      for (ExprId a : args) check(m, a, nullptr);
      return false;
    };
    auto expect_arg = [&](ExprId a, BaseType base, std::string_view what) -> std::optional<Type> {
      Type t = check(m, a, nullptr);
      if (t.is_error()) return std::nullopt;
      if (t.base != base && !(base == BaseType::Number && t.is_numeric())) {
        error(DiagnosticKind::E0301, p_.modules[m].expr(a).span,
              fmt::format("`{}` needs {} here, but this is {}", x.text, what, article(t)),
              "wrong type", fmt::format("write `{}`", info(*builtin).signature));
        return std::nullopt;
      }
      return t;
    };
    switch (*builtin) {
      case Builtin::Rule: {
        if (!arity(1)) return set(m, e, kErrorType);
        const Expr& a = p_.modules[m].expr(args[0]);
        Type t = check(m, args[0], nullptr);
        const Resolution& r = p_.tables[m].resolutions[args[0]];
        if (t.is_error()) return set(m, e, kErrorType);
        if (a.kind != ExprKind::Name || r.kind != Kind::Definition ||
            !p_.definitions[r.index].is_decision) {
          error(DiagnosticKind::E0308, a.span,
                "`rule of` needs the name of a decision (a `decide` block)", "not a decision");
          return set(m, e, kErrorType);
        }
        return set(m, e, kText.maybe(t.optional), res);
      }
      case Builtin::EndYear:
      case Builtin::StartYear: {
        if (!arity(1)) return set(m, e, kErrorType);
        auto t = expect_arg(args[0], BaseType::AcademicYear, "an academic year");
        return t ? set(m, e, kInteger.maybe(t->optional), res) : set(m, e, kErrorType);
      }
      case Builtin::Year: {
        if (!arity(1)) return set(m, e, kErrorType);
        auto t = expect_arg(args[0], BaseType::Date, "a date");
        return t ? set(m, e, kInteger.maybe(t->optional), res) : set(m, e, kErrorType);
      }
      case Builtin::AddDays:
      case Builtin::AddWeeks:
      case Builtin::AddMonths: {
        if (!arity(2)) return set(m, e, kErrorType);
        auto d = expect_arg(args[0], BaseType::Date, "a date");
        auto n = expect_arg(args[1], BaseType::Integer, "a whole number");
        return d && n ? set(m, e, kDate.maybe(d->optional || n->optional), res)
                      : set(m, e, kErrorType);
      }
      case Builtin::AddWorkingDays: {
        if (!arity(2)) return set(m, e, kErrorType);
        auto d = expect_arg(args[0], BaseType::Date, "a date");
        auto n = expect_arg(args[1], BaseType::Integer, "a whole number");
        if (!calendar_for(x.span, "`add_working_days`")) return set(m, e, kErrorType);
        return d && n ? set(m, e, kDate.maybe(d->optional || n->optional), res)
                      : set(m, e, kErrorType);
      }
      case Builtin::FirstWorkingDayOnOrAfter: {
        if (!arity(1)) return set(m, e, kErrorType);
        auto d = expect_arg(args[0], BaseType::Date, "a date");
        if (!calendar_for(x.span, "`first_working_day_on_or_after`")) return set(m, e, kErrorType);
        return d ? set(m, e, kDate.maybe(d->optional), res) : set(m, e, kErrorType);
      }
      case Builtin::TermEnd: {
        if (!arity(1)) return set(m, e, kErrorType);
        auto d = expect_arg(args[0], BaseType::Date, "a date");
        return d ? set(m, e, kDate.maybe(d->optional), res) : set(m, e, kErrorType);
      }
      case Builtin::GoodFriday: {
        if (!arity(1)) return set(m, e, kErrorType);
        auto y = expect_arg(args[0], BaseType::Integer, "a year");
        return y ? set(m, e, kDate.maybe(y->optional), res) : set(m, e, kErrorType);
      }
      case Builtin::DateOf: {
        if (!arity(3)) return set(m, e, kErrorType);
        bool optional = false, ok = true;
        const char* whats[] = {"a year", "a month number", "a day of the month"};
        for (std::size_t k = 0; k < 3; ++k) {
          auto t = expect_arg(args[k], BaseType::Integer, whats[k]);
          if (!t)
            ok = false;
          else
            optional = optional || t->optional;
        }
        return ok ? set(m, e, kDate.maybe(optional), res) : set(m, e, kErrorType);
      }
      case Builtin::EarliestOnOrAfter: {
        if (x.args.size() != 2 || p_.modules[m].expr(x.args[1]).kind != ExprKind::List) {
          error(DiagnosticKind::E0304, x.span,
                "`earliest_on_or_after` takes a date and a list of dates", "wrong arguments",
                fmt::format("write `{}`", info(*builtin).signature));
          return set(m, e, kErrorType);
        }
        auto d = expect_arg(x.args[0], BaseType::Date, "a date");
        bool ok = d.has_value();
        for (ExprId item : p_.modules[m].expr(x.args[1]).args) {
          if (!expect_arg(item, BaseType::Date, "dates in the list")) ok = false;
        }
        set(m, x.args[1], kDate);
        return ok ? set(m, e, kDate.maybe(true), res) : set(m, e, kErrorType);
      }
      case Builtin::FirstDateOf: {
        if (!arity(2)) return set(m, e, kErrorType);
        const Expr& a = p_.modules[m].expr(args[0]);
        auto it = a.kind == ExprKind::Name ? values_.find(a.text) : values_.end();
        if (it == values_.end() || it->second.kind != Kind::Parameter ||
            !p_.parameters[it->second.index].by_date) {
          error(DiagnosticKind::E0301, a.span,
                "`first_date_of` needs the name of a parameter `by date`", "not a dated parameter",
                fmt::format("write `{}`", info(*builtin).signature));
          check(m, args[1], nullptr);
          return set(m, e, kErrorType);
        }
        set(m, args[0], kDate, {Kind::Parameter, it->second.index, kMissing});
        auto d = expect_arg(args[1], BaseType::Date, "a date");
        return d ? set(m, e, kDate.maybe(true), res) : set(m, e, kErrorType);
      }
      case Builtin::HowMany: {
        if (args.empty()) {
          error(DiagnosticKind::E0304, x.span, "`how_many` needs at least one yes/no value",
                "nothing to count", fmt::format("write `{}`", info(*builtin).signature));
          return set(m, e, kErrorType);
        }
        bool ok = true, optional = false;
        for (ExprId a : args) {
          auto t = expect_arg(a, BaseType::Boolean, "yes/no values");
          if (!t)
            ok = false;
          else
            optional = optional || t->optional;
        }
        if (x.args.size() == 1 && p_.modules[m].expr(x.args[0]).kind == ExprKind::List)
          set(m, x.args[0], kBoolean);
        return ok ? set(m, e, kInteger.maybe(optional), res) : set(m, e, kErrorType);
      }
      case Builtin::Grounds:
      case Builtin::Due: {
        if (!arity(1)) return set(m, e, kErrorType);
        const Expr& a = p_.modules[m].expr(args[0]);
        Type t = check(m, args[0], nullptr);
        const Resolution& r = p_.tables[m].resolutions[args[0]];
        if (t.is_error()) return set(m, e, kErrorType);
        if (a.kind != ExprKind::Name || r.kind != Kind::Definition ||
            p_.definitions[r.index].kind != DefinitionInfo::Kind::NoticeIssued) {
          error(DiagnosticKind::E0308, a.span,
                fmt::format("`{} of` needs the name of a notice", x.text), "not a notice");
          return set(m, e, kErrorType);
        }
        const NoticeInfo& notice = p_.notices[p_.definitions[r.index].owner];
        const std::uint32_t def =
            *builtin == Builtin::Grounds ? notice.grounds_def : notice.due_def;
        current_deps_.push_back(def);
        return set(m, e, p_.definitions[def].type, {Kind::Definition, def, kMissing});
      }
      case Builtin::NextDue:
      case Builtin::Overdue: {
        if (!arity(1)) return set(m, e, kErrorType);
        const Expr& a = p_.modules[m].expr(args[0]);
        auto it = a.kind == ExprKind::Name ? cadence_names_.find(a.text) : cadence_names_.end();
        if (it == cadence_names_.end()) {
          std::vector<std::string> names;
          for (const auto& [name, _] : cadence_names_) names.push_back(name);
          error(DiagnosticKind::E0308, a.span,
                fmt::format("`{} of` needs the name of a cadence", x.text), "not a cadence",
                did_you_mean(a.text, names));
          return set(m, e, kErrorType);
        }
        const CadenceInfo& cadence = p_.cadences[it->second];
        const std::uint32_t def =
            *builtin == Builtin::NextDue ? cadence.next_def : cadence.overdue_def;
        current_deps_.push_back(def);
        return set(m, e, p_.definitions[def].type, {Kind::Definition, def, kMissing});
      }
      case Builtin::Worst:
      case Builtin::Best:
      case Builtin::Min:
      case Builtin::Max: {
        const bool scale = *builtin == Builtin::Worst || *builtin == Builtin::Best;
        if (args.empty()) {
          error(DiagnosticKind::E0304, x.span, fmt::format("`{}` needs at least one value", x.text),
                "nothing to compare", fmt::format("write `{}`", info(*builtin).signature));
          return set(m, e, kErrorType);
        }
        const Type* want = expected != nullptr && (scale ? expected->base == BaseType::Enum
                                                         : expected->is_numeric())
                               ? expected
                               : nullptr;
        Type acc = kErrorType;
        bool optional = false, ok = true;
        Type first = check(m, args[0], want);
        Type want_rest = first.required();
        for (std::size_t i = 0; i < args.size(); ++i) {
          Type t = i == 0 ? first : check(m, args[i], first.is_error() ? want : &want_rest);
          if (t.is_error()) {
            ok = false;
            continue;
          }
          optional = optional || t.optional;
          if (scale && (t.base != BaseType::Enum || !p_.enums[t.enum_id].ordered)) {
            error(DiagnosticKind::E0303, p_.modules[m].expr(args[i]).span,
                  fmt::format("`{}` picks from values on a scale, but this is {}", x.text,
                              article(t)),
                  "not a scale");
            ok = false;
            continue;
          }
          if (!scale && !t.is_numeric()) {
            error(DiagnosticKind::E0307, p_.modules[m].expr(args[i]).span,
                  fmt::format("`{}` needs numbers, but this is {}", x.text, article(t)),
                  "not a number");
            ok = false;
            continue;
          }
          Type j = i == 0 ? t.required() : join(acc, t.required());
          if (j.is_error()) {
            mismatch(p_.modules[m].expr(args[i]).span, acc, t,
                     fmt::format("every value in `{}`", x.text));
            ok = false;
            continue;
          }
          acc = j;
        }
        if (x.args.size() == 1 && p_.modules[m].expr(x.args[0]).kind == ExprKind::List) {
          set(m, x.args[0], acc);
        }
        return ok ? set(m, e, acc.maybe(optional), res) : set(m, e, kErrorType);
      }
    }
    return set(m, e, kErrorType);
  }

  struct Symbol {
    Kind kind;
    std::uint32_t index;
    SourceSpan span;
  };

  CheckOptions options_;
  CheckedPolicy p_;
  std::vector<Diagnostic> diags_;
  std::map<std::string, Symbol> values_;             // fields, definitions, parameters
  std::map<std::string, std::uint16_t> type_names_;  // enumerations and scales
  const RecordDecl* record_ = nullptr;
  ModuleId record_module_ = 0;
  const OutputDecl* output_ = nullptr;
  ModuleId output_module_ = 0;
  std::vector<std::pair<ModuleId, const ParamDecl*>> param_sources_;
  std::vector<DefSource> def_sources_;
  std::vector<DeclSource> notice_sources_;   // by notice
  std::vector<DeclSource> cadence_sources_;  // by cadence
  std::map<std::string, std::uint32_t> cadence_names_;
  std::vector<DefState> def_state_;
  // From definitions_shallow_enough(), by definition: the definitions each names, its strongly
  // connected component (numbered bottom-up), and whether it is deeper than kEagerDepth.
  std::vector<std::vector<std::uint32_t>> uses_;
  std::vector<std::uint32_t> component_;
  std::vector<char> deep_;
  std::vector<std::uint32_t> current_deps_;  // definitions read by the body being checked
  std::vector<std::pair<Kind, std::uint32_t>> present_;  // names known not to be missing here
};

}  // namespace

CheckResult check(LoadedPolicy loaded, const CheckOptions& options) {
  Checker checker(std::move(loaded), options);
  return checker.run();
}

}  // namespace catengine::lang
