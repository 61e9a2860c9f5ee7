// Parsing one policy file: the PEGTL grammar (grammar.hpp) builds a parse tree one declaration at
// a time; a separate pass lowers each tree to the typed AST. A syntax error becomes a diagnostic
// and the parser carries on at the next line that starts with a declaration keyword.
#include "lang/syntax/parser.hpp"

#include <algorithm>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <tao/pegtl/contrib/parse_tree.hpp>

#include "lang/syntax/ast_builder.hpp"
#include "lang/syntax/grammar.hpp"
#include "lang/syntax/parse_messages.hpp"
#include "lang/syntax/parse_node.hpp"
#include "lang/syntax/scanner.hpp"
#include "lang/syntax/tree_control.hpp"

namespace catengine::lang {
namespace {

namespace g = grammar;
namespace p = tao::pegtl;
using Node = ParseNode;
using namespace syntax_detail;

// ---- Parse tree selection -------------------------------------------------------------------

// Replaces a node with its only child: precedence levels with no operator vanish.
struct fold_single : p::parse_tree::apply<fold_single> {
  template <typename N, typename... States>
  static void transform(std::unique_ptr<N>& n, States&&... /*st*/) {
    if (n->children.size() == 1) n = std::move(n->children.front());
  }
};

template <typename Rule>
using selector = p::parse_tree::selector<
    Rule,
    p::parse_tree::store_content::on<
        // literals and names
        g::date_lit, g::decimal_lit, g::integer_lit, g::string_lit, g::yes_lit, g::no_lit,
        g::name_ref, g::decl_name, g::field_name, g::rule_id, g::dotted_part, g::member_name,
        g::type_name, g::academic_year, g::optional_mark, g::literal_name, g::neg_number,
        g::column_name, g::param_from, g::param_to, g::by_year, g::by_date,
        // expressions
        g::list_expr, g::paren_expr, g::previous_primary, g::call_args, g::of_arg, g::name_primary,
        g::ignoring_missing, g::how_many_primary, g::neg, g::not_op, g::if_expr, g::tail_is,
        g::is_not_missing, g::is_missing, g::is_not, g::tail_not_in, g::tail_in, g::tail_between,
        g::tail_cmp, g::tail_worse, g::tail_better, g::at_least, g::at_worst, g::op_add, g::op_sub,
        g::op_mul, g::op_div, g::op_le, g::op_ge, g::op_ne, g::op_lt, g::op_gt, g::op_eq,
        // declarations
        g::cite, g::header_decl, g::use_decl, g::member, g::enum_decl, g::scale_decl, g::type_ref,
        g::opt_column, g::opt_key, g::opt_shown, g::unique_match, g::opt_missing_means,
        g::opt_between, g::field_decl, g::reading_missing, g::reading_yes, g::reading_no,
        g::reading_dates, g::record_decl, g::param_entry, g::param_decl, g::define_decl,
        g::when_branch, g::otherwise_branch, g::rule_decl, g::decide_decl, g::column_decl,
        g::output_decl,
        // notices, cadences and calendars
        g::calendar_decl, g::alt_when, g::applies_item, g::ground_id, g::ground_item, g::any_ground,
        g::issued_item, g::unless_clause, g::addressed_item, g::copy_item, g::respond_item,
        g::step_item, g::escalation_item, g::notice_decl, g::unit_days, g::unit_weeks,
        g::unit_months, g::every_item, g::dates_param, g::from_item, g::never_item, g::cap_item,
        g::lasting_item, g::reviewers_item, g::cadence_decl,
        // term calendars and counting in terms
        g::calendar_of_terms, g::unit_term, g::unit_half_term, g::end_of_next_term,
        // dates in English
        g::shift, g::shift_unit, g::shift_after, g::shift_before, g::first_working_day,
        g::day_of_year, g::earliest_of, g::month_name, g::half_a_day, g::duration_days,
        g::duration_hours, g::duration_other, g::year_of, g::year_after, g::year_before,
        // sources
        g::source_ref_name, g::opt_from, g::opt_may_be_absent, g::opt_required_in_file,
        g::opt_if_absent, g::previous_column, g::reading_absent, g::source_key, g::source_encoding,
        g::source_absent, g::row_test, g::source_rows, g::source_decl,
        // warnings
        g::warn_decl>,
    fold_single::on<g::product, g::sum, g::comparison, g::and_expr, g::or_expr, g::missing_expr,
                    g::clause_expr>>;

// ---- Lexical helpers ------------------------------------------------------------------------

// Comments, in order, from the scanner (which knows a `#` inside a string is no comment).
std::vector<Comment> scan_comments(const std::string& text, FileId file) {
  std::vector<Comment> out;
  for (std::size_t i = 0; i < text.size();) {
    const Token t = scan_token(text, i);
    if (t.kind == TokenKind::Comment)
      out.push_back({std::string(t.text(text)), {file, t.begin, t.end}});
    i = t.end;
  }
  return out;
}

// ---- The driver -----------------------------------------------------------------------------

class Parser {
 public:
  Parser(const SourceFile& source, FileId file)
      : source_(source), text_(source.text()), file_(file) {
    result_.module.file = file;
  }

