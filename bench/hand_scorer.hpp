// The seed scheme scored by hand: what a performance engineer would write for this one scheme,
// with no engine, no interpreter and no rational numbers. It is the practical limit that the
// benchmarks hold the interpreter against, and the agreement test's second opinion.
//
// Exact on plain machine integers: inputs come in hundredths (the generator writes at most two
// decimals), and every figure is kept in thousandths, where each value the scheme can produce
// from such inputs is a whole number — halves of hundredths ((95 - 92.35) / 2 = 1.325), half an
// award (1.5, 2.5), 1:1 and 2:1 deductions of measures. Bounds: counts ≤ 10^6 and amounts ≤ 40
// keep every sum far inside int64.
//
// One pass over the events adds each occurrence's points into its clause's slot; the measures
// add theirs; then each clause is held between 0 and its maximum (扣完为止) and the sections
// are summed, as shared/spec/seed-scheme.md says.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "generator.hpp"
#include "seed_model.hpp"

namespace kaohe_bench {

inline constexpr std::int64_t kScale = 1000;  // thousandths
inline constexpr int kMaxCard = 24;           // nodes on the largest card (vice_chair: 23)

struct HandResult {
    bool ok = true;          // false: an award's issuer that its table does not list
    Role role = chair;
    int nodes = 0;           // entries used in `score`, in the order of card_paths(role)
    std::int64_t total = 0;  // thousandths
    std::array<std::int64_t, kMaxCard> score{};
};

// The card's node paths, depth first, parents before children: public, personal, bonus.
struct Card {
    const std::string_view* paths;
    int size;
};

namespace detail {

#define KAOHE_CARD(name, ...)                                                                     \
    inline constexpr std::string_view name[] = {                                                 \
        "public", "public.study", "public.study.collective", "public.study.personal",             \
        "public.discipline", "public.discipline.work", "public.discipline.management",           \
        "public.discipline.integrity", "public.central", "personal", __VA_ARGS__, "bonus",       \
        "bonus.individual", "bonus.work_item", "bonus.unit_excellent", "bonus.unit_honour"};

KAOHE_CARD(kChair, "personal.overall", "personal.party", "personal.business", "personal.business.finance",
           "personal.business.societies", "personal.business.projects", "personal.business.community")
KAOHE_CARD(kVice, "personal.assist", "personal.assist.targets", "personal.assist.efficiency",
           "personal.party_affairs", "personal.business", "personal.business.science_pop",
           "personal.business.publicity", "personal.office")
KAOHE_CARD(kLiteracy, "personal.literacy")
KAOHE_CARD(kPartyOfficer, "personal.party_office")
KAOHE_CARD(kSocieties, "personal.societies")
KAOHE_CARD(kRural, "personal.community", "personal.projects", "personal.agri_assoc")
KAOHE_CARD(kMuseum, "personal.museum", "personal.rural_pop", "personal.web")
KAOHE_CARD(kYouth, "personal.youth", "personal.finance", "personal.archives", "personal.archives.records",
           "personal.archives.documents")
KAOHE_CARD(kDriver, "personal.driving", "personal.office_assist")
KAOHE_CARD(kClerk, "personal.office_work", "personal.publicity", "personal.cashier")
#undef KAOHE_CARD

template <std::size_t N>
constexpr Card card(const std::string_view (&a)[N]) {
    return Card{a, static_cast<int>(N)};
}

inline constexpr std::int64_t below(std::int64_t target, std::int64_t v) { return v < target ? target - v : 0; }
inline constexpr std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }
inline constexpr std::int64_t min64(std::int64_t a, std::int64_t b) { return a < b ? a : b; }

// A clause with maximum `max` whole points after deductions `d` (thousandths): 扣完为止.
inline constexpr std::int64_t clause(std::int64_t max, std::int64_t d) {
    const std::int64_t v = max * kScale - d;
    return v < 0 ? 0 : v;
}

}  // namespace detail

inline Card card_paths(Role r) {
    using namespace detail;
    static constexpr Card kCards[kRoles] = {card(kChair),     card(kVice),   card(kLiteracy), card(kPartyOfficer),
                                            card(kSocieties), card(kRural),  card(kMuseum),   card(kYouth),
                                            card(kDriver),    card(kClerk)};
    return kCards[r];
}

