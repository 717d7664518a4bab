// The JSON record reader: JSON text → RawRecord, strictly. See record.hpp and docs/records.md.
//
// simdjson On-Demand walks the text once; every value is either taken into the RawRecord or the
// reason it cannot be is thrown as a RecordFailure, so nothing is skipped unread and an accepted
// record has been checked in full. Strings are views into the parser's string buffer and numbers
// are read exactly from their decimal text, both valid until the next read on this reader.
// Everything that builds an error message is off the hot path, in the cold functions below.
#include <simdjson.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "kaohe/kaohe.hpp"
#include "record/record.hpp"
#include "support/suggest.hpp"
#include "support/utf8.hpp"

namespace kaohe::record {

using diag::Code;

// The public limit (include/kaohe/kaohe.hpp) is this one.
static_assert(kMaxRecordBytes == kaohe::kMaxRecordBytes);

namespace {

namespace od = simdjson::ondemand;
using simdjson::error_code;

constexpr std::size_t kNoIndex = static_cast<std::size_t>(-1);

// The field being read, turned into text ("events[3].amount") only when an error names it.
struct Where {
    std::string_view field;          // "id", "events", "measures"; "" for the record itself
    std::size_t index = kNoIndex;    // [index], for an element of groups or events
    std::string_view sub;            // ".amount", ".issuer", or a measure's name

    Where() = default;
    explicit Where(std::string_view field_, std::size_t index_ = kNoIndex, std::string_view sub_ = {})
        : field(field_), index(index_), sub(sub_) {}

    std::string str() const {
        std::string s(field);
        if (index != kNoIndex) {
            s += '[';
            s += std::to_string(index);
            s += ']';
        }
        if (!sub.empty()) {
            s += '.';
            s += sub;
        }
        return s;
    }
};

const std::vector<std::string_view> kPersonFields = {"id", "name", "unit", "role", "year", "groups", "measures", "facts", "ratings", "events", "periods"};
const std::vector<std::string_view> kPeriodFields = {"measures", "ratings"};
const std::vector<std::string_view> kUnitFields = {"unit", "year", "events"};
const std::vector<std::string_view> kEventFields = {"type", "date", "count", "amount", "note"};

// A name or value as shown inside a message: long ones cut (at a character boundary).
std::string shown(std::string_view s) {
    constexpr std::size_t kShown = 64;
    if (s.size() <= kShown) return std::string(s);
    std::size_t cut = kShown;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    return std::string(s.substr(0, cut)) + "…";
}

std::string quoted(std::string_view s) { return "`" + shown(s) + "`"; }

const char* type_name(od::json_type t) {
    switch (t) {
        case od::json_type::array: return "an array";
        case od::json_type::object: return "an object";
        case od::json_type::number: return "a number";
        case od::json_type::string: return "a string";
        case od::json_type::boolean: return "a boolean";
        case od::json_type::null: return "null";
    }
    return "an unknown value";
}

// What a simdjson error means, in the words of a record's author.
const char* json_problem(error_code e) {
    switch (e) {
        case simdjson::EMPTY: return "the text is empty";
        case simdjson::TAPE_ERROR: return "unexpected character, or a missing or extra comma, colon, brace or bracket";
        case simdjson::STRING_ERROR: return "bad escape sequence in a string";
        case simdjson::UNCLOSED_STRING: return "a string is not closed";
        case simdjson::UNESCAPED_CHARS: return "control character inside a string (it must be escaped)";
        case simdjson::T_ATOM_ERROR: return "bad literal (expected `true`)";
        case simdjson::F_ATOM_ERROR: return "bad literal (expected `false`)";
        case simdjson::N_ATOM_ERROR: return "bad literal (expected `null`)";
        case simdjson::NUMBER_ERROR: return "bad number";
        case simdjson::UTF8_ERROR: return "the text is not valid UTF-8";
        case simdjson::INCOMPLETE_ARRAY_OR_OBJECT: return "an object or array is not closed";
        case simdjson::DEPTH_ERROR: return "nested too deeply";
        case simdjson::MEMALLOC: return "out of memory";
        default: return simdjson::error_message(e);
    }
}

[[noreturn, gnu::cold]] void fail(Code code, std::string message, const Where& where) {
    throw RecordFailure(code, std::move(message), where.str());
}

// How a bracketed value nests: the deepest level reached (stopping once past `limit`), and where
// it closes. A plain byte scan, for error paths only: the text is known to be bounded.
struct Extent {
    std::size_t depth = 0;
    std::size_t end = 0;
    bool closed = false;
};

Extent scan_nesting(std::string_view text, std::size_t start, std::size_t limit) {
    Extent x;
    std::size_t depth = 0;
    bool in_string = false;
    for (std::size_t i = start; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (c == '\\') ++i;
            else if (c == '"') in_string = false;
            continue;
        }
        switch (c) {
            case '"': in_string = true; break;
            case '{':
            case '[':
                if (++depth > x.depth) {
                    x.depth = depth;
                    if (depth > limit) {
                        x.end = i;
                        return x;
                    }
                }
                break;
            case '}':
            case ']':
                if (depth == 0 || --depth == 0) {
                    x.end = i + 1;
                    x.closed = true;
                    return x;
                }
                break;
            default: break;
        }
    }
    x.end = text.size();
    return x;
}

bool is_json_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view trim_right(std::string_view s) {
    while (!s.empty() && is_json_space(s.back())) s.remove_suffix(1);
    return s;
}

// A white-space character at an edge of a name: an ASCII space or control, a Unicode space, or
// an invisible character; described ("a space", "invisible zero-width space (U+200B)"), else "".
std::string edge_space(std::string_view s, std::size_t at) {
    const CodePoint cp = decode_at(s, at);
    if (cp.value == ' ') return "a space";
    if (cp.value < 0x20) return "a control character (" + code_point_text(cp.value) + ")";
    const std::optional<Unusual> u = unusual(cp.value);
    if (!u || (u->ascii != " " && !u->invisible)) return "";
    return describe_unusual(cp.value, s.substr(at, cp.length), *u);
}

// Why `name`, a record's `unit`, is refused, or "". A batch ranks the people of one unit name
// together, matched exactly: an empty name would silently join the records without a unit, and
// one with white space at an edge (a spreadsheet's stray space) would silently be a unit of its
// own. Refused rather than trimmed, so that nothing about a person's unit is guessed.
std::string unit_problem(std::string_view name) {
    if (name.empty()) return "is empty: name the person's unit, or leave the field out for a person in no unit";
    std::size_t last = name.size() - 1;
    while (last > 0 && (static_cast<unsigned char>(name[last]) & 0xC0) == 0x80) --last;
    std::string start = edge_space(name, 0), end = edge_space(name, last);
    if (start.empty() && end.empty()) return "";
    std::string_view trimmed = name;
    while (!trimmed.empty() && !edge_space(trimmed, 0).empty()) trimmed.remove_prefix(decode_at(trimmed, 0).length);
    while (!trimmed.empty()) {
        std::size_t i = trimmed.size() - 1;
        while (i > 0 && (static_cast<unsigned char>(trimmed[i]) & 0xC0) == 0x80) --i;
        if (edge_space(trimmed, i).empty()) break;
        trimmed.remove_suffix(trimmed.size() - i);
    }
    if (trimmed.empty()) return "is only white space: name the person's unit, or leave the field out for a person in no unit";
    return (start.empty() ? "ends in " + end : "starts with " + start + (end.empty() ? "" : " and ends in " + end)) +
           ": units are matched exactly, so it would be a unit of its own; write \"" + std::string(trimmed) + "\"";
}

// Whether s has a backslash, eight bytes at a time (strings and keys are short: a call to
// memchr costs more than it saves).
bool has_backslash(std::string_view s) {
    constexpr std::uint64_t kOnes = 0x0101010101010101u, kHighs = 0x8080808080808080u;
    constexpr std::uint64_t kBackslashes = kOnes * static_cast<unsigned char>('\\');
    std::size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) {
        std::uint64_t w;
        std::memcpy(&w, s.data() + i, 8);
        w ^= kBackslashes;  // a zero byte where there was a backslash
        if (((w - kOnes) & ~w & kHighs) != 0) return true;
    }
    for (; i < s.size(); ++i)
        if (s[i] == '\\') return true;
    return false;
}

