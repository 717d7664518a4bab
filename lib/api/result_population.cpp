// Result::population(): the unit's figures a result carries, as its JSON `population` writes them.
#include "api/access.hpp"

namespace kaohe {

std::optional<Population> Result::population() const {
    const eval::Outcome& o = state_->outcome;
    if (!o.unit && !o.unit_undecided) return std::nullopt;
    Population out;
    out.decided = o.unit && !o.unit_undecided;
    out.unit = state_->record.unit;
    if (o.unit) {
        const ir::Program& p = *state_->program;
        out.people = o.unit->people;
        out.rank = o.unit->rank;
        out.mean_total = o.unit->mean_total;
        for (std::size_t m = 0; m < o.unit->means.size(); ++m)
            if (o.unit->means[m]) out.means.emplace(p.measures[m].id, *o.unit->means[m]);
    }
    return out;
}

}  // namespace kaohe
