// Parsing: PEGTL parse tree of grammar::file → ast::Module.
//
// The grammar (grammar/kaohe.hpp) has no actions; the selector below keeps the nodes the AST
// needs, and the builder walks them. Node types are the grammar's rule types, so a reader can
// follow each `build_*` function against the rule of the same name.
#include "parse/parser.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <type_traits>

#include <tao/pegtl/contrib/limit_depth.hpp>
#include <tao/pegtl/contrib/parse_tree.hpp>

#include "diag/codes.hpp"
#include "diag/limits.hpp"
#include "grammar/kaohe.hpp"
#include "grammar/messages.hpp"
#include "support/files.hpp"
#include "support/utf8.hpp"

namespace kaohe::parse {

using diag::Code;

// The public limit (include/kaohe/kaohe.hpp) is this one.
static_assert(kMaxFileBytes == kaohe::kMaxRuleFileBytes);

namespace {

namespace pegtl = tao::pegtl;
namespace g = kaohe::grammar;
using Tree = pegtl::parse_tree::node;

// ---- Parse-tree shape

template <typename Rule>
using selector = pegtl::parse_tree::selector<
    Rule,
    pegtl::parse_tree::store_content::on<
        // lexical
        g::name, g::label, g::quoted, g::number, g::band_threshold, g::signed_number, g::integer, g::neg_sign,
        // expressions
        g::expr, g::number_lit, g::name_ref, g::amount_ref, g::if_expr, g::count_call, g::sum_call, g::run_call, g::share_call, g::share_rating, g::share_grade, g::fn_call,
        g::fn_name, g::negation, g::logical_not, g::op_mul, g::op_div, g::op_add, g::op_sub, g::op_ge, g::op_le,
        g::op_ne, g::op_eq, g::op_gt, g::op_lt, g::event_filter, g::event_name, g::filter_cond,
        // rules
        g::rule, g::rule_sign, g::period_rule, g::period_month, g::period_quarter, g::each_rule, g::fact_table_rule, g::per_each_value, g::by_table, g::by_attribute, g::table, g::table_entry, g::table_key, g::table_default, g::table_otherwise,
        g::table_value, g::per_rule, g::per_points, g::per_unit, g::per_threshold, g::shortfall_kind, g::per_measure,
        g::rounding_up, g::rounding_down, g::rounding_linear, g::rounding_keyword, g::per_keyword, g::expr_rule, g::cap_suffix, g::cap_value,
        g::multiplier_suffix, g::factor, g::multiplier_if, g::multiplier_unless, g::multiplier_cond,
        g::when_suffix, g::when_cond, g::rule_cite, g::rule_citation,
        // structure
        g::section, g::clause, g::max_points, g::max_uncapped, g::citation, g::no_floor, g::start_from, g::start_full, g::start_number, g::max_within, g::within_points, g::weight, g::weight_points, g::node_period, g::combine_mean, g::combine_sum,
        // declarations
        g::policy_decl, g::policy_name, g::policy_version, g::policy_year, g::policy_round, g::rounding_mode, g::policy_round_level, g::policy_report, g::figure_places, g::round_each_clause,
        g::round_each_section, g::round_at_total, g::card_total, g::total_points,
        g::include_decl, g::include_path, g::attribute_decl, g::attribute_value, g::group_decl, g::event_decl,
        g::amount_keyword, g::amount_lo, g::amount_hi, g::event_attribute, g::event_unit_fact, g::measure_decl, g::domain_whole, g::domain_decimal,
        g::domain_min, g::domain_max, g::measure_default, g::measure_period, g::fact_decl, g::standing_decl, g::fact_default_value, g::domain_scale, g::scale_entry, g::scale_label, g::scale_value, g::rating_decl, g::marks_dropping, g::marks_method, g::rating_votes, g::role_decl, g::role_body, g::grades_decl,
        g::grade_band, g::grade_name, g::grade_otherwise, g::grade_quota, g::quota_share, g::quota_rounding, g::quota_ties, g::quota_tie_order, g::quota_tie_measure, g::grade_rule, g::grade_rule_at_most, g::grade_rule_cond, g::veto_decl, g::veto_event, g::veto_filter, g::veto_forces, g::veto_caps, g::value_decl, g::flag_decl, g::flag_cond,
        g::coefficient_decl, g::coefficient_by_grade, g::coefficient_by_total, g::coefficient_grade_entry, g::coefficient_total_entry,
        g::coefficient_grade, g::coefficient_otherwise, g::coefficient_at_least, g::coefficient_value,
        // tests
        g::test_decl, g::test_name, g::test_role, g::test_groups, g::test_group, g::test_year, g::test_id,
        g::test_measures, g::measure_value, g::measure_label, g::test_facts, g::fact_value, g::fact_given, g::test_ratings, g::rating_given, g::rating_mark, g::vote_counts, g::vote_count, g::test_events, g::test_unit_events, g::event_item, g::field_amount,
        g::field_count, g::field_date, g::field_note, g::field_attribute, g::attr_value, g::test_record, g::test_period, g::period_id, g::expect_period,
        g::population_decl, g::population_name, g::test_expect, g::expect_rank, g::expected_rank, g::expect_error, g::expect_warning, g::expect_grade, g::expect_veto, g::expect_veto_event, g::expect_no_veto, g::expect_flag, g::expect_flag_absent, g::expect_flag_name, g::expect_coefficient, g::expect_coefficient_name, g::expect_value, g::expect_total, g::expect_path, g::expect_named_value,
        g::expected_number, g::expected_denominator, g::expect_rounded>,
    pegtl::parse_tree::fold_one::on<g::product, g::sum_expr, g::comparison, g::conjunction>>;

// A missing continuation of a form (`places` after `round total 2`, `most` after `at`, a rule's
// `{`) belongs to the line the form stands on: when the parse looked past the end of that line
// for it, it is reported where the line's last token ends, not at whatever starts the next line.
// A block's closing bracket, the end of the file and a named mistake (a `failure` rule, found at
// the token that is wrong) stay at the token the parse stopped at.
struct missing_continuation : pegtl::parse_error {
    using pegtl::parse_error::parse_error;
};

template <typename Rule>
inline constexpr bool found_where_it_stops =
    std::is_base_of_v<pegtl::failure, Rule> || std::is_base_of_v<g::rbrace, Rule> || std::is_base_of_v<g::rparen, Rule> ||
    std::is_same_v<Rule, g::rating_marks_close> || std::is_same_v<Rule, g::end_of_file> || std::is_same_v<Rule, g::string_close> ||
    std::is_same_v<Rule, g::escape_char>;

// A failed must<Rule> reports the rule's message from grammar/messages.hpp.
template <typename Rule>
struct control : pegtl::normal<Rule> {
    template <typename Input, typename... States>
    [[noreturn]] static void raise(const Input& in, States&&...) {
        static_assert(g::message<Rule> != nullptr, "every must<> target needs a message in grammar/messages.hpp");
        if constexpr (found_where_it_stops<Rule>) throw pegtl::parse_error(g::message<Rule>, in);
        else throw missing_continuation(g::message<Rule>, in);
    }
};

// Where the last token before `at` ends, when only whitespace and comments spanning a line
// break lie between them; nothing when the token at `at` is on the same line. A quoted text
// never spans lines, so a line's comment is its first `#` outside quotes.
std::optional<std::size_t> end_of_line_before(std::string_view src, std::size_t at) {
    if (at > src.size()) return std::nullopt;
    std::size_t line_start = src.rfind('\n', at == 0 ? 0 : at - 1);
    if (line_start == std::string_view::npos || at == 0) return std::nullopt;
    // The current line, up to `at`, must be blank.
    for (std::size_t i = line_start + 1; i < at; ++i)
        if (src[i] != ' ' && src[i] != '\t' && src[i] != '\r') return std::nullopt;
    while (true) {
        const std::size_t end = line_start;  // the '\n' ending the previous line
        const std::size_t prev = end == 0 ? std::string_view::npos : src.rfind('\n', end - 1);
        const std::size_t begin = prev == std::string_view::npos ? 0 : prev + 1;
        std::size_t content_end = end;
        bool in_quotes = false;
        for (std::size_t i = begin; i < end; ++i) {
            if (in_quotes && src[i] == '\\') ++i;
            else if (src[i] == '"') in_quotes = !in_quotes;
            else if (!in_quotes && src[i] == '#') {
                content_end = i;
                break;
            }
        }
        while (content_end > begin && (src[content_end - 1] == ' ' || src[content_end - 1] == '\t' || src[content_end - 1] == '\r'))
            --content_end;
        if (content_end > begin) return content_end;
        if (prev == std::string_view::npos) return std::nullopt;
        line_start = prev;
    }
}

template <typename Rule>
struct depth_action : pegtl::limit_depth<kMaxGrammarDepth> {};

// ---- Builder

class Builder {
public:
    Builder(Sources& sources, std::uint32_t file, std::vector<Diagnostic>& diagnostics)
        : sources_(sources), file_(file), diagnostics_(diagnostics) {}

