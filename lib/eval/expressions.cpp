// Expressions. See expressions.hpp.
#include "eval/expressions.hpp"

#include "eval/evaluate.hpp"

#include <algorithm>
#include <chrono>

namespace kaohe::eval {

using Op = ir::Expr::Op;

// Recursion bounded by the IR's height: the parser bounds every expression tree
// (parse::kMaxExprDepth) and lowering adds a few levels per rule.
Number Expressions::num(ir::ExprId e, const record::Event* ev) const {
    const ir::Expr& ex = x(e);
    switch (ex.op) {
    case Op::constant: return ex.constant;
    case Op::measure: {
        if (p_.measure(ex.measure()).period != ir::PeriodKind::year) [[unlikely]]
            return period_measure(ex.measure());
        // Validation requires every measure that a rule able to apply reads (ir/reads.hpp); this
        // guards the rest (coverage probes conditions of rules that did not apply).
        const auto& m = r_.measures[ex.measure()];
        if (!m) [[unlikely]] {
            const ir::Measure& decl = p_.measure(ex.measure());
            throw record::RecordFailure(diag::Code::R004, "missing measure `" + decl.id + "` (" + decl.label + ")",
                                        "measures." + decl.id);
        }
        return *m;
    }
    case Op::amount: return ev->amount;
    case Op::share: {
        // Validation gives every vote rating a rule can read its votes, at least one in all.
        const auto& marks = r_.marks(p_, ex.measure(), period_);
        if (!marks || marks->count == 0) [[unlikely]] {
            const ir::Measure& decl = p_.measure(ex.measure());
            if (decl.period != ir::PeriodKind::year) period_measure(ex.measure());  // R004 naming the period
            throw record::RecordFailure(diag::Code::R004, "missing rating `" + decl.id + "` (" + decl.label + ")",
                                        "ratings." + decl.id);
        }
        return marks->share_of(ex.grades);
    }
    case Op::named: return named(ex.named());
    case Op::lookup: return lookup(ex, *ev);
    case Op::count:
    case Op::sum_amount: {
        Number total;
        for_each_event(ex.event(), [&](const record::Event& other, record::EventAt) {
            if (ex.a != ir::none && !truth(ex.a, &other)) return;
            total += ex.op == Op::count ? Number(other.count) : other.amount * Number(other.count);
        });
        return total;
    }
    case Op::longest_run: return longest_run(ex);
    case Op::total: return total_ ? *total_ : Number();
    case Op::unit_mean:
    case Op::unit_rank:
    case Op::unit_size: {
        if (!unit_) throw UnitUnknown{};
        if (ex.op == Op::unit_rank) return Number(static_cast<std::int64_t>(unit_->rank));
        if (ex.op == Op::unit_size) return Number(static_cast<std::int64_t>(unit_->people));
        if (ex.ref < 0) return unit_->mean_total;
        const std::size_t m = ex.measure().index();
        if (m >= unit_->means.size() || !unit_->means[m]) throw UnitUnknown{};  // nobody in the unit has a value
        return *unit_->means[m];
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

bool Expressions::truth(ir::ExprId e, const record::Event* ev) const {
    const ir::Expr& ex = x(e);
    switch (ex.op) {
    case Op::group: return r_.groups[ex.group()];
    case Op::attribute_is: return ev->attributes[ex.slot()] == ex.value;
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

const Number& Expressions::named(ir::NamedId v) const {
    auto& slot = period_.whole_year() ? named_[v.index()] : period_named_[v.index()];
    if (!period_.whole_year()) period_needed_[v.index()] = true;
    if (!slot) {
        const ir::NamedValue& decl = p_.value(v);
        try {
            slot = num(decl.expr, nullptr);
        } catch (const ArithmeticError& e) {
            throw record::RecordFailure(diag::Code::R009, std::string(e.what()) + " in value `" + decl.id + "` (" + decl.label +
                                            ") at " + decl.where,
                                        "values." + decl.id);
        }
    }
    return *slot;
}

// A measure given per period, read in the period being scored (the checker admits it only
// inside a period rule or section of its kind): missing there is R004, naming the period.
Number Expressions::period_measure(ir::MeasureId m) const {
    const ir::Measure& decl = p_.measure(m);
    const std::string period = ir::period_name(r_.year, period_);
    const std::optional<Number>* v = period_.kind == decl.period && !r_.period_measures.empty()
                                         ? &r_.period_measures[static_cast<std::size_t>(ir::period_slot(period_))][m]
                                         : nullptr;
    if (!v || !*v)
        throw record::RecordFailure(diag::Code::R004, std::string(decl.rating ? "missing rating `" : "missing measure `") + decl.id +
                                                          "` (" + decl.label + ") for " +
                                                          (period_.whole_year() ? std::string("the period") : period),
                                    "periods." + period + (decl.rating ? ".ratings." : ".measures.") + decl.id);
    return **v;
}

void Expressions::add_year_values() {
    const ir::Period outer = period_;
    const std::string* outer_section = section_;
    set_period({});
    for (std::size_t i = 0; i < named_.size(); ++i) {
        if (!period_needed_[i] || named_[i]) continue;
        try {
            named(ir::NamedId::at(i));
        } catch (const record::RecordFailure&) {
            named_[i].reset();  // no year's value: its periods' values are on their lines
        }
    }
    set_period(outer, outer_section);
}

namespace {
// Days since 1970-01-01, by the standard library's calendar.
std::int64_t day_number(const record::Date& d) {
    using namespace std::chrono;
    const year_month_day ymd{year{int(d.year)}, month{unsigned(d.month)}, day{unsigned(d.day)}};
    return sys_days{ymd}.time_since_epoch().count();
}
}  // namespace

// The most consecutive calendar days on which an event of the kind (and its `where`) is dated; an
// event covers its own date whatever its count. Each event read needs a full date.
Number Expressions::longest_run(const ir::Expr& ex) const {
    std::vector<std::int64_t> days;
    for_each_event(ex.event(), [&](const record::Event& other, record::EventAt) {
        if (ex.a != ir::none && !truth(ex.a, &other)) return;
        if (other.date.month == 0 || other.date.day == 0) {
            const ir::Event& decl = p_.event(other.type);
            const std::string at = std::string(other.from_unit ? "unit.events[" : "events[") + std::to_string(other.position) + "]";
            throw record::RecordFailure(diag::Code::R004,
                                        "event `" + decl.id + "` (" + decl.label + ") has no full date: `longest_run(" + decl.id +
                                            ")` counts consecutive days by its `date` (\"YYYY-MM-DD\")",
                                        at + ".date");
        }
        days.push_back(day_number(other.date));
    });
    std::sort(days.begin(), days.end());
    days.erase(std::unique(days.begin(), days.end()), days.end());
    std::int64_t best = 0, run = 0;
    for (std::size_t i = 0; i < days.size(); ++i) {
        run = i > 0 && days[i] == days[i - 1] + 1 ? run + 1 : 1;
        best = std::max(best, run);
    }
    return Number(best);
}

bool Expressions::in_period(const record::Event& ev) const {
    if (ev.date.month == 0) {
        const ir::Event& decl = p_.event(ev.type);
        const std::string at = std::string(ev.from_unit ? "unit.events[" : "events[") + std::to_string(ev.position) + "]";
        throw record::RecordFailure(diag::Code::R004,
                                    "event `" + decl.id + "` (" + decl.label + ") has no date: " +
                                        (section_ ? "section `" + *section_ + "` is scored each " : std::string("a rule counted each ")) +
                                        ir::period_word(period_.kind) + (section_ ? " and places" : " places") +
                                        " it by its `date` (\"YYYY-MM\" is enough)",
                                    at + ".date");
    }
    return period_.holds(ev.date.month);
}

Number Expressions::lookup(const ir::Expr& ex, const record::Event& ev) const {
    const ir::Table& t = p_.table(ex.table());
    const ir::ValueId value = ev.attributes[t.slot];
    const ir::Attribute& attr = p_.attribute(t.attribute);
    if (t.by_default(value)) return *t.otherwise;
    if (value == ir::none || !t.points[value]) {
        const std::string field = std::string(ev.from_unit ? "unit.events[" : "events[") +
                                  std::to_string(ev.position) + "]." + attr.id;
        std::string listed;
        for (ir::ValueId v : t.points.ids())
            if (t.points[v]) listed += (listed.empty() ? "" : ", ") + attr.value(v);
        const std::string given = value == ir::none ? "no " + attr.id : attr.id + " `" + attr.value(value) + "`";
        throw record::RecordFailure(diag::Code::R009, "event `" + p_.event(ev.type).id + "` has " + given +
                                        ", which the table at " + p_.sources.file_line(t.span) +
                                        " does not list (it lists " + listed + ")",
                                    field);
    }
    return *t.points[value];
}

}  // namespace kaohe::eval
