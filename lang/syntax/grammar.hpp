// The PEGTL grammar of `.policy` files, exactly as docs/grammar.md writes it. Each rule is a named
// struct with its line of grammar above it. Tokens consume the blanks and comments after them
// (`tok<R>`), so a rule's node begins at its first token and errors land on the offending token.
//
// Design:
// - The parser builds a parse tree with a narrow selector (see parser.cpp) and lowers it to the
//   typed AST in a separate pass, so backtracking never leaves junk behind.
// - Once a construct is recognised by its keyword, the rest is `if_must`: a missing piece raises at
//   once, and `expected<Rule>` below says, in house style, what was expected there and why.
// - Names the error messages mention (the declaration, field and rule being read), the open
//   brackets and the nesting depth live in `ParseState`, kept up to date by the control's hooks.
//   The control raises `SyntaxFailure`, which parser.cpp turns into a diagnostic.
//
// Include this only from parser.cpp, ast_builder.cpp and tests: it pulls in all of PEGTL.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <tao/pegtl.hpp>

#include "lang/diagnostics/diagnostic.hpp"
#include "lang/syntax/limits.hpp"
#include "lang/syntax/scanner.hpp"

namespace catengine::lang::grammar {

namespace p = tao::pegtl;

// ---- Lexical rules --------------------------------------------------------------------------

// comment ::= "#" (any byte but a line feed)*
struct comment : p::seq<p::one<'#'>, p::star<p::not_one<'\n'>>> {};
// blank ::= " " | TAB | CR | LF
struct blank : p::one<' ', '\t', '\r', '\n'> {};
// skip ::= ( blank | comment )*
struct skip : p::star<p::sor<blank, comment>> {};
// A token followed by the blanks and comments after it.
template <typename R>
struct tok : p::seq<R, skip> {};

// Reserved words (never identifiers).
struct kw_policy : TAO_PEGTL_KEYWORD("policy") {};
struct kw_cite : TAO_PEGTL_KEYWORD("cite") {};
struct kw_use : TAO_PEGTL_KEYWORD("use") {};
struct kw_enumeration : TAO_PEGTL_KEYWORD("enumeration") {};
struct kw_scale : TAO_PEGTL_KEYWORD("scale") {};
struct kw_record : TAO_PEGTL_KEYWORD("record") {};
struct kw_field : TAO_PEGTL_KEYWORD("field") {};
struct kw_parameter : TAO_PEGTL_KEYWORD("parameter") {};
struct kw_define : TAO_PEGTL_KEYWORD("define") {};
struct kw_decide : TAO_PEGTL_KEYWORD("decide") {};
struct kw_output : TAO_PEGTL_KEYWORD("output") {};
struct kw_calendar : TAO_PEGTL_KEYWORD("calendar") {};
struct kw_notice : TAO_PEGTL_KEYWORD("notice") {};
struct kw_cadence : TAO_PEGTL_KEYWORD("cadence") {};
struct kw_source : TAO_PEGTL_KEYWORD("source") {};
struct kw_warn : TAO_PEGTL_KEYWORD("warn") {};
struct kw_column : TAO_PEGTL_KEYWORD("column") {};
struct kw_when : TAO_PEGTL_KEYWORD("when") {};
struct kw_then : TAO_PEGTL_KEYWORD("then") {};
struct kw_otherwise : TAO_PEGTL_KEYWORD("otherwise") {};
struct kw_if : TAO_PEGTL_KEYWORD("if") {};
struct kw_else : TAO_PEGTL_KEYWORD("else") {};
struct kw_and : TAO_PEGTL_KEYWORD("and") {};
struct kw_or : TAO_PEGTL_KEYWORD("or") {};
struct kw_not : TAO_PEGTL_KEYWORD("not") {};
struct kw_in : TAO_PEGTL_KEYWORD("in") {};
struct kw_is : TAO_PEGTL_KEYWORD("is") {};
struct kw_missing : TAO_PEGTL_KEYWORD("missing") {};
struct kw_of : TAO_PEGTL_KEYWORD("of") {};
struct kw_worse : TAO_PEGTL_KEYWORD("worse") {};
struct kw_better : TAO_PEGTL_KEYWORD("better") {};
struct kw_than : TAO_PEGTL_KEYWORD("than") {};
struct kw_at : TAO_PEGTL_KEYWORD("at") {};
struct kw_least : TAO_PEGTL_KEYWORD("least") {};
struct kw_worst : TAO_PEGTL_KEYWORD("worst") {};
struct kw_between : TAO_PEGTL_KEYWORD("between") {};
struct kw_yes : TAO_PEGTL_KEYWORD("yes") {};
struct kw_no : TAO_PEGTL_KEYWORD("no") {};

// Words matched only where the grammar expects them; elsewhere they are ordinary names.
struct kw_from : TAO_PEGTL_KEYWORD("from") {};
struct kw_best : TAO_PEGTL_KEYWORD("best") {};
struct kw_to : TAO_PEGTL_KEYWORD("to") {};
struct kw_key : TAO_PEGTL_KEYWORD("key") {};
struct kw_means : TAO_PEGTL_KEYWORD("means") {};
struct kw_values : TAO_PEGTL_KEYWORD("values") {};
struct kw_are : TAO_PEGTL_KEYWORD("are") {};
struct kw_written : TAO_PEGTL_KEYWORD("written") {};
struct kw_dates : TAO_PEGTL_KEYWORD("dates") {};
struct kw_by : TAO_PEGTL_KEYWORD("by") {};
struct kw_year : TAO_PEGTL_KEYWORD("year") {};
struct kw_date : TAO_PEGTL_KEYWORD("date") {};
struct kw_first : TAO_PEGTL_KEYWORD("first") {};
struct kw_match : TAO_PEGTL_KEYWORD("match") {};
struct kw_unique : TAO_PEGTL_KEYWORD("unique") {};
struct kw_shown : TAO_PEGTL_KEYWORD("shown") {};
struct kw_academic : TAO_PEGTL_KEYWORD("academic") {};
struct kw_rule : TAO_PEGTL_KEYWORD("rule") {};
struct kw_applies : TAO_PEGTL_KEYWORD("applies") {};
struct kw_ground : TAO_PEGTL_KEYWORD("ground") {};
struct kw_issued : TAO_PEGTL_KEYWORD("issued") {};
struct kw_any : TAO_PEGTL_KEYWORD("any") {};
struct kw_holds : TAO_PEGTL_KEYWORD("holds") {};
struct kw_unless : TAO_PEGTL_KEYWORD("unless") {};
struct kw_addressed : TAO_PEGTL_KEYWORD("addressed") {};
struct kw_copy : TAO_PEGTL_KEYWORD("copy") {};
struct kw_respond : TAO_PEGTL_KEYWORD("respond") {};
struct kw_within : TAO_PEGTL_KEYWORD("within") {};
struct kw_working : TAO_PEGTL_KEYWORD("working") {};
struct kw_days : TAO_PEGTL_KEYWORD("days") {};
struct kw_escalation : TAO_PEGTL_KEYWORD("escalation") {};
struct kw_step : TAO_PEGTL_KEYWORD("step") {};
struct kw_every : TAO_PEGTL_KEYWORD("every") {};
struct kw_day : TAO_PEGTL_KEYWORD("day") {};
struct kw_week : TAO_PEGTL_KEYWORD("week") {};
struct kw_weeks : TAO_PEGTL_KEYWORD("weeks") {};
struct kw_month : TAO_PEGTL_KEYWORD("month") {};
struct kw_months : TAO_PEGTL_KEYWORD("months") {};
struct kw_on : TAO_PEGTL_KEYWORD("on") {};
struct kw_may : TAO_PEGTL_KEYWORD("may") {};
struct kw_be : TAO_PEGTL_KEYWORD("be") {};
struct kw_absent : TAO_PEGTL_KEYWORD("absent") {};
struct kw_optional : TAO_PEGTL_KEYWORD("optional") {};
struct kw_columns : TAO_PEGTL_KEYWORD("columns") {};
struct kw_encoding : TAO_PEGTL_KEYWORD("encoding") {};
struct kw_rows : TAO_PEGTL_KEYWORD("rows") {};
struct kw_count : TAO_PEGTL_KEYWORD("count") {};
struct kw_required : TAO_PEGTL_KEYWORD("required") {};
struct kw_previous : TAO_PEGTL_KEYWORD("previous") {};
struct kw_its : TAO_PEGTL_KEYWORD("its") {};
struct kw_file : TAO_PEGTL_KEYWORD("file") {};
struct kw_never : TAO_PEGTL_KEYWORD("never") {};
struct kw_term : TAO_PEGTL_KEYWORD("term") {};
struct kw_terms : TAO_PEGTL_KEYWORD("terms") {};
struct kw_half : TAO_PEGTL_KEYWORD("half") {};
struct kw_the : TAO_PEGTL_KEYWORD("the") {};
struct kw_end : TAO_PEGTL_KEYWORD("end") {};
struct kw_next : TAO_PEGTL_KEYWORD("next") {};
struct kw_due : TAO_PEGTL_KEYWORD("due") {};
struct kw_later : TAO_PEGTL_KEYWORD("later") {};
struct kw_lasting : TAO_PEGTL_KEYWORD("lasting") {};
struct kw_reviewers : TAO_PEGTL_KEYWORD("reviewers") {};
struct kw_ignoring : TAO_PEGTL_KEYWORD("ignoring") {};
struct kw_how : TAO_PEGTL_KEYWORD("how") {};
struct kw_many : TAO_PEGTL_KEYWORD("many") {};
struct kw_figure : TAO_PEGTL_KEYWORD("figure") {};

// reserved ::= any of kReservedWords (scanner.hpp, their one definition), as a whole word
struct reserved {
  using rule_t = reserved;
  using subs_t = p::empty_list;
  template <typename ParseInput>
  static bool match(ParseInput& in) {
    const char* const begin = in.current();
    const char* const end = in.end();
    if (begin == end || is_digit(*begin) || !is_word_char(*begin)) return false;
    const char* i = begin;
    while (i != end && is_word_char(*i)) ++i;
    if (!is_reserved(std::string_view(begin, static_cast<std::size_t>(i - begin)))) return false;
    in.bump_in_this_line(static_cast<std::size_t>(i - begin));
    return true;
  }
};

// IDENT ::= ( letter | "_" ) ( letter | digit | "_" )*   but not a reserved word
struct ident : p::seq<p::not_at<reserved>, p::identifier> {};

// A number or date must not run into a name: `12abc` is no token at all.
struct number_end : p::not_at<p::identifier_other> {};
// DATE ::= digit{4} "-" digit{2} "-" digit{2}        (tried before INTEGER)
struct date_lit : p::seq<p::rep<4, p::digit>, p::one<'-'>, p::rep<2, p::digit>, p::one<'-'>,
                         p::rep<2, p::digit>, number_end> {};
// DECIMAL ::= digit+ "." digit+
struct decimal_lit : p::seq<p::plus<p::digit>, p::one<'.'>, p::plus<p::digit>, number_end> {};
// INTEGER ::= digit+
struct integer_lit : p::seq<p::plus<p::digit>, number_end> {};

// STRING ::= '"' ( '\"' | '\\' | any byte but '"', '\', CR or LF )* '"'
struct string_escaped : p::one<'"', '\\'> {};
struct string_escape : p::if_must<p::one<'\\'>, string_escaped> {};
struct string_plain : p::not_one<'"', '\\', '\r', '\n'> {};
struct string_body : p::star<p::sor<string_plain, string_escape>> {};
struct string_close : p::one<'"'> {};
struct string_lit : p::if_must<p::one<'"'>, string_body, string_close> {};

// Punctuation and operators; longer operators first where they share a prefix.
struct colon : p::one<':'> {};
struct comma : p::one<','> {};
struct dot : p::one<'.'> {};
struct lparen : p::one<'('> {};
struct rparen : p::one<')'> {};
struct lbracket : p::one<'['> {};
struct rbracket : p::one<']'> {};
struct question : p::one<'?'> {};
struct equals : p::seq<p::one<'='>, p::not_at<p::one<'='>>> {};  // `==` is no operator
struct minus_sign : p::one<'-'> {};
struct op_add : p::one<'+'> {};
struct op_sub : p::one<'-'> {};
struct op_mul : p::one<'*'> {};
struct op_div : p::one<'/'> {};
struct op_le : p::string<'<', '='> {};
struct op_ge : p::string<'>', '='> {};
struct op_ne : p::string<'!', '='> {};
struct op_lt : p::one<'<'> {};
struct op_gt : p::one<'>'> {};
struct op_eq : equals {};
struct yes_lit : kw_yes {};
struct no_lit : kw_no {};

// ---- Expressions ----------------------------------------------------------------------------

// Nesting is counted from the start of each nesting rule and checked once its opening token has
// matched, so merely trying a rule at the limit is no error.
struct depth_check : p::success {};

struct expr;
struct unary;
struct sum;
struct not_expr;
struct or_expr;

// list ::= "[" ( expr ( "," expr )* )? "]"
struct list_item : p::seq<expr> {};
struct list_close : rbracket {};
struct list_expr
    : p::if_must<p::seq<tok<lbracket>, depth_check>,
                 p::opt<expr, p::star<tok<comma>, p::must<list_item>>>, tok<list_close>> {};

// "(" expr ")"
struct paren_inner : p::seq<expr> {};
struct paren_close : rparen {};
struct paren_expr : p::if_must<p::seq<tok<lparen>, depth_check>, paren_inner, tok<paren_close>> {};

// IDENT "(" ( expr ( "," expr )* )? ")"
struct call_arg : p::seq<expr> {};
struct call_close : rparen {};
struct call_args
    : p::if_must<p::seq<tok<lparen>, depth_check>,
                 p::opt<expr, p::star<tok<comma>, p::must<call_arg>>>, tok<call_close>> {};
// IDENT "of" unary
struct of_value : p::seq<unary> {};
struct of_arg : p::if_must<p::seq<tok<kw_of>, depth_check>, of_value> {};

// Inside `decide`, an expression ends before `rule` IDENT STRING, which starts the next rule.
struct rule_start : p::seq<kw_rule, skip, ident, skip, p::one<'"'>> {};
struct name_ref : ident {};
// "ignoring" "missing" after a call: leave missing values out of `worst of [...]` and the like.
struct ignoring_missing : p::seq<tok<kw_ignoring>, tok<kw_missing>> {};
// IDENT ( ( call_args | of_arg ) ( "ignoring" "missing" )? )?
struct name_primary : p::seq<p::not_at<rule_start>, tok<name_ref>,
                             p::opt<p::sor<call_args, of_arg>, p::opt<ignoring_missing>>> {};

// "how" "many" "of" unary ( "ignoring" "missing" )?: `how_many` read aloud. `how` and `many`
// stay free as names elsewhere.
struct how_many_primary
    : p::seq<p::not_at<rule_start>, tok<kw_how>, tok<kw_many>, of_arg, p::opt<ignoring_missing>> {};

// `previous level`: the value of an output column in the previous saved run (docs/history.md).
// `previous` alone is still an ordinary name.
struct previous_primary : p::seq<tok<kw_previous>, p::not_at<rule_start>, tok<name_ref>> {};

// primary ::= INTEGER | DECIMAL | DATE | STRING | "yes" | "no" | list | "(" expr ")"
//           | "previous" IDENT | "how" "many" "of" unary
//           | IDENT "(" ( expr ( "," expr )* )? ")" | IDENT "of" unary | IDENT
struct primary
    : p::sor<tok<date_lit>, tok<decimal_lit>, tok<integer_lit>, tok<string_lit>, tok<yes_lit>,
             tok<no_lit>, list_expr, paren_expr, previous_primary, how_many_primary, name_primary> {
};

// unary ::= "-" unary | primary
struct neg_operand : p::seq<unary> {};
struct neg : p::if_must<p::seq<tok<minus_sign>, depth_check>, neg_operand> {};
struct unary : p::sor<neg, primary> {};

// product ::= unary ( ( "*" | "/" ) unary )*
struct mul_rhs : p::seq<unary> {};
struct div_rhs : p::seq<unary> {};
struct product
    : p::seq<unary,
             p::star<p::sor<p::if_must<tok<op_mul>, mul_rhs>, p::if_must<tok<op_div>, div_rhs>>>> {
};

// sum ::= product ( ( "+" | "-" ) product )*
struct add_rhs : p::seq<product> {};
struct sub_rhs : p::seq<product> {};
struct sum
    : p::seq<product,
             p::star<p::sor<p::if_must<tok<op_add>, add_rhs>, p::if_must<tok<op_sub>, sub_rhs>>>> {
};

// compare_tail ::= "is" "not" "missing" | "is" "missing" | "is" "not" sum | "is" sum
struct is_not_missing : p::seq<tok<kw_not>, kw_missing> {};
struct is_missing : kw_missing {};
struct is_not_rhs : p::seq<sum> {};
struct is_not : p::if_must<tok<kw_not>, is_not_rhs> {};
struct is_body : p::sor<tok<is_not_missing>, tok<is_missing>, is_not, sum> {};
struct tail_is : p::if_must<tok<kw_is>, is_body> {};
//              | "not" "in" list | "in" list
struct in_list : p::seq<list_expr> {};
struct tail_not_in : p::if_must<p::seq<tok<kw_not>, tok<kw_in>>, in_list> {};
struct tail_in : p::if_must<tok<kw_in>, in_list> {};
//              | "between" sum "and" sum
struct between_low : p::seq<sum> {};
struct between_and : p::seq<tok<kw_and>> {};
struct between_high : p::seq<sum> {};
struct tail_between : p::if_must<tok<kw_between>, between_low, between_and, between_high> {};
//              | ( "<=" | ">=" | "!=" | "<" | ">" | "=" ) sum
struct cmp_op : p::sor<op_le, op_ge, op_ne, op_lt, op_gt, op_eq> {};
struct cmp_rhs : p::seq<sum> {};
struct tail_cmp : p::if_must<tok<cmp_op>, cmp_rhs> {};
//              | "worse" "than" sum | "better" "than" sum
struct worse_than : p::seq<tok<kw_than>> {};
struct worse_rhs : p::seq<sum> {};
struct tail_worse : p::if_must<tok<kw_worse>, worse_than, worse_rhs> {};
struct better_than : p::seq<tok<kw_than>> {};
struct better_rhs : p::seq<sum> {};
struct tail_better : p::if_must<tok<kw_better>, better_than, better_rhs> {};
//              | "at" "least" sum | "at" "worst" sum
struct at_least_rhs : p::seq<sum> {};
struct at_least : p::if_must<tok<kw_least>, at_least_rhs> {};
struct at_worst_rhs : p::seq<sum> {};
struct at_worst : p::if_must<tok<kw_worst>, at_worst_rhs> {};
struct at_body : p::sor<at_least, at_worst> {};
struct tail_at : p::if_must<tok<kw_at>, at_body> {};
struct compare_tail : p::sor<tail_is, tail_not_in, tail_in, tail_between, tail_cmp, tail_worse,
                             tail_better, tail_at> {};

// comparison ::= sum ( compare_tail )?
struct comparison : p::seq<sum, p::opt<compare_tail>> {};

// not_expr ::= "not" not_expr | comparison
struct not_operand : p::seq<not_expr> {};
struct not_op : p::if_must<p::seq<tok<kw_not>, depth_check>, not_operand> {};
struct not_expr : p::sor<not_op, comparison> {};

// and_expr ::= not_expr ( "and" not_expr )*
struct and_rhs : p::seq<not_expr> {};
struct and_expr : p::seq<not_expr, p::star<p::if_must<tok<kw_and>, and_rhs>>> {};

// or_expr ::= and_expr ( "or" and_expr )*
struct or_rhs : p::seq<and_expr> {};
struct or_expr : p::seq<and_expr, p::star<p::if_must<tok<kw_or>, or_rhs>>> {};

// missing_expr ::= or_expr ( "if" "missing" or_expr )?
struct if_missing : p::seq<tok<kw_if>, tok<kw_missing>> {};
struct missing_default : p::seq<or_expr> {};
struct missing_expr : p::seq<or_expr, p::opt<p::if_must<if_missing, missing_default>>> {};

// expr ::= "if" expr "then" expr "else" expr | missing_expr
struct if_cond : p::seq<expr> {};
struct if_then : p::seq<tok<kw_then>> {};
struct if_then_value : p::seq<expr> {};
struct if_else : p::seq<tok<kw_else>> {};
struct if_else_value : p::seq<expr> {};
struct if_expr : p::if_must<p::seq<tok<kw_if>, depth_check>, if_cond, if_then, if_then_value,
                            if_else, if_else_value> {};
struct expr : p::sor<if_expr, missing_expr> {};

// clause_expr ::= expr ( "," "or" not_expr "if" "any" "figure" "is" "missing" )?
// The missing-data clause: `(expr) if missing X` read in order, for the whole expression before
// it however its `if`s and `else`s nest. Only where an expression ends a declaration's item (a
// definition, a rule's condition or value, a column, any condition after `when`, `applies to`
// or `unless`), never inside brackets, so a `,` in a list or call is never read as one.
struct clause_default : p::seq<not_expr> {};
struct clause_if_missing
    : p::seq<tok<kw_if>, tok<kw_any>, tok<kw_figure>, tok<kw_is>, tok<kw_missing>> {};
struct missing_clause
    : p::if_must<p::seq<tok<comma>, tok<kw_or>>, clause_default, clause_if_missing> {};
struct clause_expr : p::seq<expr, p::opt<missing_clause>> {};

// ---- Declarations ---------------------------------------------------------------------------

// The names declarations introduce (the parser records the current one for messages).
struct decl_name : ident {};
struct field_name : ident {};
struct rule_id : ident {};

// cite ::= "cite" STRING
struct cite_text : p::seq<tok<string_lit>> {};
struct cite : p::if_must<tok<kw_cite>, cite_text> {};

// header ::= "policy" STRING cite?
struct policy_title : p::seq<tok<string_lit>> {};
struct header_decl : p::if_must<tok<kw_policy>, policy_title, p::opt<cite>> {};

// use ::= "use" ( dotted_name | STRING );  dotted_name ::= IDENT ( "." IDENT )*
struct dotted_part : p::identifier {};  // module names may be reserved words (`stdlib.calendar`)
struct dotted_next : p::seq<tok<dotted_part>> {};
struct dotted_name : p::seq<tok<dotted_part>, p::star<p::if_must<tok<dot>, dotted_next>>> {};
struct use_target : p::sor<dotted_name, tok<string_lit>> {};
struct use_decl : p::if_must<tok<kw_use>, use_target> {};

// member ::= ( IDENT | STRING | INTEGER ) STRING?
// (`yes` and `no` are accepted as member names too: see docs/grammar.md on enumerations.)
struct member_name : ident {};
struct member_key
    : p::sor<tok<member_name>, tok<yes_lit>, tok<no_lit>, tok<string_lit>, tok<integer_lit>> {};
struct member : p::seq<member_key, p::opt<tok<string_lit>>> {};
struct member_next : p::seq<member> {};
struct first_member : p::seq<member> {};
struct members : p::seq<first_member, p::star<p::if_must<tok<comma>, member_next>>> {};

// enumeration ::= "enumeration" IDENT cite? ":" member ( "," member )*
struct enum_name : p::seq<tok<decl_name>> {};
struct enum_colon : p::seq<tok<colon>> {};
struct enum_decl : p::if_must<tok<kw_enumeration>, enum_name, p::opt<cite>, enum_colon, members> {};

// scale ::= "scale" IDENT "from" "best" "to" "worst" cite? ":" member ( "," member )*
struct scale_name : p::seq<tok<decl_name>> {};
struct scale_order : p::seq<tok<kw_from>, tok<kw_best>, tok<kw_to>, tok<kw_worst>> {};
struct scale_colon : p::seq<tok<colon>> {};
struct scale_decl
    : p::if_must<tok<kw_scale>, scale_name, scale_order, p::opt<cite>, scale_colon, members> {};

// type ::= ( IDENT | "academic" "year" ) "?"?
struct academic_year : p::seq<kw_academic, skip, kw_year> {};
struct type_name : ident {};
struct optional_mark : question {};
struct type_ref : p::seq<p::sor<tok<academic_year>, tok<type_name>>, p::opt<tok<optional_mark>>> {};

// literal ::= "-"? ( INTEGER | DECIMAL ) | STRING | DATE | IDENT | "yes" | "no"
struct neg_number : p::seq<minus_sign, skip, p::sor<decimal_lit, integer_lit>> {};
struct literal_name : ident {};
struct literal : p::sor<tok<neg_number>, tok<date_lit>, tok<decimal_lit>, tok<integer_lit>,
                        tok<string_lit>, tok<yes_lit>, tok<no_lit>, tok<literal_name>> {};

// field_opt ::= "column" STRING | "key" | "shown" | "missing" "means" literal
//             | "between" literal "and" literal
struct column_header : p::seq<tok<string_lit>> {};
struct opt_column : p::if_must<tok<kw_column>, column_header> {};
struct opt_key : kw_key {};
// `shown`: kept for people reading the data; no rule need read it (exempt from lint W0107).
struct opt_shown : kw_shown {};
struct means_word : p::seq<tok<kw_means>> {};
struct means_value : p::seq<literal> {};
struct opt_missing_means : p::if_must<tok<kw_missing>, means_word, means_value> {};
struct low_literal : p::seq<literal> {};
struct bounds_and : p::seq<tok<kw_and>> {};
struct high_literal : p::seq<literal> {};
struct opt_between : p::if_must<tok<kw_between>, low_literal, bounds_and, high_literal> {};
// `from ofsted column "Leadership and governance"`: the source a field is read from, and its
// header there (the field's name when no column is given).
struct source_ref_name : ident {};
struct source_ref : p::seq<tok<source_ref_name>> {};
struct opt_from : p::if_must<tok<kw_from>, source_ref, p::opt<opt_column>> {};
// `may be absent`: the column need not be in the file's header at all (the field is then
// missing in every row, and the run says so on stderr).
struct be_word : p::seq<tok<kw_be>> {};
struct absent_word : p::seq<tok<kw_absent>> {};
struct opt_may_be_absent : p::if_must<tok<kw_may>, be_word, absent_word> {};
// `required in its file`: for a field of a joined source, every row of that file must have a
// value, though a school absent from the file still has none.
struct in_word : p::seq<tok<kw_in>> {};
struct its_word : p::seq<tok<kw_its>> {};
struct file_word : p::seq<tok<kw_file>> {};
struct opt_required_in_file : p::if_must<tok<kw_required>, in_word, its_word, file_word> {};
// `if absent then previous category`: when the file has no such column, the field is the
// previous saved run's `category` (a hand-typed column that history can fill).
struct previous_column : ident {};
struct absent_then_word : p::seq<tok<kw_then>> {};
struct absent_previous_word : p::seq<tok<kw_previous>> {};
struct absent_previous_name : p::seq<tok<previous_column>> {};
struct opt_if_absent : p::if_must<tok<kw_if>, absent_word, absent_then_word, absent_previous_word,
                                  absent_previous_name> {};
struct field_opt : p::sor<opt_column, opt_from, tok<opt_key>, tok<opt_shown>, opt_missing_means,
                          opt_between, opt_may_be_absent, opt_required_in_file, opt_if_absent> {};

// field ::= "field" IDENT ":" type ( "," field_opt )* cite?
struct field_name_exp : p::seq<tok<field_name>> {};
struct field_colon : p::seq<tok<colon>> {};
struct field_type : p::seq<type_ref> {};
struct field_decl : p::if_must<tok<kw_field>, field_name_exp, field_colon, field_type,
                               p::star<p::if_must<tok<comma>, field_opt>>, p::opt<cite>> {};

// reading ::= "missing" "values" "are" STRING ( "," STRING )*
//           | ( "yes" | "no" ) "is" "written" STRING ( "," STRING )*
//           | "dates" "are" "written" STRING ( "," STRING )*
struct reading_word : p::seq<tok<string_lit>> {};
struct reading_words : p::seq<reading_word, p::star<p::if_must<tok<comma>, reading_word>>> {};
struct values_word : p::seq<tok<kw_values>> {};
struct are_word : p::seq<tok<kw_are>> {};
struct is_word : p::seq<tok<kw_is>> {};
struct written_word : p::seq<tok<kw_written>> {};
struct reading_missing : p::if_must<tok<kw_missing>, values_word, are_word, reading_words> {};
struct reading_yes : p::if_must<tok<kw_yes>, is_word, written_word, reading_words> {};
struct reading_no : p::if_must<tok<kw_no>, is_word, written_word, reading_words> {};
struct reading_dates : p::if_must<tok<kw_dates>, are_word, written_word, reading_words> {};

// "optional" "columns" "may" "be" "absent": no optional column need be in the header.
struct columns_word : p::seq<tok<kw_columns>> {};
struct may_word : p::seq<tok<kw_may>> {};
struct reading_absent : p::if_must<tok<kw_optional>, columns_word, may_word, be_word, absent_word> {
};

// record ::= "record" IDENT cite? record_item*;  record_item ::= field | reading
struct record_name : p::seq<tok<decl_name>> {};
struct record_item
    : p::sor<field_decl, reading_missing, reading_yes, reading_no, reading_dates, reading_absent> {
};
struct record_decl : p::if_must<tok<kw_record>, record_name, p::opt<cite>, p::star<record_item>> {};

// source ::= "source" IDENT STRING cite? source_item*
// source_item ::= "key" "column" STRING | "encoding" "is" STRING | "may" "be" "absent"
//              | "rows" "count" "when" row_test ( "and" row_test )* | reading
// row_test ::= STRING "is" value ( "or" value )*;  value ::= STRING | INTEGER
struct source_name : p::seq<tok<decl_name>> {};
struct source_title : p::seq<tok<string_lit>> {};
struct key_column_word : p::seq<tok<kw_column>> {};
struct key_header : p::seq<tok<string_lit>> {};
struct source_key : p::if_must<tok<kw_key>, key_column_word, key_header> {};
struct encoding_name : p::seq<tok<string_lit>> {};
struct source_encoding : p::if_must<tok<kw_encoding>, is_word, encoding_name> {};
struct source_absent : p::if_must<tok<kw_may>, be_word, absent_word> {};
struct test_column : p::seq<tok<string_lit>> {};
struct test_value : p::sor<tok<string_lit>, tok<integer_lit>> {};
struct test_is : p::seq<tok<kw_is>> {};
struct row_test
    : p::if_must<test_column, test_is, test_value, p::star<p::if_must<tok<kw_or>, test_value>>> {};
struct count_word : p::seq<tok<kw_count>> {};
struct when_word : p::seq<tok<kw_when>> {};
struct source_rows : p::if_must<tok<kw_rows>, count_word, when_word, row_test,
                                p::star<p::if_must<tok<kw_and>, row_test>>> {};
struct source_item
    : p::sor<source_key, source_encoding, source_absent, source_rows, reading_missing, reading_yes,
             reading_no, reading_dates, reading_absent> {};
struct source_decl
    : p::if_must<tok<kw_source>, source_name, source_title, p::opt<cite>, p::star<source_item>> {};

// param_entry ::= key ( "to" key )? ":" expr cite?;  key ::= INTEGER | DATE
struct param_from : p::sor<date_lit, integer_lit> {};
struct param_to : p::sor<date_lit, integer_lit> {};
struct param_to_exp : p::seq<tok<param_to>> {};
struct entry_colon : p::seq<tok<colon>> {};
struct entry_value : p::seq<expr> {};
struct param_entry : p::if_must<tok<param_from>, p::opt<p::if_must<tok<kw_to>, param_to_exp>>,
                                entry_colon, entry_value, p::opt<cite>> {};
struct first_entry : p::seq<param_entry> {};

// parameter ::= "parameter" IDENT ":" type "by" ( "year" | "date" ) cite? param_entry+
struct param_name : p::seq<tok<decl_name>> {};
struct param_colon : p::seq<tok<colon>> {};
struct param_type : p::seq<type_ref> {};
struct param_by : p::seq<tok<kw_by>> {};
struct by_year : kw_year {};
struct by_date : kw_date {};
struct param_period : p::sor<tok<by_year>, tok<by_date>> {};
struct param_decl : p::if_must<tok<kw_parameter>, param_name, param_colon, param_type, param_by,
                               param_period, p::opt<cite>, first_entry, p::star<param_entry>> {};

// define ::= "define" IDENT ( ":" type )? cite? "=" expr
struct define_name : p::seq<tok<decl_name>> {};
struct define_type : p::seq<type_ref> {};
struct define_equals : p::seq<tok<equals>> {};
struct define_body : p::seq<clause_expr> {};
struct define_decl
    : p::if_must<tok<kw_define>, define_name, p::opt<p::if_must<tok<colon>, define_type>>,
                 p::opt<cite>, define_equals, define_body> {};

// rule ::= "rule" IDENT STRING cite? ( "when" expr "then" expr | "otherwise" expr )
struct rule_id_exp : p::seq<tok<rule_id>> {};
struct rule_title : p::seq<tok<string_lit>> {};
struct rule_condition : p::seq<clause_expr> {};
struct rule_then : p::seq<tok<kw_then>> {};
struct rule_value : p::seq<clause_expr> {};
struct when_branch : p::if_must<tok<kw_when>, rule_condition, rule_then, rule_value> {};
struct otherwise_value : p::seq<clause_expr> {};
struct otherwise_branch : p::if_must<tok<kw_otherwise>, otherwise_value> {};
struct rule_body : p::sor<when_branch, otherwise_branch> {};
struct rule_decl : p::if_must<tok<kw_rule>, rule_id_exp, rule_title, p::opt<cite>, rule_body> {};
struct first_rule : p::seq<rule_decl> {};

// decide ::= "decide" IDENT ":" type "by" ( "first" | "unique" ) "match" cite? rule+
struct decide_name : p::seq<tok<decl_name>> {};
struct decide_colon : p::seq<tok<colon>> {};
struct decide_type : p::seq<type_ref> {};
// `unique match` evaluates as `first match`; `catengine check` reports rules that overlap.
struct unique_match : kw_unique {};
struct decide_policy : p::seq<tok<kw_by>, p::sor<tok<kw_first>, tok<unique_match>>, tok<kw_match>> {
};
struct decide_decl : p::if_must<tok<kw_decide>, decide_name, decide_colon, decide_type,
                                decide_policy, p::opt<cite>, first_rule, p::star<rule_decl>> {};

// column ::= "column" ( IDENT | STRING ) ( "=" expr )?
struct column_name : ident {};
struct column_label : p::sor<tok<column_name>, tok<string_lit>> {};
struct column_value : p::seq<clause_expr> {};
struct column_decl
    : p::if_must<tok<kw_column>, column_label, p::opt<p::if_must<tok<equals>, column_value>>> {};
struct first_column : p::seq<column_decl> {};

// output ::= "output" cite? column+
struct output_decl : p::if_must<tok<kw_output>, p::opt<cite>, first_column, p::star<column_decl>> {
};

// calendar ::= "calendar" ( "of" "terms" )? IDENT STRING "from" STRING cite?
// `calendar of terms` reads an LA's term dates instead of bank holidays.
struct calendar_of_terms : p::seq<tok<kw_of>, tok<kw_terms>> {};
struct calendar_name : p::seq<tok<decl_name>> {};
struct calendar_title : p::seq<tok<string_lit>> {};
struct calendar_from : p::seq<tok<kw_from>> {};
struct calendar_file : p::seq<tok<string_lit>> {};
struct calendar_decl : p::if_must<tok<kw_calendar>, p::opt<calendar_of_terms>, calendar_name,
                                  calendar_title, calendar_from, calendar_file, p::opt<cite>> {};

// A condition on one alternative: ( "when" expr )?
struct alt_condition : p::seq<clause_expr> {};
struct alt_when : p::if_must<tok<kw_when>, alt_condition> {};

// applies ::= "applies" "to" expr
struct applies_to_word : p::seq<tok<kw_to>> {};
struct applies_condition : p::seq<clause_expr> {};
struct applies_item : p::if_must<tok<kw_applies>, applies_to_word, applies_condition> {};

// ground ::= "ground" IDENT STRING "when" expr cite?
struct ground_id : ident {};
struct ground_id_exp : p::seq<tok<ground_id>> {};
struct ground_wording : p::seq<tok<string_lit>> {};
struct ground_when : p::seq<tok<kw_when>> {};
struct ground_condition : p::seq<clause_expr> {};
struct ground_item : p::if_must<tok<kw_ground>, ground_id_exp, ground_wording, ground_when,
                                ground_condition, p::opt<cite>> {};

// issued ::= "issued" "when" ( "any" "ground" "holds" | expr ) ( "unless" expr )?
struct any_ground : p::seq<tok<kw_any>, tok<kw_ground>, kw_holds> {};
struct issued_condition : p::seq<clause_expr> {};
struct issued_body : p::sor<tok<any_ground>, issued_condition> {};
struct issued_when_word : p::seq<tok<kw_when>> {};
struct unless_condition : p::seq<clause_expr> {};
struct unless_clause : p::if_must<tok<kw_unless>, unless_condition> {};
struct issued_item
    : p::if_must<tok<kw_issued>, issued_when_word, issued_body, p::opt<unless_clause>> {};

// addressed ::= "addressed" "to" STRING ( "when" expr )?;  copy ::= "copy" "to" STRING ( "when"
// expr )?
struct addressee : p::seq<tok<string_lit>> {};
struct addressed_item
    : p::if_must<tok<kw_addressed>, applies_to_word, addressee, p::opt<alt_when>> {};
struct copy_item : p::if_must<tok<kw_copy>, applies_to_word, addressee, p::opt<alt_when>> {};

// respond ::= "respond" "within" sum "working" "days"
struct within_word : p::seq<tok<kw_within>> {};
struct respond_count : p::seq<sum> {};
struct working_days : p::seq<tok<kw_working>, tok<kw_days>> {};
// or "respond" "by" "the" "end" "of" "next" "term", counted over the term calendar
struct end_of_next_term
    : p::seq<tok<kw_by>, tok<kw_the>, tok<kw_end>, tok<kw_of>, tok<kw_next>, kw_term> {};
struct respond_item
    : p::if_must<tok<kw_respond>,
                 p::sor<tok<end_of_next_term>, p::must<within_word, respond_count, working_days>>> {
};

// escalation ::= "escalation" step+;  step ::= "step" STRING cite?
struct step_text : p::seq<tok<string_lit>> {};
struct step_item : p::if_must<tok<kw_step>, step_text, p::opt<cite>> {};
struct first_step : p::seq<step_item> {};
struct escalation_item : p::if_must<tok<kw_escalation>, first_step, p::star<step_item>> {};

// notice ::= "notice" IDENT STRING cite? notice_item*
struct notice_name : p::seq<tok<decl_name>> {};
struct notice_title : p::seq<tok<string_lit>> {};
struct notice_item : p::sor<applies_item, ground_item, issued_item, addressed_item, copy_item,
                            respond_item, escalation_item> {};
struct notice_decl
    : p::if_must<tok<kw_notice>, notice_name, notice_title, p::opt<cite>, p::star<notice_item>> {};

// every ::= "every" ( "term" | "half" "term" | sum ( "days" | "weeks" | "months" | "day" | "week"
//           | "month" ) ) ( "when" expr )?
// The term forms are tried first: `term` would otherwise be read as a name in the count.
struct unit_term : p::seq<kw_term> {};
struct unit_half_term : p::seq<tok<kw_half>, kw_term> {};
struct unit_days : p::sor<kw_days, kw_day> {};
struct unit_weeks : p::sor<kw_weeks, kw_week> {};
struct unit_months : p::sor<kw_months, kw_month> {};
// `every half term`: two words where a count and a unit belong. Refused before `half` is read
// as a count, so the error points at the word that is not a number.
struct word_not_count
    : p::seq<ident, skip, p::not_at<p::sor<unit_days, unit_weeks, unit_months>>, ident> {};
struct every_count : p::seq<p::not_at<word_not_count>, sum> {};
struct every_unit : p::sor<tok<unit_days>, tok<unit_weeks>, tok<unit_months>> {};
struct every_terms : p::sor<tok<unit_half_term>, tok<unit_term>> {};
struct every_interval : p::sor<every_terms, p::must<every_count, every_unit>> {};
struct every_item : p::if_must<tok<kw_every>, every_interval, p::opt<alt_when>> {};
// dates ::= "on" "dates" "of" IDENT
struct dates_param : ident {};
struct dates_of : p::seq<tok<kw_of>> {};
struct dates_name : p::seq<tok<dates_param>> {};
struct dates_item : p::if_must<p::seq<tok<kw_on>, tok<kw_dates>>, dates_of, dates_name> {};
// from ::= "from" expr
struct from_value : p::seq<expr> {};
struct from_item : p::if_must<tok<kw_from>, from_value> {};
// never ::= "if" "never" "," "due" "on" expr
struct never_comma : p::seq<tok<comma>> {};
struct due_on : p::seq<tok<kw_due>, tok<kw_on>> {};
struct never_value : p::seq<expr> {};
struct never_item
    : p::if_must<p::seq<tok<kw_if>, tok<kw_never>>, never_comma, due_on, never_value> {};
// cap ::= "no" "later" "than" expr ( "when" expr )?
struct cap_than : p::seq<tok<kw_than>> {};
struct cap_value : p::seq<expr> {};
struct cap_item
    : p::if_must<p::seq<tok<kw_no>, tok<kw_later>>, cap_than, cap_value, p::opt<alt_when>> {};
// lasting ::= "lasting" expr ( "when" expr )?;  reviewers ::= "reviewers" expr ( "when" expr )?
struct lasting_value : p::seq<expr> {};
struct lasting_item : p::if_must<tok<kw_lasting>, lasting_value, p::opt<alt_when>> {};
struct reviewers_value : p::seq<expr> {};
struct reviewers_item : p::if_must<tok<kw_reviewers>, reviewers_value, p::opt<alt_when>> {};

// cadence ::= "cadence" IDENT STRING cite? cadence_item*
struct cadence_name : p::seq<tok<decl_name>> {};
struct cadence_title : p::seq<tok<string_lit>> {};
struct cadence_item : p::sor<applies_item, every_item, dates_item, from_item, never_item, cap_item,
                             lasting_item, reviewers_item> {};
struct cadence_decl : p::if_must<tok<kw_cadence>, cadence_name, cadence_title, p::opt<cite>,
                                 p::star<cadence_item>> {};

// warning ::= "warn" IDENT STRING "when" expr cite?
// Read aloud: warn expired_override "An adviser's override has expired" when ... cite "...".
// The shape of a notice's ground (name, wording, condition, citation), as the two say the same
// kind of thing: these words, for the records this condition holds for.
struct warn_name : p::seq<tok<decl_name>> {};
struct warn_message : p::seq<tok<string_lit>> {};
struct warn_when : p::seq<tok<kw_when>> {};
struct warn_condition : p::seq<clause_expr> {};
struct warn_decl
    : p::if_must<tok<kw_warn>, warn_name, warn_message, warn_when, warn_condition, p::opt<cite>> {};

// decl ::= header | use | enumeration | scale | record | parameter | define | decide | output
//        | calendar | notice | cadence | source | warning
struct decl : p::sor<header_decl, use_decl, enum_decl, scale_decl, record_decl, param_decl,
                     define_decl, decide_decl, output_decl, calendar_decl, notice_decl,
                     cadence_decl, source_decl, warn_decl> {};

// file ::= decl*   (without error recovery; the parser drives `decl` itself to recover)
struct file : p::seq<skip, p::star<decl>, p::eof> {};

// ---- Parse state, hooks and error messages --------------------------------------------------

// What the control hooks keep while one declaration is parsed.
struct ParseState {
  const char* base = nullptr;  // the first byte of the file: offsets are relative to it
  int depth = 0;               // open brackets, `if`, `not`, `-` and `of`, at most kMaxNesting
  std::vector<const char*> brackets;   // the open `(` and `[`, innermost last
  const char* string_start = nullptr;  // the opening quote of the string being read
  const char* mark = nullptr;          // where the name being read starts
  const char* nest_start = nullptr;    // where the innermost nesting rule started
  std::string decl_name;               // the declaration being read, for messages
  std::string field_name;              // the field being read
  std::string rule_name;               // the rule being read

