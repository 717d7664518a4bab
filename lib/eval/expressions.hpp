// Expressions: the value of an IR expression for one record (and, in an event context, one of its
// events). The evaluator scores with it; coverage (lib/change/) probes conditions with it.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "ir/program.hpp"
#include "record/record.hpp"

namespace kaohe::eval {

struct UnitStats;

class Expressions {
public:
    Expressions(const ir::Program& p, const record::Record& r)
        : p_(p), r_(r), named_(p.values.size()), period_named_(p.values.size()), period_needed_(p.values.size(), false) {}
    // The same, reading `period` (see set_period).
    Expressions(const ir::Program& p, const record::Record& r, const ir::Period& period) : Expressions(p, r) {
        set_period(period);
    }

    // Throw record::RecordFailure when an event's attribute value is missing from a table, and
    // ArithmeticError past the number limits. `ev` is the current event (null outside `each`).
    Number num(ir::ExprId e, const record::Event* ev) const;
    bool truth(ir::ExprId e, const record::Event* ev) const;
    // A named value for this record, computed on first use and kept. Division by 0 in it is
    // record error R009, naming the value.
    const Number& named(ir::NamedId v) const;
    // The named values computed so far (none: not needed by this record), by NamedId.
    const std::vector<std::optional<Number>>& named_values() const { return named_; }
    // Computes the year's value of each named value so far needed only inside a period (where it
    // was computed for that period), when it has one, so that the result lists every value the
    // record needed. One with no year's value (it reads an input given per period) stays unlisted.
    void add_year_values();

    // Calls f(event, position) for every event of `type`, in record order; inside a period (see
    // set_period), for those dated in it only.
    template <typename F>
    void for_each_event(ir::EventId type, F&& f) const {
        const std::uint32_t b = r_.by_type_start[type.index()];
        const std::uint32_t e = r_.by_type_start[type.index() + 1];
        for (std::uint32_t i = b; i < e; ++i) {
            const record::Event& ev = r_.event(r_.by_type[i]);
            if (!period_.whole_year() && !in_period(ev)) continue;
            f(ev, r_.by_type[i]);
        }
    }

    // Counts and sums from now on read the events of `period` only (kind year: the whole year);
    // named values are then computed for that period and not kept. An event with no date cannot
    // be placed in a period: reading one is record error R004, naming it.
    // `section`: the path of the section scored per period that set it (none: a period rule),
    // so that an undated event is blamed on what asked for its period.
    void set_period(ir::Period period, const std::string* section = nullptr) {
        period_ = period;
        section_ = section;
        for (auto& v : period_named_) v.reset();
    }
    const ir::Period& period() const { return period_; }
    const std::string* period_section() const { return section_; }
    // What unit_mean, unit_rank and unit_size read (null: unknown, and they throw UnitUnknown).
    void set_unit(const UnitStats* unit) { unit_ = unit; }
    // What `total` reads (a grade rule's or a flag's condition); the evaluator sets it once the total is known.
    void set_total(const Number* total) { total_ = total; }

private:
    const ir::Expr& x(ir::ExprId e) const { return p_.expr(e); }
    bool in_period(const record::Event& ev) const;
    Number longest_run(const ir::Expr& ex) const;
    Number period_measure(ir::MeasureId m) const;
    Number lookup(const ir::Expr& ex, const record::Event& ev) const;

    const ir::Program& p_;
    const record::Record& r_;
    mutable std::vector<std::optional<Number>> named_;  // the cache behind named()
    ir::Period period_;
    const std::string* section_ = nullptr;
    const UnitStats* unit_ = nullptr;
    const Number* total_ = nullptr;
    mutable std::vector<std::optional<Number>> period_named_;  // named values for period_, while it is set
    mutable std::vector<bool> period_needed_;                  // by NamedId: computed for some period
};

}  // namespace kaohe::eval