// -?(0|[1-9][0-9]*)
bool is_json_integer(std::string_view s) {
    std::size_t i = (!s.empty() && s[0] == '-') ? 1 : 0;
    if (i == s.size()) return false;
    if (s[i] == '0') return i + 1 == s.size();
    for (; i < s.size(); ++i)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

enum : unsigned {
    kSeenId = 1u << 0,
    kSeenName = 1u << 1,
    kSeenRole = 1u << 2,
    kSeenYear = 1u << 3,
    kSeenGroups = 1u << 4,
    kSeenMeasures = 1u << 5,
    kSeenEvents = 1u << 6,
    kSeenUnit = 1u << 7,
    kSeenFacts = 1u << 8,
    kSeenRatings = 1u << 9,
    kSeenPeriods = 1u << 10,
};

enum : unsigned {
    kSeenType = 1u << 0,
    kSeenDate = 1u << 1,
    kSeenCount = 1u << 2,
    kSeenAmount = 1u << 3,
    kSeenNote = 1u << 4,
};

const RawEvent kBlankEvent{};

// Nesting levels: the record object is level 1, its fields' arrays and objects level 2, their
// elements (events, groups, measures) level 3, an event's field values level 4.
constexpr std::size_t kRecordLevel = 1, kFieldLevel = 2, kElementLevel = 3, kEventFieldLevel = 4;

}  // namespace

struct JsonReader::Impl {
    od::parser parser;
    od::document doc;
    std::unique_ptr<char[]> buf;  // the record's text, followed by SIMDJSON_PADDING zero bytes
    std::size_t buf_capacity = 0;
    std::size_t len = 0;
    const char* first_backslash = nullptr;  // in buf, or buf + len when the text has none
    RawRecord rec;
    std::string id;   // last_id()
    std::string why;  // Number::from_decimal's reason
    std::vector<std::vector<std::pair<std::string_view, std::string_view>>> spare_attributes;
    std::unordered_set<std::string_view> names;  // duplicate names, in objects with many fields

    std::string_view text() const { return {buf.get(), len}; }

