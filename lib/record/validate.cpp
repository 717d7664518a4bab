// Validation: RawRecord → Record, against a ruleset's vocabulary. See record.hpp.
//
// Records are read strictly: a typo must never pass as a zero. Every name is resolved (with a
// did-you-mean when it fails), every number checked against its declared domain or range.
#include <algorithm>
#include <array>
#include <cstring>
#include <map>

#include "ir/reads.hpp"
#include "record/record.hpp"
#include "support/suggest.hpp"

namespace kaohe::record {

using diag::Code;

namespace {

template <typename Map>
std::string suggestion(std::string_view word, const Map& names) {
    std::vector<std::string_view> candidates;
    candidates.reserve(names.size());
    for (const auto& [k, v] : names) candidates.push_back(k);
    return did_you_mean(word, candidates);
}

std::string quoted(std::string_view s) { return "`" + std::string(s) + "`"; }

// The maps are keyed by std::string: the key is copied into a reused buffer, not into a new
// string per lookup (most event type names are too long for the small-string buffer).
template <typename Map>
typename Map::mapped_type find(const Map& map, std::string_view key) {
    thread_local std::string buffer;
    buffer.assign(key.data(), key.size());
    auto it = map.find(buffer);
    return it == map.end() ? ir::none : it->second;
}

// A name's index in a vocabulary (`names`, with `map` its name → index map), the common case
// without hashing: a per-thread memo, indexed by a cheap hash of the name, remembers the index
// that the name had last time, and a remembered index is used only when the vocabulary at hand
// has exactly this name there. So the memo can hold entries from other vocabularies and other
// rulesets (even freed ones) and never give a wrong answer: a miss just asks the map.
inline std::string_view id_of(const std::string& s) { return s; }
template <typename T>
std::string_view id_of(const T& declaration) {
    return declaration.id;
}

template <typename Map, typename Names>
typename Map::mapped_type lookup(const Map& map, const Names& names, std::string_view key, std::uint64_t salt) {
    using Id = typename Map::mapped_type;
    constexpr std::size_t kSlots = 1024;
    // Positions in any vocabulary: the memo is shared by all of them.
    thread_local std::array<std::int32_t, kSlots> memo = [] {
        std::array<std::int32_t, kSlots> m;
        m.fill(-1);
        return m;
    }();
    std::uint64_t head = 0, tail = 0;
    const std::size_t n = std::min<std::size_t>(key.size(), 8);
    if (n > 0) {
        std::memcpy(&head, key.data(), n);
        std::memcpy(&tail, key.data() + key.size() - n, n);
    }
    std::uint64_t h = (head * 0x9E3779B97F4A7C15ULL) ^ (tail * 0xC2B2AE3D27D4EB4FULL) ^ (key.size() + salt);
    h ^= h >> 29;
    std::int32_t& slot = memo[static_cast<std::size_t>(h * 0xBF58476D1CE4E5B9ULL >> 54) % kSlots];
    if (slot >= 0 && static_cast<std::size_t>(slot) < names.size() && id_of(names[static_cast<std::size_t>(slot)]) == key)
        return Id(slot);
    const Id found = find(map, key);
    if (found != ir::none) slot = found.v;
    return found;
}

// "events[3]" or "unit.events[3]": built only for an error message.
std::string event_at(bool from_unit, std::size_t position) {
    return std::string(from_unit ? "unit.events[" : "events[") + std::to_string(position) + "]";
}

int two_digits(std::string_view s, std::size_t at) {
    if (!std::isdigit(static_cast<unsigned char>(s[at])) || !std::isdigit(static_cast<unsigned char>(s[at + 1])))
        return -1;
    return (s[at] - '0') * 10 + (s[at + 1] - '0');
}

}  // namespace

void append_date(std::string& out, const Date& d) {
    char buf[10];
    const auto two = [&](int at, int v) {
        buf[at] = static_cast<char>('0' + v / 10);
        buf[at + 1] = static_cast<char>('0' + v % 10);
    };
    two(0, d.year / 100 % 100);
    two(2, d.year % 100);
    buf[4] = '-';
    two(5, d.month);
    std::size_t len = 7;
    if (d.day) {
        buf[7] = '-';
        two(8, d.day);
        len = 10;
    }
    out.append(buf, len);
}

namespace {

// "YYYY-MM-DD" or "YYYY-MM", a real calendar date inside `year`. `where()` names the field
// (called only for an error).
template <typename Where>
Date parse_date(std::string_view s, int year, const Where& where) {
    const auto bad = [&](const std::string& why) {
        std::string message = "date " + quoted(s.substr(0, 40)) + " " + why;
        // A date that looks right on screen: name the character that makes it wrong.
        if (const auto odd = first_unusual(s)) {
            const bool vowel = std::string_view("aeiouAEIOU").find(odd->description.front()) != std::string_view::npos;
            message = "date " + quoted(s.substr(0, 40)) + " is not a date: it contains " + (vowel ? "an " : "a ") +
                      odd->description + "; write YYYY-MM-DD or YYYY-MM in ASCII digits";
        }
        return RecordFailure(Code::R007, std::move(message), where());
    };
    if ((s.size() != 7 && s.size() != 10) || s[4] != '-' || (s.size() == 10 && s[7] != '-'))
        throw bad("is not a date: write YYYY-MM-DD or YYYY-MM");
    int y = 0;
    for (std::size_t i = 0; i < 4; ++i) {
        if (!std::isdigit(static_cast<unsigned char>(s[i]))) throw bad("is not a date: write YYYY-MM-DD or YYYY-MM");
        y = y * 10 + (s[i] - '0');
    }
    // A period written where a date belongs ("2022-Q1", "2022-H1"): not a month out of range.
    if (s.size() == 7 && std::isalpha(static_cast<unsigned char>(s[5])))
        throw bad("is not a date: an event's date is YYYY-MM-DD or YYYY-MM, not a quarter or other period");
    Date d{y, two_digits(s, 5), s.size() == 10 ? two_digits(s, 8) : 0};
    // Letters or signs where digits belong are no month or day at all.
    if (d.month < 0 || (s.size() == 10 && d.day < 0)) throw bad("is not a date: write YYYY-MM-DD or YYYY-MM");
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
    if (!raw.has_year) throw RecordFailure(Code::R004, "missing required field `year`", "year");
    auto y = raw.year ? raw.year->to_int64() : std::nullopt;
    if (!y && raw.year && raw.year->is_integer())  // whole, but past 64 bits: the wrong year, not a wrong type
        throw RecordFailure(Code::R007, "the record is for " + raw.year->to_string() + " but the ruleset assesses " +
                                std::to_string(p.policy.year),
                            "year");
    if (!y) throw RecordFailure(Code::R002, "`year` must be a whole number", "year");
    if (*y != p.policy.year)
        throw RecordFailure(Code::R007, "the record is for " + std::to_string(*y) + " but the ruleset assesses " +
                                std::to_string(p.policy.year),
                            "year");
    return static_cast<int>(*y);
}

// Reads `raw` into `ev`, setting every field (a reused Event keeps its buffers' capacity).
void read_event(const ir::Program& p, const RawEvent& raw, std::size_t position, int year, bool from_unit, Event& ev) {
    const auto at = [&] { return event_at(from_unit, position); };
    ev.position = static_cast<std::uint32_t>(position);
    ev.from_unit = from_unit;
    ev.has_amount = false;
    ev.amount = Number();
    ev.count = 1;
    ev.date = Date{};
    ev.type = lookup(p.event_index, p.events, raw.type, 4);
    if (ev.type == ir::none)
        throw RecordFailure(Code::R005, "unknown event type " + quoted(raw.type) + suggestion(raw.type, p.event_index), at() + ".type");
    const ir::Event& decl = p.event(ev.type);
    if (from_unit && !decl.unit_fact)
        throw RecordFailure(Code::R009, "event " + quoted(decl.id) + " is about a person, not the unit: only events declared as "
                                "unit facts may appear in a unit record",
                            at() + ".type");
    if (raw.count) {
        // Compared as numbers: a whole count past 64 bits is over the limit, not "not whole".
        const Number& c = *raw.count;
        if (!c.is_integer() || c < Number(1))
            throw RecordFailure(Code::R006, "`count` must be a whole number of at least 1, not " + c.to_string(), at() + ".count");
        if (c > Number(kMaxCount))
            throw RecordFailure(Code::R008, "`count` " + c.to_string() + " is more than " + std::to_string(kMaxCount) +
                                    " (the limit)",
                                at() + ".count");
        ev.count = *c.to_int64();
    }
    if (decl.has_amount) {
        if (!raw.amount)
            throw RecordFailure(Code::R004, "event " + quoted(decl.id) + " needs an `amount` between " + decl.amount_min.to_string() +
                                    " and " + decl.amount_max.to_string() + " (the assessor's decision)",
                                at() + ".amount");
        if (*raw.amount < decl.amount_min || *raw.amount > decl.amount_max)
            throw RecordFailure(Code::R006, "amount " + raw.amount->to_string() + " is outside the range " +
                                    decl.amount_min.to_string() + ".." + decl.amount_max.to_string() + " of event " +
                                    quoted(decl.id),
                                at() + ".amount");
        ev.has_amount = true;
        ev.amount = *raw.amount;
    } else if (raw.amount) {
        throw RecordFailure(Code::R003, "event " + quoted(decl.id) + " takes no `amount`: its points are fixed by the rules",
                            at() + ".amount");
    }
    if (raw.date) ev.date = parse_date(*raw.date, year, [&] { return at() + ".date"; });
    if (raw.note) ev.note.assign(raw.note->data(), raw.note->size());
    else ev.note.clear();
    ev.attributes.assign(decl.attributes.size(), ir::none);
    for (const auto& [name, value] : raw.attributes) {
        ir::SlotId slot = ir::none;
        for (ir::SlotId s : decl.attributes.ids())
            if (p.attribute(decl.attributes[s]).id == name) {
                slot = s;
                break;
            }
        if (slot == ir::none) {
            std::vector<std::string_view> known{"type", "date", "count", "amount", "note"};
            for (ir::AttributeId a : decl.attributes) known.push_back(p.attribute(a).id);
            throw RecordFailure(Code::R003, "event " + quoted(decl.id) + " has no field " + quoted(name) +
                                    did_you_mean(name, known),
                                at() + "." + std::string(name));
        }
        const ir::Attribute& attr = p.attribute(decl.attributes[slot]);
        const ir::ValueId v = lookup(attr.value_index, attr.values, value, 5);
        if (v == ir::none)
            throw RecordFailure(Code::R005, "unknown " + attr.id + " " + quoted(value) + suggestion(value, attr.value_index),
                                at() + "." + attr.id);
        ev.attributes[slot] = v;
    }
}

}  // namespace

namespace {

// A fact's value as a record gives it: `true`, or a standing's first value.
std::string fact_example(const ir::Measure& decl) {
    return decl.kind == ir::Measure::Kind::yes_no ? "true" : "\"" + (decl.values.empty() ? std::string() : decl.values[0]) + "\"";
}

// What a fact's value may be in a record, as its errors say.
std::string fact_takes(const ir::Measure& decl) {
    if (decl.kind == ir::Measure::Kind::yes_no) return "true or false (or the strings \"yes\" or \"no\", \"是\" or \"否\")";
    return "one of " + decl.values_text();
}

// Measures on a scale given by their label: `"rating": "良好"` is 85.
void read_scale_labels(const ir::Program& p, const RawRecord& raw, Record& r) {
    for (const auto& [name, label] : raw.measure_labels) {
        const std::string at = "measures." + std::string(name);
        const auto it = p.measure_index.find(std::string(name));
        if (it == p.measure_index.end())
            throw RecordFailure(Code::R005, "unknown measure " + quoted(name) + suggestion(name, p.measure_index), at);
        const ir::Measure& decl = p.measure(it->second);
        if (decl.fact())
            throw RecordFailure(Code::R005, quoted(name) + " is a fact, not a measure: give it in `facts`, as in "
                                            "`\"facts\": {\"" + decl.id + "\": " + fact_example(decl) + "}`", at);
        if (decl.rating)
            throw RecordFailure(Code::R005, quoted(name) + " is a rating, not a measure: give its marks in `ratings`", at);
        if (decl.scale_values.empty())  // as the reader says of a text where a number belongs
            throw RecordFailure(Code::R002, "`" + at + "` must be a number, not a string", at);
        std::size_t i = 0;
        while (i < decl.scale_labels.size() && decl.scale_labels[i] != label) ++i;
        if (i == decl.scale_labels.size()) {
            const std::vector<std::string_view> labels(decl.scale_labels.begin(), decl.scale_labels.end());
            const std::string hint = did_you_mean(label, labels);
            throw RecordFailure(Code::R006, "measure " + quoted(name) + " is " + quoted(label) + hint +
                                                (hint.empty() ? ", " : "; ") + "not a label of its scale: " + decl.scale_text(), at);
        }
        auto& slot = r.measures[it->second];
        if (slot) throw RecordFailure(Code::R003, "measure " + quoted(name) + " is given twice", at);
        slot = decl.scale_values[i];
    }
}

// `"facts": {"has_system": true, "village_kind": "autonomous"}`: each fact by the id or the label of
// its value (a yes/no fact also by `true` or `false`), held as the index of that value.
void read_facts(const ir::Program& p, const RawRecord& raw, Record& r) {
    for (const auto& [name, given] : raw.facts) {
        const std::string at = "facts." + std::string(name);
        const auto it = p.measure_index.find(std::string(name));
        if (it == p.measure_index.end() || !p.measure(it->second).fact()) {
            if (it != p.measure_index.end())
                throw RecordFailure(Code::R005, quoted(name) + (p.measure(it->second).rating ? " is a rating, not a fact: give its marks in `ratings`"
                                                                                            : " is a measure, not a fact: give it in `measures`"), at);
            std::map<std::string, bool> facts;
            for (const auto& m : p.measures)
                if (m.fact()) facts.emplace(m.id, true);
            throw RecordFailure(Code::R005, "unknown fact " + quoted(name) + suggestion(name, facts), at);
        }
        const ir::Measure& decl = p.measure(it->second);
        const bool yes_no = decl.kind == ir::Measure::Kind::yes_no;
        if (given.number)  // as the reader says of a value of the wrong type
            throw RecordFailure(Code::R002, "`" + at + "` must be " + fact_takes(decl) + ", not a number", at);
        const int v = given.boolean && !yes_no ? -1 : decl.fact_value(given.value);
        if (v < 0) {
            std::string shown, hint;
            if (given.boolean) shown = given.value == "yes" ? "true" : "false";
            else if (yes_no && (given.value == "true" || given.value == "false"))
                shown = "the string \"" + std::string(given.value) + "\": write the JSON value " + std::string(given.value) +
                        ", without quotes";
            else {
                // The same hint as for any name a record gives: the nearest value, and a look-alike
                // or invisible character when the text holds one.
                std::vector<std::string_view> names(decl.values.begin(), decl.values.end());
                names.insert(names.end(), decl.value_labels.begin(), decl.value_labels.end());
                shown = quoted(given.value);
                hint = did_you_mean(given.value, names);
            }
            const bool clause = !hint.empty() || shown.starts_with("the string");  // ends in words of its own
            throw RecordFailure(Code::R006, "fact " + quoted(name) + " is " + shown + hint + (clause ? "; " : ", ") +
                                                "expected " + fact_takes(decl), at);
        }
        auto& slot = r.measures[it->second];
        if (slot) throw RecordFailure(Code::R003, "fact " + quoted(name) + " is given twice", at);
        slot = Number(v);
    }
}

// Where ratings are read into: the year's (`ratings`), or one period's (`periods.2022-Q1.ratings`),
// each rating given where it is declared to be.
struct Given {
    std::string prefix;  // "ratings." or "periods.2022-Q1.ratings."
    int year = 0;
    ir::Period period;  // whole year: the record's own `ratings`
    ir::IdVector<ir::MeasureId, std::optional<Number>>& values;
    ir::IdVector<ir::MeasureId, std::optional<Record::Marks>>& marks;

