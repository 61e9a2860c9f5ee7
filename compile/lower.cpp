// Compiles definitions (in dependency order) and output columns into register code. Literals
// and names need no code: they are read straight from their slots. A call of a built-in is
// lowered by the strategy its row in lang/check/builtins.def names: Lowerer::lower_RULE, one per
// rule of lang/check/builtin_rules.def.
#include "compile/lower.hpp"

#include <algorithm>

#include "lang/check/builtins.hpp"
#include "lang/check/chains.hpp"

namespace catengine::engine {

using lang::BaseType;
using lang::Builtin;
using lang::ExprKind;
using lang::ExprRef;
using lang::Op;
using Kind = lang::Resolution::Kind;

namespace {

class Lowerer {
 public:
  explicit Lowerer(const lang::CheckedPolicy& p) : p_(p) {}

  Program run() {
    const std::size_t fields = p_.record.fields.size();
    const std::size_t defs = p_.definitions.size();
    prog_.field_count = fields;
    prog_.definition_slots.resize(defs);
    prog_.rule_slots.resize(defs, 0);
    Slot next = static_cast<Slot>(fields);
    for (std::size_t i = 0; i < defs; ++i) prog_.definition_slots[i] = next++;
    for (std::size_t i = 0; i < defs; ++i) {
      if (p_.definitions[i].is_decision) prog_.rule_slots[i] = next++;
    }
    prog_.constants.assign(next, kMissing);
    prog_.as_of_slot = constant(kMissing);
    missing_slot_ = constant(kMissing);
    for (const auto& param : p_.parameters) add_param(param);
    for (std::size_t i = 0; i < defs; ++i) {
      rule_base_.push_back(static_cast<Slot>(prog_.rule_names.size()));
      for (const auto& r : p_.definitions[i].rules) prog_.rule_names.push_back(r.id);
    }
    for (std::uint32_t d : p_.evaluation_order) lower_definition(d);
    owner_ = static_cast<std::uint32_t>(defs);  // output expressions
    for (const auto& out : p_.outputs) prog_.output_slots.push_back(operand(out.value));
    // Temporaries come after the constants.
    temp_base_ = static_cast<Slot>(prog_.constants.size());
    for (auto& ins : prog_.code) relocate(ins);
    for (auto& s : prog_.output_slots) s = reloc(s);
    emit(OpCode::Halt, 0);
    prog_.slot_count = temp_base_ + max_temps_;
    prog_.constants.resize(prog_.slot_count, kMissing);
    return std::move(prog_);
  }

 private:
  // Temporaries are numbered from kTempTag until relocation puts them after the constants.
  static constexpr Slot kTempTag = 0x80000000u;

  Slot reloc(Slot s) const { return (s & kTempTag) ? temp_base_ + (s & ~kTempTag) : s; }

  // Only slot operands move; which ones are slots is in opcodes.def.
  void relocate(Instr& ins) const {
    const OpInfo& op = info(ins.op);
    ins.dst = reloc(ins.dst);
    ins.a = reloc(ins.a);
    if (op.b == Operand::Slot) ins.b = reloc(ins.b);
    if (op.c == Operand::Slot) ins.c = reloc(ins.c);
  }

  Slot constant(Value v) {
    prog_.constants.push_back(v);
    return static_cast<Slot>(prog_.constants.size() - 1);
  }

  Slot temp() {
    Slot t = kTempTag | temps_in_use_++;
    max_temps_ = std::max(max_temps_, temps_in_use_);
    return t;
  }

  std::size_t emit(OpCode op, Slot dst, Slot a = 0, Slot b = 0, Slot c = 0) {
    prog_.code.push_back({op, dst, a, b, c});
    prog_.code_owner.push_back(owner_);
    return prog_.code.size() - 1;
  }
  std::size_t here() const { return prog_.code.size(); }

