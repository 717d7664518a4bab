// The person's unit in a batch, for grade rules and flags that read it (`grade at most "称职" when
// total < unit_mean(total)`, "低于全组平均分的不得评为优秀"): each unit's size, mean and ranks,
// computed from the people scored before the grade is decided (totals do not depend on grades),
// and then what reads them decided again for each person. The quotas apply afterwards.
#pragma once

#include <optional>
#include <vector>

#include "api/quota.hpp"
#include "kaohe/kaohe.hpp"

namespace kaohe::ir {
struct Program;
}  // namespace kaohe::ir

namespace kaohe::api {

// For the people of one unit (its people scored, as a quota counts them): gives each their
// eval::UnitStats — the unit's size, the person's rank by total (highest first, ties sharing one:
// 1, 2, 2, 4), the exact mean of the total and of each measure `unit_mean` reads (over those with
// a value of it) — and decides again their flags, grade and coefficients with it. Does nothing
// when the ruleset reads no unit (eval::reads_unit).
void apply_units(const ir::Program& p, const std::vector<Scored>& unit);

// As above, over a batch's results grouped by the record's `unit` (failed records: none).
void apply_units(const ir::Program& p, std::vector<std::optional<Evaluation>>& results);

}  // namespace kaohe::api