    void reset(bool unit) {
        // Keep the events' attribute vectors (and their capacity) for the next record.
        for (RawEvent& e : rec.events) {
            if (e.attributes.capacity() == 0) continue;
            e.attributes.clear();
            spare_attributes.push_back(std::move(e.attributes));
        }
        rec.events.clear();
        rec.groups.clear();
        rec.measures.clear();
        rec.measure_labels.clear();
        rec.facts.clear();
        rec.ratings.clear();
        rec.votes.clear();
        rec.periods.clear();
        rec.has_id = rec.has_role = rec.has_year = rec.has_unit = false;
        rec.id = rec.name = rec.role = rec.unit = {};
        rec.year.reset();
        rec.is_unit = unit;
        id.clear();
    }

    void load(std::string_view json) {
        if (json.starts_with(kUtf8Bom)) json.remove_prefix(kUtf8Bom.size());  // an editor's byte-order mark
        if (json.size() > kMaxRecordBytes)
            fail(Code::R008, record_too_large(std::to_string(json.size()) + " bytes"), Where{});
        const std::size_t need = json.size() + simdjson::SIMDJSON_PADDING;
        if (need > buf_capacity) {
            std::size_t grown = std::max<std::size_t>(need, std::max<std::size_t>(4096, 2 * buf_capacity));
            grown = std::min(grown, kMaxRecordBytes + simdjson::SIMDJSON_PADDING);
            buf.reset(new char[grown]);
            buf_capacity = grown;
        }
        if (!json.empty()) std::memcpy(buf.get(), json.data(), json.size());
        std::memset(buf.get() + json.size(), 0, simdjson::SIMDJSON_PADDING);
        len = json.size();
        // One fast scan for escapes, so that most strings need no look of their own.
        const void* backslash = std::memchr(buf.get(), '\\', len);
        first_backslash = backslash ? static_cast<const char*>(backslash) : buf.get() + len;
        if (len > parser.capacity()) {
            // Grow the parser geometrically too, so that slowly growing records do not reallocate each time.
            std::size_t cap = std::max<std::size_t>(len, std::max<std::size_t>(16384, 2 * parser.capacity()));
            cap = std::min(cap, kMaxRecordBytes);
            if (parser.allocate(cap) != simdjson::SUCCESS) fail(Code::R008, "out of memory reading the record", Where{});
        }
    }

    // ---- errors (cold)

    // A character outside the strings that an input method typed for JSON's own (`：` for `:`,
    // `１` for `1`), or an invisible one: named, since the text looks right to its author.
    std::optional<UnusualAt> unusual_outside_strings() const {
        const std::string_view t = text();
        bool in_string = false;
        for (std::size_t i = 0; i < t.size(); ++i) {
            const char c = t[i];
            if (in_string) {
                if (c == '\\') ++i;
                else if (c == '"') in_string = false;
                continue;
            }
            if (c == '"') in_string = true;
            else if (static_cast<unsigned char>(c) >= 0x80) {
                if (first_invalid_utf8(t.substr(i))) return std::nullopt;
                auto u = first_unusual(t.substr(i, decode_at(t, i).length));
                if (u) u->offset = i;
                return u;
            }
        }
        return std::nullopt;
    }

    [[noreturn, gnu::cold]] void json_fail(error_code e, const Where& where) {
        if (e != simdjson::DEPTH_ERROR && e != simdjson::UTF8_ERROR) {
            if (auto u = unusual_outside_strings())
                fail(Code::R001, "not valid JSON: " + u->description + ", at byte " + std::to_string(u->offset), where);
        }
        std::string message = "not valid JSON: ";
        message += json_problem(e);
        if (e == simdjson::UTF8_ERROR) {
            if (auto at = first_invalid_utf8(text())) message += " (at byte " + std::to_string(*at) + ")";
        }
        fail(e == simdjson::DEPTH_ERROR ? Code::R008 : Code::R001, std::move(message), where);
    }

    // The value at `v` (at nesting `level`) is not what the field needs: say what it is instead.
    // `subject` names the field in the message ("`year`", "attribute `issuer`").
    [[noreturn, gnu::cold]] void wrong_type(error_code e, od::value& v, const char* expected,
                                            const std::string& subject, const Where& where, std::size_t level,
                                            std::string hint = {}) {
        if (e != simdjson::SUCCESS && e != simdjson::INCORRECT_TYPE) json_fail(e, where);
        od::json_type t{};
        if (const error_code te = v.type().get(t)) json_fail(te, where);
        const char* at = nullptr;
        if (v.current_location().get(at) != simdjson::SUCCESS) at = nullptr;
        check_value_text(t, at, where, level);
        fail(Code::R002, subject + " must be " + expected + ", not " + type_name(t) + hint, where);
    }

    // Before a type error: a deeply nested value is a depth error, and a bad literal is bad JSON.
    void check_value_text(od::json_type t, const char* at, const Where& where, std::size_t level) {
        if (at == nullptr || at < buf.get() || at >= buf.get() + len) return;
        const auto offset = static_cast<std::size_t>(at - buf.get());
        if (t == od::json_type::array || t == od::json_type::object) {
            const std::size_t room = kMaxDepth - (level - 1);
            const Extent x = scan_nesting(text(), offset, room);
            if (x.depth > room) too_deep(where);
        } else if (t == od::json_type::boolean || t == od::json_type::null) {
            std::size_t end = offset;
            constexpr std::string_view kDelimiters = ",:]}[{\"";
            while (end < len && !is_json_space(text()[end]) && kDelimiters.find(text()[end]) == std::string_view::npos)
                ++end;
            const std::string_view word = text().substr(offset, end - offset);
            if (word != "true" && word != "false" && word != "null") {
                if (auto u = unusual_outside_strings())
                    fail(Code::R001, "not valid JSON: " + u->description + ", at byte " + std::to_string(u->offset), where);
                fail(Code::R001, "not valid JSON: bad literal " + quoted(word) + " (expected true, false or null)", where);
            }
        }
    }

