// The person's unit in a batch (api/population.hpp).
#include "api/population.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <string_view>

#include "api/access.hpp"
#include "api/quota.hpp"
#include "eval/evaluate.hpp"
#include "record/record.hpp"

namespace kaohe::api {

void apply_units(const ir::Program& p, const std::vector<Scored>& unit) {
    if (unit.empty() || !eval::reads_unit(p)) return;
    eval::UnitStats stats;
    stats.people = unit.size();
    // The measures a unit_mean reads: their means over the people with a value.
    stats.means.resize(p.measures.size());
    for (const ir::Expr& x : p.exprs) {
        if (x.op != ir::Expr::Op::unit_mean || x.ref < 0 || stats.means[x.measure().index()]) continue;
        Number sum;
        std::int64_t with = 0;
        for (const Scored& s : unit)
            if (const auto& v = s.record->measures[x.measure()]) {
                sum += *v;
                ++with;
            }
        if (with > 0) stats.means[x.measure().index()] = sum / Number(with);
    }
    std::vector<Number> totals;
    Number sum;
    for (const Scored& s : unit) {
        totals.push_back(s.outcome->total);
        sum += s.outcome->total;
    }
    stats.mean_total = sum / Number(static_cast<std::int64_t>(unit.size()));
    std::sort(totals.begin(), totals.end(), std::greater<>());
    for (const Scored& s : unit) {
        // Competition ranking: one more than the people with a higher total.
        const auto higher = std::lower_bound(totals.begin(), totals.end(), s.outcome->total, std::greater<>()) - totals.begin();
        stats.rank = static_cast<std::size_t>(higher) + 1;
        eval::decide_in_unit(p, *s.record, stats, *s.outcome);
    }
}

void apply_units(const ir::Program&, std::vector<std::optional<Evaluation>>& results) {
    for (const auto& [key, people] : units_of(results)) apply_units(*key.first, people);
}

}  // namespace kaohe::api
