// Grade quotas over a batch ("优秀等次人数一般不超过本单位参加考核人数的15%"): a band declared with
// `quota 15% round down ties all_in` is kept by at most that share of each unit's people; the
// others who reached it get the next band's grade. Applied to a batch's results once all of them
// are scored, so a batch over a ruleset with a quota holds its results until the input ends.
#pragma once

#include <cstdint>
#include <map>
#include <string_view>
#include <optional>
#include <vector>

#include "eval/evaluate.hpp"
#include "kaohe/kaohe.hpp"

namespace kaohe::ir {
struct Program;
struct GradeQuota;
}  // namespace kaohe::ir
namespace kaohe::eval {
struct Outcome;
}  // namespace kaohe::eval
namespace kaohe::record {
struct Record;
}  // namespace kaohe::record

namespace kaohe::api {

// Whether any grade of the ruleset has a quota.
bool has_quota(const ir::Program& p);
// Whether any grade of the ruleset, or of any of its versions, has a quota.
bool has_quota(const Ruleset& r);
// Whether a batch over the ruleset must see its whole population before it writes a result: a
// quota, or a grade rule or flag reading the unit (`unit_mean`, `unit_rank`, `unit_size`).
bool needs_population(const Ruleset& r);

// The quota's count for a unit of `people`: the share of them, rounded down, or to the nearest
// whole person with .5 up.
std::size_t quota_count(const ir::GradeQuota& q, std::size_t people);

// Applies every quota, best grade first, to the results of one batch (failed records: errors,
// or none). The population of a unit is every person of that unit (the record's `unit`, "" when
// not given) who was scored, vetoed or not: "参加考核人数". Those who reached the grade — by band,
// veto or grade rule — are ranked by total, highest first; the first `count` keep it, and people
// tied on total at the boundary all keep it (`ties all_in`) or none of them does (`ties all_out`).
// A person moved down lands in the next grade, and is ranked there when it has a quota too.
void apply_quotas(const ir::Program& p, std::vector<std::optional<Evaluation>>& results);

// One person of a unit as scored: the outcome a quota may change, and the record it was scored
// from (for the quota's tie measure).
struct Scored {
    eval::Outcome* outcome = nullptr;
    const record::Record* record = nullptr;
};

// Applies every quota, best grade first, to the people of one unit, as above. People tied on
// total are ranked by the quota's tie measure when it declares one (`ties by highest M then
// ...`); those still tied are all in or all out. Ranks are shared by the tied: 1, 2, 2, 4.
void apply_quotas(const ir::Program& p, const std::vector<Scored>& unit);

// A batch's scored people by unit: the record's `unit` under the program that scored it (of a
// scheme's versions, each version's records are populations of their own). Failed records are no one.
std::map<std::pair<const ir::Program*, std::string_view>, std::vector<Scored>> units_of(
    std::vector<std::optional<Evaluation>>& results);

// What ranking a person needs, without the result: the stream form of a batch keeps this for
// each record (and the record's text), applies the quotas, and scores the records again to write
// them (take_place), so it never holds the results themselves.
struct Standing {
    bool scored = false;                // false: the record failed; not in any unit's population
    std::uint32_t unit = 0;             // the unit, numbered by the caller
    Number total;
    const std::string* grade = nullptr;  // the grade before the quotas; after apply_quotas, the final one
    std::optional<eval::Outcome::QuotaPlace> quota;
    std::vector<std::optional<Number>> ties;  // by grade: the value of its quota's tie measure, if it declares one
};

// As apply_quotas above, over standings.
void apply_quotas(const ir::Program& p, std::vector<Standing>& people);

// Gives a record's fresh outcome the place its standing took under the quotas: the quota, and
// the grade it lowered to with the coefficients by that grade.
void take_place(const ir::Program& p, const Standing& s, eval::Outcome& o);

}  // namespace kaohe::api
