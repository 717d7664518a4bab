// Mutation testing (include/kaohe/policy.hpp): every single-point change to a ruleset that a
// policy author could get wrong, each compiled in memory and run against the tests.
//
// Mutants are made from the IR's rules and declarations as written (ir/written.hpp), as text
// edits of one rule file. They run on the ordered pool (support/ordered_pool.hpp), a few mutants
// to a work item: a thread compiles a mutant with that file's changed text standing in for the
// file on disk (Overlay); the files it does not change come from the thread's compile cache,
// so only the changed file is parsed again. The tests that exercised the
// changed construct on the unchanged ruleset run first, and a mutant's run stops at its first
// failing test.
#include <algorithm>
#include <chrono>
#include <set>
#include <tuple>
#include <utility>

#include "api/access.hpp"
#include "api/compile.hpp"
#include "kaohe/policy.hpp"
#include "change/common.hpp"
#include "ir/range.hpp"
#include "support/ordered_pool.hpp"
#include "support/text.hpp"
#include "testing/observation.hpp"

namespace kaohe::policy {

std::string MutationReport::summary() const {
    return "mutants: " + std::to_string(results.size()) + ", killed: " + std::to_string(killed) +
           ", survived: " + std::to_string(survived) + ", score: " + score().round(1, Rounding::half_up).to_string() + "%";
}

Number MutationReport::score() const {
    if (results.empty()) return Number(100);
    return Number(static_cast<std::int64_t>(killed)) * Number(100) / Number(static_cast<std::int64_t>(results.size()));
}

std::string MutationReport::text() const {
    if (!ok()) return terminal_text(error) + "\n";
    std::string out;
    for (const auto& m : results)
        if (m.status == MutantResult::Status::survived)
            out += terminal_place(m.mutant.where) + ": survived: " + json_quote(m.mutant.before) + " -> " +
                   json_quote(m.mutant.after) + "\n";
    if (!equivalent.empty())
        out += "not generated, equivalent by construction: " + std::to_string(equivalent.size()) +
               " (kaohe mutate --format json lists them)\n";
    out += "ran " + std::to_string(tests) + " tests against each mutant, on " + std::to_string(threads) +
           (threads == 1 ? " thread" : " threads") + ", in " +
           Number::fraction(milliseconds, 1000).round(1, Rounding::half_up).to_string(1) + " s\n";
    return out + summary() + "\n";
}

std::string MutationReport::json() const {
    if (!ok()) return "{\"error\":" + json_quote(error) + "}";
    std::string out = "{\"mutants\":[";
    for (std::size_t i = 0; i < results.size(); ++i) out += (i ? "," : "") + results[i].json();
    out += "],\"equivalent\":[";
    for (std::size_t i = 0; i < equivalent.size(); ++i) out += (i ? "," : "") + equivalent[i].json();
    return out + "],\"summary\":{\"mutants\":" + std::to_string(results.size()) + ",\"killed\":" + std::to_string(killed) +
           ",\"survived\":" + std::to_string(survived) + "}}";
}

std::string MutantResult::json() const {
    const char* s = status == Status::survived ? "survived" : status == Status::killed_by_test ? "killed" : "rejected";
    std::string out = "{\"file\":" + json_quote(mutant.where.file) + ",\"line\":" + std::to_string(mutant.where.line) +
                      ",\"column\":" + std::to_string(mutant.where.column) + ",\"kind\":" + json_quote(mutant.kind) +
                      ",\"before\":" + json_quote(mutant.before) + ",\"after\":" + json_quote(mutant.after) +
                      ",\"status\":\"" + s + "\"";
    if (!killer.empty()) out += ",\"killed_by\":" + json_quote(killer);
    return out + "}";
}

std::string Equivalent::json() const {
    return "{\"file\":" + json_quote(where.file) + ",\"line\":" + std::to_string(where.line) +
           ",\"column\":" + std::to_string(where.column) + ",\"kind\":" + json_quote(kind) +
           ",\"before\":" + json_quote(before) + ",\"after\":" + json_quote(after) +
           ",\"status\":\"equivalent\",\"reason\":" + json_quote(reason) + "}";
}

namespace {

using ir::NodeId, ir::RuleId;

// The literal one step up or down in its last digit: 5000 → 5001 / 4999, 0.5 → 0.6 / 0.4.
std::optional<std::string> step(std::string_view lit, int dir, bool allow_negative) {
    auto n = Number::from_decimal(lit);
    if (!n) return std::nullopt;
    const std::size_t dot = lit.find('.');
    const std::size_t places = dot == std::string_view::npos ? 0 : lit.size() - dot - 1;
    Number unit(1);
    for (std::size_t i = 0; i < places; ++i) unit = unit / Number(10);
    const Number v = dir > 0 ? *n + unit : *n - unit;
    if (v.is_negative() && !allow_negative) return std::nullopt;
    return v.to_string(static_cast<int>(places) + 1);
}

struct Anchor {
    std::string rule;     // rule key (file + position): tests that moved a score through it first
    std::string node;     // node key: tests whose card has it next
    std::string event;    // event id: tests that give the event
    std::string measure;  // measure id: tests that give the measure
    bool grades = false;  // tests that expect a grade
};

struct Generated {
    Mutant mutant;
    Anchor anchor;
    std::uint32_t file = 0;  // in the ruleset's Sources
};

class Generator {
public:
    Generator(const ir::Program& p, std::vector<Generated>& out, std::vector<Equivalent>* equivalent)
        : p_(p), s_(p.sources), out_(out), equivalent_(equivalent) {}

