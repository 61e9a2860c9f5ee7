// The lint model (see lint_model.hpp): conditions built into formulas over variables, the
// variables' finite domains, printing, and the backtracking solver that answers queries.
#include "lang/lint/lint_model.hpp"
#include "base/english.hpp"

#include <functional>

namespace catengine::lang::lint_detail {

int Linter::add(Node n) {
  nodes_.push_back(std::move(n));
  return static_cast<int>(nodes_.size() - 1);
}

int Linter::konst(Value v, bool boolean) {
  Node n{Node::K::Const};
  n.value = v;
  n.boolean = boolean;
  return add(std::move(n));
}

bool Linter::modelled(const Type& t) {
  return t.base != BaseType::Text && t.base != BaseType::Error;
}

bool Linter::ordered_numeric(const Type& t) {
  return t.is_numeric() || t.base == BaseType::Date || t.base == BaseType::AcademicYear;
}

int Linter::var_node(std::uint32_t var) {
  Node n{Node::K::Var};
  n.var = var;
  n.boolean = vars_[var].type.base == BaseType::Boolean;
  return add(std::move(n));
}

int Linter::field_var(std::uint32_t f) {
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

int Linter::def_var(std::uint32_t d) {
  if (def_vars_[d] < 0) {
    const DefinitionInfo& info = p_.definitions[d];
    def_vars_[d] = static_cast<int>(vars_.size());
    vars_.push_back({Var::Source::Definition, d, info.type, info.name});
  }
  return def_vars_[d];
}

int Linter::as_of_var() {
  if (as_of_var_ < 0) {
    as_of_var_ = static_cast<int>(vars_.size());
    vars_.push_back({Var::Source::AsOf, 0, kDate, "as_of"});
  }
  return as_of_var_;
}

int Linter::atom(ExprRef e) {
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

bool Linter::numeric_operands_ok(const std::vector<int>& kids) {
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

int Linter::build_bool(ExprRef e) {
  int n = build(e);
  return n >= 0 ? n : atom(e);
}

int Linter::build(ExprRef e) {
  const auto key = std::make_pair(e.module, e.expr);
  if (auto it = memo_.find(key); it != memo_.end()) return it->second;
  int n = build_uncached(e);
  memo_[key] = n;
  return n;
}

int Linter::build_uncached(ExprRef e) {
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
    case RKind::Builtin: {
      // `any of [...]` and `all of [...]` mean a chain of `or` and of `and` (as strict about a
      // missing value), so the lints see through them; other built-ins stay unknown.
      const auto b = static_cast<Builtin>(r.index);
      if ((b != Builtin::Any && b != Builtin::All) || x.ignoring_missing || x.args.size() != 1 ||
          p_.expr(arg(0)).kind != ExprKind::List)
        return -1;
      const auto& items = p_.expr(arg(0)).args;
      int acc = build_bool({e.module, items.back()});
      for (std::size_t k = items.size() - 1; k-- > 0;) {
        Node n{b == Builtin::All ? Node::K::And : Node::K::Or};
        n.boolean = true;
        n.kids = {build_bool({e.module, items[k]}), acc};
        acc = add(std::move(n));
      }
      return acc;
    }
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
      if ((x.op == Op::And || x.op == Op::Or) && stops_early(p_.modules[e.module], e.expr)) {
        // A chain with a test for missing that may stop it (lang/check/chains.hpp), from the
        // right: after such a test, `if TEST then REST else no` (`and`) or `if TEST then yes
        // else REST` (`or`), the test being never missing; before it, strict as usual.
        std::vector<ExprId> parts;
        chain_parts(p_.modules[e.module], e.expr, x.op, parts);
        const bool is_and = x.op == Op::And;
        int acc = build_bool({e.module, parts.back()});
        for (std::size_t k = parts.size() - 1; k-- > 0;) {
          const int part = build_bool({e.module, parts[k]});
          Node n{Node::K::If};
          if (stops_chain(p_.modules[e.module], parts[k], x.op)) {
            n.kids = is_and ? std::vector<int>{part, acc, konst(0, true)}
                            : std::vector<int>{part, konst(1, true), acc};
          } else {
            n = Node{is_and ? Node::K::And : Node::K::Or};
            n.kids = {part, acc};
          }
          n.boolean = true;
          acc = add(std::move(n));
        }
        return acc;
      }
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

const ParamEntryInfo* Linter::param_entry(std::uint32_t param, Value key) const {
  if (key == kMissing) return nullptr;
  const ParamInfo& info = p_.parameters[param];
  if (!info.by_date && key % decimal::kScale != 0) return nullptr;
  const Value k = info.by_date ? key : key / decimal::kScale;
  for (const auto& e : info.entries) {
    if (e.from <= k && k <= e.to) return &e;
  }
  return nullptr;
}

std::string Linter::print(ExprRef e) const {
  const Expr& x = p_.expr(e);
  auto arg = [&](std::size_t i) { return ExprRef{e.module, x.args[i]}; };
  auto inner = [&](std::size_t i) {
    const Expr& a = p_.expr(arg(i));
    const bool compound = a.kind == ExprKind::Binary || a.kind == ExprKind::If ||
                          a.kind == ExprKind::IfMissing || a.kind == ExprKind::Between ||
                          a.kind == ExprKind::In || a.kind == ExprKind::IsMissing;
    return compound ? "(" + print(arg(i)) + ")" : print(arg(i));
  };
  // The arguments of a list or a call, as written: `a, b, c`.
  auto print_args = [&](const Expr& list) {
    std::vector<std::string> args;
    for (std::size_t i = 0; i < list.args.size(); ++i) args.push_back(print(arg(i)));
    return fmt::format("{}", fmt::join(args, ", "));
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
      return "[" + print_args(x) + "]";
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
      if (x.missing_clause) return print(arg(0)) + ", or " + inner(1) + " if any figure is missing";
      return inner(0) + " if missing " + inner(1);
    case ExprKind::If:
      return "if " + print(arg(0)) + " then " + print(arg(1)) + " else " + print(arg(2));
    case ExprKind::Call: {
      const std::string ignoring = x.ignoring_missing ? " ignoring missing" : "";
      if (x.args.size() == 1) return x.text + " of " + inner(0) + ignoring;
      return x.text + "(" + print_args(x) + ")" + ignoring;
    }
  }
  return "?";
}

std::string Linter::show_value(const Var& v, Value value) const {
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

std::optional<Value> Linter::between(Value a, Value b, Value step, Value largest) {
  for (Value p = largest; p >= step; p /= 10) {
    if (p % step != 0) continue;
    Value q = a / p;
    if (a % p != 0 && a < 0) --q;  // floor
    const Value first = (q + 1) * p;
    if (first > a && first < b) return first;
  }
  return std::nullopt;
}

void Linter::finish_domains() {
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

Abs Linter::eval(int id, const std::vector<Value>& a) const {
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

void Linter::vars_of(int id, std::vector<std::uint32_t>& out, std::vector<char>& seen) const {
  const Node& n = nodes_[id];
  if (n.k == Node::K::Var || n.k == Node::K::ParamMiss || n.k == Node::K::VarIs) {
    if (!seen[n.var]) {
      seen[n.var] = 1;
      out.push_back(n.var);
    }
  }
  for (int k : n.kids) vars_of(k, out, seen);
}

Answer Linter::solve(const Query& q, std::vector<std::pair<std::uint32_t, Value>>* witness) const {
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

std::pair<std::string, bool> Linter::describe(
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
  std::string s = list_in_words(parts, "and");
  if (s.empty()) s = "for every record";
  return {s, fields_only};
}

}  // namespace catengine::lang::lint_detail