    Span span(const Tree& n) const {
        const char* base = sources_.text(file_).data();
        return Span{file_, static_cast<std::uint32_t>(n.m_begin.data - base),
                    static_cast<std::uint32_t>(n.m_end.data - base)};
    }

    template <typename R>
    static const Tree* find(const Tree& n) {
        for (const auto& c : n.children)
            if (c->is_type<R>()) return c.get();
        return nullptr;
    }
    template <typename R>
    static std::vector<const Tree*> find_all(const Tree& n) {
        std::vector<const Tree*> out;
        for (const auto& c : n.children)
            if (c->is_type<R>()) out.push_back(c.get());
        return out;
    }

    void error(Span where, Code code, std::string message) {
        if (!diag::admit(diagnostics_, diag::severity(code), sources_.name(file_))) return;
        diagnostics_.push_back(diag::make(code, sources_.locate(where), std::move(message)));
    }

    // P008 at each child of type R after the first: an item a declaration takes once.
    template <typename R>
    void once(const Tree& n, const std::string& message) {
        const auto all = find_all<R>(n);
        for (std::size_t i = 1; i < all.size(); ++i) error(span(*all[i]), Code::P008, message);
    }

    ast::Name name(const Tree& n) {
        ast::Name out{n.string(), span(n)};
        if (out.text.size() > kMaxNameBytes)
            error(out.span, Code::P004, "name longer than " + std::to_string(kMaxNameBytes) + " bytes (the limit)");
        return out;
    }

    ast::Text text(const Tree& n) {
        // The node covers the quotes; resolve escapes between them.
        const std::string_view raw = n.string_view();
        std::string out;
        for (std::size_t i = 1; i + 1 < raw.size(); ++i) {
            char c = raw[i];
            if (c == '\\' && i + 2 < raw.size()) {
                c = raw[++i];
                if (c == 'n') c = '\n';
                else if (c == 't') c = '\t';
            }
            out.push_back(c);
        }
        if (out.size() > kMaxTextBytes)
            error(span(n), Code::P004, "text longer than " + std::to_string(kMaxTextBytes) + " bytes (the limit)");
        // Full-width punctuation belongs in Chinese text; an invisible character there is a
        // paste accident that makes two equal-looking texts differ.
        for (std::size_t i = 0; i < raw.size();) {
            const CodePoint cp = decode_at(raw, i);
            if (auto u = unusual(cp.value); u && u->invisible) {
                if (!diag::admit(diagnostics_, diag::severity(Code::W003), sources_.name(file_))) break;
                const auto at = static_cast<std::uint32_t>(span(n).begin + i);
                diagnostics_.push_back(diag::make(
                    Code::W003, sources_.locate(Span{file_, at, static_cast<std::uint32_t>(at + cp.length)}),
                    "text in quotes contains an " + describe_unusual(cp.value, raw.substr(i, cp.length), *u) +
                        ", which looks like nothing: delete it unless it is meant"));
                break;
            }
            i += cp.length;
        }
        return ast::Text{std::move(out), span(n)};
    }

    ast::GradeQuota grade_quota(const Tree& n) {
        ast::GradeQuota q;
        q.share = number(*find<g::quota_share>(n));
        q.nearest = find<g::quota_rounding>(n)->string_view() == "nearest";
        q.all_in = find<g::quota_ties>(n)->string_view() == "all_in";
        if (const Tree* m = find<g::quota_tie_measure>(n)) {
            q.tie_measure = name(*m);
            q.tie_highest = find<g::quota_tie_order>(n)->string_view() == "highest";
        }
        q.span = span(n);
        return q;
    }

    ast::NumberLit number(const Tree& n) {
        std::string why;
        auto v = Number::from_decimal(n.string_view(), &why);
        if (!v) {
            error(span(n), Code::P005, "number " + std::string(n.string_view().substr(0, 40)) + ": " + why);
            return ast::NumberLit{Number(0), span(n)};
        }
        return ast::NumberLit{*v, span(n)};
    }

    // signed_number: [neg_sign] number-text; the node's content is the whole literal.
    ast::NumberLit signed_number(const Tree& n) { return number(n); }

    // ---- Expressions

    ast::ExprPtr make(ast::Expr::Kind k, const Tree& n) {
        auto e = std::make_unique<ast::Expr>();
        e->kind = k;
        e->span = span(n);
        return e;
    }

    static std::optional<ast::Expr::Op> op_of(const Tree& n) {
        using Op = ast::Expr::Op;
        if (n.is_type<g::op_mul>()) return Op::mul;
        if (n.is_type<g::op_div>()) return Op::div;
        if (n.is_type<g::op_add>()) return Op::add;
        if (n.is_type<g::op_sub>()) return Op::sub;
        if (n.is_type<g::op_ge>()) return Op::ge;
        if (n.is_type<g::op_le>()) return Op::le;
        if (n.is_type<g::op_ne>()) return Op::ne;
        if (n.is_type<g::op_eq>()) return Op::eq;
        if (n.is_type<g::op_gt>()) return Op::gt;
        if (n.is_type<g::op_lt>()) return Op::lt;
        return std::nullopt;
    }

    // The invariant every later walk relies on: no expression tree built here is more than
    // kMaxExprDepth levels high. The parse tree's own depth is bounded by the grammar's limit,
    // but a flat chain `0 + 0 + …` becomes a tree one level deeper per operator.
    void too_deep(Span at) {
        error(at, Code::P004, "expression more than " + std::to_string(kMaxExprDepth) +
                              " levels deep (the limit; each operator of a chain such as `a + b + c` is one level): "
                              "split it over several rules");
    }

    // Sets e's height from its operands; a tree over the limit is reported and replaced by a leaf.
    ast::ExprPtr bounded(ast::ExprPtr e) {
        std::uint32_t h = 0;
        for (const auto& a : e->args) h = std::max(h, a->height);
        e->height = h + 1;
        if (e->height <= kMaxExprDepth) return e;
        too_deep(e->span);
        auto leaf = std::make_unique<ast::Expr>();
        leaf->span = e->span;
        return leaf;  // the tree under e is destroyed here: within the limit plus one level
    }

    // Children alternate operand, operator, operand, ...; left-associative. For and/or chains
    // there is no operator node: every child is an operand joined by `op`. A chain that would
    // pass kMaxExprDepth is reported at the operator where it does, and cut there.
    ast::ExprPtr chain(const Tree& n, std::optional<ast::Expr::Op> joiner) {
        ast::ExprPtr acc;
        std::optional<ast::Expr::Op> pending = joiner;
        std::optional<Span> op_span;
        for (const auto& c : n.children) {
            if (auto op = op_of(*c)) {
                pending = op;
                op_span = span(*c);
                continue;
            }
            ast::ExprPtr operand = expr(*c);
            if (!acc) {
                acc = std::move(operand);
                continue;
            }
            const std::uint32_t height = std::max(acc->height, operand->height) + 1;
            if (height > kMaxExprDepth) {
                // Reported once: a leaf stands for the whole chain, so no enclosing node passes the limit too.
                too_deep(op_span ? *op_span : operand->span);
                return make(ast::Expr::Kind::number, n);
            }
            auto b = make(ast::Expr::Kind::binary, n);
            b->op = *pending;
            if (op_span) b->op_span = *op_span;
            b->span = Span{file_, acc->span.begin, operand->span.end};
            b->height = height;
            b->args.push_back(std::move(acc));
            b->args.push_back(std::move(operand));
            acc = std::move(b);
            pending = joiner;
            op_span.reset();
        }
        return acc;
    }

