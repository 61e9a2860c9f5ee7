// The lint analysis. Each condition is abstracted into a small formula over variables: record
// fields, definitions (opaque values of their declared type), the evaluation date, and opaque
// yes/no atoms for sub-conditions the model cannot see into (arithmetic on two values, calls,
// text). Every variable has a finite domain: the members of an enumeration or scale, yes/no,
// or for numbers and dates one representative per interval that the policy's constants cut the
// line into; `missing` joins the domain when the value may be missing. Within one interval all
// comparisons with those constants agree, so enumerating the domains decides every question
// about the formulas exactly for the model, and the model over-approximates real records
// (definitions and atoms range freely). Claims that something can never happen are therefore
// sound; claims that something can happen come with an example, hedged with "may" when the
// example fixes a definition or atom rather than only record fields.
#include "lang/lint/lints.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>

#include <fmt/format.h>

#include "lang/check/builtins.hpp"

namespace catengine::lang {

namespace {

using RKind = Resolution::Kind;

// Yes/no outcomes as a set: a condition evaluates to one of these, or any of several while
// some variables are still unassigned.
constexpr std::uint8_t kNo = 1, kYes = 2, kMiss = 4, kAnyTruth = 7;

constexpr Value kUnassigned = kMissing + 1;  // never a value of the language

std::uint8_t truth_of(Value v) {
  return v == kMissing ? kMiss : v != 0 ? kYes : kNo;
}

// An abstract value: known exactly, or (while variables are unassigned) one of `mask` for
// yes/no values and anything at all for other values.
struct Abs {
  bool known = false;
  Value v = kMissing;
  std::uint8_t mask = kAnyTruth;
};

Abs exact(Value v) {
  return {true, v, truth_of(v)};
}
Abs of_mask(std::uint8_t mask) {
  if (mask == kNo) return exact(0);
  if (mask == kYes) return exact(1);
  if (mask == kMiss) return exact(kMissing);
  return {false, kMissing, mask};
}

struct Var {
  enum class Source : std::uint8_t { Field, Definition, AsOf, Atom } source;
  std::uint32_t index = 0;  // field or definition index
  Type type;
  std::string name;  // as shown in messages: `phase`, or an atom's text
  std::set<Value> constants;
  Value low = kMissing, high = kMissing;  // bounds the data binder enforces (fields)
  std::vector<Value> domain;
  Value below_all = kUnassigned, above_all = kUnassigned;  // representatives of the open ends
};

struct Node {
  enum class K : std::uint8_t {
    Const,
    Var,
    Not,
    And,
    Or,
    Eq,
    In,
    IsMissing,
    Cmp,
    Between,
    IfMissing,
    If,
    ParamMiss,
    VarIs
  } k;
  Op op = Op::None;
  bool negated = false;
  bool boolean = false;
  Value value = kMissing;   // Const, VarIs
  std::uint32_t var = 0;    // Var, ParamMiss, VarIs
  std::uint32_t param = 0;  // ParamMiss
  std::vector<int> kids;
};

struct Constraint {
  int node;
  std::uint8_t want;  // the outcomes allowed
};

enum class Answer : std::uint8_t { Yes, No, Unknown };

// A question put to the model: constraints that must all hold together.
struct Query {
  std::vector<Constraint> constraints;
};

std::string format_date(Value days) {
  const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{days}}};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

class Linter {
 public:
  Linter(const CheckedPolicy& p, const LintOptions& options) : p_(p), options_(options) {
    field_vars_.assign(p_.record.fields.size(), -1);
    def_vars_.assign(p_.definitions.size(), -1);
    for (ModuleId m = 0; m < p_.modules.size(); ++m) {
      for (const Decl& d : p_.modules[m].decls) {
        if (const auto* dc = std::get_if<DecisionDecl>(&d)) decisions_.push_back({m, dc});
        if (const auto* r = std::get_if<RecordDecl>(&d)) record_decl_ = r;
      }
    }
  }

  std::vector<Diagnostic> run() {
    collect();  // builds every formula, so every variable has seen all its constants
    finish_domains();
    for (const auto& job : decisions_to_check_) check_decision(job);
    for (const auto& c : conditions_) check_condition(c);
    for (const auto& l : lookups_) check_lookup(l);
    check_parameter_gaps();
    if (!options_.module) check_unused();
    check_imports();
    std::stable_sort(out_.begin(), out_.end(), [](const Diagnostic& a, const Diagnostic& b) {
      if (a.span.file != b.span.file) return a.span.file < b.span.file;
      if (a.span.begin != b.span.begin) return a.span.begin < b.span.begin;
      return a.kind < b.kind;
    });
    return std::move(out_);
  }

 private:
  // ---- Building formulas ---------------------------------------------------------------------

  int add(Node n) {
    nodes_.push_back(std::move(n));
    return static_cast<int>(nodes_.size() - 1);
  }
  int konst(Value v, bool boolean = false) {
    Node n{Node::K::Const};
    n.value = v;
    n.boolean = boolean;
    return add(std::move(n));
  }

  static bool modelled(const Type& t) {
    return t.base != BaseType::Text && t.base != BaseType::Error;
  }
  static bool ordered_numeric(const Type& t) {
    return t.is_numeric() || t.base == BaseType::Date || t.base == BaseType::AcademicYear;
  }

  int var_node(std::uint32_t var) {
    Node n{Node::K::Var};
    n.var = var;
    n.boolean = vars_[var].type.base == BaseType::Boolean;
    return add(std::move(n));
  }

  int field_var(std::uint32_t f) {
    if (field_vars_[f] < 0) {
      const FieldInfo& info = p_.record.fields[f];
      Var v{Var::Source::Field, f, info.type, info.name};
      if (info.type.is_numeric()) {
        v.low = info.low;
        v.high = info.high;
        if (info.type.base == BaseType::Percent) {
          v.low = v.low == kMissing ? 0 : std::max<Value>(v.low, 0);
          v.high = v.high == kMissing ? decimal::from_integer(100)
                                      : std::min(v.high, decimal::from_integer(100));
        }
      }
      if (v.low != kMissing) v.constants.insert(v.low);
      if (v.high != kMissing) v.constants.insert(v.high);
      field_vars_[f] = static_cast<int>(vars_.size());
      vars_.push_back(std::move(v));
    }
    return field_vars_[f];
  }

