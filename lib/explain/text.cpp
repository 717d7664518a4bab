// The scorecard for people: each section and clause with its label, maximum and score, and under
// each clause the lines that moved it. Every text taken from a record or a rule file (ids, names,
// labels, notes, file names) goes through printable(): a record cannot drive the terminal.
#include <algorithm>

#include "eval/expressions.hpp"
#include "explain/explain.hpp"
#include "support/text.hpp"

namespace kaohe::explain {
namespace {

std::string num(const ir::Program& p, const Number& n) { return n.to_string(p.policy.round_places, p.policy.rounding); }

// A rounded figure with all the policy's places, "90.00", so that it reads as rounded, not exact.
std::string padded(const ir::Program& p, const Number& n) {
    std::string s = num(p, n);
    if (p.policy.round_places <= 0) return s;
    const auto dot = s.find('.');
    const std::size_t places = dot == std::string::npos ? 0 : s.size() - dot - 1;
    if (dot == std::string::npos) s += '.';
    s.append(static_cast<std::size_t>(p.policy.round_places) - std::min<std::size_t>(places, static_cast<std::size_t>(p.policy.round_places)), '0');
    return s;
}

// A figure a line read, and its exact value beside it when the policy's figures round it.
std::string exactly_shown(const ir::Program& p, const Number& n) { return num(p, n) + exact_beside(p, n); }

std::string signed_num(const ir::Program& p, const Number& n) {
    return (n.is_negative() ? "" : "+") + num(p, n);
}

// A points table over a fact: "村类型: 村民自治村 (autonomous)", and when the table does not list
// the value, that its `otherwise` gave the points.
std::string fact_line(const ir::Program& p, const ir::Rule& rule, const ir::Measure& m, const Number& v) {
    const auto i = v.to_int64();
    if (!i || *i < 0 || *i >= static_cast<std::int64_t>(m.values.size())) return printable(m.label);
    const auto at = static_cast<std::size_t>(*i);
    std::string s = printable(m.label) + ": " + printable(m.value_labels[at]) + " (" + printable(m.values[at]) + ")";
    if (rule.table != ir::none) {
        const ir::Table& t = p.table(rule.table);
        if (t.otherwise && !t.points[ir::ValueId::at(at)]) s += " (not in the table: otherwise " + num(p, *t.otherwise) + ")";
    }
    return s;
}

// A `per` rule's threshold written as an expression, for this record. The evaluator has just
// computed it for the same record, so it cannot fail here.
Number threshold(const ir::Program& p, const record::Record& r, const ir::Rule& rule, const ir::Period& period) {
    return eval::Expressions(p, r, period).num(rule.threshold, nullptr);
}

// The counts, sums and per-period inputs a period rule's condition reads, in that period:
// "缺勤 count(absent) = 4", "季度任务完成数 output = 9".
void period_counts(const ir::Program& p, const eval::Expressions& x, ir::ExprId e, std::string& out) {
    if (e == ir::none) return;
    const ir::Expr& ex = p.expr(e);
    if (ex.op == ir::Expr::Op::count || ex.op == ir::Expr::Op::sum_amount || ex.op == ir::Expr::Op::longest_run) {
        const std::string part = printable(p.event(ex.event()).label) + " " + printable(std::string(p.sources.slice(ex.span))) +
                                 " = " + num(p, x.num(e, nullptr));
        if (out.find(part) == std::string::npos) out += (out.empty() ? "" : ", ") + part;
        return;
    }
    if (ex.op == ir::Expr::Op::measure && p.measure(ex.measure()).period != ir::PeriodKind::year) {
        const ir::Measure& m = p.measure(ex.measure());  // an input given per period: its value in this one
        const std::string part = printable(m.label) + " " + printable(m.id) + " = " + num(p, x.num(e, nullptr));
        if (out.find(part) == std::string::npos) out += (out.empty() ? "" : ", ") + part;
        return;
    }
    if (ex.op == ir::Expr::Op::named) return period_counts(p, x, p.value(ex.named()).expr, out);
    for (ir::ExprId c : {ex.a, ex.b, ex.c}) period_counts(p, x, c, out);
    for (ir::ExprId c : ex.args) period_counts(p, x, c, out);
}

// A period rule's line: "2022-03: 缺勤 count(absent) = 4".
std::string period_line(const ir::Program& p, const record::Record& r, const ir::Rule& rule, const ir::Period& period) {
    eval::Expressions x(p, r);
    x.set_period(period);
    std::string counts;
    period_counts(p, x, rule.when, counts);
    return ir::period_name(r.year, period) + ": " + counts;
}

}  // namespace

namespace {

// The per-event arithmetic, rendered from the IR the evaluator computes with (not from the rule's
// text), so that the line cannot disagree with the points: every value the event or the record
// supplies (`amount`, a measure, `count(...)`, `sum(...)`, a table's points) is substituted, an
// `if` shows the branch taken, and operators print with the parser's precedence, parenthesised
// exactly where the tree needs it. The text is itself an expression of the language (`×` for
// `*`) that evaluates to the result printed after it.
class Arithmetic {
public:
    Arithmetic(const ir::Program& p, const record::Record& r, const record::Event& e, const ir::Period& period)
        : p_(p), x_(p, r, period), e_(e) {}

