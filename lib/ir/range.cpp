// Interval arithmetic over the IR's expressions, with exact ends. An end is an extended number:
// a Number, or −∞ / +∞ (an unbounded end). The product of 0 and an infinite end is 0, the rule
// of interval bounds: [0, 0] × [a, +∞) is [0, 0]. An end whose arithmetic passes the number
// limits becomes unbounded on its own side; the other end is kept.
#include "ir/range.hpp"

#include <algorithm>
#include <array>

namespace kaohe::ir {
namespace {

using ir::Bounds, ir::Expr, ir::ExprId;
using Op = ir::Expr::Op;

struct End {
    Number v;
    int inf = 0;  // -1: −∞, +1: +∞, 0: v
};

bool less(const End& a, const End& b) {
    if (a.inf != b.inf) return a.inf < b.inf;
    return a.inf == 0 && a.v < b.v;
}

struct Interval {
    End lo{Number(), -1}, hi{Number(), +1};
    bool whole = false;  // every value is a whole number

    static Interval all() { return {}; }
    static Interval exactly(const Number& n) { return {{n, 0}, {n, 0}, n.is_integer()}; }
    static Interval of(const Bounds& b) {
        Interval i;
        if (b.lo) i.lo = {*b.lo, 0};
        if (b.hi) i.hi = {*b.hi, 0};
        i.whole = b.whole;
        return i;
    }
    Bounds bounds() const {
        Bounds b;
        if (lo.inf == 0) b.lo = lo.v;
        if (hi.inf == 0) b.hi = hi.v;
        b.whole = whole;
        return b;
    }
};

const Interval kTruth{{Number(0), 0}, {Number(1), 0}, true};

End times(const End& a, const End& b) {
    const auto sign = [](const End& e) { return e.inf != 0 ? e.inf : (e.v.is_zero() ? 0 : (e.v.is_negative() ? -1 : 1)); };
    if ((a.inf == 0 && a.v.is_zero()) || (b.inf == 0 && b.v.is_zero())) return {Number(), 0};
    if (a.inf != 0 || b.inf != 0) return {Number(), sign(a) * sign(b)};
    try {
        return {a.v * b.v, 0};
    } catch (...) {  // beyond the number limits: unbounded on the product's side, the other end kept
        return {Number(), sign(a) * sign(b)};
    }
}

End plus(const End& a, const End& b, int unbounded) {
    if (a.inf != 0 || b.inf != 0) return {Number(), unbounded};
    try {
        return {a.v + b.v, 0};
    } catch (...) {  // beyond the number limits: this end unbounded, the other kept
        return {Number(), unbounded};
    }
}

End negated(const End& e) { return e.inf != 0 ? End{Number(), -e.inf} : End{-e.v, 0}; }

Interval add(const Interval& a, const Interval& b) {
    return {plus(a.lo, b.lo, -1), plus(a.hi, b.hi, +1), a.whole && b.whole};
}
Interval neg(const Interval& a) { return {negated(a.hi), negated(a.lo), a.whole}; }

Interval mul(const Interval& a, const Interval& b) {
    const std::array<End, 4> p{times(a.lo, b.lo), times(a.lo, b.hi), times(a.hi, b.lo), times(a.hi, b.hi)};
    return {*std::min_element(p.begin(), p.end(), less), *std::max_element(p.begin(), p.end(), less), a.whole && b.whole};
}

bool holds_zero(const Interval& i) {
    const End zero{Number(), 0};
    return !less(zero, i.lo) && !less(i.hi, zero);
}

Interval div(const Interval& a, const Interval& b) {
    if (holds_zero(b)) return Interval::all();
    // 1/b for b on one side of 0: [1/hi, 1/lo], 1/±∞ being 0.
    const auto inverse = [](const End& e) { return e.inf != 0 ? End{Number(), 0} : End{Number(1) / e.v, 0}; };
    Interval q = mul(a, Interval{inverse(b.hi), inverse(b.lo)});
    q.whole = false;
    return q;
}

Interval hull(const Interval& a, const Interval& b) {
    return {less(a.lo, b.lo) ? a.lo : b.lo, less(a.hi, b.hi) ? b.hi : a.hi, a.whole && b.whole};
}

End rounded(const End& e, bool up) { return e.inf != 0 ? e : End{up ? e.v.ceil() : e.v.floor(), 0}; }

class Ranges {
public:
    explicit Ranges(const ir::Program& p) : p_(p) {}

