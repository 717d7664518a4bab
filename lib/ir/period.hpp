// Periods of the assessment year: its months and quarters ("每月3天以上扣5分", "每季度考核").
// A period rule (`deduct 5 each month when count(absent) >= 3`) is counted once per period whose
// condition holds, its counts and sums taken over the events dated in that period.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

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

// Per-period inputs are kept by slot: months 0-11, then quarters 12-15.
inline constexpr int kPeriodSlots = 16;
inline int period_slot(const Period& p) { return p.kind == PeriodKind::month ? p.index - 1 : 12 + p.index - 1; }

// The period that `text` names in `year`, "2022-03" or "2022-Q1"; none, with the reason in `why`
// ("has no such month"), when it names none of that year's.
inline std::optional<Period> parse_period(std::string_view text, int year, std::string& why) {
    const auto digits = [](std::string_view s) {
        if (s.empty()) return false;
        for (char c : s)
            if (c < '0' || c > '9') return false;
        return true;
    };
    const auto value = [](std::string_view s) {
        int v = 0;
        for (char c : s) v = v * 10 + (c - '0');
        return v;
    };
    const bool quarter = text.size() == 7 && text[5] == 'Q';
    if (text.size() < 7 || text[4] != '-' || !digits(text.substr(0, 4)) ||
        !(quarter ? digits(text.substr(6)) : text.size() == 7 && digits(text.substr(5)))) {
        why = "is not a period: a month is written \"" + std::to_string(year) + "-03\", a quarter \"" + std::to_string(year) + "-Q1\"";
        return std::nullopt;
    }
    const int y = value(text.substr(0, 4));
    const int n = value(text.substr(quarter ? 6 : 5));
    if (quarter && (n < 1 || n > 4)) {
        why = "has no such quarter: a year has Q1 to Q4";
        return std::nullopt;
    }
    if (!quarter && (n < 1 || n > 12)) {
        why = "has no such month";
        return std::nullopt;
    }
    if (y != year) {
        why = "is outside the assessment year " + std::to_string(year);
        return std::nullopt;
    }
    return Period{quarter ? PeriodKind::quarter : PeriodKind::month, n};
}

}  // namespace kaohe::ir