    // Levels as the grammar nests them: sum < product < unary minus < primary.
    enum Level { sum = 1, product = 2, unary = 3, primary = 4 };
    struct Text {
        std::string s;
        Level level;
    };

    Text render(ir::ExprId id) const {
        using Op = ir::Expr::Op;
        const ir::Expr& ex = p_.expr(id);
        switch (ex.op) {
        case Op::neg: {
            const Text a = render(ex.a);
            // `-(-4)` and `-(3 + 1)`, never `--4`.
            return {"-" + (a.level < unary || a.s.starts_with("-") ? "(" + a.s + ")" : a.s), unary};
        }
        case Op::add: return binary(render(ex.a), " + ", render(ex.b), sum);
        case Op::sub: return binary(render(ex.a), " - ", render(ex.b), sum);
        case Op::mul: return binary(render(ex.a), " × ", render(ex.b), product);
        case Op::div: return binary(render(ex.a), " / ", render(ex.b), product);
        case Op::floor:
        case Op::ceil: return {std::string(ex.op == Op::floor ? "floor(" : "ceil(") + render(ex.a).s + ")", primary};
        case Op::min:
        case Op::max: {
            std::string s = ex.op == Op::min ? "min(" : "max(";
            for (std::size_t i = 0; i < ex.args.size(); ++i) s += (i ? ", " : "") + render(ex.args[i]).s;
            return {s + ")", primary};
        }
        case Op::if_then: return render(x_.truth(ex.a, &e_) ? ex.b : ex.c);
        default: return value(x_.num(id, &e_));  // a constant, or a value the record supplies
        }
    }

    // A rule's points: its per-event value, then each `times` multiplier that applied (one that did
    // not multiplies by 1 and is left out). The checker lowers `V times F if C` onto
    // `V × (if C then F else 1)`, one multiplication per multiplier, the last outermost.
    Text points(const ir::Rule& rule) const {
        std::vector<ir::ExprId> factors;
        ir::ExprId base = rule.points;
        for (std::size_t i = 0; i < rule.multiplier_conditions.size(); ++i) {
            const ir::Expr& m = p_.expr(base);
            if (m.op != ir::Expr::Op::mul) break;
            factors.push_back(m.b);
            base = m.a;
        }
        Text t = render(base);
        for (auto f = factors.rbegin(); f != factors.rend(); ++f) {
            const Number factor = x_.num(*f, &e_);
            if (factor != Number(1)) t = binary(std::move(t), " × ", value(factor), product);
        }
        return t;
    }

private:
    // A left operand is bracketed when it binds more loosely than the operator, a right one also
    // when it binds as loosely (`a - (b - c)`, `a / (b × c)`: the operators are left-associative);
    // a negative right operand of `+` or `-` is bracketed for the eye (`3 - (-4)`).
    static Text binary(Text a, const char* op, Text b, Level level) {
        const bool additive = level == sum;
        std::string s = a.level < level ? "(" + a.s + ")" : std::move(a.s);
        s += op;
        s += b.level <= level || (additive && b.s.starts_with("-")) ? "(" + b.s + ")" : b.s;
        return {std::move(s), level};
    }