  int def_var(std::uint32_t d) {
    if (def_vars_[d] < 0) {
      const DefinitionInfo& info = p_.definitions[d];
      def_vars_[d] = static_cast<int>(vars_.size());
      vars_.push_back({Var::Source::Definition, d, info.type, info.name});
    }
    return def_vars_[d];
  }

  int as_of_var() {
    if (as_of_var_ < 0) {
      as_of_var_ = static_cast<int>(vars_.size());
      vars_.push_back({Var::Source::AsOf, 0, kDate, "as_of"});
    }
    return as_of_var_;
  }

  // An opaque yes/no atom; the same text (and so the same meaning: the language is pure and
  // has one namespace) is the same atom wherever it occurs.
  int atom(ExprRef e) {
    std::string text = print(e);
    auto it = atoms_.find(text);
    if (it == atoms_.end()) {
      Type t = p_.type(e);
      Var v{Var::Source::Atom, 0, kBoolean.maybe(t.optional), text};
      it = atoms_.emplace(text, static_cast<std::uint32_t>(vars_.size())).first;
      vars_.push_back(std::move(v));
    }
    return var_node(it->second);
  }

  bool is_const(int n) const { return n >= 0 && nodes_[n].k == Node::K::Const; }
  bool is_var(int n) const { return n >= 0 && nodes_[n].k == Node::K::Var; }

  // Ordered comparisons of numbers and dates are exact in the model only between one variable
  // and constants; the constants become the variable's interval boundaries.
  bool numeric_operands_ok(const std::vector<int>& kids) {
    int vars = 0;
    for (int k : kids) {
      if (k < 0) return false;
      if (is_var(k))
        ++vars;
      else if (!is_const(k))
        return false;
    }
    if (vars > 1) return false;
    for (int k : kids) {
      if (!is_var(k)) continue;
      for (int c : kids) {
        if (is_const(c) && nodes_[c].value != kMissing)
          vars_[nodes_[k].var].constants.insert(nodes_[c].value);
      }
    }
    return true;
  }

  int child(ExprRef e) { return p_.type(e).base == BaseType::Boolean ? build_bool(e) : build(e); }

  int build_bool(ExprRef e) {
    int n = build(e);
    return n >= 0 ? n : atom(e);
  }

  // The formula for an expression, or -1 when the model cannot represent it exactly.
  int build(ExprRef e) {
    const auto key = std::make_pair(e.module, e.expr);
    if (auto it = memo_.find(key); it != memo_.end()) return it->second;
    int n = build_uncached(e);
    memo_[key] = n;
    return n;
  }

  int build_uncached(ExprRef e) {
    const Expr& x = p_.expr(e);
    const Resolution& r = p_.resolution(e);
    const Type t = p_.type(e);
    auto arg = [&](std::size_t i) { return ExprRef{e.module, x.args[i]}; };
    switch (r.kind) {
      case RKind::Literal:
        return t.base == BaseType::Text ? -1 : konst(r.value, t.base == BaseType::Boolean);
      case RKind::EnumMember:
        return konst(r.value);
      case RKind::Field: {
        const FieldInfo& f = p_.record.fields[r.index];
        return modelled(f.type) ? var_node(static_cast<std::uint32_t>(field_var(r.index))) : -1;
      }
      case RKind::Definition: {
        const DefinitionInfo& d = p_.definitions[r.index];
        return modelled(d.type) ? var_node(static_cast<std::uint32_t>(def_var(r.index))) : -1;
      }
      case RKind::AsOf:
        return var_node(static_cast<std::uint32_t>(as_of_var()));
      case RKind::Parameter: {
        if (x.kind != ExprKind::Call || x.args.size() != 1) return -1;
        int key = build(arg(0));
        if (!is_const(key)) return -1;
        const ParamEntryInfo* entry = param_entry(r.index, nodes_[key].value);
        return konst(entry ? entry->value : kMissing);
      }
      case RKind::Builtin:
        return -1;
      case RKind::None:
        break;
    }
    switch (x.kind) {
      case ExprKind::Unary: {
        if (x.op == Op::Not) {
          Node n{Node::K::Not};
          n.boolean = true;
          n.kids = {build_bool(arg(0))};
          return add(std::move(n));
        }
        int a = build(arg(0));
        return is_const(a) && nodes_[a].value != kMissing ? konst(-nodes_[a].value) : -1;
      }
      case ExprKind::Binary: {
        if (x.op == Op::And || x.op == Op::Or) {
          Node n{x.op == Op::And ? Node::K::And : Node::K::Or};
          n.boolean = true;
          n.kids = {build_bool(arg(0)), build_bool(arg(1))};
          return add(std::move(n));
        }
        if (x.op == Op::Add || x.op == Op::Sub || x.op == Op::Mul || x.op == Op::Div) return -1;
        const Type operand = p_.type(arg(0));
        std::vector<int> kids{child(arg(0)), child(arg(1))};
        if (kids[0] < 0 || kids[1] < 0) return -1;
        if (ordered_numeric(operand) && !numeric_operands_ok(kids)) return -1;
        Node n{x.op == Op::Eq || x.op == Op::Ne ? Node::K::Eq : Node::K::Cmp};
        n.op = x.op;
        n.negated = x.op == Op::Ne;
        n.boolean = true;
        n.kids = std::move(kids);
        return add(std::move(n));
      }
      case ExprKind::In: {
        const Type operand = p_.type(arg(0));
        std::vector<int> kids{child(arg(0))};
        for (ExprId item : p_.expr(arg(1)).args) kids.push_back(child({e.module, item}));
        for (int k : kids) {
          if (k < 0) return -1;
        }
        if (ordered_numeric(operand) && !numeric_operands_ok(kids)) return -1;
        Node n{Node::K::In};
        n.negated = x.negated;
        n.boolean = true;
        n.kids = std::move(kids);
        return add(std::move(n));
      }
      case ExprKind::IsMissing: {
        int a = child(arg(0));
        if (a < 0) return -1;
        Node n{Node::K::IsMissing};
        n.negated = x.negated;
        n.boolean = true;
        n.kids = {a};
        return add(std::move(n));
      }
      case ExprKind::Between: {
        const Type operand = p_.type(arg(0));
        std::vector<int> kids{child(arg(0)), child(arg(1)), child(arg(2))};
        for (int k : kids) {
          if (k < 0) return -1;
        }
        if (ordered_numeric(operand) && !numeric_operands_ok(kids)) return -1;
        Node n{Node::K::Between};
        n.boolean = true;
        n.kids = std::move(kids);
        return add(std::move(n));
      }
      case ExprKind::IfMissing: {
        int a = child(arg(0)), b = child(arg(1));
        if (a < 0 || b < 0) return -1;
        Node n{Node::K::IfMissing};
        n.boolean = t.base == BaseType::Boolean;
        n.kids = {a, b};
        return add(std::move(n));
      }
      case ExprKind::If: {
        int c = build_bool(arg(0)), a = child(arg(1)), b = child(arg(2));
        if (a < 0 || b < 0) return -1;
        Node n{Node::K::If};
        n.boolean = t.base == BaseType::Boolean;
        n.kids = {c, a, b};
        return add(std::move(n));
      }
      default:
        return -1;
    }
  }

