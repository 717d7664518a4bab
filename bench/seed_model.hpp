// The seed scheme's vocabulary as plain C++ tables, for the population generator and the
// hand-written scorer (shared/spec/seed-scheme.md is the source of every id and figure here).
//
// Nothing here uses the engine: this is the scheme as a performance engineer would hard-code it.
#pragma once

#include <array>
#include <cstdint>

namespace kaohe_bench {

// ---- Roles

enum Role : std::uint8_t {
    chair,
    vice_chair,
    literacy_officer,
    party_officer,
    societies_officer,
    rural_officer,
    museum_head,
    youth_finance_archives,
    driver,
    office_clerk,
    kRoles
};

inline constexpr std::array<const char*, kRoles> kRoleIds = {
    "chair",         "vice_chair",  "literacy_officer",       "party_officer", "societies_officer",
    "rural_officer", "museum_head", "youth_finance_archives", "driver",        "office_clerk",
};

// ---- Groups (bits of Person::groups)

inline constexpr std::uint8_t kLeadership = 1, kOffice = 2;

// ---- Issuers of awards and honours

enum Issuer : std::uint8_t { unit, county_gov, city_assoc, city_gov, province_assoc, province_gov, national_assoc, kIssuers };

inline constexpr std::array<const char*, kIssuers> kIssuerIds = {
    "unit", "county_gov", "city_assoc", "city_gov", "province_assoc", "province_gov", "national_assoc",
};

// ---- Measures. Values are held in hundredths (×100): the generator writes at most two decimals.

enum Measure : std::uint8_t {
    reading_notes_chars,
    reflection_essays,
    active_societies,
    news_articles,
    briefing_articles,
    county_target_score,
    science_pop_points_lost,
    community_points_lost,
    archive_standard_gap,
    kMeasures
};

inline constexpr std::array<const char*, kMeasures> kMeasureIds = {
    "reading_notes_chars", "reflection_essays",       "active_societies",      "news_articles",       "briefing_articles",
    "county_target_score", "science_pop_points_lost", "community_points_lost", "archive_standard_gap",
};

// Measures each role's card uses (the public part's two, plus the role's own).
inline constexpr std::uint16_t bit(Measure m) { return static_cast<std::uint16_t>(1u << m); }
inline constexpr std::uint16_t kPublicMeasures = bit(reading_notes_chars) | bit(reflection_essays);
inline constexpr std::array<std::uint16_t, kRoles> kRoleMeasures = {
    kPublicMeasures | bit(county_target_score),                                 // chair
    kPublicMeasures | bit(county_target_score) | bit(science_pop_points_lost),  // vice_chair
    kPublicMeasures,                                                            // literacy_officer
    kPublicMeasures,                                                            // party_officer
    kPublicMeasures | bit(active_societies),                                    // societies_officer
    kPublicMeasures | bit(community_points_lost),                               // rural_officer
    kPublicMeasures,                                                            // museum_head
    kPublicMeasures | bit(archive_standard_gap),                                // youth_finance_archives
    kPublicMeasures,                                                            // driver
    kPublicMeasures | bit(news_articles) | bit(briefing_articles),              // office_clerk
};

// ---- Clauses: every clause of every card, one accumulator slot each in the hand scorer.

enum Slot : std::uint8_t {
    // public
    s_collective, s_personal_study, s_work, s_management, s_integrity, s_central,
    // chair
    s_overall, s_party, s_finance, s_societies_c, s_projects_c, s_community_c,
    // vice_chair
    s_targets, s_efficiency, s_party_affairs, s_science_pop, s_publicity_v, s_office_v,
    // literacy_officer, party_officer, societies_officer
    s_literacy, s_party_office, s_societies_o,
    // rural_officer
    s_community_r, s_projects_r, s_agri_assoc,
    // museum_head
    s_museum, s_rural_pop, s_web,
    // youth_finance_archives
    s_youth, s_finance_y, s_archive_records, s_archive_documents,
    // driver
    s_driving, s_office_assist,
    // office_clerk
    s_office_work, s_publicity_k, s_cashier,
    // bonus (added, uncapped)
    s_individual, s_work_item, s_unit_excellent, s_unit_honour,
    kSlots
};

// ---- Events

enum Ev : std::uint8_t {
    // public
    study_absence, study_late, study_early_leave, study_subject_unfinished, work_late, work_early_leave,
    absent_without_leave, refused_assignment, task_overdue, work_mistake, county_notice_criticism, safety_incident,
    integrity_violation, central_task_refused, central_task_unmet,
    // chair
    leadership_failure, party_item_lacking, unit_integrity_case, finance_lapse, finance_violation,
    societies_below_expectation, societies_major_mistake, projects_below_expectation, projects_major_mistake,
    community_below_expectation, community_major_mistake,
    // vice_chair
    assist_failure, efficiency_failure, veto_matter, party_violation, party_serious_violation, publicity_item_unmet,
    office_item_lacking, office_major_mistake,
    // literacy_officer
    literacy_item_lacking, literacy_item_not_done,
    // party_officer
    party_task_late, party_major_mistake,
    // societies_officer
    societies_requirement_missed, society_dysfunctional,
    // rural_officer
    project_mistake, agri_assoc_mistake,
    // museum_head
    museum_item_lacking, museum_mistake, museum_serious_mistake, rural_item_lacking, rural_item_not_done,
    web_requirement_missed, web_serious_mistake,
    // youth_finance_archives
    youth_mistake, youth_low_participation, finance_mistake, finance_serious_mistake, classified_leak,
    document_mistake, document_serious_mistake,
    // driver
    traffic_penalty, car_not_garaged, driving_safety_or_private_use, office_assist_mistake,
    office_assist_serious_mistake,
    // office_clerk
    office_delay, office_serious_mistake, cashier_error, cashier_serious_error,
    // bonus
    individual_award, work_item_award, unit_excellent, unit_honour,
    kEvents
};

inline constexpr std::int8_t kPublic = -1, kBonus = -2;

struct EventInfo {
    const char* id;
    std::int8_t role;       // kPublic, kBonus, or the Role whose card has it
    Slot slot;              // the clause it moves
    std::int32_t points;    // fixed deduction in whole points; 0 when ranged or by issuer
    std::int32_t min_c, max_c;  // ranged: the amount's range in hundredths (0, 0: not ranged)
    bool issuer = false;    // carries an issuer (bonus events by table)
};

// clang-format off
inline constexpr std::array<EventInfo, kEvents> kEventInfo = {{
    {"study_absence", kPublic, s_collective, 2, 0, 0},
    {"study_late", kPublic, s_collective, 1, 0, 0},
    {"study_early_leave", kPublic, s_collective, 1, 0, 0},
    {"study_subject_unfinished", kPublic, s_personal_study, 1, 0, 0},
    {"work_late", kPublic, s_work, 1, 0, 0},
    {"work_early_leave", kPublic, s_work, 1, 0, 0},
    {"absent_without_leave", kPublic, s_work, 5, 0, 0},
    {"refused_assignment", kPublic, s_work, 5, 0, 0},
    {"task_overdue", kPublic, s_work, 3, 0, 0},
    {"work_mistake", kPublic, s_work, 0, 300, 500},
    {"county_notice_criticism", kPublic, s_work, 5, 0, 0},
    {"safety_incident", kPublic, s_management, 0, 200, 400},
    {"integrity_violation", kPublic, s_integrity, 2, 0, 0},
    {"central_task_refused", kPublic, s_central, 5, 0, 0},
    {"central_task_unmet", kPublic, s_central, 3, 0, 0},

    {"leadership_failure", chair, s_overall, 0, 300, 500},
    {"party_item_lacking", chair, s_party, 1, 0, 0},
    {"unit_integrity_case", chair, s_party, 5, 0, 0},
    {"finance_lapse", chair, s_finance, 0, 100, 300},
    {"finance_violation", chair, s_finance, 5, 0, 0},
    {"societies_below_expectation", chair, s_societies_c, 2, 0, 0},
    {"societies_major_mistake", chair, s_societies_c, 0, 300, 500},
    {"projects_below_expectation", chair, s_projects_c, 2, 0, 0},
    {"projects_major_mistake", chair, s_projects_c, 0, 300, 500},
    {"community_below_expectation", chair, s_community_c, 2, 0, 0},
    {"community_major_mistake", chair, s_community_c, 0, 300, 500},

    {"assist_failure", vice_chair, s_targets, 5, 0, 0},
    {"efficiency_failure", vice_chair, s_efficiency, 3, 0, 0},
    {"veto_matter", vice_chair, s_efficiency, 5, 0, 0},
    {"party_violation", vice_chair, s_party_affairs, 2, 0, 0},
    {"party_serious_violation", vice_chair, s_party_affairs, 5, 0, 0},
    {"publicity_item_unmet", vice_chair, s_publicity_v, 2, 0, 0},
    {"office_item_lacking", vice_chair, s_office_v, 2, 0, 0},
    {"office_major_mistake", vice_chair, s_office_v, 5, 0, 0},

    {"literacy_item_lacking", literacy_officer, s_literacy, 3, 0, 0},
    {"literacy_item_not_done", literacy_officer, s_literacy, 5, 0, 0},

    {"party_task_late", party_officer, s_party_office, 2, 0, 0},
    {"party_major_mistake", party_officer, s_party_office, 5, 0, 0},

    {"societies_requirement_missed", societies_officer, s_societies_o, 2, 0, 0},
    {"society_dysfunctional", societies_officer, s_societies_o, 0, 300, 500},

    {"project_mistake", rural_officer, s_projects_r, 0, 200, 300},
    {"agri_assoc_mistake", rural_officer, s_agri_assoc, 0, 100, 200},

    {"museum_item_lacking", museum_head, s_museum, 2, 0, 0},
    {"museum_mistake", museum_head, s_museum, 0, 300, 500},
    {"museum_serious_mistake", museum_head, s_museum, 10, 0, 0},
    {"rural_item_lacking", museum_head, s_rural_pop, 2, 0, 0},
    {"rural_item_not_done", museum_head, s_rural_pop, 5, 0, 0},
    {"web_requirement_missed", museum_head, s_web, 2, 0, 0},
    {"web_serious_mistake", museum_head, s_web, 5, 0, 0},

    {"youth_mistake", youth_finance_archives, s_youth, 0, 200, 500},
    {"youth_low_participation", youth_finance_archives, s_youth, 0, 200, 500},
    {"finance_mistake", youth_finance_archives, s_finance_y, 2, 0, 0},
    {"finance_serious_mistake", youth_finance_archives, s_finance_y, 5, 0, 0},
    {"classified_leak", youth_finance_archives, s_archive_records, 5, 0, 0},
    {"document_mistake", youth_finance_archives, s_archive_documents, 0, 100, 200},
    {"document_serious_mistake", youth_finance_archives, s_archive_documents, 5, 0, 0},

    {"traffic_penalty", driver, s_driving, 0, 100, 4000},
    {"car_not_garaged", driver, s_driving, 1, 0, 0},
    {"driving_safety_or_private_use", driver, s_driving, 5, 0, 0},
    {"office_assist_mistake", driver, s_office_assist, 1, 0, 0},
    {"office_assist_serious_mistake", driver, s_office_assist, 3, 0, 0},

    {"office_delay", office_clerk, s_office_work, 2, 0, 0},
    {"office_serious_mistake", office_clerk, s_office_work, 5, 0, 0},
    {"cashier_error", office_clerk, s_cashier, 2, 0, 0},
    {"cashier_serious_error", office_clerk, s_cashier, 5, 0, 0},

    {"individual_award", kBonus, s_individual, 0, 0, 0, true},
    {"work_item_award", kBonus, s_work_item, 0, 0, 0, true},
    {"unit_excellent", kBonus, s_unit_excellent, 2, 0, 0},
    {"unit_honour", kBonus, s_unit_honour, 0, 0, 0, true},
}};
// clang-format on

inline constexpr bool is_ranged(Ev e) { return kEventInfo[e].max_c != 0; }

// Bonus tables in whole points by issuer; 0: the table does not list the issuer (an error).
inline constexpr std::array<std::int32_t, kIssuers> kIndividualPoints = {1, 2, 2, 0, 3, 0, 5};
inline constexpr std::array<std::int32_t, kIssuers> kWorkItemPoints = {0, 3, 3, 0, 5, 0, 10};
inline constexpr std::array<std::int32_t, kIssuers> kUnitHonourPoints = {0, 5, 5, 8, 8, 15, 15};

}  // namespace kaohe_bench