    ast::ExprPtr expr(const Tree& n) {
        using K = ast::Expr::Kind;
        if (n.is_type<g::expr>() || n.is_type<g::filter_cond>() || n.is_type<g::when_cond>() || n.is_type<g::veto_filter>() || n.is_type<g::grade_rule_cond>() || n.is_type<g::flag_cond>() ||
            n.is_type<g::multiplier_cond>() || n.is_type<g::expr_rule>())
            return chain(n, ast::Expr::Op::logical_or);
        if (n.is_type<g::conjunction>()) return chain(n, ast::Expr::Op::logical_and);
        if (n.is_type<g::comparison>() || n.is_type<g::sum_expr>() || n.is_type<g::product>())
            return chain(n, std::nullopt);
        if (n.is_type<g::number_lit>()) {
            auto e = make(K::number, n);
            e->number = number(n).value;
            return e;
        }
        if (n.is_type<g::name_ref>()) {
            auto e = make(K::name, n);
            e->name = name(n);
            return e;
        }
        if (n.is_type<g::amount_ref>()) return make(K::amount, n);
        if (n.is_type<g::negation>() || n.is_type<g::logical_not>()) {
            auto e = make(n.is_type<g::negation>() ? K::neg : K::logical_not, n);
            e->args.push_back(expr(*n.children.back()));
            return bounded(std::move(e));
        }
        if (n.is_type<g::if_expr>()) {
            auto e = make(K::if_then, n);
            for (const auto& c : n.children) e->args.push_back(expr(*c));
            return bounded(std::move(e));
        }
        if (n.is_type<g::fn_call>()) {
            auto e = make(K::call, n);
            e->name = name(*n.children.front());
            for (std::size_t i = 1; i < n.children.size(); ++i) e->args.push_back(expr(*n.children[i]));
            return bounded(std::move(e));
        }
        if (n.is_type<g::share_call>()) {
            auto e = make(K::share, n);
            e->name = name(*find<g::share_rating>(n));
            for (const Tree* gr : find_all<g::share_grade>(n)) e->grades.push_back(name(*gr));
            return bounded(std::move(e));
        }
        if (n.is_type<g::count_call>() || n.is_type<g::sum_call>() || n.is_type<g::run_call>()) {
            auto e = make(n.is_type<g::count_call>() ? K::count : n.is_type<g::run_call>() ? K::longest_run : K::sum_amount, n);
            const Tree& filter = *find<g::event_filter>(n);
            e->name = name(*find<g::event_name>(filter));
            if (const Tree* cond = find<g::filter_cond>(filter)) e->args.push_back(expr(*cond));
            return bounded(std::move(e));
        }
        // Unreachable for a tree the grammar produced; keep the AST total anyway.
        auto e = make(K::number, n);
        return e;
    }

    // ---- Rules

    // `by ATTR { key: points, ..., otherwise: points }`, of an event or of a standing.
    void by_table(const Tree& by, ast::Rule& r) {
        r.by_attribute = name(*find<g::by_attribute>(by));
        const Tree& table = *find<g::table>(by);
        r.table_span = span(table);
        for (const Tree* entry : find_all<g::table_entry>(table))
            r.table.emplace_back(name(*find<g::table_key>(*entry)), number(*find<g::table_value>(*entry)));
        for (const Tree* entry : find_all<g::table_default>(table))
            r.table_otherwise.emplace_back(span(*find<g::table_otherwise>(*entry)), number(*find<g::table_value>(*entry)));
    }

    ast::Rule rule(const Tree& n) {
        ast::Rule r;
        r.span = span(n);
        r.sign = find<g::rule_sign>(n)->string_view() == "add" ? ast::Rule::Sign::add : ast::Rule::Sign::deduct;
        if (const Tree* period = find<g::period_rule>(n)) {
            r.form = ast::Rule::Form::value;
            r.value = chain(*find<g::per_each_value>(*period), std::nullopt);
            const Tree* month = find<g::period_month>(*period);
            r.period = month ? ast::Rule::Period::month : ast::Rule::Period::quarter;
            r.period_span = span(month ? *month : *find<g::period_quarter>(*period));
        } else if (const Tree* each = find<g::each_rule>(n)) {
            r.form = ast::Rule::Form::each;
            if (const Tree* v = find<g::per_each_value>(*each)) r.each_value = chain(*v, std::nullopt);
            const Tree& filter = *find<g::event_filter>(*each);
            r.event = name(*find<g::event_name>(filter));
            if (const Tree* cond = find<g::filter_cond>(filter)) r.filter = expr(*cond);
            if (const Tree* by = find<g::by_table>(*each)) by_table(*by, r);
        } else if (const Tree* facts = find<g::fact_table_rule>(n)) {
            r.form = ast::Rule::Form::by_fact;
            by_table(*find<g::by_table>(*facts), r);
        } else if (const Tree* per = find<g::per_rule>(n)) {
            r.form = ast::Rule::Form::per;
            r.per_points = number(*find<g::per_points>(*per));
            r.per_unit = number(*find<g::per_unit>(*per));
            // A plain number stays a literal (the tools change it as such); anything else is an expression.
            const Tree& threshold = *find<g::per_threshold>(*per);
            if (threshold.children.size() == 1 && threshold.children.front()->is_type<g::number_lit>())
                r.per_threshold = number(*threshold.children.front());
            else r.per_threshold_expr = expr(*threshold.children.front());
            r.per_keyword = span(*find<g::per_keyword>(*per));
            r.shortfall_span = span(*find<g::shortfall_kind>(*per));
            const std::string_view kind = find<g::shortfall_kind>(*per)->string_view();
            r.shortfall = kind.starts_with("below")   ? ast::Rule::Shortfall::below
                          : kind.starts_with("above") ? ast::Rule::Shortfall::above
                                                      : ast::Rule::Shortfall::short_of;
            r.measure = name(*find<g::per_measure>(*per));
            if (const Tree* t = find<g::rounding_up>(*per)) r.rounding = ast::Rule::StepRounding::up, r.rounding_span = span(*t);
            if (const Tree* t = find<g::rounding_down>(*per)) r.rounding = ast::Rule::StepRounding::down, r.rounding_span = span(*t);
            if (const Tree* t = find<g::rounding_linear>(*per)) r.rounding = ast::Rule::StepRounding::linear, r.rounding_span = span(*t);
            r.rounding_clause = r.rounding_span;
            if (const Tree* k = find<g::rounding_keyword>(*per)) r.rounding_clause.begin = span(*k).begin;
        } else {
            r.form = ast::Rule::Form::value;
            r.value = expr(*find<g::expr_rule>(n));
        }
        int multipliers_over = 0;
        std::uint32_t before = r.span.begin;  // where the text before the current suffix ends
        for (const auto& c : n.children) {
            const std::uint32_t after = before;
            before = span(*c).end;
            if (c->is_type<g::cap_suffix>()) {
                // A second cap or condition would silently replace the first: say so instead.
                if (r.cap) {
                    error(span(*c), Code::P008, "this rule already has `at most`: give one cap (the smaller one)");
                    continue;
                }
                r.cap = number(*find<g::cap_value>(*c));
                r.cap_span = span(*c);
                r.cap_after = after;
            } else if (c->is_type<g::multiplier_suffix>()) {
                // Each `times` nests the rule's points one level deeper in the IR.
                if (r.multipliers.size() == kMaxMultipliers) {
                    if (!multipliers_over++)
                        error(span(*c), Code::P004, "more than " + std::to_string(kMaxMultipliers) +
                                                    " `times` suffixes on one rule (the limit)");
                    continue;
                }
                ast::Multiplier m;
                m.span = span(*c);
                const Tree& f = *find<g::factor>(*c);
                auto parts = find_all<g::number>(f);
                m.numerator = number(*parts.at(0));
                if (parts.size() > 1) m.denominator = number(*parts[1]);
                m.unless = find<g::multiplier_unless>(*c) != nullptr;
                m.keyword = span(*(m.unless ? find<g::multiplier_unless>(*c) : find<g::multiplier_if>(*c)));
                m.after = after;
                m.condition = expr(*find<g::multiplier_cond>(*c));
                r.multipliers.push_back(std::move(m));
            } else if (c->is_type<g::when_suffix>()) {
                if (r.when) {
                    error(span(*c), Code::P008, "this rule already has `when`: join the conditions with `and` in one `when`");
                    continue;
                }
                r.when = expr(*find<g::when_cond>(*c));
            } else if (c->is_type<g::rule_cite>()) {
                if (r.cite) {
                    error(span(*c), Code::P008, "this rule already has `cite`: give the item it scores once");
                    continue;
                }
                r.cite = text(*find<g::rule_citation>(*c));
            }
        }
        return r;
    }