  ParseResult run() {
    if (text_.size() > kMaxSourceBytes) {
      result_.diagnostics.push_back(
          make_diag(DiagnosticKind::E0005, {file_, 0, 0},
                    "this file is " + std::to_string(text_.size()) + " bytes long; the limit is " +
                        std::to_string(kMaxSourceBytes) + " bytes (4 MiB)",
                    {}, {"split the policy into several files joined with `use`"}, {}, false));
      return std::move(result_);
    }
    result_.module.comments = scan_comments(text_, file_);
    AstBuilder lower(text_, file_, result_.module, result_.diagnostics);
    std::size_t pos = skip_blanks(text_, 0);
    while (pos < text_.size()) {
      if (errors_ >= static_cast<std::size_t>(kMaxDiagnostics)) {
        result_.diagnostics.push_back(
            make_diag(DiagnosticKind::E0008, {file_, 0, 0},
                      "too many errors; stopping after " + std::to_string(kMaxDiagnostics), {},
                      {"fix these errors and run again"}, {}, false));
        break;
      }
      std::size_t next = pos;
      try {
        g::ParseState state;
        state.base = text_.data();
        p::memory_input<p::tracking_mode::lazy> in(text_.data() + pos, text_.data() + text_.size(),
                                                   source_.path());
        auto root = tree_control::parse<g::decl, Node, selector, p::nothing, g::control>(in, state);
        if (root && !root->children.empty()) {
          if (auto too_deep = lower.build_decl(*root->children.front())) push(*too_deep);
          next = static_cast<std::size_t>(in.current() - text_.data());
        } else {
          no_declaration(pos);
        }
      } catch (const g::SyntaxFailure& f) {
        report(f);
      } catch (const p::parse_error& e) {
        const auto& positions = e.positions();
        const std::size_t at = positions.empty() ? pos : pos + positions.front().byte;
        report_plain(static_cast<std::uint32_t>(std::min(at, text_.size())),
                     std::string(e.message()));
      } catch (const std::exception& e) {
        report_plain(static_cast<std::uint32_t>(pos), std::string("internal error: ") + e.what());
      } catch (...) {
        report_plain(static_cast<std::uint32_t>(pos), "internal error while parsing");
      }
      if (next == pos) next = recover(pos);
      pos = skip_blanks(text_, next);
    }
    return std::move(result_);
  }

 private:
  // The start of the first line after the one holding `pos` whose first word is a declaration
  // keyword, or the end of the file.
  std::size_t recover(std::size_t pos) const {
    std::size_t line = text_.find('\n', pos);
    while (line != std::string::npos) {
      std::size_t i = line + 1;
      while (i < text_.size() && (text_[i] == ' ' || text_[i] == '\t')) ++i;
      const Token word = scan_token(text_, i);
      if (word.kind == TokenKind::Word && is_declaration_keyword(word.text(text_))) return i;
      line = text_.find('\n', line + 1);
    }
    return text_.size();
  }

  void push(Diagnostic d) {
    ++errors_;
    result_.diagnostics.push_back(std::move(d));
  }