    // A number as the language writes it: exact; a fraction with no finite decimal form (a
    // multiplier's `1/3`) as a division.
    Text value(const Number& n) const {
        std::int64_t num = 0, den = 1;
        if (!n.has_finite_decimal() && n.small(num, den)) {
            const Text q{std::to_string(num < 0 ? -num : num) + " / " + std::to_string(den), product};
            return num < 0 ? Text{"-(" + q.s + ")", unary} : q;
        }
        std::string s = n.has_finite_decimal() ? n.to_string() : n.to_string(p_.policy.round_places, p_.policy.rounding);
        const Level level = s.starts_with("-") ? unary : primary;
        return {std::move(s), level};
    }

    const ir::Program& p_;
    eval::Expressions x_;
    const record::Event& e_;
};

}  // namespace

// Points per event computed from the event, with its numbers: "0.3 × floor(9 / 4) = 0.6" (one
// occurrence, before the rule's sign). Empty when the rule's points are a number or `amount`.
std::string arithmetic(const ir::Program& p, const record::Record& r, const eval::Line& l) {
    if (l.kind != eval::Line::Kind::event || l.rule == ir::none) return "";
    const ir::Rule& rule = p.rule(l.rule);
    if (rule.arithmetic.begin == rule.arithmetic.end) return "";
    const record::Event& e = r.event(l.event);
    const Arithmetic a(p, r, e, l.period);
    return a.points(rule).s + " = " + num(p, eval::Expressions(p, r, l.period).num(rule.points, &e));
}

namespace {

std::string describe(const ir::Program& p, const record::Record& r, const eval::Line& l) {
    switch (l.kind) {
    case eval::Line::Kind::event: {
        const record::Event& e = r.event(l.event);
        const ir::Event& decl = p.event(e.type);
        std::string s = printable(decl.label) + " " + printable(decl.id);
        if (e.count != 1) s += " ×" + std::to_string(e.count);
        if (e.has_amount) s += " amount " + num(p, e.amount);
        // A negative value turns the rule's way: `add amount` of -5 deducts. The note follows what
        // is negative: the amount, or the computation when the points are computed from it.
        const std::string computed = arithmetic(p, r, l);
        std::string turned;
        if (l.rule != ir::none && !l.points.is_zero() && l.points.is_negative() == (p.rule(l.rule).sign > 0))
            turned = p.rule(l.rule).sign > 0 ? " (negative: a deduction)" : " (negative: an addition)";
        if (computed.empty()) s += turned;
        for (ir::SlotId slot : e.attributes.ids()) {
            if (e.attributes[slot] == ir::none) continue;
            const ir::Attribute& a = p.attribute(decl.attributes[slot]);
            s += " " + printable(a.value_label(e.attributes[slot]));
        }
        if (e.date.year) {
            s += " ";
            record::append_date(s, e.date);
        }
        if (e.from_unit) s += " (unit record)";
        if (!computed.empty()) s += ": " + computed + turned;
        if (l.otherwise) s += " (not in the table: otherwise " + num(p, *p.table(p.rule(l.rule).table).otherwise) + ")";
        if (!e.note.empty()) s += " “" + printable(e.note) + "”";
        return s;
    }
    case eval::Line::Kind::value: {
        const ir::Rule& rule = p.rule(l.rule);
        if (!l.period.whole_year() && rule.period != ir::PeriodKind::year) return period_line(p, r, rule, l.period);
        if (rule.measure != ir::none) {
            const ir::Measure& m = p.measure(rule.measure);
            const Number& v = *r.measure(p, rule.measure, l.period);
            if (m.fact()) return fact_line(p, rule, m, v);
            const auto& given = r.marks(p, rule.measure, l.period);  // a rating's marks, in the line's period
            if (m.kind == ir::Measure::Kind::votes && given) {
                // "民主测评票 votes: 优秀 30 + 称职 10 of 42 votes = 20/21"
                const record::Record::Marks& votes = *given;
                std::string s = printable(m.label) + " " + printable(m.id) + ":";
                static const std::vector<ir::ValueId> no_grades;  // only `share(...)` reads a vote rating
                const ir::Expr* share_read = share_in(p, rule);
                const std::vector<ir::ValueId>& grades = share_read ? share_read->grades : no_grades;
                for (std::size_t i = 0; i < grades.size(); ++i) {
                    const ir::ValueId g = grades[i];
                    s += (i ? " + " : " ") + printable(m.value_labels[g.index()]) + " " + std::to_string(votes.votes[g.index()]);
                }
                const Number share = votes.share_of(grades);
                std::int64_t n = 0, d = 1;
                const bool fraction = !share.has_finite_decimal() && share.small(n, d);
                return s + " of " + std::to_string(votes.count) + " votes = " +
                       (fraction ? std::to_string(n) + "/" + std::to_string(d) : num(p, share));
            }
            if (m.rating && given) {  // "民主测评 review: mean of 5 marks = 90"
                const record::Record::Marks& marks = *given;
                std::string s = printable(m.label) + " " + printable(m.id) + ": mean of " + std::to_string(marks.count) + (marks.count == 1 ? " mark" : " marks");
                if (marks.dropped_highest)
                    s += ", highest " + num(p, *marks.dropped_highest) + " and lowest " + num(p, *marks.dropped_lowest) + " dropped";
                // A mean with no finite decimal form is shown exactly, as the share is: a rounded
                // "90" beside a rule that fired for "< 90" would read as a wrong deduction.
                std::int64_t n = 0, d = 1;
                if (!v.has_finite_decimal() && v.small(n, d))
                    s += " = " + std::to_string(n) + "/" + std::to_string(d) + " (" + padded(p, v) + " as rounded)";
                else s += " = " + num(p, v);
                if (rule.threshold != ir::none) s += ", threshold " + exactly_shown(p, threshold(p, r, rule, l.period));
                return s;
            }
            const std::string* on_scale = m.scale_label(v);  // a scale's value is shown with its label
            std::string s = printable(m.label) + " " + printable(m.id) + " = " + num(p, v) +
                            (on_scale ? " (" + printable(*on_scale) + ")" : "");
            if (rule.threshold != ir::none) s += ", threshold " + exactly_shown(p, threshold(p, r, rule, l.period));
            return s;
        }
        if (rule.named != ir::none) {  // "工作量 workload = 87.5"
            const ir::NamedValue& v = p.value(rule.named);
            std::string s = printable(v.label) + " " + printable(v.id) + " = " +
                            exactly_shown(p, eval::Expressions(p, r, l.period).named(rule.named));
            if (rule.threshold != ir::none) s += ", threshold " + exactly_shown(p, threshold(p, r, rule, l.period));
            return s;
        }
        return printable(std::string(p.sources.slice(rule.span)).substr(0, 60));
    }
    case eval::Line::Kind::cap: {
        const ir::Rule& rule = p.rule(l.rule);
        return "capped: this rule counts at most " + num(p, *rule.cap);
    }
    case eval::Line::Kind::floor: {
        const ir::Node& node = p.node(l.node);
        if (node.within) return "held within ±" + num(p, *node.within) + ": the net does not go below -" + num(p, *node.within);
        if (!node.clause) return "floor: a section does not go below 0";
        return "floor: a clause does not go below 0";
    }
    case eval::Line::Kind::ceiling: {
        const ir::Node& node = p.node(l.node);
        if (node.within) return "held within ±" + num(p, *node.within) + ": the net does not go above +" + num(p, *node.within);
        if (!node.clause) return "ceiling: a section does not go above its maximum";
        return "ceiling: a clause does not go above its maximum";
    }
    case eval::Line::Kind::start: {
        const ir::Node& node = p.node(l.node);
        return "starts at 0: earns up to " + num(p, *node.max);
    }
    }
    return "";
}

}  // namespace

std::string scorecard(const ir::Program& p, const record::Record& r, const eval::Outcome& o) {
    const ir::Role& role = p.role(r.role);
    std::string out = printable(p.policy.name);
    if (!p.policy.version.empty()) out += " (" + printable(p.policy.version) + ")";
    out += "\n" + printable(r.id);
    if (!r.name.empty()) out += " " + printable(r.name);
    if (!p.one_card) out += " · " + printable(role.label) + " (" + printable(role.id) + ")";
    out += " · " + std::to_string(r.year) + "\n\n";

    // Lines per node, in the order they were produced.
    ir::IdVector<ir::NodeId, std::vector<const eval::Line*>> by_node(p.nodes.size(), {});
    for (const auto& l : o.lines) by_node[l.node].push_back(&l);

    constexpr unsigned kLabelWidth = 44;
    // A figure shown rounded carries its exact value: "90.00 (exact 89.9967)".
    const auto figures = exact_figures(p, r, o);
    const auto exact_note = [&](const std::string& path) {
        for (const auto& [at, v] : figures)
            if (at == path) return " (exact " + v.to_string(12, p.policy.rounding) + ")";
        return std::string();
    };
    // A figure outside `total` and `scores` (a period's score, a weighted part's contribution),
    // shown as reported and, where that is not its exact value, with it.
    const auto shown = [&](const Number& n) {
        return reported(p, n) + (rounded_for_showing(p, n) ? " (exact " + n.to_string(12, p.policy.rounding) + ")" : "");
    };
    // One node's row and its lines (of `period` only, in a period's card), `extra` deeper.
    const auto row = [&](ir::NodeId n, const Number& score_value, const std::optional<Number>& max, std::size_t extra,
                         const ir::Period& period) {
        const ir::Node& node = p.node(n);
        const std::string indent(static_cast<std::size_t>(node.depth) * 2 + extra, ' ');
        std::string head = indent + printable(node.label) + " " + printable(node.id);
        std::string score = period.whole_year() ? reported(p, score_value) + exact_note(node.path) : shown(score_value);
        score += max ? " / " + num(p, *max) : node.within ? " (±" + num(p, *node.within) + ")" : " (uncapped)";
        if (node.earned) score += " (from 0)";
        // "88 / 100 × 70% = 61.6": a weighted part's own score and what it counts in its parent.
        if (node.weight) score += " × " + num(p, *node.weight) + "% = " + shown(node.contribution(score_value));
        out += pad_right(head, kLabelWidth) + " " + score;
        if (!node.cite.empty()) out += "   [" + printable(node.cite) + "]";
        out += "\n";
        if (!node.unallocated.is_zero())
            out += indent + "  (" + num(p, node.unallocated) + " points not allocated to any clause, awarded)\n";
        for (const eval::Line* l : by_node[n]) {
            // A period's card shows that period's lines; a row for the year shows every line (a
            // period rule's name their periods).
            if (!period.whole_year() && (l->period.kind != period.kind || l->period.index != period.index)) continue;
            const std::string where = l->rule != ir::none ? p.rule(l->rule).where
                                                          : node.where;
            // An earned clause's start is a place, not a gain: "0", not "+0".
            const std::string points = l->kind == eval::Line::Kind::start ? "0" : signed_num(p, l->points) + exact_beside(p, l->points);
            out += indent + "  " + pad_right(points, 7) + " " +
                   pad_right(describe(p, r, *l), kLabelWidth - 8) + "  " + printable(where);
            // The clause's citation stands on its own line above; a rule's own is shown here.
            if (l->rule != ir::none && !p.rule(l->rule).cite.empty())
                out += "  [" + printable(p.rule(l->rule).cite) + "]";
            out += "\n";
        }
    };
    for (ir::NodeId n : role.nodes) {
        const ir::Node& node = p.node(n);
        // A part of a section scored per period is shown under each of its periods.
        bool in_period_card = false;
        for (ir::NodeId a = node.parent; a != ir::none; a = p.node(a).parent)
            in_period_card = in_period_card || p.node(a).period != ir::PeriodKind::year;
        if (in_period_card) continue;
        if (node.period == ir::PeriodKind::year) {
            row(n, o.scores[n], node.max, 0, {});
            continue;
        }
        const eval::PeriodCard* card = nullptr;
        for (const auto& c : o.periods)
            if (c.section == n) card = &c;
        row(n, o.scores[n], node.year_max(), 0, {});
        if (!card) continue;
        // "季度考核: mean of 4 quarters (90 + 92 + 88 + 94) / 4 = 91 / 100"
        const std::string indent(static_cast<std::size_t>(node.depth) * 2, ' ');
        std::string terms;
        for (const auto& scores : card->scores) terms += (terms.empty() ? "" : " + ") + reported(p, scores.front().second);
        const std::string count = std::to_string(card->scores.size());
        out += indent + "  " + printable(node.label) + ": " + (node.period_sum ? "sum" : "mean") + " of " + count + " " +
               ir::period_word(node.period) + "s " +
               (node.period_sum ? terms : "(" + terms + ") / " + count) + " = " + reported(p, o.scores[n]) + " / " +
               num(p, *node.year_max()) + "\n";
        for (std::size_t i = 0; i < card->scores.size(); ++i) {
            const ir::Period period{node.period, static_cast<int>(i) + 1};
            const auto& scores = card->scores[i];
            out += pad_right(indent + "  " + ir::period_name(r.year, period), kLabelWidth) + " " + shown(scores.front().second) +
                   " / " + num(p, *node.max) + "\n";
            for (const eval::Line* l : by_node[n])  // the section's own floor or ceiling in this period
                if (l->period.index == period.index && l->period.kind == period.kind)
                    out += indent + "    " + pad_right(signed_num(p, l->points) + exact_beside(p, l->points), 7) + " " + describe(p, r, *l) + "  " +
                           printable(node.where) + "\n";
            for (std::size_t k = 1; k < scores.size(); ++k)
                row(scores[k].first, scores[k].second, p.node(scores[k].first).max, 2, period);
        }
    }
    // The named values the record needed, on one line: "Values 工作量 workload = 87.5 · ...".
    std::string values;
    for (std::size_t i = 0; i < o.values.size(); ++i)
        if (o.values[i])
            values += (values.empty() ? "" : " · ") + printable(p.values[i].label) + " " + printable(p.values[i].id) + " = " +
                      exactly_shown(p, *o.values[i]);
    if (!values.empty()) out += "\n" + pad_right("Values 计算值", kLabelWidth) + " " + values;
    out += "\n" + pad_right("Total 总分", kLabelWidth) + " " + reported(p, o.total) + exact_note("total") + "\n";
    // What decided the grade, as the JSON outcome says it: the veto's event by label and id, with
    // the date and note of the event it fired on, the condition, the citation and file:line.
    if (const std::optional<Outcome> oc = outcome(p, r, o)) {
        std::string event;
        if (o.veto) {
            const ir::Event& ev = p.event(o.veto->event);
            event = ev.label + " " + ev.id + (oc->date.empty() ? "" : " " + oc->date) + (oc->note.empty() ? "" : " “" + oc->note + "”");
        }
        // What the cap lowered: the band's grade, or the grade a veto forced or a grade rule gave.
        const std::string over = o.lowered_veto  ? "veto " + p.event(o.lowered_veto->event).id + " forced " + o.lowered_veto->grade
                                 : o.lowered_rule ? "condition " + o.lowered_rule->condition + " gave " + o.lowered_rule->grade
                                 : o.band         ? "band " + o.band->name
                                                  : std::string();
        std::string how;
        if (o.veto && o.veto->action == ir::Veto::Action::caps) how = "capped by veto: " + event + ", " + over;
        else if (o.rule && o.rule->at_most) how = "capped by condition: " + oc->why + ", " + over;
        else if (o.rule) how = "condition: " + oc->why;
        else if (o.veto && o.grade) how = "veto: " + event;
        else if (!oc->on_total.empty()) how = "band " + oc->band + " on the total " + oc->on_total;
        // A grade with a quota: before it (one record), or within or past it (a batch).
        if (!oc->quota.empty()) {
            const std::string quota = oc->quota == "before" ? "before the quota"
                                      : (o.quota->missed ? "past the quota " : "within the quota ") + oc->quota +
                                            ", rank " + std::to_string(oc->rank);
            how += (how.empty() ? "" : "; ") + quota;
        }
        const std::string source = (oc->cite.empty() ? "" : "  [" + oc->cite + "]") + (oc->rule.empty() ? "" : "  " + oc->rule);
        if (o.grade)
            out += pad_right("Grade 等次", kLabelWidth) + " " + printable(*o.grade) + (how.empty() ? "" : " (" + printable(how) + ")") +
                   printable(source) + "\n";
        else out += pad_right("Veto 否决", kLabelWidth) + " " + printable(event) + printable(source) + "\n";
    }
    // The person's unit, where a grade rule or flag read it: "Unit 单位   一科: rank 2 of 4, mean total 81.5".
    const std::string unit_name = r.unit.empty() ? "" : printable(r.unit) + ": ";
    if (o.unit)
        out += pad_right("Unit 单位", kLabelWidth) + " " + unit_name + "rank " + std::to_string(o.unit->rank) + " of " +
               std::to_string(o.unit->people) + ", mean total " + reported(p, o.unit->mean_total) + "\n";
    else if (o.unit_undecided)
        out += pad_right("Unit 单位", kLabelWidth) + " " + unit_name +
               "not known without the unit's people; what reads it is not decided (score the unit as a batch)\n";
    // Raised flags under the total: "Flag 标记   另作处理 further_action: count(absent) = 12 >= 10  [第八条]  a.kh:30".
    for (std::size_t f : o.flags) {
        const ir::Flag& flag = p.flags[f];
        out += pad_right("Flag 标记", kLabelWidth) + " " + printable(flag.label) + " " + printable(flag.id) + ": " +
               printable(flag_why(p, r, f, &o)) + (flag.cite.empty() ? "" : "  [" + printable(flag.cite) + "]") + "  " +
               printable(flag.where) + "\n";
    }
    // Coefficients under the flags: "Coefficient 系数   考核系数 pay_factor = 1.2: grade 优秀  [第十条]  a.kh:41".
    for (const eval::CoefficientAt& at : o.coefficients) {
        const ir::Coefficient& c = p.coefficients[at.coefficient];
        out += pad_right("Coefficient 系数", kLabelWidth) + " " + printable(c.label) + " " + printable(c.id) + " = " +
               c.entries[at.entry].value.to_string() + ": " + printable(coefficient_why(p, o, at)) +
               (c.cite.empty() ? "" : "  [" + printable(c.cite) + "]") + "  " + printable(c.entries[at.entry].where) + "\n";
    }
    for (const auto& w : r.warnings) out += "warning: " + printable(w) + "\n";
    return out;
}

}  // namespace kaohe::explain
