// Evaluation. See evaluate.hpp.
//
// A clause starts at its maximum (0 when uncapped); each rule adds or deducts; the result is
// held between 0 and the maximum ("扣完为止"), and any part cut off shows as a line. A section
// is the sum of its children plus the points it declares but does not allocate. The total is
// the sum of the person's top-level sections.
#include "eval/evaluate.hpp"

#include <algorithm>

namespace kaohe::eval {
namespace {

using ir::Index;
using Op = ir::Expr::Op;

class Evaluator {
public:
    Evaluator(const ir::Program& p, const record::Record& r, Outcome& out) : p_(p), r_(r), out_(out) {}

    void run() {
        const ir::Role& role = p_.roles[static_cast<std::size_t>(r_.role)];
        out_.scores.assign(p_.nodes.size(), Number());
        out_.lines.clear();
        out_.grade = nullptr;
        out_.veto_event = ir::none;
        Number total;
        for (Index n : role.roots) total += node(n);
        out_.total = total;
        grade();
    }

private:
    const ir::Expr& x(Index e) const { return p_.exprs[static_cast<std::size_t>(e)]; }

    Number num(Index e, const record::Event* ev) const {
        const ir::Expr& ex = x(e);
        switch (ex.op) {
        case Op::constant: return ex.constant;
        case Op::measure: return *r_.measures[static_cast<std::size_t>(ex.ref)];  // validation ensured presence
        case Op::amount: return ev->amount;
        case Op::lookup: return lookup(ex, *ev);
        case Op::count:
        case Op::sum_amount: {
            Number total;
            for_each_event(ex.ref, [&](const record::Event& other, std::uint32_t) {
                if (ex.a != ir::none && !truth(ex.a, &other)) return;
                total += ex.op == Op::count ? Number(other.count) : other.amount * Number(other.count);
            });
            return total;
        }
        case Op::neg: return -num(ex.a, ev);
        case Op::add: return num(ex.a, ev) + num(ex.b, ev);
        case Op::sub: return num(ex.a, ev) - num(ex.b, ev);
        case Op::mul: return num(ex.a, ev) * num(ex.b, ev);
        case Op::div: return num(ex.a, ev) / num(ex.b, ev);
        case Op::min:
        case Op::max: {
            Number best = num(ex.args[0], ev);
            for (std::size_t i = 1; i < ex.args.size(); ++i) {
                Number v = num(ex.args[i], ev);
                if (ex.op == Op::min ? v < best : v > best) best = std::move(v);
            }
            return best;
        }
        case Op::floor: return num(ex.a, ev).floor();
        case Op::ceil: return num(ex.a, ev).ceil();
        case Op::if_then: return truth(ex.a, ev) ? num(ex.b, ev) : num(ex.c, ev);
        default: return Number();  // a truth-valued op in a number position: excluded by the checker
        }
    }

    bool truth(Index e, const record::Event* ev) const {
        const ir::Expr& ex = x(e);
        switch (ex.op) {
        case Op::group: return r_.groups[static_cast<std::size_t>(ex.ref)];
        case Op::attribute_is: return ev->attributes[static_cast<std::size_t>(ex.ref)] == ex.value;
        case Op::logical_not: return !truth(ex.a, ev);
        case Op::logical_and: return truth(ex.a, ev) && truth(ex.b, ev);
        case Op::logical_or: return truth(ex.a, ev) || truth(ex.b, ev);
        case Op::lt: return num(ex.a, ev) < num(ex.b, ev);
        case Op::le: return num(ex.a, ev) <= num(ex.b, ev);
        case Op::gt: return num(ex.a, ev) > num(ex.b, ev);
        case Op::ge: return num(ex.a, ev) >= num(ex.b, ev);
        case Op::eq: return num(ex.a, ev) == num(ex.b, ev);
        case Op::ne: return num(ex.a, ev) != num(ex.b, ev);
        case Op::if_then: return truth(ex.a, ev) ? truth(ex.b, ev) : truth(ex.c, ev);
        default: return false;  // a number-valued op in a condition: excluded by the checker
        }
    }