  const ParamEntryInfo* param_entry(std::uint32_t param, Value key) const {
    if (key == kMissing) return nullptr;
    const ParamInfo& info = p_.parameters[param];
    if (!info.by_date && key % decimal::kScale != 0) return nullptr;
    const Value k = info.by_date ? key : key / decimal::kScale;
    for (const auto& e : info.entries) {
      if (e.from <= k && k <= e.to) return &e;
    }
    return nullptr;
  }

  // ---- Printing expressions (atoms, messages) ------------------------------------------------

  std::string print(ExprRef e) const {
    const Expr& x = p_.expr(e);
    auto arg = [&](std::size_t i) { return ExprRef{e.module, x.args[i]}; };
    auto inner = [&](std::size_t i) {
      const Expr& a = p_.expr(arg(i));
      const bool compound = a.kind == ExprKind::Binary || a.kind == ExprKind::If ||
                            a.kind == ExprKind::IfMissing || a.kind == ExprKind::Between ||
                            a.kind == ExprKind::In || a.kind == ExprKind::IsMissing;
      return compound ? "(" + print(arg(i)) + ")" : print(arg(i));
    };
    switch (x.kind) {
      case ExprKind::Integer:
      case ExprKind::Decimal:
      case ExprKind::Date:
      case ExprKind::Name:
        return x.text;
      case ExprKind::String:
        return "\"" + x.text + "\"";
      case ExprKind::List: {
        std::string s = "[";
        for (std::size_t i = 0; i < x.args.size(); ++i) s += (i ? ", " : "") + print(arg(i));
        return s + "]";
      }
      case ExprKind::Unary:
        return x.op == Op::Not ? "not " + inner(0) : "-" + inner(0);
      case ExprKind::Binary:
        return inner(0) + " " + std::string(spelling(x.op)) + " " + inner(1);
      case ExprKind::In:
        return inner(0) + (x.negated ? " not in " : " in ") + print(arg(1));
      case ExprKind::IsMissing:
        return inner(0) + (x.negated ? " is not missing" : " is missing");
      case ExprKind::Between:
        return inner(0) + " between " + inner(1) + " and " + inner(2);
      case ExprKind::IfMissing:
        return inner(0) + " if missing " + inner(1);
      case ExprKind::If:
        return "if " + print(arg(0)) + " then " + print(arg(1)) + " else " + print(arg(2));
      case ExprKind::Call: {
        if (x.args.size() == 1) return x.text + " of " + inner(0);
        std::string s = x.text + "(";
        for (std::size_t i = 0; i < x.args.size(); ++i) s += (i ? ", " : "") + print(arg(i));
        return s + ")";
      }
    }
    return "?";
  }

  std::string show_value(const Var& v, Value value) const {
    if (value == kMissing) return "missing";
    switch (v.type.base) {
      case BaseType::Boolean:
        return value != 0 ? "yes" : "no";
      case BaseType::Enum: {
        const auto& members = p_.enums[v.type.enum_id].members;
        return value >= 0 && static_cast<std::size_t>(value) < members.size() ? members[value].key
                                                                              : "?";
      }
      case BaseType::Date:
        return format_date(value);
      case BaseType::AcademicYear:
        return fmt::format("{}/{:02}", value, (value + 1) % 100);
      default:
        return decimal::format(value);
    }
  }

  // ---- Domains -------------------------------------------------------------------------------

  // A simple value strictly between a and b on the grid `step`, preferring round numbers: the
  // first multiple of the largest power of ten (from `largest` down) that falls inside.
  static std::optional<Value> between(Value a, Value b, Value step, Value largest) {
    for (Value p = largest; p >= step; p /= 10) {
      if (p % step != 0) continue;
      Value q = a / p;
      if (a % p != 0 && a < 0) --q;  // floor
      const Value first = (q + 1) * p;
      if (first > a && first < b) return first;
    }
    return std::nullopt;
  }