    [[noreturn, gnu::cold]] void too_deep(const Where& where) {
        fail(Code::R008, "JSON nested deeper than " + std::to_string(kMaxDepth) + " levels (the limit for a record)", where);
    }

    [[noreturn, gnu::cold]] void too_long(const std::string& subject, const Where& where) {
        fail(Code::R008, subject + " is longer than " + std::to_string(kMaxStringBytes) + " bytes (the limit for a string)", where);
    }

    [[noreturn, gnu::cold]] void bad_number(std::string_view raw, const Where& where) {
        if (why == "not a number") {
            if (auto u = unusual_outside_strings())
                fail(Code::R001, "not valid JSON: " + u->description + ", at byte " + std::to_string(u->offset), where);
            fail(Code::R001, "not valid JSON: bad number " + quoted(raw), where);
        }
        const bool about_size = why.rfind("more than ", 0) == 0;
        fail(Code::R008, "`" + where.str() + "`: " + (about_size ? "number with " : "") + why, where);
    }

    // The record's braces do not match up: say whether it is unclosed or followed by more text.
    [[noreturn, gnu::cold]] void structure_fail(error_code e) {
        const std::string_view t = text();
        std::size_t start = 0;
        while (start < t.size() && is_json_space(t[start])) ++start;
        if (start < t.size() && (t[start] == '{' || t[start] == '[')) {
            const Extent x = scan_nesting(t, start, static_cast<std::size_t>(-1));
            if (!x.closed)
                fail(Code::R001, "not valid JSON: the record's opening `" + std::string(1, t[start]) + "` is never closed", Where{});
            std::size_t after = x.end;
            while (after < t.size() && is_json_space(t[after])) ++after;
            if (after < t.size()) trailing(after);
        }
        json_fail(e, Where{});
    }

    [[noreturn, gnu::cold]] void trailing(std::size_t at) {
        if (auto u = unusual_outside_strings())
            fail(Code::R001, "not valid JSON: " + u->description + ", at byte " + std::to_string(u->offset), Where{});
        fail(Code::R001, "not valid JSON: content after the end of the record, at byte " + std::to_string(at) + ": " +
                 quoted(text().substr(at, 16)),
             Where{});
    }

    [[noreturn, gnu::cold]] void unknown_field(std::string_view key, const std::vector<std::string_view>& known) {
        if (key.size() > kMaxStringBytes) too_long("a field name", Where{});
        fail(Code::R003, "unknown field " + quoted(key) + did_you_mean(key, known), Where{key});
    }

    [[noreturn, gnu::cold]] void duplicate(std::string_view what, std::string_view key, const Where& where) {
        fail(Code::R003, "duplicate " + std::string(what) + " " + quoted(key), where);
    }

    // ---- readers (hot)

    // Whether a string or key of the record's text has an escape in it.
    [[gnu::always_inline]] bool has_escape(std::string_view s) const {
        if (s.data() + s.size() <= first_backslash) return false;
        if (s.data() <= first_backslash) return true;
        return has_backslash(s);
    }

    // A string without escapes is taken as it stands in the record's text: simdjson's first pass
    // has found its closing quote and checked its bytes (UTF-8, no control characters), so only
    // strings with a backslash need unescaping (into the parser's string buffer) by get_string().
    // (Numbers are left unconsumed, read from their raw token; On-Demand skips them as one token
    // and then checks for the `,` or `}` that must follow.)
    [[gnu::always_inline]] bool plain_string(od::value& v, std::string_view& s) const {
        std::string_view raw = v.raw_json_token();  // `"text"` and any whitespace up to the next token
        if (raw.empty() || raw.front() != '"') return false;
        raw = trim_right(raw);
        if (raw.size() < 2 || raw.back() != '"') return false;
        raw = raw.substr(1, raw.size() - 2);
        if (has_escape(raw)) return false;
        // Consume the value (without unescaping): On-Demand skips an unread string that is
        // followed by `:` as if it were a key, which would let `"a": "b": "c"` through.
        od::raw_json_string consumed;
        if (v.get_raw_json_string().get(consumed) != simdjson::SUCCESS) return false;
        s = raw;
        return true;
    }

    std::string_view string_value(od::value& v, const Where& where, std::size_t level) {
        std::string_view s;
        if (!plain_string(v, s)) {
            const error_code e = v.get_string().get(s);
            if (e) [[unlikely]]
                wrong_type(e, v, "a string", "`" + where.str() + "`", where, level);
        }
        if (s.size() > kMaxStringBytes) [[unlikely]]
            too_long("`" + where.str() + "`", where);
        return s;
    }