  // A span pointing at the found token; at the end of the file, just after the last token.
  SourceSpan found_span(const Found& f) const {
    if (f.kind != Found::Kind::End) return {file_, f.begin, f.end};
    std::uint32_t end = f.begin;
    while (end > 0 && is_blank(text_[end - 1])) --end;
    return {file_, end, end};
  }

  // E0007 for an invalid character at `f`.
  void invalid_character(const Found& f) {
    push(make_diag(DiagnosticKind::E0007, {file_, f.begin, f.end},
                   "invalid character " + name_invalid(f.text), "not allowed here",
                   {invalid_hint(f.text)}));
  }

  void situational_hints(const Found& f, bool wants_name, std::vector<std::string>& hints) const {
    if (f.text == "&&") hints.push_back("write `and`");
    if (f.text == "||") hints.push_back("write `or`");
    if (f.text == "!") hints.push_back("write `not`");
    if (f.text == "==") hints.push_back("to compare, write `is`");
    if (wants_name && f.kind == Found::Kind::Word && is_reserved(f.text)) {
      hints.push_back("`" + f.text + "` is a reserved word; choose another name");
    }
  }

  void no_declaration(std::size_t pos) {
    const Found f = token_at(text_, static_cast<std::uint32_t>(pos));
    if (f.kind == Found::Kind::Invalid) return invalid_character(f);
    Diagnostic d =
        make_diag(DiagnosticKind::E0001, found_span(f),
                  "expected a declaration, found " + describe(f), "expected a declaration");
    situational_hints(f, false, d.hints);
    // `==` or `&&` here means the declaration before it ended early: the list of declaration
    // keywords would only distract from the hint that names the slip.
    if (!d.hints.empty()) return push(std::move(d));
    std::vector<std::string> words(kDeclarationKeywords.begin(), kDeclarationKeywords.end());
    for (const char* w : {"field", "rule", "column", "cite"}) words.emplace_back(w);
    const std::string near = f.kind == Found::Kind::Word ? closest_match(f.text, words) : "";
    if (!near.empty() && near != f.text) {
      d.hints.push_back("did you mean `" + near + "`?");
    } else if (near == "field" || near == "rule" || near == "column" || near == "cite") {
      d.hints.push_back("`" + near + "` belongs inside a declaration; is something missing above?");
    } else {
      d.hints.push_back(
          "a declaration starts with `policy`, `use`, `enumeration`, `scale`, `record`, "
          "`source`, `parameter`, `define`, `decide`, `output`, `calendar`, `notice`, "
          "`cadence` or `warn`");
    }
    push(std::move(d));
  }