    // Nodes in declaration order (parents first), then the vocabulary. The order only matters
    // for the list of equivalent mutants, which nodes and rules alone give.
    void run() {
        for (std::size_t n = 0; n < p_.nodes.size(); ++n) node(p_.nodes[n]);
        for (const auto& e : p_.events) event(e);
        for (const auto& m : p_.measures) measure(m);
        for (const auto& v : p_.values) phrases(v.written, v.expr_span, Anchor{});  // a named value's definition
        for (const auto& f : p_.flags) phrases(f.written, f.when_span, Anchor{});   // a flag's condition
        grades();
        quotas();
        figures();
        coefficients();
        // Grade rules' conditions and vetoes' `where`: a test expecting a grade or a veto kills them.
        Anchor decides;
        decides.grades = true;
        for (const auto& g : p_.grade_rules) phrases(g.written, g.span, decides);
        for (const auto& v : p_.vetoes) phrases(v.written, v.span, decides);
    }

private:
    const std::string& text(std::uint32_t file) const { return s_.text(file); }
    std::string key(Span at) { return keys_.key(at.file) + ":" + std::to_string(at.begin); }

    // Adds the mutant that replaces [begin, end) of `file` with `replacement`; the phrase shown is
    // [from, to) before and after the change (a removal is shown where its phrase starts, at
    // `from`). A non-empty `equivalent` reason records it instead.
    void add(const char* kind, std::uint32_t file, std::uint32_t begin, std::uint32_t end, std::string replacement,
             std::uint32_t from, std::uint32_t to, const Anchor& anchor, const std::string& equivalent = "") {
        const std::string& t = text(file);
        Mutant m;
        m.file = s_.name(file);
        m.begin = begin;
        m.end = end;
        m.replacement = std::move(replacement);
        m.kind = kind;
        m.where = s_.locate(Span{file, begin == end || m.replacement.empty() ? from : begin, end});
        m.before = one_line(std::string_view(t).substr(from, to - from));
        // The phrase after the change: a removal that starts before the phrase (its space) takes it all.
        const std::string head = begin > from ? t.substr(from, begin - from) : std::string();
        const std::string tail = end < to ? t.substr(end, to - end) : std::string();
        m.after = one_line(head + m.replacement + tail);
        if (!seen_.insert({file, begin, end, m.replacement}).second) return;
        if (!equivalent.empty()) {
            if (equivalent_) equivalent_->push_back(Equivalent{m.where, m.kind, m.before, m.after, equivalent});
            return;
        }
        out_.push_back({std::move(m), anchor, file});
    }

    // A number one up and one down. `equivalent(v)` gives the reason a new value is equivalent.
    template <typename Eq>
    void number(const ir::Literal& lit, std::uint32_t from, std::uint32_t to, const Anchor& anchor, bool allow_negative,
                Eq&& equivalent) {
        const std::string_view written = s_.slice(lit.span);
        for (int dir : {+1, -1}) {
            auto v = step(written, dir, allow_negative);
            if (!v) continue;
            auto nv = Number::from_decimal(*v);
            add("number", lit.span.file, lit.span.begin, lit.span.end, *v, from, to, anchor, nv ? equivalent(*nv) : "");
        }
    }
    void number(const ir::Literal& lit, std::uint32_t from, std::uint32_t to, const Anchor& anchor,
                bool allow_negative = false) {
        number(lit, from, to, anchor, allow_negative, [](const Number&) { return std::string(); });
    }

