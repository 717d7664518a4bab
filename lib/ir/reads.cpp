// Which measures a card can read. See reads.hpp.
//
// Recursion here is bounded by the height of the IR expressions: the parser bounds every
// expression tree (parse::kMaxExprDepth), and lowering adds a few levels per rule.
#include "ir/reads.hpp"

namespace kaohe::ir {
namespace {

// What the groups alone say of a condition.
enum class Known { no, yes, unknown };

class Reads {
public:
    Reads(const Program& p, const IdVector<GroupId, bool>& groups) : p_(p), groups_(groups) {}

    Known truth(ExprId e) const {
        const Expr& x = p_.expr(e);
        using Op = Expr::Op;
        switch (x.op) {
        case Op::group: return groups_[x.group()] ? Known::yes : Known::no;
        case Op::logical_not: {
            const Known a = truth(x.a);
            return a == Known::unknown ? a : a == Known::yes ? Known::no : Known::yes;
        }
        case Op::logical_and: {
            const Known a = truth(x.a);
            if (a == Known::no) return a;
            const Known b = truth(x.b);
            if (b == Known::no) return b;
            return a == Known::yes && b == Known::yes ? Known::yes : Known::unknown;
        }
        case Op::logical_or: {
            const Known a = truth(x.a);
            if (a == Known::yes) return a;
            const Known b = truth(x.b);
            if (b == Known::yes) return b;
            return a == Known::no && b == Known::no ? Known::no : Known::unknown;
        }
        case Op::if_then: {
            const Known c = truth(x.a);
            if (c == Known::yes) return truth(x.b);
            if (c == Known::no) return truth(x.c);
            const Known b = truth(x.b);
            return b == truth(x.c) ? b : Known::unknown;
        }
        default: return Known::unknown;  // comparisons and attributes depend on measures and events
        }
    }

    // Whether evaluating e may read measure m, following the evaluator's short circuits.
    bool reads(ExprId e, MeasureId m) const {
        if (e == none) return false;
        const Expr& x = p_.expr(e);
        using Op = Expr::Op;
        switch (x.op) {
        case Op::measure:
        case Op::share: return x.measure() == m;
        case Op::named: return reads(p_.value(x.named()).expr, m);
        case Op::logical_and: return reads(x.a, m) || (truth(x.a) != Known::no && reads(x.b, m));
        case Op::logical_or: return reads(x.a, m) || (truth(x.a) != Known::yes && reads(x.b, m));
        case Op::if_then: {
            if (reads(x.a, m)) return true;
            const Known c = truth(x.a);
            return (c != Known::no && reads(x.b, m)) || (c != Known::yes && reads(x.c, m));
        }
        default:
            for (ExprId a : x.args)
                if (reads(a, m)) return true;
            return reads(x.a, m) || reads(x.b, m) || reads(x.c, m);
        }
    }

    bool rule_reads(const Rule& r, MeasureId m) const {
        if (reads(r.when, m)) return true;
        if (r.when != none && truth(r.when) == Known::no) return false;  // the rule cannot apply
        return reads(r.filter, m) || reads(r.points, m);
    }

private:
    const Program& p_;
    const IdVector<GroupId, bool>& groups_;
};

}  // namespace

std::pair<NodeId, RuleId> rule_reading(const Program& p, const Role& role, MeasureId m, const IdVector<GroupId, bool>& groups) {
    const Reads reads(p, groups);
    for (NodeId n : role.nodes)
        for (RuleId r : p.node(n).rules)
            if (reads.rule_reads(p.rule(r), m)) return {n, r};
    return {none, none};
}

const Flag* flag_reading(const Program& p, MeasureId m, const IdVector<GroupId, bool>& groups) {
    const Reads reads(p, groups);
    for (const Flag& f : p.flags)
        if (reads.reads(f.when, m)) return &f;
    return nullptr;
}

std::string outcome_reading(const Program& p, MeasureId m, const IdVector<GroupId, bool>& groups) {
    const Reads reads(p, groups);
    for (const Veto& v : p.vetoes)
        if (reads.reads(v.filter, m)) return "the veto at " + v.where;
    for (const GradeRule& g : p.grade_rules)
        if (reads.reads(g.when, m)) return "the grade rule at " + g.where;
    return "";
}

namespace {
class Needs {
public:
    Needs(const Program& p) : p_(p) {}

    // `event` is the event whose attributes the expression reads (none: the whole record).
    void walk(ExprId e, EventId event, const std::string& reader) {
        if (e == none) return;
        const Expr& x = p_.expr(e);
        using Op = Expr::Op;
        if (x.op == Op::attribute_is && event != none) add(event, x.slot(), reader);
        if (x.op == Op::longest_run) {
            bool known = false;
            for (const auto& [ev, by] : runs) known = known || ev == x.event();
            if (!known) runs.emplace_back(x.event(), "`longest_run(" + p_.event(x.event()).id + ")` in " + reader);
        }
        if ((x.op == Op::count || x.op == Op::sum_amount || x.op == Op::longest_run)) {
            walk(x.a, x.event(), reader);
            return;
        }
        if (x.op == Op::named) {
            walk(p_.value(x.named()).expr, none, reader);
            return;
        }
        for (ExprId a : x.args) walk(a, event, reader);
        walk(x.a, event, reader);
        walk(x.b, event, reader);
        walk(x.c, event, reader);
    }

    std::vector<Role::AttributeNeed> out;
    std::vector<std::pair<EventId, std::string>> runs;

private:
    void add(EventId event, SlotId slot, const std::string& reader) {
        for (const auto& n : out)
            if (n.event == event && n.slot == slot) return;
        out.push_back({event, slot, reader});
    }
    const Program& p_;
};
}  // namespace

void attribute_needs(const Program& p, Role& role) {
    Needs needs(p);
    // The outcome forms first: a message naming the veto says most about what is at stake.
    for (const Veto& v : p.vetoes) needs.walk(v.filter, v.event, "the veto at " + v.where);
    for (const GradeRule& g : p.grade_rules) needs.walk(g.when, none, "the grade rule at " + g.where);
    for (const Flag& f : p.flags) needs.walk(f.when, none, "flag `" + f.id + "` (the flag at " + f.where + ")");
    for (NodeId n : role.nodes)
        for (RuleId ri : p.node(n).rules) {
            const Rule& r = p.rule(ri);
            const std::string reader = "the rule at " + r.where;
            needs.walk(r.when, none, reader);
            needs.walk(r.filter, r.event, reader);
            needs.walk(r.points, r.form == Rule::Form::each ? r.event : none, reader);
            needs.walk(r.threshold, none, reader);
        }
    role.attribute_needs = std::move(needs.out);
    role.run_needs = std::move(needs.runs);
}

}  // namespace kaohe::ir
