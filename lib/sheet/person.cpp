// A person's rows as one record of docs/records.md, written as JSON: the importer gathers each
// field's JSON text as it reads the cells, and this puts them in the record's order.
#include <string>
#include <vector>

#include "sheet/importer.hpp"
#include "support/text.hpp"

namespace kaohe::sheet {

std::string json_string(std::string_view s) {
    std::string out;
    append_json_string(out, s);
    return out;
}

std::string json_object(const Members& members) {
    std::string out = "{";
    for (const auto& [key, value] : members) {
        if (out.size() > 1) out += ',';
        append_json_string(out, key);
        out += ':' + value;
    }
    return out + "}";
}

std::string json_array(const std::vector<std::string>& values) {
    std::string out = "[";
    for (const auto& v : values) out += (out.size() > 1 ? "," : "") + v;
    return out + "]";
}

// The value of `key` in `members`, added empty when not there.
std::string& member(Members& members, const std::string& key) {
    for (auto& m : members)
        if (m.first == key) return m.second;
    return members.emplace_back(key, std::string()).second;
}

namespace {
std::string ratings_json(const RatingInputs& r) {
    Members out;
    for (const auto& [id, marks] : r.marks) out.emplace_back(id, json_array(marks));
    for (const auto& [id, votes] : r.votes) out.emplace_back(id, json_object(votes));
    return json_object(out);
}

}  // namespace

std::string record_json(const Person& p, int year, bool one_card) {
    Members out;
    out.emplace_back("id", json_string(p.id));
    if (!p.name.empty()) out.emplace_back("name", json_string(p.name));
    if (!p.unit.empty()) out.emplace_back("unit", json_string(p.unit));
    if (!one_card) out.emplace_back("role", json_string(p.role));
    std::vector<std::string> groups;
    for (const auto& g : p.groups) groups.push_back(json_string(g));
    out.emplace_back("groups", json_array(groups));
    out.emplace_back("year", std::to_string(year));
    if (!p.measures.empty()) out.emplace_back("measures", json_object(p.measures));
    if (!p.facts.empty()) out.emplace_back("facts", json_object(p.facts));
    if (!p.ratings.marks.empty() || !p.ratings.votes.empty()) out.emplace_back("ratings", ratings_json(p.ratings));
    if (!p.events.empty()) out.emplace_back("events", json_array(p.events));
    if (!p.periods.empty()) {
        Members periods;
        for (const auto& [name, in] : p.periods) {
            Members fields;
            if (!in.measures.empty()) fields.emplace_back("measures", json_object(in.measures));
            if (!in.ratings.marks.empty() || !in.ratings.votes.empty()) fields.emplace_back("ratings", ratings_json(in.ratings));
            periods.emplace_back(name, json_object(fields));
        }
        out.emplace_back("periods", json_object(periods));
    }
    return json_object(out);
}

}  // namespace kaohe::sheet