    // ---- Structure

    void node(const ir::Node& n) {
        const ir::WrittenNode& w = n.written;
        const std::uint32_t file = n.span.file;
        Anchor anchor;
        anchor.node = key(n.span);
        if (w.max) number(*w.max, n.span.begin, w.max->span.end, anchor);
        if (w.within) number(*w.within, n.span.begin, w.within->span.end, anchor);
        // A weight moved by one (70% → 71%, 69%): its siblings no longer add up to 100%, so the
        // checker kills it (C042) unless the weights stand alone.
        if (w.weight) number(*w.weight, n.span.begin, w.weight->span.end, anchor);
        if (!w.section && !w.no_floor && !n.within) {
            // `floor none` goes after the maximum (or `uncapped`), before any `cite`.
            add("floor removed", file, w.floor_at, w.floor_at, " floor none", n.span.begin, w.floor_at, anchor,
                n.floor_reachable() ? "" : "the floor of a clause that can never go below 0");
        }
        if (n.earned && w.start.end > w.start.begin) {
            // `from 0` removed: the clause starts full again. The space before it goes with it.
            const std::string& t = text(file);
            std::uint32_t begin = w.start.begin;
            while (begin > n.span.begin && (t[begin - 1] == ' ' || t[begin - 1] == '\t')) --begin;
            add("start removed", file, begin, w.start.end, "", w.start.begin, w.start.end, anchor);
        }
        for (RuleId r : n.rules) rule(p_.rule(r), n, anchor.node);
    }

    // A deduction of at least the clause's whole maximum, in a clause that only deducts and keeps
    // its floor, empties the clause whenever it counts: one point more or less (still at least the
    // maximum) gives the same score for every record. That holds for the number of `deduct N each
    // E` and of `deduct N` (with or without `when`), and for a number N inside `deduct min(N, ...)`
    // (both min(N, x) and min(N', x) are x below the maximum, and empty the clause above it).
    // A table's entry is what the rule counts for each event of that value (or for the person's
    // value of a fact): `table_entry` says the number is one.
    std::string whole_clause_equivalent(const ir::Node& n, const ir::Rule& rule, Span literal, const Number& was,
                                        const Number& v, bool table_entry = false) const {
        const ir::WrittenNode& w = n.written;
        const ir::WrittenRule& r = rule.written;
        if (w.section || w.no_floor || !w.max || !r.multipliers.empty() || rule.sign > 0) return "";
        const Number& max = w.max->value;
        if (was < max || v < max) return "";
        for (RuleId other : n.rules) {
            const ir::Rule& o = p_.rule(other);
            if (o.sign > 0 || !o.counted.lo || o.counted.lo->is_negative()) return "";
        }
        const auto is_literal = [&](ir::ExprId e) {
            const ir::Expr& x = p_.expr(e);
            return x.op == ir::Expr::Op::constant && x.span.file == literal.file && x.span.begin == literal.begin;
        };
        bool saturates = table_entry;
        if (table_entry) {
        } else if (rule.form == ir::Rule::Form::each) {
            saturates = r.each_points && r.each_points->span.begin == literal.begin;
        } else if (rule.points != ir::none) {
            const ir::Expr& x = p_.expr(rule.points);
            saturates = is_literal(rule.points);
            if (x.op == ir::Expr::Op::min)
                for (ir::ExprId a : x.args) saturates = saturates || is_literal(a);
        }
        return saturates ? "a deduction of at least the clause's whole maximum, in a clause that only deducts" : "";
    }

    // The mirror for an earned clause (`from 0`) that only adds points that cannot be negative: an
    // addition of at least its whole maximum, uncapped and without a multiplier, fills the clause
    // whenever it applies, with the original and with the mutant alike.
    std::string earned_whole_equivalent(const ir::Node& n, const ir::Rule& rule, const Number& written,
                                        const Number& v) const {
        const ir::WrittenNode& w = n.written;
        if (!n.earned || !w.max || rule.sign < 0 || rule.cap || !rule.written.multipliers.empty()) return "";
        for (RuleId other : n.rules) {
            const ir::Rule& o = p_.rule(other);
            if (o.sign < 0 || !o.counted.lo || o.counted.lo->is_negative()) return "";
        }
        if (written >= w.max->value && v >= w.max->value)
            return "an addition of at least the clause's whole maximum, in an earned clause that only adds";
        return "";
    }

