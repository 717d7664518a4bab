// Ruleset::verify: a stored result against what the ruleset gives for its record today, field by
// field, each value compared by what it means: numbers by exact decimal value (a result kept by a
// JSON library may come back as `20.0` for `20.00`), strings as strings, objects by their members.
#include <algorithm>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <simdjson.h>

#include "api/access.hpp"
#include "api/quota.hpp"
#include "eval/evaluate.hpp"
#include "kaohe/kaohe.hpp"

namespace kaohe {
namespace {

// An object's fields in order: key, and its value as minified JSON text.
using Fields = std::vector<std::pair<std::string, std::string>>;

std::optional<Fields> fields_of(std::string_view json) {
    namespace od = simdjson::ondemand;
    const simdjson::padded_string text(json);
    // The whole text must be one JSON value (On-Demand reads only as far as it is asked).
    simdjson::dom::parser whole;
    if (whole.parse(text).error()) return std::nullopt;
    od::parser parser;
    od::document doc;
    od::object object;
    if (parser.iterate(text).get(doc) || doc.get_object().get(object)) return std::nullopt;
    Fields out;
    for (auto field : object) {
        std::string_view key, raw;
        od::value value;
        od::json_type type;
        if (field.unescaped_key().get(key) || field.value().get(value) || value.type().get(type)) return std::nullopt;
        simdjson::error_code e = simdjson::SUCCESS;
        if (type == od::json_type::object) {
            od::object inner;
            e = value.get_object().get(inner);
            if (!e) e = inner.raw_json().get(raw);
        } else if (type == od::json_type::array) {
            od::array inner;
            e = value.get_array().get(inner);
            if (!e) e = inner.raw_json().get(raw);
        } else {
            raw = value.raw_json_token();
        }
        if (e) return std::nullopt;
        std::string minified(raw.size(), '\0');
        std::size_t n = 0;
        if (simdjson::minify(raw.data(), raw.size(), minified.data(), n)) return std::nullopt;
        minified.resize(n);
        out.emplace_back(std::string(key), std::move(minified));
    }
    return out;
}

// A JSON value as compared: a number by its exact value, a string with its escapes undone, an
// object's members in the order of their keys (a document store may reorder them), an array's
// items in order.
struct Value {
    enum Kind { literal, number, string, array, object } kind = literal;
    std::string text;         // a literal (true, false, null), a string, or a number's token
    std::optional<Number> n;  // a number's exact value (none past what Number holds: its token compares)
    std::string key;             // an object's member: its key
    std::vector<Value> members;  // each with its key (std::pair would need Value complete here)
    std::vector<Value> items;

