// A record's inputs given per period: `"periods": {"2022-Q1": {"measures": {"output": 9}}}`.
// Each key is a month ("2022-03") or a quarter ("2022-Q1") of the record's year; each holds the
// measures declared per period of that kind (`measure output "…" whole >= 0 each quarter`). A
// per-period input that a rule reads but a period lacks is found when that period is scored
// (R004, naming the period): eval/expressions.cpp.
#include "record/record.hpp"
#include "support/suggest.hpp"

namespace kaohe::record {

namespace {

std::string quoted(std::string_view s) { return "`" + std::string(s) + "`"; }

}  // namespace

void read_periods(const ir::Program& p, const RawRecord& raw, Record& r) {
    r.period_measures.assign(ir::kPeriodSlots, ir::IdVector<ir::MeasureId, std::optional<Number>>(p.measures.size(), std::nullopt));
    for (const auto& [name, given] : raw.periods) {
        const std::string at = "periods." + std::string(name);
        std::string why;
        const std::optional<ir::Period> period = ir::parse_period(name, r.year, why);
        if (!period) {
            // A key pasted with a character that only looks right: name it, not just the format.
            if (const std::string odd = it_contains_unusual(name); !odd.empty()) why = "is not a period: " + odd;
            throw RecordFailure(diag::Code::R007, "period " + quoted(name) + " " + why, at);
        }
        auto& values = r.period_measures[static_cast<std::size_t>(ir::period_slot(*period))];
        for (const auto& [measure, value] : given.measures) {
            const std::string field = at + ".measures." + std::string(measure);
            const auto it = p.measure_index.find(std::string(measure));
            if (it == p.measure_index.end()) {
                std::vector<std::string_view> names;
                for (const auto& m : p.measures)
                    if (m.period == period->kind) names.push_back(m.id);
                throw RecordFailure(diag::Code::R005, "unknown measure " + quoted(measure) + did_you_mean(measure, names), field);
            }
            const ir::Measure& decl = p.measure(it->second);
            if (decl.period == ir::PeriodKind::year)
                throw RecordFailure(diag::Code::R005, "measure " + quoted(measure) + " is given once for the year: give it in "
                                                      "`measures`, not in a period",
                                    field);
            if (decl.period != period->kind)
                throw RecordFailure(diag::Code::R005, "measure " + quoted(measure) + " is given per " + ir::period_word(decl.period) +
                                                      ", so not in " + std::string(ir::period_word(period->kind)) + " " +
                                                      std::string(name) + ": give it under a " + ir::period_word(decl.period) +
                                                      ", as in \"" + ir::period_name(r.year, {decl.period, 1}) + "\"",
                                    field);
            check_measure_value(decl, measure, value, field);
            values[it->second] = value;
        }
    }
    // A default stands for every period that does not give the measure.
    for (ir::MeasureId m : r.measures.ids()) {
        const ir::Measure& decl = p.measure(m);
        if (decl.period == ir::PeriodKind::year || !decl.default_value) continue;
        for (int i = 1; i <= ir::periods_in_year(decl.period); ++i) {
            auto& slot = r.period_measures[static_cast<std::size_t>(ir::period_slot({decl.period, i}))][m];
            if (!slot) slot = decl.default_value;
        }
    }
}

}  // namespace kaohe::record
