// The scorecard for people: each section and clause with its label, maximum and score, and under
// each clause the lines that moved it. Every text taken from a record or a rule file (ids, names,
// labels, notes, file names) goes through printable(): a record cannot drive the terminal.
#include "eval/expressions.hpp"
#include "explain/explain.hpp"
#include "support/text.hpp"

namespace kaohe::explain {
namespace {

std::string num(const ir::Program& p, const Number& n) { return n.to_string(p.policy.round_places, p.policy.rounding); }

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
Number threshold(const ir::Program& p, const record::Record& r, const ir::Rule& rule) {
    return eval::Expressions(p, r).num(rule.threshold, nullptr);
}

}  // namespace

// Points per event computed from the event, with its numbers: "0.3 × floor(9 / 4) = 0.6" (one
// occurrence). Empty when the rule's points are a number or `amount`.
std::string arithmetic(const ir::Program& p, const record::Record& r, const eval::Line& l) {
    if (l.kind != eval::Line::Kind::event || l.rule == ir::none) return "";
    const ir::Rule& rule = p.rule(l.rule);
    if (rule.arithmetic.begin == rule.arithmetic.end) return "";
    const record::Event& e = r.event(l.event);
    const std::string_view text = p.sources.slice(rule.arithmetic);
    std::string out;
    std::uint32_t at = rule.arithmetic.begin;
    const auto copy = [&](std::uint32_t to) {
        for (; at < to; ++at) {
            const char c = text[at - rule.arithmetic.begin];
            if (c == '*') out += "×";
            else if (c == '\n' || c == '\t' || c == '\r') {
                if (!out.empty() && out.back() != ' ') out += ' ';
            } else if (c != ' ' || (!out.empty() && out.back() != ' ')) out += c;
        }
    };
    for (const Span& a : rule.amount_refs) {
        copy(a.begin);
        out += num(p, e.amount);
        at = a.end;
    }
    copy(rule.arithmetic.end);
    Number each = l.points.is_negative() ? -l.points : l.points;
    if (e.count != 1) each = each / Number(e.count);
    return out + " = " + num(p, each);
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
        // A signed amount turns the rule's way: `add amount` of -5 deducts.
        if (l.rule != ir::none && !l.points.is_zero() && l.points.is_negative() == (p.rule(l.rule).sign > 0))
            s += p.rule(l.rule).sign > 0 ? " (negative: a deduction)" : " (negative: an addition)";
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
        if (const std::string a = arithmetic(p, r, l); !a.empty()) s += ": " + a;
        if (l.otherwise) s += " (not in the table: otherwise " + num(p, *p.table(p.rule(l.rule).table).otherwise) + ")";
        if (!e.note.empty()) s += " “" + printable(e.note) + "”";
        return s;
    }
    case eval::Line::Kind::value: {
        const ir::Rule& rule = p.rule(l.rule);
        if (rule.measure != ir::none) {
            const ir::Measure& m = p.measure(rule.measure);
            const Number& v = *r.measures[rule.measure];
            if (m.fact()) return fact_line(p, rule, m, v);
            const std::string* on_scale = m.scale_label(v);  // a scale's value is shown with its label
            std::string s = printable(m.label) + " " + printable(m.id) + " = " + num(p, v) +
                            (on_scale ? " (" + printable(*on_scale) + ")" : "");
            if (rule.threshold != ir::none) s += ", threshold " + num(p, threshold(p, r, rule));
            return s;
        }
        if (rule.named != ir::none) {  // "工作量 workload = 87.5"
            const ir::NamedValue& v = p.value(rule.named);
            std::string s = printable(v.label) + " " + printable(v.id) + " = " + num(p, eval::Expressions(p, r).named(rule.named));
            if (rule.threshold != ir::none) s += ", threshold " + num(p, threshold(p, r, rule));
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
    for (ir::NodeId n : role.nodes) {
        const ir::Node& node = p.node(n);
        const std::string indent(static_cast<std::size_t>(node.depth) * 2, ' ');
        std::string head = indent + printable(node.label) + " " + printable(node.id);
        std::string score = num(p, o.scores[n]);
        score += node.max ? " / " + num(p, *node.max) : node.within ? " (±" + num(p, *node.within) + ")" : " (uncapped)";
        if (node.earned) score += " (from 0)";
        out += pad_right(head, kLabelWidth) + " " + score;
        if (!node.cite.empty()) out += "   [" + printable(node.cite) + "]";
        out += "\n";
        if (!node.unallocated.is_zero())
            out += indent + "  (" + num(p, node.unallocated) + " points not allocated to any clause, awarded)\n";
        for (const eval::Line* l : by_node[n]) {
            const std::string where = l->rule != ir::none ? p.rule(l->rule).where
                                                          : node.where;
            // An earned clause's start is a place, not a gain: "0", not "+0".
            const std::string points = l->kind == eval::Line::Kind::start ? "0" : signed_num(p, l->points);
            out += indent + "  " + pad_right(points, 7) + " " +
                   pad_right(describe(p, r, *l), kLabelWidth - 8) + "  " + printable(where);
            // The clause's citation stands on its own line above; a rule's own is shown here.
            if (l->rule != ir::none && !p.rule(l->rule).cite.empty())
                out += "  [" + printable(p.rule(l->rule).cite) + "]";
            out += "\n";
        }
    }
    // The named values the record needed, on one line: "Values 工作量 workload = 87.5 · ...".
    std::string values;
    for (std::size_t i = 0; i < o.values.size(); ++i)
        if (o.values[i])
            values += (values.empty() ? "" : " · ") + printable(p.values[i].label) + " " + printable(p.values[i].id) + " = " +
                      num(p, *o.values[i]);
    if (!values.empty()) out += "\n" + pad_right("Values 计算值", kLabelWidth) + " " + values;
    out += "\n" + pad_right("Total 总分", kLabelWidth) + " " + num(p, o.total) + "\n";
    if (o.grade) {
        out += pad_right("Grade 等次", kLabelWidth) + " " + printable(*o.grade);
        if (o.veto_event != ir::none) out += " (veto: " + printable(p.event(o.veto_event).id) + ")";
        out += "\n";
    }
    for (const auto& w : r.warnings) out += "warning: " + printable(w) + "\n";
    return out;
}

}  // namespace kaohe::explain
