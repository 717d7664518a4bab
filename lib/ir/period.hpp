// Periods of the assessment year: its months and quarters ("每月3天以上扣5分", "每季度考核").
// A period rule (`deduct 5 each month when count(absent) >= 3`) is counted once per period whose
// condition holds, its counts and sums taken over the events dated in that period.
#pragma once

#include <cstdint>
#include <string>

namespace kaohe::ir {

enum class PeriodKind : std::uint8_t { year, month, quarter };  // year: the whole year, no period

// One period of the year: month 1-12 or quarter 1-4 (kind year: the whole year).
struct Period {
    PeriodKind kind = PeriodKind::year;
    int index = 0;

    bool whole_year() const { return kind == PeriodKind::year; }
    int first_month() const { return kind == PeriodKind::quarter ? index * 3 - 2 : index; }
    int last_month() const { return kind == PeriodKind::quarter ? index * 3 : index; }
    // An event of month `m` (1-12) falls in this period.
    bool holds(int m) const { return whole_year() || (m >= first_month() && m <= last_month()); }
};

// How many periods of `kind` a year has: 12 months, 4 quarters.
inline int periods_in_year(PeriodKind kind) { return kind == PeriodKind::month ? 12 : kind == PeriodKind::quarter ? 4 : 1; }

// The word the language writes: `month`, `quarter`.
inline const char* period_word(PeriodKind kind) {
    return kind == PeriodKind::month ? "month" : kind == PeriodKind::quarter ? "quarter" : "year";
}

// A period as records and results name it: "2022-03", "2022-Q1".
inline std::string period_name(int year, const Period& p) {
    std::string s = std::to_string(year);
    if (p.kind == PeriodKind::month) s += (p.index < 10 ? "-0" : "-") + std::to_string(p.index);
    else if (p.kind == PeriodKind::quarter) s += "-Q" + std::to_string(p.index);
    return s;
}

}  // namespace kaohe::ir
