// Grade quotas over a batch's results (api/quota.hpp).
#include "api/quota.hpp"

#include <algorithm>
#include <map>
#include <string_view>

#include "api/access.hpp"
#include "record/record.hpp"

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

// Negative: `a` ranks before `c`; zero: tied (on total and on the tie measure, if declared);
// positive: after. Without a value of the tie measure a person ranks after those with one.
int order(const ir::GradeQuota& q, const Scored& a, const Scored& c) {
    if (c.outcome->total < a.outcome->total) return -1;
    if (a.outcome->total < c.outcome->total) return 1;
    if (q.tie_measure == ir::none) return 0;
    const std::optional<Number>& x = a.record->measures[q.tie_measure];
    const std::optional<Number>& y = c.record->measures[q.tie_measure];
    if (!x || !y) return x ? -1 : y ? 1 : 0;
    if (*x == *y) return 0;
    return (q.tie_highest ? *y < *x : *x < *y) ? -1 : 1;
}

// One unit's quota on band `b`: ranks those holding its grade and moves those past the quota.
void apply(const ir::Program& p, std::size_t b, const std::vector<Scored>& unit) {
    const ir::GradeBand& band = p.grades[b];
    const ir::GradeQuota& q = *band.quota;
    const std::size_t count = quota_count(q, unit.size());
    std::vector<Scored> held;
    for (const Scored& s : unit)
        if (s.outcome->grade && *s.outcome->grade == band.name) held.push_back(s);
    std::stable_sort(held.begin(), held.end(), [&](const Scored& a, const Scored& c) { return order(q, a, c) < 0; });
    std::size_t first_tied = 0;  // the first of the people tied with the one at `i`
    for (std::size_t i = 0; i < held.size(); ++i) {
        if (i > 0 && order(q, held[i - 1], held[i]) != 0) first_tied = i;
        bool keeps = true;
        if (held.size() > count) {
            // all_in: everyone tied with the last within the quota; all_out: only those above
            // the first past it.
            if (q.all_in) keeps = count > 0 && order(q, held[i], held[count - 1]) <= 0;
            else keeps = order(q, held[i], held[count]) < 0;
        }
        eval::Outcome& o = *held[i].outcome;
        o.quota = eval::Outcome::QuotaPlace{&band, unit.size(), count, first_tied + 1, !keeps};
        if (!keeps) {
            o.grade = &p.grades[b + 1].name;
            o.coefficients = eval::coefficients(p, o.total, o.grade);  // by the grade now held
        }
    }
}

}  // namespace

void apply_quotas(const ir::Program& p, const std::vector<Scored>& unit) {
    for (std::size_t b = 0; b + 1 < p.grades.size(); ++b)
        if (p.grades[b].quota) apply(p, b, unit);
}

void apply_quotas(const ir::Program& p, std::vector<std::optional<Evaluation>>& results) {
    std::map<std::string_view, std::vector<Scored>> units;
    for (auto& e : results)
        if (e && e->ok()) {
            const Result& r = e->result();
            units[Access::state(r).record.unit].push_back(Scored{&Access::held_outcome(r), &Access::state(r).record});
        }
    for (const auto& [name, people] : units) apply_quotas(p, people);
}

}  // namespace kaohe::api