  void add_param(const lang::ParamInfo& param) {
    if (param.by_date) {
      DateTable t;
      for (const auto& e : param.entries) t.entries.push_back({e.from, e.to, e.value});
      prog_.date_params.push_back(std::move(t));
      param_table_.push_back(prog_.date_params.size() - 1);
    } else {
      YearTable t;
      if (!param.entries.empty()) {
        t.first_year = param.entries.front().from;
        t.values.assign(static_cast<std::size_t>(param.entries.back().to - t.first_year + 1),
                        kMissing);
        for (const auto& e : param.entries) {
          for (Value y = e.from; y <= e.to; ++y)
            t.values[static_cast<std::size_t>(y - t.first_year)] = e.value;
        }
      }
      prog_.year_params.push_back(std::move(t));
      param_table_.push_back(prog_.year_params.size() - 1);
    }
  }

  void lower_definition(std::uint32_t d) {
    owner_ = d;
    temps_in_use_ = 0;
    const auto& def = p_.definitions[d];
    const Slot dst = prog_.definition_slots[d];
    using K = lang::DefinitionInfo::Kind;
    switch (def.kind) {
      case K::Define:
        into(def.body, dst);
        return;
      case K::Decision:
        break;
      case K::NoticeGround:
        lower_ground(p_.notices[def.owner], def.part, dst);
        return;
      case K::NoticeIssued:
        lower_issued(p_.notices[def.owner], dst);
        return;
      case K::NoticeGrounds:
        lower_grounds_text(p_.notices[def.owner], ";", dst);
        return;
      case K::NoticeGroundLetters:
        lower_grounds_text(p_.notices[def.owner], "", dst);
        return;
      case K::NoticeDue:
        lower_due(p_.notices[def.owner], dst);
        return;
      case K::CadenceNext:
        lower_next(p_.cadences[def.owner], dst);
        return;
      case K::CadenceOverdue: {
        Slot next = prog_.definition_slots[p_.cadences[def.owner].next_def];
        Slot t = temp();
        emit(OpCode::Lt, t, next, prog_.as_of_slot);
        emit(OpCode::IfMissing, dst, t, constant(0));
        return;
      }
    }
    const Slot rule_slot = prog_.rule_slots[d];
    std::vector<std::size_t> to_end;
    bool has_otherwise = false;
    // `by unique match`: every condition is worked out first, so that once a rule has applied
    // the later ones can be tested too; a second that applies is an evaluation error.
    const Slot decision_mark = temps_in_use_;
    std::vector<Slot> conditions(def.rules.size(), 0);
    if (def.unique) {
      for (std::uint32_t k = 0; k < def.rules.size(); ++k) {
        if (def.rules[k].condition.expr == lang::kNoExpr) continue;
        conditions[k] = temp();
        into(def.rules[k].condition, conditions[k]);
      }
    }
    for (std::uint32_t k = 0; k < def.rules.size(); ++k) {
      const auto& rule = def.rules[k];
      std::size_t test = 0;
      const Slot mark = temps_in_use_;
      if (rule.condition.expr != lang::kNoExpr) {
        Slot c = def.unique ? conditions[k] : operand(rule.condition);
        test = emit(OpCode::RuleTest, rule_slot, c, k, 0);
      } else {
        has_otherwise = true;
        Slot idx = constant(k);
        emit(OpCode::Move, rule_slot, idx);
      }
      into(rule.value, dst);
      temps_in_use_ = mark;
      if (rule.condition.expr == lang::kNoExpr) break;
      for (std::uint32_t j = k + 1; def.unique && j < def.rules.size(); ++j) {
        if (def.rules[j].condition.expr != lang::kNoExpr)
          emit(OpCode::UniqueClash, 0, conditions[j], k, j);
      }
      to_end.push_back(emit(OpCode::Jump, 0));
      prog_.code[test].c = static_cast<Slot>(here());
    }
    if (!has_otherwise) {
      emit(OpCode::Move, dst, missing_slot_);
      emit(OpCode::Move, rule_slot, missing_slot_);
    }
    for (auto j : to_end) prog_.code[j].c = static_cast<Slot>(here());
    temps_in_use_ = decision_mark;
  }

  bool present(ExprRef r) const { return r.expr != lang::kNoExpr; }