  void reset() {
    depth = 0;
    brackets.clear();
    string_start = mark = nest_start = nullptr;
    decl_name.clear();
    field_name.clear();
    rule_name.clear();
  }
};

// What a `must` point expects, in house style. `{name}`, `{field}` and `{rule}` are replaced by
// the declaration, field and rule being read.
struct Expectation {
  const char* what = nullptr;  // "`then`", "an expression"
  const char* context = "";    // "after the condition of rule `{rule}`"
  const char* hint = "";
  DiagnosticKind kind = DiagnosticKind::E0001;
  bool wants_name = false;  // a new name is expected here (a reserved word gets a hint)
  bool closes = false;      // closes the innermost open bracket
};

template <typename Rule>
inline constexpr Expectation expected{};
template <typename R>
inline constexpr Expectation expected<tok<R>> = expected<R>;

// clang-format off
template <> inline constexpr Expectation expected<string_escaped> = {.what = "`\\\"` or `\\\\` after `\\` in a string", .hint = "a string may contain only the escapes `\\\"` and `\\\\`; write `\\\\` for a backslash"};
template <> inline constexpr Expectation expected<string_body> = {.what = "the text of a string"};
template <> inline constexpr Expectation expected<string_close> = {.what = "`\"`", .context = "to close the string", .hint = "a string ends on the line it starts; close it with `\"`", .kind = DiagnosticKind::E0002};
template <> inline constexpr Expectation expected<list_item> = {.what = "an expression", .context = "after `,` in the list"};
template <> inline constexpr Expectation expected<list_close> = {.what = "`]`", .context = "to close the list", .kind = DiagnosticKind::E0003, .closes = true};
template <> inline constexpr Expectation expected<paren_inner> = {.what = "an expression", .context = "after `(`"};
template <> inline constexpr Expectation expected<paren_close> = {.what = "`)`", .kind = DiagnosticKind::E0003, .closes = true};
template <> inline constexpr Expectation expected<call_arg> = {.what = "an argument", .context = "after `,`"};
template <> inline constexpr Expectation expected<call_close> = {.what = "`)`", .context = "to end the arguments", .kind = DiagnosticKind::E0003, .closes = true};
template <> inline constexpr Expectation expected<of_value> = {.what = "a value", .context = "after `of`"};
template <> inline constexpr Expectation expected<neg_operand> = {.what = "a value", .context = "after `-`"};
template <> inline constexpr Expectation expected<mul_rhs> = {.what = "a value", .context = "after `*`"};
template <> inline constexpr Expectation expected<div_rhs> = {.what = "a value", .context = "after `/`"};
template <> inline constexpr Expectation expected<add_rhs> = {.what = "a value", .context = "after `+`"};
template <> inline constexpr Expectation expected<sub_rhs> = {.what = "a value", .context = "after `-`"};
template <> inline constexpr Expectation expected<is_not_rhs> = {.what = "a value or `missing`", .context = "after `is not`"};
template <> inline constexpr Expectation expected<is_body> = {.what = "a value or `missing`", .context = "after `is`"};
template <> inline constexpr Expectation expected<in_list> = {.what = "a list like `[a, b]`", .context = "after `in`", .hint = "write the choices in square brackets: `in [a, b]`"};
template <> inline constexpr Expectation expected<between_low> = {.what = "a lower bound", .context = "after `between`"};
template <> inline constexpr Expectation expected<between_and> = {.what = "`and`", .context = "after the lower bound of `between`", .hint = "write `between low and high`"};
template <> inline constexpr Expectation expected<between_high> = {.what = "an upper bound", .context = "after `and` in `between`"};
template <> inline constexpr Expectation expected<cmp_rhs> = {.what = "a value", .context = "after the comparison"};
template <> inline constexpr Expectation expected<worse_than> = {.what = "`than`", .context = "after `worse`"};
template <> inline constexpr Expectation expected<worse_rhs> = {.what = "a value", .context = "after `worse than`"};
template <> inline constexpr Expectation expected<better_than> = {.what = "`than`", .context = "after `better`"};
template <> inline constexpr Expectation expected<better_rhs> = {.what = "a value", .context = "after `better than`"};
template <> inline constexpr Expectation expected<at_least_rhs> = {.what = "a value", .context = "after `at least`"};
template <> inline constexpr Expectation expected<at_worst_rhs> = {.what = "a value", .context = "after `at worst`"};
template <> inline constexpr Expectation expected<at_body> = {.what = "`least` or `worst`", .context = "after `at`"};
template <> inline constexpr Expectation expected<not_operand> = {.what = "an expression", .context = "after `not`"};
template <> inline constexpr Expectation expected<and_rhs> = {.what = "an expression", .context = "after `and`"};
template <> inline constexpr Expectation expected<or_rhs> = {.what = "an expression", .context = "after `or`"};
template <> inline constexpr Expectation expected<missing_default> = {.what = "a value", .context = "after `if missing`"};
template <> inline constexpr Expectation expected<clause_default> = {.what = "the value to use when a figure is missing", .context = "after `, or`", .hint = "write `, or no if any figure is missing` at the end of the condition or value"};
template <> inline constexpr Expectation expected<clause_if_missing> = {.what = "`if any figure is missing`", .context = "after `, or` and its value", .hint = "the clause reads `, or VALUE if any figure is missing`; a value with `and` or `or` in it goes in brackets"};
template <> inline constexpr Expectation expected<if_cond> = {.what = "a condition", .context = "after `if`"};
template <> inline constexpr Expectation expected<if_then> = {.what = "`then`", .context = "after the condition of `if`"};
template <> inline constexpr Expectation expected<if_then_value> = {.what = "a value", .context = "after `then`"};
template <> inline constexpr Expectation expected<if_else> = {.what = "`else`", .context = "after `if ... then ...`", .hint = "an `if` expression needs an `else` part: `if c then a else b`"};
template <> inline constexpr Expectation expected<if_else_value> = {.what = "a value", .context = "after `else`"};
template <> inline constexpr Expectation expected<cite_text> = {.what = "a string", .context = "after `cite`", .hint = "write the paragraph of the policy in quotes, like `cite \"section 5\"`"};
template <> inline constexpr Expectation expected<policy_title> = {.what = "the policy's title in quotes", .context = "after `policy`", .hint = "for example `policy \"School categorisation\"`"};
template <> inline constexpr Expectation expected<dotted_next> = {.what = "a name", .context = "after `.` in the module name"};
template <> inline constexpr Expectation expected<use_target> = {.what = "a module name or a file path in quotes", .context = "after `use`", .hint = "for example `use stdlib.ofsted` or `use \"measures.policy\"`"};
template <> inline constexpr Expectation expected<member_next> = {.what = "a member", .context = "after `,` in `{name}`", .hint = "a member is a name, a whole number or a string in quotes, with an optional description in quotes"};
template <> inline constexpr Expectation expected<first_member> = {.what = "a member", .context = "after `:` in `{name}`", .hint = "a member is a name, a whole number or a string in quotes, with an optional description in quotes"};
// `members` is the must point after `:`, so an empty member list reports as its first member.
template <> inline constexpr Expectation expected<members> = expected<first_member>;
template <> inline constexpr Expectation expected<enum_name> = {.what = "a name", .context = "after `enumeration`", .wants_name = true};
template <> inline constexpr Expectation expected<enum_colon> = {.what = "`:`", .context = "before the members of enumeration `{name}`"};
template <> inline constexpr Expectation expected<scale_name> = {.what = "a name", .context = "after `scale`", .wants_name = true};
template <> inline constexpr Expectation expected<scale_order> = {.what = "`from best to worst`", .context = "after the name of scale `{name}`", .hint = "a scale lists its members from best to worst: `scale Grade from best to worst: ...`"};
template <> inline constexpr Expectation expected<scale_colon> = {.what = "`:`", .context = "before the members of scale `{name}`"};
template <> inline constexpr Expectation expected<column_header> = {.what = "the column's header in quotes", .context = "after `column`"};
template <> inline constexpr Expectation expected<means_word> = {.what = "`means`", .context = "after `missing` in field `{field}`", .hint = "write `missing means <value>`"};
template <> inline constexpr Expectation expected<means_value> = {.what = "a value", .context = "after `missing means` in field `{field}`"};
template <> inline constexpr Expectation expected<low_literal> = {.what = "a lower bound", .context = "after `between` in field `{field}`"};
template <> inline constexpr Expectation expected<bounds_and> = {.what = "`and`", .context = "after the lower bound in field `{field}`", .hint = "write `between low and high`"};
template <> inline constexpr Expectation expected<high_literal> = {.what = "an upper bound", .context = "after `and` in field `{field}`"};
template <> inline constexpr Expectation expected<field_opt> = {.what = "a field option", .context = "after `,` in field `{field}`", .hint = "the options are `column \"header\"`, `from <source> column \"header\"`, `key`, `shown`, `missing means <value>`, `between <low> and <high>`, `may be absent` and `required in its file`"};
template <> inline constexpr Expectation expected<field_name_exp> = {.what = "a field name", .context = "after `field`", .wants_name = true};
template <> inline constexpr Expectation expected<field_colon> = {.what = "`:`", .context = "after the field name `{field}`", .hint = "write `field name: type`"};
template <> inline constexpr Expectation expected<field_type> = {.what = "a type", .context = "after `:` in field `{field}`", .hint = "a type is `integer`, `number`, `percent`, `boolean`, `text`, `date`, `academic year` or a declared enumeration or scale"};
template <> inline constexpr Expectation expected<reading_word> = {.what = "a string", .context = "in the reading rule", .hint = "list the words in quotes, separated by commas"};
template <> inline constexpr Expectation expected<reading_words> = expected<reading_word>;
template <> inline constexpr Expectation expected<values_word> = {.what = "`values`", .context = "after `missing`", .hint = "write `missing values are \"\", \"x\"`"};
template <> inline constexpr Expectation expected<are_word> = {.what = "`are`"};
template <> inline constexpr Expectation expected<is_word> = {.what = "`is`", .hint = "write `yes is written \"yes\", \"y\"`"};
template <> inline constexpr Expectation expected<written_word> = {.what = "`written`"};
template <> inline constexpr Expectation expected<record_name> = {.what = "a name", .context = "after `record`", .wants_name = true};
template <> inline constexpr Expectation expected<param_to_exp> = {.what = "a year or date", .context = "after `to`"};
template <> inline constexpr Expectation expected<entry_colon> = {.what = "`:`", .context = "after the year or date in parameter `{name}`", .hint = "write an entry as `2014: 79` or `2016 to 2018: 65`"};
template <> inline constexpr Expectation expected<entry_value> = {.what = "a value", .context = "after `:` in parameter `{name}`"};
template <> inline constexpr Expectation expected<first_entry> = {.what = "an entry like `2014: 79`", .context = "in parameter `{name}`", .hint = "a parameter needs at least one entry: a year or date, `:` and a value"};
template <> inline constexpr Expectation expected<param_name> = {.what = "a name", .context = "after `parameter`", .wants_name = true};
template <> inline constexpr Expectation expected<param_colon> = {.what = "`:`", .context = "after the name of parameter `{name}`", .hint = "write `parameter name: type by year`"};
template <> inline constexpr Expectation expected<param_type> = {.what = "a type", .context = "after `:` in parameter `{name}`"};
template <> inline constexpr Expectation expected<param_by> = {.what = "`by year` or `by date`", .context = "after the type of parameter `{name}`"};
template <> inline constexpr Expectation expected<param_period> = {.what = "`year` or `date`", .context = "after `by` in parameter `{name}`"};
template <> inline constexpr Expectation expected<define_name> = {.what = "a name", .context = "after `define`", .wants_name = true};
template <> inline constexpr Expectation expected<define_type> = {.what = "a type", .context = "after `:` in the definition of `{name}`"};
template <> inline constexpr Expectation expected<define_equals> = {.what = "`=`", .context = "before the body of `{name}`", .hint = "write `define name = expression`"};
template <> inline constexpr Expectation expected<define_body> = {.what = "an expression", .context = "after `=` in the definition of `{name}`"};
template <> inline constexpr Expectation expected<rule_id_exp> = {.what = "a rule id like `R1`", .context = "after `rule`", .wants_name = true};
template <> inline constexpr Expectation expected<rule_title> = {.what = "the title of rule `{rule}` in quotes", .hint = "for example `rule R1 \"In an Ofsted category\"`"};
template <> inline constexpr Expectation expected<rule_condition> = {.what = "a condition", .context = "after `when` in rule `{rule}`"};
template <> inline constexpr Expectation expected<rule_then> = {.what = "`then`", .context = "after the condition of rule `{rule}`"};
template <> inline constexpr Expectation expected<rule_value> = {.what = "a value", .context = "after `then` in rule `{rule}`"};
template <> inline constexpr Expectation expected<otherwise_value> = {.what = "a value", .context = "after `otherwise` in rule `{rule}`"};
template <> inline constexpr Expectation expected<rule_body> = {.what = "`when` or `otherwise`", .context = "in rule `{rule}`", .hint = "a rule is `when <condition> then <value>` or `otherwise <value>`"};
template <> inline constexpr Expectation expected<first_rule> = {.what = "a `rule`", .context = "in decision `{name}`", .hint = "a decision needs at least one rule: `rule R1 \"title\" when ... then ...`"};
template <> inline constexpr Expectation expected<decide_name> = {.what = "a name", .context = "after `decide`", .wants_name = true};
template <> inline constexpr Expectation expected<decide_colon> = {.what = "`:`", .context = "after the name of decision `{name}`", .hint = "write `decide name: Type by first match`"};
template <> inline constexpr Expectation expected<decide_type> = {.what = "a type", .context = "after `:` in decision `{name}`"};
template <> inline constexpr Expectation expected<decide_policy> = {.what = "`by first match` or `by unique match`", .context = "after the type of decision `{name}`"};
template <> inline constexpr Expectation expected<column_label> = {.what = "a column name or a header in quotes", .context = "after `column`", .wants_name = true};
template <> inline constexpr Expectation expected<column_value> = {.what = "an expression", .context = "after `=` in the column"};
template <> inline constexpr Expectation expected<first_column> = {.what = "a `column`", .context = "after `output`", .hint = "list the output columns, one per line: `column urn`"};
template <> inline constexpr Expectation expected<calendar_name> = {.what = "a name", .context = "after `calendar`", .wants_name = true};
template <> inline constexpr Expectation expected<calendar_title> = {.what = "the calendar's title in quotes", .context = "after the name of calendar `{name}`"};
template <> inline constexpr Expectation expected<calendar_from> = {.what = "`from`", .context = "after the title of calendar `{name}`", .hint = "write `calendar name \"Title\" from \"file.csv\"`"};
template <> inline constexpr Expectation expected<calendar_file> = {.what = "a file name in quotes", .context = "after `from` in calendar `{name}`"};
template <> inline constexpr Expectation expected<alt_condition> = {.what = "a condition", .context = "after `when`"};
template <> inline constexpr Expectation expected<applies_to_word> = {.what = "`to`"};
template <> inline constexpr Expectation expected<applies_condition> = {.what = "a condition", .context = "after `applies to` in `{name}`"};
template <> inline constexpr Expectation expected<ground_id_exp> = {.what = "a ground id like `a`", .context = "after `ground` in notice `{name}`", .wants_name = true};
template <> inline constexpr Expectation expected<ground_wording> = {.what = "the ground's statutory wording in quotes", .context = "in notice `{name}`"};
template <> inline constexpr Expectation expected<ground_when> = {.what = "`when`", .context = "after the wording of a ground in notice `{name}`", .hint = "write `ground a \"wording\" when <condition>`"};
template <> inline constexpr Expectation expected<ground_condition> = {.what = "a condition", .context = "after `when` in a ground of notice `{name}`"};
template <> inline constexpr Expectation expected<issued_when_word> = {.what = "`when`", .context = "after `issued` in notice `{name}`"};
template <> inline constexpr Expectation expected<issued_body> = {.what = "`any ground holds` or a condition", .context = "after `issued when` in notice `{name}`"};
template <> inline constexpr Expectation expected<unless_condition> = {.what = "a condition", .context = "after `unless` in notice `{name}`"};
template <> inline constexpr Expectation expected<addressee> = {.what = "who it is addressed to, in quotes", .context = "in notice `{name}`", .hint = "for example `addressed to \"the chair of governors\"`"};
template <> inline constexpr Expectation expected<within_word> = {.what = "`within`", .context = "after `respond` in notice `{name}`"};
template <> inline constexpr Expectation expected<respond_count> = {.what = "a number of days", .context = "after `respond within` in notice `{name}`"};
template <> inline constexpr Expectation expected<working_days> = {.what = "`working days`", .context = "after the response period of notice `{name}`", .hint = "write `respond within 15 working days`"};
template <> inline constexpr Expectation expected<step_text> = {.what = "the step in quotes", .context = "after `step` in notice `{name}`"};
template <> inline constexpr Expectation expected<first_step> = {.what = "a `step`", .context = "after `escalation` in notice `{name}`", .hint = "list the steps one per line: `step \"Appoint additional governors\"`"};
template <> inline constexpr Expectation expected<notice_name> = {.what = "a name", .context = "after `notice`", .wants_name = true};
template <> inline constexpr Expectation expected<notice_title> = {.what = "the notice's title in quotes", .context = "after the name of notice `{name}`"};
template <> inline constexpr Expectation expected<every_count> = {.what = "a number", .context = "after `every` in cadence `{name}`", .hint = "a cadence counts days, weeks or months, e.g. `every 6 weeks`, or school terms: `every term`, `every half term` (over a `calendar of terms`)"};
template <> inline constexpr Expectation expected<every_unit> = {.what = "`days`, `weeks` or `months`", .context = "after the interval of cadence `{name}`", .hint = "or write `every term` or `every half term`, counted over a `calendar of terms`"};
template <> inline constexpr Expectation expected<dates_of> = {.what = "`of`", .context = "after `on dates` in cadence `{name}`"};
template <> inline constexpr Expectation expected<dates_name> = {.what = "the name of a parameter `by date`", .context = "after `on dates of` in cadence `{name}`"};
template <> inline constexpr Expectation expected<from_value> = {.what = "a date", .context = "after `from` in cadence `{name}`"};
template <> inline constexpr Expectation expected<never_comma> = {.what = "`,`", .context = "after `if never` in cadence `{name}`", .hint = "write `if never, due on as_of`"};
template <> inline constexpr Expectation expected<due_on> = {.what = "`due on`", .context = "after `if never,` in cadence `{name}`"};
template <> inline constexpr Expectation expected<never_value> = {.what = "a date", .context = "after `due on` in cadence `{name}`"};
template <> inline constexpr Expectation expected<cap_than> = {.what = "`than`", .context = "after `no later` in cadence `{name}`"};
template <> inline constexpr Expectation expected<cap_value> = {.what = "a date", .context = "after `no later than` in cadence `{name}`"};
template <> inline constexpr Expectation expected<lasting_value> = {.what = "a duration", .context = "after `lasting` in cadence `{name}`"};
template <> inline constexpr Expectation expected<reviewers_value> = {.what = "a number of reviewers", .context = "after `reviewers` in cadence `{name}`"};
template <> inline constexpr Expectation expected<cadence_name> = {.what = "a name", .context = "after `cadence`", .wants_name = true};
template <> inline constexpr Expectation expected<cadence_title> = {.what = "the cadence's title in quotes", .context = "after the name of cadence `{name}`"};
template <> inline constexpr Expectation expected<source_ref> = {.what = "the name of a source", .context = "after `from` in field `{field}`", .hint = "write `from gias column \"EstablishmentName\"`, naming a declared `source`"};
template <> inline constexpr Expectation expected<absent_then_word> = {.what = "`then`", .context = "after `if absent` in field `{field}`", .hint = "write `if absent then previous category`"};
template <> inline constexpr Expectation expected<absent_previous_word> = {.what = "`previous`", .context = "after `if absent then` in field `{field}`", .hint = "write `if absent then previous category`"};
template <> inline constexpr Expectation expected<absent_previous_name> = {.what = "an output column's name", .context = "after `previous` in field `{field}`"};
template <> inline constexpr Expectation expected<in_word> = {.what = "`in`", .context = "after `required` in field `{field}`", .hint = "write `required in its file`"};
template <> inline constexpr Expectation expected<its_word> = {.what = "`its`", .context = "after `required in` in field `{field}`", .hint = "write `required in its file`"};
template <> inline constexpr Expectation expected<file_word> = {.what = "`file`", .context = "after `required in its` in field `{field}`", .hint = "write `required in its file`"};
template <> inline constexpr Expectation expected<be_word> = {.what = "`be`", .context = "after `may`", .hint = "write `may be absent`"};
template <> inline constexpr Expectation expected<absent_word> = {.what = "`absent`", .context = "after `may be`", .hint = "write `may be absent`"};
template <> inline constexpr Expectation expected<columns_word> = {.what = "`columns`", .context = "after `optional`", .hint = "write `optional columns may be absent`"};
template <> inline constexpr Expectation expected<may_word> = {.what = "`may`", .context = "after `optional columns`", .hint = "write `optional columns may be absent`"};
template <> inline constexpr Expectation expected<source_name> = {.what = "a name", .context = "after `source`", .wants_name = true};
template <> inline constexpr Expectation expected<source_title> = {.what = "the source's title in quotes", .context = "after the name of source `{name}`", .hint = "say what the file is, as the analyst knows it: `source gias \"Get Information About Schools (edubasealldata)\"`"};
template <> inline constexpr Expectation expected<key_column_word> = {.what = "`column`", .context = "after `key` in source `{name}`", .hint = "write `key column \"URN\"`"};
template <> inline constexpr Expectation expected<key_header> = {.what = "the key column's header in quotes", .context = "after `key column` in source `{name}`"};
template <> inline constexpr Expectation expected<encoding_name> = {.what = "an encoding in quotes", .context = "after `encoding is` in source `{name}`", .hint = "write `encoding is \"Windows-1252\"` or `encoding is \"UTF-8\"`"};
template <> inline constexpr Expectation expected<test_is> = {.what = "`is`", .context = "after the column of a row test in source `{name}`", .hint = "write `rows count when \"RECTYPE\" is 1`"};
template <> inline constexpr Expectation expected<test_value> = {.what = "a value in quotes or a whole number", .context = "in a row test of source `{name}`"};
template <> inline constexpr Expectation expected<count_word> = {.what = "`count`", .context = "after `rows` in source `{name}`", .hint = "write `rows count when \"RECTYPE\" is 1`"};
template <> inline constexpr Expectation expected<when_word> = {.what = "`when`", .context = "after `rows count` in source `{name}`"};
template <> inline constexpr Expectation expected<row_test> = {.what = "a column's header in quotes", .context = "in the row tests of source `{name}`", .hint = "write `rows count when \"LA (code)\" is 874 and \"EstablishmentStatus (name)\" is \"Open\"`"};
template <> inline constexpr Expectation expected<warn_name> = {.what = "a name", .context = "after `warn`", .wants_name = true};
template <> inline constexpr Expectation expected<warn_message> = {.what = "the warning's words in quotes", .context = "after the name of warning `{name}`", .hint = "say what is wrong as a policy officer would read it aloud: `warn expired_override \"An adviser's override has expired and is ignored\" when ...`"};
template <> inline constexpr Expectation expected<warn_when> = {.what = "`when`", .context = "after the words of warning `{name}`", .hint = "write `warn name \"words\" when <condition>`"};
template <> inline constexpr Expectation expected<warn_condition> = {.what = "a condition", .context = "after `when` in warning `{name}`"};
// clang-format on

// The rules whose start and end the control hooks watch.
template <typename Rule>
inline constexpr bool is_bracket =
    std::is_same_v<Rule, paren_expr> || std::is_same_v<Rule, list_expr> ||
    std::is_same_v<Rule, call_args>;
template <typename Rule>
inline constexpr bool is_nesting =
    is_bracket<Rule> || std::is_same_v<Rule, if_expr> || std::is_same_v<Rule, not_op> ||
    std::is_same_v<Rule, neg> || std::is_same_v<Rule, of_arg>;
template <typename Rule>
inline constexpr bool is_name = std::is_same_v<Rule, decl_name> ||
                                std::is_same_v<Rule, field_name> || std::is_same_v<Rule, rule_id>;
// Ground ids reuse the rule slot for messages.

// A syntax error found while parsing: parser.cpp turns it into a diagnostic.
struct SyntaxFailure {
  DiagnosticKind kind = DiagnosticKind::E0001;
  const char* at = nullptr;  // where the problem was found (the offending token)
  std::string what;          // what was expected there
  std::string context;       // "after `when` in rule `R1`", or empty
  std::string hint;
  bool wants_name = false;
  const char* opener = nullptr;  // E0002: the opening quote; E0003: the open bracket
};

inline std::string fill_in(const char* text, const ParseState& s) {
  std::string out;
  for (const char* c = text; *c != '\0'; ++c) {
    std::string_view rest(c);
    auto put = [&](std::string_view key, const std::string& value) {
      if (!rest.starts_with(key)) return false;
      out += value;
      c += key.size() - 1;
      return true;
    };
    if (put("{name}", s.decl_name) || put("{field}", s.field_name) || put("{rule}", s.rule_name)) {
      continue;
    }
    out += *c;
  }
  return out;
}

// The control: `normal` plus the hooks above, and errors raised as `SyntaxFailure`.
template <typename Rule>
struct control : p::normal<Rule> {
  template <typename ParseInput>
  static void start(const ParseInput& in, ParseState& s) {
    if constexpr (std::is_same_v<Rule, depth_check>) {
      if (s.depth > kMaxNesting) {
        SyntaxFailure f;
        f.kind = DiagnosticKind::E0004;
        f.at = s.nest_start;
        throw f;
      }
    }
    if constexpr (is_nesting<Rule>) {
      ++s.depth;
      s.nest_start = in.current();
      if constexpr (is_bracket<Rule>) s.brackets.push_back(in.current());
    }
    if constexpr (std::is_same_v<Rule, string_lit>) s.string_start = in.current();
    if constexpr (is_name<Rule>) s.mark = in.current();
  }