    // ---- Structure

    ast::Node node(const Tree& n) {
        ast::Node out;
        out.is_section = n.is_type<g::section>();
        out.id = name(*find<g::name>(n));
        out.label = text(*find<g::label>(n));
        out.span = Span{file_, span(n).begin, out.label.span.end};
        if (const Tree* c = find<g::citation>(n)) out.cite = text(*c);
        out.no_floor = find<g::no_floor>(n) != nullptr;
        if (const Tree* f = find<g::start_from>(n)) {
            out.start_span = span(*f);
            out.start_full = find<g::start_full>(*f) != nullptr;
            if (const Tree* v = find<g::start_number>(*f)) out.start = number(*v);
        }
        // A header item given twice would silently keep one of them.
        const char* what = out.is_section ? "section" : "clause";
        // The header's items stand before the block's first section, clause or rule.
        out.header = out.span;
        bool cite_seen = false, no_floor_seen = false, start_seen = false, weight_seen = false;
        const Tree* maximum = nullptr;  // the first maximum, `N`, `uncapped` or `within N`
        bool other_seen = false;        // `cite`, `floor none` or `from` before it
        for (const auto& c : n.children) {
            if (c->is_type<g::section>() || c->is_type<g::clause>() || c->is_type<g::rule>()) break;
            out.header.end = std::max(out.header.end, span(*c).end);
            if (c->is_type<g::max_points>() || c->is_type<g::max_uncapped>() || c->is_type<g::max_within>()) {
                const bool within = c->is_type<g::max_within>();
                if (maximum && within && maximum->is_type<g::max_within>())
                    error(span(*c), Code::P008, std::string("this ") + what + " already has `within`: give its bound once");
                else if (maximum && (within || maximum->is_type<g::max_within>()))
                    error(span(*c), Code::P001,
                          "`within N` takes the place of a maximum: an adjustment starts at 0 and moves both ways, held "
                          "to -N..+N, with no maximum of its own; give the clause either `10` or `within 3`, and write "
                          "the other as a clause of its own");
                else if (maximum)
                    error(span(*c), Code::P008,
                          std::string("this ") + what + " already has a maximum: give it once" +
                              (c->is_type<g::max_uncapped>() || maximum->is_type<g::max_uncapped>()
                                   ? ", a number or `uncapped`, not both"
                                   : ""));
                else if (other_seen)
                    error(span(*c), Code::P001, std::string("the maximum comes right after the label, as in `") + what +
                                                    " ID \"LABEL\" 10 from 0 cite \"...\"`");
                if (!maximum) {
                    // Only the first counts: a second one is reported above.
                    maximum = c.get();
                    if (c->is_type<g::max_points>()) out.max = number(*c);
                    else if (c->is_type<g::max_uncapped>()) out.uncapped = true, out.uncapped_span = span(*c);
                    else if (const Tree* v = find<g::within_points>(*c)) out.within = number(*v);
                }
                continue;
            }
            if (c->is_type<g::citation>() || c->is_type<g::no_floor>() || c->is_type<g::start_from>() || c->is_type<g::weight>() ||
                c->is_type<g::node_period>())
                other_seen = true;
            if (c->is_type<g::node_period>()) {
                node_period(*c, out, what);
            } else if (c->is_type<g::weight>()) {
                // Only the first counts, as for every header item: a second would silently win.
                if (weight_seen) error(span(*c), Code::P008, std::string("this ") + what + " already has `weight`: give its weight once");
                else if (const Tree* v = find<g::weight_points>(*c)) {
                    out.weight = number(*v);
                    out.weight_span = span(*c);
                }
                weight_seen = true;
            } else if (c->is_type<g::citation>()) {
                if (cite_seen) error(span(*c), Code::P008, std::string("this ") + what + " already has `cite`: give its citation once");
                cite_seen = true;
            } else if (c->is_type<g::no_floor>()) {
                if (no_floor_seen) error(span(*c), Code::P008, std::string("this ") + what + " already has `floor none`: give it once");
                no_floor_seen = true;
            } else if (c->is_type<g::start_from>()) {
                if (start_seen) error(span(*c), Code::P008, std::string("this ") + what + " already has `from`: give its start once");
                start_seen = true;
            }
        }
        for (const auto& c : n.children) {
            if (c->is_type<g::section>() || c->is_type<g::clause>()) out.children.push_back(node(*c));
            else if (c->is_type<g::rule>()) out.rules.push_back(rule(*c));
        }
        return out;
    }

    // `each quarter mean`: the first counts; a second `each`, or a second `mean`/`sum`, would
    // silently win.
    void node_period(const Tree& c, ast::Node& out, const char* what) {
        if (out.period != ast::Rule::Period::none) {
            error(span(c), Code::P008, std::string("this ") + what + " already has `each`: give its period once");
            return;
        }
        out.period = find<g::period_month>(c) ? ast::Rule::Period::month : ast::Rule::Period::quarter;
        out.period_span = span(c);
        const auto combines = find_all<g::combine_sum>(c).size() + find_all<g::combine_mean>(c).size();
        for (const auto& k : c.children)
            if (k->is_type<g::combine_sum>() || k->is_type<g::combine_mean>()) {
                out.period_sum = k->is_type<g::combine_sum>();
                break;
            }
        if (combines > 1)
            error(span(c), Code::P008, "give `mean` or `sum` once: how the periods' scores make the year's");
    }

    static ast::Rule::Period period_of(const Tree& c) {
        return find<g::period_month>(c) ? ast::Rule::Period::month : ast::Rule::Period::quarter;
    }

    // ---- Declarations

    // `report 2 places half_up`, `round each clause 1 place`: the level, the places and the mode.
    ast::FigureRounding figure_rounding(const Tree& n) {
        ast::FigureRounding f;
        f.span = span(n);
        f.level = find<g::round_each_clause>(n)    ? ast::FigureRounding::Level::each_clause
                  : find<g::round_each_section>(n) ? ast::FigureRounding::Level::each_section
                  : find<g::round_at_total>(n)     ? ast::FigureRounding::Level::total
                                                   : ast::FigureRounding::Level::report;
        f.places = number(*find<g::figure_places>(n));
        if (const Tree* m = find<g::rounding_mode>(n)) f.mode = name(*m);
        return f;
    }

