// Flags raised for a record (`flag further_action "另作处理" when count(absent) >= 10`): why each
// was raised, in the condition's own words with the record's numbers.
#include "explain/explain.hpp"
#include "eval/expressions.hpp"
#include "support/text.hpp"

#include <algorithm>
#include <chrono>

namespace kaohe::explain {
namespace {

using Op = ir::Expr::Op;

class Why {
public:
    // `o`: the outcome, for the total and the person's unit (unit_mean, ...) a condition may read.
    Why(const ir::Program& p, const record::Record& r, const eval::Outcome* o) : p_(p), x_(p, r) {
        if (!o) return;
        x_.set_total(&o->total);
        x_.set_unit(o->unit ? &*o->unit : nullptr);
    }

    // "count(absent) = 12 >= 10", "absent_days + 0.5 * late_days = 11 >= 10 and not leadership
    // (no)": each side of a comparison as written, with its value when it is not a number written
    // there; `and`, `or` and `not` as the condition has them.
    std::string render(ir::ExprId id) const {
        const ir::Expr& e = p_.expr(id);
        switch (e.op) {
        case Op::logical_and: return part(e.a) + " and " + part(e.b);
        case Op::logical_or: return part(e.a) + " or " + part(e.b);
        case Op::logical_not: return "not " + part(e.a);
        case Op::group: return written(e) + " (" + (x_.truth(id, nullptr) ? "yes" : "no") + ")";
        case Op::lt: case Op::le: case Op::gt: case Op::ge: case Op::eq: case Op::ne: {
            if (const std::string f = fact(e); !f.empty()) return f;
            static const char* const ops[] = {"<", "<=", ">", ">=", "=", "!="};
            const int k = static_cast<int>(e.op) - static_cast<int>(Op::lt);
            return side(e.a) + " " + ops[k] + " " + side(e.b);
        }
        default: return written(e) + " (" + (x_.truth(id, nullptr) ? "holds" : "does not hold") + ")";
        }
    }

private:
    // A part of `and`, `or` or `not` that is itself one of them, in brackets.
    std::string part(ir::ExprId id) const {
        const Op op = p_.expr(id).op;
        const std::string s = render(id);
        return op == Op::logical_and || op == Op::logical_or ? "(" + s + ")" : s;
    }
    std::string side(ir::ExprId id) const {
        const ir::Expr& e = p_.expr(id);
        const std::string value = number(x_.num(id, nullptr));
        if (e.op == Op::constant || (e.op == Op::neg && p_.expr(e.a).op == Op::constant)) return value;
        if (e.op == Op::longest_run) return written(e) + " = " + value + run_days(e);
        return written(e) + " = " + value;
    }
    // A comparison of a fact with one of its values (`village_kind != autonomous`, a bare
    // `has_system`): as written, then the person's value by id.
    std::string fact(const ir::Expr& e) const {
        for (ir::ExprId s : {e.a, e.b}) {
            const ir::Expr& m = p_.expr(s);
            if (m.op != Op::measure || !p_.measure(m.measure()).fact()) continue;
            const ir::Measure& decl = p_.measure(m.measure());
            const Number v = x_.num(s, nullptr);
            std::int64_t n = 0, d = 1;
            const std::string value = v.small(n, d) && d == 1 && n >= 0 && static_cast<std::size_t>(n) < decl.values.size()
                                          ? decl.values[static_cast<std::size_t>(n)] : number(v);
            return written(e) + " (" + decl.id + " = " + value + ")";
        }
        return "";
    }
    // The days of the longest run, " (2022-12-27 .. 2022-12-31)" (the first such run); "" for none.
    std::string run_days(const ir::Expr& e) const {
        using namespace std::chrono;
        std::vector<std::pair<std::int64_t, record::Date>> days;
        x_.for_each_event(e.event(), [&](const record::Event& ev, record::EventAt) {
            if (e.a != ir::none && !x_.truth(e.a, &ev)) return;
            const year_month_day ymd{year{ev.date.year}, month{unsigned(ev.date.month)}, day{unsigned(ev.date.day)}};
            days.emplace_back(sys_days{ymd}.time_since_epoch().count(), ev.date);
        });
        if (days.empty()) return "";
        std::sort(days.begin(), days.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        std::size_t best_from = 0, best_to = 0, from = 0;
        for (std::size_t i = 1; i < days.size(); ++i) {
            if (days[i].first == days[i - 1].first) continue;
            if (days[i].first != days[i - 1].first + 1) from = i;
            if (days[i].first - days[from].first > days[best_to].first - days[best_from].first) best_from = from, best_to = i;
        }
        std::string out = " (";
        record::append_date(out, days[best_from].second);
        out += " .. ";
        record::append_date(out, days[best_to].second);
        return out + ")";
    }
    std::string number(const Number& n) const {
        return n.has_finite_decimal() ? n.to_string() : n.to_string(p_.policy.round_places, p_.policy.rounding) + exact_beside(p_, n);
    }
    // The expression as written, on one line.
    std::string written(const ir::Expr& e) const { return one_line(p_.sources.slice(e.span)); }

    const ir::Program& p_;
    eval::Expressions x_;
};

}  // namespace

std::string flag_why(const ir::Program& p, const record::Record& r, std::size_t flag, const eval::Outcome* o) {
    return Why(p, r, o).render(p.flags[flag].when);
}

std::string condition_why(const ir::Program& p, const record::Record& r, ir::ExprId when, const eval::Outcome* o) {
    return Why(p, r, o).render(when);
}

}  // namespace kaohe::explain