    // A `by` table's numbers. An entry of at least the clause's whole maximum empties a clause
    // that only deducts, or fills an earned clause that only adds, whenever it counts.
    void table(const ir::Node& n, const ir::Rule& ir_rule, const Anchor& anchor) {
        for (const auto& e : ir_rule.written.table)
            number(e.points, e.key_span.begin, e.points.span.end, anchor, false, [&](const Number& v) {
                return ir_rule.sign < 0 ? whole_clause_equivalent(n, ir_rule, e.points.span, e.points.value, v, true)
                                        : earned_whole_equivalent(n, ir_rule, e.points.value, v);
            });
    }

    void rule(const ir::Rule& ir_rule, const ir::Node& n, const std::string& node_key) {
        const ir::WrittenRule& r = ir_rule.written;
        const Span span = ir_rule.span;
        const std::uint32_t file = span.file;
        Anchor anchor;
        anchor.rule = key(span);
        anchor.node = node_key;

        switch (r.form) {
        case ir::WrittenRule::Form::each:
            if (ir_rule.event != ir::none) anchor.event = p_.event(ir_rule.event).id;
            if (r.each_points) {
                number(*r.each_points, span.begin, r.each_points->span.end, anchor, false, [&](const Number& v) {
                    const std::string whole =
                        whole_clause_equivalent(n, ir_rule, r.each_points->span, r.each_points->value, v);
                    return whole.empty() ? earned_whole_equivalent(n, ir_rule, r.each_points->value, v) : whole;
                });
            } else {
                phrases(r.each_value, span, anchor);
            }
            phrases(r.filter, span, anchor);
            table(n, ir_rule, anchor);
            break;
        case ir::WrittenRule::Form::per: {
            number(r.per_points, span.begin, r.per_points.span.end, anchor);
            number(r.per_unit, r.per_keyword.begin, r.per_unit.span.end, anchor);
            // The shortfall's words lie between the unit and the threshold.
            const std::uint32_t kb = r.shortfall_span.begin, ke = r.shortfall_span.end;
            if (r.threshold_is_expr) phrases(r.threshold, span, anchor);
            else number(r.per_threshold, kb, r.per_threshold.span.end, anchor);
            const char* flipped = r.shortfall == ir::WrittenRule::Shortfall::above ? "below" : "above";
            add("comparison", file, kb, ke, flipped, kb, r.per_threshold.span.end, anchor);
            rounding(ir_rule, anchor);
            break;
        }
        case ir::WrittenRule::Form::value:
            // `add 2 when self_governing` in a 2-point earned clause: its one number, written alone.
            phrases(r.value, span, anchor, [&](const ir::Phrase& e, const Number& v) {
                std::string why = whole_clause_equivalent(n, ir_rule, e.span, e.value, v);
                if (why.empty() && r.value.size() == 1 && p_.expr(ir_rule.points).op == ir::Expr::Op::constant)
                    why = earned_whole_equivalent(n, ir_rule, e.value, v);
                return why;
            });
            table(n, ir_rule, anchor);  // by a fact
            // `each month` ↔ `each quarter`: the same condition read over other periods.
            if (ir_rule.period != ir::PeriodKind::year)
                add("period", file, r.period.begin, r.period.end, ir_rule.period == ir::PeriodKind::month ? "quarter" : "month",
                    span.begin, r.period.end, anchor);
            break;
        }
        if (r.cap) {
            const std::uint32_t from = r.cap_span.begin;
            const std::optional<Number>& bound = ir_rule.counted.hi;
            const std::string unreachable = "a cap the rule can never reach";
            number(*r.cap, from, r.cap->span.end, anchor, false, [&](const Number& v) {
                return bound && *bound <= r.cap->value && *bound <= v ? unreachable : std::string();
            });
            add("cap removed", file, r.cap_after, r.cap->span.end, "", from, r.cap->span.end, anchor,
                bound && *bound <= r.cap->value ? unreachable : "");
        }
        for (const auto& m : r.multipliers) {
            const std::uint32_t factor_end = m.denominator ? m.denominator->span.end : m.numerator.span.end;
            number(m.numerator, m.span.begin, factor_end, anchor);
            if (m.denominator) number(*m.denominator, m.span.begin, factor_end, anchor);
            add("condition", file, m.keyword.begin, m.keyword.end, m.unless ? "if" : "unless", m.span.begin, m.span.end, anchor);
            phrases(m.condition, span, anchor);
            add("multiplier dropped", file, m.after, m.span.end, "", m.span.begin, m.span.end, anchor);
        }
        phrases(r.when, span, anchor);
        // A condition with no comparison to flip (`when has_system`, `when not lead`, `when a and b`)
        // is negated whole, so that a test suite must see the rule both apply and not apply.
        const bool compares = std::any_of(r.when.begin(), r.when.end(),
                                          [](const ir::Phrase& e) { return e.kind == ir::Phrase::Kind::comparison; });
        if (ir_rule.when != ir::none && !compares) {
            const Span c = p_.expr(ir_rule.when).span;
            add("condition", file, c.begin, c.end, "not (" + std::string(s_.slice(c)) + ")", c.begin, c.end, anchor);
        }
    }