    friend bool operator==(const Value& a, const Value& b) {
        if (a.kind != b.kind || a.key != b.key) return false;
        if (a.kind == number && a.n && b.n) return *a.n == *b.n;
        return a.text == b.text && a.members == b.members && a.items == b.items;
    }
};

bool read_value(simdjson::ondemand::value v, Value& out) {
    namespace od = simdjson::ondemand;
    od::json_type type;
    if (v.type().get(type)) return false;
    switch (type) {
        case od::json_type::object: {
            out.kind = Value::object;
            od::object o;
            if (v.get_object().get(o)) return false;
            for (auto field : o) {
                std::string_view key;
                od::value inner;
                if (field.unescaped_key().get(key) || field.value().get(inner)) return false;
                out.members.emplace_back();
                out.members.back().key = std::string(key);
                if (!read_value(inner, out.members.back())) return false;
            }
            std::stable_sort(out.members.begin(), out.members.end(),
                             [](const Value& a, const Value& b) { return a.key < b.key; });
            return true;
        }
        case od::json_type::array: {
            out.kind = Value::array;
            od::array a;
            if (v.get_array().get(a)) return false;
            for (auto item : a) {
                od::value inner;
                if (item.get(inner)) return false;
                out.items.emplace_back();
                if (!read_value(inner, out.items.back())) return false;
            }
            return true;
        }
        case od::json_type::string: {
            out.kind = Value::string;
            std::string_view text;
            if (v.get_string().get(text)) return false;
            out.text = text;
            return true;
        }
        case od::json_type::number: {
            out.kind = Value::number;
            std::string_view token = v.raw_json_token();
            while (!token.empty() && (token.back() == ' ' || token.back() == '\n' || token.back() == '\r' || token.back() == '\t'))
                token.remove_suffix(1);
            out.text = token;
            out.n = Number::from_decimal(token);
            return true;
        }
        default: {
            std::string_view token = v.raw_json_token();
            while (!token.empty() && (token.back() == ' ' || token.back() == '\n' || token.back() == '\r' || token.back() == '\t'))
                token.remove_suffix(1);
            out.text = token;
            return true;
        }
    }
}

// Whether two values (minified JSON text, as fields_of gives them) are equal in value: `20.0` and
// `20.00`, `"优"` and `"\u4f18"` are; text that cannot be read is compared as text.
bool same(const std::string& a, const std::string& b) {
    if (a == b) return true;
    const auto read = [](const std::string& json, Value& out) {
        namespace od = simdjson::ondemand;
        // Wrapped in an array: On-Demand reads a value inside a document, not a document that is one.
        const simdjson::padded_string text("[" + json + "]");
        od::parser parser;
        od::document doc;
        od::array array;
        if (parser.iterate(text).get(doc) || doc.get_array().get(array)) return false;
        for (auto item : array) {
            od::value v;
            return !item.get(v) && read_value(v, out);
        }
        return false;
    };
    Value va, vb;
    return read(a, va) && read(b, vb) && va == vb;
}

const std::string* find(const Fields& f, std::string_view key) {
    for (const auto& [k, v] : f)
        if (k == key) return &v;
    return nullptr;
}

std::string both(const std::string* stored, const std::string* now) {
    return ": the result has " + (stored ? *stored : std::string("none")) + ", these rules give " +
           (now ? *now : std::string("none"));
}

// The fields of `stored` and `now` under `key`, both objects (an absent or non-object one: empty),
// compared one by one as "`what` KEY".
void compare_inside(const Fields& stored, const Fields& now, std::string_view key, const std::string& what,
                    const std::vector<std::pair<std::string, std::string>>& names, std::vector<std::string>& out) {
    const std::string* s = find(stored, key);
    const std::string* n = find(now, key);
    const Fields sf = s ? fields_of(*s).value_or(Fields{}) : Fields{};
    const Fields nf = n ? fields_of(*n).value_or(Fields{}) : Fields{};
    auto name = [&](const std::string& k) {
        for (const auto& [field, words] : names)
            if (field == k) return words;
        return what + " " + k;
    };
    for (const auto& [k, v] : nf) {
        const std::string* old = find(sf, k);
        if (!old || !same(*old, v)) out.push_back(name(k) + both(old, &v));
    }
    for (const auto& [k, v] : sf)
        if (!find(nf, k)) out.push_back(name(k) + both(&v, nullptr));
}

// `json` with each "rule":"FILE:LINE" naming FILE by its path relative to the main rule file
// (one of `names`, matched at the end of FILE), so that a result is compared the same wherever the
// rules lay, or whichever folder eval ran in, when it was written.
std::string rules_relative(std::string_view json, const std::vector<std::string>& names) {
    constexpr std::string_view key = "\"rule\":";
    std::string out;
    std::size_t at = 0;
    for (std::size_t k; (k = json.find(key, at)) != std::string_view::npos;) {
        std::size_t open = k + key.size();
        while (open < json.size() && (json[open] == ' ' || json[open] == '\t' || json[open] == '\n' || json[open] == '\r')) ++open;
        const std::size_t close = open < json.size() && json[open] == '"' ? json.find('"', open + 1) : std::string_view::npos;
        if (close == std::string_view::npos) break;
        out.append(json, at, open + 1 - at);
        std::string_view value = json.substr(open + 1, close - open - 1);
        const std::size_t colon = value.rfind(':');
        std::string_view file = colon == std::string_view::npos ? value : value.substr(0, colon);
        const std::string* best = nullptr;
        for (const std::string& n : names)
            if ((file == n || (file.size() > n.size() && file.ends_with(n) && file[file.size() - n.size() - 1] == '/')) &&
                (!best || n.size() > best->size()))
                best = &n;
        if (best) {
            out += *best;
            out.append(value.substr(file.size()));
        } else {
            out.append(value);
        }
        out += '"';
        at = close + 1;
    }
    out.append(json.substr(at));
    return out;
}

// A stored batch result under a quota: its outcome's `quota` ("优秀: 15% of 40 = 6, …"), `rank`
// and whether it was lowered (`"by":"quota"`) say where the person stood in the unit's
// population, which one record cannot re-check. They are taken as given and applied to the
// record's fresh outcome as the batch applied them (the grade, and the coefficients by it), so
// everything else is compared. Returns the words for what was taken, "" when the stored result
// has no quota place, or the difference when the fresh grade before the quota cannot have led
// to it (`mismatch` set).
std::string apply_stored_quota(const ir::Program& p, const Fields& stored, eval::Outcome& o, bool& mismatch) {
    mismatch = false;
    const std::string* outcome = find(stored, "outcome");
    if (!outcome) return {};
    const std::optional<Fields> f = fields_of(*outcome);
    if (!f) return {};
    const std::string* quota = find(*f, "quota");
    const std::string* rank = find(*f, "rank");
    if (!quota || !rank || quota->size() < 2) return {};
    const std::string text = quota->substr(1, quota->size() - 2);  // a grade name or number holds no escapes
    const std::size_t colon = text.find(": ");
    const std::size_t of = text.find("% of ");
    if (colon == std::string::npos || of == std::string::npos) return {};
    const std::string band_name = text.substr(0, colon);
    std::size_t people = 0, place = 0;
    try {
        people = std::stoul(text.substr(of + 5));
        place = std::stoul(*rank);
    } catch (const std::exception&) {
        return {};
    }
    const std::string* by = find(*f, "by");
    const bool missed = by && *by == "\"quota\"";
    std::size_t b = 0;
    while (b < p.grades.size() && p.grades[b].name != band_name) ++b;
    if (b + 1 >= p.grades.size() || !p.grades[b].quota) {
        mismatch = true;
        return "the quota: the result was placed by a quota on " + band_name + ", these rules have none";
    }
    // The grade before the quota: the band itself, or a better one whose quotas moved the person
    // down to it (every band between has a quota).
    std::size_t reached = p.grades.size();
    for (std::size_t g = 0; g < p.grades.size(); ++g)
        if (o.grade && p.grades[g].name == *o.grade) reached = g;
    bool leads = reached <= b;
    for (std::size_t g = reached; leads && g < b; ++g) leads = p.grades[g].quota.has_value();
    if (!leads) {
        mismatch = true;
        return "the grade before the quota: the result's quota is on " + band_name + ", these rules give " +
               (o.grade ? *o.grade : std::string("none"));
    }
    o.quota = eval::Outcome::QuotaPlace{&p.grades[b], people, api::quota_count(*p.grades[b].quota, people), place, missed};
    o.grade = &p.grades[missed ? b + 1 : b].name;
    o.coefficients = eval::coefficients(p, o.total, o.grade);
    return "the quota's outcome (" + text + ", rank " + std::to_string(place) + (missed ? ", lowered to " + *o.grade : "") +
           ") depends on the unit's population and was taken from the result, not re-checked";
}

// A number the result writes for a unit's figure: its exact fraction ("N/D", beside a figure written
// rounded) when there is one, else the figure as written.
std::optional<Number> stored_figure(const Fields& f, std::string_view key, const std::string* exact) {
    if (exact && exact->size() > 2 && exact->front() == '"') {
        const std::string text = exact->substr(1, exact->size() - 2);
        const std::size_t slash = text.find('/');
        if (slash != std::string::npos) {
            const auto num = Number::from_decimal(text.substr(0, slash));
            const auto den = Number::from_decimal(text.substr(slash + 1));
            if (num && den && !den->is_zero()) return *num / *den;
        }
    }
    const std::string* written = find(f, key);
    return written ? Number::from_decimal(*written) : std::nullopt;
}

// A stored batch result whose grade rules or flags read the person's unit (`unit_mean`,
// `unit_rank`, `unit_size`): its `population` holds the unit's figures, which one record cannot
// re-check. They are taken as given and the flags, the grade and the coefficients are decided
// again with them, as the batch decided them, so everything else is compared. A mean is taken
// exact: from `mean_total_exact` / `means_exact` when the written figure is rounded. Returns the
// words for what was taken, "" when the stored result holds no unit's figures (scored alone).
std::string apply_stored_population(const ir::Program& p, const record::Record& r, const Fields& stored, eval::Outcome& o) {
    if (!eval::reads_unit(p)) return {};
    const std::string* population = find(stored, "population");
    if (!population) return {};
    const std::optional<Fields> f = fields_of(*population);
    if (!f) return {};
    const std::string* people = find(*f, "people");
    const std::string* rank = find(*f, "rank");
    const std::optional<Number> mean = stored_figure(*f, "mean_total", find(*f, "mean_total_exact"));
    if (!people || !rank || !mean) return {};
    eval::UnitStats stats;
    try {
        stats.people = std::stoul(*people);
        stats.rank = std::stoul(*rank);
    } catch (const std::exception&) {
        return {};
    }
    stats.mean_total = *mean;
    stats.means.resize(p.measures.size());
    const std::string* means = find(*f, "means");
    const std::string* exact = find(*f, "means_exact");
    const Fields mf = means ? fields_of(*means).value_or(Fields{}) : Fields{};
    const Fields ef = exact ? fields_of(*exact).value_or(Fields{}) : Fields{};
    std::string figures;
    for (std::size_t m = 0; m < p.measures.size(); ++m)
        if (find(mf, p.measures[m].id)) {
            stats.means[m] = stored_figure(mf, p.measures[m].id, find(ef, p.measures[m].id));
            figures += ", mean " + p.measures[m].id + " " + *find(mf, p.measures[m].id);
        }
    eval::decide_in_unit(p, r, stats, o);
    const std::string* unit = find(*f, "unit");
    const std::string name = unit && unit->size() > 2 ? unit->substr(1, unit->size() - 2) + ": " : "";
    return "the unit's figures (" + name + *people + " people, rank " + *rank +
           ", mean total " + *find(*f, "mean_total") + figures +
           ") depend on the unit's population and were taken from the result, not re-checked";
}

}  // namespace

Verification Ruleset::verify(std::string_view record_json, std::string_view result_json, const Unit* unit) const {
    Verification v;
    const std::vector<std::string> names = api::relative_names(state_->program->sources);
    const std::optional<Fields> stored = fields_of(rules_relative(result_json, names));
    if (!stored) {
        v.error = RecordError{"", "the stored result is not a JSON object", "", ""};
        return v;
    }
    const Evaluation e = evaluate(record_json, unit);
    if (!e.ok()) {
        v.error = e.error();
        return v;
    }
    // The unit's figures first, as the batch decided with them before it applied the quotas.
    const Access::ResultState& fresh = Access::state(e.result());
    const std::string unit_taken =
        apply_stored_population(*fresh.program, fresh.record, *stored, Access::held_outcome(e.result()));
    bool mismatch = false;
    const std::string taken = apply_stored_quota(*fresh.program, *stored, Access::held_outcome(e.result()), mismatch);
    if (mismatch) v.differences.push_back(taken);
    v.not_checked = unit_taken;
    if (!mismatch && !taken.empty()) v.not_checked += (unit_taken.empty() ? "" : "; ") + taken;
    const Fields now = *fields_of(rules_relative(e.result().json(), names));
    v.has_receipt = find(*stored, "receipt") != nullptr;
    if (!v.has_receipt) v.differences.push_back("the result has no receipt (it was written before results carried one)");
    else
        compare_inside(*stored, now, "receipt", "the receipt's",
                       {{"ruleset", "the ruleset hash"}, {"record", "the record hash"},
                        {"policy", "the policy's name"}, {"version", "the policy's version"}},
                       v.differences);
    const std::vector<std::pair<std::string, std::string>> named = {{"id", "the id"}, {"total", "the total"},
                                                                    {"grade", "the grade"}};
    for (const auto& [key, words] : named) {
        const std::string* s = find(*stored, key);
        const std::string* n = find(now, key);
        if ((s == nullptr) != (n == nullptr) || (s && !same(*s, *n))) v.differences.push_back(words + both(s, n));
    }
    compare_inside(*stored, now, "scores", "the score of", {}, v.differences);
    auto known = [](const std::string& k) {
        return k == "receipt" || k == "id" || k == "total" || k == "grade" || k == "scores";
    };
    for (const auto& [k, val] : now) {
        if (known(k)) continue;
        const std::string* s = find(*stored, k);
        if (!s) v.differences.push_back("`" + k + "`: the result has none");
        else if (!same(*s, val)) v.differences.push_back("`" + k + "` differs");
    }
    for (const auto& [k, val] : *stored)
        if (!known(k) && !find(now, k)) v.differences.push_back("`" + k + "`: these rules give none");
    v.same = v.differences.empty();
    return v;
}

}  // namespace kaohe