    Number number_value(od::value& v, const Where& where, std::size_t level) {
        od::json_type t{};
        const error_code e = v.type().get(t);
        if (e || t != od::json_type::number) [[unlikely]]
            wrong_type(e ? e : simdjson::INCORRECT_TYPE, v, "a number", "`" + where.str() + "`", where, level);
        const std::string_view raw = trim_right(v.raw_json_token());
        std::optional<Number> n = Number::from_decimal(raw, &why);
        if (!n) [[unlikely]]
            bad_number(raw, where);
        return *std::move(n);
    }

    od::object object_value(od::value& v, const char* expected, const Where& where, std::size_t level) {
        od::object o;
        const error_code e = v.get_object().get(o);
        if (e) [[unlikely]]
            wrong_type(e, v, expected, "`" + where.str() + "`", where, level);
        return o;
    }

    od::array array_value(od::value& v, const char* expected, const Where& where, std::size_t level) {
        od::array a;
        const error_code e = v.get_array().get(a);
        if (e) [[unlikely]]
            wrong_type(e, v, expected, "`" + where.str() + "`", where, level);
        return a;
    }

    // The unescaped key of a field; `where` names the object it is in. Like a string value, a key
    // without escapes is a view into the record's text: it runs from its opening quote to the
    // closing quote that precedes the `:` token (simdjson has checked that the colon is there, and
    // only whitespace can lie between tokens).
    [[gnu::always_inline]] std::string_view key_of(simdjson::simdjson_result<od::field>& result, const Where& where) {
        if (const error_code e = result.error()) [[unlikely]]
            json_fail(e, where);
        od::field& field = result.value_unsafe();
        const char* const begin = reinterpret_cast<const char*>(field.key().raw());
        const char* p = field.value().raw_json_token().data();
        while (p > begin && is_json_space(p[-1])) --p;
        if (p > begin && p[-1] == ':') {
            --p;
            while (p > begin && is_json_space(p[-1])) --p;
            if (p > begin && p[-1] == '"') {
                const std::string_view key(begin, static_cast<std::size_t>(p - 1 - begin));
                if (!has_escape(key)) return key;
            }
        }
        std::string_view key;
        if (const error_code e = field.unescaped_key().get(key)) [[unlikely]]
            json_fail(e, where);
        return key;
    }

    // True when `key` is among the first names of `items` (by pair.first); a set takes over for
    // objects with many fields, so that a hostile record cannot make this quadratic.
    template <typename Items>
    bool seen_before(const Items& items, std::string_view key) {
        constexpr std::size_t kLinear = 32;
        const std::size_t n = items.size();
        if (n < kLinear) {
            for (const auto& item : items)
                if (item.first == key) return true;
            return false;
        }
        if (n == kLinear) {
            names.clear();
            for (const auto& item : items) names.insert(item.first);
        }
        return !names.insert(key).second;
    }

    void read_id(od::value& v) {
        const Where where{"id"};
        od::json_type t{};
        if (const error_code e = v.type().get(t)) json_fail(e, where);
        std::string_view s;
        if (t == od::json_type::string) {
            s = string_value(v, where, kFieldLevel);
        } else if (t == od::json_type::number) {
            s = trim_right(v.raw_json_token());
            if (!is_json_integer(s)) [[unlikely]] {
                if (!Number::from_decimal(s, &why)) bad_number(s, where);
                fail(Code::R002, "`id` must be a string or an integer, not a number with a fraction or exponent: " + quoted(s),
                     where);
            }
            if (s.size() > kMaxStringBytes) [[unlikely]]
                too_long("`id`", where);
        } else {
            wrong_type(simdjson::INCORRECT_TYPE, v, "a string or an integer", "`id`", where, kFieldLevel);
        }
        rec.id = s;
        rec.has_id = true;
        id.assign(s);
    }

    void read_groups(od::value& v) {
        od::array a = array_value(v, "an array of strings", Where{"groups"}, kFieldLevel);
        std::size_t i = 0;
        for (auto er : a) {
            const Where where{"groups", i};
            od::value ev;
            if (const error_code e = std::move(er).get(ev)) [[unlikely]]
                json_fail(e, where);
            rec.groups.push_back(string_value(ev, where, kElementLevel));
            ++i;
        }
    }

    void read_measures(od::value& v) {
        od::object o = object_value(v, "an object of numbers", Where{"measures"}, kFieldLevel);
        for (auto fr : o) {
            const std::string_view key = key_of(fr, Where{"measures"});
            od::value& fv = fr.value_unsafe().value();
            const Where where{"measures", kNoIndex, key};
            if (key.size() > kMaxStringBytes) [[unlikely]]
                too_long("a measure name", Where{"measures"});
            if (seen_before(rec.measures, key) || seen_before(rec.measure_labels, key)) [[unlikely]]
                duplicate("measure", key, where);
            // A text is a scale's label; validation says when the measure has no scale.
            std::string_view label;
            if (plain_string(fv, label)) {
                if (label.size() > kMaxStringBytes) [[unlikely]]
                    too_long("`" + where.str() + "`", where);
                rec.measure_labels.emplace_back(key, label);
            }
            else if (od::json_type t{}; !fv.type().get(t) && t == od::json_type::string)
                rec.measure_labels.emplace_back(key, string_value(fv, where, kElementLevel));
            else rec.measures.emplace_back(key, number_value(fv, where, kElementLevel));
        }
    }

