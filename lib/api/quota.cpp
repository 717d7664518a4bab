// Grade quotas over a batch's results (api/quota.hpp).
#include "api/quota.hpp"

#include <algorithm>
#include <map>
#include <string_view>
#include <type_traits>

#include "api/access.hpp"

namespace kaohe::api {

bool has_quota(const ir::Program& p) {
    return std::any_of(p.grades.begin(), p.grades.end(), [](const ir::GradeBand& b) { return b.quota.has_value(); });
}

std::size_t quota_count(const ir::GradeQuota& q, std::size_t people) {
    const Number exact = q.share * Number(static_cast<std::int64_t>(people)) / Number(100);
    const Number count = q.nearest ? (exact + Number::fraction(1, 2)).floor() : exact.floor();
    return static_cast<std::size_t>(*count.to_int64());
}

namespace {

// One unit's quota on band `b`: ranks those holding its grade and moves those past the quota.
// `Person`: eval::Outcome (a held result, whose coefficients follow the lowered grade) or
// Standing (what the ranking needs, the result written later).
template <class Person>
void apply(const ir::Program& p, std::size_t b, const std::vector<Person*>& unit) {
    const ir::GradeBand& band = p.grades[b];
    const ir::GradeQuota& q = *band.quota;
    const std::size_t count = quota_count(q, unit.size());
    std::vector<Person*> held;
    for (Person* o : unit)
        if (o->grade && *o->grade == band.name) held.push_back(o);
    std::stable_sort(held.begin(), held.end(), [](const Person* a, const Person* c) { return c->total < a->total; });
    std::size_t first_tied = 0;  // the first of the people tied with the one at `i`
    for (std::size_t i = 0; i < held.size(); ++i) {
        if (i > 0 && held[i]->total != held[i - 1]->total) first_tied = i;
        bool keeps = true;
        if (held.size() > count) {
            // all_in: everyone tied with the last within the quota; all_out: only those above
            // the first past it.
            if (q.all_in) keeps = count > 0 && !(held[i]->total < held[count - 1]->total);
            else keeps = held[count]->total < held[i]->total;
        }
        held[i]->quota = eval::Outcome::QuotaPlace{&band, unit.size(), count, first_tied + 1, !keeps};
        if (!keeps) {
            held[i]->grade = &p.grades[b + 1].name;
            if constexpr (std::is_same_v<Person, eval::Outcome>)
                held[i]->coefficients = eval::coefficients(p, held[i]->total, held[i]->grade);  // by the grade now held
        }
    }
}

}  // namespace

void apply_quotas(const ir::Program& p, std::vector<std::optional<Evaluation>>& results) {
    std::map<std::string_view, std::vector<eval::Outcome*>> units;
    for (auto& e : results)
        if (e && e->ok()) {
            const Result& r = e->result();
            units[Access::state(r).record.unit].push_back(&Access::held_outcome(r));
        }
    for (std::size_t b = 0; b + 1 < p.grades.size(); ++b)
        if (p.grades[b].quota)
            for (const auto& [name, people] : units) apply(p, b, people);
}

void apply_quotas(const ir::Program& p, std::vector<Standing>& people) {
    std::map<std::uint32_t, std::vector<Standing*>> units;
    for (Standing& s : people)
        if (s.scored) units[s.unit].push_back(&s);
    for (std::size_t b = 0; b + 1 < p.grades.size(); ++b)
        if (p.grades[b].quota)
            for (const auto& [unit, in_unit] : units) apply(p, b, in_unit);
}

void take_place(const ir::Program& p, const Standing& s, eval::Outcome& o) {
    if (!s.quota) return;
    o.quota = s.quota;
    if (s.grade != o.grade) {
        o.grade = s.grade;
        o.coefficients = eval::coefficients(p, o.total, o.grade);  // by the grade now held
    }
}

}  // namespace kaohe::api
