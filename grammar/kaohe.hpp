// The kaohe rule language, as a PEGTL grammar.
//
// This file is the language's reference: it holds rules only, no actions. The parser
// (lib/parse/) builds the AST from the parse tree of `grammar::file`; the error messages that
// a failed `must<>` reports are in grammar/messages.hpp, one per rule named here.
//
// Layout of a rule file:
//
//   policy "县科协岗位责任制及效能考核" version "2022" year 2022 round 2 half_up total 100
//   include "common.kh"
//   attribute issuer "颁奖机关" { unit "本单位", county_gov "县委政府" }
//   group leadership "领导班子成员"
//   event work_mistake "工作失误" amount 3..5
//   event individual_award "个人获奖" { issuer }
//   event unit_excellent "单位考核为优秀格次" unit
//   measure county_target_score "县综合目标考核得分" decimal 0..100
//   measure rating "民主测评" scale { 优秀: 95, 良好: 85, 一般: 75, 较差: 65 }
//   rating review "民主测评" marks 0..100 mean dropping highest and lowest
//   rating votes "民主测评票" votes { excellent "优秀", competent "称职", basic "基本称职" }
//   fact has_system "是否建立考勤制度" yes/no
//   standing village_kind "村类型" { autonomous "村民自治村", qualified "合格村", other "其他" }
//   section public "公共部分" 40 { section ... { clause ... { deduct ... } } }
//   role chair "党组书记、主席" total 100 { section personal "个人部分" 60 { ... } }
//   grades { "优秀" >= 90, "称职" >= 60, "不称职" otherwise }
//   veto veto_event forces "不称职"
//   veto warning_sanction caps "称职"
//   grade "不称职" when count(absent) > 15 or longest_run(absent) >= 5
//   flag further_action "另作处理" when count(absent) >= 10 cite "第八条"
//   coefficient pay_factor "考核系数" by grade { "优秀": 1.2, "称职": 1, otherwise: 0 }
//   test "..." { role chair  measures { ... }  events { ... }  expect total = 99 }
//
// Whitespace (including newlines) separates tokens anywhere; `#` starts a comment to the end
// of the line. Identifiers are letters, digits and `_` (not first a digit), and may contain
// non-ASCII letters and combining marks, so Chinese identifiers work; other characters (full-width
// forms, other digits, punctuation, Unicode spaces, invisible characters): those stand nowhere outside
// quotes and comments, and the parser names them where they are. A UTF-8 byte-order mark may
// open the file. Keywords are not reserved: a keyword is recognised only where the grammar
// expects it.
#pragma once

#include <string_view>

#include <tao/pegtl.hpp>
#include <tao/pegtl/contrib/analyze_traits.hpp>

#include "support/utf8.hpp"