  void finish_domains() {
    for (Var& v : vars_) {
      std::vector<Value> d;
      switch (v.type.base) {
        case BaseType::Boolean:
          d = {0, 1};
          break;
        case BaseType::Enum:
          for (std::size_t i = 0; i < p_.enums[v.type.enum_id].members.size(); ++i)
            d.push_back(static_cast<Value>(i));
          break;
        default: {
          const Value step = v.type.base == BaseType::Integer ? decimal::kScale : 1;
          const Value unit = v.type.is_numeric() ? decimal::kScale : 1;  // one whole
          std::vector<Value> pts(v.constants.begin(), v.constants.end());
          if (pts.empty()) {
            d.push_back(v.type.base == BaseType::AcademicYear ? 2017 : 0);
            break;
          }
          auto on_grid = [&](Value x) { return x % step == 0; };
          // below the first constant: a whole unit below, on the grid
          Value below = pts.front() - unit;
          below -= ((below % step) + step) % step;
          v.below_all = below;
          d.push_back(below);
          for (std::size_t i = 0; i < pts.size(); ++i) {
            if (on_grid(pts[i])) d.push_back(pts[i]);
            if (i + 1 < pts.size()) {
              const Value largest = v.type.is_numeric() ? decimal::kScale * 1'000'000 : step;
              if (auto mid = between(pts[i], pts[i + 1], step, largest)) d.push_back(*mid);
            }
          }
          Value above = pts.back() + unit;
          above -= ((above % step) + step) % step;
          if (above <= pts.back()) above += step;
          v.above_all = above;
          d.push_back(above);
          if (v.low != kMissing || v.high != kMissing) {
            std::erase_if(d, [&](Value x) {
              return (v.low != kMissing && x < v.low) || (v.high != kMissing && x > v.high);
            });
          }
          break;
        }
      }
      if (v.type.optional) d.push_back(kMissing);
      v.domain = std::move(d);
    }
  }

  // ---- Evaluating formulas -------------------------------------------------------------------

  Abs eval(int id, const std::vector<Value>& a) const {
    const Node& n = nodes_[id];
    switch (n.k) {
      case Node::K::Const:
        return exact(n.value);
      case Node::K::Var: {
        const Value v = a[n.var];
        if (v != kUnassigned) return exact(v);
        return {false, kMissing,
                static_cast<std::uint8_t>(kNo | kYes | (vars_[n.var].type.optional ? kMiss : 0))};
      }
      case Node::K::Not: {
        Abs x = eval(n.kids[0], a);
        std::uint8_t m = 0;
        if (x.mask & kNo) m |= kYes;
        if (x.mask & kYes) m |= kNo;
        if (x.mask & kMiss) m |= kMiss;
        return of_mask(m);
      }
      case Node::K::And:
      case Node::K::Or: {
        Abs x = eval(n.kids[0], a);
        if (x.known && x.v == kMissing) return exact(kMissing);  // strict: missing wins
        Abs y = eval(n.kids[1], a);
        std::uint8_t m = 0;
        for (std::uint8_t bx : {kNo, kYes, kMiss}) {
          if (!(x.mask & bx)) continue;
          for (std::uint8_t by : {kNo, kYes, kMiss}) {
            if (!(y.mask & by)) continue;
            if (bx == kMiss || by == kMiss)
              m |= kMiss;
            else if (n.k == Node::K::And)
              m |= (bx == kYes && by == kYes) ? kYes : kNo;
            else
              m |= (bx == kYes || by == kYes) ? kYes : kNo;
          }
        }
        return of_mask(m);
      }
      case Node::K::Eq: {
        Abs x = eval(n.kids[0], a), y = eval(n.kids[1], a);
        if (!x.known || !y.known) return of_mask(kNo | kYes);
        return exact((x.v == y.v) != n.negated);
      }
      case Node::K::In: {
        Abs x = eval(n.kids[0], a);
        if (!x.known) return of_mask(kNo | kYes);
        bool found = false, unknown = false;
        for (std::size_t i = 1; i < n.kids.size(); ++i) {
          Abs y = eval(n.kids[i], a);
          if (!y.known)
            unknown = true;
          else if (y.v == x.v)
            found = true;
        }
        if (found) return exact(!n.negated);
        if (unknown) return of_mask(kNo | kYes);
        return exact(n.negated);
      }
      case Node::K::IsMissing: {
        Abs x = eval(n.kids[0], a);
        if (!x.known) return of_mask(kNo | kYes);
        return exact((x.v == kMissing) != n.negated);
      }
      case Node::K::Cmp:
      case Node::K::Between: {
        std::vector<Abs> xs;
        bool all = true;
        for (int k : n.kids) {
          xs.push_back(eval(k, a));
          if (xs.back().known && xs.back().v == kMissing) return exact(kMissing);
          all = all && xs.back().known;
        }
        if (!all) return of_mask(kAnyTruth);
        if (n.k == Node::K::Between) return exact(xs[1].v <= xs[0].v && xs[0].v <= xs[2].v);
        const Value l = xs[0].v, r = xs[1].v;
        switch (n.op) {
          case Op::Lt:
          case Op::Better:
            return exact(l < r);
          case Op::Le:
          case Op::AtLeast:
          case Op::AtWorst:
            return exact(l <= r);
          case Op::Gt:
          case Op::Worse:
            return exact(l > r);
          case Op::Ge:
            return exact(l >= r);
          default:
            return of_mask(kAnyTruth);
        }
      }
      case Node::K::IfMissing: {
        Abs x = eval(n.kids[0], a);
        if (x.known) return x.v != kMissing ? x : eval(n.kids[1], a);
        if (!n.boolean) return {};
        std::uint8_t m = x.mask & static_cast<std::uint8_t>(~kMiss);
        if (x.mask & kMiss) m |= eval(n.kids[1], a).mask;
        return of_mask(m);
      }
      case Node::K::If: {
        Abs c = eval(n.kids[0], a);
        if (c.known) {
          if (c.v == kMissing) return exact(kMissing);
          return eval(n.kids[c.v != 0 ? 1 : 2], a);
        }
        if (!n.boolean) return {};
        std::uint8_t m = (c.mask & kMiss) ? kMiss : 0;
        if (c.mask & kYes) m |= eval(n.kids[1], a).mask;
        if (c.mask & kNo) m |= eval(n.kids[2], a).mask;
        return of_mask(m);
      }
      case Node::K::ParamMiss: {
        const Value v = a[n.var];
        if (v == kUnassigned) return of_mask(kNo | kYes);
        return exact(v != kMissing && param_entry(n.param, v) == nullptr);
      }
      case Node::K::VarIs: {
        const Value v = a[n.var];
        if (v == kUnassigned) return of_mask(kNo | kYes);
        return exact(v == n.value);
      }
    }
    return {};
  }