    void rounding(const ir::Rule& ir_rule, const Anchor& anchor) {
        using R = ir::WrittenRule::StepRounding;
        const ir::WrittenRule& r = ir_rule.written;
        if (r.rounding == R::unspecified) return;
        const std::uint32_t file = ir_rule.span.file;
        const std::uint32_t from = r.rounding_span.begin, to = r.rounding_span.end;
        // Steps are always whole when the measure is whole, the threshold whole, and the step
        // divides 1: then up, down and linear compute the same.
        std::string equivalent;
        if (ir_rule.measure != ir::none && p_.measure(ir_rule.measure).whole &&
            (r.threshold_is_expr ? ir::expression_bounds(p_, ir_rule.threshold, ir::none).whole
                                : r.per_threshold.value.is_integer()) &&
            !r.per_unit.value.is_zero() && (Number(1) / r.per_unit.value).is_integer())
            equivalent = "rounding of a per-step rule whose steps are always whole";
        static const std::pair<R, const char*> kinds[] = {
            {R::up, "rounding up"}, {R::down, "rounding down"}, {R::linear, "linear"}};
        for (const auto& [k, words] : kinds)
            if (k != r.rounding) add("rounding", file, from, to, words, from, to, anchor, equivalent);
    }

    // Numbers, comparisons and min/max inside an expression, in the order written. A number is
    // shown with the expression that holds it, and from the rule's start when that is near on the
    // same line.
    void phrases(const std::vector<ir::Phrase>& list, Span rule, const Anchor& anchor) {
        phrases(list, rule, anchor, [](const ir::Phrase&, const Number&) { return std::string(); });
    }
    // `equivalent(phrase, new value)` says why a changed number cannot change any score ("": it can).
    template <class Eq>
    void phrases(const std::vector<ir::Phrase>& list, Span rule, const Anchor& anchor, Eq&& equivalent) {
        using K = ir::Phrase::Kind;
        for (const ir::Phrase& e : list) {
            const std::uint32_t file = e.span.file;
            switch (e.kind) {
            case K::number: {
                std::uint32_t from = e.shown.begin;
                if (from - rule.begin <= 24 && s_.locate(Span{file, rule.begin, rule.begin}).line ==
                                                   s_.locate(Span{file, from, from}).line)
                    from = rule.begin;
                number(ir::Literal{e.value, e.span}, from, std::max(e.shown.end, e.span.end), anchor, false,
                       [&](const Number& v) { return equivalent(e, v); });
                break;
            }
            case K::comparison: {
                using C = ir::Phrase::Compare;
                static const std::map<C, const char*> flip = {{C::lt, "<="}, {C::le, "<"}, {C::gt, ">="},
                                                              {C::ge, ">"},  {C::eq, "!="}, {C::ne, "="}};
                add("comparison", file, e.word.begin, e.word.end, flip.at(e.compare), e.span.begin, e.span.end, anchor);
                break;
            }
            case K::min:
            case K::max:
                add("min/max", file, e.word.begin, e.word.end, e.kind == K::min ? "max" : "min", e.span.begin, e.span.end,
                    anchor);
                break;
            }
        }
    }

    // ---- Vocabulary

    void event(const ir::Event& e) {
        if (!e.has_amount) return;
        Anchor anchor;
        anchor.event = e.id;
        const std::uint32_t from = e.amount_from;
        // A signed range (`amount -20..20`) steps its ends across 0 as well.
        const bool signed_range = e.amount_min.is_negative();
        number(ir::Literal{e.amount_min, e.amount_min_span}, from, e.amount_max_span.end, anchor, signed_range);
        number(ir::Literal{e.amount_max, e.amount_max_span}, from, e.amount_max_span.end, anchor, signed_range);
    }

