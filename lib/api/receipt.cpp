#include "api/receipt.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <utility>
#include <vector>

#include "kaohe/kaohe.hpp"
#include "record/record.hpp"
#include "support/sha256.hpp"

namespace kaohe::api {

std::vector<std::string> relative_names(const Sources& sources) {
    namespace fs = std::filesystem;
    std::vector<std::string> out;
    if (sources.size() == 0) return out;
    const fs::path base = fs::path(sources.name(0)).lexically_normal().parent_path();
    for (std::uint32_t f = 0; f < sources.size(); ++f) {
        const fs::path name = fs::path(sources.name(f)).lexically_normal();
        std::string relative = base.empty() ? name.generic_string() : name.lexically_relative(base).generic_string();
        out.push_back(relative.empty() ? name.generic_string() : std::move(relative));
    }
    return out;
}

std::string fingerprint(const Sources& sources) {
    Sha256 h;
    const std::vector<std::string> names = relative_names(sources);
    for (std::uint32_t f = 0; f < sources.size(); ++f) {
        const std::string& text = sources.text(f);
        const std::string& relative = names[f];
        h.update(relative);
        h.update(std::string_view("\0", 1));
        h.update(std::to_string(text.size()));
        h.update(std::string_view("\0", 1));
        h.update(text);
    }
    return h.finish();
}

namespace {

// Where the canonical form is written: a buffer that only grows, kept from record to record, so
// that a write is a copy into room already there (no per-write checks of std::string's, no
// zero-filling).
class Sink {
public:
    void clear() { n_ = 0; }
    std::string_view view() const { return {buf_.data(), n_}; }
    void put(char c) {
        *room(1) = c;
        ++n_;
    }
    void put(std::string_view s) {
        std::memcpy(room(s.size()), s.data(), s.size());
        n_ += s.size();
    }

    // As Python's json.dumps(ensure_ascii=False) writes a string. A string without a character
    // to escape (nearly every string of a record) is copied whole, quotes included.
    void string(std::string_view s) {
        if (!needs_escape(s)) {
            char* w = room(s.size() + 2);
            w[0] = '"';
            std::memcpy(w + 1, s.data(), s.size());
            w[s.size() + 1] = '"';
            n_ += s.size() + 2;
            return;
        }
        escaped(s);
    }

    // A number read from a record (always a finite decimal) as its exact value in plain notation.
    void number(const Number& n) {
        std::int64_t num = 0, den = 1;
        if (n.small(num, den) && den == 1) {
            char* w = room(24);
            n_ += static_cast<std::size_t>(std::to_chars(w, w + 24, num).ptr - w);
            return;
        }
        put(n.to_string());  // exact for a finite decimal, which every number read from JSON is
    }

private:
    std::string buf_;

    // Whether `s` has a byte below 0x20, a `"` or a `\`, eight bytes at a time (each test is
    // exact for "is there any": the classic has-zero-byte and has-less-than words).
    static bool needs_escape(std::string_view s) {
        constexpr std::uint64_t kOnes = 0x0101010101010101u, kHighs = 0x8080808080808080u;
        const auto zero_byte = [](std::uint64_t w) { return ((w - kOnes) & ~w & kHighs) != 0; };
        std::size_t i = 0;
        for (; i + 8 <= s.size(); i += 8) {
            std::uint64_t w;
            std::memcpy(&w, s.data() + i, 8);
            if ((((w - kOnes * 0x20) & ~w & kHighs) != 0) || zero_byte(w ^ (kOnes * '"')) || zero_byte(w ^ (kOnes * '\\')))
                return true;
        }
        for (; i < s.size(); ++i) {
            const unsigned char c = static_cast<unsigned char>(s[i]);
            if (c < 0x20 || c == '"' || c == '\\') return true;
        }
        return false;
    }
    std::size_t n_ = 0;

    char* room(std::size_t k) {
        if (n_ + k > buf_.size()) buf_.resize(std::max(2 * buf_.size(), n_ + k + 4096));
        return buf_.data() + n_;
    }

    [[gnu::cold]] void escaped(std::string_view s) {
        static constexpr char hex[] = "0123456789abcdef";
        put('"');
        for (const char ch : s) {
            const unsigned char c = static_cast<unsigned char>(ch);
            switch (c) {
                case '"': put("\\\""); break;
                case '\\': put("\\\\"); break;
                case '\n': put("\\n"); break;
                case '\r': put("\\r"); break;
                case '\t': put("\\t"); break;
                case '\b': put("\\b"); break;
                case '\f': put("\\f"); break;
                default:
                    if (c >= 0x20) {
                        put(ch);
                    } else {
                        put("\\u00");
                        put(hex[c >> 4]);
                        put(hex[c & 15]);
                    }
            }
        }
        put('"');
    }
};

// The canonical JSON of a RawRecord, written from what the reader took: no text is parsed again.
// Each object's members are written in the order of their keys' UTF-8 bytes; a member of an object
// is an Entry (its key, which of the record's lists it is in and where), sorted only when the
// record did not already give them in order.
class Canonical {
public:
    Sink out;