  // A notice's ground holds only for records the notice applies to.
  void lower_ground(const lang::NoticeInfo& n, std::uint32_t g, Slot dst) {
    Slot cond = operand(n.grounds[g].condition);
    if (present(n.applies_to)) {
      emit(OpCode::And, dst, operand(n.applies_to), cond);
    } else {
      emit(OpCode::Move, dst, cond);
    }
  }

  void lower_issued(const lang::NoticeInfo& n, Slot dst) {
    if (n.issued_when_any_ground || !present(n.issued_when)) {
      emit(OpCode::Move, dst, constant(0));
      for (auto g : n.ground_defs) emit(OpCode::Or, dst, dst, prog_.definition_slots[g]);
    } else {
      emit(OpCode::Move, dst, operand(n.issued_when));
      if (present(n.applies_to)) emit(OpCode::And, dst, dst, operand(n.applies_to));
    }
    if (present(n.unless)) {
      Slot t = temp();
      emit(OpCode::Not, t, operand(n.unless));
      emit(OpCode::And, dst, dst, t);
    }
  }

  void lower_grounds_text(const lang::NoticeInfo& n, std::string_view separator, Slot dst) {
    // Every subset of the grounds, in order, joined by `separator`: indexed by bit mask at run
    // time.
    const auto base = static_cast<Slot>(prog_.ground_texts.size());
    const std::size_t count = n.grounds.size();
    for (std::size_t mask = 0; mask < (std::size_t{1} << count); ++mask) {
      std::string text;
      for (std::size_t g = 0; g < count; ++g) {
        if (mask & (std::size_t{1} << g)) {
          if (!text.empty()) text += separator;
          text += n.grounds[g].id;
        }
      }
      prog_.ground_texts.push_back(std::move(text));
    }
    const Slot first = count ? prog_.definition_slots[n.ground_defs[0]] : 0;
    emit(OpCode::GroundsText, dst, first, static_cast<Slot>(count), base);
  }

  void lower_due(const lang::NoticeInfo& n, Slot dst) {
    if (n.respond_by_term_end) {
      // The end of the term after the as-of date's, once the notice is issued.
      std::size_t branch = emit(OpCode::Branch, dst, prog_.definition_slots[n.issued_def], 0, 0);
      emit(OpCode::EndOfNextTerm, dst, prog_.as_of_slot, 0, n.term_calendar);
      std::size_t jump = emit(OpCode::Jump, 0);
      prog_.code[branch].b = static_cast<Slot>(here());
      emit(OpCode::Move, dst, missing_slot_);
      prog_.code[branch].c = static_cast<Slot>(here());
      prog_.code[jump].c = static_cast<Slot>(here());
      return;
    }
    if (!present(n.respond_within)) {
      emit(OpCode::Move, dst, missing_slot_);
      return;
    }
    std::size_t branch = emit(OpCode::Branch, dst, prog_.definition_slots[n.issued_def], 0, 0);
    emit(OpCode::AddWorkingDays, dst, prog_.as_of_slot, operand(n.respond_within), n.calendar);
    std::size_t jump = emit(OpCode::Jump, 0);
    prog_.code[branch].b = static_cast<Slot>(here());
    emit(OpCode::Move, dst, missing_slot_);
    prog_.code[branch].c = static_cast<Slot>(here());
    prog_.code[jump].c = static_cast<Slot>(here());
  }

