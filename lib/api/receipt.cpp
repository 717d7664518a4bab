#include "api/receipt.hpp"

#include <algorithm>
#include <charconv>
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

// As Python's json.dumps(ensure_ascii=False) writes a string. Runs that need no escape are copied
// whole: a record's strings rarely need one.
void append_string(std::string& out, std::string_view s) {
    static constexpr char hex[] = "0123456789abcdef";
    out += '"';
    std::size_t run = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        out.append(s, run, i - run);
        run = i + 1;
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            default:
                out += "\\u00";
                out += hex[c >> 4];
                out += hex[c & 15];
        }
    }
    out.append(s, run, std::string_view::npos);
    out += '"';
}

// A number read from a record (always a finite decimal) as its exact value in plain notation.
void append_number(std::string& out, const Number& n) {
    std::int64_t num = 0, den = 1;
    if (n.small(num, den) && den == 1) {
        char digits[24];
        out.append(digits, std::to_chars(digits, digits + sizeof digits, num).ptr);
        return;
    }
    out += n.to_string();  // exact for a finite decimal, which every number read from JSON is
}

// The canonical JSON of a RawRecord, written from what the reader took: no text is parsed again.
// Each object's members are written in the order of their keys' UTF-8 bytes; a member of an object
// is an Entry (its key, which of the record's lists it is in and where), sorted only when the
// record did not already give them in order.
class Canonical {
public:
    std::string out;

    void record(const record::RawRecord& r) {
        out.clear();
        // The record's own fields, in the order of their names.
        out += '{';
        bool first = true;
        const auto field = [&](std::string_view name) {
            if (!first) out += ',';
            first = false;
            append_string(out, name);
            out += ':';
        };
        if (!r.events.empty()) {
            field("events");
            out += '[';
            for (std::size_t i = 0; i < r.events.size(); ++i) {
                if (i) out += ',';
                event(r.events[i]);
            }
            out += ']';
        }
        if (!r.facts.empty()) {
            field("facts");
            object(r.facts.size(), 0, [&](std::size_t, std::size_t i) { return r.facts[i].first; },
                   [&](std::size_t, std::size_t i) {
                       const record::RawFact& f = r.facts[i].second;
                       if (f.boolean) out += f.value == "yes" ? "true" : "false";
                       else if (f.number) out += "null";  // refused by validation: never in a result
                       else append_string(out, f.value);
                   });
        }
        if (!r.groups.empty()) {
            field("groups");
            out += '[';
            for (std::size_t i = 0; i < r.groups.size(); ++i) {
                if (i) out += ',';
                append_string(out, r.groups[i]);
            }
            out += ']';
        }
        if (r.has_id) {
            field("id");
            append_string(out, r.id);
        }
        if (!r.measures.empty() || !r.measure_labels.empty()) {
            field("measures");
            measures(r.measures, r.measure_labels);
        }
        if (!r.name.empty()) {
            field("name");
            append_string(out, r.name);
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
            append_string(out, r.role);
        }
        if (r.has_year && r.year) {
            field("year");
            append_number(out, *r.year);
        }
        out += '}';
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
        const std::size_t base = entries_.size();
        for (std::size_t i = 0; i < n1; ++i) entries_.push_back({key(0, i), 0, static_cast<std::uint32_t>(i)});
        for (std::size_t i = 0; i < n2; ++i) entries_.push_back({key(1, i), 1, static_cast<std::uint32_t>(i)});
        const auto first = entries_.begin() + static_cast<std::ptrdiff_t>(base);
        const auto by_key = [](const Entry& a, const Entry& b) { return a.key < b.key; };
        if (!std::is_sorted(first, entries_.end(), by_key)) std::sort(first, entries_.end(), by_key);
        const std::size_t end = entries_.size();
        out += '{';
        for (std::size_t k = base; k < end; ++k) {
            const Entry e = entries_[k];  // a copy: nested objects may grow the vector
            if (k != base) out += ',';
            append_string(out, e.key);
            out += ':';
            value(e.list, e.index);
        }
        out += '}';
        entries_.resize(base);
    }

    void measures(const std::vector<std::pair<std::string_view, Number>>& numbers,
                  const std::vector<std::pair<std::string_view, std::string_view>>& labels) {
        object(numbers.size(), labels.size(),
               [&](std::size_t list, std::size_t i) { return list == 0 ? numbers[i].first : labels[i].first; },
               [&](std::size_t list, std::size_t i) {
                   if (list == 0) append_number(out, numbers[i].second);
                   else append_string(out, labels[i].second);
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
                              [&](std::size_t, std::size_t g) { append_number(out, per_grade[g].second); });
                       return;
                   }
                   out += '[';
                   bool first = true;
                   for (const record::RawMark& m : marks[i].second) {
                       if (!first) out += ',';
                       first = false;
                       if (m.number) append_number(out, *m.number);
                       else append_string(out, m.label);
                   }
                   out += ']';
               });
    }

    void period(const record::RawPeriod& p) {
        out += '{';
        if (!p.measures.empty()) {
            out += "\"measures\":";
            measures(p.measures, {});
        }
        if (!p.ratings.empty() || !p.votes.empty()) {
            if (!p.measures.empty()) out += ',';
            out += "\"ratings\":";
            ratings(p.ratings, p.votes);
        }
        out += '}';
    }

    // An event's own fields (list 0: 0 amount, 1 count, 2 date, 3 note, 4 type) and its
    // attributes (list 1), together in the order of their names.
    void event(const record::RawEvent& e) {
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
                       append_string(out, e.attributes[i].second);
                       return;
                   }
                   switch (present[i]) {
                       case 0: append_number(out, *e.amount); break;
                       case 1: append_number(out, *e.count); break;
                       case 2: append_string(out, *e.date); break;
                       case 3: append_string(out, *e.note); break;
                       default: append_string(out, e.type); break;
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
    return c.out;
}

std::string record_hash(const record::RawRecord& raw) {
    Canonical& c = canonical();
    c.record(raw);
    return sha256(c.out);
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
