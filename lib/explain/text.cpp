// The scorecard for people: each section and clause with its label, maximum and score, and under
// each clause the lines that moved it. Every text taken from a record or a rule file (ids, names,
// labels, notes, file names) goes through printable(): a record cannot drive the terminal.
#include "explain/explain.hpp"
#include "support/text.hpp"

namespace kaohe::explain {
namespace {

std::string num(const ir::Program& p, const Number& n) { return n.to_string(p.policy.round_places, p.policy.rounding); }

std::string signed_num(const ir::Program& p, const Number& n) {
    return (n.is_negative() ? "" : "+") + num(p, n);
}

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
        if (l.otherwise) s += " (not in the table: otherwise " + num(p, *p.table(p.rule(l.rule).table).otherwise) + ")";
        if (!e.note.empty()) s += " “" + printable(e.note) + "”";
        return s;
    }
    case eval::Line::Kind::value: {
        const ir::Rule& rule = p.rule(l.rule);
        if (rule.measure != ir::none) {
            const ir::Measure& m = p.measure(rule.measure);
            return printable(m.label) + " " + printable(m.id) + " = " + num(p, *r.measures[rule.measure]);
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
