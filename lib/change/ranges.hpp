// The range of a numeric expression over every record the declarations allow: for a `per` rule
// whose threshold is an expression (`short of 2 * weeks in lessons`), its bound and whether its
// steps are always whole depend on the values the threshold can take.
#pragma once

#include <algorithm>
#include <optional>

#include "ir/program.hpp"
#include "kaohe/number.hpp"

namespace kaohe::policy {

// [lo, hi]; an end that is absent is unbounded. `whole`: every value is a whole number.
struct ValueRange {
    std::optional<Number> lo, hi;
    bool whole = false;
};

namespace detail {

inline std::optional<Number> add_ends(const std::optional<Number>& a, const std::optional<Number>& b) {
    if (!a || !b) return std::nullopt;
    return *a + *b;
}

inline ValueRange range_of(const ir::Program& p, ir::ExprId id, int depth) {
    using Op = ir::Expr::Op;
    if (id == ir::none || depth > 64) return {};
    const ir::Expr& e = p.expr(id);
    ValueRange out;
    switch (e.op) {
    case Op::constant: return {e.constant, e.constant, e.constant.is_integer()};
    case Op::measure: {
        const ir::Measure& m = p.measure(e.measure());
        return {m.min, m.max, m.whole};
    }
    case Op::count: return {Number(), std::nullopt, true};
    case Op::neg: {
        const ValueRange a = range_of(p, e.a, depth + 1);
        if (a.hi) out.lo = -*a.hi;
        if (a.lo) out.hi = -*a.lo;
        out.whole = a.whole;
        return out;
    }
    case Op::add:
    case Op::sub: {
        const ValueRange a = range_of(p, e.a, depth + 1);
        ValueRange b = range_of(p, e.b, depth + 1);
        if (e.op == Op::sub) {
            std::optional<Number> lo, hi;
            if (b.hi) lo = -*b.hi;
            if (b.lo) hi = -*b.lo;
            b.lo = lo, b.hi = hi;
        }
        return {add_ends(a.lo, b.lo), add_ends(a.hi, b.hi), a.whole && b.whole};
    }
    case Op::mul:
    case Op::div: {
        const ValueRange a = range_of(p, e.a, depth + 1);
        const ValueRange b = range_of(p, e.b, depth + 1);
        // Only a bounded operand over a bounded one, dividing by a positive range.
        if (!a.lo || !a.hi || !b.lo || !b.hi) return {};
        if (e.op == Op::div && !(*b.lo > Number())) return {};
        const Number c[] = {e.op == Op::mul ? *a.lo * *b.lo : *a.lo / *b.lo, e.op == Op::mul ? *a.lo * *b.hi : *a.lo / *b.hi,
                            e.op == Op::mul ? *a.hi * *b.lo : *a.hi / *b.lo, e.op == Op::mul ? *a.hi * *b.hi : *a.hi / *b.hi};
        return {*std::min_element(std::begin(c), std::end(c)), *std::max_element(std::begin(c), std::end(c)),
                e.op == Op::mul && a.whole && b.whole};
    }
    case Op::min:
    case Op::max: {
        // min: its low end is the least of all low ends (none if one is unbounded), its high end the
        // least of the high ends there are; max the other way round.
        const bool is_min = e.op == Op::min;
        std::optional<Number> all_ends, some_ends;  // over every argument; over those bounded
        bool unbounded = false;
        out.whole = true;
        for (ir::ExprId arg : e.args) {
            const ValueRange r = range_of(p, arg, depth + 1);
            out.whole = out.whole && r.whole;
            const std::optional<Number>& every = is_min ? r.lo : r.hi;  // must all be bounded
            const std::optional<Number>& some = is_min ? r.hi : r.lo;   // any one bounds it
            if (!every) unbounded = true;
            else all_ends = !all_ends ? *every : is_min ? std::min(*all_ends, *every) : std::max(*all_ends, *every);
            if (some) some_ends = !some_ends ? *some : is_min ? std::min(*some_ends, *some) : std::max(*some_ends, *some);
        }
        if (unbounded) all_ends.reset();
        (is_min ? out.lo : out.hi) = all_ends;
        (is_min ? out.hi : out.lo) = some_ends;
        return out;
    }
    case Op::floor:
    case Op::ceil: {
        const ValueRange a = range_of(p, e.a, depth + 1);
        if (a.lo) out.lo = e.op == Op::floor ? a.lo->floor() : a.lo->ceil();
        if (a.hi) out.hi = e.op == Op::floor ? a.hi->floor() : a.hi->ceil();
        out.whole = true;
        return out;
    }
    case Op::if_then: {
        const ValueRange b = range_of(p, e.b, depth + 1);
        const ValueRange c = range_of(p, e.c, depth + 1);
        if (b.lo && c.lo) out.lo = std::min(*b.lo, *c.lo);
        if (b.hi && c.hi) out.hi = std::max(*b.hi, *c.hi);
        out.whole = b.whole && c.whole;
        return out;
    }
    default: return {};
    }
}

}  // namespace detail

// The values expression `e` (a number, outside any event) can take; unbounded where the
// declarations do not bound it, or past the number limits.
inline ValueRange range_of(const ir::Program& p, ir::ExprId e) {
    try {
        return detail::range_of(p, e, 0);
    } catch (const std::exception&) {
        return {};
    }
}

}  // namespace kaohe::policy