  void vars_of(int id, std::vector<std::uint32_t>& out, std::vector<char>& seen) const {
    const Node& n = nodes_[id];
    if (n.k == Node::K::Var || n.k == Node::K::ParamMiss || n.k == Node::K::VarIs) {
      if (!seen[n.var]) {
        seen[n.var] = 1;
        out.push_back(n.var);
      }
    }
    for (int k : n.kids) vars_of(k, out, seen);
  }

  // Searches for values of the variables that satisfy every constraint. Backtracking, with each
  // partial assignment pruned as soon as some constraint can no longer hold.
  Answer solve(const Query& q,
               std::vector<std::pair<std::uint32_t, Value>>* witness = nullptr) const {
    std::vector<std::uint32_t> order;
    std::vector<char> seen(vars_.size(), 0);
    for (const auto& c : q.constraints) vars_of(c.node, order, seen);
    std::vector<Value> a(vars_.size(), kUnassigned);
    std::uint64_t steps = 0;
    bool out_of_budget = false;
    std::function<bool(std::size_t)> go = [&](std::size_t depth) -> bool {
      if (++steps > options_.budget) {
        out_of_budget = true;
        return false;
      }
      for (const auto& c : q.constraints) {
        if ((eval(c.node, a).mask & c.want) == 0) return false;
      }
      if (depth == order.size()) return true;
      const std::uint32_t v = order[depth];
      for (Value value : vars_[v].domain) {
        a[v] = value;
        if (go(depth + 1)) return true;
        if (out_of_budget) return false;
      }
      a[v] = kUnassigned;
      return false;
    };
    if (go(0)) {
      if (witness != nullptr) {
        witness->clear();
        for (auto v : order) witness->emplace_back(v, a[v]);
      }
      return Answer::Yes;
    }
    return out_of_budget ? Answer::Unknown : Answer::No;
  }

  // "`phase` is `special` and `below_floor` is `no`", and whether it fixes only record fields.
  std::pair<std::string, bool> describe(
      const std::vector<std::pair<std::uint32_t, Value>>& witness) const {
    std::vector<std::string> parts;
    bool fields_only = true;
    for (const auto& [v, value] : witness) {
      const Var& var = vars_[v];
      if (var.source != Var::Source::Field) fields_only = false;
      parts.push_back(value == kMissing
                          ? fmt::format("`{}` is missing", var.name)
                          : fmt::format("`{}` is `{}`", var.name, show_value(var, value)));
    }
    std::string s;
    for (std::size_t i = 0; i < parts.size(); ++i) {
      s += (i == 0 ? "" : i + 1 == parts.size() ? " and " : ", ") + parts[i];
    }
    if (s.empty()) s = "for every record";
    return {s, fields_only};
  }

  // ---- What to check -------------------------------------------------------------------------

  struct DecisionJob {
    std::uint32_t def;
    const DecisionDecl* decl;
    std::vector<int> conditions;  // by rule; -1 for `otherwise`
  };
  struct ConditionJob {
    int node;
    SourceSpan span;
    std::string what;      // "the condition of rule `R3`"
    std::string if_yes;    // consequence when always yes ("" when not worth saying)
    std::string if_never;  // consequence when never yes
  };
  struct LookupJob {
    std::uint32_t param;
    int key;  // a Var node, or a Const
    std::vector<Constraint> path;
    SourceSpan span;
  };

  const DecisionDecl* decision_decl(const DefinitionInfo& def) const {
    for (const auto& [m, dc] : decisions_) {
      if (dc->name.span.file == def.span.file && dc->name.span.begin == def.span.begin) return dc;
    }
    return nullptr;
  }

  void collect() {
    for (std::uint32_t i = 0; i < p_.definitions.size(); ++i) {
      const DefinitionInfo& def = p_.definitions[i];
      if (def.kind == DefinitionInfo::Kind::Define) {
        walk(def.body, {});
      } else if (def.kind == DefinitionInfo::Kind::Decision) {
        const DecisionDecl* decl = decision_decl(def);
        if (decl == nullptr || decl->rules.size() != def.rules.size()) continue;
        DecisionJob job{i, decl, {}};
        std::vector<Constraint> path;
        for (std::size_t k = 0; k < def.rules.size(); ++k) {
          const RuleInfo& rule = def.rules[k];
          if (rule.condition.expr == kNoExpr) {
            job.conditions.push_back(-1);
            walk(rule.value, path);
            continue;
          }
          int c = build_bool(rule.condition);
          job.conditions.push_back(c);
          conditions_.push_back({c, p_.expr(rule.condition).span,
                                 fmt::format("the condition of rule `{}`", rule.id),
                                 k + 1 < def.rules.size() ? "the rules after it never apply" : "",
                                 "the rule never applies"});
          walk(rule.condition, path);
          auto fired = path;
          fired.push_back({c, kYes});
          walk(rule.value, fired);
          path.push_back({c, kNo | kMiss});
        }
        decisions_to_check_.push_back(std::move(job));
      }
    }
    for (const NoticeInfo& n : p_.notices) {
      const std::string who = fmt::format("notice `{}`", n.name);
      condition(n.applies_to, fmt::format("`applies to` of {}", who), "",
                "the notice is never issued");
      for (const GroundInfo& g : n.grounds) {
        condition(g.condition, fmt::format("ground `{}` of {}", g.id, who), "",
                  "the ground never holds");
      }
      condition(n.issued_when, fmt::format("`issued when` of {}", who), "",
                "the notice is never issued");
      condition(n.unless, fmt::format("`unless` of {}", who), "the notice is never issued", "");
      for (const auto* alts : {&n.addressees, &n.copies}) {
        for (const auto& alt : *alts) {
          walk(alt.value, {});
          condition(alt.condition, "this `when`", "", "this line never applies");
        }
      }
      walk(n.respond_within, {});
    }
    for (const CadenceInfo& c : p_.cadences) {
      const std::string who = fmt::format("cadence `{}`", c.name);
      condition(c.applies_to, fmt::format("`applies to` of {}", who), "",
                "the cadence never applies");
      for (const auto& iv : c.intervals) {
        walk(iv.count, {});
        condition(iv.condition, "this `when`", "", "this interval never applies");
      }
      walk(c.from, {});
      walk(c.if_never, {});
      for (const auto* alts : {&c.no_later_than, &c.lasting, &c.reviewers}) {
        for (const auto& alt : *alts) {
          walk(alt.value, {});
          condition(alt.condition, "this `when`", "", "this line never applies");
        }
      }
    }
    for (const auto& o : p_.outputs) walk(o.value, {});
  }