    ast::Declaration declaration(const Tree& n) {
        if (n.is_type<g::policy_decl>()) {
            ast::Policy p;
            p.span = span(n);
            p.name = text(*find<g::policy_name>(n));
            if (const Tree* v = find<g::policy_version>(n)) p.version = text(*find<g::quoted>(*v));
            if (const Tree* y = find<g::policy_year>(n)) p.year = number(*find<g::integer>(*y));
            if (const Tree* r = find<g::policy_round>(n)) {
                p.round_places = number(*find<g::integer>(*r));
                p.round_mode = name(*find<g::rounding_mode>(*r));
            }
            if (const Tree* t = find<g::card_total>(n)) p.total = number(*find<g::total_points>(*t));
            for (const auto& c : n.children)
                if (c->is_type<g::policy_report>() || c->is_type<g::policy_round_level>()) p.figures.push_back(figure_rounding(*c));
            // A header item given twice would silently keep the first (a `total` appended by an edit
            // would go unchecked).
            bool version = false, year = false, round = false, total = false;
            for (const auto& c : n.children) {
                const auto again = [&](bool& seen, const char* message) {
                    if (seen) error(span(*c), Code::P008, message);
                    seen = true;
                };
                if (c->is_type<g::policy_version>()) again(version, "the policy already has a `version`: give it once");
                else if (c->is_type<g::policy_year>()) again(year, "the policy already has a `year`: give the year it assesses once");
                else if (c->is_type<g::policy_round>()) again(round, "the policy already has `round`: give its rounding once");
                else if (c->is_type<g::card_total>()) again(total, "the policy already has a `total`: give the card's total once");
            }
            return p;
        }
        if (n.is_type<g::include_decl>()) return ast::Include{text(*find<g::include_path>(n)), span(n)};
        if (n.is_type<g::attribute_decl>()) {
            ast::Attribute a;
            a.span = span(n);
            a.id = name(*find<g::name>(n));
            a.label = text(*find<g::label>(n));
            for (const Tree* v : find_all<g::attribute_value>(n))
                a.values.emplace_back(name(*find<g::name>(*v)), text(*find<g::label>(*v)));
            return a;
        }
        if (n.is_type<g::value_decl>()) return ast::Value{name(*find<g::name>(n)), text(*find<g::label>(n)), expr(*find<g::expr>(n)), span(n)};
        if (n.is_type<g::group_decl>())
            return ast::Group{name(*find<g::name>(n)), text(*find<g::label>(n)), span(n)};
        if (n.is_type<g::event_decl>()) {
            ast::Event e;
            e.span = span(n);
            e.id = name(*find<g::name>(n));
            e.label = text(*find<g::label>(n));
            if (const Tree* lo = find<g::amount_lo>(n)) e.amount_min = number(*lo);
            if (const Tree* hi = find<g::amount_hi>(n)) e.amount_max = number(*hi);
            if (const Tree* k = find<g::amount_keyword>(n)) e.amount_span = Span{file_, span(*k).begin, e.amount_max ? e.amount_max->span.end : span(*k).end};
            for (const Tree* a : find_all<g::event_attribute>(n)) e.attributes.push_back(name(*a));
            e.unit_fact = find<g::event_unit_fact>(n) != nullptr;
            once<g::amount_keyword>(n, "this event already has an `amount` range: give it once");
            once<g::event_unit_fact>(n, "this event is already a `unit` fact: give `unit` once");
            return e;
        }
        if (n.is_type<g::measure_decl>() || n.is_type<g::rating_decl>()) {
            ast::Measure m;
            m.rating = n.is_type<g::rating_decl>();
            if (const Tree* v = find<g::rating_votes>(n)) {
                m.votes = true;
                for (const Tree* gv : find_all<g::attribute_value>(*v))
                    m.values.emplace_back(name(*find<g::name>(*gv)), text(*find<g::label>(*gv)));
                m.votes_span = span(*v);
                if (const Tree* mm = find<g::marks_method>(*v)) m.method_span = span(*mm);  // refused by the checker
            }
            if (const Tree* mm = find<g::marks_method>(n)) {
                m.method_span = span(*mm);
                if (const Tree* d = find<g::marks_dropping>(*mm)) m.dropping_span = span(*d);
            }
            m.span = span(n);
            m.id = name(*find<g::name>(n));
            m.label = text(*find<g::label>(n));
            m.whole = find<g::domain_whole>(n) != nullptr;
            if (const Tree* k = m.whole ? find<g::domain_whole>(n) : find<g::domain_decimal>(n)) m.domain_span = span(*k);
            if (const Tree* lo = find<g::domain_min>(n)) m.min = number(*lo);
            if (const Tree* hi = find<g::domain_max>(n)) m.max = number(*hi);
            // A rating's marks range has no `whole` or `decimal` before it: the range is its domain's place.
            if (m.rating && !m.whole && m.domain_span.end == m.domain_span.begin && m.min)
                m.domain_span = Span{file_, m.min->span.begin, m.max ? m.max->span.end : m.min->span.end};
            if (const Tree* sc = find<g::domain_scale>(n)) {
                m.domain_span = m.scale_span = span(*sc);
                for (const Tree* e : find_all<g::scale_entry>(*sc))
                    m.scale.emplace_back(name(*find<g::scale_label>(*e)), number(*find<g::scale_value>(*e)));
            }
            if (const Tree* d = find<g::measure_default>(n)) {
                m.default_value = number(*find<g::signed_number>(*d));
                m.default_span = span(*d);
            }
            once<g::measure_default>(n, "this measure already has a `default`: give it once");
            if (const Tree* per = find<g::measure_period>(n)) {
                m.period = period_of(*per);
                m.period_span = span(*per);
            }
            once<g::measure_period>(n, "this measure already has `each`: give its period once");
            return m;
        }
        if (n.is_type<g::fact_decl>() || n.is_type<g::standing_decl>()) {
            ast::Measure m;
            m.span = span(n);
            m.kind = n.is_type<g::fact_decl>() ? ast::Measure::Kind::yes_no : ast::Measure::Kind::standing;
            m.id = name(*find<g::name>(n));
            m.label = text(*find<g::label>(n));
            for (const Tree* v : find_all<g::attribute_value>(n))
                m.values.emplace_back(name(*find<g::name>(*v)), text(*find<g::label>(*v)));
            if (const Tree* d = find<g::fact_default_value>(n)) {
                m.default_name = name(*d);
                m.default_span = span(*d);
            }
            once<g::fact_default_value>(n, std::string("this ") + (m.kind == ast::Measure::Kind::yes_no ? "fact" : "standing") +
                                               " already has a `default`: give it once");
            return m;
        }
        if (n.is_type<g::role_decl>()) {
            ast::Role r;
            r.span = span(n);
            r.id = name(*find<g::name>(n));
            r.label = text(*find<g::label>(n));
            if (const Tree* t = find<g::card_total>(n)) r.total = number(*find<g::total_points>(*t));
            once<g::card_total>(n, "this role already has a `total`: give its card's total once");
            if (const Tree* body = find<g::role_body>(n)) {
                r.has_body = true;
                for (const Tree* s : find_all<g::section>(*body)) r.sections.push_back(node(*s));
            }
            return r;
        }
        if (n.is_type<g::section>()) return node(n);
        if (n.is_type<g::grades_decl>()) {
            ast::Grades gr;
            gr.span = span(n);
            for (const Tree* b : find_all<g::grade_band>(n)) {
                ast::GradeBand band;
                band.span = span(*b);
                band.name = text(*find<g::grade_name>(*b));
                if (const Tree* num = find<g::band_threshold>(*b)) band.at_least = number(*num);
                if (const Tree* q = find<g::grade_quota>(*b)) band.quota = grade_quota(*q);
                gr.bands.push_back(std::move(band));
            }
            return gr;
        }
        if (n.is_type<g::flag_decl>()) {
            ast::Flag f{name(*find<g::name>(n)), text(*find<g::label>(n)), expr(*find<g::flag_cond>(n)), {}, span(n)};
            if (const Tree* c = find<g::rule_cite>(n)) f.cite = text(*find<g::rule_citation>(*c));
            return f;
        }
        if (n.is_type<g::coefficient_decl>()) return coefficient(n);
        if (n.is_type<g::veto_decl>()) return veto(n);
        if (n.is_type<g::grade_rule>()) {
            ast::GradeRule r;
            r.grade = text(*find<g::grade_name>(n));
            r.at_most = find<g::grade_rule_at_most>(n) != nullptr;
            r.when = expr(*find<g::grade_rule_cond>(n));
            if (const Tree* c = find<g::rule_cite>(n)) r.cite = text(*find<g::rule_citation>(*c));
            r.span = span(n);
            return r;
        }
        return test(n);
    }

    ast::Veto veto(const Tree& n) {
        ast::Veto v;
        v.event = name(*find<g::veto_event>(n));
        v.span = span(n);
        if (const Tree* f = find<g::veto_filter>(n)) v.filter = expr(*f);
        if (const Tree* g = find<g::grade_name>(n)) v.grade = text(*g);
        v.action = find<g::veto_caps>(n) ? ast::Veto::Action::caps
                   : find<g::veto_forces>(n) ? ast::Veto::Action::forces
                                              : ast::Veto::Action::alone;
        if (const Tree* c = find<g::rule_cite>(n)) v.cite = text(*find<g::rule_citation>(*c));
        return v;
    }