  template <typename ParseInput>
  static void success(const ParseInput& in, ParseState& s) {
    if constexpr (is_nesting<Rule>) leave(s);
    if constexpr (is_name<Rule>) {
      std::string name(s.mark, in.current());
      if constexpr (std::is_same_v<Rule, decl_name>) s.decl_name = std::move(name);
      if constexpr (std::is_same_v<Rule, field_name>) s.field_name = std::move(name);
      if constexpr (std::is_same_v<Rule, rule_id>) s.rule_name = std::move(name);
    }
  }

  template <typename ParseInput>
  static void failure(const ParseInput& /*in*/, ParseState& s) {
    if constexpr (is_nesting<Rule>) leave(s);
  }

  template <typename ParseInput>
  [[noreturn]] static void raise(const ParseInput& in, ParseState& s) {
    constexpr const Expectation& e = expected<Rule>;
    SyntaxFailure f;
    f.kind = e.kind;
    f.at = in.current();
    f.what = e.what != nullptr ? fill_in(e.what, s) : std::string("something else");
    f.context = fill_in(e.context, s);
    f.hint = e.hint;
    f.wants_name = e.wants_name;
    if constexpr (std::is_same_v<Rule, string_close>) f.opener = s.string_start;
    if (e.closes && !s.brackets.empty()) f.opener = s.brackets.back();
    throw f;
  }

 private:
  static void leave(ParseState& s) {
    if (s.depth > 0) --s.depth;
    if constexpr (is_bracket<Rule>) {
      if (!s.brackets.empty()) s.brackets.pop_back();
    }
  }
};

}  // namespace catengine::lang::grammar
