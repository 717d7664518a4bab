#include "api/receipt.hpp"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <utility>
#include <vector>

#include <simdjson.h>

#include "kaohe/kaohe.hpp"
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

namespace od = simdjson::ondemand;

// A JSON number's exact decimal value in plain notation: "1e2" → "100", "93.70" → "93.7", "-0" → "0".
void append_number(std::string& out, std::string_view t) {
    while (!t.empty() && (t.back() == ' ' || t.back() == '\t' || t.back() == '\r' || t.back() == '\n')) t.remove_suffix(1);
    const bool negative = !t.empty() && t.front() == '-';
    if (negative) t.remove_prefix(1);
    long exponent = 0;
    if (const std::size_t e = t.find_first_of("eE"); e != std::string_view::npos) {
        std::string_view x = t.substr(e + 1);
        if (!x.empty() && x.front() == '+') x.remove_prefix(1);
        std::from_chars(x.data(), x.data() + x.size(), exponent);
        t = t.substr(0, e);
    }
    std::string digits;
    long point = 0;  // where the decimal point stands in `digits`
    if (const std::size_t dot = t.find('.'); dot != std::string_view::npos) {
        digits = std::string(t.substr(0, dot)) + std::string(t.substr(dot + 1));
        point = static_cast<long>(dot);
    } else {
        digits = std::string(t);
        point = static_cast<long>(t.size());
    }
    point += exponent;
    std::size_t lead = 0;
    while (lead < digits.size() && digits[lead] == '0') ++lead;
    digits.erase(0, lead);
    point -= static_cast<long>(lead);
    while (!digits.empty() && digits.back() == '0') digits.pop_back();
    if (digits.empty()) {
        out += '0';
        return;
    }
    if (negative) out += '-';
    const long n = static_cast<long>(digits.size());
    if (point <= 0) out += "0." + std::string(static_cast<std::size_t>(-point), '0') + digits;
    else if (point >= n) out += digits + std::string(static_cast<std::size_t>(point - n), '0');
    else out += digits.substr(0, static_cast<std::size_t>(point)) + "." + digits.substr(static_cast<std::size_t>(point));
}

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

// An object's member as written in the canonical form: its key and where it stands in the output.
struct Member {
    std::string_view key;
    std::size_t begin, end;
};

// Writes `v` in the canonical form; false when it is not JSON after all. `members` is scratch
// space shared by the nested objects (each uses what it pushes, and pops it).
bool append_canonical(std::string& out, od::value v, std::vector<Member>& members) {
    od::json_type type;
    if (v.type().get(type)) return false;
    switch (type) {
        case od::json_type::object: {
            od::object object;
            if (v.get_object().get(object)) return false;
            // Written in the record's order; reordered only when its keys are not already sorted.
            const std::size_t base = members.size();
            const std::size_t open = out.size();
            out += '{';
            for (auto field : object) {
                std::string_view key;  // in the parser's buffer: valid while the record is read
                od::value value;
                if (field.unescaped_key().get(key) || field.value().get(value)) return false;
                if (members.size() > base) out += ',';
                const std::size_t begin = out.size();
                append_string(out, key);
                out += ':';
                if (!append_canonical(out, value, members)) return false;
                members.push_back(Member{key, begin, out.size()});
            }
            out += '}';
            const auto first = members.begin() + static_cast<std::ptrdiff_t>(base);
            const auto by_key = [](const Member& a, const Member& b) { return a.key < b.key; };
            if (!std::is_sorted(first, members.end(), by_key)) {
                std::stable_sort(first, members.end(), by_key);
                std::string sorted = "{";
                for (auto m = first; m != members.end(); ++m) {
                    if (m != first) sorted += ',';
                    sorted.append(out, m->begin, m->end - m->begin);
                }
                sorted += '}';
                out.replace(open, std::string::npos, sorted);
            }
            members.resize(base);
            return true;
        }
        case od::json_type::array: {
            od::array array;
            if (v.get_array().get(array)) return false;
            out += '[';
            bool first = true;
            for (auto element : array) {
                od::value value;
                if (element.get(value)) return false;
                if (!first) out += ',';
                first = false;
                if (!append_canonical(out, value, members)) return false;
            }
            out += ']';
            return true;
        }
        case od::json_type::string: {
            std::string_view s;
            if (v.get_string().get(s)) return false;
            append_string(out, s);
            return true;
        }
        case od::json_type::number: append_number(out, v.raw_json_token()); return true;
        case od::json_type::boolean: {
            bool b = false;
            if (v.get_bool().get(b)) return false;
            out += b ? "true" : "false";
            return true;
        }
        case od::json_type::null: out += "null"; return true;
    }
    return false;
}

}  // namespace

std::string canonical_record(std::string_view json) {
    // Per thread, reused: a parser's buffers and the padded copy would otherwise be allocated for
    // every record, which costs more than the canonical form itself.
    thread_local od::parser parser;
    thread_local std::string padded;
    thread_local std::vector<Member> members;
    members.clear();
    padded.assign(json);
    padded.resize(json.size() + simdjson::SIMDJSON_PADDING);
    od::document doc;
    od::value root;
    std::string out;
    out.reserve(json.size());
    if (parser.iterate(padded.data(), json.size(), padded.size()).get(doc) || doc.get_value().get(root) ||
        !append_canonical(out, root, members))
        return {};
    return out;
}

std::string record_hash(std::string_view json) {
    const std::string canonical = canonical_record(json);
    return canonical.empty() ? std::string() : sha256(canonical);
}

}  // namespace kaohe::api

namespace kaohe {
std::string record_hash(std::string_view record_json) { return api::record_hash(record_json); }
}  // namespace kaohe