  void report(const g::SyntaxFailure& f) {
    const auto at = static_cast<std::uint32_t>(f.at - text_.data());
    if (f.kind == DiagnosticKind::E0004) {
      push(make_diag(DiagnosticKind::E0004, {file_, at, at + 1},
                     "this expression is nested too deeply (more than " +
                         std::to_string(kMaxNesting) + " levels of brackets, `if`, `not` or `-`)",
                     "too deep", {"split the expression into smaller `define`s"}));
      return;
    }
    if (f.kind == DiagnosticKind::E0002 && f.opener != nullptr) {
      const auto open = static_cast<std::uint32_t>(f.opener - text_.data());
      push(make_diag(DiagnosticKind::E0002, {file_, open, open + 1}, "this string is never closed",
                     "the string starts here", {f.hint}));
      return;
    }
    const Found found = token_at(text_, at);
    if (found.kind == Found::Kind::Invalid) return invalid_character(found);
    if (f.kind == DiagnosticKind::E0003 && f.opener != nullptr) {
      const auto open = static_cast<std::uint32_t>(f.opener - text_.data());
      const std::string opener(1, text_[open]);
      const std::uint32_t open_line = source_.locate(open).line;
      const SourceSpan where = found_span(found);
      const bool same_line =
          found.kind != Found::Kind::End && source_.locate(found.begin).line == open_line;
      if (same_line) {
        push(make_diag(DiagnosticKind::E0001, where,
                       "expected " + f.what + " to close the `" + opener + "` on line " +
                           std::to_string(open_line) + ", found " + describe(found),
                       "expected " + f.what, {"close the `" + opener + "` with " + f.what},
                       {{{file_, open, open + 1}, "the `" + opener + "` is opened here"}}));
      } else {
        push(make_diag(
            DiagnosticKind::E0003, {file_, open, open + 1},
            "this `" + opener + "` on line " + std::to_string(open_line) + " is never closed",
            "opened here", {"add " + f.what + " to close it"},
            {{where, "expected " + f.what + " here, found " + describe(found)}}));
      }
      return;
    }
    // When the line ended too early, the thing found is on a later line: point at the end of
    // the line that is missing something, and note what came next.
    const std::uint32_t line_end = end_of_previous_code(at);
    if (found.kind != Found::Kind::End && line_end > 0 && line_end < at &&
        source_.locate(line_end - 1).line < source_.locate(at).line) {
      const std::uint32_t line = source_.locate(line_end - 1).line;
      Diagnostic d =
          make_diag(DiagnosticKind::E0001, {file_, line_end, line_end + 1},
                    "expected " + f.what + (f.context.empty() ? "" : " " + f.context) +
                        ", but line " + std::to_string(line) + " ends here",
                    "expected " + f.what, {},
                    {{found_span(found), "the next line goes on with " + describe(found)}});
      if (!f.hint.empty()) d.hints.push_back(f.hint);
      push(std::move(d));
      return;
    }
    // A word glued to the `"` before it (`"Primary when phase is "primary"`): a string earlier on
    // the line most likely lacks its closing quote and ran on to this one. Point at that string.
    if (found.kind != Found::Kind::End && found.begin >= 2 && text_[found.begin - 1] == '"' &&
        is_word_char(text_[found.begin])) {
      std::uint32_t open = found.begin - 1;
      while (open > 0 && text_[open - 1] != '\n' && text_[open - 1] != '"') --open;
      if (open > 0 && text_[open - 1] == '"') {
        --open;
        push(make_diag(DiagnosticKind::E0002, {file_, open, open + 1},
                       "this string seems to be missing its closing `\"`: it runs on to the `\"` "
                       "before " +
                           describe(found),
                       "the string starts here", {"close the string where its words end"},
                       {{found_span(found), "expected " + f.what + " here"}}));
        return;
      }
    }
    Diagnostic d = make_diag(DiagnosticKind::E0001, found_span(found),
                             "expected " + f.what + (f.context.empty() ? "" : " " + f.context) +
                                 ", found " + describe(found),
                             "expected " + f.what);
    situational_hints(found, f.wants_name, d.hints);
    if (!f.hint.empty()) d.hints.push_back(f.hint);
    push(std::move(d));
  }

  // One past the last byte of code before `at`, skipping blanks and comments; 0 if none.
  std::uint32_t end_of_previous_code(std::uint32_t at) const {
    std::uint32_t i = at;
    const auto& comments = result_.module.comments;
    while (i > 0) {
      const char c = text_[i - 1];
      if (is_blank(c)) {
        --i;
        continue;
      }
      auto it = std::find_if(comments.begin(), comments.end(), [&](const Comment& cm) {
        return cm.span.begin < i && i <= cm.span.end;
      });
      if (it == comments.end()) break;
      i = it->span.begin;
    }
    return i;
  }

  void report_plain(std::uint32_t at, std::string message) {
    push(make_diag(DiagnosticKind::E0001, {file_, at, at}, std::move(message)));
  }

  const SourceFile& source_;
  const std::string& text_;
  FileId file_;
  ParseResult result_;
  std::size_t errors_ = 0;
};

}  // namespace

ParseResult parse(const SourceFile& source, FileId id) {
  try {
    return Parser(source, id).run();
  } catch (...) {
    ParseResult r;
    r.module.file = id;
    r.diagnostics.push_back(make_diag(DiagnosticKind::E0001, {id, 0, 0},
                                      "internal error while parsing this file", {}, {}, {}, false));
    return r;
  }
}

}  // namespace catengine::lang