    ast::TestEvent test_event(const Tree& n) {
        ast::TestEvent e;
        e.span = span(n);
        e.type = name(*find<g::name>(n));
        // A field given twice would silently keep the last, where a JSON record refuses it (R003).
        const auto twice = [&](const Tree& c, const std::string& field) {
            error(span(c), Code::P008, "this event already has " + field + ": give it once");
        };
        for (const auto& c : n.children) {
            if (c->is_type<g::field_amount>()) {
                if (e.amount) twice(*c, "an `amount`");
                else e.amount = signed_number(*find<g::signed_number>(*c));
            } else if (c->is_type<g::field_count>()) {
                if (e.count) twice(*c, "a `count`");
                else e.count = signed_number(*find<g::signed_number>(*c));
            } else if (c->is_type<g::field_date>()) {
                if (e.date) twice(*c, "a `date`");
                else e.date = text(*find<g::quoted>(*c));
            } else if (c->is_type<g::field_note>()) {
                if (e.note) twice(*c, "a `note`");
                else e.note = text(*find<g::quoted>(*c));
            } else if (c->is_type<g::field_attribute>()) {
                ast::Name attribute = name(*find<g::name>(*c));
                const bool seen = std::any_of(e.attributes.begin(), e.attributes.end(),
                                              [&](const auto& a) { return a.first.text == attribute.text; });
                if (seen) twice(*c, "attribute `" + attribute.text + "`");
                else e.attributes.emplace_back(std::move(attribute), name(*find<g::attr_value>(*c)));
            }
        }
        return e;
    }

    // `ratings { review: [92, 88, 95], votes: { excellent: 30 } }`: marks into `ratings`, votes
    // into `votes`, each rating once (`where`: "in this test", "for 2022-Q1").
    void test_ratings(const Tree& item, std::vector<std::pair<ast::Name, std::vector<ast::TestMark>>>& ratings,
                      std::vector<std::pair<ast::Name, std::vector<std::pair<ast::Name, ast::NumberLit>>>>& votes,
                      const std::string& where) {
        for (const Tree* rv : find_all<g::rating_given>(item)) {
            ast::Name r = name(*find<g::name>(*rv));
            const auto same = [&](const auto& x) { return x.first.text == r.text; };
            if (std::any_of(ratings.begin(), ratings.end(), same) || std::any_of(votes.begin(), votes.end(), same)) {
                error(span(*rv), Code::P008, "rating `" + r.text + "` is already given " + where + ": give it once");
                continue;
            }
            if (const Tree* vc = find<g::vote_counts>(*rv)) {
                std::vector<std::pair<ast::Name, ast::NumberLit>> counts;
                for (const Tree* v : find_all<g::vote_count>(*vc))
                    counts.emplace_back(name(*find<g::name>(*v)), signed_number(*find<g::signed_number>(*v)));
                votes.emplace_back(std::move(r), std::move(counts));
                continue;
            }
            std::vector<ast::TestMark> marks;
            for (const Tree* mk : find_all<g::rating_mark>(*rv)) {
                ast::TestMark mark;
                if (const Tree* num = find<g::signed_number>(*mk)) mark.number = signed_number(*num);
                else mark.label = name(*find<g::measure_label>(*mk));
                marks.push_back(std::move(mark));
            }
            ratings.emplace_back(std::move(r), std::move(marks));
        }
    }

    ast::Test test(const Tree& n) {
        ast::Test t;
        t.span = span(n);
        t.name = text(*find<g::test_name>(n));
        // Each item once, as each field of a JSON record once (R003): a second would silently win.
        std::set<std::string> given;
        const auto first = [&](const Tree& item, const std::string& what, const std::string& fix = "give it once") {
            if (given.insert(what).second) return true;
            error(span(item), Code::P008, "this test already has " + what + ": " + fix);
            return false;
        };
        for (const auto& c : n.children) {
            const Tree& item = *c;
            if (item.is_type<g::test_role>()) {
                if (first(item, "a `role`")) t.role = name(*find<g::name>(item));
            } else if (item.is_type<g::test_groups>()) {
                if (first(item, "`groups`", "list every group in one, separated by commas"))
                    for (const Tree* gname : find_all<g::test_group>(item)) t.groups.push_back(name(*gname));
            } else if (item.is_type<g::test_year>()) {
                if (first(item, "a `year`")) t.year = number(*find<g::integer>(item));
            } else if (item.is_type<g::test_id>()) {
                if (first(item, "an `id`")) t.id = text(*find<g::quoted>(item));
            } else if (item.is_type<g::test_measures>()) {
                if (!first(item, "a `measures { }` block", "put every measure in one")) continue;
                for (const Tree* mv : find_all<g::measure_value>(item)) {
                    ast::Name m = name(*find<g::name>(*mv));
                    const bool seen = std::any_of(t.measures.begin(), t.measures.end(),
                                                  [&](const auto& x) { return x.first.text == m.text; });
                    const bool labelled = std::any_of(t.measure_labels.begin(), t.measure_labels.end(),
                                                      [&](const auto& x) { return x.first.text == m.text; });
                    if (seen || labelled)
                        error(span(*mv), Code::P008, "measure `" + m.text + "` is already given in this test: give it once");
                    else if (const Tree* l = find<g::measure_label>(*mv)) t.measure_labels.emplace_back(std::move(m), name(*l));
                    else t.measures.emplace_back(std::move(m), signed_number(*find<g::signed_number>(*mv)));
                }
            } else if (item.is_type<g::test_facts>()) {
                if (!first(item, "a `facts { }` block", "put every fact in one")) continue;
                for (const Tree* fv : find_all<g::fact_value>(item)) {
                    ast::Name f = name(*find<g::name>(*fv));
                    const bool seen = std::any_of(t.facts.begin(), t.facts.end(),
                                                  [&](const auto& x) { return x.first.text == f.text; });
                    if (seen) error(span(*fv), Code::P008, "fact `" + f.text + "` is already given in this test: give it once");
                    else t.facts.emplace_back(std::move(f), name(*find<g::fact_given>(*fv)));
                }
            } else if (item.is_type<g::test_ratings>()) {
                if (!first(item, "a `ratings { }` block", "put every rating in one")) continue;
                test_ratings(item, t.ratings, t.votes, "in this test");
            } else if (item.is_type<g::test_events>() || item.is_type<g::test_unit_events>()) {
                const bool unit = item.is_type<g::test_unit_events>();
                if (!first(item, unit ? "a `unit { }` block" : "an `events { }` block",
                           unit ? "put every unit event in one" : "put every event in one"))
                    continue;
                auto& list = unit ? t.unit_events : t.events;
                for (const Tree* ev : find_all<g::event_item>(item)) list.push_back(test_event(*ev));
            } else if (item.is_type<g::test_record>()) {
                if (first(item, "a `record`")) t.record_file = text(*find<g::quoted>(item));
            } else if (item.is_type<g::test_period>()) {
                ast::TestPeriod tp;
                tp.span = span(item);
                const Tree& id = *find<g::period_id>(item);
                tp.period = ast::Text{id.string(), span(id)};
                if (!first(item, "a `period " + tp.period.value + "` block", "put every input of that period in one")) continue;
                if (const Tree* ms = find<g::test_measures>(item))
                    for (const Tree* mv : find_all<g::measure_value>(*ms)) {
                        ast::Name m = name(*find<g::name>(*mv));
                        const bool seen = std::any_of(tp.measures.begin(), tp.measures.end(),
                                                      [&](const auto& x) { return x.first.text == m.text; });
                        if (seen) error(span(*mv), Code::P008, "measure `" + m.text + "` is already given for " + tp.period.value + ": give it once");
                        else if (find<g::measure_label>(*mv))
                            error(span(*mv), Code::P001, "a measure given per period takes a number, as in `" + m.text + ": 9`");
                        else tp.measures.emplace_back(std::move(m), signed_number(*find<g::signed_number>(*mv)));
                    }
                if (const Tree* rs = find<g::test_ratings>(item)) test_ratings(*rs, tp.ratings, tp.votes, "for " + tp.period.value);
                once<g::test_measures>(item, "this period already has a `measures { }` block: put every measure in one");
                once<g::test_ratings>(item, "this period already has a `ratings { }` block: put every rating in one");
                t.periods.push_back(std::move(tp));
            } else if (item.is_type<g::test_expect>()) t.expectations.push_back(expectation(item));
        }
        return t;
    }