    void check_period(const ir::Measure& decl, std::string_view name, const std::string& at) const {
        if (decl.period == period.kind) return;
        const std::string where = decl.period == ir::PeriodKind::year ? std::string()
                                  : ir::period_name(year, {decl.period, 1});
        if (period.whole_year())
            throw RecordFailure(Code::R005, "rating " + quoted(name) + " is given per " + ir::period_word(decl.period) +
                                                ": give it in `periods`, as in `\"periods\": {\"" + where + "\": {\"ratings\": {\"" +
                                                decl.id + "\": ...}}}`", at);
        if (decl.period == ir::PeriodKind::year)
            throw RecordFailure(Code::R005, "rating " + quoted(name) + " is given once for the year: give it in `ratings`, "
                                                "not in a period", at);
        throw RecordFailure(Code::R005, "rating " + quoted(name) + " is given per " + ir::period_word(decl.period) + ", so not in " +
                                            ir::period_word(period.kind) + " " + ir::period_name(year, period) +
                                            ": give it under a " + ir::period_word(decl.period) + ", as in \"" + where + "\"", at);
    }
};

// The declared rating a record names under `at`, given where it belongs (the year, or a period of
// its kind): R005 for a name that is no rating (saying where a measure or fact goes), with the
// nearest rating's name.
ir::MeasureId given_rating(const ir::Program& p, std::string_view name, const Given& into, const std::string& at) {
    const auto it = p.measure_index.find(std::string(name));
    if (it == p.measure_index.end() || !p.measure(it->second).rating) {
        if (it != p.measure_index.end())
            throw RecordFailure(Code::R005, quoted(name) + " is not a rating: give it in `" +
                                                (p.measure(it->second).fact() ? "facts" : "measures") + "`", at);
        std::map<std::string, bool> ratings;
        for (const auto& m : p.measures)
            if (m.rating) ratings.emplace(m.id, true);
        throw RecordFailure(Code::R005, "unknown rating " + quoted(name) + suggestion(name, ratings), at);
    }
    into.check_period(p.measure(it->second), name, at);
    return it->second;
}

// `"ratings": {"review": [92, 88, 95]}`: each rating's marks, numbers or its scale's labels, each
// in the rating's range (or on its scale), combined into the rating's value as it says: their
// mean, or their mean without the highest and the lowest mark. Only the count is kept.
void read_ratings(const ir::Program& p, const std::vector<std::pair<std::string_view, std::vector<RawMark>>>& given,
                  const Given& into) {
    for (const auto& [name, marks] : given) {
        const std::string at = into.prefix + std::string(name);
        const ir::MeasureId id = given_rating(p, name, into, at);
        const ir::Measure& decl = p.measure(id);
        if (decl.kind == ir::Measure::Kind::votes)
            throw RecordFailure(Code::R002, "`" + at + "` must be an object of votes per grade, as in `{\"" +
                                                (decl.values.empty() ? std::string("GRADE") : decl.values[0]) +
                                                "\": 30}`, not an array of marks: rating " + quoted(name) + " counts votes", at);
        if (marks.size() > kMaxMarks)
            throw RecordFailure(Code::R008, "more than " + std::to_string(kMaxMarks) + " marks for rating " + quoted(name) +
                                                " (the limit for a rating)", at);
        auto& slot = into.values[id];
        if (slot) throw RecordFailure(Code::R003, "rating " + quoted(name) + " is given twice", at);
        Number sum, highest, lowest;
        for (std::size_t i = 0; i < marks.size(); ++i) {
            const std::string mark_at = at + "[" + std::to_string(i) + "]";
            Number v;
            if (marks[i].number) {
                v = *marks[i].number;
                if (!decl.scale_values.empty() && !decl.scale_label(v))
                    throw RecordFailure(Code::R006, "rating " + quoted(name) + " has a mark of " + v.to_string() +
                                                        ", not on its scale: " + decl.scale_text(), mark_at);
                if (decl.scale_values.empty() && ((decl.min && v < *decl.min) || (decl.max && v > *decl.max)))
                    throw RecordFailure(Code::R006, "rating " + quoted(name) + " has a mark of " + v.to_string() +
                                                        ", outside its range " + decl.min->to_string() + ".." +
                                                        decl.max->to_string(), mark_at);
            } else {
                std::size_t k = 0;
                while (k < decl.scale_labels.size() && decl.scale_labels[k] != marks[i].label) ++k;
                if (decl.scale_values.empty())
                    throw RecordFailure(Code::R002, "`" + mark_at + "` must be a number, not a string: rating " + quoted(name) +
                                                        " is marked in numbers, not on a scale with labels", mark_at);
                if (k == decl.scale_labels.size()) {
                    const std::vector<std::string_view> labels(decl.scale_labels.begin(), decl.scale_labels.end());
                    const std::string hint = did_you_mean(marks[i].label, labels);
                    throw RecordFailure(Code::R006, "rating " + quoted(name) + " has a mark of " + quoted(marks[i].label) + hint +
                                                        (hint.empty() ? ", " : "; ") + "not a label of its scale: " +
                                                        decl.scale_text(), mark_at);
                }
                v = decl.scale_values[k];
            }
            sum += v;
            if (i == 0 || v > highest) highest = v;
            if (i == 0 || v < lowest) lowest = v;
        }
        Record::Marks kept;
        kept.count = static_cast<std::int64_t>(marks.size());
        if (marks.empty())
            throw RecordFailure(Code::R009, "rating " + quoted(name) + " has no marks: its mean needs at least one", at);
        if (decl.dropping) {
            if (marks.size() < 3)
                throw RecordFailure(Code::R009, "rating " + quoted(name) + " has " + std::to_string(marks.size()) +
                                                    (marks.size() == 1 ? " mark" : " marks") +
                                                    ": dropping the highest and the lowest needs at least 3", at);
            sum = sum - highest - lowest;
            kept.dropped_highest = highest;
            kept.dropped_lowest = lowest;
            slot = sum / Number(static_cast<std::int64_t>(marks.size() - 2));
        } else {
            slot = sum / Number(static_cast<std::int64_t>(marks.size()));
        }
        into.marks[id] = kept;
    }
}

// `"ratings": {"votes": {"excellent": 30, "competent": 10}}`: a vote rating's votes per grade, by
// the grade's id or label, each a whole number of 0 or more; a grade not given has none. A share
// of its votes needs at least one vote in all.
void read_votes(const ir::Program& p,
                const std::vector<std::pair<std::string_view, std::vector<std::pair<std::string_view, Number>>>>& list,
                const Given& into) {
    for (const auto& [name, counts] : list) {
        const std::string at = into.prefix + std::string(name);
        const ir::MeasureId id = given_rating(p, name, into, at);
        const ir::Measure& decl = p.measure(id);
        if (decl.kind != ir::Measure::Kind::votes)
            throw RecordFailure(Code::R002, "`" + at + "` must be an array of marks, as in `[90, 85]`, not an object of "
                                                "votes: rating " + quoted(name) + " is marked", at);
        auto& slot = into.values[id];
        if (slot) throw RecordFailure(Code::R003, "rating " + quoted(name) + " is given twice", at);
        Record::Marks kept;
        kept.votes.assign(decl.values.size(), 0);
        std::vector<bool> given(decl.values.size(), false);
        for (const auto& [grade, count] : counts) {
            const std::string grade_at = at + "." + std::string(grade);
            const int g = decl.fact_value(grade);
            if (g < 0) {
                std::vector<std::string_view> names(decl.values.begin(), decl.values.end());
                names.insert(names.end(), decl.value_labels.begin(), decl.value_labels.end());
                throw RecordFailure(Code::R005, "unknown grade " + quoted(grade) + " of rating " + quoted(name) +
                                                    did_you_mean(grade, names) + "; its grades are " + decl.values_text(),
                                    grade_at);
            }
            if (given[static_cast<std::size_t>(g)])
                throw RecordFailure(Code::R003, "grade `" + decl.values[static_cast<std::size_t>(g)] + "` of rating " +
                                                    quoted(name) + " is given twice (by its id and its label)", grade_at);
            given[static_cast<std::size_t>(g)] = true;
            const auto n = count.to_int64();
            if (!count.is_integer() || count.is_negative() || !n)
                throw RecordFailure(Code::R006, "grade " + quoted(grade) + " of rating " + quoted(name) + " has " +
                                                    count.to_string() + " votes: a count of votes is a whole number of 0 or more",
                                    grade_at);
            if (*n > kMaxCount)
                throw RecordFailure(Code::R008, "more than " + std::to_string(kMaxCount) + " votes for grade " + quoted(grade) +
                                                    " of rating " + quoted(name) + " (the limit)", grade_at);
            kept.votes[static_cast<std::size_t>(g)] = *n;
            kept.count += *n;
        }
        if (kept.count == 0)
            throw RecordFailure(Code::R009, "rating " + quoted(name) + " has no votes: a share of its votes needs at least one", at);
        slot = Number(kept.count);
        into.marks[id] = std::move(kept);
    }
}

// Each period's `ratings`, into that period's slot of period_measures (the value) and
// period_ratings (the marks). read_periods has already read the periods' names.
void read_period_ratings(const ir::Program& p, const RawRecord& raw, Record& r) {
    r.period_ratings.clear();
    for (const auto& [name, given] : raw.periods) {
        if (given.ratings.empty() && given.votes.empty()) continue;
        std::string why;
        const ir::Period period = *ir::parse_period(name, r.year, why);
        if (r.period_ratings.empty())
            r.period_ratings.assign(ir::kPeriodSlots, ir::IdVector<ir::MeasureId, std::optional<Record::Marks>>(p.measures.size(), std::nullopt));
        const auto slot = static_cast<std::size_t>(ir::period_slot(period));
        const Given into{"periods." + std::string(name) + ".ratings.", r.year, period, r.period_measures[slot], r.period_ratings[slot]};
        read_ratings(p, given.ratings, into);
        read_votes(p, given.votes, into);
    }
}

}  // namespace

void validate(const ir::Program& p, const RawRecord& raw, const Unit* unit, Record& r) {
    if (!raw.has_id) throw RecordFailure(Code::R004, "missing required field `id`", "id");
    r.id.assign(raw.id.data(), raw.id.size());
    r.name.assign(raw.name.data(), raw.name.size());
    r.warnings.clear();
    if (p.one_card) {
        if (raw.has_role)
            throw RecordFailure(Code::R003, "field `role` given, but the scheme declares no roles: every person has "
                                            "the same card, so a record names none", "role");
        r.role = ir::RoleId::at(0);
    } else if (!raw.has_role) throw RecordFailure(Code::R004, "missing required field `role`", "role");
    else r.role = lookup(p.role_index, p.roles, raw.role, 1);
    if (r.role == ir::none)
        throw RecordFailure(Code::R005, "unknown role " + quoted(raw.role) + suggestion(raw.role, p.role_index), "role");
    const ir::Role& role = p.role(r.role);
    r.year = read_year(p, raw);

    r.groups.assign(p.groups.size(), false);
    for (std::size_t i = 0; i < raw.groups.size(); ++i) {
        const ir::GroupId g = lookup(p.group_index, p.groups, raw.groups[i], 2);
        if (g == ir::none)
            throw RecordFailure(Code::R005, "unknown group " + quoted(raw.groups[i]) + suggestion(raw.groups[i], p.group_index),
                                "groups[" + std::to_string(i) + "]");
        r.groups[g] = true;
    }

    r.measures.assign(p.measures.size(), std::nullopt);
    for (const auto& measure : raw.measures) {
        const std::string_view name = measure.first;  // not a structured binding: lambdas capture it
        const Number& value = measure.second;
        const auto at = [&] { return "measures." + std::string(name); };
        const ir::MeasureId m = lookup(p.measure_index, p.measures, name, 3);
        if (m == ir::none)
            throw RecordFailure(Code::R005, "unknown measure " + quoted(name) + suggestion(name, p.measure_index), at());
        const ir::Measure& decl = p.measure(m);
        if (decl.fact()) [[unlikely]]
            throw RecordFailure(Code::R005, quoted(name) + " is a fact, not a measure: give it in `facts`, as in "
                                            "`\"facts\": {\"" + decl.id + "\": " + fact_example(decl) + "}`", at());
        if (decl.rating) [[unlikely]]
            throw RecordFailure(Code::R005, quoted(name) + " is a rating, not a measure: give its marks in `ratings`, as in "
                                            "`\"ratings\": {\"" + decl.id + "\": [90, 85]}`", at());
        auto& slot = r.measures[m];
        if (slot) throw RecordFailure(Code::R003, "measure " + quoted(name) + " is given twice", at());
        if (decl.period != ir::PeriodKind::year) [[unlikely]]
            throw RecordFailure(Code::R005, "measure " + quoted(name) + " is given per " + ir::period_word(decl.period) +
                                                ": give it in `periods`, as in `\"periods\": {\"" +
                                                ir::period_name(r.year, {decl.period, 1}) + "\": {\"measures\": {\"" +
                                                decl.id + "\": ...}}}`", at());
        check_measure_value(decl, name, value, at());
        slot = value;
    }
    if (!raw.periods.empty() || std::any_of(p.measures.begin(), p.measures.end(), [](const ir::Measure& m) {
            return m.period != ir::PeriodKind::year;
        }))
        read_periods(p, raw, r);
    else r.period_measures.clear();
    if (!raw.measure_labels.empty()) [[unlikely]]
        read_scale_labels(p, raw, r);
    if (!raw.facts.empty()) read_facts(p, raw, r);
    r.ratings.assign(p.measures.size(), std::nullopt);
    if (!raw.ratings.empty() || !raw.votes.empty()) {
        const Given year{"ratings.", r.year, {}, r.measures, r.ratings};
        read_ratings(p, raw.ratings, year);
        read_votes(p, raw.votes, year);
    }
    read_period_ratings(p, raw, r);
    for (ir::MeasureId m : r.measures.ids()) {
        if (r.measures[m]) continue;
        const ir::Measure& decl = p.measure(m);
        if (decl.period != ir::PeriodKind::year) continue;  // given per period (read_periods)
        if (decl.default_value) {
            r.measures[m] = decl.default_value;
            continue;
        }
        if (!role.uses_measure[m]) continue;
        // Required only if a rule that can apply to this person reads it: one whose `when` the
        // person's groups do not already rule out.
        const auto [node, rule] = ir::rule_reading(p, role, m, r.groups);
        const char* what = decl.rating ? "rating" : decl.fact() ? "fact" : "measure";
        if (rule == ir::none) {
            if (const ir::Flag* f = ir::flag_reading(p, m, r.groups))
                throw RecordFailure(Code::R004, std::string("missing ") + what + " `" + decl.id + "` (" + decl.label +
                                        "), which flag `" + f->id + "` needs (the flag at " + f->where + ")",
                                    (decl.rating ? "ratings." : decl.fact() ? "facts." : "measures.") + decl.id);
            // A veto's or a grade rule's reads too, whether or not an earlier one decides.
            if (const std::string reader = ir::outcome_reading(p, m, r.groups); !reader.empty())
                throw RecordFailure(Code::R004, std::string("missing ") + what + " `" + decl.id + "` (" + decl.label +
                                        "), which " + reader + " needs",
                                    (decl.rating ? "ratings." : decl.fact() ? "facts." : "measures.") + decl.id);
            continue;
        }
        throw RecordFailure(Code::R004, std::string("missing ") + what + " `" + decl.id + "` (" +
                                decl.label + "), which " + p.node(node).path + " of " + p.card_of(r.role) +
                                " needs (the rule at " + p.rule(rule).where + ")",
                            (decl.rating ? "ratings." : decl.fact() ? "facts." : "measures.") + decl.id);
    }

    if (raw.events.size() > kMaxEvents)
        throw RecordFailure(Code::R008, "more than " + std::to_string(kMaxEvents) + " events (the limit)", "events");
    // Events are read into the record's existing ones where it has them, keeping their buffers.
    const std::size_t own = raw.events.size();
    r.events.resize(own);
    for (std::size_t i = 0; i < own; ++i) read_event(p, raw.events[i], i, r.year, false, r.events[i]);
    if (unit) r.events.insert(r.events.end(), unit->events.begin(), unit->events.end());

    // Group event indexes by type (counting sort: stable, so record order is kept). The starts
    // serve as cursors while placing, which moves each one to its successor's start; one shift
    // puts them back.
    const std::size_t types = p.events.size();
    r.by_type_start.assign(types + 1, 0);
    for (const Event& e : r.events) ++r.by_type_start[e.type.index() + 1];
    for (std::size_t t = 1; t <= types; ++t) r.by_type_start[t] += r.by_type_start[t - 1];
    r.by_type.resize(r.events.size());
    for (std::size_t i = 0; i < r.events.size(); ++i)
        r.by_type[r.by_type_start[r.events[i].type.index()]++] = EventAt::at(i);
    for (std::size_t t = types; t > 0; --t) r.by_type_start[t] = r.by_type_start[t - 1];
    r.by_type_start[0] = 0;

    // An attribute a condition on the card reads must be given: an event without it would match
    // neither `where level = major` nor `where level = minor`, and drop out of the result silently.
    if (!role.attribute_needs.empty())
        for (const Event& e : r.events)
            for (const auto& need : role.attribute_needs) {
                if (need.event != e.type || e.attributes[need.slot] != ir::none) continue;
                const ir::Event& decl = p.event(e.type);
                const ir::Attribute& attr = p.attribute(decl.attributes[need.slot]);
                throw RecordFailure(Code::R004, "event `" + decl.id + "` (" + decl.label + ") has no `" + attr.id + "` (" +
                                                    attr.label + "), which " + need.reader + " reads",
                                    event_at(e.from_unit, e.position) + "." + attr.id);
            }

    // Checked up front, not when a `longest_run` is evaluated: whether a record is accepted must
    // not depend on whether an earlier grade rule already decided.
    for (const auto& [type, reader] : role.run_needs)
        for (std::size_t i = r.by_type_start[type.index()]; i < r.by_type_start[type.index() + 1]; ++i) {
            const Event& e = r.events[r.by_type[i].index()];
            if (e.date.month != 0 && e.date.day != 0) continue;
            const ir::Event& decl = p.event(type);
            throw RecordFailure(Code::R004, "event `" + decl.id + "` (" + decl.label + ") has no full date: " + reader +
                                                " counts consecutive days by its `date` (\"YYYY-MM-DD\")",
                                event_at(e.from_unit, e.position) + ".date");
        }

    std::vector<ir::EventId> warned;  // rare: only events that the role does not score
    for (const Event& e : r.events) {
        if (role.uses_event[e.type] || std::find(warned.begin(), warned.end(), e.type) != warned.end()) continue;
        bool veto = false;
        for (const auto& v : p.vetoes) veto = veto || v.event == e.type;
        for (const auto& g : p.grade_rules) veto = veto || std::find(g.events.begin(), g.events.end(), e.type) != g.events.end();
        if (veto) continue;
        warned.push_back(e.type);
        const ir::Event& decl = p.event(e.type);
        r.warnings.push_back("event `" + decl.id + "` (" + decl.label + ") is not scored" +
                             (p.one_card ? std::string(": no rule of the card uses it")
                                         : " for role `" + role.id + "`: no rule of its card uses it"));
    }
}

void check_measure_value(const ir::Measure& decl, std::string_view name, const Number& value, const std::string& at) {
    if (!decl.scale_values.empty() && !decl.scale_label(value))
        throw RecordFailure(Code::R006, "measure " + quoted(name) + " is " + value.to_string() +
                                            ", not on its scale: " + decl.scale_text(), at);
    if (decl.whole && !value.is_integer())
        throw RecordFailure(Code::R006, "measure " + quoted(name) + " must be a whole number, not " + value.to_string(), at);
    if ((decl.min && value < *decl.min) || (decl.max && value > *decl.max)) {
        std::string domain = decl.min && decl.max ? decl.min->to_string() + ".." + decl.max->to_string()
                             : decl.min           ? ">= " + decl.min->to_string()
                                                  : "<= " + decl.max->to_string();
        throw RecordFailure(Code::R006, "measure " + quoted(name) + " is " + value.to_string() + ", outside its domain " + domain, at);
    }
}

Record validate(const ir::Program& p, const RawRecord& raw, const Unit* unit) {
    Record r;
    validate(p, raw, unit, r);
    return r;
}

std::string date_problem(std::string_view date, int year) {
    try {
        parse_date(date, year, [] { return std::string(); });
    } catch (const RecordFailure& f) {
        return f.message;
    }
    return "";
}

Unit validate_unit(const ir::Program& p, const RawRecord& raw) {
    Unit u;
    u.name = std::string(raw.unit);
    u.year = read_year(p, raw);
    if (raw.events.size() > kMaxEvents)
        throw RecordFailure(Code::R008, "more than " + std::to_string(kMaxEvents) + " events (the limit)", "unit.events");
    u.events.resize(raw.events.size());
    for (std::size_t i = 0; i < raw.events.size(); ++i) read_event(p, raw.events[i], i, u.year, true, u.events[i]);
    return u;
}

}  // namespace kaohe::record