    void record(const record::RawRecord& r) {
        out.clear();
        // The record's own fields, in the order of their names.
        out.put('{');
        bool first = true;
        const auto field = [&](std::string_view name) {
            if (!first) out.put(',');
            first = false;
            out.string(name);
            out.put(':');
        };
        if (!r.events.empty()) {
            field("events");
            out.put('[');
            for (std::size_t i = 0; i < r.events.size(); ++i) {
                if (i) out.put(',');
                event(r.events[i]);
            }
            out.put(']');
        }
        if (!r.facts.empty()) {
            field("facts");
            object(r.facts.size(), 0, [&](std::size_t, std::size_t i) { return r.facts[i].first; },
                   [&](std::size_t, std::size_t i) {
                       const record::RawFact& f = r.facts[i].second;
                       if (f.boolean) out.put(std::string_view(f.value == "yes" ? "true" : "false"));
                       else if (f.number) out.put("null");  // refused by validation: never in a result
                       else out.string(f.value);
                   });
        }
        if (!r.groups.empty()) {
            field("groups");
            out.put('[');
            for (std::size_t i = 0; i < r.groups.size(); ++i) {
                if (i) out.put(',');
                out.string(r.groups[i]);
            }
            out.put(']');
        }
        if (r.has_id) {
            field("id");
            out.string(r.id);
        }
        if (!r.measures.empty() || !r.measure_labels.empty()) {
            field("measures");
            measures(r.measures, r.measure_labels);
        }
        if (!r.name.empty()) {
            field("name");
            out.string(r.name);
        }
        if (!r.periods.empty()) {
            field("periods");
            object(r.periods.size(), 0, [&](std::size_t, std::size_t i) { return r.periods[i].first; },
                   [&](std::size_t, std::size_t i) { period(r.periods[i].second); });
        }
        if (!r.ratings.empty() || !r.votes.empty()) {
            field("ratings");
            ratings(r.ratings, r.votes);
        }
        if (r.has_role) {
            field("role");
            out.string(r.role);
        }
        if (r.has_unit) {  // a quota counts the person among this unit's people
            field("unit");
            out.string(r.unit);
        }
        if (r.has_year && r.year) {
            field("year");
            out.number(*r.year);
        }
        out.put('}');
    }

private:
    struct Entry {
        std::string_view key;
        std::uint32_t list, index;
    };
    std::vector<Entry> entries_;  // shared by nested objects: each uses the range it pushed

    // Writes an object of `n1 + n2` members from two lists: `key(list, i)` and `value(list, i)`.
    template <class Key, class Value>
    void object(std::size_t n1, std::size_t n2, Key key, Value value) {
        // One list already in order (the usual record): written as it stands.
        bool in_order = n2 == 0;
        for (std::size_t i = 1; in_order && i < n1; ++i) in_order = key(0, i - 1) < key(0, i);
        if (in_order) {
            out.put('{');
            for (std::size_t i = 0; i < n1; ++i) {
                if (i) out.put(',');
                out.string(key(0, i));
                out.put(':');
                value(0, i);
            }
            out.put('}');
            return;
        }
        const std::size_t base = entries_.size();
        for (std::size_t i = 0; i < n1; ++i) entries_.push_back({key(0, i), 0, static_cast<std::uint32_t>(i)});
        for (std::size_t i = 0; i < n2; ++i) entries_.push_back({key(1, i), 1, static_cast<std::uint32_t>(i)});
        const auto first = entries_.begin() + static_cast<std::ptrdiff_t>(base);
        const auto by_key = [](const Entry& a, const Entry& b) { return a.key < b.key; };
        if (!std::is_sorted(first, entries_.end(), by_key)) std::sort(first, entries_.end(), by_key);
        const std::size_t end = entries_.size();
        out.put('{');
        for (std::size_t k = base; k < end; ++k) {
            const Entry e = entries_[k];  // a copy: nested objects may grow the vector
            if (k != base) out.put(',');
            out.string(e.key);
            out.put(':');
            value(e.list, e.index);
        }
        out.put('}');
        entries_.resize(base);
    }

