// Checks the bodies of definitions, decisions (rules and their conditions), notices and
// cadences, typing each definition on demand so definitions may appear in any order.
#include "lang/check/checker_impl.hpp"

namespace catengine::lang::checking {

// The type of a definition, checking its body first when it has no annotation.
Type Checker::definition_type(std::uint32_t i) {
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

void Checker::check_definition_body(std::uint32_t i) {
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
  current_deps_.erase(std::unique(current_deps_.begin(), current_deps_.end()), current_deps_.end());
  def.depends_on = std::move(current_deps_);
  current_deps_ = std::move(saved_deps);
  present_ = std::move(saved_present);
  def_state_[i] = DefState::BodyChecked;
}

void Checker::check_rules(std::uint32_t i, const DefSource& src) {
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
    // A rule `when X is missing` (or `when X is missing or Y is missing`) that did not fire
    // tells later rules that X (and Y) are present: its condition, never missing, was no.
    if (rule.condition != kNoExpr) present_when(src.module, rule.condition, false);
    def.rules.push_back(std::move(info));
  }
  present_.resize(narrowed);
}

void Checker::check_condition(ModuleId m, ExprId e, const std::string& whose) {
  Type t = check(m, e, &kBoolean);
  if (t.is_error()) return;
  const Expr& x = p_.modules[m].expr(e);
  if (t.base != BaseType::Boolean) {
    error(DiagnosticKind::E0305, x.span,
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
          tested_for_missing(m, e, culprit)
              ? unguarded_hint(culprit, "end the condition with `, or no if any figure is missing`")
              : "say what happens when it is missing: end the condition with `, or no if any "
                "figure is missing`");
  }
}

// Whether `e` tests the name for missing somewhere (`NAME is missing`, `NAME is not missing`).
bool Checker::tested_for_missing(ModuleId m, ExprId e, const std::string& name) const {
  if (name.empty()) return false;
  const Expr& x = p_.modules[m].expr(e);
  if (x.kind == ExprKind::IsMissing && p_.modules[m].expr(x.args[0]).kind == ExprKind::Name &&
      p_.modules[m].expr(x.args[0]).text == name)
    return true;
  for (ExprId a : x.args) {
    if (a != kNoExpr && tested_for_missing(m, a, name)) return true;
  }
  return false;
}

// The hint when the author did test the name, but not where the test guards its use: a test
// guards only the parts after it in its own `and` (`or`) chain.
std::string Checker::unguarded_hint(const std::string& name, std::string_view otherwise) {
  return fmt::format(
      "`{}` is tested for missing, but not before it is used: write `{} is not missing and` "
      "before the parts that use it, or {}",
      name, name, otherwise);
}

void Checker::require_assignable(ModuleId m, ExprId e, const Type& found, const Type& wanted,
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
          tested_for_missing(m, e, culprit)
              ? unguarded_hint(culprit, fmt::format("end it with `, or VALUE if any figure is "
                                                    "missing`, or declare the type `{}`",
                                                    tn(wanted.maybe(true))))
              : fmt::format("end it with `, or VALUE if any figure is missing` to say what it is "
                            "then, or declare the type `{}`",
                            tn(wanted.maybe(true))));
  }
}

bool Checker::assignable(const Type& from, const Type& to) {
  if (from.is_error() || to.is_error()) return true;
  if (from.base == to.base) return from.base != BaseType::Enum || from.enum_id == to.enum_id;
  if (from.is_numeric() && to.is_numeric()) {
    return to.base != BaseType::Integer;  // integer -> number/percent widens; not back
  }
  return false;
}

// The first field or definition in the expression whose value may be missing.
std::string Checker::first_optional_name(ModuleId m, ExprId e) const {
  const Expr& x = p_.modules[m].expr(e);
  const Resolution& r = p_.tables[m].resolutions[e];
  if (x.kind == ExprKind::Name && (r.kind == Kind::Field || r.kind == Kind::Definition) &&
      p_.tables[m].types[e].optional) {
    return x.text;
  }
  // Neither `if missing` nor a test for missing is ever missing: the culprit is elsewhere.
  if (x.kind == ExprKind::IfMissing || x.kind == ExprKind::IsMissing) return {};
  for (ExprId a : x.args) {
    if (a == kNoExpr) continue;
    std::string s = first_optional_name(m, a);
    if (!s.empty()) return s;
  }
  return {};
}