inline void score(const Person& p, HandResult& out) {
    using namespace detail;
    std::int64_t d[kSlots] = {};  // per clause: deductions (bonus clauses: additions), thousandths
    bool ok = true;
    const bool lead = (p.groups & kLeadership) != 0;
    const bool staff = (p.groups & (kLeadership | kOffice)) == 0;
    for (const Event& e : p.events) {
        const EventInfo& info = kEventInfo[e.type];
        std::int64_t pts;
        if (info.max_c != 0) {
            pts = e.amount_c * 10;
        } else if (!info.issuer) {
            pts = info.points * kScale;
        } else if (e.type == individual_award) {
            pts = kIndividualPoints[e.issuer] * kScale;
            ok &= pts != 0;
        } else if (e.type == work_item_award) {
            pts = kWorkItemPoints[e.issuer] * kScale;
            ok &= pts != 0;
            if (lead) pts /= 2;
        } else {
            pts = kUnitHonourPoints[e.issuer] * kScale;
            ok &= pts != 0;
            if (staff) pts /= 2;
        }
        d[info.slot] += pts * e.count;
    }
    const auto& m = p.measure_c;
    d[s_personal_study] += ceil_div(below(5000'00, m[reading_notes_chars]), 1000'00) * kScale;
    d[s_personal_study] += below(3'00, m[reflection_essays]) / 100 * kScale;

    std::int64_t* v = out.score.data();
    // public
    v[2] = clause(6, d[s_collective]);
    v[3] = clause(6, d[s_personal_study]);
    v[1] = v[2] + v[3];
    v[5] = clause(10, d[s_work]);
    v[6] = clause(4, d[s_management]);
    v[7] = clause(4, d[s_integrity]);
    v[4] = v[5] + v[6] + v[7];
    v[8] = clause(10, d[s_central]);
    v[0] = v[1] + v[4] + v[8];
    // personal: v[9], then the role's nodes from v[10]
    std::int64_t* q = v + 10;
    int n = 0;
    switch (p.role) {
    case chair:
        d[s_overall] += below(95'00, m[county_target_score]) * 10;  // −1 per point below 95, linear
        q[0] = clause(25, d[s_overall]);
        q[1] = clause(15, d[s_party]);
        q[3] = clause(5, d[s_finance]);
        q[4] = clause(5, d[s_societies_c]);
        q[5] = clause(5, d[s_projects_c]);
        q[6] = clause(5, d[s_community_c]);
        q[2] = q[3] + q[4] + q[5] + q[6];
        v[9] = q[0] + q[1] + q[2];
        n = 7;
        break;
    case vice_chair:
        d[s_targets] += below(95'00, m[county_target_score]) * 5;  // −1 per 2 points below 95, linear
        d[s_science_pop] += m[science_pop_points_lost] * 10;       // 1:1
        q[1] = clause(10, d[s_targets]);
        q[2] = clause(10, d[s_efficiency]);
        q[0] = q[1] + q[2];
        q[3] = clause(15, d[s_party_affairs]);
        q[5] = clause(5, d[s_science_pop]);
        q[6] = clause(5, d[s_publicity_v]);
        q[4] = q[5] + q[6] + 5 * kScale;  // 5 of its 15 points are allocated to no clause: awarded
        q[7] = clause(10, d[s_office_v]);
        v[9] = q[0] + q[3] + q[4] + q[7];
        n = 8;
        break;
    case literacy_officer:
        q[0] = clause(60, d[s_literacy]);
        v[9] = q[0];
        n = 1;
        break;
    case party_officer:
        q[0] = clause(60, d[s_party_office]);
        v[9] = q[0];
        n = 1;
        break;
    case societies_officer:
        d[s_societies_o] += below(10'00, m[active_societies]) / 100 * 2 * kScale;
        q[0] = clause(60, d[s_societies_o]);
        v[9] = q[0];
        n = 1;
        break;
    case rural_officer:
        d[s_community_r] += m[community_points_lost] * 10;  // 1:1
        q[0] = clause(25, d[s_community_r]);
        q[1] = clause(25, d[s_projects_r]);
        q[2] = clause(10, d[s_agri_assoc]);
        v[9] = q[0] + q[1] + q[2];
        n = 3;
        break;
    case museum_head:
        q[0] = clause(25, d[s_museum]);
        q[1] = clause(20, d[s_rural_pop]);
        q[2] = clause(15, d[s_web]);
        v[9] = q[0] + q[1] + q[2];
        n = 3;
        break;
    case youth_finance_archives:
        d[s_archive_records] += m[archive_standard_gap] * 20;  // −2 per point, linear
        q[0] = clause(20, d[s_youth]);
        q[1] = clause(15, d[s_finance_y]);
        q[3] = clause(10, d[s_archive_records]);
        q[4] = clause(15, d[s_archive_documents]);
        q[2] = q[3] + q[4];
        v[9] = q[0] + q[1] + q[2];
        n = 5;
        break;
    case driver:
        q[0] = clause(40, d[s_driving]);
        q[1] = clause(20, d[s_office_assist]);
        v[9] = q[0] + q[1];
        n = 2;
        break;
    case office_clerk:
        // −1 per article short, at most −5, for each of the two measures
        d[s_publicity_k] += min64(5, below(30'00, m[news_articles]) / 100) * kScale;
        d[s_publicity_k] += min64(5, below(2'00, m[briefing_articles]) / 100) * kScale;
        q[0] = clause(25, d[s_office_work]);
        q[1] = clause(20, d[s_publicity_k]);
        q[2] = clause(15, d[s_cashier]);
        v[9] = q[0] + q[1] + q[2];
        n = 3;
        break;
    default: break;
    }
    // bonus: uncapped additions
    std::int64_t* b = q + n;
    b[1] = d[s_individual];
    b[2] = d[s_work_item];
    b[3] = d[s_unit_excellent];
    b[4] = d[s_unit_honour];
    b[0] = b[1] + b[2] + b[3] + b[4];

    out.ok = ok;
    out.role = p.role;
    out.nodes = 10 + n + 5;
    out.total = v[0] + v[9] + b[0];
}

}  // namespace kaohe_bench
