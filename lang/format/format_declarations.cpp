// Laying out each kind of declaration and its items (see format_layout.hpp), line by line,
// trying the whole on one line first where the canonical layout allows it.
#include "lang/format/format_layout.hpp"

#include <algorithm>
#include <functional>
#include <optional>
#include <type_traits>
#include <utility>
#include <variant>

namespace catengine::lang::format_detail {

std::vector<bool> Formatter::clause_ends(const Module& module) {
  std::vector<bool> ends(module.exprs.size(), false);
  auto mark = [&](ExprId id) {
    if (id != kNoExpr && id < ends.size()) ends[id] = true;
  };
  auto mark_alternatives = [&](const std::vector<Alternative>& alts) {
    for (const Alternative& a : alts) mark(a.condition);
  };
  for (const Decl& decl : module.decls) {
    std::visit(
        [&](const auto& d) {
          using T = std::decay_t<decltype(d)>;
          if constexpr (std::is_same_v<T, DefineDecl>) {
            mark(d.body);
          } else if constexpr (std::is_same_v<T, DecisionDecl>) {
            for (const Rule& r : d.rules) {
              mark(r.condition);
              mark(r.value);
            }
          } else if constexpr (std::is_same_v<T, OutputDecl>) {
            for (const OutputColumn& c : d.columns) mark(c.value);
          } else if constexpr (std::is_same_v<T, NoticeDecl>) {
            mark(d.applies_to);
            for (const Ground& g : d.grounds) mark(g.condition);
            mark(d.issued_when);
            mark(d.unless);
            mark_alternatives(d.addressees);
            mark_alternatives(d.copies);
          } else if constexpr (std::is_same_v<T, CadenceDecl>) {
            mark(d.applies_to);
            for (const Interval& i : d.intervals) mark(i.condition);
            mark_alternatives(d.no_later_than);
            mark_alternatives(d.lasting);
            mark_alternatives(d.reviewers);
          } else if constexpr (std::is_same_v<T, WarnDecl>) {
            mark(d.condition);
          }
        },
        decl);
  }
  return ends;
}

void Formatter::format(const PolicyHeader& h) {
  emit_with_cite(0, text("policy " + quote(h.title), h.span.begin), h.cite, LineKind::DeclStart);
}

void Formatter::format(const UseDecl& u) {
  emit(0, text("use " + (u.is_path ? quote(u.target) : u.target), u.span.begin),
       LineKind::DeclStart);
}

void Formatter::format(const EnumDecl& e) {
  Doc head = text(
      e.ordered ? "scale " + e.name.name + " from best to worst" : "enumeration " + e.name.name,
      e.span.begin);
  std::vector<Doc> members;
  for (const EnumMember& m : e.members) {
    const bool quoted = m.span.begin < src_.size() && src_[m.span.begin] == '"';
    std::string s = quoted ? quote(m.key) : m.key;
    if (!m.description.empty()) s += " " + quote(m.description);
    members.push_back(text(std::move(s), m.span.begin));
  }
  std::vector<Doc> joined;
  for (std::size_t i = 0; i < members.size(); ++i) {
    if (i > 0) joined.push_back(text(", "));
    joined.push_back(members[i]);
  }
  Doc all = cat(joined);
  Doc with_cite = e.cite ? cat({head, text(" "), cite_doc(*e.cite)}) : head;
  Doc one = cat({with_cite, text(": "), all});
  if (fits_flat(0, one)) {
    emit(0, one, LineKind::DeclStart);
    return;
  }
  emit_with_cite(0, head, e.cite, LineKind::DeclStart, ":");
  if (fits_flat(2, all)) {
    emit(2, all, LineKind::ItemStart);
    return;
  }
  for (std::size_t i = 0; i < members.size(); ++i) {
    emit(2, i + 1 < members.size() ? cat({members[i], text(",")}) : members[i],
         LineKind::ItemStart);
  }
}

void Formatter::format(const RecordDecl& r) {
  emit_with_cite(0, text("record " + r.name.name, r.span.begin), r.cite, LineKind::DeclStart);
  // Fields and reading rules in the order they were written.
  std::vector<std::pair<std::uint32_t, std::variant<const FieldDecl*, const ReadingRule*>>> items;
  for (const FieldDecl& f : r.fields) items.push_back({f.span.begin, &f});
  for (const ReadingRule& rr : r.reading) items.push_back({rr.span.begin, &rr});
  std::stable_sort(items.begin(), items.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  const std::optional<SourceSpan>& absent = r.optional_columns_may_be_absent;
  bool absent_done = !absent.has_value();
  for (const auto& item : items) {
    if (!absent_done && absent->begin < item.first) {
      emit(2, text("optional columns may be absent", absent->begin), LineKind::ItemStart);
      absent_done = true;
    }
    if (const auto* f = std::get_if<const FieldDecl*>(&item.second)) {
      format_field(**f);
    } else {
      format_reading(*std::get<const ReadingRule*>(item.second));
    }
  }
  if (!absent_done) {
    emit(2, text("optional columns may be absent", absent->begin), LineKind::ItemStart);
  }
}

std::string Formatter::tokens_text(const SourceSpan& span) const {
  std::string out;
  for (std::size_t i = token_at(span.begin); i < token_at(span.end); ++i) {
    if (!out.empty()) out += ' ';
    out += token_text(i);
  }
  return out;
}

void Formatter::format(const SourceDecl& s) {
  emit_with_cite(0, text("source " + s.name.name + " " + quote(s.title), s.span.begin), s.cite,
                 LineKind::DeclStart);
  // The lines in the order they were written, each at its first token.
  std::vector<std::pair<std::int64_t, std::function<void()>>> items;
  if (s.key_column) {
    // `key column "URN"` has no span of its own: find its `key` among the source's tokens.
    for (std::size_t i = token_at(s.name.span.end); i < token_at(s.span.end); ++i) {
      if (token_text(i) == "key" && token_text(i + 1) == "column") {
        const std::int64_t at = token_begin(i);
        items.push_back({at, [this, at, &s] {
                           emit(2, text("key column " + quote(*s.key_column), at),
                                LineKind::ItemStart);
                         }});
        break;
      }
    }
  }
  if (s.encoding) {
    items.push_back({s.encoding_span.begin, [this, &s] {
                       emit(2, text("encoding is " + quote(*s.encoding), s.encoding_span.begin),
                            LineKind::ItemStart);
                     }});
  }
  for (const ReadingRule& r : s.reading) {
    items.push_back({r.span.begin, [this, &r] { format_reading(r); }});
  }
  if (!s.row_tests.empty()) {
    const std::int64_t at = before(s.row_tests.front().span.begin, 3);
    items.push_back(
        {at, [this, at, &s] {
           std::vector<Doc> tests;
           for (std::size_t i = 0; i < s.row_tests.size(); ++i) {
             if (i > 0) tests.push_back(cat({line(), text("and ")}));
             tests.push_back(text(tokens_text(s.row_tests[i].span), s.row_tests[i].span.begin));
           }
           emit(2, cat({text("rows count when ", at), group(align(cat(std::move(tests))))}),
                LineKind::ItemStart);
         }});
  }
  if (s.may_be_absent) {
    items.push_back({s.may_be_absent->begin, [this, &s] {
                       emit(2, text("may be absent", s.may_be_absent->begin), LineKind::ItemStart);
                     }});
  }
  if (s.optional_columns_may_be_absent) {
    const std::int64_t at = s.optional_columns_may_be_absent->begin;
    items.push_back({at, [this, at] {
                       emit(2, text("optional columns may be absent", at), LineKind::ItemStart);
                     }});
  }
  std::stable_sort(items.begin(), items.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& item : items) item.second();
}

void Formatter::format_field(const FieldDecl& f) {
  std::vector<Doc> parts{text("field " + f.name.name + ": " + type_text(f.type), f.span.begin)};
  // The options in the order they were written: the first word after each `,`.
  std::vector<std::string_view> order;
  for (std::size_t i = token_at(f.span.begin); i < token_at(f.span.end); ++i) {
    if (token_text(i) == ",") order.push_back(token_text(i + 1));
  }
  for (std::string_view option : order) {
    if (option == "column" && f.column) {
      parts.push_back(text(", column " + quote(*f.column)));
    } else if (option == "key" && f.key) {
      parts.push_back(text(", key"));
    } else if (option == "shown") {
      parts.push_back(text(", shown"));
    } else if (option == "missing" && f.missing_means != kNoExpr) {
      parts.push_back(text(", missing means "));
      parts.push_back(expr_doc(f.missing_means));
    } else if (option == "from" && f.source) {
      parts.push_back(text(", from " + f.source->name +
                           (f.column ? " column " + quote(*f.column) : std::string())));
    } else if (option == "may") {
      parts.push_back(text(", may be absent"));
    } else if (option == "required") {
      parts.push_back(text(", required in its file"));
    } else if (option == "if" && f.absent_previous) {
      parts.push_back(text(", if absent then previous " + f.absent_previous->name));
    } else if (option == "between" && f.low != kNoExpr) {
      parts.push_back(text(", between "));
      parts.push_back(expr_doc(f.low));
      parts.push_back(text(" and "));
      parts.push_back(expr_doc(f.high));
    }
  }
  emit_with_cite(2, cat(std::move(parts)), f.cite, LineKind::ItemStart);
}

void Formatter::format_reading(const ReadingRule& r) {
  static constexpr std::string_view kPrefix[] = {"missing values are ", "yes is written ",
                                                 "no is written ", "dates are written "};
  const std::size_t first = token_at(r.span.begin);
  std::vector<Doc> words;
  for (std::size_t i = 0; i < r.words.size(); ++i) {
    if (i > 0) {
      words.push_back(text(","));
      words.push_back(line());
    }
    words.push_back(text(quote(r.words[i]), token_begin(first + 3 + 2 * i)));
  }
  emit(2,
       cat({text(std::string(kPrefix[static_cast<int>(r.kind)]), r.span.begin),
            group(align(cat(std::move(words))))}),
       LineKind::ItemStart);
}

void Formatter::format(const ParamDecl& p) {
  emit_with_cite(0,
                 text("parameter " + p.name.name + ": " + type_text(p.type) + " by " +
                          (p.by_date ? "date" : "year"),
                      p.span.begin),
                 p.cite, LineKind::DeclStart);
  for (const ParamEntry& e : p.entries) {
    std::string key = e.from + (e.to.empty() ? "" : " to " + e.to) + ": ";
    emit_with_cite(2, cat({text(key, e.span.begin), align(expr_doc(e.value))}), e.cite,
                   LineKind::ItemStart);
  }
}

void Formatter::format(const DefineDecl& d) {
  std::string head = "define " + d.name.name + (d.type ? ": " + type_text(*d.type) : "");
  emit_with_cite(0, text(head, d.span.begin), d.cite, LineKind::DeclStart, " =");
  emit(2, expr_doc(d.body), LineKind::Clause);
}

Doc Formatter::rule_head(const Rule& r) const {
  return text("rule " + r.id.name + " " + quote(r.title), r.span.begin);
}

Doc Formatter::rule_when(const Rule& r) const {
  return keyword_expr("when ", before(expr(r.condition).span.begin, 1), r.condition);
}

Doc Formatter::rule_value(const Rule& r) const {
  return keyword_expr(r.condition == kNoExpr ? "otherwise " : "then ",
                      before(expr(r.value).span.begin, 1), r.value);
}

void Formatter::format(const DecisionDecl& d) {
  emit_with_cite(0,
                 text("decide " + d.name.name + ": " + type_text(d.type) + " by " +
                          std::string(token_text(token_at(d.type.span.end) + 1)) + " match",
                      d.span.begin),
                 d.cite, LineKind::DeclStart);
  std::vector<Doc> compact;
  bool all_fit = true;
  for (const Rule& r : d.rules) {
    std::vector<Doc> parts{rule_head(r)};
    if (r.cite) parts.insert(parts.end(), {text(" "), cite_doc(*r.cite)});
    if (r.condition != kNoExpr) parts.insert(parts.end(), {text(" "), rule_when(r)});
    parts.insert(parts.end(), {text(" "), rule_value(r)});
    compact.push_back(cat(std::move(parts)));
    all_fit = all_fit && fits_flat(2, compact.back());
  }
  for (std::size_t i = 0; i < d.rules.size(); ++i) {
    const Rule& r = d.rules[i];
    if (all_fit) {
      emit(2, compact[i], LineKind::ItemStart);
      continue;
    }
    emit_with_cite(2, rule_head(r), r.cite, LineKind::ItemStart);
    if (r.condition != kNoExpr) emit(4, rule_when(r), LineKind::Clause);
    emit(4, rule_value(r), LineKind::Clause);
  }
}

void Formatter::format(const OutputDecl& o) {
  emit_with_cite(0, text("output", o.span.begin), o.cite, LineKind::DeclStart);
  for (const OutputColumn& c : o.columns) {
    const std::size_t label = token_at(c.span.begin) + 1;
    const bool quoted = token_text(label).starts_with("\"");
    std::vector<Doc> parts{text("column " + (quoted ? quote(c.name) : c.name), c.span.begin)};
    const bool implicit = c.value == kNoExpr || expr(c.value).span.begin == token_begin(label);
    if (!implicit) parts.insert(parts.end(), {text(" = "), align(expr_doc(c.value))});
    emit(2, cat(std::move(parts)), LineKind::ItemStart);
  }
}

void Formatter::format(const CalendarDecl& c) {
  Doc head = text(std::string(c.terms ? "calendar of terms " : "calendar ") + c.name.name + " " +
                      quote(c.title),
                  c.span.begin);
  Doc from = text("from " + quote(c.file), token_begin(token_at(c.name.span.begin) + 2));
  emit_head_clause_cite(0, LineKind::DeclStart, head, from, c.cite);
}

void Formatter::print_items(std::vector<Item>& items) {
  std::stable_sort(items.begin(), items.end(),
                   [](const Item& a, const Item& b) { return a.begin < b.begin; });
  for (auto& item : items) item.print();
}

void Formatter::add_applies(std::vector<Item>& items, ExprId applies_to) {
  if (applies_to == kNoExpr) return;
  const std::int64_t start = before(expr(applies_to).span.begin, 2);
  items.push_back({start, [this, start, applies_to] {
                     emit(2, keyword_expr("applies to ", start, applies_to), LineKind::ItemStart);
                   }});
}

void Formatter::add_alternatives(std::vector<Item>& items, const std::vector<Alternative>& alts,
                                 const std::string& words) {
  for (const Alternative& a : alts) {
    items.push_back({a.span.begin, [this, &a, words] {
                       emit_alternative(2,
                                        cat({text(words, a.span.begin), align(expr_doc(a.value))}),
                                        a.condition);
                     }});
  }
}

std::int64_t Formatter::any_ground_start(const NoticeDecl& n) const {
  static constexpr std::string_view kWords[] = {"issued", "when", "any", "ground", "holds"};
  for (std::size_t i = token_at(n.span.begin); i + 5 <= tokens_.size(); ++i) {
    if (tokens_[i].begin >= n.span.end) break;
    bool match = true;
    for (std::size_t k = 0; k < 5 && match; ++k) match = token_text(i + k) == kWords[k];
    if (match) return token_begin(i);
  }
  return n.span.end;
}

void Formatter::format(const NoticeDecl& n) {
  emit_with_cite(0, text("notice " + n.name.name + " " + quote(n.title), n.span.begin), n.cite,
                 LineKind::DeclStart);
  std::vector<Item> items;
  add_applies(items, n.applies_to);
  for (const Ground& g : n.grounds) {
    items.push_back({g.span.begin, [this, &g] { format_ground(g); }});
  }
  if (n.issued_when_any_ground || n.issued_when != kNoExpr) {
    const std::int64_t start =
        n.issued_when_any_ground ? any_ground_start(n) : before(expr(n.issued_when).span.begin, 2);
    items.push_back({start, [this, &n, start] { format_issued(n, start); }});
  }
  add_alternatives(items, n.addressees, "addressed to ");
  add_alternatives(items, n.copies, "copy to ");
  if (n.respond_by_term_end) {
    const std::int64_t start = n.respond_span.begin;
    items.push_back({start, [this, start] {
                       emit(2, text("respond by the end of next term", start), LineKind::ItemStart);
                     }});
  }
  if (n.respond_within != kNoExpr) {
    const std::int64_t start = before(expr(n.respond_within).span.begin, 2);
    items.push_back({start, [this, &n, start] {
                       emit(2,
                            cat({text("respond within ", start), expr_doc(n.respond_within),
                                 text(" working days")}),
                            LineKind::ItemStart);
                     }});
  }
  if (!n.escalation.empty()) {
    const std::int64_t start = before(n.escalation.front().span.begin, 1);
    items.push_back({start, [this, &n, start] {
                       emit(2, text("escalation", start), LineKind::ItemStart);
                       for (const EscalationStep& s : n.escalation) {
                         emit_with_cite(4, text("step " + quote(s.text), s.span.begin), s.cite,
                                        LineKind::ItemStart);
                       }
                     }});
  }
  print_items(items);
}

void Formatter::format_ground(const Ground& g) {
  Doc head = text("ground " + g.id.name + " " + quote(g.wording), g.span.begin);
  Doc when = keyword_expr("when ", before(expr(g.condition).span.begin, 1), g.condition);
  emit_head_clause_cite(2, LineKind::ItemStart, head, when, g.cite);
}

void Formatter::format_issued(const NoticeDecl& n, std::int64_t start) {
  Doc head = n.issued_when_any_ground ? text("issued when any ground holds", start)
                                      : keyword_expr("issued when ", start, n.issued_when);
  if (n.unless == kNoExpr) {
    emit(2, head, LineKind::ItemStart);
    return;
  }
  Doc unless = keyword_expr("unless ", before(expr(n.unless).span.begin, 1), n.unless);
  Doc one = cat({head, text(" "), unless});
  if (fits_flat(2, one)) {
    emit(2, one, LineKind::ItemStart);
    return;
  }
  emit(2, head, LineKind::ItemStart);
  emit(4, unless, LineKind::Clause);
}

void Formatter::format(const CadenceDecl& c) {
  emit_with_cite(0, text("cadence " + c.name.name + " " + quote(c.title), c.span.begin), c.cite,
                 LineKind::DeclStart);
  std::vector<Item> items;
  add_applies(items, c.applies_to);
  for (const Interval& iv : c.intervals) {
    items.push_back(
        {iv.span.begin, [this, &iv] {
           if (iv.unit == Interval::Unit::Terms || iv.unit == Interval::Unit::HalfTerms) {
             const char* every =
                 iv.unit == Interval::Unit::Terms ? "every term" : "every half term";
             emit_alternative(2, text(every, iv.span.begin), iv.condition);
             return;
           }
           const std::string unit(token_text(token_at(expr(iv.count).span.end)));
           emit_alternative(
               2, cat({text("every ", iv.span.begin), expr_doc(iv.count), text(" " + unit)}),
               iv.condition);
         }});
  }
  if (c.dates_of) {
    const std::int64_t start = before(c.dates_of->span.begin, 3);
    items.push_back({start, [this, &c, start] {
                       emit(2, text("on dates of " + c.dates_of->name, start), LineKind::ItemStart);
                     }});
  }
  if (c.from != kNoExpr) {
    const std::int64_t start = before(expr(c.from).span.begin, 1);
    items.push_back({start, [this, &c, start] {
                       emit(2, keyword_expr("from ", start, c.from), LineKind::ItemStart);
                     }});
  }
  if (c.if_never != kNoExpr) {
    const std::int64_t start = before(expr(c.if_never).span.begin, 5);
    items.push_back({start, [this, &c, start] {
                       emit(2, keyword_expr("if never, due on ", start, c.if_never),
                            LineKind::ItemStart);
                     }});
  }
  add_alternatives(items, c.no_later_than, "no later than ");
  add_alternatives(items, c.lasting, "lasting ");
  add_alternatives(items, c.reviewers, "reviewers ");
  print_items(items);
}

// As a ground: on one line when it fits, else the name and words, then `when` and `cite` below.
void Formatter::format(const WarnDecl& w) {
  Doc head = text("warn " + w.name.name + " " + quote(w.message), w.span.begin);
  Doc when = keyword_expr("when ", before(expr(w.condition).span.begin, 1), w.condition);
  emit_head_clause_cite(0, LineKind::DeclStart, head, when, w.cite);
}

void Formatter::emit_head_clause_cite(int indent, LineKind kind, const Doc& head, const Doc& clause,
                                      const std::optional<Citation>& cite) {
  std::vector<Doc> parts{head, text(" "), clause};
  if (cite) parts.insert(parts.end(), {text(" "), cite_doc(*cite)});
  Doc one = cat(std::move(parts));
  if (fits_flat(indent, one)) {
    emit(indent, one, kind);
    return;
  }
  emit(indent, head, kind);
  emit(indent + 2, clause, LineKind::Clause);
  if (cite) emit(indent + 2, cite_doc(*cite), LineKind::Clause);
}

}  // namespace catengine::lang::format_detail
