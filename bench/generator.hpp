// A deterministic generator of a realistic population of yearly records for the seed scheme
// (shared/spec/seed-scheme.md): every role, 0–80 events per record (about 20 on average, a long
// tail of busy years), the measures each role's card uses, ranged amounts, counts, dates,
// notes, and awards by issuer. The same seed gives the same population on every platform: the
// generator uses its own integer PRNG, never std's distributions (which vary by library).
//
// Records are plain structs (for the hand-written scorer) and JSON Lines (for the engine).
// Every number the generator writes has at most two decimals: Person holds them in hundredths.
#pragma once

#include <cassert>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "seed_model.hpp"

namespace kaohe_bench {

struct Event {
    Ev type = study_late;
    Issuer issuer = unit;        // for events with an issuer
    std::uint8_t month = 0;      // 0: no date
    std::uint8_t day = 0;        // 0: a month date ("2022-03")
    std::int32_t count = 1;      // written only when not 1
    std::int64_t amount_c = 0;   // ranged events: the amount in hundredths
    std::int16_t note = -1;      // index into kNotes, -1: none
};

struct Person {
    std::string id, name;
    Role role = chair;
    std::uint8_t groups = 0;                     // kLeadership | kOffice
    std::uint16_t measures_given = 0;            // bit per Measure
    std::array<std::int64_t, kMeasures> measure_c{};  // hundredths
    std::vector<Event> events;
};

inline constexpr int kYear = 2022;

inline constexpr const char* kNotes[] = {
    "报送材料错误", "大中心组学习迟到", "未按时上报月度小结", "会议记录不全", "经县督查办通报",
    "\"科普日\"活动准备不足", "外出办事未登记", "台账缺页\\待补", "市科协先进工作者", "年度考核",
};
inline constexpr int kNoteCount = static_cast<int>(sizeof kNotes / sizeof kNotes[0]);

inline constexpr const char* kSurnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙"};
inline constexpr const char* kGiven[] = {"建国", "秀英", "伟", "芳", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟"};

// splitmix64: small, fast, and the same everywhere.
class Rng {
public:
    explicit Rng(std::uint64_t seed) : s_(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (s_ += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    // Uniform in [lo, hi].
    std::int64_t range(std::int64_t lo, std::int64_t hi) {
        const auto span = static_cast<std::uint64_t>(hi - lo) + 1;
        return lo + static_cast<std::int64_t>(next() % span);
    }
    // True with probability pct/100.
    bool percent(int pct) { return static_cast<int>(next() % 100) < pct; }

private:
    std::uint64_t s_;
};

class Generator {
public:
    // `roles`: bit per Role that may be generated (all by default).
    explicit Generator(std::uint64_t seed, std::uint32_t roles = (1u << kRoles) - 1) : rng_(seed), roles_(roles) {
        for (int r = 0; r < kRoles; ++r)
            if (roles_ & (1u << r)) role_list_.push_back(static_cast<Role>(r));
        assert(!role_list_.empty());
    }

    Person next() {
        Person p;
        ++serial_;
        p.id = std::to_string(kYear) + "-" + pad6(serial_);
        if (!rng_.percent(5)) {
            p.name = kSurnames[rng_.next() % (sizeof kSurnames / sizeof *kSurnames)];
            p.name += kGiven[rng_.next() % (sizeof kGiven / sizeof *kGiven)];
        }
        p.role = pick_role();
        p.groups = pick_groups(p.role);
        measures(p);
        const int n = event_count();
        p.events.reserve(static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i) p.events.push_back(event(p.role));
        return p;
    }

private:
    static std::string pad6(std::uint64_t v) {
        std::string s = std::to_string(v);
        if (s.size() < 6) s.insert(0, 6 - s.size(), '0');
        return s;
    }

    // A unit of ~20 people: one chair, two vice chairs, officers and staff.
    Role pick_role() {
        static constexpr int kWeights[kRoles] = {5, 10, 10, 10, 10, 11, 11, 11, 11, 11};
        int total = 0;
        for (Role r : role_list_) total += kWeights[r];
        int x = static_cast<int>(rng_.next() % static_cast<std::uint64_t>(total));
        for (Role r : role_list_) {
            if (x < kWeights[r]) return r;
            x -= kWeights[r];
        }
        return role_list_.back();
    }

    std::uint8_t pick_groups(Role r) {
        std::uint8_t g = 0;
        switch (r) {
        case chair: g = rng_.percent(95) ? kLeadership : 0; break;
        case vice_chair: g = rng_.percent(90) ? kLeadership | kOffice : kLeadership; break;
        case office_clerk: g = rng_.percent(80) ? kOffice : 0; break;
        default:
            if (rng_.percent(10)) g |= kOffice;
            if (rng_.percent(3)) g |= kLeadership;
        }
        return g;
    }

    // A decimal in hundredths in [lo, hi]: often whole, sometimes one decimal, sometimes two.
    std::int64_t decimal(std::int64_t lo_c, std::int64_t hi_c) {
        std::int64_t v = rng_.range(lo_c, hi_c);
        const int kind = static_cast<int>(rng_.next() % 10);
        if (kind < 5) v -= v % 100;        // whole
        else if (kind < 8) v -= v % 10;    // one decimal
        if (v < lo_c) v = lo_c;
        return v;
    }

    void measures(Person& p) {
        std::uint16_t want = kRoleMeasures[p.role];
        if (rng_.percent(5)) want |= bit(static_cast<Measure>(rng_.next() % kMeasures));  // declared, unused: ignored
        p.measures_given = want;
        for (int m = 0; m < kMeasures; ++m) {
            if (!(want & (1u << m))) continue;
            std::int64_t v = 0;
            switch (static_cast<Measure>(m)) {
            case reading_notes_chars: v = rng_.percent(60) ? rng_.range(5000, 12000) : rng_.range(0, 4999); break;
            case reflection_essays: v = rng_.percent(70) ? rng_.range(3, 6) : rng_.range(0, 2); break;
            case active_societies: v = rng_.range(5, 14); break;
            case news_articles: v = rng_.percent(50) ? rng_.range(30, 50) : rng_.range(10, 29); break;
            case briefing_articles: v = rng_.range(0, 6); break;
            default: break;
            }
            if (m <= briefing_articles) {
                p.measure_c[m] = v * 100;
                continue;
            }
            switch (static_cast<Measure>(m)) {
            case county_target_score: v = rng_.percent(40) ? decimal(9500, 10000) : decimal(8500, 9499); break;
            case science_pop_points_lost:
            case community_points_lost: v = rng_.percent(50) ? 0 : decimal(0, 800); break;
            case archive_standard_gap: v = rng_.percent(40) ? 0 : decimal(0, 400); break;
            default: break;
            }
            p.measure_c[m] = v;
        }
    }

    // 0..80 events, mean about 20: 81·u³ for u uniform in [0, 1), in integers.
    int event_count() {
        const std::uint64_t u = rng_.next() >> 44;  // 20 bits
        const std::uint64_t cube = ((u * u) >> 20) * u;  // (u / 2^20)³ · 2^40
        return static_cast<int>((cube * 81) >> 40);
    }

    // Which event: common lapses often, serious ones rarely, awards now and then.
    Ev event_type(Role r) {
        const int x = static_cast<int>(rng_.next() % 100);
        if (x < 45) {
            static constexpr Ev kCommon[] = {study_late, study_late, study_early_leave, work_late, work_late, work_late,
                                             work_early_leave, study_subject_unfinished, study_absence, task_overdue};
            return kCommon[rng_.next() % (sizeof kCommon / sizeof *kCommon)];
        }
        if (x < 55) {
            static constexpr Ev kRare[] = {absent_without_leave, refused_assignment, work_mistake, work_mistake,
                                           county_notice_criticism, safety_incident, integrity_violation,
                                           central_task_refused, central_task_unmet, central_task_unmet};
            return kRare[rng_.next() % (sizeof kRare / sizeof *kRare)];
        }
        if (x < 92) {
            Ev own[kEvents];
            int n = 0;
            for (int e = 0; e < kEvents; ++e)
                if (kEventInfo[e].role == r) own[n++] = static_cast<Ev>(e);
            return own[rng_.next() % static_cast<std::uint64_t>(n)];
        }
        static constexpr Ev kBonusEvents[] = {individual_award, individual_award, work_item_award, work_item_award,
                                              unit_excellent, unit_honour};
        return kBonusEvents[rng_.next() % (sizeof kBonusEvents / sizeof *kBonusEvents)];
    }

    Issuer issuer_for(Ev e) {
        static constexpr Issuer kIndividual[] = {unit, unit, unit, county_gov, county_gov, city_assoc, province_assoc, national_assoc};
        static constexpr Issuer kWorkItem[] = {county_gov, county_gov, city_assoc, province_assoc, national_assoc};
        static constexpr Issuer kHonour[] = {county_gov, city_assoc, city_gov, province_assoc, province_gov, national_assoc};
        switch (e) {
        case individual_award: return kIndividual[rng_.next() % (sizeof kIndividual / sizeof *kIndividual)];
        case work_item_award: return kWorkItem[rng_.next() % (sizeof kWorkItem / sizeof *kWorkItem)];
        default: return kHonour[rng_.next() % (sizeof kHonour / sizeof *kHonour)];
        }
    }

    Event event(Role r) {
        Event e;
        e.type = event_type(r);
        const EventInfo& info = kEventInfo[e.type];
        if (info.issuer) e.issuer = issuer_for(e.type);
        if (is_ranged(e.type)) {
            if (e.type == traffic_penalty) e.amount_c = rng_.percent(85) ? rng_.range(1, 5) * 100 : decimal(100, 4000);
            else if (rng_.percent(75)) e.amount_c = rng_.range(info.min_c / 100, info.max_c / 100) * 100;
            else e.amount_c = decimal(info.min_c, info.max_c);
        }
        const int c = static_cast<int>(rng_.next() % 100);
        if (c >= 88) e.count = c >= 98 ? static_cast<std::int32_t>(rng_.range(6, 12)) : static_cast<std::int32_t>(rng_.range(2, 5));
        const int d = static_cast<int>(rng_.next() % 10);
        if (d < 9) {
            e.month = static_cast<std::uint8_t>(rng_.range(1, 12));
            if (d < 7) {
                static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
                e.day = static_cast<std::uint8_t>(rng_.range(1, kDays[e.month - 1]));
            }
        }
        if (rng_.percent(20)) e.note = static_cast<std::int16_t>(rng_.next() % kNoteCount);
        return e;
    }

    Rng rng_;
    std::uint32_t roles_;
    std::vector<Role> role_list_;
    std::uint64_t serial_ = 0;
};

// ---- JSON (docs/records.md), one line, no trailing newline

// Hundredths as a JSON number: 9350 → "93.5", 300 → "3", 5 → "0.05".
inline void append_hundredths(std::string& out, std::int64_t c) {
    assert(c >= 0);
    out += std::to_string(c / 100);
    const auto frac = static_cast<int>(c % 100);
    if (frac != 0) {
        out += '.';
        out += static_cast<char>('0' + frac / 10);
        if (frac % 10 != 0) out += static_cast<char>('0' + frac % 10);
    }
}

inline void append_string(std::string& out, const char* s) {
    out += '"';
    for (; *s; ++s) {
        if (*s == '"' || *s == '\\') out += '\\';
        out += *s;
    }
    out += '"';
}

inline void append_json(std::string& out, const Person& p) {
    out += "{\"id\":\"";
    out += p.id;
    out += '"';
    if (!p.name.empty()) {
        out += ",\"name\":";
        append_string(out, p.name.c_str());
    }
    out += ",\"role\":\"";
    out += kRoleIds[p.role];
    out += "\"";
    if (p.groups) {
        out += ",\"groups\":[";
        if (p.groups & kLeadership) out += "\"leadership\"";
        if (p.groups & kOffice) out += (p.groups & kLeadership) ? ",\"office\"" : "\"office\"";
        out += ']';
    }
    out += ",\"year\":" + std::to_string(kYear);
    if (p.measures_given) {
        out += ",\"measures\":{";
        bool first = true;
        for (int m = 0; m < kMeasures; ++m) {
            if (!(p.measures_given & (1u << m))) continue;
            if (!first) out += ',';
            first = false;
            out += '"';
            out += kMeasureIds[m];
            out += "\":";
            append_hundredths(out, p.measure_c[m]);
        }
        out += '}';
    }
    if (!p.events.empty()) {
        out += ",\"events\":[";
        for (std::size_t i = 0; i < p.events.size(); ++i) {
            const Event& e = p.events[i];
            if (i) out += ',';
            out += "{\"type\":\"";
            out += kEventInfo[e.type].id;
            out += '"';
            if (e.month) {
                char date[16];
                const int n = e.day ? std::snprintf(date, sizeof date, "%04d-%02d-%02d", kYear, e.month, e.day)
                                    : std::snprintf(date, sizeof date, "%04d-%02d", kYear, e.month);
                out += ",\"date\":\"";
                out.append(date, static_cast<std::size_t>(n));
                out += '"';
            }
            if (e.count != 1) out += ",\"count\":" + std::to_string(e.count);
            if (is_ranged(e.type)) {
                out += ",\"amount\":";
                append_hundredths(out, e.amount_c);
            }
            if (kEventInfo[e.type].issuer) {
                out += ",\"issuer\":\"";
                out += kIssuerIds[e.issuer];
                out += '"';
            }
            if (e.note >= 0) {
                out += ",\"note\":";
                append_string(out, kNotes[e.note]);
            }
            out += '}';
        }
        out += ']';
    }
    out += '}';
}

inline std::string to_json(const Person& p) {
    std::string s;
    append_json(s, p);
    return s;
}

}  // namespace kaohe_bench