    void measure(const ir::Measure& m) {
        Anchor anchor;
        anchor.measure = m.id;
        if (m.fact()) return;  // a fact's values are names: its tables and conditions carry its numbers
        // A scale's values are its domain: each is a number to move (a test that gives the old
        // value then holds a value off the scale, and fails).
        for (std::size_t i = 0; i < m.scale_spans.size(); ++i)
            number(ir::Literal{m.scale_values[i], m.scale_spans[i]}, m.domain_from, m.scale_spans.back().end, anchor, true);
        if (m.min && m.scale_spans.empty()) {
            const std::uint32_t from = m.domain_from;
            const std::uint32_t to = m.max ? m.max_span.end : m.min_span.end;
            number(ir::Literal{*m.min, m.min_span}, from, to, anchor, true);
            if (m.max) number(ir::Literal{*m.max, m.max_span}, from, to, anchor, true);
        }
        if (m.default_value)
            number(ir::Literal{*m.default_value, m.default_span}, m.default_from, m.default_span.end, anchor, true);
        // A rating's `dropping highest and lowest` toggled: a test whose highest and lowest marks
        // do not balance around the mean of the others kills it.
        if (m.rating)
            add("dropping toggled", m.method_span.file, m.method_span.begin, m.method_span.end,
                m.dropping ? "mean" : "mean dropping highest and lowest", m.method_span.begin, m.method_span.end, anchor);
    }

    void grades() {
        if (!p_.grades_span) return;
        Anchor anchor;
        anchor.grades = true;
        for (const auto& b : p_.grades)
            if (b.at_least) number(ir::Literal{*b.at_least, b.at_least_span}, b.span.begin, b.span.end, anchor);
    }

    // A quota's rounding (`down` / `nearest`), its tie rule (`all_in` / `all_out`) and its tie
    // measure's order (`highest` / `lowest`), each turned to the other: a population of tests
    // expecting the grades at the quota's boundary kills them. (The share is not moved: killing
    // 15% → 16% takes a population of sixteen.)
    void quotas() {
        Anchor anchor;
        anchor.grades = true;
        for (const auto& b : p_.grades) {
            if (!b.quota) continue;
            const Span q = b.quota->span;
            const std::string_view written = s_.slice(q);
            static constexpr std::pair<const char*, const char*> swaps[] = {
                {"down", "nearest"}, {"nearest", "down"}, {"all_in", "all_out"}, {"all_out", "all_in"}, {"highest", "lowest"}, {"lowest", "highest"}};
            for (const auto& [from, to] : swaps) {
                const std::size_t at = word_at(written, from);
                if (at == std::string_view::npos) continue;
                const auto begin = static_cast<std::uint32_t>(q.begin + at);
                add("quota", q.file, begin, begin + static_cast<std::uint32_t>(std::string_view(from).size()), to, q.begin,
                    q.end, anchor);
            }
        }
    }

    // Where `word` stands alone in `text` (not inside a longer name), or npos.
    static std::size_t word_at(std::string_view text, std::string_view word) {
        const auto name_char = [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                   static_cast<unsigned char>(c) >= 0x80;
        };
        for (std::size_t at = text.find(word); at != std::string_view::npos; at = text.find(word, at + 1))
            if ((at == 0 || !name_char(text[at - 1])) && (at + word.size() == text.size() || !name_char(text[at + word.size()])))
                return at;
        return std::string_view::npos;
    }

    // The places of `report N places` and of `round each clause|each section|total N places`, one
    // up and one down (not below 0): a test expecting the figure (`= 89.96 rounded`, or a score
    // the rounding moved) kills them.
    void figures() {
        for (const std::optional<ir::Places>* f :
             {&p_.policy.report, &p_.policy.each_clause, &p_.policy.each_section, &p_.policy.at_total})
            if (*f) number(ir::Literal{Number((*f)->places), (*f)->places_span}, (*f)->span.begin, (*f)->span.end, Anchor{});
    }

    // A coefficient's values and its bands' thresholds, each moved up and down: a test that expects
    // the coefficient kills it.
    void coefficients() {
        for (const auto& c : p_.coefficients)
            for (const auto& e : c.entries) {
                if (e.at_least) number(ir::Literal{*e.at_least, e.at_least_span}, e.span.begin, e.span.end, Anchor{});
                number(ir::Literal{e.value, e.value_span}, e.span.begin, e.span.end, Anchor{});
            }
    }