    Interval of(ExprId id, ir::EventId event) const {
        if (id == ir::none) return Interval::all();
        try {
            return compute(p_.expr(id), event);
        } catch (...) {  // an end beyond the number limits: unbounded, as promised
            return Interval::all();
        }
    }

private:
    Interval compute(const Expr& x, ir::EventId event) const {
        switch (x.op) {
        case Op::constant: return Interval::exactly(x.constant);
        case Op::share: return Interval::of(Bounds{Number(0), Number(1), false});
        case Op::unit_mean:
        case Op::total: return Interval::all();
        case Op::unit_rank:
        case Op::unit_size: return {{Number(1), 0}, {Number(), +1}, true};
        case Op::measure: {
            const ir::Measure& m = p_.measure(x.measure());
            return Interval::of(Bounds{m.min, m.max, m.whole});
        }
        case Op::amount: {
            if (event == ir::none || !p_.event(event).has_amount) return Interval::all();
            const ir::Event& e = p_.event(event);
            return {{e.amount_min, 0}, {e.amount_max, 0}, e.amount_min == e.amount_max && e.amount_min.is_integer()};
        }
        case Op::lookup: {
            const ir::Table& t = p_.table(x.table());
            std::optional<Interval> r;
            const auto take = [&](const Number& n) { r = r ? hull(*r, Interval::exactly(n)) : Interval::exactly(n); };
            for (const auto& v : t.points)
                if (v) take(*v);
            if (t.otherwise) take(*t.otherwise);
            return r ? *r : Interval::all();
        }
        case Op::count: return {{Number(), 0}, {Number(), +1}, true};
        // Days of one year in a row: at most 366 (events are dated inside the record's year).
        case Op::longest_run: return {{Number(), 0}, {Number(366), 0}, true};
        case Op::sum_amount: {
            const ir::Event& e = p_.event(x.event());
            if (!e.has_amount) return Interval::all();
            Interval r;
            if (!e.amount_min.is_negative()) r.lo = {Number(), 0};
            if (e.amount_max.is_negative() || e.amount_max.is_zero()) r.hi = {Number(), 0};
            return r;
        }
        case Op::named: return of(p_.value(x.named()).expr, ir::none);  // a value's range is its expression's
        case Op::neg: return neg(of(x.a, event));
        case Op::add: return add(of(x.a, event), of(x.b, event));
        case Op::sub: return add(of(x.a, event), neg(of(x.b, event)));
        case Op::mul: return mul(of(x.a, event), of(x.b, event));
        case Op::div: return div(of(x.a, event), of(x.b, event));
        case Op::min:
        case Op::max: {
            const bool lowest = x.op == Op::min;
            std::optional<Interval> r;
            for (ExprId a : x.args) {
                const Interval i = of(a, event);
                if (!r) {
                    r = i;
                    continue;
                }
                const auto pick = [&](const End& u, const End& v) { return less(u, v) == lowest ? u : v; };
                r = Interval{pick(r->lo, i.lo), pick(r->hi, i.hi), r->whole && i.whole};
            }
            return r ? *r : Interval::all();
        }
        case Op::floor:
        case Op::ceil: {
            const Interval a = of(x.a, event);
            return {rounded(a.lo, x.op == Op::ceil), rounded(a.hi, x.op == Op::ceil), true};
        }
        case Op::if_then: {
            const Interval c = of(x.a, event);
            if (c.lo.inf == 0 && !c.lo.v.is_zero()) return of(x.b, event);  // always true
            if (c.hi.inf == 0 && c.hi.v.is_zero()) return of(x.c, event);    // always false
            return hull(of(x.b, event), of(x.c, event));
        }
        case Op::lt:
        case Op::le:
        case Op::gt:
        case Op::ge: return compare(x, event);
        default: return kTruth;  // the other truth values: group, attribute_is, not, and, or, =, !=
        }
    }

    // A comparison that the ranges of its sides decide is a constant truth value.
    Interval compare(const Expr& x, ir::EventId event) const {
        Interval a = of(x.a, event), b = of(x.b, event);
        if (x.op == Op::gt || x.op == Op::ge) std::swap(a, b);  // now a < b or a <= b
        const bool strict = x.op == Op::lt || x.op == Op::gt;
        const bool always = strict ? less(a.hi, b.lo) : !less(b.lo, a.hi);
        const bool never = strict ? !less(a.lo, b.hi) : less(b.hi, a.lo);
        if (always) return Interval::exactly(Number(1));
        if (never) return Interval::exactly(Number(0));
        return kTruth;
    }

    const ir::Program& p_;
};

// What a rule counts for any record: per occurrence times any number of occurrences for `each`,
// its points otherwise; 0 whenever it may not apply.
Interval counted(const Ranges& r, const ir::Rule& rule) {
    const Interval zero = Interval::exactly(Number());
    Interval c;
    if (rule.form == ir::Rule::Form::each) {
        const Interval one = r.of(rule.points, rule.event);
        c = zero;
        if (less(one.lo, zero.lo)) c.lo = {Number(), -1};
        if (less(zero.hi, one.hi)) c.hi = {Number(), +1};
        return c;
    }
    c = r.of(rule.points, ir::none);
    const Interval when = rule.when == ir::none ? Interval::exactly(Number(1)) : r.of(rule.when, ir::none);
    if (when.hi.inf == 0 && when.hi.v.is_zero()) return zero;
    if (!(when.lo.inf == 0 && !when.lo.v.is_zero())) c = hull(c, zero);
    // A period rule counts once per period whose condition holds: up to 12 (or 4) times its points.
    if (rule.period != ir::PeriodKind::year)
        c = mul(hull(c, zero), Interval::exactly(Number(ir::periods_in_year(rule.period))));
    return c;
}

}  // namespace

ir::Bounds expression_bounds(const ir::Program& p, ir::ExprId e, ir::EventId event) {
    return Ranges(p).of(e, event).bounds();
}

void analyse_ranges(ir::Program& p) {
    const Ranges ranges(p);
    for (ir::Rule& rule : p.rules) rule.counted = counted(ranges, rule).bounds();
    for (ir::Node& n : p.nodes) {
        if (!n.clause) continue;
        // From the start (the maximum; 0 for an earned or a `within` clause): the lowest score
        // takes the most from each deduction and the least from each addition, the highest the
        // reverse. Rules are taken as independent, which only widens the range.
        const Number start = n.max && !n.earned && !n.within ? *n.max : Number();
        Interval score = Interval::exactly(start);
        try {
            for (ir::RuleId ri : n.rules) {
                const ir::Rule& rule = p.rule(ri);
                const Interval c = Interval::of(rule.capped());
                score = add(score, rule.sign < 0 ? neg(c) : c);
            }
        } catch (...) {
            score = Interval::all();
        }
        const Bounds b = score.bounds();
        n.lowest = b.lo;
        n.highest = b.hi;
    }
}

}  // namespace kaohe::ir