    // `"facts": {"has_system": true, "village_kind": "autonomous"}`: each a boolean or a value's name.
    void read_facts(od::value& v) {
        od::object o = object_value(v, "an object of facts", Where{"facts"}, kFieldLevel);
        for (auto fr : o) {
            const std::string_view key = key_of(fr, Where{"facts"});
            od::value& fv = fr.value_unsafe().value();
            const Where where{"facts", kNoIndex, key};
            if (key.size() > kMaxStringBytes) [[unlikely]]
                too_long("a fact's name", Where{"facts"});
            if (seen_before(rec.facts, key)) [[unlikely]]
                duplicate("fact", key, where);
            od::json_type t{};
            if (const error_code e = fv.type().get(t)) [[unlikely]]
                json_fail(e, where);
            if (t == od::json_type::boolean) {
                bool b = false;
                if (const error_code e = fv.get_bool().get(b)) [[unlikely]]
                    json_fail(e, where);
                rec.facts.emplace_back(key, RawFact{b ? "yes" : "no", true});
            } else if (t == od::json_type::string) {
                rec.facts.emplace_back(key, RawFact{string_value(fv, where, kElementLevel), false});
            } else if (t == od::json_type::number) [[unlikely]] {
                // Read as a number (a malformed one is still bad JSON); what the fact takes instead
                // depends on its kind, which validation knows.
                (void)number_value(fv, where, kElementLevel);
                rec.facts.emplace_back(key, RawFact{{}, false, true});
            } else [[unlikely]] {
                wrong_type(simdjson::INCORRECT_TYPE, fv, "true, false or the name of one of its values",
                           "`" + where.str() + "`", where, kElementLevel);
            }
        }
    }

    // `"ratings": {"review": [92, 88, 95]}`: each rating's marks, numbers or a scale's labels.
    void read_ratings(od::value& v) { read_ratings(v, "ratings", "", kFieldLevel, rec.ratings, rec.votes); }

    // The same for `ratings` under `field` (the record's, or a period's: field "periods", `prefix`
    // "2022-Q1.ratings"), its object at nesting `level`.
    void read_ratings(od::value& v, std::string_view field, std::string_view prefix, std::size_t level,
                      std::vector<std::pair<std::string_view, std::vector<RawMark>>>& ratings,
                      std::vector<std::pair<std::string_view, std::vector<std::pair<std::string_view, Number>>>>& vote_ratings) {
        const std::size_t deeper = level - kFieldLevel;  // 0 for the record's own ratings
        const auto sub_of = [&](std::string_view rest) {
            return prefix.empty() ? std::string(rest) : std::string(prefix) + (rest.empty() ? "" : ".") + std::string(rest);
        };
        const std::string self = sub_of("");
        const Where top{field, kNoIndex, self};
        od::object o = object_value(v, "an object of ratings, each an array of marks", top, level);
        for (auto fr : o) {
            const std::string_view key = key_of(fr, top);
            od::value& fv = fr.value_unsafe().value();
            if (key.size() > kMaxStringBytes) [[unlikely]]
                too_long("a rating's name", top);
            const std::string named = sub_of(key);
            const Where where{field, kNoIndex, named};
            if (seen_before(ratings, key) || seen_before(vote_ratings, key)) [[unlikely]]
                duplicate("rating", key, where);
            od::json_type vt{};
            if (const error_code e = fv.type().get(vt)) [[unlikely]]
                json_fail(e, where);
            if (vt == od::json_type::object) {  // a vote rating's votes per grade
                od::object votes = object_value(fv, "an object of votes per grade", where, kElementLevel + deeper);
                std::vector<std::pair<std::string_view, Number>> counts;
                for (auto gr : votes) {
                    const std::string_view grade = key_of(gr, where);
                    if (grade.size() > kMaxStringBytes) [[unlikely]]
                        too_long("a grade's name", where);
                    const std::string sub = named + "." + std::string(grade);
                    const Where at{field, kNoIndex, sub};
                    if (seen_before(counts, grade)) [[unlikely]]
                        duplicate("grade", grade, at);
                    counts.emplace_back(grade, number_value(gr.value_unsafe().value(), at, kEventFieldLevel + deeper));
                }
                vote_ratings.emplace_back(key, std::move(counts));
                continue;
            }
            od::array a = array_value(fv, "an array of marks, as in [92, 88, 95], or an object of votes per grade", where,
                                      kElementLevel + deeper);
            std::vector<RawMark> marks;
            for (auto mr : a) {
                if (marks.size() == kMaxMarks) [[unlikely]]
                    fail(Code::R008, "more than " + std::to_string(kMaxMarks) + " marks for rating " + quoted(key) +
                                         " (the limit for a rating)", where);
                // Each mark's own place (`ratings.review[2]`), so a bad one among many is found.
                const std::string sub = named + "[" + std::to_string(marks.size()) + "]";
                const Where at{field, kNoIndex, sub};
                od::value mv;
                if (const error_code e = std::move(mr).get(mv)) [[unlikely]]
                    json_fail(e, at);
                od::json_type t{};
                if (const error_code e = mv.type().get(t)) [[unlikely]]
                    json_fail(e, at);
                if (t == od::json_type::string)
                    marks.push_back(RawMark{std::nullopt, string_value(mv, at, kEventFieldLevel + deeper)});
                else if (t == od::json_type::number) marks.push_back(RawMark{number_value(mv, at, kEventFieldLevel + deeper), {}});
                else [[unlikely]] {
                    wrong_type(simdjson::INCORRECT_TYPE, mv, "a mark: a number, or a label of the rating's scale",
                               "`" + at.str() + "`", at, kEventFieldLevel + deeper);
                }
            }
            ratings.emplace_back(key, std::move(marks));
        }
    }