  void condition(ExprRef e, std::string what, std::string if_yes, std::string if_never) {
    if (e.expr == kNoExpr) return;
    walk(e, {});
    conditions_.push_back(
        {build_bool(e), p_.expr(e).span, std::move(what), std::move(if_yes), std::move(if_never)});
  }

  // Visits every `if` (its condition is checked) and every parameter lookup (with the
  // conditions that hold wherever it is evaluated).
  void walk(ExprRef e, const std::vector<Constraint>& path) {
    if (e.expr == kNoExpr) return;
    const Expr& x = p_.expr(e);
    const Resolution& r = p_.resolution(e);
    auto arg = [&](std::size_t i) { return ExprRef{e.module, x.args[i]}; };
    if (x.kind == ExprKind::If) {
      int c = build_bool(arg(0));
      conditions_.push_back({c, p_.expr(arg(0)).span, "this `if` condition",
                             "the `else` value is never used", "the `then` value is never used"});
      walk(arg(0), path);
      auto yes = path;
      yes.push_back({c, kYes});
      walk(arg(1), yes);
      auto no = path;
      no.push_back({c, kNo});
      walk(arg(2), no);
      return;
    }
    if (x.kind == ExprKind::Call && r.kind == RKind::Parameter && x.args.size() == 1) {
      int key = build(arg(0));
      if (is_var(key) || is_const(key)) {
        if (is_var(key)) {
          // The table's edges become the key's interval boundaries.
          Var& v = vars_[nodes_[key].var];
          const ParamInfo& param = p_.parameters[r.index];
          const Value scale = param.by_date ? 1 : decimal::kScale;
          for (const auto& entry : param.entries) {
            v.constants.insert(entry.from * scale);
            v.constants.insert(entry.to * scale);
          }
        }
        lookups_.push_back({r.index, key, path, x.span});
      }
    }
    for (ExprId a : x.args) {
      if (a != kNoExpr) walk({e.module, a}, path);
    }
  }

  // ---- Checks --------------------------------------------------------------------------------

  Diagnostic& report(DiagnosticKind kind, SourceSpan span, std::string message, std::string label,
                     std::string hint = {}) {
    out_.push_back(
        make_diagnostic(kind, span, std::move(message), std::move(label), std::move(hint)));
    return out_.back();
  }

  void check_decision(const DecisionJob& job) {
    const DefinitionInfo& def = p_.definitions[job.def];
    const DecisionDecl& decl = *job.decl;
    std::vector<Constraint> earlier;  // every earlier rule did not fire
    for (std::size_t k = 0; k < job.conditions.size(); ++k) {
      const int c = job.conditions[k];
      const Rule& rule = decl.rules[k];
      Query q{earlier};
      if (c >= 0) q.constraints.push_back({c, kYes});
      // A condition that is never yes is reported as W0111 by itself.
      const bool alone_possible = c < 0 || solve(Query{{{c, kYes}}}) != Answer::No;
      if (!earlier.empty() && alone_possible && solve(q) == Answer::No) {
        std::vector<std::size_t> covering;
        for (std::size_t j = 0; j < k; ++j) {
          Query both{{{job.conditions[j], kYes}}};
          if (c >= 0) both.constraints.push_back({c, kYes});
          if (solve(both) != Answer::No) covering.push_back(j);
        }
        std::string names;
        for (std::size_t i = 0; i < covering.size(); ++i) {
          names += (i == 0                     ? ""
                    : i + 1 == covering.size() ? " and "
                                               : ", ") +
                   fmt::format("`{}`", decl.rules[covering[i]].id.name);
        }
        auto& d = report(
            DiagnosticKind::W0101, rule.id.span,
            c < 0
                ? fmt::format("rule `{}` of `{}` can never apply: every record is taken by an "
                              "earlier rule ({})",
                              rule.id.name, def.name, names)
                : fmt::format("rule `{}` of `{}` can never apply: every record it matches is taken "
                              "by an earlier rule ({})",
                              rule.id.name, def.name, names),
            "never applies", "remove the rule, or move it above the rules that cover it");
        for (std::size_t j : covering) {
          d.notes.push_back({decl.rules[j].id.span,
                             fmt::format("rule `{}` applies first", decl.rules[j].id.name)});
        }
      }
      if (decl.hit_policy == HitPolicy::UniqueMatch && c >= 0) {
        for (std::size_t j = 0; j < k; ++j) {
          if (job.conditions[j] < 0) continue;
          std::vector<std::pair<std::uint32_t, Value>> w;
          if (solve(Query{{{job.conditions[j], kYes}, {c, kYes}}}, &w) != Answer::Yes) continue;
          auto [example, certain] = describe(w);
          auto& d = report(
              DiagnosticKind::W0102, rule.id.span,
              fmt::format("rules `{}` and `{}` of `{}` {}both apply, but it is decided by unique "
                          "match: for example when {}",
                          decl.rules[j].id.name, rule.id.name, def.name, certain ? "can " : "may ",
                          example),
              "overlaps an earlier rule",
              "make the conditions exclude each other, or use `by first match`");
          d.notes.push_back({decl.rules[j].id.span,
                             fmt::format("rule `{}` also applies", decl.rules[j].id.name)});
        }
      }
      if (c >= 0) earlier.push_back({c, kNo | kMiss});
    }
    const bool has_otherwise = !job.conditions.empty() && job.conditions.back() < 0;
    if (!has_otherwise && !earlier.empty()) {
      std::vector<std::pair<std::uint32_t, Value>> w;
      if (solve(Query{earlier}, &w) == Answer::Yes) {
        auto [example, certain] = describe(w);
        report(DiagnosticKind::W0103, decl.name.span,
               fmt::format(
                   "`{}` {} no outcome: no rule applies when {}, and there is no `otherwise`",
                   def.name, certain ? "leaves some records with" : "may leave some records with",
                   example),
               "no rule for some records",
               "add a rule for these records, or end with `rule ID \"title\" otherwise VALUE`");
      }
    }
  }