    // `coefficient pay_factor "考核系数" by grade { "优秀": 1.2, otherwise: 0 }` or `by total { >= 95: 1.3, ... }`.
    ast::Coefficient coefficient(const Tree& n) {
        ast::Coefficient c;
        c.span = span(n);
        c.id = name(*find<g::name>(n));
        c.label = text(*find<g::label>(n));
        const Tree* by = find<g::coefficient_by_grade>(n);
        c.by_grade = by != nullptr;
        if (!by) by = find<g::coefficient_by_total>(n);
        c.by_span = span(*by);
        std::vector<const Tree*> entries = find_all<g::coefficient_grade_entry>(*by);
        for (const Tree* e : find_all<g::coefficient_total_entry>(*by)) entries.push_back(e);
        for (const Tree* e : entries) {
            ast::CoefficientEntry entry;
            entry.span = span(*e);
            if (const Tree* g = find<g::coefficient_grade>(*e)) entry.grade = text(*g);
            if (const Tree* t = find<g::coefficient_at_least>(*e)) entry.at_least = number(*find<g::band_threshold>(*t));
            entry.value = number(*find<g::coefficient_value>(*e));
            c.entries.push_back(std::move(entry));
        }
        if (const Tree* cite = find<g::rule_cite>(n)) c.cite = text(*find<g::rule_citation>(*cite));
        return c;
    }

    // An expected figure, `92.5` or a fraction `461/6` (a zero denominator is C011), spanning it all.
    ast::NumberLit expected_number(const Tree& expected) {
        ast::NumberLit value = signed_number(*find<g::signed_number>(expected));
        if (const Tree* den = find<g::expected_denominator>(expected)) {
            const Number d = number(*den).value;
            if (d.is_zero()) error(span(*den), Code::C011, "the expected fraction divides by zero");
            else value.value = value.value / d;
        }
        value.span = span(expected);
        return value;
    }

    ast::Expectation expectation(const Tree& n) {
        ast::Expectation x;
        x.span = span(n);
        if (const Tree* e = find<g::expect_error>(n)) {
            x.kind = ast::Expectation::Kind::error;
            x.text = text(*find<g::quoted>(*e));
        } else if (const Tree* w = find<g::expect_warning>(n)) {
            x.kind = ast::Expectation::Kind::warning;
            x.text = text(*find<g::quoted>(*w));
        } else if (const Tree* ve = find<g::expect_veto>(n)) {
            x.kind = ast::Expectation::Kind::veto;
            const ast::Name event = name(*find<g::expect_veto_event>(*ve));
            x.path = event.text;
            x.path_span = event.span;
        } else if (find<g::expect_no_veto>(n)) {
            x.kind = ast::Expectation::Kind::veto;  // with no event: no veto
        } else if (const Tree* r = find<g::expect_rank>(n)) {
            x.kind = ast::Expectation::Kind::rank;
            x.value = number(*find<g::expected_rank>(*r));
        } else if (const Tree* gr = find<g::expect_grade>(n)) {
            x.kind = ast::Expectation::Kind::grade;
            x.text = text(*find<g::quoted>(*gr));
        } else if (const Tree* f = find<g::expect_flag>(n)) {
            x.kind = find<g::expect_flag_absent>(*f) ? ast::Expectation::Kind::no_flag : ast::Expectation::Kind::flag;
            const Tree& id = *find<g::expect_flag_name>(*f);
            x.path = id.string();
            x.path_span = span(id);
        } else if (const Tree* co = find<g::expect_coefficient>(n)) {
            x.kind = ast::Expectation::Kind::coefficient;
            const Tree& id = *find<g::expect_coefficient_name>(*co);
            x.path = id.string();
            x.path_span = span(id);
            x.value = expected_number(*find<g::expected_number>(*co));
        } else {
            const Tree& v = *find<g::expect_value>(n);
            x.kind = ast::Expectation::Kind::value;
            const Tree* path = find<g::expect_total>(v);
            if (!path) path = find<g::expect_path>(v);
            if (!path) {
                path = find<g::expect_named_value>(v);
                x.named_value = true;
            }
            x.path = path->string();
            x.path_span = span(*path);
            x.value = expected_number(*find<g::expected_number>(v));
            x.rounded = find<g::expect_rounded>(v) != nullptr;
            if (const Tree* per = find<g::expect_period>(v)) {
                const Tree& id = *find<g::period_id>(*per);
                x.period = ast::Text{id.string(), span(id)};
            }
        }
        return x;
    }

private:
    Sources& sources_;
    std::uint32_t file_;
    std::vector<Diagnostic>& diagnostics_;
};

}  // namespace

// One parsed file: its declarations, each with the diagnostics that building it gave, or the
// diagnostics of a file that did not parse.
struct ParseCache::Impl {
    struct Parsed {
        std::string text;
        std::vector<ast::Declaration> declarations;
        std::vector<std::vector<Diagnostic>> diagnostics;  // per declaration
        std::vector<Diagnostic> failure;                   // the file's own parse errors
    };
    // By canonical path and the file's index in its compilation's Sources (spans hold the index).
    std::map<std::pair<std::string, std::uint32_t>, Parsed> parsed;
    std::map<std::string, std::string> disk;  // file texts read from disk, by canonical path
};

ParseCache::ParseCache() : impl_(std::make_unique<Impl>()) {}
ParseCache::~ParseCache() = default;

namespace {

class Reader {
public:
    Reader(Sources& sources, std::vector<Diagnostic>& diagnostics, const ParseOptions& options = {})
        : sources_(sources), diagnostics_(diagnostics), options_(options) {}

    void error(const Location& where, Code code, std::string message) {
        if (!diag::admit(diagnostics_, diag::severity(code), where.file)) return;
        diagnostics_.push_back(diag::make(code, where, std::move(message)));
    }

    // Reads `path` from disk; `from` is the include that asked for it (for the error's place) and
    // `written` its path as written there ("" for the root file).
    void read_file(const std::string& path, const Location& from, std::string written = {}) {
        std::error_code ec;
        const auto canonical = std::filesystem::weakly_canonical(path, ec);
        const std::string key = ec ? path : canonical.string();
        // Confined: decided on the resolved path before anything is opened, so a file outside
        // is never read and nothing of it (not even whether it exists) reaches the message.
        if (!options_.confine_to.empty() && !confine_root()) {
            error(from, Code::P003, "cannot read rule file " + path + ": the rulesets directory " + options_.confine_to +
                                    " cannot be resolved");
            return;
        }
        if (!options_.confine_to.empty() && (ec || !confined(key))) {
            error(from, Code::P003,
                  (written.empty() ? "rule file " + path : "include \"" + written + "\"") +
                      " is outside the rulesets directory " + options_.confine_to +
                      ": every file of this ruleset must be inside it");
            return;
        }
        for (const auto& open : stack_) {
            if (open == key) {
                error(from, Code::P006, "include cycle: " + path + " includes itself (directly or through other files)");
                return;
            }
        }
        if (done_.count(key)) return;  // already read: each file counts once
        if (stack_.size() >= kMaxIncludeDepth) {
            error(from, Code::P006, "includes nested more than " + std::to_string(kMaxIncludeDepth) + " files deep (the limit)");
            return;
        }
        if (options_.overlay) {
            if (auto it = options_.overlay->find(key); it != options_.overlay->end()) {
                done_.insert(key);
                read_text(path, it->second, key, false);
                return;
            }
        }
        if (options_.cache) {
            auto& disk = options_.cache->impl().disk;
            if (auto it = disk.find(key); it != disk.end()) {
                done_.insert(key);
                read_text(path, it->second, key, true);
                return;
            }
        }
        // Confined, the resolved path is the one opened: the one that was checked.
        FileText f = kaohe::read_file(options_.confine_to.empty() ? path : key, kMaxFileBytes);
        if (f.status == FileText::Status::too_large) {
            error(from, Code::P004, "rule file " + path + " is larger than " + std::to_string(kMaxFileBytes >> 20) +
                                    " MiB (the limit)");
            return;
        }
        if (f.status != FileText::Status::ok) {
            error(from, Code::P003, "cannot read rule file " + path + ": " + f.reason);
            return;
        }
        done_.insert(key);
        if (options_.cache) options_.cache->impl().disk.emplace(key, f.text);
        read_text(path, std::move(f.text), key, options_.cache != nullptr);
    }