    void measures(const std::vector<std::pair<std::string_view, Number>>& numbers,
                  const std::vector<std::pair<std::string_view, std::string_view>>& labels) {
        object(numbers.size(), labels.size(),
               [&](std::size_t list, std::size_t i) { return list == 0 ? numbers[i].first : labels[i].first; },
               [&](std::size_t list, std::size_t i) {
                   if (list == 0) out.number(numbers[i].second);
                   else out.string(labels[i].second);
               });
    }

    void ratings(const std::vector<std::pair<std::string_view, std::vector<record::RawMark>>>& marks,
                 const std::vector<std::pair<std::string_view, std::vector<std::pair<std::string_view, Number>>>>& votes) {
        object(marks.size(), votes.size(),
               [&](std::size_t list, std::size_t i) { return list == 0 ? marks[i].first : votes[i].first; },
               [&](std::size_t list, std::size_t i) {
                   if (list == 1) {
                       const auto& per_grade = votes[i].second;
                       object(per_grade.size(), 0, [&](std::size_t, std::size_t g) { return per_grade[g].first; },
                              [&](std::size_t, std::size_t g) { out.number(per_grade[g].second); });
                       return;
                   }
                   out.put('[');
                   bool first = true;
                   for (const record::RawMark& m : marks[i].second) {
                       if (!first) out.put(',');
                       first = false;
                       if (m.number) out.number(*m.number);
                       else out.string(m.label);
                   }
                   out.put(']');
               });
    }

    void period(const record::RawPeriod& p) {
        out.put('{');
        if (!p.measures.empty()) {
            out.put("\"measures\":");
            measures(p.measures, {});
        }
        if (!p.ratings.empty() || !p.votes.empty()) {
            if (!p.measures.empty()) out.put(',');
            out.put("\"ratings\":");
            ratings(p.ratings, p.votes);
        }
        out.put('}');
    }

    // An event's own fields (list 0: 0 amount, 1 count, 2 date, 3 note, 4 type) and its
    // attributes (list 1), together in the order of their names.
    void event(const record::RawEvent& e) {
        if (e.attributes.empty()) {  // the usual event: its own fields, already in the order of their names
            out.put('{');
            if (e.amount) {
                out.put("\"amount\":");
                out.number(*e.amount);
                out.put(',');
            }
            if (e.count) {
                out.put("\"count\":");
                out.number(*e.count);
                out.put(',');
            }
            if (e.date) {
                out.put("\"date\":");
                out.string(*e.date);
                out.put(',');
            }
            if (e.note) {
                out.put("\"note\":");
                out.string(*e.note);
                out.put(',');
            }
            out.put("\"type\":");
            out.string(e.type);
            out.put('}');
            return;
        }
        static constexpr std::string_view kFields[] = {"amount", "count", "date", "note", "type"};
        const bool given[] = {e.amount.has_value(), e.count.has_value(), e.date.has_value(), e.note.has_value(), true};
        std::uint32_t present[5];
        std::size_t n = 0;
        for (std::uint32_t f = 0; f < 5; ++f)
            if (given[f]) present[n++] = f;
        object(n, e.attributes.size(),
               [&](std::size_t list, std::size_t i) { return list == 0 ? kFields[present[i]] : e.attributes[i].first; },
               [&](std::size_t list, std::size_t i) {
                   if (list == 1) {
                       out.string(e.attributes[i].second);
                       return;
                   }
                   switch (present[i]) {
                       case 0: out.number(*e.amount); break;
                       case 1: out.number(*e.count); break;
                       case 2: out.string(*e.date); break;
                       case 3: out.string(*e.note); break;
                       default: out.string(e.type); break;
                   }
               });
    }
};

// Per thread, reused: its buffers would otherwise be allocated for every record.
Canonical& canonical() {
    thread_local Canonical c;
    return c;
}

}  // namespace

std::string canonical_record(const record::RawRecord& raw) {
    Canonical& c = canonical();
    c.record(raw);
    return std::string(c.out.view());
}

std::string record_hash(const record::RawRecord& raw) {
    Canonical& c = canonical();
    c.record(raw);
    return sha256(c.out.view());
}

std::string canonical_record(std::string_view json) {
    thread_local record::JsonReader reader;
    try {
        return canonical_record(reader.read(json));
    } catch (const record::RecordFailure&) {
        return {};
    }
}

std::string record_hash(std::string_view json) {
    thread_local record::JsonReader reader;
    try {
        return record_hash(reader.read(json));
    } catch (const record::RecordFailure&) {
        return {};
    }
}

}  // namespace kaohe::api

namespace kaohe {
std::string record_hash(std::string_view record_json) { return api::record_hash(record_json); }
}  // namespace kaohe