// Adds to present_ the names known to be present when `e` (checked, and never missing where it
// is used) gives `value`: `NAME is not missing` giving yes, `NAME is missing` giving no, through
// `not`, every part of an `and` chain that gave yes and every part of an `or` chain that gave
// no. A chain gives yes (`and`) or no (`or`) only when it read every part and none was missing.
void Checker::present_when(ModuleId m, ExprId e, bool value) {
  const Expr& x = p_.modules[m].expr(e);
  if (x.kind == ExprKind::IsMissing) {
    if (x.negated != value) return;
    const Resolution& r = p_.tables[m].resolutions[x.args[0]];
    if (r.kind == Kind::Field || r.kind == Kind::Definition) present_.emplace_back(r.kind, r.index);
  } else if (x.kind == ExprKind::Unary && x.op == Op::Not) {
    present_when(m, x.args[0], !value);
  } else if (x.kind == ExprKind::Binary &&
             ((x.op == Op::And && value) || (x.op == Op::Or && !value))) {
    present_when(m, x.args[0], value);
    present_when(m, x.args[1], value);
  }
}

void Checker::merge(std::vector<std::uint32_t>& into, const std::vector<std::uint32_t>& more) {
  into.insert(into.end(), more.begin(), more.end());
  std::sort(into.begin(), into.end());
  into.erase(std::unique(into.begin(), into.end()), into.end());
}

void Checker::check_text(ModuleId m, ExprId e, std::string_view what) {
  Type t = check(m, e, &kText);
  if (!t.is_error() && t.base != BaseType::Text)
    mismatch(p_.modules[m].expr(e).span, kText, t, what);
}

void Checker::check_count(ModuleId m, ExprId e, std::string_view what) {
  Type t = check(m, e, &kInteger);
  if (t.is_error()) return;
  if (t.base != BaseType::Integer || t.optional)
    mismatch(p_.modules[m].expr(e).span, kInteger, t, what);
}