    Number lookup(const ir::Expr& ex, const record::Event& ev) const {
        const ir::Table& t = p_.tables[static_cast<std::size_t>(ex.ref)];
        const Index value = ev.attributes[static_cast<std::size_t>(t.slot)];
        const ir::Attribute& attr = p_.attributes[static_cast<std::size_t>(t.attribute)];
        if (value == ir::none || !t.points[static_cast<std::size_t>(value)]) {
            const std::string field = std::string(ev.from_unit ? "unit.events[" : "events[") +
                                      std::to_string(ev.position) + "]." + attr.id;
            std::string listed;
            for (std::size_t v = 0; v < t.points.size(); ++v)
                if (t.points[v]) listed += (listed.empty() ? "" : ", ") + attr.values[v];
            const std::string given = value == ir::none ? "no " + attr.id : attr.id + " `" + attr.values[static_cast<std::size_t>(value)] + "`";
            throw record::RecordFailure("R009", "event `" + p_.events[static_cast<std::size_t>(ev.type)].id + "` has " + given +
                                            ", which the table at " + p_.sources.file_line(t.span) +
                                            " does not list (it lists " + listed + ")",
                                        field);
        }
        return *t.points[static_cast<std::size_t>(value)];
    }

    template <typename F>
    void for_each_event(Index type, F&& f) const {
        const std::uint32_t b = r_.by_type_start[static_cast<std::size_t>(type)];
        const std::uint32_t e = r_.by_type_start[static_cast<std::size_t>(type) + 1];
        for (std::uint32_t i = b; i < e; ++i) f(r_.events[r_.by_type[i]], r_.by_type[i]);
    }

    Number node(Index n) {
        const ir::Node& nd = p_.nodes[static_cast<std::size_t>(n)];
        Number score;
        if (nd.clause) score = clause(n, nd);
        else {
            score = nd.unallocated;
            for (Index c : nd.children) score += node(c);
        }
        out_.scores[static_cast<std::size_t>(n)] = score;
        return score;
    }

    Number clause(Index n, const ir::Node& nd) {
        Number score = nd.max ? *nd.max : Number();
        for (Index ri : nd.rules) score += rule(n, ri);
        if (nd.floor && score.is_negative()) {
            out_.lines.push_back({n, ir::none, Line::Kind::floor, -1, -score});
            score = Number();
        }
        if (nd.max && score > *nd.max) {
            out_.lines.push_back({n, ir::none, Line::Kind::ceiling, -1, *nd.max - score});
            score = *nd.max;
        }
        return score;
    }

    // The rule's signed contribution; its lines are appended as it goes.
    Number rule(Index n, Index ri) {
        const ir::Rule& rl = p_.rules[static_cast<std::size_t>(ri)];
        if (rl.when != ir::none && !truth(rl.when, nullptr)) return Number();
        const Number sign(rl.sign);
        Number magnitude;
        try {
            if (rl.form == ir::Rule::Form::each) {
                for_each_event(rl.event, [&](const record::Event& ev, std::uint32_t index) {
                    if (rl.filter != ir::none && !truth(rl.filter, &ev)) return;
                    Number pts = num(rl.points, &ev);
                    if (ev.count != 1) pts *= Number(ev.count);
                    if (pts.is_zero()) return;
                    magnitude += pts;
                    out_.lines.push_back({n, ri, Line::Kind::event, static_cast<std::int32_t>(index), sign * pts});
                });
            } else {
                magnitude = num(rl.points, nullptr);
                if (!magnitude.is_zero()) out_.lines.push_back({n, ri, Line::Kind::value, -1, sign * magnitude});
            }
            if (rl.cap && magnitude > *rl.cap) {
                out_.lines.push_back({n, ri, Line::Kind::cap, -1, sign * (*rl.cap - magnitude)});
                magnitude = *rl.cap;
            }
        } catch (const ArithmeticError& e) {
            throw record::RecordFailure("R009", std::string(e.what()) + " in the rule at " + rl.where,
                                        p_.nodes[static_cast<std::size_t>(n)].path);
        }
        return sign * magnitude;
    }

    void grade() {
        if (p_.grades.empty()) return;
        for (const ir::Veto& v : p_.vetoes) {
            if (r_.by_type_start[static_cast<std::size_t>(v.event) + 1] > r_.by_type_start[static_cast<std::size_t>(v.event)]) {
                out_.grade = &v.grade;
                out_.veto_event = v.event;
                return;
            }
        }
        for (const ir::GradeBand& b : p_.grades) {
            if (!b.at_least || out_.total >= *b.at_least) {
                out_.grade = &b.name;
                return;
            }
        }
    }

    const ir::Program& p_;
    const record::Record& r_;
    Outcome& out_;
};

}  // namespace

void evaluate(const ir::Program& program, const record::Record& record, Outcome& out) {
    Evaluator(program, record, out).run();
}

}  // namespace kaohe::eval