  void lower_next(const lang::CadenceInfo& c, Slot dst) {
    std::size_t skip = 0;
    if (present(c.applies_to)) skip = emit(OpCode::Branch, dst, operand(c.applies_to), 0, 0);
    if (c.dates_param) {
      emit(OpCode::FirstKeyOnOrAfter, dst, prog_.as_of_slot,
           static_cast<Slot>(param_table_[*c.dates_param]));
    } else {
      // The first interval whose condition holds, added to the date the cadence runs from.
      std::vector<std::size_t> to_end;
      const Slot from = operand(c.from);
      for (const auto& iv : c.intervals) {
        std::size_t test = 0;
        if (present(iv.condition)) test = emit(OpCode::Branch, dst, operand(iv.condition), 0, 0);
        if (iv.unit == lang::IntervalUnit::Terms || iv.unit == lang::IntervalUnit::HalfTerms) {
          emit(OpCode::EndOfNextTerm, dst, from, iv.unit == lang::IntervalUnit::Terms ? 0 : 1,
               iv.term_calendar);
        } else {
          const OpCode op = iv.unit == lang::IntervalUnit::Days    ? OpCode::AddDays
                            : iv.unit == lang::IntervalUnit::Weeks ? OpCode::AddWeeks
                                                                   : OpCode::AddMonths;
          emit(op, dst, from, operand(iv.count));
        }
        to_end.push_back(emit(OpCode::Jump, 0));
        if (present(iv.condition)) {
          prog_.code[test].b = static_cast<Slot>(here());
          prog_.code[test].c = static_cast<Slot>(here());
        }
      }
      emit(OpCode::Move, dst, missing_slot_);
      for (auto j : to_end) prog_.code[j].c = static_cast<Slot>(here());
      const Slot never = present(c.if_never) ? operand(c.if_never) : prog_.as_of_slot;
      // Never done: the `from` date is missing, so the first visit is due at once.
      Slot from_missing = temp();
      emit(OpCode::IsMissing, from_missing, from);
      std::size_t b = emit(OpCode::Branch, dst, from_missing, 0, 0);
      emit(OpCode::Move, dst, never);
      prog_.code[b].b = static_cast<Slot>(here());
      prog_.code[b].c = static_cast<Slot>(here());
    }
    for (const auto& cap : c.no_later_than) {
      std::size_t test = 0;
      if (present(cap.condition)) test = emit(OpCode::Branch, dst, operand(cap.condition), 0, 0);
      emit(OpCode::EarlierOf, dst, dst, operand(cap.value));
      if (present(cap.condition)) {
        prog_.code[test].b = static_cast<Slot>(here());
        prog_.code[test].c = static_cast<Slot>(here());
      }
    }
    if (present(c.applies_to)) {
      std::size_t jump = emit(OpCode::Jump, 0);
      prog_.code[skip].b = static_cast<Slot>(here());
      emit(OpCode::Move, dst, missing_slot_);
      prog_.code[skip].c = static_cast<Slot>(here());
      prog_.code[jump].c = static_cast<Slot>(here());
    }
  }

  // The slot holding the expression's value: its own slot for names and literals, else a
  // temporary computed into.
  Slot operand(ExprRef r) {
    const auto& x = p_.expr(r);
    const auto& res = p_.resolution(r);
    switch (res.kind) {
      case Kind::Field:
        return res.index;
      case Kind::Definition:
        return prog_.definition_slots[res.index];
      case Kind::AsOf:
        return prog_.as_of_slot;
      case Kind::Literal:
        if (x.kind == ExprKind::String) {
          Slot s = constant(kMissing);
          prog_.text_constants.emplace_back(s, x.text);
          return s;
        }
        return constant(res.value);
      case Kind::EnumMember:
        return constant(res.value);
      default:
        break;
    }
    Slot t = temp();
    into(r, t);
    return t;
  }

  // Names and literals: read from their own slot, with no code to run.
  bool is_leaf(ExprRef r) const {
    switch (p_.resolution(r).kind) {
      case Kind::Field:
      case Kind::Definition:
      case Kind::AsOf:
      case Kind::Literal:
      case Kind::EnumMember:
        return true;
      default:
        return false;
    }
  }

  ExprRef arg(ExprRef r, std::size_t i) const { return {r.module, p_.expr(r).args[i]}; }

  std::vector<ExprRef> call_args(ExprRef r) const {
    const auto& x = p_.expr(r);
    std::vector<ExprRef> out;
    if (x.args.size() == 1 && p_.expr(arg(r, 0)).kind == ExprKind::List) {
      for (auto a : p_.expr(arg(r, 0)).args) out.push_back({r.module, a});
    } else {
      for (auto a : x.args) out.push_back({r.module, a});
    }
    return out;
  }