std::vector<std::uint32_t> Checker::check_alternatives(ModuleId m,
                                                       const std::vector<Alternative>& alts,
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

namespace {

// The new form of an old text duration, or empty: "1 day" -> `1 day`, "two hours" -> `2 hours`,
// "half a day" -> `half a day`.
std::string suggested_duration(std::string_view text) {
  static constexpr std::string_view kWords[] = {"one", "two",   "three", "four", "five",
                                                "six", "seven", "eight", "nine", "ten"};
  if (text == "half a day") return "half a day";
  const auto space = text.find(' ');
  if (space == std::string_view::npos) return {};
  const std::string_view count = text.substr(0, space), unit = text.substr(space + 1);
  std::string n;
  for (std::size_t k = 0; k < std::size(kWords); ++k) {
    if (count == kWords[k] || count == std::to_string(k + 1)) n = std::to_string(k + 1);
  }
  if (n.empty()) return {};
  const bool one = n == "1";
  if (unit == "day" || unit == "days") return n + (one ? " day" : " days");
  if (unit == "hour" || unit == "hours") return n + (one ? " hour" : " hours");
  return {};
}

}  // namespace

// `lasting` counts days or hours: `lasting 1 day`, `lasting half a day`, `lasting review_days
// days`. A bare number is an error (a number of what?); the old text form (`lasting "1 day"`) is
// still read, and printed as written, with a warning that shows the new one.
void Checker::check_durations(ModuleId m, const std::vector<Alternative>& alts,
                              std::vector<AlternativeInfo>& out, Type& joined) {
  for (std::size_t i = 0; i < alts.size() && i < out.size(); ++i) {
    const Alternative& a = alts[i];
    out[i].unit = a.unit;
    const Expr& value = p_.modules[m].expr(a.value);
    if (a.unknown_unit.end > a.unknown_unit.begin) {
      error(DiagnosticKind::E0315, a.unknown_unit, "this is not a unit of a duration",
            "unknown unit",
            "a duration counts `days` or `hours`, or is `half a day`: `lasting 2 hours`");
      continue;
    }
    if (a.unit != DurationUnit::None) {
      if (!joined.is_error() && !joined.is_numeric())
        error(DiagnosticKind::E0301, value.span,
              fmt::format("a duration counts days or hours with a number, but this is {}",
                          article(joined)),
              "not a number", "write `lasting 2 hours`, `lasting 1 day` or `lasting half a day`");
      continue;
    }
    if (value.kind == ExprKind::String) {
      const std::string suggested = suggested_duration(value.text);
      error(DiagnosticKind::W0302, value.span,
            fmt::format("a duration written as text: \"{}\"", value.text), "text",
            suggested.empty()
                ? "write the duration as a number and a unit: `lasting 2 hours`, `lasting 1 day`, "
                  "`lasting half a day`"
                : fmt::format("write `lasting {}`: a duration, checked, and printed the same way "
                              "in every schedule and calendar",
                              suggested));
      continue;
    }
    if (joined.is_error()) continue;
    error(DiagnosticKind::E0316, value.span, "`lasting` needs a duration: a number and its unit",
          joined.is_numeric() ? "a number of what?" : "not a duration",
          joined.is_numeric()
              ? fmt::format("write `lasting {0} days` or `lasting {0} hours`",
                            value.kind == ExprKind::Name || value.kind == ExprKind::Integer
                                ? value.text
                                : std::string("N"))
              : "write `lasting 2 hours`, `lasting 1 day` or `lasting half a day`");
  }
}

std::optional<std::uint32_t> Checker::calendar_for(SourceSpan span, std::string_view what) {
  if (p_.calendars.empty()) {
    error(DiagnosticKind::E0201, span,
          fmt::format("{} needs a holiday calendar, but the policy declares none", what),
          "no calendar", "add `use stdlib.calendar` for England and Wales bank holidays");
    return std::nullopt;
  }
  return static_cast<std::uint32_t>(p_.calendars.size() - 1);  // the last declared wins
}

void Checker::check_notice(std::uint32_t i) {
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
    auto deps = reading(
        [&] { check_condition(m, ground.condition, fmt::format("ground `{}`", ground.id.name)); });
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
  p_.definitions[info.letters_def].depends_on = info.ground_defs;
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
  if (n.respond_by_term_end) {
    info.respond_by_term_end = true;
    if (p_.term_calendars.empty()) {
      error(DiagnosticKind::E0201, n.respond_span,
            fmt::format("`respond by the end of next term` in {} needs a term calendar, but the "
                        "policy declares none",
                        who),
            "no term calendar",
            "declare your LA's term dates: `calendar of terms NAME \"TITLE\" from \"FILE.csv\"` "
            "(see `stdlib/example_terms.policy` for the file's columns)");
    } else {
      info.term_calendar = static_cast<std::uint32_t>(p_.term_calendars.size() - 1);
    }
  }
  p_.definitions[info.due_def].depends_on = due;
  for (const auto& step : n.escalation) info.escalation.push_back({step.text, step.cite});
}

void Checker::check_cadence(std::uint32_t i) {
  const ModuleId m = cadence_sources_[i].module;
  const CadenceDecl* decl = cadence_sources_[i].cadence;
  const CadenceDecl& c = *decl;
  CadenceInfo& info = p_.cadences[i];
  const std::string who = fmt::format("cadence `{}`", c.name.name);
  std::vector<std::uint32_t> deps = reading([&] {
    if (c.applies_to != kNoExpr)
      check_condition(m, c.applies_to, fmt::format("`applies to` of {}", who));
    for (const auto& iv : c.intervals) {
      const bool terms = iv.unit == Interval::Unit::Terms || iv.unit == Interval::Unit::HalfTerms;
      if (!terms) check_count(m, iv.count, fmt::format("the interval of {}", who));
      if (iv.condition != kNoExpr)
        check_condition(m, iv.condition, fmt::format("an interval of {}", who));
      info.intervals.push_back({{m, iv.count},
                                iv.unit == Interval::Unit::Days     ? IntervalUnit::Days
                                : iv.unit == Interval::Unit::Weeks  ? IntervalUnit::Weeks
                                : iv.unit == Interval::Unit::Months ? IntervalUnit::Months
                                : iv.unit == Interval::Unit::Terms  ? IntervalUnit::Terms
                                                                    : IntervalUnit::HalfTerms,
                                {m, iv.condition},
                                0,
                                iv.span});
      if (terms) {
        // Term dates are each LA's own: counted over the term calendar declared last.
        if (p_.term_calendars.empty()) {
          error(DiagnosticKind::E0201, iv.span,
                fmt::format("`every {}` in {} needs a term calendar, but the policy declares none",
                            iv.unit == Interval::Unit::Terms ? "term" : "half term", who),
                "no term calendar",
                "declare your LA's term dates: `calendar of terms NAME \"TITLE\" from "
                "\"FILE.csv\"` (see `stdlib/example_terms.policy` for the file's columns)");
        } else {
          info.intervals.back().term_calendar =
              static_cast<std::uint32_t>(p_.term_calendars.size() - 1);
        }
      }
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
      error(
          DiagnosticKind::E0301, c.span,
          fmt::format("{} follows the dates of `{}`, so it cannot also have an interval or `from`",
                      who, c.dates_of->name),
          "both kinds", "keep either `on dates of` or `every ... from ...`");
    }
  } else if (c.intervals.empty() || c.from == kNoExpr) {
    error(DiagnosticKind::E0406, c.name.span,
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
    error(DiagnosticKind::E0301, c.name.span, fmt::format("`no later than` of {} needs dates", who),
          "not a date");
  }
  Type lasting = kErrorType, reviewers = kErrorType;
  check_alternatives(m, c.lasting, info.lasting, fmt::format("`lasting` of {}", who), &lasting,
                     false);
  check_durations(m, c.lasting, info.lasting, lasting);
  check_alternatives(m, c.reviewers, info.reviewers, fmt::format("`reviewers` of {}", who),
                     &reviewers, false);
  info.lasting_type = lasting;
  info.reviewers_type = reviewers;
  p_.definitions[info.next_def].depends_on = deps;
  p_.definitions[info.overdue_def].depends_on = {info.next_def};
}

// Warnings have names of their own, apart from fields and definitions: nothing reads them, so
// a warning may share its name with the value it warns about.
void Checker::check_warnings() {
  std::map<std::string, SourceSpan> names;
  for (const auto& [m, w] : warn_sources_) {
    if (auto [it, fresh] = names.emplace(w->name.name, w->name.span); !fresh) {
      auto& d = error(DiagnosticKind::E0202, w->name.span,
                      fmt::format("the warning `{}` is declared twice", w->name.name),
                      "declared again here", "give each warning its own name");
      d.notes.push_back({it->second, "first declared here"});
      continue;
    }
    // Unlike a rule's, the condition may be missing: a warning is given only when it is yes,
    // so a record with too little data to tell is not warned about.
    const Type t = check(m, w->condition, &kBoolean);
    if (!t.is_error() && t.base != BaseType::Boolean) {
      error(DiagnosticKind::E0305, p_.modules[m].expr(w->condition).span,
            fmt::format("the condition of warning `{}` should be yes or no, but this is {}",
                        w->name.name, article(t)),
            "not a condition", "compare it with something, e.g. `is`, `<`, `in [...]`");
    }
    p_.warnings.push_back({w->name.name, w->message, {m, w->condition}, w->cite, w->name.span});
  }
}

}  // namespace catengine::lang::checking