    const ir::Program& p_;
    const Sources& s_;
    std::vector<Generated>& out_;
    std::vector<Equivalent>* equivalent_;
    FileKeys keys_{s_};
    std::set<std::tuple<std::uint32_t, std::uint32_t, std::uint32_t, std::string>> seen_;
};

std::vector<Generated> generate(const Ruleset& ruleset, std::vector<Equivalent>* equivalent) {
    std::vector<Generated> out;
    Generator(Access::program(ruleset), out, equivalent).run();
    std::stable_sort(out.begin(), out.end(), [](const Generated& a, const Generated& b) {
        return std::tie(a.file, a.mutant.begin) < std::tie(b.file, b.mutant.begin);
    });
    return out;
}

// ---- Running

// What a test exercised on the unchanged ruleset, to order the tests for each mutant.
struct TestInfo {
    std::size_t root = 0, index = 0;
    std::set<std::string> rules_moved, card, events, measures;
    bool grade = false;
};

using api::compile;

std::string first_error(const std::vector<Diagnostic>& ds) {
    for (const auto& d : ds)
        if (d.severity == Severity::error) return "error[" + d.code + "]: " + d.message;
    return "error";
}

}  // namespace

std::vector<Mutant> mutants_of(const Ruleset& ruleset, std::vector<Equivalent>* equivalent) {
    std::vector<Mutant> out;
    for (auto& g : generate(ruleset, equivalent)) out.push_back(std::move(g.mutant));
    return out;
}

MutationReport mutate(const std::string& rules, const std::vector<std::string>& test_files, const MutationOptions& options) {
    MutationReport report;
    std::vector<Diagnostic> diagnostics;
    auto ruleset = compile(rules, nullptr, nullptr, diagnostics);
    if (!ruleset) {
        report.error = rules + " does not compile";
        report.diagnostics = std::move(diagnostics);
        return report;
    }
    std::vector<Generated> mutants = generate(*ruleset, &report.equivalent);

    // The unchanged ruleset: every test must pass, and what each exercised is kept.
    std::vector<TestInfo> tests;
    for (std::size_t root = 0; root < test_files.size(); ++root) {
        std::vector<Diagnostic> ds;
        auto compiled = compile(test_files[root], nullptr, nullptr, ds);
        if (!compiled) {
            report.error = test_files[root] + " does not compile";
            report.diagnostics = std::move(ds);
            return report;
        }
        const ir::Program& p = Access::program(*compiled);
        FileKeys keys(p.sources);
        TestOptions opts;
        const auto observe = [&](const testing::TestObservation& o) {
            TestInfo info;
            info.root = root;
            info.index = o.index;
            if (o.raw) {
                for (const auto& e : o.raw->events) info.events.emplace(e.type);
                for (const auto& [m, v] : o.raw->measures) info.measures.emplace(m);
                for (const auto& [f, v] : o.raw->facts) info.measures.emplace(f);
                for (const auto& [g, v] : o.raw->ratings) info.measures.emplace(g);
            }
            if (o.raw_unit)
                for (const auto& e : o.raw_unit->events) info.events.emplace(e.type);
            for (const auto& x : o.test.expectations)
                info.grade = info.grade || x.kind == ir::Expectation::Kind::grade || x.kind == ir::Expectation::Kind::veto;
            if (o.record && o.result) {
                for (NodeId n : p.role(o.record->role).nodes) {
                    const Span at = p.node(n).span;
                    info.card.insert(keys.key(at.file) + ":" + std::to_string(at.begin));
                }
                for (const auto& l : o.result->lines) {
                    if (l.rule == ir::none || l.points.is_zero()) continue;
                    const Span at = p.rule(l.rule).span;
                    info.rules_moved.insert(keys.key(at.file) + ":" + std::to_string(at.begin));
                }
            }
            tests.push_back(std::move(info));
        };
        TestReport r = testing::run_observed(*compiled, opts, observe);
        for (const auto& t : r.tests) {
            if (!t.passed) {
                report.error = "the tests fail on the unchanged ruleset: " + t.where.file + ":" +
                               std::to_string(t.where.line) + ": test \"" + t.name + "\"";
                return report;
            }
        }
    }
    report.tests = tests.size();

    // Keys of the rule files, for the overlay.
    std::map<std::string, std::string> overlay_keys;
    for (const auto& g : mutants)
        if (!overlay_keys.count(g.mutant.file)) overlay_keys.emplace(g.mutant.file, file_key(g.mutant.file));
    std::map<std::string, std::string> texts;
    for (std::uint32_t f = 0; f < Access::program(*ruleset).sources.size(); ++f)
        texts.emplace(Access::program(*ruleset).sources.name(f), Access::program(*ruleset).sources.text(f));

    // The pool's rule for the count, and no more threads than mutants.
    const unsigned threads =
        static_cast<unsigned>(std::min<std::size_t>(pool_threads(options.threads), std::max<std::size_t>(1, mutants.size())));
    report.threads = threads;
    report.results.reserve(mutants.size());
    const auto start = std::chrono::steady_clock::now();

    // One mutant, compiled with the files it does not change taken from the thread's cache.
    const auto run_mutant = [&](const Generated& g, api::CompileCache& cache) {
        MutantResult result;
        result.mutant = g.mutant;
        const std::string& original = texts.at(g.mutant.file);
        Overlay overlay;
        overlay.emplace(overlay_keys.at(g.mutant.file), original.substr(0, g.mutant.begin) + g.mutant.replacement +
                                                         original.substr(g.mutant.end));
        std::vector<Diagnostic> ds;
        if (!compile(rules, &overlay, &cache, ds)) {
            result.status = MutantResult::Status::killed_by_checker;
            result.killer = first_error(ds);
        } else {
            // Tests in order: those that exercised the changed construct, then the rest.
            std::vector<std::pair<int, std::size_t>> order;
            for (std::size_t t = 0; t < tests.size(); ++t) {
                const TestInfo& info = tests[t];
                const Anchor& a = g.anchor;
                int tier = 3;
                if (!a.rule.empty() && info.rules_moved.count(a.rule)) tier = 0;
                else if (!a.event.empty() && info.events.count(a.event)) tier = 0;
                else if (!a.measure.empty() && info.measures.count(a.measure)) tier = 0;
                else if (a.grades && info.grade) tier = 0;
                else if (!a.node.empty() && info.card.count(a.node)) tier = 1;
                order.emplace_back(tier, t);
            }
            std::stable_sort(order.begin(), order.end(),
                             [](const auto& x, const auto& y) { return x.first < y.first; });
            std::map<std::size_t, std::optional<Ruleset>> roots;
            std::set<std::size_t> broken;
            for (std::size_t k = 0; k < order.size() && result.status == MutantResult::Status::survived;) {
                const std::size_t root = tests[order[k].second].root;
                TestOptions opts;
                opts.stop_at_first_failure = true;
                for (; k < order.size() && tests[order[k].second].root == root; ++k)
                    opts.only.push_back(tests[order[k].second].index);
                if (broken.count(root)) continue;
                auto it = roots.find(root);
                if (it == roots.end()) {
                    std::vector<Diagnostic> rds;
                    it = roots.emplace(root, compile(test_files[root], &overlay, &cache, rds)).first;
                    if (!it->second) {
                        broken.insert(root);
                        result.status = MutantResult::Status::killed_by_checker;
                        result.killer = test_files[root] + ": " + first_error(rds);
                        break;
                    }
                }
                TestReport r = run_tests(*it->second, opts);
                for (const auto& t : r.tests) {
                    if (t.passed) continue;
                    result.status = MutantResult::Status::killed_by_test;
                    result.killer = t.where.file + ":" + std::to_string(t.where.line) + ": " + t.name;
                    break;
                }
            }
        }
        return result;
    };

    // On the one pool: a work item is a few consecutive mutants; each thread keeps a compile
    // cache. Results come back in the mutants' order (by file and position).
    struct Chunk {
        std::size_t begin = 0, end = 0;  // mutants [begin, end)
        std::vector<MutantResult> results;
    };
    struct Context {
        api::CompileCache cache;
    };
    constexpr std::size_t kMutantsPerChunk = 4;
    std::size_t next = 0;
    run_ordered<Chunk>(
        threads, [] { return Context{}; },
        [&](Chunk& c) {
            if (next >= mutants.size()) return false;
            c.begin = next;
            c.end = next = std::min(mutants.size(), next + kMutantsPerChunk);
            return true;
        },
        [&](Chunk& c, Context& ctx) {
            c.results.clear();
            for (std::size_t i = c.begin; i < c.end; ++i) c.results.push_back(run_mutant(mutants[i], ctx.cache));
        },
        [&](Chunk& c) {
            for (MutantResult& r : c.results) {
                report.results.push_back(std::move(r));
                if (options.progress) options.progress(report.results.size(), mutants.size());
            }
            return true;
        });
    report.milliseconds =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
    for (const auto& r : report.results) (r.status == MutantResult::Status::survived ? report.survived : report.killed)++;
    return report;
}

}  // namespace kaohe::policy