  static OpCode binary_op(Op op, bool /*scale*/) {
    switch (op) {
      case Op::Add:
        return OpCode::Add;
      case Op::Sub:
        return OpCode::Sub;
      case Op::Mul:
        return OpCode::Mul;
      case Op::Div:
        return OpCode::Div;
      case Op::And:
        return OpCode::And;
      case Op::Or:
        return OpCode::Or;
      case Op::Eq:
        return OpCode::Eq;
      case Op::Ne:
        return OpCode::Ne;
      case Op::Lt:
        return OpCode::Lt;
      case Op::Le:
        return OpCode::Le;
      case Op::Gt:
        return OpCode::Gt;
      case Op::Ge:
        return OpCode::Ge;
      // Scales are held best first, so "worse" is a larger index.
      case Op::Worse:
        return OpCode::Gt;
      case Op::Better:
        return OpCode::Lt;
      case Op::AtLeast:
        return OpCode::Le;
      case Op::AtWorst:
        return OpCode::Le;  // "at worst good" is good or better, as `at least`
      default:
        return OpCode::Move;
    }
  }

  // Computes the expression into `dst`.
  void into(ExprRef r, Slot dst) {
    const auto& x = p_.expr(r);
    const auto& res = p_.resolution(r);
    const Slot mark = temps_in_use_;
    switch (res.kind) {
      case Kind::Field:
      case Kind::Definition:
      case Kind::AsOf:
      case Kind::Literal:
      case Kind::EnumMember:
        emit(OpCode::Move, dst, operand(r));
        return;
      default:
        break;
    }
    switch (x.kind) {
      case ExprKind::Unary:
        emit(x.op == Op::Not ? OpCode::Not : OpCode::Neg, dst, operand(arg(r, 0)));
        break;
      case ExprKind::Binary: {
        if (lang::stops_early(p_.modules[r.module], r.expr)) {
          lower_chain(r, dst);
          break;
        }
        Slot a = operand(arg(r, 0));
        Slot b = operand(arg(r, 1));
        emit(binary_op(x.op, false), dst, a, b);
        break;
      }
      case ExprKind::In:
        lower_in(r, dst);
        break;
      case ExprKind::IsMissing:
        emit(x.negated ? OpCode::IsPresent : OpCode::IsMissing, dst, operand(arg(r, 0)));
        break;
      case ExprKind::Between: {
        Slot a = operand(arg(r, 0));
        Slot lo = operand(arg(r, 1));
        Slot hi = operand(arg(r, 2));
        emit(OpCode::Between, dst, a, lo, hi);
        break;
      }
      case ExprKind::IfMissing: {
        Slot a = operand(arg(r, 0));
        Slot b = operand(arg(r, 1));
        emit(OpCode::IfMissing, dst, a, b);
        break;
      }
      case ExprKind::If: {
        Slot c = operand(arg(r, 0));
        if (is_leaf(arg(r, 1)) && is_leaf(arg(r, 2))) {
          // Both answers are already in slots: choose without jumping.
          emit(OpCode::Select, dst, c, operand(arg(r, 1)), operand(arg(r, 2)));
          break;
        }
        std::size_t branch = emit(OpCode::Branch, dst, c, 0, 0);
        into(arg(r, 1), dst);
        std::size_t jump = emit(OpCode::Jump, 0);
        prog_.code[branch].b = static_cast<Slot>(here());
        into(arg(r, 2), dst);
        prog_.code[branch].c = static_cast<Slot>(here());
        prog_.code[jump].c = static_cast<Slot>(here());
        break;
      }
      case ExprKind::Call:
        lower_call(r, dst);
        break;
      default:
        emit(OpCode::Move, dst, missing_slot_);  // the checker rejects anything else
    }
    temps_in_use_ = mark;
  }