  void check_condition(const ConditionJob& c) {
    if (solve(Query{{{c.node, kYes}}}) == Answer::No) {
      report(
          DiagnosticKind::W0111, c.span,
          fmt::format("{} is never yes{}", c.what, c.if_never.empty() ? "" : ", so " + c.if_never),
          "never yes", "check the values it compares; remove it if it is not needed");
      return;
    }
    if (solve(Query{{{c.node, kNo | kMiss}}}) == Answer::No) {
      report(DiagnosticKind::W0110, c.span,
             fmt::format("{} is yes for every record{}", c.what,
                         c.if_yes.empty() ? "" : ", so " + c.if_yes),
             "always yes", "check the values it compares; remove it if it is not needed");
    }
  }

  std::string key_text(const ParamInfo& param, Value key) const {
    return param.by_date ? format_date(key) : decimal::format(key);
  }

  void check_lookup(const LookupJob& l) {
    const ParamInfo& param = p_.parameters[l.param];
    if (is_const(l.key)) {
      const Value key = nodes_[l.key].value;
      if (key != kMissing && param_entry(l.param, key) == nullptr) {
        report(DiagnosticKind::W0109, l.span,
               fmt::format("`{}` has no value for {}, so this lookup is always missing", param.name,
                           key_text(param, key)),
               "no entry",
               fmt::format("add an entry for {} to `{}`", key_text(param, key), param.name));
      }
      return;
    }
    const std::uint32_t var = nodes_[l.key].var;
    const Var& v = vars_[var];
    // Only a key its conditions bound on both sides: an unguarded lookup is meant to be
    // missing outside the table.
    for (Value end : {v.below_all, v.above_all}) {
      if (end == kUnassigned) return;
      if (std::find(v.domain.begin(), v.domain.end(), end) == v.domain.end()) continue;
      Node is{Node::K::VarIs};
      is.var = var;
      is.value = end;
      int n = add(std::move(is));
      Query q{l.path};
      q.constraints.push_back({n, kYes});
      if (solve(q) != Answer::No) return;
    }
    Node miss{Node::K::ParamMiss};
    miss.var = var;
    miss.param = l.param;
    int n = add(std::move(miss));
    Query q{l.path};
    q.constraints.push_back({n, kYes});
    std::vector<std::pair<std::uint32_t, Value>> w;
    if (solve(q, &w) != Answer::Yes) return;
    Value key = kMissing;
    for (const auto& [wv, value] : w) {
      if (wv == var) key = value;
    }
    report(
        DiagnosticKind::W0109, l.span,
        fmt::format("`{}` has no value for {}, but this lookup can be reached when `{}` is `{}`",
                    param.name, key_text(param, key), v.name, show_value(v, key)),
        "can find no value",
        fmt::format("add an entry for {} to `{}`, or narrow the condition that guards this lookup",
                    key_text(param, key), param.name));
  }

  void check_parameter_gaps() {
    for (const ParamInfo& param : p_.parameters) {
      // A dated table of single days is a list of events (clinic dates), not a time line.
      if (param.by_date && std::all_of(param.entries.begin(), param.entries.end(),
                                       [](const ParamEntryInfo& e) { return e.from == e.to; })) {
        continue;
      }
      for (std::size_t i = 1; i < param.entries.size(); ++i) {
        const Value from = param.entries[i - 1].to + 1, to = param.entries[i].from - 1;
        if (from > to) continue;
        const std::string gap =
            from == to ? key_text2(param, from)
                       : fmt::format("{} to {}", key_text2(param, from), key_text2(param, to));
        auto& d =
            report(DiagnosticKind::W0108, param.entries[i].span,
                   fmt::format("`{}` has no value for {}, between its entries for {} and {}",
                               param.name, gap, key_text2(param, param.entries[i - 1].to),
                               key_text2(param, param.entries[i].from)),
                   "gap before this entry",
                   fmt::format("add an entry for {}, or say why there is none in a comment", gap));
        d.notes.push_back({param.entries[i - 1].span, "the entry before the gap"});
      }
    }
  }

  // A table key as written: a year, or a date.
  static std::string key_text2(const ParamInfo& param, Value key) {
    return param.by_date ? format_date(key) : std::to_string(key);
  }

  // ---- Unused names --------------------------------------------------------------------------

  void check_unused() {
    const FileId main = p_.modules.at(p_.main_module).file;
    std::vector<char> field_used(p_.record.fields.size(), 0), def_used(p_.definitions.size(), 0),
        param_used(p_.parameters.size(), 0);
    for (ModuleId m = 0; m < p_.modules.size(); ++m) {
      const auto& res = p_.tables[m].resolutions;
      for (const auto& r : res) {
        if (r.kind == RKind::Field && r.index < field_used.size()) field_used[r.index] = 1;
        if (r.kind == RKind::Definition && r.index < def_used.size()) def_used[r.index] = 1;
        if (r.kind == RKind::Parameter && r.index < param_used.size()) param_used[r.index] = 1;
      }
    }
    for (const auto& c : p_.cadences) {
      if (c.dates_param) param_used[*c.dates_param] = 1;
    }
    for (std::uint32_t i = 0; i < p_.definitions.size(); ++i) {
      const auto& d = p_.definitions[i];
      const bool named =
          d.kind == DefinitionInfo::Kind::Define || d.kind == DefinitionInfo::Kind::Decision;
      if (!named || def_used[i] || d.span.file != main) continue;
      report(DiagnosticKind::W0104, d.span,
             fmt::format("`{}` is {} but nothing reads it", d.name,
                         d.is_decision ? "decided" : "defined"),
             "unused", "use it in a rule or an output column, or remove it");
    }
    for (std::uint32_t i = 0; i < p_.parameters.size(); ++i) {
      const auto& pr = p_.parameters[i];
      if (param_used[i] || pr.span.file != main) continue;
      report(DiagnosticKind::W0105, pr.span,
             fmt::format("the parameter `{}` is never looked up", pr.name), "unused",
             fmt::format("look it up (`{} of ...`) or remove it", pr.name));
    }
    if (p_.record.span.file == main && record_decl_ != nullptr) {
      for (std::uint32_t i = 0; i < p_.record.fields.size(); ++i) {
        const FieldInfo& f = p_.record.fields[i];
        if (field_used[i] || f.key) continue;
        bool shown = false;
        for (const auto& fd : record_decl_->fields) {
          if (fd.name.name == f.name) shown = fd.shown;
        }
        if (shown) continue;
        report(
            DiagnosticKind::W0107, f.span,
            fmt::format("the field `{}` of `{}` is read from the data, but no rule or output "
                        "column uses it",
                        f.name, p_.record.name),
            "unused field",
            "remove it, or add `, shown` to the field if it is kept for people reading the data");
      }
    }
  }