    // The directory the ruleset is confined to, resolved once; false when it cannot be.
    bool confine_root() {
        if (!confine_dir_) {
            std::error_code ec;
            const auto dir = std::filesystem::canonical(options_.confine_to, ec);
            confine_dir_ = ec || !std::filesystem::is_directory(dir, ec) ? std::string() : dir.string();
        }
        return !confine_dir_->empty();
    }

    // Whether a resolved path lies inside the directory the ruleset is confined to.
    bool confined(const std::string& resolved) const {
        const std::string& dir = *confine_dir_;
        if (dir == "/") return true;
        return resolved.size() > dir.size() && resolved.compare(0, dir.size(), dir) == 0 && resolved[dir.size()] == '/';
    }

    // `cacheable`: the text is the file's text on disk, so its parse may be kept in the cache.
    void read_text(const std::string& name, std::string text, const std::string& key, bool cacheable = false) {
        const std::uint32_t file = sources_.add(name, std::move(text));
        const std::string& src = sources_.text(file);
        ParseCache::Impl::Parsed* cached = nullptr;
        bool record = false;  // parse, and keep the result in the cache
        if (options_.cache) {
            auto& parsed = options_.cache->impl().parsed;
            auto it = parsed.find({key, file});
            if (it != parsed.end() && it->second.text == src) cached = &it->second;
            else if (cacheable && it == parsed.end()) {
                cached = &parsed[{key, file}];
                cached->text = src;
                record = true;
            }
        }
        if (cached && !record) {
            replay(name, key, *cached);
            return;
        }
        const std::size_t failure_from = diagnostics_.size();
        auto keep_failure = [&] {
            if (record)
                cached->failure.assign(diagnostics_.begin() + static_cast<std::ptrdiff_t>(failure_from), diagnostics_.end());
        };
        if (auto bad = first_invalid_utf8(src)) {
            error(sources_.locate(Span{file, static_cast<std::uint32_t>(*bad), static_cast<std::uint32_t>(*bad + 1)}),
                  Code::P002, "invalid UTF-8 at byte " + std::to_string(*bad) + ": rule files must be UTF-8 text");
            keep_failure();
            return;
        }
        std::unique_ptr<Tree> root;
        try {
            pegtl::memory_input<> in(src.data(), src.size(), name);
            root = pegtl::parse_tree::parse<grammar::file, selector, depth_action, control>(in);
        } catch (const pegtl::parse_error& e) {
            const auto& pos = e.positions().front();
            Span at{file, static_cast<std::uint32_t>(pos.byte), static_cast<std::uint32_t>(pos.byte + 1)};
            const bool continuation = dynamic_cast<const missing_continuation*>(&e) != nullptr;
            std::string message(e.message());
            if (message.find("nesting depth") != std::string::npos)
                message = "rules nested too deeply (the parser's limit is " + std::to_string(kMaxGrammarDepth) +
                          " grammar levels: about 100 nested parentheses or 150 nested sections)";
            // An unknown escape: shown as written, at its backslash.
            if (message == grammar::message<grammar::escape_char> && pos.byte > 0 && pos.byte <= src.size()) {
                at.begin = static_cast<std::uint32_t>(pos.byte - 1);
                std::string shown = "\\";
                if (pos.byte < src.size() && src[pos.byte] != '\n' && src[pos.byte] != '\r')
                    shown += std::string_view(src).substr(pos.byte, decode_at(src, pos.byte).length);
                at.end = static_cast<std::uint32_t>(at.begin + shown.size());
                message = "unknown escape `" + shown + "`" + (message.c_str() + std::string_view("unknown escape").size());
            }
            // Where the parse stopped at a character that only looks like syntax (an input
            // method's `：`, a full-width space, an invisible one), that character is the cause.
            if (pos.byte < src.size()) {
                const CodePoint cp = decode_at(src, pos.byte);
                if (auto u = unusual(cp.value)) {
                    at.end = static_cast<std::uint32_t>(pos.byte + cp.length);
                    std::string what = describe_unusual(cp.value, std::string_view(src).substr(pos.byte, cp.length), *u);
                    what += u->invisible         ? ": delete it"
                            : u->ascii.empty() ? " outside quotes, where it is no part of a name or of the language"
                                               : ", outside quotes";
                    error(sources_.locate(at), Code::P007, std::move(what));
                    keep_failure();
                    return;
                }
            }
            if (continuation)
                if (auto end = end_of_line_before(src, pos.byte))
                    at = Span{file, static_cast<std::uint32_t>(*end), static_cast<std::uint32_t>(*end + 1)};
            error(sources_.locate(at), Code::P001, message);
            keep_failure();
            return;
        }
        if (!root) {
            error(sources_.locate(Span{file, 0, 1}), Code::P001, "not a rule file");
            keep_failure();
            return;
        }
        Builder b(sources_, file, diagnostics_);
        stack_.push_back(key);
        const auto declare = [&](const Tree& c, const std::optional<ast::Text>& population) {
            const std::size_t from = diagnostics_.size();
            ast::Declaration d = b.declaration(c);
            if (population) std::get<ast::Test>(d).population = population;
            if (record) {
                cached->declarations.push_back(d);
                cached->diagnostics.emplace_back(diagnostics_.begin() + static_cast<std::ptrdiff_t>(from), diagnostics_.end());
            }
            add(name, std::move(d));
        };
        for (const auto& c : root->children) {
            // A population's tests are declarations of their own, each naming the population.
            if (c->is_type<g::population_decl>()) {
                const ast::Text population = b.text(*Builder::find<g::population_name>(*c));
                for (const Tree* t : Builder::find_all<g::test_decl>(*c)) declare(*t, population);
            } else declare(*c, std::nullopt);
        }
        stack_.pop_back();
    }

    // A declaration of file `name` joins the module; an include reads its file there.
    void add(const std::string& name, ast::Declaration d) {
        if (auto* inc = std::get_if<ast::Include>(&d)) {
            const std::filesystem::path base = std::filesystem::path(name).parent_path();
            const std::string target = (base / inc->path.value).lexically_normal().string();
            module.declarations.push_back(std::move(d));
            const auto& written = std::get<ast::Include>(module.declarations.back()).path;
            read_file(target, sources_.locate(written.span), written.value);
        } else {
            module.declarations.push_back(std::move(d));
        }
    }

    // A cached file: the same declarations and diagnostics, in the same order, as parsing it.
    void replay(const std::string& name, const std::string& key, const ParseCache::Impl::Parsed& p) {
        diagnostics_.insert(diagnostics_.end(), p.failure.begin(), p.failure.end());
        if (!p.failure.empty()) return;
        stack_.push_back(key);
        for (std::size_t i = 0; i < p.declarations.size(); ++i) {
            diagnostics_.insert(diagnostics_.end(), p.diagnostics[i].begin(), p.diagnostics[i].end());
            add(name, ast::Declaration(p.declarations[i]));
        }
        stack_.pop_back();
    }

    ast::Module module;

private:
    Sources& sources_;
    std::vector<Diagnostic>& diagnostics_;
    ParseOptions options_;
    std::vector<std::string> stack_;
    std::set<std::string> done_;
    std::optional<std::string> confine_dir_;  // options_.confine_to resolved, once
};

}  // namespace

ast::Module parse_file(const std::string& path, Sources& sources, std::vector<Diagnostic>& diagnostics) {
    Reader r(sources, diagnostics);
    Location none;
    none.file = path;
    r.read_file(path, none);
    return std::move(r.module);
}

ast::Module parse_file(const std::string& path, Sources& sources, std::vector<Diagnostic>& diagnostics,
                       const ParseOptions& options) {
    Reader r(sources, diagnostics, options);
    Location none;
    none.file = path;
    r.read_file(path, none);
    return std::move(r.module);
}

ast::Module parse_text(std::string name, std::string text, Sources& sources, std::vector<Diagnostic>& diagnostics) {
    Reader r(sources, diagnostics);
    const std::string key = name;
    // The same limit as a rule file on disk, whichever host handed the text over.
    if (text.size() > kMaxFileBytes) {
        Location at;
        at.file = name;
        r.error(at, Code::P004, "rule text " + name + " is larger than " + std::to_string(kMaxFileBytes >> 20) +
                                " MiB (the limit)");
        return std::move(r.module);
    }
    r.read_text(name, std::move(text), key);
    return std::move(r.module);
}

}  // namespace kaohe::parse