  // An `and`/`or` chain with a test for missing before its last part (lang/check/chains.hpp):
  // its parts joined into dst one after another, with a jump to the end after each such test
  // that decides the chain, so the parts after it are not run. Other chains are lowered as
  // strict binary operators (above), which gives the same code as before there were stops.
  void lower_chain(ExprRef r, Slot dst) {
    const auto& x = p_.expr(r);
    const auto& module = p_.modules[r.module];
    std::vector<lang::ExprId> parts;
    lang::chain_parts(module, r.expr, x.op, parts);
    const bool is_and = x.op == Op::And;
    std::vector<std::size_t> and_stops, or_stops;  // Branch (to the end on no), Jump
    for (std::size_t k = 0; k < parts.size(); ++k) {
      const Slot mark = temps_in_use_;
      const ExprRef part{r.module, parts[k]};
      const Slot v = operand(part);
      if (k == 0)
        emit(OpCode::Move, dst, v);
      else
        emit(is_and ? OpCode::And : OpCode::Or, dst, dst, v);
      if (k + 1 < parts.size() && lang::stops_chain(module, parts[k], x.op)) {
        // The test is never missing, so the Branch never writes dst.
        const std::size_t branch = emit(OpCode::Branch, dst, v, 0, 0);
        if (!is_and) {  // on yes: over the jump to the end
          or_stops.push_back(emit(OpCode::Jump, 0));
          prog_.code[branch].b = prog_.code[branch].c = static_cast<Slot>(here());
        } else {
          and_stops.push_back(branch);
        }
      }
      temps_in_use_ = mark;
    }
    const auto end = static_cast<Slot>(here());
    for (auto b : and_stops) prog_.code[b].b = prog_.code[b].c = end;
    for (auto j : or_stops) prog_.code[j].c = end;
  }

  void lower_in(ExprRef r, Slot dst) {
    const auto& x = p_.expr(r);
    const ExprRef list = arg(r, 1);
    std::vector<Value> values;
    bool all_constant = true;
    for (auto e : p_.expr(list).args) {
      const auto& res = p_.resolution({r.module, e});
      if ((res.kind == Kind::Literal && p_.expr({r.module, e}).kind != ExprKind::String) ||
          res.kind == Kind::EnumMember) {
        values.push_back(res.value);
      } else {
        all_constant = false;
      }
    }
    Slot a = operand(arg(r, 0));
    const bool small =
        std::all_of(values.begin(), values.end(), [](Value v) { return v >= 0 && v < 64; });
    if (all_constant && small) {
      // Enumeration members are small indexes: one bit test instead of a search.
      std::uint64_t mask = 0;
      for (Value v : values) mask |= std::uint64_t{1} << v;
      emit(OpCode::InMask, dst, a, static_cast<Slot>(mask & 0xffffffffu),
           static_cast<Slot>(mask >> 32));
    } else if (all_constant) {
      std::sort(values.begin(), values.end());
      prog_.sets.push_back(std::move(values));
      emit(OpCode::InSet, dst, a, static_cast<Slot>(prog_.sets.size() - 1));
    } else {
      // Text or computed members: a chain of equalities (each total, so `or` stays total).
      emit(OpCode::Move, dst, constant(0));
      for (auto e : p_.expr(list).args) {
        Slot t = temp();
        emit(OpCode::Eq, t, a, operand({r.module, e}));
        emit(OpCode::Or, dst, dst, t);
      }
    }
    if (x.negated) emit(OpCode::Not, dst, dst);
  }

  // A call of a built-in being lowered, for the strategy its row's rule names.
  struct BuiltinCall {
    ExprRef r;
    Slot dst;
    const lang::BuiltinInfo& row;
    OpCode op;                  // the row's instruction
    std::vector<ExprRef> args;  // the arguments, or the items of a single list argument
  };

  void lower_call(ExprRef r, Slot dst) {
    const auto& res = p_.resolution(r);
    if (res.kind == Kind::Parameter) {
      const bool by_date = p_.parameters[res.index].by_date;
      emit(by_date ? OpCode::ParamDate : OpCode::ParamYear, dst, operand(arg(r, 0)),
           static_cast<Slot>(param_table_[res.index]));
      return;
    }
    // The strategy the row's rule names (builtin_rules.def), by the rule's place in that list.
    using Strategy = void (Lowerer::*)(const BuiltinCall&);
    static constexpr Strategy kStrategies[] = {
#define BUILTIN_RULE(rule) &Lowerer::lower_##rule,
#include "lang/check/builtin_rules.def"
#undef BUILTIN_RULE
    };
    static_assert(std::size(kStrategies) == lang::kBuiltinRuleCount);
    const auto b = static_cast<Builtin>(res.index);
    const lang::BuiltinInfo& row = lang::info(b);
    (this->*kStrategies[static_cast<std::size_t>(row.rule)])(
        BuiltinCall{r, dst, row, builtin_op(b), call_args(r)});
  }

