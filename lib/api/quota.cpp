// Grade quotas over a batch's results (api/quota.hpp).
#include "api/quota.hpp"

#include <algorithm>
#include <map>
#include <string_view>
#include <type_traits>

#include "api/access.hpp"
#include "record/record.hpp"

namespace kaohe::api {

bool has_quota(const ir::Program& p) {
    return std::any_of(p.grades.begin(), p.grades.end(), [](const ir::GradeBand& b) { return b.quota.has_value(); });
}

bool has_quota(const Ruleset& r) {
    if (has_quota(Access::program(r))) return true;
    for (const Version& v : Access::versions(r))
        if (has_quota(*v.program)) return true;
    return false;
}

bool needs_population(const Ruleset& r) {
    if (has_quota(r) || eval::reads_unit(Access::program(r))) return true;
    for (const Version& v : Access::versions(r))
        if (eval::reads_unit(*v.program)) return true;
    return false;
}

std::size_t quota_count(const ir::GradeQuota& q, std::size_t people) {
    const Number exact = q.share * Number(static_cast<std::int64_t>(people)) / Number(100);
    const Number count = q.nearest ? (exact + Number::fraction(1, 2)).floor() : exact.floor();
    return static_cast<std::size_t>(*count.to_int64());
}

namespace {

// One person as a quota sees them: a held result (`Scored`, whose coefficients follow a lowered
// grade) or a stream batch's standing (`Standing*`, whose result is written later).
const Number& total_of(const Scored& s) { return s.outcome->total; }
const Number& total_of(const Standing* s) { return s->total; }
const std::string* grade_of(const Scored& s) { return s.outcome->grade; }
const std::string* grade_of(const Standing* s) { return s->grade; }
std::optional<Number> tie_of(const Scored& s, const ir::GradeQuota& q, std::size_t) { return s.record->measures[q.tie_measure]; }
std::optional<Number> tie_of(const Standing* s, const ir::GradeQuota&, std::size_t b) {
    return b < s->ties.size() ? s->ties[b] : std::nullopt;
}
void place(const ir::Program& p, const Scored& s, const eval::Outcome::QuotaPlace& q, const std::string* lowered) {
    s.outcome->quota = q;
    if (lowered) {
        s.outcome->grade = lowered;
        s.outcome->coefficients = eval::coefficients(p, s.outcome->total, lowered);  // by the grade now held
    }
}
void place(const ir::Program&, Standing* s, const eval::Outcome::QuotaPlace& q, const std::string* lowered) {
    s->quota = q;
    if (lowered) s->grade = lowered;
}

// Negative: `a` ranks before `c`; zero: tied (on total and on the tie measure, if declared);
// positive: after. Without a value of the tie measure a person ranks after those with one.
template <class Person>
int order(const ir::GradeQuota& q, std::size_t b, const Person& a, const Person& c) {
    if (total_of(c) < total_of(a)) return -1;
    if (total_of(a) < total_of(c)) return 1;
    if (q.tie_measure == ir::none) return 0;
    const std::optional<Number> x = tie_of(a, q, b);
    const std::optional<Number> y = tie_of(c, q, b);
    if (!x || !y) return x ? -1 : y ? 1 : 0;
    if (*x == *y) return 0;
    return (q.tie_highest ? *y < *x : *x < *y) ? -1 : 1;
}

// One unit's quota on band `b`: ranks those holding its grade and moves those past the quota.
template <class Person>
void apply(const ir::Program& p, std::size_t b, const std::vector<Person>& unit) {
    const ir::GradeBand& band = p.grades[b];
    const ir::GradeQuota& q = *band.quota;
    const std::size_t count = quota_count(q, unit.size());
    std::vector<Person> held;
    for (const Person& s : unit)
        if (grade_of(s) && *grade_of(s) == band.name) held.push_back(s);
    std::stable_sort(held.begin(), held.end(), [&](const Person& a, const Person& c) { return order(q, b, a, c) < 0; });
    std::size_t first_tied = 0;  // the first of the people tied with the one at `i`
    for (std::size_t i = 0; i < held.size(); ++i) {
        if (i > 0 && order(q, b, held[i - 1], held[i]) != 0) first_tied = i;
        bool keeps = true;
        if (held.size() > count) {
            // all_in: everyone tied with the last within the quota; all_out: only those above
            // the first past it.
            if (q.all_in) keeps = count > 0 && order(q, b, held[i], held[count - 1]) <= 0;
            else keeps = order(q, b, held[i], held[count]) < 0;
        }
        place(p, held[i], eval::Outcome::QuotaPlace{&band, unit.size(), count, first_tied + 1, !keeps},
              keeps ? nullptr : &p.grades[b + 1].name);
    }
}

}  // namespace

void apply_quotas(const ir::Program& p, const std::vector<Scored>& unit) {
    for (std::size_t b = 0; b + 1 < p.grades.size(); ++b)
        if (p.grades[b].quota) apply(p, b, unit);
}

std::map<std::pair<const ir::Program*, std::string_view>, std::vector<Scored>> units_of(
    std::vector<std::optional<Evaluation>>& results) {
    std::map<std::pair<const ir::Program*, std::string_view>, std::vector<Scored>> units;
    for (auto& e : results)
        if (e && e->ok()) {
            const Result& r = e->result();
            const auto& state = Access::state(r);
            units[{state.program.get(), state.record.unit}].push_back(Scored{&Access::held_outcome(r), &state.record});
        }
    return units;
}

void apply_quotas(const ir::Program&, std::vector<std::optional<Evaluation>>& results) {
    for (const auto& [key, people] : units_of(results)) apply_quotas(*key.first, people);
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