    // `"periods": {"2022-Q1": {"measures": {"output": 9}}}`: the inputs given per period. What
    // each period is and holds is validation's (record/periods.cpp); here, the shape.
    void read_periods(od::value& v) {
        od::object o = object_value(v, "an object of periods, as in {\"2022-Q1\": {\"measures\": {...}}}", Where{"periods"},
                                    kFieldLevel);
        for (auto fr : o) {
            const std::string_view key = key_of(fr, Where{"periods"});
            od::value& fv = fr.value_unsafe().value();
            if (key.size() > kMaxStringBytes) [[unlikely]]
                too_long("a period", Where{"periods"});
            const Where here{"periods", kNoIndex, key};
            if (seen_before(rec.periods, key)) [[unlikely]]
                duplicate("period", key, here);
            // A year has 12 months and 4 quarters: more keys than that cannot all be periods.
            if (rec.periods.size() == 16) [[unlikely]]
                fail(Code::R008, "more than 16 periods (a year has 12 months and 4 quarters)", Where{"periods"});
            rec.periods.emplace_back(key, RawPeriod{});
            RawPeriod& period = rec.periods.back().second;
            od::object po = object_value(fv, "an object, as in {\"measures\": {...}}", here, kElementLevel);
            bool measures = false, ratings = false;
            for (auto pr : po) {
                const std::string_view field = key_of(pr, here);
                od::value& pv = pr.value_unsafe().value();
                const std::string at = std::string(key) + "." + std::string(field.substr(0, kMaxStringBytes));
                const Where where{"periods", kNoIndex, at};
                if (field != "measures" && field != "ratings") [[unlikely]]
                    fail(Code::R003, "unknown field " + quoted(field) + " in period " + quoted(key) + did_you_mean(field, kPeriodFields),
                         where);
                bool& seen = field == "ratings" ? ratings : measures;
                if (seen) [[unlikely]]
                    duplicate("field", field, where);
                seen = true;
                if (field == "ratings") {
                    read_ratings(pv, "periods", at, kEventFieldLevel, period.ratings, period.votes);
                    continue;
                }
                od::object mo = object_value(pv, "an object of numbers", where, kEventFieldLevel);
                for (auto mr : mo) {
                    const std::string_view name = key_of(mr, where);
                    od::value& mv = mr.value_unsafe().value();
                    if (name.size() > kMaxStringBytes) [[unlikely]]
                        too_long("a measure name", where);
                    const std::string measure_at = at + "." + std::string(name);
                    const Where measure{"periods", kNoIndex, measure_at};
                    if (seen_before(period.measures, name)) [[unlikely]]
                        duplicate("measure", name, measure);
                    period.measures.emplace_back(name, number_value(mv, measure, kEventFieldLevel + 1));
                }
            }
        }
    }

    void read_events(od::value& v) {
        od::array a = array_value(v, "an array of events", Where{"events"}, kFieldLevel);
        std::size_t i = 0;
        for (auto er : a) {
            od::value ev;
            if (const error_code e = std::move(er).get(ev)) [[unlikely]]
                json_fail(e, Where{"events", i});
            if (i == kMaxEvents) [[unlikely]]
                fail(Code::R008, "more than " + std::to_string(kMaxEvents) + " events (the limit for a record)", Where{"events"});
            read_event(ev, i);
            ++i;
        }
    }

    void read_event(od::value& v, std::size_t i) {
        const Where here{"events", i};
        od::object o = object_value(v, "an object", here, kElementLevel);
        // Copied from a blank event: emplace_back() would value-initialize, zero-filling it with `rep stos`.
        RawEvent& event = rec.events.emplace_back(kBlankEvent);
        if (!spare_attributes.empty()) {
            event.attributes = std::move(spare_attributes.back());
            spare_attributes.pop_back();
        }
        unsigned seen = 0;
        for (auto fr : o) {
            const std::string_view key = key_of(fr, here);
            od::value& fv = fr.value_unsafe().value();
            const Where where{"events", i, key};
            unsigned bit = 0;
            switch (key.size()) {
                case 4:
                    if (key == "type") bit = kSeenType;
                    else if (key == "date") bit = kSeenDate;
                    else if (key == "note") bit = kSeenNote;
                    break;
                case 5:
                    if (key == "count") bit = kSeenCount;
                    break;
                case 6:
                    if (key == "amount") bit = kSeenAmount;
                    break;
                default: break;
            }
            if (bit != 0) {
                if (seen & bit) [[unlikely]]
                    duplicate("field", key, where);
                seen |= bit;
                switch (bit) {
                    case kSeenType: event.type = string_value(fv, where, kEventFieldLevel); break;
                    case kSeenDate: event.date = string_value(fv, where, kEventFieldLevel); break;
                    case kSeenNote: event.note = string_value(fv, where, kEventFieldLevel); break;
                    case kSeenCount: event.count = number_value(fv, where, kEventFieldLevel); break;
                    default: event.amount = number_value(fv, where, kEventFieldLevel); break;
                }
                continue;
            }
            // Any other field is an attribute: name → value id, both strings.
            if (key.size() > kMaxStringBytes) [[unlikely]]
                too_long("a field name", here);
            std::string_view s;
            if (!plain_string(fv, s)) {
                if (const error_code e = fv.get_string().get(s)) [[unlikely]]
                    wrong_type(e, fv, "a string", "attribute " + quoted(key), where, kEventFieldLevel,
                               did_you_mean(key, kEventFields));
            }
            if (s.size() > kMaxStringBytes) [[unlikely]]
                too_long("attribute " + quoted(key), where);
            if (seen_before(event.attributes, key)) [[unlikely]]
                duplicate("field", key, where);
            event.attributes.emplace_back(key, s);
        }
        if (!(seen & kSeenType)) [[unlikely]]
            fail(Code::R004, "event has no `type`", here);
    }