  // One instruction over the arguments, in order; a working-day count takes the calendar as c
  // (and, with one argument, the missing slot as b).
  void lower_Fixed(const BuiltinCall& call) {
    const auto& args = call.args;
    Slot s[3] = {0, 0, 0};
    for (std::size_t k = 0; k < args.size(); ++k) s[k] = operand(args[k]);
    if (call.row.calendar)
      emit(call.op, call.dst, s[0], args.size() > 1 ? s[1] : missing_slot_, calendar());
    else
      emit(call.op, call.dst, s[0], s[1], s[2]);
  }

  void lower_Rule(const BuiltinCall& call) {
    const auto def = p_.resolution(call.args[0]).index;
    emit(call.op, call.dst, prog_.rule_slots[def], rule_base_[def]);
  }

  void lower_EarliestOnOrAfter(const BuiltinCall& call) {
    // The date argument is args[0] of the call itself; the list follows.
    const ExprRef r = call.r;
    const auto& x = p_.expr(r);
    Slot d = operand(arg(r, 0));
    Slot acc = temp();
    emit(OpCode::Move, acc, missing_slot_);
    for (auto item : p_.expr({r.module, x.args[1]}).args) {
      const Slot mark = temps_in_use_;
      emit(call.op, acc, d, operand({r.module, item}));
      temps_in_use_ = mark;
    }
    emit(OpCode::Move, call.dst, acc);
  }

  void lower_FirstDateOf(const BuiltinCall& call) {
    const auto param = p_.resolution(call.args[0]).index;
    emit(call.op, call.dst, operand(call.args[1]), static_cast<Slot>(param_table_[param]));
  }

  void lower_HowMany(const BuiltinCall& call) {
    Slot acc = temp();
    emit(OpCode::Move, acc, constant(0));
    const bool ignoring = p_.expr(call.r).ignoring_missing;
    for (const auto& a : call.args) {
      const Slot mark = temps_in_use_;
      Slot v = operand(a);
      if (ignoring) {  // a missing value counts as no
        const Slot present = temp();
        emit(OpCode::IfMissing, present, v, constant(0));
        v = present;
      }
      emit(call.op, acc, v);
      temps_in_use_ = mark;
    }
    emit(OpCode::Move, call.dst, acc);
  }

  // Resolved to the notice's or cadence's definitions by the checker: never reached.
  void lower_NoticePart(const BuiltinCall&) {}
  void lower_CadencePart(const BuiltinCall&) {}

  // A fold with the row's Min or Max (worst is the greatest position on a scale).
  // `ignoring missing`: each step folds in a missing value as the other one, so the result is
  // missing only when every value is.
  void lower_Extreme(const BuiltinCall& call) {
    const bool ignoring = p_.expr(call.r).ignoring_missing;
    emit(OpCode::Move, call.dst, operand(call.args[0]));
    for (std::size_t i = 1; i < call.args.size(); ++i) {
      const Slot mark = temps_in_use_;
      const Slot v = operand(call.args[i]);
      if (ignoring) {
        const Slot so_far = temp(), next = temp();
        emit(OpCode::IfMissing, so_far, call.dst, v);
        emit(OpCode::IfMissing, next, v, call.dst);
        emit(call.op, call.dst, so_far, next);
      } else {
        emit(call.op, call.dst, call.dst, v);
      }
      temps_in_use_ = mark;
    }
  }

  // Working-day functions use the last calendar declared (a policy's own overrides the stdlib's).
  Slot calendar() const {
    return p_.calendars.empty() ? 0 : static_cast<Slot>(p_.calendars.size() - 1);
  }

