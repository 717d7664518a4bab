// Validation: RawRecord → Record, against a ruleset's vocabulary. See record.hpp.
//
// Records are read strictly: a typo must never pass as a zero. Every name is resolved (with a
// did-you-mean when it fails), every number checked against its declared domain or range.
#include <algorithm>

#include "record/record.hpp"
#include "support/suggest.hpp"

namespace kaohe::record {
namespace {

template <typename Map>
std::string suggestion(std::string_view word, const Map& names) {
    std::vector<std::string_view> candidates;
    candidates.reserve(names.size());
    for (const auto& [k, v] : names) candidates.push_back(k);
    const std::string_view best = nearest(word, candidates);
    return best.empty() ? "" : " (did you mean `" + std::string(best) + "`?)";
}

std::string quoted(std::string_view s) { return "`" + std::string(s) + "`"; }

template <typename Map>
ir::Index find(const Map& map, std::string_view key) {
    auto it = map.find(std::string(key));
    return it == map.end() ? ir::none : it->second;
}

int two_digits(std::string_view s, std::size_t at) {
    if (!std::isdigit(static_cast<unsigned char>(s[at])) || !std::isdigit(static_cast<unsigned char>(s[at + 1])))
        return -1;
    return (s[at] - '0') * 10 + (s[at + 1] - '0');
}

// "YYYY-MM-DD" or "YYYY-MM", a real calendar date inside `year`.
Date parse_date(std::string_view s, int year, const std::string& where) {
    const auto bad = [&](const std::string& why) {
        return RecordFailure("date " + quoted(s.substr(0, 40)) + " " + why, where);
    };
    if ((s.size() != 7 && s.size() != 10) || s[4] != '-' || (s.size() == 10 && s[7] != '-'))
        throw bad("is not a date: write YYYY-MM-DD or YYYY-MM");
    int y = 0;
    for (std::size_t i = 0; i < 4; ++i) {
        if (!std::isdigit(static_cast<unsigned char>(s[i]))) throw bad("is not a date: write YYYY-MM-DD or YYYY-MM");
        y = y * 10 + (s[i] - '0');
    }
    Date d{y, two_digits(s, 5), s.size() == 10 ? two_digits(s, 8) : 0};
    if (d.month < 1 || d.month > 12) throw bad("has no such month");
    if (s.size() == 10) {
        static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        const int last = days[d.month - 1] + (d.month == 2 && leap ? 1 : 0);
        if (d.day < 1 || d.day > last) throw bad("has no such day");
    }
    if (y != year) throw bad("is outside the assessment year " + std::to_string(year));
    return d;
}

int read_year(const ir::Program& p, const RawRecord& raw) {
    if (!raw.has_year) throw RecordFailure("missing required field `year`", "year");
    auto y = raw.year ? raw.year->to_int64() : std::nullopt;
    if (!y) throw RecordFailure("`year` must be a whole number", "year");
    if (*y != p.policy.year)
        throw RecordFailure("the record is for " + std::to_string(*y) + " but the ruleset assesses " +
                                std::to_string(p.policy.year),
                            "year");
    return static_cast<int>(*y);
}

Event read_event(const ir::Program& p, const RawEvent& raw, std::size_t position, int year, bool from_unit) {
    const std::string at = std::string(from_unit ? "unit.events[" : "events[") + std::to_string(position) + "]";
    Event ev;
    ev.position = static_cast<std::uint32_t>(position);
    ev.from_unit = from_unit;
    ev.type = find(p.event_index, raw.type);
    if (ev.type == ir::none)
        throw RecordFailure("unknown event type " + quoted(raw.type) + suggestion(raw.type, p.event_index), at + ".type");
    const ir::Event& decl = p.events[static_cast<std::size_t>(ev.type)];
    if (from_unit && !decl.unit_fact)
        throw RecordFailure("event " + quoted(decl.id) + " is about a person, not the unit: only events declared as "
                                "unit facts may appear in a unit record",
                            at + ".type");
    if (raw.count) {
        auto c = raw.count->to_int64();
        if (!c || *c < 1)
            throw RecordFailure("`count` must be a whole number of at least 1, not " + raw.count->to_string(), at + ".count");
        if (*c > kMaxCount)
            throw RecordFailure("`count` " + std::to_string(*c) + " is more than " + std::to_string(kMaxCount) +
                                    " (the limit)",
                                at + ".count");
        ev.count = *c;
    }
    if (decl.has_amount) {
        if (!raw.amount)
            throw RecordFailure("event " + quoted(decl.id) + " needs an `amount` between " + decl.amount_min.to_string() +
                                    " and " + decl.amount_max.to_string() + " (the assessor's decision)",
                                at + ".amount");
        if (*raw.amount < decl.amount_min || *raw.amount > decl.amount_max)
            throw RecordFailure("amount " + raw.amount->to_string() + " is outside the range " +
                                    decl.amount_min.to_string() + ".." + decl.amount_max.to_string() + " of event " +
                                    quoted(decl.id),
                                at + ".amount");
        ev.has_amount = true;
        ev.amount = *raw.amount;
    } else if (raw.amount) {
        throw RecordFailure("event " + quoted(decl.id) + " takes no `amount`: its points are fixed by the rules",
                            at + ".amount");
    }
    if (raw.date) ev.date = parse_date(*raw.date, year, at + ".date");
    if (raw.note) ev.note = std::string(*raw.note);
    ev.attributes.assign(decl.attributes.size(), ir::none);
    for (const auto& [name, value] : raw.attributes) {
        std::size_t slot = 0;
        while (slot < decl.attributes.size() &&
               p.attributes[static_cast<std::size_t>(decl.attributes[slot])].id != name)
            ++slot;
        if (slot == decl.attributes.size()) {
            std::vector<std::string_view> known{"type", "date", "count", "amount", "note"};
            for (ir::Index a : decl.attributes) known.push_back(p.attributes[static_cast<std::size_t>(a)].id);
            const std::string_view best = nearest(name, known);
            throw RecordFailure("event " + quoted(decl.id) + " has no field " + quoted(name) +
                                    (best.empty() ? "" : " (did you mean `" + std::string(best) + "`?)"),
                                at + "." + std::string(name));
        }
        const ir::Attribute& attr = p.attributes[static_cast<std::size_t>(decl.attributes[slot])];
        auto v = attr.value_index.find(std::string(value));
        if (v == attr.value_index.end())
            throw RecordFailure("unknown " + attr.id + " " + quoted(value) + suggestion(value, attr.value_index),
                                at + "." + attr.id);
        ev.attributes[slot] = v->second;
    }
    return ev;
}

}  // namespace

Record validate(const ir::Program& p, const RawRecord& raw, const Unit* unit) {
    Record r;
    if (!raw.has_id) throw RecordFailure("missing required field `id`", "id");
    r.id = std::string(raw.id);
    r.name = std::string(raw.name);
    if (!raw.has_role) throw RecordFailure("missing required field `role`", "role");
    r.role = find(p.role_index, raw.role);
    if (r.role == ir::none)
        throw RecordFailure("unknown role " + quoted(raw.role) + suggestion(raw.role, p.role_index), "role");
    const ir::Role& role = p.roles[static_cast<std::size_t>(r.role)];
    r.year = read_year(p, raw);

    r.groups.assign(p.groups.size(), false);
    for (std::size_t i = 0; i < raw.groups.size(); ++i) {
        const ir::Index g = find(p.group_index, raw.groups[i]);
        if (g == ir::none)
            throw RecordFailure("unknown group " + quoted(raw.groups[i]) + suggestion(raw.groups[i], p.group_index),
                                "groups[" + std::to_string(i) + "]");
        r.groups[static_cast<std::size_t>(g)] = true;
    }

    r.measures.assign(p.measures.size(), std::nullopt);
    for (const auto& [name, value] : raw.measures) {
        const std::string at = "measures." + std::string(name);
        const ir::Index m = find(p.measure_index, name);
        if (m == ir::none)
            throw RecordFailure("unknown measure " + quoted(name) + suggestion(name, p.measure_index), at);
        const ir::Measure& decl = p.measures[static_cast<std::size_t>(m)];
        auto& slot = r.measures[static_cast<std::size_t>(m)];
        if (slot) throw RecordFailure("measure " + quoted(name) + " is given twice", at);
        if (decl.whole && !value.is_integer())
            throw RecordFailure("measure " + quoted(name) + " must be a whole number, not " + value.to_string(), at);
        if ((decl.min && value < *decl.min) || (decl.max && value > *decl.max)) {
            std::string domain = decl.min && decl.max ? decl.min->to_string() + ".." + decl.max->to_string()
                                 : decl.min           ? ">= " + decl.min->to_string()
                                                      : "<= " + decl.max->to_string();
            throw RecordFailure("measure " + quoted(name) + " is " + value.to_string() + ", outside its domain " + domain, at);
        }
        slot = value;
    }
    for (std::size_t m = 0; m < p.measures.size(); ++m) {
        if (r.measures[m]) continue;
        if (p.measures[m].default_value) r.measures[m] = p.measures[m].default_value;
        else if (role.uses_measure[m])
            throw RecordFailure("missing measure `" + p.measures[m].id + "` (" + p.measures[m].label + "), which " +
                                    role.measure_user[m] + " of role `" + role.id + "` needs",
                                "measures." + p.measures[m].id);
    }

    if (raw.events.size() > kMaxEvents)
        throw RecordFailure("more than " + std::to_string(kMaxEvents) + " events (the limit)", "events");
    r.events.reserve(raw.events.size() + (unit ? unit->events.size() : 0));
    for (std::size_t i = 0; i < raw.events.size(); ++i) r.events.push_back(read_event(p, raw.events[i], i, r.year, false));
    if (unit) r.events.insert(r.events.end(), unit->events.begin(), unit->events.end());

    // Group event indexes by type (counting sort: stable, so record order is kept).
    r.by_type_start.assign(p.events.size() + 1, 0);
    for (const Event& e : r.events) ++r.by_type_start[static_cast<std::size_t>(e.type) + 1];
    for (std::size_t t = 1; t <= p.events.size(); ++t) r.by_type_start[t] += r.by_type_start[t - 1];
    r.by_type.resize(r.events.size());
    std::vector<std::uint32_t> next(r.by_type_start.begin(), r.by_type_start.end() - 1);
    for (std::uint32_t i = 0; i < r.events.size(); ++i)
        r.by_type[next[static_cast<std::size_t>(r.events[i].type)]++] = i;

    std::vector<bool> warned(p.events.size(), false);
    for (const Event& e : r.events) {
        const auto t = static_cast<std::size_t>(e.type);
        if (role.uses_event[t] || warned[t]) continue;
        bool veto = false;
        for (const auto& v : p.vetoes) veto = veto || v.event == e.type;
        if (veto) continue;
        warned[t] = true;
        r.warnings.push_back("event `" + p.events[t].id + "` (" + p.events[t].label + ") is not scored for role `" +
                             role.id + "`: no rule of its card uses it");
    }
    return r;
}

Unit validate_unit(const ir::Program& p, const RawRecord& raw) {
    Unit u;
    u.name = std::string(raw.unit);
    u.year = read_year(p, raw);
    if (raw.events.size() > kMaxEvents)
        throw RecordFailure("more than " + std::to_string(kMaxEvents) + " events (the limit)", "unit.events");
    for (std::size_t i = 0; i < raw.events.size(); ++i) u.events.push_back(read_event(p, raw.events[i], i, u.year, true));
    return u;
}

}  // namespace kaohe::record