    const RawRecord& read(std::string_view json, bool unit) {
        reset(unit);
        load(json);
        if (const error_code e = parser.iterate(buf.get(), len, buf_capacity).get(doc)) json_fail(e, Where{});

        od::json_type t{};
        if (const error_code e = doc.type().get(t)) json_fail(e, Where{});
        if (t != od::json_type::object) [[unlikely]] {
            const char* at = nullptr;
            if (doc.current_location().get(at) != simdjson::SUCCESS) at = nullptr;
            check_value_text(t, at, Where{}, kRecordLevel);
            fail(Code::R002, std::string("a record must be a JSON object, not ") + type_name(t), Where{});
        }
        od::object root;
        if (const error_code e = doc.get_object().get(root)) [[unlikely]] {
            if (e == simdjson::INCOMPLETE_ARRAY_OR_OBJECT) structure_fail(e);
            json_fail(e, Where{});
        }
        unsigned seen = 0;
        for (auto fr : root) {
            const std::string_view key = key_of(fr, Where{});
            od::value& fv = fr.value_unsafe().value();
            unsigned bit = 0;
            if (unit) {
                if (key == "unit") bit = kSeenUnit;
                else if (key == "year") bit = kSeenYear;
                else if (key == "events") bit = kSeenEvents;
            } else {
                switch (key.size()) {
                    case 2:
                        if (key == "id") bit = kSeenId;
                        break;
                    case 4:
                        if (key == "year") bit = kSeenYear;
                        else if (key == "role") bit = kSeenRole;
                        else if (key == "name") bit = kSeenName;
                        else if (key == "unit") bit = kSeenUnit;
                        break;
                    case 6:
                        if (key == "events") bit = kSeenEvents;
                        else if (key == "groups") bit = kSeenGroups;
                        break;
                    case 7:
                        if (key == "ratings") bit = kSeenRatings;
                        else if (key == "periods") bit = kSeenPeriods;
                        break;
                    case 5:
                        if (key == "facts") bit = kSeenFacts;
                        break;
                    case 8:
                        if (key == "measures") bit = kSeenMeasures;
                        break;
                    default: break;
                }
            }
            if (bit == 0) [[unlikely]]
                unknown_field(key, unit ? kUnitFields : kPersonFields);
            if (seen & bit) [[unlikely]]
                duplicate("field", key, Where{key});
            seen |= bit;
            od::value& v = fv;
            switch (bit) {
                case kSeenId: read_id(v); break;
                case kSeenName: rec.name = string_value(v, Where{"name"}, kFieldLevel); break;
                case kSeenRole:
                    rec.role = string_value(v, Where{"role"}, kFieldLevel);
                    rec.has_role = true;
                    break;
                case kSeenYear:
                    rec.year = number_value(v, Where{"year"}, kFieldLevel);
                    rec.has_year = true;
                    break;
                case kSeenGroups: read_groups(v); break;
                case kSeenMeasures: read_measures(v); break;
                case kSeenFacts: read_facts(v); break;
                case kSeenRatings: read_ratings(v); break;
                case kSeenPeriods: read_periods(v); break;
                case kSeenEvents: read_events(v); break;
                default:
                    rec.unit = string_value(v, Where{"unit"}, kFieldLevel);
                    if (std::string why = unit_problem(rec.unit); !why.empty()) [[unlikely]]
                        fail(Code::R006, "`unit` " + why, Where{"unit"});
                    rec.has_unit = true;
                    break;
            }
        }
        // The object is done; anything after it is an error.
        const char* after = nullptr;
        if (doc.current_location().get(after) == simdjson::SUCCESS) [[unlikely]] {
            const bool inside = after >= buf.get() && after < buf.get() + len;
            const std::size_t at = inside ? static_cast<std::size_t>(after - buf.get()) : len;
            trailing(at);
        }
        return rec;
    }
};

JsonReader::JsonReader() : impl_(new Impl) {
    impl_->rec.events.reserve(32);
    impl_->rec.groups.reserve(8);
    impl_->rec.measures.reserve(16);
}

JsonReader::~JsonReader() { delete impl_; }

const RawRecord& JsonReader::read(std::string_view json, bool unit) { return impl_->read(json, unit); }

std::string_view JsonReader::last_id() const { return impl_->id; }

}  // namespace kaohe::record