namespace kaohe::grammar {

using namespace tao::pegtl;
using kaohe::CodePoint;
using kaohe::decode_at;
using kaohe::name_continue;
using kaohe::name_start;

// ---------------------------------------------------------------------------------------------
// Lexical

struct comment : seq<one<'#'>, until<eolf>> {};
struct space_char : one<' ', '\t', '\r', '\n'> {};
struct _ : star<sor<space_char, comment>> {};  // optional whitespace and comments

// Name characters outside ASCII, by their Unicode properties (lib/support/utf8.hpp, `name_start`
// and `name_continue`): letters of any script start a name, letters and combining marks continue
// it. Everything else outside ASCII (full-width forms, digits of other scripts, look-alikes of
// operators, spaces, invisible and blank-looking characters, punctuation, symbols) stands nowhere
// outside quotes and comments, so the parse stops at it and the parser names it there.
template <bool Start>
struct wide_name_char {
    using rule_t = wide_name_char;
    using subs_t = empty_list;
    template <typename ParseInput>
    static bool match(ParseInput& in) {
        if (in.empty() || static_cast<unsigned char>(in.peek_char()) < 0x80) return false;
        const std::size_t avail = in.size(4);
        const CodePoint cp = decode_at(std::string_view(in.current(), avail < 4 ? avail : 4), 0);
        if (cp.length < 2 || !(Start ? name_start(cp.value) : name_continue(cp.value))) return false;
        in.bump_in_this_line(cp.length);
        return true;
    }
};
struct name_char_wide : wide_name_char<false> {};
struct ident_first : sor<ranges<'a', 'z', 'A', 'Z', '_'>, wide_name_char<true>> {};
struct ident_rest : sor<ranges<'a', 'z', 'A', 'Z', '0', '9', '_'>, name_char_wide> {};
struct name : seq<ident_first, star<ident_rest>> {};

template <typename Str>
struct kw : seq<Str, not_at<ident_rest>> {};

#define KAOHE_KEYWORD(id, text) \
    struct kw_##id : kw<TAO_PEGTL_STRING(text)> {};
KAOHE_KEYWORD(policy, "policy")
KAOHE_KEYWORD(version, "version")
KAOHE_KEYWORD(year, "year")
KAOHE_KEYWORD(round, "round")
KAOHE_KEYWORD(report, "report")
KAOHE_KEYWORD(places, "places")
KAOHE_KEYWORD(place, "place")
KAOHE_KEYWORD(include, "include")
KAOHE_KEYWORD(attribute, "attribute")
KAOHE_KEYWORD(group, "group")
KAOHE_KEYWORD(event, "event")
KAOHE_KEYWORD(measure, "measure")
KAOHE_KEYWORD(role, "role")
KAOHE_KEYWORD(section, "section")
KAOHE_KEYWORD(clause, "clause")
KAOHE_KEYWORD(cite, "cite")
KAOHE_KEYWORD(flag_decl, "flag")
KAOHE_KEYWORD(coefficient, "coefficient")
KAOHE_KEYWORD(uncapped, "uncapped")
KAOHE_KEYWORD(floor_kw, "floor")
KAOHE_KEYWORD(none, "none")
KAOHE_KEYWORD(from, "from")
KAOHE_KEYWORD(full, "full")
KAOHE_KEYWORD(within, "within")
KAOHE_KEYWORD(weight, "weight")
KAOHE_KEYWORD(deduct, "deduct")
KAOHE_KEYWORD(add, "add")
KAOHE_KEYWORD(each, "each")
KAOHE_KEYWORD(per, "per")
KAOHE_KEYWORD(short_, "short")
KAOHE_KEYWORD(of, "of")
KAOHE_KEYWORD(below, "below")
KAOHE_KEYWORD(above, "above")
KAOHE_KEYWORD(in, "in")
KAOHE_KEYWORD(at, "at")
KAOHE_KEYWORD(most, "most")
KAOHE_KEYWORD(times, "times")
KAOHE_KEYWORD(if_, "if")
KAOHE_KEYWORD(unless, "unless")
KAOHE_KEYWORD(when, "when")
KAOHE_KEYWORD(then, "then")
KAOHE_KEYWORD(else_, "else")
KAOHE_KEYWORD(where, "where")
KAOHE_KEYWORD(amount, "amount")
KAOHE_KEYWORD(by, "by")
KAOHE_KEYWORD(whole, "whole")
KAOHE_KEYWORD(decimal, "decimal")
KAOHE_KEYWORD(scale, "scale")
KAOHE_KEYWORD(fact, "fact")
KAOHE_KEYWORD(value_decl, "value")
KAOHE_KEYWORD(month, "month")
KAOHE_KEYWORD(quarter, "quarter")
KAOHE_KEYWORD(mean, "mean")
KAOHE_KEYWORD(period_kw, "period")
KAOHE_KEYWORD(standing, "standing")
KAOHE_KEYWORD(facts, "facts")
KAOHE_KEYWORD(yes, "yes")
KAOHE_KEYWORD(no, "no")
KAOHE_KEYWORD(default_, "default")
KAOHE_KEYWORD(rounding, "rounding")
KAOHE_KEYWORD(up, "up")
KAOHE_KEYWORD(down, "down")
KAOHE_KEYWORD(quota, "quota")
KAOHE_KEYWORD(nearest, "nearest")
KAOHE_KEYWORD(ties, "ties")
KAOHE_KEYWORD(all_in, "all_in")
KAOHE_KEYWORD(all_out, "all_out")
KAOHE_KEYWORD(linear, "linear")
KAOHE_KEYWORD(half_up, "half_up")
KAOHE_KEYWORD(half_even, "half_even")
KAOHE_KEYWORD(and_, "and")
KAOHE_KEYWORD(or_, "or")
KAOHE_KEYWORD(not_, "not")
KAOHE_KEYWORD(count, "count")
KAOHE_KEYWORD(longest_run, "longest_run")
KAOHE_KEYWORD(sum, "sum")
KAOHE_KEYWORD(min, "min")
KAOHE_KEYWORD(max, "max")
KAOHE_KEYWORD(ceil, "ceil")
KAOHE_KEYWORD(grades, "grades")
KAOHE_KEYWORD(otherwise, "otherwise")
KAOHE_KEYWORD(veto, "veto")
KAOHE_KEYWORD(forces, "forces")
KAOHE_KEYWORD(caps, "caps")
KAOHE_KEYWORD(test, "test")
KAOHE_KEYWORD(groups, "groups")
KAOHE_KEYWORD(measures, "measures")
KAOHE_KEYWORD(events, "events")
KAOHE_KEYWORD(unit, "unit")
KAOHE_KEYWORD(record, "record")
KAOHE_KEYWORD(expect, "expect")
KAOHE_KEYWORD(total, "total")
KAOHE_KEYWORD(grade, "grade")
KAOHE_KEYWORD(rounded, "rounded")
KAOHE_KEYWORD(error, "error")
KAOHE_KEYWORD(warning, "warning")
KAOHE_KEYWORD(count_field, "count")
KAOHE_KEYWORD(date, "date")
KAOHE_KEYWORD(note, "note")
KAOHE_KEYWORD(id, "id")
KAOHE_KEYWORD(rating, "rating")
KAOHE_KEYWORD(ratings, "ratings")
KAOHE_KEYWORD(marks, "marks")
KAOHE_KEYWORD(dropping, "dropping")
KAOHE_KEYWORD(highest, "highest")
KAOHE_KEYWORD(lowest, "lowest")
KAOHE_KEYWORD(population, "population")
KAOHE_KEYWORD(rank, "rank")
KAOHE_KEYWORD(votes, "votes")
KAOHE_KEYWORD(share, "share")
KAOHE_KEYWORD(unit_mean, "unit_mean")
KAOHE_KEYWORD(unit_rank, "unit_rank")
KAOHE_KEYWORD(unit_size, "unit_size")
KAOHE_KEYWORD(for_, "for")
#undef KAOHE_KEYWORD

struct digits : plus<digit> {};
// `1e3`, `2.5E-1`: a rule file writes numbers out in full; an exponent is named where it stands
// (a digit, `e` and a digit never start anything else).
struct number_exponent : failure {};
struct exponent_rest : seq<at<one<'e', 'E'>, opt<one<'+', '-'>>, digit>, must<number_exponent>> {};
// An unsigned decimal literal: 5, 93.5. `3..5` lexes as 3, `..`, 5.
struct number : seq<digits, opt<one<'.'>, digits>, opt<exponent_rest>> {};
struct neg_sign : one<'-'> {};
struct signed_number : seq<opt<neg_sign>, number> {};
struct integer : seq<digits, opt<exponent_rest>> {};
// `0,5`: a decimal comma, named where a number cannot be followed by a comma and a digit.
struct decimal_comma : failure {};

// Only these four escapes exist; any other backslash (a Windows path, `\u00e9`) is an error at
// the backslash, not a string that seems to run on.
struct escape_char : one<'"', '\\', 'n', 't'> {};
struct escape : seq<one<'\\'>, must<escape_char>> {};
struct string_char : sor<escape, seq<not_one<'"', '\\', '\n', '\r'>>> {};
struct string_body : star<string_char> {};
struct string_close : one<'"'> {};
struct quoted : seq<one<'"'>, string_body, must<string_close>> {};

// Punctuation, each with its own name so that a missing one is reported in words.
struct lbrace : one<'{'> {};
struct rbrace : one<'}'> {};
struct lparen : one<'('> {};
struct rparen : one<')'> {};
struct colon : one<':'> {};
struct comma : one<','> {};
struct dotdot : string<'.', '.'> {};

// ---------------------------------------------------------------------------------------------
// Expressions: the general core under every scoring form.
//
//   or  <  and  <  not  <  comparison  <  + -  <  * /  <  unary -  <  primary

struct expr;
struct label : quoted {};
struct expr_in_parens : seq<lparen, _, must<expr>, _, must<rparen>> {};
struct event_filter;
struct count_call : seq<kw_count, _, must<lparen>, _, must<event_filter>, _, must<rparen>> {};
struct sum_call : seq<kw_sum, _, must<lparen>, _, must<kw_amount>, _, must<kw_of>, _, must<event_filter>, _,
                      must<rparen>> {};
// `longest_run(absent)` ("连续旷工"): the most consecutive calendar days with such an event. Not
// reserved: without `(` it is a name.
struct run_call : seq<kw_longest_run, _, lparen, _, must<event_filter>, _, must<rparen>> {};
// `unit_mean(total)`, `unit_rank(total)`, `unit_size(total)`: the person's unit in a batch
// ("低于全组平均", "排名在后二分之一"); read only by grade rules and flags. Not reserved.
struct fn_name : sor<kw_min, kw_max, kw_floor_kw, kw_ceil, kw_unit_mean, kw_unit_rank, kw_unit_size> {};
struct call_args : seq<expr, star<_, comma, _, must<expr>>> {};
struct fn_close : rparen {};
struct fn_call : seq<fn_name, _, lparen, _, must<call_args>, _, must<fn_close>> {};
struct if_expr : seq<kw_if_, _, must<expr>, _, must<kw_then>, _, must<expr>, _, must<kw_else_>, _, must<expr>> {};
// `share(votes for excellent, competent)`: the fraction of a vote rating's votes cast for those
// grades ("优秀和称职票占比"). `share` is not reserved: without `(` it is a name.
struct share_rating : name {};
struct share_grade : name {};
struct share_call : seq<kw_share, _, lparen, _, must<share_rating>, _, must<kw_for_>, _, must<share_grade>,
                        star<_, comma, _, must<share_grade>>, _, must<rparen>> {};
struct amount_ref : kw_amount {};
struct name_ref : name {};
struct number_lit : number {};
struct primary : sor<number_lit, expr_in_parens, if_expr, count_call, sum_call, run_call, share_call, fn_call, amount_ref, name_ref> {};

struct op_neg : one<'-'> {};
struct unary;
struct negation : seq<op_neg, _, must<unary>> {};
struct unary : sor<negation, primary> {};

struct op_mul : one<'*'> {};
struct op_div : one<'/'> {};
struct mul_operand : unary {};  // the same, with its own message
struct product : seq<unary, star<_, sor<op_mul, op_div>, _, must<mul_operand>>> {};

struct op_add : one<'+'> {};
struct op_sub : one<'-'> {};
struct sum_expr : seq<product, star<_, sor<op_add, op_sub>, _, must<product>>> {};

struct op_ge : string<'>', '='> {};
struct op_le : string<'<', '='> {};
struct op_ne : string<'!', '='> {};
struct op_eq : seq<one<'='>, opt<one<'='>>> {};
struct op_gt : one<'>'> {};
struct op_lt : one<'<'> {};
struct cmp_op : sor<op_ge, op_le, op_ne, op_eq, op_gt, op_lt> {};
// `issuer in (unit, county)`: the language has no list membership.
struct in_list : failure {};
struct in_list_form : seq<at<kw_in, _, one<'('>>, must<in_list>> {};
struct comparison : seq<sum_expr, opt<_, sor<seq<cmp_op, _, must<sum_expr>>, in_list_form>>> {};

// `&&`, `||` and `!` from other languages: never valid outside quotes (`!=` is), so each is named
// where it stands instead of ending the expression early.
struct c_and : failure {};
struct c_or : failure {};
struct c_not : failure {};
struct c_logic : sor<seq<at<one<'&'>>, must<c_and>>, seq<at<one<'|'>>, must<c_or>>> {};
struct c_negation : seq<at<one<'!'>>, not_at<string<'!', '='>>, must<c_not>> {};
struct logical_not;
struct negatable : sor<logical_not, c_negation, comparison> {};
struct logical_not : seq<kw_not_, _, must<negatable>> {};
struct conjunction : seq<negatable, star<_, kw_and_, _, must<negatable>>> {};
struct disjunction : seq<conjunction, star<_, kw_or_, _, must<conjunction>>, opt<_, c_logic>> {};
struct expr : disjunction {};

// `work_mistake`, or `individual_award where issuer = unit`
struct event_name : name {};
struct filter_cond : expr {};
struct event_filter : seq<event_name, opt<_, kw_where, _, must<filter_cond>>> {};

// ---------------------------------------------------------------------------------------------
// Rules inside a clause: sugar over expressions.
//
//   deduct 2 each study_absence
//   deduct amount each work_mistake
//   deduct 0.3 * floor(amount / 4) each missed_days
//   deduct 1 per 1000 short of 5000 in reading_notes_chars rounding up
//   deduct 1 per 2 below 95 in county_target_score linear
//   deduct 1 per 1 short of (if admin then 2 else 1) * weeks in lessons_observed rounding up
//   deduct science_pop_points_lost
//   add each individual_award by issuer { unit: 1, county_gov: 2 }
//   add each paper by journal_level { province: 3, city: 2, otherwise: 0 }
//   add each work_item_award by issuer { ... } times 1/2 if leadership
//   deduct 1 per 1 short of 30 in news_articles at most 5
//   add (if office then 2 else 1) each unit_excellent when not leadership
//   deduct 2 each late_report cite "第3项"

// The points per event: a number, `amount`, or arithmetic on the event's amount ("每天少4件扣0.3分":
// `deduct 0.3 * floor(amount / 4) each E`). `each` ends it, as no operand follows another.
struct per_each_value : seq<not_at<kw_each>, sum_expr> {};
struct table_key : name {};
struct table_value : number {};
// Table points are a plain number: a sign, a fraction or an expression after one is named.
struct table_points_form : failure {};
struct table_points_rest : seq<at<sor<one<'/', '*', '+', '-'>, seq<one<','>, digit>>>, must<table_points_form>> {};
struct table_entry : seq<table_key, _, must<colon>, _, must<table_value>, opt<_, table_points_rest>> {};
// `otherwise: N`: the points for every value the table does not list ("县级刊物不计分").
struct table_otherwise : kw_otherwise {};
struct table_default : seq<table_otherwise, _, must<colon>, _, must<table_value>, opt<_, table_points_rest>> {};
struct table_item : sor<table_default, table_entry> {};
struct table_entries : opt<table_item, star<_, opt<comma, _>, table_item>> {};
struct table_close : rbrace {};
struct table : seq<lbrace, _, table_entries, _, opt<comma, _>, must<table_close>> {};
struct by_attribute : name {};
struct by_table : seq<kw_by, _, must<by_attribute>, _, must<table>> {};
struct each_rule : seq<opt<per_each_value, _>, kw_each, _, must<event_filter>, opt<_, by_table>> {};
// `deduct 5 each month when count(absent) >= 3` ("每月3天以上扣5分"): the points once for each
// month (or quarter) of the year whose condition holds, its counts taken over that period's events.
// `month` and `quarter` after `each` name a period, never an event.
struct period_month : kw_month {};
struct period_quarter : kw_quarter {};
struct period_word : sor<period_month, period_quarter> {};
struct period_rule : seq<per_each_value, _, kw_each, _, period_word> {};

struct per_points : number {};
struct per_unit : number {};
// The threshold: a number, or arithmetic over measures and groups ("每周听课1节" × the weeks:
// `short of (if admin then 2 else 1) * weeks in lessons_observed`). No comparison, `and` or `or`
// outside parentheses: then `in` always ends it, as no operand follows another without an operator.
struct per_threshold : seq<not_at<kw_in>, sum_expr> {};  // `short of in M`: the threshold is missing
struct threshold_condition : failure {};  // `short of weeks > 2 in M`
struct threshold_not_condition : seq<at<sor<cmp_op, kw_and_, kw_or_>>, must<threshold_condition>> {};
struct short_of : seq<kw_short_, _, must<kw_of>> {};
struct shortfall_kind : sor<short_of, kw_below, kw_above> {};
struct per_measure : name {};
struct rounding_up : kw_up {};
struct rounding_down : kw_down {};
struct rounding_choice : sor<rounding_up, rounding_down> {};
struct rounding_linear : kw_linear {};
struct rounding_keyword : kw_rounding {};
struct per_rounding : sor<seq<rounding_keyword, _, must<rounding_choice>>, rounding_linear> {};
struct per_keyword : kw_per {};
struct per_rule : seq<per_points, _, per_keyword, _, must<per_unit>, _, must<shortfall_kind>, _, must<per_threshold>, _, opt<threshold_not_condition>,
                      must<kw_in>, _, must<per_measure>, opt<_, per_rounding>> {};

// `add by village_kind { autonomous: 2, qualified: 1, otherwise: 0 }`: points by a standing's value.
struct fact_table_rule : seq<at<kw_by>, by_table> {};
struct expr_rule : expr {};
struct rule_body : sor<period_rule, each_rule, per_rule, fact_table_rule, expr_rule> {};

struct cap_value : number {};
struct cap_suffix : seq<kw_at, _, must<kw_most>, _, must<cap_value>> {};
struct factor : seq<number, opt<at<one<','>, digit>, must<decimal_comma>>, opt<_, one<'/'>, _, must<number>>> {};
struct multiplier_if : kw_if_ {};
struct multiplier_unless : kw_unless {};
struct multiplier_cond : expr {};
struct multiplier_kind : sor<multiplier_if, multiplier_unless> {};
struct multiplier_suffix : seq<kw_times, _, must<factor>, _, must<multiplier_kind>, _,
                               must<multiplier_cond>> {};
struct when_cond : expr {};
struct when_suffix : seq<kw_when, _, must<when_cond>> {};
// `cite "第3项"`: the numbered item of the policy this rule scores, when several items share one
// clause's pool of points.
struct rule_citation : quoted {};
struct rule_cite : seq<kw_cite, _, must<rule_citation>> {};
struct rule_suffix : sor<cap_suffix, multiplier_suffix, when_suffix, rule_cite> {};

// Words that a plausible author writes after a rule where the language has none: each one has
// its own message (grammar/messages.hpp) instead of "expected `}`".
struct rule_sign : sor<kw_deduct, kw_add> {};
struct each_needs_simple_value : failure {};  // `deduct amount > 2 each E`
struct condition_needs_when : failure {};     // `deduct 1 each E if leadership`
struct one_event_per_rule : failure {};       // `deduct 1 each late, mistake`, `each late or mistake`
struct no_points_word : failure {};           // `deduct 2 points each E`
struct points_after_event : failure {};       // `deduct each E 2`
struct no_semicolon : failure {};             // `deduct 1 each E;`
struct kw_points_word : kw<TAO_PEGTL_STRING("points")> {};
struct kw_point_word : kw<TAO_PEGTL_STRING("point")> {};
struct kw_fen_word : kw<TAO_PEGTL_STRING("分")> {};
struct after_rule : sor<seq<at<kw_each>, must<each_needs_simple_value>>,
                        seq<at<sor<kw_if_, kw_unless>>, must<condition_needs_when>>,
                        seq<at<comma, digit>, must<decimal_comma>>,
                        seq<at<sor<seq<comma, _, not_at<rule_sign>, name>, kw_or_, kw_and_>>, must<one_event_per_rule>>,
                        seq<at<sor<kw_points_word, kw_point_word, kw_fen_word>>, must<no_points_word>>,
                        seq<at<digit>, must<points_after_event>>, seq<at<one<';'>>, must<no_semicolon>>> {};

struct rule : seq<rule_sign, _, must<rule_body>, star<_, rule_suffix>, opt<_, after_rule>> {};

// ---------------------------------------------------------------------------------------------
// Sections and clauses

struct max_points : number {};
struct max_uncapped : kw_uncapped {};
// `within 3`: an adjustment clause ("加减分合计不超过3分") that starts at 0, adds and deducts, and
// whose net is held between -3 and +3.
struct within_points : number {};
struct max_within : seq<kw_within, _, must<within_points>> {};
struct maximum : sor<max_points, max_uncapped, max_within> {};
// `clause c "c" -5 { ... }`, `5+5`, `2,5`: a maximum is a plain number, named as such.
struct maximum_form : failure {};
struct bad_maximum : seq<at<sor<seq<one<'-'>, _, digit>, seq<number, _, one<'+', '-', '*', '/'>>, seq<number, one<','>, digit>>>,
                         must<maximum_form>> {};
struct citation : quoted {};
struct cite : seq<kw_cite, _, must<citation>> {};
struct no_floor : seq<kw_floor_kw, _, must<kw_none>> {};
// `from 0`: an earned item, which starts at 0 and earns up to its maximum ("达到规定密度的计1分");
// `from full` writes out what a clause does without it: start at its maximum and lose.
struct start_full : kw_full {};
struct start_number : number {};
struct start_point : sor<start_full, start_number> {};
struct start_from : seq<kw_from, _, must<start_point>> {};
// `weight 70%` ("工作实绩占70%"): a part scored on its own card counts in its parent (or the total)
// as its score × 70/100. A percentage is a plain decimal (`12.5%`); a fraction is not one.
struct weight_percent : one<'%'> {};
struct weight_points : number {};
struct weight_value : seq<must<weight_points>, _, must<weight_percent>> {};
struct weight : seq<kw_weight, _, weight_value> {};
// `each quarter mean` ("每季度考核，全年取平均"): a section scored once per quarter (or month) of the
// year, each period's card from that period's events and inputs, the periods combined into the
// year by their `mean` or their `sum`. A second `mean` or `sum` is read, and named by the parser.
struct combine_mean : kw_mean {};
struct combine_sum : kw_sum {};
struct period_combine : sor<combine_mean, combine_sum> {};
struct node_period : seq<kw_each, _, must<period_word>, _, must<period_combine>, star<_, period_combine>> {};
// A maximum given again or after `cite`, `floor none` or `from` is read here and named by the parser.
struct node_header : seq<must<name>, _, must<label>, opt<_, sor<bad_maximum, maximum>>, star<_, sor<cite, no_floor, start_from, weight, node_period, maximum>>> {};

// Each block's closing brace has its own message, naming what the block may hold.
struct clause_close : rbrace {};
struct section_close : rbrace {};
struct role_close : rbrace {};
struct clause_body : seq<lbrace, _, star<rule, _>, must<clause_close>> {};
struct clause : seq<kw_clause, _, node_header, _, must<clause_body>> {};
struct section;
struct section_body : seq<lbrace, _, star<sor<section, clause>, _>, must<section_close>> {};
struct section : seq<kw_section, _, node_header, _, must<section_body>> {};

// ---------------------------------------------------------------------------------------------
// Declarations

struct policy_name : quoted {};
struct policy_version : seq<kw_version, _, must<quoted>> {};
struct policy_year : seq<kw_year, _, must<integer>> {};
struct rounding_mode : sor<kw_half_up, kw_half_even, kw_up, kw_down> {};
struct policy_round : seq<kw_round, _, must<integer>, _, must<rounding_mode>> {};
// The figures as the policy declares them (保留两位小数, 每项得分保留一位小数): `report 2 places
// half_up` rounds only what cards and results show; `round each clause 1 place half_up`, `round
// each section 2 places`, `round total 2 places` round inside the arithmetic, at that level. The
// mode may be left out: half_up, 四舍五入.
struct figure_places : integer {};
struct places_word : sor<kw_places, kw_place> {};
// `half-up` (as prose writes it) is named where it stands, not taken for the end of the header.
struct rounding_mode_hyphen : failure {};
struct hyphenated_mode : seq<at<TAO_PEGTL_STRING("half-")>, must<rounding_mode_hyphen>> {};
struct figure_rounding : seq<must<figure_places>, _, must<places_word>, opt<_, sor<rounding_mode, hyphenated_mode>>> {};
struct round_each_clause : seq<kw_each, _, kw_clause> {};
struct round_each_section : seq<kw_each, _, kw_section> {};
struct round_at_total : kw_total {};
struct round_level : sor<round_each_clause, round_each_section, round_at_total> {};
struct policy_round_level : seq<kw_round, _, round_level, _, figure_rounding> {};
struct policy_report : seq<kw_report, _, figure_rounding> {};
// `total 100`: what every card's capped top-level sections add up to (the checker says when not).
struct total_points : number {};
// `total -5`, `total 50+50`, `total 10,5`: a total is a plain number, named as such.
struct total_form : failure {};
struct bad_total : seq<at<sor<seq<one<'-'>, _, digit>, seq<number, _, one<'+', '-', '*', '/'>>, seq<number, one<','>, digit>>>,
                       must<total_form>> {};
struct card_total : seq<kw_total, _, sor<bad_total, must<total_points>>> {};
struct policy_decl : seq<kw_policy, _, must<policy_name>, star<_, sor<policy_version, policy_year, policy_round_level, policy_round, policy_report, card_total>>> {};

struct include_path : quoted {};
struct include_decl : seq<kw_include, _, must<include_path>> {};

struct attribute_value : seq<name, _, must<label>> {};
struct attribute_values_close : rbrace {};
struct attribute_values : seq<lbrace, _, opt<attribute_value, star<_, opt<comma, _>, attribute_value>>, _,
                              opt<comma, _>, must<attribute_values_close>> {};
struct attribute_decl : seq<kw_attribute, _, must<name>, _, must<label>, _, must<attribute_values>> {};

struct group_decl : seq<kw_group, _, must<name>, _, must<label>> {};

// A fact that is not a number, given in the record by name: `fact has_system "是否建立考勤制度"
// yes/no`, or a standing with a label per value, `standing village_kind "村类型" { autonomous
// "村民自治村", qualified "合格村", other "其他" }`; either may name a `default` value.
struct yes_no_slash : one<'/'> {};
struct yes_no : seq<kw_yes, _, must<yes_no_slash>, _, must<kw_no>> {};
struct fact_default_value : name {};
struct fact_default : seq<kw_default_, _, must<fact_default_value>> {};
// A `default` given twice is read, and named by the parser.
struct fact_decl : seq<kw_fact, _, must<name>, _, must<label>, _, must<yes_no>, star<_, fact_default>> {};
struct standing_values : attribute_values {};
struct standing_decl : seq<kw_standing, _, must<name>, _, must<label>, _, must<standing_values>, star<_, fact_default>> {};

// An amount may be signed ("复核加(扣)分 ±20": `amount -20..20`): `add amount` then deducts a negative one.
struct amount_lo : signed_number {};
struct amount_hi : signed_number {};
struct amount_range : seq<amount_lo, _, must<dotdot>, _, must<amount_hi>> {};
struct amount_keyword : kw_amount {};
struct event_amount : seq<amount_keyword, _, must<amount_range>> {};
struct event_attribute : name {};
struct event_attributes_close : rbrace {};
struct event_attributes : seq<lbrace, _, opt<event_attribute, star<_, opt<comma, _>, event_attribute>>, _,
                              must<event_attributes_close>> {};
// `unit`: a fact about the whole unit, which may also come from a unit record.
struct event_unit_fact : kw_unit {};
struct event_decl : seq<kw_event, _, must<name>, _, must<label>, star<_, sor<event_amount, event_attributes, event_unit_fact>>> {};

struct domain_whole : kw_whole {};
struct domain_decimal : kw_decimal {};
struct domain_min : signed_number {};
struct domain_max : signed_number {};
struct domain_range : seq<domain_min, _, must<dotdot>, _, must<domain_max>> {};
struct domain_at_least : seq<op_ge, _, must<domain_min>> {};
struct domain_bounds : sor<domain_range, domain_at_least> {};
// `> 0`, `<= 100`, `< 5`, `= 3`: a comparison that is not a domain's bound.
struct domain_bound_form : failure {};
struct domain_other_bound : seq<at<one<'>', '<', '=', '!'>>, must<domain_bound_form>> {};
// `scale { 优秀: 95, 良好: 85 }`: the only values the measure may take, each with its label.
struct scale_label : name {};
struct scale_value : signed_number {};
struct scale_entry : seq<scale_label, _, must<colon>, _, must<scale_value>> {};
struct scale_close : rbrace {};
struct domain_scale : seq<kw_scale, _, must<lbrace>, _, opt<scale_entry, star<_, opt<comma, _>, scale_entry>>, _,
                          opt<comma, _>, must<scale_close>> {};
struct domain : sor<domain_scale, seq<sor<domain_whole, domain_decimal>, opt<_, sor<domain_bounds, domain_other_bound>>>> {};
struct measure_default : seq<kw_default_, _, must<signed_number>> {};
// `each quarter`: the measure is given once per quarter (or month), in the record's `periods`.
struct measure_period : seq<kw_each, _, must<period_word>> {};
struct measure_decl : seq<kw_measure, _, must<name>, _, must<label>, _, must<domain>, star<_, sor<measure_default, measure_period>>> {};

// Marks given by several anonymous raters, combined into one number ("民主测评"): `rating review
// "民主测评" marks 0..100 mean`, or on a scale (`marks scale { 优秀: 95, 良好: 85 } mean`); `mean
// dropping highest and lowest` ("去掉一个最高分和一个最低分") leaves out one of each first.
struct marks_domain : sor<domain_scale, domain_range> {};
// Only one end (`dropping highest`) is refused right after it, not at whatever follows on the next line.
struct dropping_one_end : failure {};
struct marks_dropping : seq<kw_dropping, _, must<kw_highest>, sor<seq<_, kw_and_, _, must<kw_lowest>>, must<dropping_one_end>>> {};
struct marks_method : seq<kw_mean, opt<_, marks_dropping>> {};
struct rating_marks : seq<kw_marks, _, must<marks_domain>, _, must<marks_method>> {};
// Votes per grade ("优秀票、称职票、基本称职票、不称职票"): `rating votes "民主测评票" votes { excellent
// "优秀", competent "称职", basic "基本称职", incompetent "不称职" }`, read through `share(...)`. A
// `mean` after it is read, and named by the checker.
struct vote_grades : attribute_values {};
struct rating_votes : seq<kw_votes, _, must<vote_grades>, opt<_, marks_method>> {};
struct rating_kind : sor<rating_marks, rating_votes> {};
// `each quarter` after it: the marks (or votes) are given once per period, in the record's `periods`.
struct rating_decl : seq<kw_rating, _, must<name>, _, must<label>, _, must<rating_kind>, opt<_, measure_period>> {};

struct role_body : seq<lbrace, _, star<section, _>, must<role_close>> {};
struct role_decl : seq<kw_role, _, must<name>, _, must<label>, star<_, card_total>, opt<_, role_body>> {};

struct grade_name : quoted {};
struct grade_otherwise : kw_otherwise {};
// A band's lowest total (`>= 90`), in grade bands and in a coefficient's bands of the total: a plain
// number, 0 or more, as a card's total is; what lies below the lowest band is `otherwise`. A sign is
// named where it stands.
struct band_threshold : number {};
struct negative_threshold : failure {};
struct band_minimum : sor<seq<at<one<'-'>>, must<negative_threshold>>, must<band_threshold>> {};
struct grade_at_least : seq<op_ge, _, band_minimum> {};
struct grade_limit : sor<grade_at_least, grade_otherwise> {};
// `quota 15% round down ties all_in` ("优秀等次人数一般不超过本单位参加考核人数的15%"): in a batch, at
// most that share of each unit's people scored keep the grade, ranked by total; the others who
// reached it get the next grade. The share's count rounds `down` or to the `nearest` (.5 up);
// people tied on total at the boundary are `all_in` or `all_out`.
struct quota_share : number {};
struct quota_percent : one<'%'> {};
struct quota_rounding : sor<kw_down, kw_nearest> {};
struct quota_ties : sor<kw_all_in, kw_all_out> {};
// `ties by highest attendance then all_in` ("同分者按出勤天数排序"): people tied on total are ranked
// by a measure, highest or lowest first; those still tied at the boundary are all in or all out.
struct quota_tie_order : sor<kw_highest, kw_lowest> {};
struct quota_tie_measure : name {};
struct quota_tie_then : kw_then {};
struct quota_ties_by : seq<kw_by, _, must<quota_tie_order>, _, must<quota_tie_measure>, _, must<quota_tie_then>, _, must<quota_ties>> {};
struct quota_tie_rule : sor<quota_ties_by, quota_ties> {};
struct grade_quota : seq<kw_quota, _, must<quota_share>, _, must<quota_percent>, _, must<kw_round>, _, must<quota_rounding>, _,
                         must<kw_ties>, _, must<quota_tie_rule>> {};
struct grade_band : seq<grade_name, _, must<grade_limit>, opt<_, grade_quota>> {};
struct grades_close : rbrace {};
struct grades_body : seq<lbrace, _, opt<grade_band, star<_, opt<comma, _>, grade_band>>, _, must<grades_close>> {};
struct grades_decl : seq<kw_grades, _, must<grades_body>> {};

// `veto accident where level = major forces "不称职"` (一票否决): any such event decides the grade;
// `caps "称职"` ("受到警告处分的不得评为优秀"): the grade is at most that one, a lower grade stays.
// In a scheme without `grades`, `veto accident` alone: the result carries the veto as its outcome.
struct veto_event : name {};
struct veto_filter : expr {};
struct veto_where : seq<kw_where, _, must<veto_filter>> {};
struct veto_forces : kw_forces {};
struct veto_caps : kw_caps {};
struct veto_action : seq<sor<veto_forces, veto_caps>, _, must<grade_name>> {};
// `veto E forces "G" caps "H"`: a veto does one of the two (its own message, not "expected a declaration").
struct veto_one_action : failure {};
struct veto_second_action : seq<at<sor<kw_forces, kw_caps>>, must<veto_one_action>> {};
struct veto_decl : seq<kw_veto, _, must<veto_event>, opt<_, veto_where>, opt<_, veto_action>, opt<_, veto_second_action>,
                       opt<_, rule_cite>, opt<_, veto_second_action>> {};

// `grade "不称职" when count(absent) > 15` ("旷工累计超过15天定为不称职"): that grade whenever the
// condition holds; `grade at most "称职" when ...`: at most that grade, a lower one stays.
struct grade_rule_at_most : seq<kw_at, _, must<kw_most>> {};
struct grade_rule_cond : expr {};
struct grade_rule_when : seq<kw_when, _, must<grade_rule_cond>> {};
struct grade_rule : seq<kw_grade, _, opt<grade_rule_at_most, _>, must<grade_name>, _, must<grade_rule_when>, opt<_, rule_cite>> {};

// `flag further_action "另作处理" when count(absent) >= 10 cite "第八条"` ("10天以上另作处理"): a
// named flag raised in the result when its condition holds, for whoever acts on it; no score moves.
struct flag_cond : expr {};
struct flag_condition : seq<kw_when, _, must<flag_cond>> {};
struct flag_decl : seq<kw_flag_decl, _, must<name>, _, must<label>, _, must<flag_condition>, opt<_, rule_cite>> {};

// `coefficient pay_factor "考核系数" by grade { "优秀": 1.2, "称职": 1, "基本称职": 0.8, "不称职": 0 }`
// ("年度考核结果与绩效工资挂钩"): a number the result carries, from the final grade or from the total
// (`by total { >= 95: 1.3, >= 85: 1.1, otherwise: 1 }`), for the pay office; no score moves. A
// coefficient is a number 0 or more: the grammar takes no sign.
struct coefficient_value : number {};
struct coefficient_otherwise : kw_otherwise {};
struct coefficient_grade : quoted {};
struct coefficient_at_least : seq<op_ge, _, band_minimum> {};
struct coefficient_grade_key : sor<coefficient_otherwise, coefficient_grade> {};
struct coefficient_total_key : sor<coefficient_otherwise, coefficient_at_least> {};
template <typename Key>
struct coefficient_entry_of : seq<Key, _, must<colon>, _, must<coefficient_value>> {};
struct coefficient_grade_entry : coefficient_entry_of<coefficient_grade_key> {};
struct coefficient_total_entry : coefficient_entry_of<coefficient_total_key> {};
struct coefficient_grades_close : rbrace {};
struct coefficient_totals_close : rbrace {};
struct coefficient_grade_table : seq<lbrace, _, opt<coefficient_grade_entry, star<_, opt<comma, _>, coefficient_grade_entry>>, _,
                                     opt<comma, _>, must<coefficient_grades_close>> {};
struct coefficient_total_table : seq<lbrace, _, opt<coefficient_total_entry, star<_, opt<comma, _>, coefficient_total_entry>>, _,
                                     opt<comma, _>, must<coefficient_totals_close>> {};
struct coefficient_by_grade : seq<kw_grade, _, must<coefficient_grade_table>> {};
struct coefficient_by_total : seq<kw_total, _, must<coefficient_total_table>> {};
struct coefficient_by_what : sor<coefficient_by_grade, coefficient_by_total> {};
struct coefficient_by : seq<kw_by, _, must<coefficient_by_what>> {};
struct coefficient_decl : seq<kw_coefficient, _, must<name>, _, must<label>, _, must<coefficient_by>, opt<_, rule_cite>> {};

// ---------------------------------------------------------------------------------------------
// Tests in the language

struct test_name : quoted {};
struct test_role : seq<kw_role, _, must<name>> {};
struct test_group : name {};
struct test_groups : seq<kw_groups, _, must<test_group>, star<_, comma, _, must<test_group>>> {};
struct test_year : seq<kw_year, _, must<integer>> {};
struct test_id : seq<kw_id, _, must<quoted>> {};
// A scale measure may be given by its label (`rating: 良好`), as a record may give it.
struct measure_label : name {};
struct measure_given : sor<signed_number, measure_label> {};
struct measure_value : seq<name, _, must<colon>, _, must<measure_given>> {};
struct test_measures_close : rbrace {};
struct fact_given : name {};
struct fact_value : seq<name, _, must<colon>, _, must<fact_given>> {};
struct test_facts_close : rbrace {};
struct test_facts : seq<kw_facts, _, must<lbrace>, _, opt<fact_value, star<_, opt<comma, _>, fact_value>>, _,
                        opt<comma, _>, must<test_facts_close>> {};
struct test_measures : seq<kw_measures, _, must<lbrace>, _,
                           opt<measure_value, star<_, opt<comma, _>, measure_value>>, _, opt<comma, _>,
                           must<test_measures_close>> {};

struct field_amount : seq<kw_amount, _, must<signed_number>> {};
struct field_count : seq<kw_count_field, _, must<signed_number>> {};
struct field_date : seq<kw_date, _, must<quoted>> {};
struct field_note : seq<kw_note, _, must<quoted>> {};
struct attr_value : name {};
struct field_attribute : seq<name, _, must<attr_value>> {};
struct event_field : sor<field_amount, field_count, field_date, field_note, field_attribute> {};
struct event_item : seq<name, star<_, event_field>> {};
struct event_list_close : rbrace {};
struct event_list : seq<lbrace, _, opt<event_item, star<_, comma, _, must<event_item>>>, _, opt<comma, _>,
                        must<event_list_close>> {};
struct test_events : seq<kw_events, _, must<event_list>> {};
struct test_unit_events : seq<kw_unit, _, must<event_list>> {};
struct test_record : seq<kw_record, _, must<quoted>> {};

// A period is a month, `2022-03`, or a quarter, `2022-Q1`, written as records write it, without quotes.
struct period_id : seq<rep<4, digit>, one<'-'>, sor<seq<one<'Q'>, plus<digit>>, plus<digit>>, not_at<ident_rest>> {};

struct expect_path : seq<name, star<one<'.'>, must<name>>> {};
struct expect_total : kw_total {};
// `expect value workload = 87.5`: a named value computed for the test's record.
struct expect_named_value : name {};
struct expect_named : seq<kw_value_decl, _, expect_named_value> {};
// The expected value: a number, or an exact fraction (`10/3`) for a value with no finite decimal
// form; `rounded` compares it with the value rounded as the policy rounds (`3.33 rounded`).
struct expected_denominator : number {};
// `20/3 rounded`: `rounded` compares with the rounded figure, which a fraction is not.
struct fraction_not_rounded : failure {};
struct expected_number : seq<signed_number, opt<_, one<'/'>, _, must<expected_denominator>,
                                                opt<_, at<kw_rounded>, must<fraction_not_rounded>>>> {};
struct expect_rounded : kw_rounded {};
// `expect quarterly.tasks in 2022-Q1 = 58`: a part's score in one period of a section scored per period.
struct expect_period : seq<kw_in, _, must<period_id>> {};
struct expect_value : seq<sor<expect_total, expect_named, expect_path>, opt<_, expect_period>, _, must<op_eq>, _, must<expected_number>,
                          opt<_, expect_rounded>> {};
struct expect_grade : seq<kw_grade, _, must<op_eq>, _, must<quoted>> {};
struct expect_error : seq<kw_error, _, must<quoted>> {};
// `expect flag further_action`, `expect no flag further_action`: whether the flag is raised.
struct expect_flag_absent : kw_no {};
struct expect_flag_name : name {};
struct expect_flag : seq<opt<expect_flag_absent, _>, kw_flag_decl, _, expect_flag_name> {};
struct expect_warning : seq<kw_warning, _, must<quoted>> {};
// `expect veto accident`: a veto on that event decided the outcome (forced the grade, capped it, or
// is the outcome of a scheme without grades).
struct expect_veto_event : name {};
struct expect_veto : seq<kw_veto, _, expect_veto_event> {};
// `expect no veto`: no veto decided it.
struct expect_no_veto : seq<kw_no, _, kw_veto> {};
// `expect coefficient pay_factor = 1.2`: the coefficient's value for the test's record, exactly.
struct expect_coefficient_name : name {};
struct expect_coefficient : seq<kw_coefficient, _, must<expect_coefficient_name>, _, must<op_eq>, _, must<expected_number>> {};
// `expect rank = 1`, in a population: the place among those reaching a grade with a quota
// (ranked by total, then the quota's tie measure; people still tied share a place: 1, 2, 2, 4).
struct expected_rank : integer {};
struct expect_rank : seq<kw_rank, _, op_eq, _, must<expected_rank>> {};
struct expectation : sor<expect_error, expect_rank, expect_warning, expect_grade, expect_veto, expect_no_veto, expect_flag, expect_coefficient, expect_value> {};
struct test_expect : seq<kw_expect, _, must<expectation>> {};

// `ratings { review: [92, 88, 95] }`: a rating's marks, as numbers or as its scale's labels.
struct rating_mark : sor<signed_number, measure_label> {};
struct rating_marks_close : one<']'> {};
struct rating_mark_list : seq<one<'['>, _, opt<rating_mark, star<_, comma, _, must<rating_mark>>>, _, must<rating_marks_close>> {};
// `votes: { excellent: 30, competent: 10 }`: a vote rating's votes per grade.
struct vote_count : seq<name, _, must<colon>, _, must<signed_number>> {};
struct vote_counts_close : rbrace {};
struct vote_counts : seq<lbrace, _, opt<vote_count, star<_, opt<comma, _>, vote_count>>, _, opt<comma, _>, must<vote_counts_close>> {};
struct rating_given_value : sor<vote_counts, rating_mark_list> {};
struct rating_given : seq<name, _, must<colon>, _, must<rating_given_value>> {};
struct test_ratings_close : rbrace {};
struct test_ratings : seq<kw_ratings, _, must<lbrace>, _, opt<rating_given, star<_, opt<comma, _>, rating_given>>, _,
                          opt<comma, _>, must<test_ratings_close>> {};

// `period 2022-Q1 { measures { output: 9 } ratings { assessor: [90, 80] } }`: the inputs given
// per period.
struct test_period_close : rbrace {};
struct test_period : seq<kw_period_kw, _, must<period_id>, _, must<lbrace>, _, star<sor<test_measures, test_ratings>, _>,
                         must<test_period_close>> {};

struct test_item : sor<test_role, test_groups, test_year, test_id, test_measures, test_facts, test_ratings, test_events,
                       test_unit_events, test_record, test_period, test_expect> {};
struct test_close : rbrace {};
struct test_body : seq<lbrace, _, star<test_item, _>, must<test_close>> {};
struct test_decl : seq<kw_test, _, must<test_name>, _, must<test_body>> {};
// `population "三人" { test "p1" { ... } test "p2" { ... } }`: the tests are scored together as one
// unit of a batch, so quotas apply, and each test's expectations are checked after them.
struct population_name : quoted {};
struct population_open : lbrace {};
struct population_close : rbrace {};
struct population_decl : seq<kw_population, _, must<population_name>, _, must<population_open>, _, star<test_decl, _>,
                             must<population_close>> {};

// ---------------------------------------------------------------------------------------------
// A file

// A named value: `value workload "工作量" = lessons + 0.5 * duties`, a number computed once per
// record from measures, facts, groups and other named values, usable wherever a number is.
struct value_equals : one<'='> {};
struct value_decl : seq<kw_value_decl, _, must<name>, _, must<label>, _, must<value_equals>, _, must<expr>> {};

struct declaration : sor<policy_decl, include_decl, attribute_decl, group_decl, event_decl, measure_decl, rating_decl, fact_decl, standing_decl, role_decl,
                         section, grades_decl, grade_rule, veto_decl, flag_decl, coefficient_decl, value_decl, test_decl, population_decl> {};
struct end_of_file : eof {};
// A clause or a rule at the top level: each belongs inside something, which its message names.
struct clause_outside_section : failure {};
struct rule_outside_clause : failure {};
struct misplaced_top : sor<seq<at<kw_clause>, must<clause_outside_section>>, seq<at<rule_sign>, must<rule_outside_clause>>,
                           seq<at<one<';'>>, must<no_semicolon>>> {};
struct file : seq<opt<utf8::bom>, _, star<declaration, _>, opt<misplaced_top>, must<end_of_file>> {};

}  // namespace kaohe::grammar

// A name character is one code point: it consumes input when it succeeds (for the grammar's
// analysis, which finds rules that could loop without consuming).
template <typename Name, bool Start>
struct tao::pegtl::analyze_traits<Name, kaohe::grammar::wide_name_char<Start>> : analyze_any_traits<> {};