  const lang::CheckedPolicy& p_;
  Program prog_;
  std::uint32_t owner_ = 0;
  Slot temps_in_use_ = 0;
  Slot max_temps_ = 0;
  Slot temp_base_ = 0;
  Slot missing_slot_ = 0;
  std::vector<std::size_t> param_table_;  // by parameter: index into year_ or date_params
  std::vector<Slot> rule_base_;           // by definition: first index in rule_names
};

ValueKind kind_of(const lang::Type& t) {
  switch (t.base) {
    case BaseType::Integer:
      return ValueKind::Integer;
    case BaseType::Number:
      return ValueKind::Number;
    case BaseType::Percent:
      return ValueKind::Percent;
    case BaseType::Boolean:
      return ValueKind::Boolean;
    case BaseType::Date:
      return ValueKind::Date;
    case BaseType::AcademicYear:
      return ValueKind::AcademicYear;
    case BaseType::Enum:
      return ValueKind::Enumeration;
    default:
      return ValueKind::Text;
  }
}

}  // namespace

OpCode builtin_op(lang::Builtin b) {
  // The instruction each built-in lowers to, from its row in lang/check/builtins.def.
  static constexpr OpCode kBuiltinOp[] = {
#define BUILTIN(id, name, signature, rule, op, ...) OpCode::op,
#include "lang/check/builtins.def"
#undef BUILTIN
  };
  static_assert(std::size(kBuiltinOp) == lang::kBuiltinCount);
  return kBuiltinOp[static_cast<std::size_t>(b)];
}

Program lower(const lang::CheckedPolicy& policy) {
  return Lowerer(policy).run();
}

namespace {

ReadingRules reading_rules(const lang::ReadingInfo& rd) {
  ReadingRules r;
  r.missing_values = rd.missing_values;
  r.yes_words = rd.yes_words;
  r.no_words = rd.no_words;
  r.date_formats.clear();
  for (const auto& f : rd.date_formats) {
    r.date_formats.push_back(f == "YYYY-MM-DD" ? DateFormat::Iso : DateFormat::DayMonth);
  }
  return r;
}

}  // namespace

RecordSchema make_schema(const lang::CheckedPolicy& policy) {
  RecordSchema s;
  s.name = policy.record.name;
  s.reading = reading_rules(policy.record.reading);
  s.optional_columns_may_be_absent = policy.record.optional_columns_may_be_absent;
  for (const auto& src : policy.record.sources) {
    SourceSpec spec;
    spec.name = src.name;
    spec.title = src.title;
    spec.key_column = src.key_column;
    spec.encoding = src.encoding;
    spec.reading = reading_rules(src.reading);
    for (const auto& t : src.row_tests) spec.row_tests.push_back({t.column, t.values});
    spec.may_be_absent = src.may_be_absent;
    spec.optional_columns_may_be_absent = src.optional_columns_may_be_absent;
    s.sources.push_back(std::move(spec));
  }
  // Which fields something reads, as the unused-field lint works it out.
  std::vector<char> read(policy.record.fields.size(), 0);
  for (const auto& table : policy.tables) {
    for (const auto& r : table.resolutions) {
      if (r.kind == lang::Resolution::Kind::Field && r.index < read.size()) read[r.index] = 1;
    }
  }
  for (std::size_t i = 0; i < policy.record.fields.size(); ++i) {
    const auto& f = policy.record.fields[i];
    FieldSpec spec;
    spec.silent_when_absent = f.shown && !read[i] && f.previous_of.empty();
    spec.name = f.name;
    spec.column = f.column;
    spec.kind = kind_of(f.type);
    if (f.type.base == BaseType::Enum) {
      for (const auto& m : policy.enums[f.type.enum_id].members) spec.labels.push_back(m.key);
    }
    spec.required = f.required;
    spec.missing_means = f.missing_means;
    spec.key = f.key;
    spec.low = f.low;
    spec.high = f.high;
    spec.source = f.source;
    spec.may_be_absent = f.may_be_absent;
    spec.required_in_file = f.required_in_file;
    spec.previous_of = f.previous_of;
    spec.absent_previous = f.absent_previous;
    s.fields.push_back(std::move(spec));
  }
  return s;
}

}  // namespace catengine::engine