  // The module a `use` loaded: stdlib.a.b ends in a/b.policy; a path is resolved as the
  // loader does, against the importing file.
  std::optional<ModuleId> used_module(const UseDecl& use, ModuleId importer) const {
    namespace fs = std::filesystem;
    if (use.is_path) {
      const std::string want = (fs::path(p_.module_paths[importer]).parent_path() / use.target)
                                   .lexically_normal()
                                   .string();
      for (ModuleId m = 0; m < p_.module_paths.size(); ++m) {
        if (fs::path(p_.module_paths[m]).lexically_normal().string() == want) return m;
      }
      return std::nullopt;
    }
    std::string rest = use.target.rfind("stdlib.", 0) == 0 ? use.target.substr(7) : use.target;
    std::replace(rest.begin(), rest.end(), '.', '/');
    const std::string suffix = "/" + rest + ".policy";
    for (ModuleId m = 0; m < p_.module_paths.size(); ++m) {
      const std::string path = fs::path(p_.module_paths[m]).lexically_normal().generic_string();
      if (path.size() >= suffix.size() &&
          path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0) {
        return m;
      }
      if (path == suffix.substr(1)) return m;
    }
    return std::nullopt;
  }

  // The files whose declarations module `m` names.
  std::set<FileId> files_used_by(ModuleId m) const {
    std::set<FileId> out;
    auto enum_file = [&](const std::string& type_name) {
      for (const auto& e : p_.enums) {
        if (e.name == type_name) out.insert(e.span.file);
      }
    };
    const Module& mod = p_.modules[m];
    const auto& tables = p_.tables[m];
    bool working_days = false;
    for (std::size_t e = 0; e < tables.resolutions.size(); ++e) {
      const Resolution& r = tables.resolutions[e];
      switch (r.kind) {
        case RKind::Field:
          out.insert(p_.record.fields[r.index].span.file);
          break;
        case RKind::Definition:
          out.insert(p_.definitions[r.index].span.file);
          break;
        case RKind::Parameter:
          out.insert(p_.parameters[r.index].span.file);
          break;
        case RKind::Builtin:
          if (r.index == static_cast<std::uint32_t>(Builtin::AddWorkingDays) ||
              r.index == static_cast<std::uint32_t>(Builtin::FirstWorkingDayOnOrAfter)) {
            working_days = true;
          }
          break;
        default:
          break;
      }
      const Type& t = tables.types[e];
      if (t.base == BaseType::Enum && t.enum_id < p_.enums.size())
        out.insert(p_.enums[t.enum_id].span.file);
    }
    for (const Decl& d : mod.decls) {
      if (const auto* r = std::get_if<RecordDecl>(&d)) {
        for (const auto& f : r->fields) enum_file(f.type.name);
      } else if (const auto* pd = std::get_if<ParamDecl>(&d)) {
        enum_file(pd->type.name);
      } else if (const auto* dd = std::get_if<DefineDecl>(&d)) {
        if (dd->type) enum_file(dd->type->name);
      } else if (const auto* dc = std::get_if<DecisionDecl>(&d)) {
        enum_file(dc->type.name);
      } else if (const auto* n = std::get_if<NoticeDecl>(&d)) {
        if (n->respond_within != kNoExpr) working_days = true;
      } else if (const auto* c = std::get_if<CadenceDecl>(&d)) {
        if (c->dates_of) {
          for (const auto& pr : p_.parameters) {
            if (pr.name == c->dates_of->name) out.insert(pr.span.file);
          }
        }
      }
    }
    if (working_days && !p_.calendars.empty()) out.insert(p_.calendars.back().span.file);
    return out;
  }

  void check_imports() {
    for (ModuleId m = 0; m < p_.modules.size(); ++m) {
      std::optional<std::set<FileId>> used;
      for (const Decl& d : p_.modules[m].decls) {
        const auto* use = std::get_if<UseDecl>(&d);
        if (use == nullptr) continue;
        auto target = used_module(*use, m);
        if (!target || *target == m) continue;
        if (!used) used = files_used_by(m);
        if (used->count(p_.modules[*target].file) != 0) continue;
        report(DiagnosticKind::W0106, use->span,
               fmt::format("nothing from `{}` is used", use->target), "unused import",
               "remove this line");
      }
    }
  }

  const CheckedPolicy& p_;
  LintOptions options_;
  std::vector<std::pair<ModuleId, const DecisionDecl*>> decisions_;
  const RecordDecl* record_decl_ = nullptr;
  std::vector<Var> vars_;
  std::vector<Node> nodes_;
  std::map<std::pair<ModuleId, ExprId>, int> memo_;
  std::map<std::string, std::uint32_t> atoms_;
  std::vector<int> field_vars_, def_vars_;
  int as_of_var_ = -1;
  std::vector<DecisionJob> decisions_to_check_;
  std::vector<ConditionJob> conditions_;
  std::vector<LookupJob> lookups_;
  std::vector<Diagnostic> out_;
};

}  // namespace

std::vector<Diagnostic> lint(const CheckedPolicy& policy, const LintOptions& options) {
  if (policy.modules.empty()) return {};
  Linter linter(policy, options);
  return linter.run();
}

}  // namespace catengine::lang
