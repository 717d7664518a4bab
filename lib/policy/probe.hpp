// Probing a scored record: the value of one IR expression (a rule's `when`, a multiplier's
// condition) for a record, with the evaluator's semantics (lib/eval/evaluate.cpp). Coverage uses it
// to tell which side of a condition a test sat on; it never changes a score.
#pragma once

#include "ir/program.hpp"
#include "record/record.hpp"

namespace kaohe::policy {

class Probe {
public:
    Probe(const ir::Program& p, const record::Record& r) : p_(p), r_(r) {}

    // Throws nothing: an expression that cannot be computed for this record reads as 0 / false.
    bool truth(ir::Index e, const record::Event* ev) const {
        try {
            return truth_(e, ev);
        } catch (...) {
            return false;
        }
    }

    Number number(ir::Index e, const record::Event* ev) const {
        try {
            return num(e, ev);
        } catch (...) {
            return Number();
        }
    }

private:
    using Op = ir::Expr::Op;
    const ir::Expr& x(ir::Index e) const { return p_.exprs[static_cast<std::size_t>(e)]; }

    template <typename F>
    void each_event(ir::Index type, F&& f) const {
        const std::uint32_t b = r_.by_type_start[static_cast<std::size_t>(type)];
        const std::uint32_t e = r_.by_type_start[static_cast<std::size_t>(type) + 1];
        for (std::uint32_t i = b; i < e; ++i) f(r_.events[r_.by_type[i]]);
    }

    Number num(ir::Index e, const record::Event* ev) const {
        const ir::Expr& ex = x(e);
        switch (ex.op) {
        case Op::constant: return ex.constant;
        case Op::measure: {
            const auto& m = r_.measures[static_cast<std::size_t>(ex.ref)];
            return m ? *m : Number();
        }
        case Op::amount: return ev ? ev->amount : Number();
        case Op::lookup: {
            if (!ev) return Number();
            const ir::Table& t = p_.tables[static_cast<std::size_t>(ex.ref)];
            const ir::Index v = ev->attributes[static_cast<std::size_t>(t.slot)];
            if (v == ir::none || !t.points[static_cast<std::size_t>(v)]) return Number();
            return *t.points[static_cast<std::size_t>(v)];
        }
        case Op::count:
        case Op::sum_amount: {
            Number total;
            each_event(ex.ref, [&](const record::Event& other) {
                if (ex.a != ir::none && !truth_(ex.a, &other)) return;
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
        case Op::if_then: return truth_(ex.a, ev) ? num(ex.b, ev) : num(ex.c, ev);
        default: return Number();
        }
    }

    bool truth_(ir::Index e, const record::Event* ev) const {
        const ir::Expr& ex = x(e);
        switch (ex.op) {
        case Op::group: return r_.groups[static_cast<std::size_t>(ex.ref)];
        case Op::attribute_is: return ev && ev->attributes[static_cast<std::size_t>(ex.ref)] == ex.value;
        case Op::logical_not: return !truth_(ex.a, ev);
        case Op::logical_and: return truth_(ex.a, ev) && truth_(ex.b, ev);
        case Op::logical_or: return truth_(ex.a, ev) || truth_(ex.b, ev);
        case Op::lt: return num(ex.a, ev) < num(ex.b, ev);
        case Op::le: return num(ex.a, ev) <= num(ex.b, ev);
        case Op::gt: return num(ex.a, ev) > num(ex.b, ev);
        case Op::ge: return num(ex.a, ev) >= num(ex.b, ev);
        case Op::eq: return num(ex.a, ev) == num(ex.b, ev);
        case Op::ne: return num(ex.a, ev) != num(ex.b, ev);
        case Op::if_then: return truth_(ex.a, ev) ? truth_(ex.b, ev) : truth_(ex.c, ev);
        default: return false;
        }
    }

    const ir::Program& p_;
    const record::Record& r_;
};

}  // namespace kaohe::policy
