// Running tests written in the language. A test block becomes a RawRecord (and a unit record),
// which goes through the same validation and evaluation as a JSON record, so a test can expect
// exactly the errors a real record would get.
#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <fstream>
#include <sstream>

#include "api/access.hpp"
#include "api/population.hpp"
#include "api/quota.hpp"
#include "api/score.hpp"
#include "support/files.hpp"
#include "support/text.hpp"
#include "eval/evaluate.hpp"
#include "eval/expressions.hpp"
#include "explain/explain.hpp"
#include "ir/program.hpp"
#include "kaohe/testing.hpp"
#include "record/record.hpp"
#include "testing/observation.hpp"

namespace kaohe {

int TestReport::passed() const {
    return static_cast<int>(std::count_if(tests.begin(), tests.end(), [](const TestOutcome& t) { return t.passed; }));
}
int TestReport::failed() const { return static_cast<int>(tests.size()) - passed(); }

std::string TestOutcome::text() const {
    if (passed) return "";
    std::string out = terminal_text(where.file) + ":" + std::to_string(where.line) + ":" + std::to_string(where.column) +
                      ": FAIL: test \"" + terminal_text(name) + "\"\n";
    for (const auto& why : failures) out += "    " + terminal_text(why) + "\n";
    out += "  actual result:\n";
    // Kept as it is: the scorecard already shows its input as terminal_text does.
    for (std::size_t start = 0; start < explanation.size();) {
        std::size_t end = explanation.find('\n', start);
        if (end == std::string::npos) end = explanation.size();
        out += "    " + explanation.substr(start, end - start) + "\n";
        start = end + 1;
    }
    return out;
}

std::string TestOutcome::json() const {
    std::string out = "{\"file\":" + json_quote(where.file) + ",\"line\":" + std::to_string(where.line) +
                      ",\"column\":" + std::to_string(where.column) + ",\"test\":" + json_quote(name) + ",\"failures\":[";
    for (std::size_t i = 0; i < failures.size(); ++i) out += (i ? "," : "") + json_quote(failures[i]);
    return out + "]}";
}

std::string TestReport::text() const {
    if (!ok()) return terminal_text(file) + ": FAIL: " + error + ", so none of its tests ran\n";
    std::string out;
    for (const auto& t : tests) out += t.text();
    return out + std::to_string(passed()) + " passed, " + std::to_string(failed()) + " failed\n";
}

std::string TestReport::json() const {
    if (!ok()) return "{\"file\":" + json_quote(file) + ",\"error\":" + json_quote(error) + "}";
    std::string out = "{\"passed\":" + std::to_string(passed()) + ",\"failed\":" + std::to_string(failed()) + ",\"failures\":[";
    bool first = true;
    for (const auto& t : tests) {
        if (t.passed) continue;
        out += (first ? "" : ",") + t.json();
        first = false;
    }
    return out + "]}";
}

namespace {

void add_events(std::vector<record::RawEvent>& out, const std::vector<ir::TestEvent>& events) {
    for (const auto& e : events) {
        record::RawEvent raw;
        raw.type = e.type.text;
        if (e.amount) raw.amount = e.amount->value;
        if (e.count) raw.count = e.count->value;
        if (e.date) raw.date = std::string_view(e.date->value);
        if (e.note) raw.note = std::string_view(e.note->value);
        for (const auto& a : e.attributes) raw.attributes.emplace_back(a.name.text, a.value.text);
        out.push_back(std::move(raw));
    }
}

std::string read_text(const std::string& path) {
    FileText f = read_file(path, kMaxRecordBytes);
    if (f.status == FileText::Status::too_large)
        throw record::RecordFailure(diag::Code::R008, "record file " + path + " is larger than " + std::to_string(kMaxRecordBytes) +
                                                " bytes (the limit for a record)", "record");
    if (f.status != FileText::Status::ok) throw record::RecordFailure(diag::Code::R004, cannot_read("record file", path, f), "record");
    return std::move(f.text);
}

// How an expected value is written in a test: exact decimal text, an exact fraction (`10/3`) when
// it has no finite decimal form, or "" when even that does not fit in 64-bit integers.
std::string literal(const Number& n) {
    if (n.has_finite_decimal()) return n.to_string();
    std::int64_t num = 0, den = 1;
    if (!n.small(num, den)) return "";
    return std::to_string(num) + "/" + std::to_string(den);
}

std::string quoted_text(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\', out += c;
        else if (c == '\n') out += "\\n";
        else if (c == '\t') out += "\\t";
        else out += c;
    }
    return out + "\"";
}


// Where in the test block the field a record error names was written: "events[2].amount" is
// that event's amount. Fields that came from a record file (listed first, `from_file` of them)
// or that the block does not write (a missing measure) have no place: nullopt.
struct FromFile {
    std::size_t groups = 0, events = 0;
};

std::optional<std::size_t> index_after(std::string_view& where, std::string_view prefix) {
    if (!where.starts_with(prefix)) return std::nullopt;
    where.remove_prefix(prefix.size());
    std::size_t i = 0, digits = 0;
    while (digits < where.size() && where[digits] >= '0' && where[digits] <= '9' && digits < 9)
        i = i * 10 + static_cast<std::size_t>(where[digits++] - '0');
    if (digits == 0 || digits >= where.size() || where[digits] != ']') return std::nullopt;
    where.remove_prefix(digits + 1);
    return i;
}

std::optional<Span> written_at(const ir::Test& t, std::string_view where, FromFile from_file) {
    if (where == "role" && t.role) return t.role->span;
    if (where == "year" && t.year) return t.year->span;
    if (where == "id" && t.id) return t.id->span;
    if (auto i = index_after(where, "groups["); i && *i >= from_file.groups && *i - from_file.groups < t.groups.size())
        return t.groups[*i - from_file.groups].span;
    if (where.starts_with("facts.")) {
        for (const auto& f : t.facts)
            if (f.name.text == where.substr(6)) return f.value.span;
        return std::nullopt;
    }
    if (where.starts_with("ratings.")) {
        for (const auto& r : t.ratings)
            if (r.name.text == where.substr(8)) return r.name.span;
        for (const auto& v : t.votes)
            if (v.name.text == where.substr(8, v.name.text.size()) &&
                (where.size() == 8 + v.name.text.size() || where[8 + v.name.text.size()] == '.'))
                return v.name.span;
        return std::nullopt;
    }
    if (where.starts_with("measures.")) {
        for (const auto& m : t.measures)
            if (m.name.text == where.substr(9)) return m.value.span;
        return std::nullopt;
    }
    const ir::TestEvent* e = nullptr;
    std::string_view rest = where;
    if (auto i = index_after(rest, "events["); i && *i >= from_file.events && *i - from_file.events < t.events.size())
        e = &t.events[*i - from_file.events];
    if (!e) {
        rest = where;
        if (auto u = index_after(rest, "unit.events["); u && *u < t.unit_events.size()) e = &t.unit_events[*u];
    }
    if (!e) return std::nullopt;
    if (rest == ".amount" && e->amount) return e->amount->span;
    if (rest == ".count" && e->count) return e->count->span;
    if (rest == ".date" && e->date) return e->date->span;
    if (rest == ".note" && e->note) return e->note->span;
    if (rest == ".type" || rest == ".amount") return e->type.span;  // an amount missing: the event
    for (const auto& a : e->attributes)
        if (rest.size() > 1 && a.name.text == rest.substr(1)) return a.value.span;
    return e->span;
}

Mismatch mismatch(const ir::Program& p, const ir::Expectation& x, Span value, std::string actual) {
    Mismatch m;
    m.where = p.sources.locate(x.span);
    m.begin = value.begin;
    m.end = value.end;
    m.expected_text = std::string(p.sources.slice(value));
    m.expectation = one_line(p.sources.slice(x.span));
    m.actual = std::move(actual);
    return m;
}

// A test's record, scored: what the expectations are checked against. Held in place (the raw
// record points into the file text), so that a population's tests can all be scored before any
// is checked.
struct Scoring {
    std::optional<record::Record> rec;
    eval::Outcome outcome;
    std::string error, error_where;
    std::optional<record::JsonReader> reader;  // only for a test that names a record file
    std::string file_text;
    record::RawRecord raw;
    std::optional<record::RawRecord> raw_unit;
    std::optional<record::Unit> unit;
    bool raw_read = false;
    FromFile from_file;
};

void score_test(const ir::Program& p, const ir::Test& t, Scoring& s) {
    const std::string id = t.id ? t.id->value : t.name.value;
    // Plain references, not a structured binding: clang 14 cannot capture those in the lambda below.
    auto& rec = s.rec;
    auto& outcome = s.outcome;
    auto& error = s.error;
    auto& error_where = s.error_where;
    auto& reader = s.reader;
    auto& file_text = s.file_text;
    auto& raw = s.raw;
    auto& raw_unit = s.raw_unit;
    auto& unit = s.unit;
    auto& raw_read = s.raw_read;
    auto& from_file = s.from_file;
    // The record as the test block writes it (over its record file's, if it names one), then
    // the one per-record pipeline, so a test gets exactly the errors a JSON record would.
    const auto read = [&](const record::Unit*& u) -> const record::RawRecord& {
        if (t.record_file) {
            const std::filesystem::path base = std::filesystem::path(p.sources.name(t.span.file)).parent_path();
            file_text = read_text((base / t.record_file->value).string());
            reader.emplace();
            raw = reader->read(file_text);
        } else {
            raw.has_id = true;
            raw.id = id;
            raw.has_year = true;
            raw.year = Number(p.policy.year);
        }
        from_file = {raw.groups.size(), raw.events.size()};
        if (t.role) raw.has_role = true, raw.role = t.role->text;
        if (t.year) raw.year = t.year->value;
        for (const auto& g : t.groups) raw.groups.push_back(g.text);
        for (const auto& m : t.measures) raw.measures.emplace_back(m.name.text, m.value.value);
        for (const auto& f : t.facts) raw.facts.emplace_back(f.name.text, record::RawFact{f.value.value, false});
        for (const auto& r : t.ratings) {
            std::vector<record::RawMark> marks;
            for (const auto& m : r.marks) marks.push_back(m.number ? record::RawMark{m.number->value, {}} : record::RawMark{std::nullopt, m.label.value});
            raw.ratings.emplace_back(r.name.text, std::move(marks));
        }
        for (const auto& v : t.votes) {
            std::vector<std::pair<std::string_view, Number>> counts;
            for (const auto& [grade, n] : v.counts) counts.emplace_back(grade.value, n.value);
            raw.votes.emplace_back(v.name.text, std::move(counts));
        }
        add_events(raw.events, t.events);
        for (const auto& tp : t.periods) {
            record::RawPeriod period;
            for (const auto& m : tp.measures) period.measures.emplace_back(m.name.text, m.value.value);
            for (const auto& r : tp.ratings) {
                std::vector<record::RawMark> marks;
                for (const auto& m : r.marks) marks.push_back(m.number ? record::RawMark{m.number->value, {}} : record::RawMark{std::nullopt, m.label.value});
                period.ratings.emplace_back(r.name.text, std::move(marks));
            }
            for (const auto& v : tp.votes) {
                std::vector<std::pair<std::string_view, Number>> counts;
                for (const auto& [grade, n] : v.counts) counts.emplace_back(grade.value, n.value);
                period.votes.emplace_back(v.name.text, std::move(counts));
            }
            raw.periods.emplace_back(tp.period.value, std::move(period));
        }
        raw_read = true;

        if (!t.unit_events.empty()) {
            record::RawRecord& ru = raw_unit.emplace();
            ru.is_unit = true;
            ru.has_year = true;
            ru.year = raw.year;
            add_events(ru.events, t.unit_events);
            u = &unit.emplace(record::validate_unit(p, ru));
        }
        return raw;
    };
    if (std::optional<RecordError> e = api::score(p, read, rec.emplace(), outcome, [] {})) {
        // An overflow of the total (R009 at "total") names no field of the test: its message alone.
        const bool field = !e->where.empty() && !(e->code == diag::name(diag::Code::R009) && e->where == "total");
        error = e->message + (field ? " (at " + e->where + ")" : "");
        if (field) error_where = e->where;
    }
    if (!error.empty()) rec.reset();
}

// Checks a scored test's expectations.
TestOutcome check_test(const ir::Program& p, const ir::Test& t, std::size_t index, Scoring& s,
                       const std::function<void(const testing::TestObservation&)>& observe) {
    TestOutcome out;
    out.index = index;
    out.name = t.name.value;
    out.where = p.sources.locate(t.span);
    // Plain references, not a structured binding: clang 14 cannot capture those in lambdas.
    auto& rec = s.rec;
    auto& outcome = s.outcome;
    auto& error = s.error;
    auto& error_where = s.error_where;
    auto& raw = s.raw;
    auto& raw_unit = s.raw_unit;
    auto& raw_read = s.raw_read;
    auto& from_file = s.from_file;
    // A rejection is shown where the test block wrote what caused it.
    std::string error_place;
    if (!error.empty())
        if (auto at = written_at(t, error_where, from_file)) {
            const Location l = p.sources.locate(*at);
            error_place = l.file + ":" + std::to_string(l.line) + ":" + std::to_string(l.column) + ": ";
        }

    bool expected_error = false;
    for (const auto& x : t.expectations) {
        const std::string line = std::string(p.sources.slice(x.span));
        if (x.kind == ir::Expectation::Kind::error) {
            expected_error = true;
            if (error.empty()) out.failures.push_back(line + ": the record was scored without error");
            else if (error.find(x.text.value) == std::string::npos)
                out.failures.push_back(error_place + line + ": the error was: " + error);
            continue;
        }
        if (!error.empty()) continue;  // reported once below
        if (x.kind == ir::Expectation::Kind::warning) {
            const bool found = std::any_of(rec->warnings.begin(), rec->warnings.end(), [&](const std::string& w) {
                return w.find(x.text.value) != std::string::npos;
            });
            if (!found) out.failures.push_back(line + ": no such warning" + (rec->warnings.empty() ? " (none)" : ": " + rec->warnings.front()));
            continue;
        }
        if (x.kind == ir::Expectation::Kind::veto) {
            if (x.path.empty() ? outcome.veto != nullptr : !outcome.veto || p.event(outcome.veto->event).id != x.path)
                out.failures.push_back(line + ": " + (outcome.veto ? "the veto on " + p.event(outcome.veto->event).id + " decided"
                                                                   : std::string("no veto decided the outcome")));
            continue;
        }
        if (x.kind == ir::Expectation::Kind::flag || x.kind == ir::Expectation::Kind::no_flag) {
            const bool raised = std::any_of(outcome.flags.begin(), outcome.flags.end(),
                                            [&](std::size_t f) { return p.flags[f].id == x.path; });
            if (raised != (x.kind == ir::Expectation::Kind::flag)) {
                std::string all;
                for (std::size_t f : outcome.flags) all += (all.empty() ? "" : ", ") + p.flags[f].id;
                out.failures.push_back(line + (raised ? ": the flag is raised" : ": the flag is not raised") +
                                       " (raised: " + (all.empty() ? "none" : all) + ")");
            }
            continue;
        }
        if (x.kind == ir::Expectation::Kind::rank) {
            // `expect rank = 1`: the place among those in the population reaching a grade with a quota.
            if (!outcome.quota) {
                out.failures.push_back(line + ": no rank: " +
                                       (outcome.grade ? "the grade " + *outcome.grade + " has no quota" : std::string("no grade")) +
                                       (t.population ? "" : " (a test scored alone is ranked among nobody)"));
                continue;
            }
            const Number actual(static_cast<std::int64_t>(outcome.quota->rank));
            if (!(actual == x.value.value)) {
                out.failures.push_back(line + ": actual rank " + actual.to_string() + " among " + outcome.quota->band->name +
                                       " (" + std::to_string(outcome.quota->people) + " people)");
                out.mismatches.push_back(mismatch(p, x, x.value.span, actual.to_string()));
            }
            continue;
        }
        if (x.kind == ir::Expectation::Kind::grade) {
            const std::string actual = outcome.grade ? *outcome.grade : "(no grade)";
            if (actual != x.text.value) {
                out.failures.push_back(line + ": actual grade " + actual);
                out.mismatches.push_back(mismatch(p, x, x.text.span, outcome.grade ? quoted_text(*outcome.grade) : ""));
            }
            continue;
        }
        if (x.kind == ir::Expectation::Kind::coefficient) {
            // `expect coefficient pay_factor = 1.2`: from the final grade or the total, exactly.
            const auto at = std::find_if(outcome.coefficients.begin(), outcome.coefficients.end(),
                                         [&](const eval::CoefficientAt& c) { return p.coefficients[c.coefficient].id == x.path; });
            if (at == outcome.coefficients.end()) {
                out.failures.push_back(line + ": coefficient `" + x.path + "` has no value for this record");
                continue;
            }
            const Number& value = p.coefficients[at->coefficient].entries[at->entry].value;
            if (!(value == x.value.value)) {
                out.failures.push_back(line + ": actual " + value.to_string() + " (" + explain::coefficient_why(p, outcome, *at) + ")");
                out.mismatches.push_back(mismatch(p, x, x.value.span, value.to_string()));
            }
            continue;
        }
        std::optional<Number> actual;
        if (x.period) {
            // `expect quarterly.tasks in 2022-Q1 = 58`: the part's score in that period.
            const ir::NodeId n = p.find_node(rec->role, x.path);
            std::string why;
            const std::optional<ir::Period> at = ir::parse_period(x.period->value, rec->year, why);
            for (const eval::PeriodCard& card : outcome.periods)
                if (at && n != ir::none && p.node(card.section).period == at->kind)
                    for (const auto& [node, score] : card.scores[static_cast<std::size_t>(at->index - 1)])
                        if (node == n) actual = score;
            if (!actual) {
                out.failures.push_back(line + ": " + p.card_of(rec->role) + " has no part `" + x.path + "` scored in " +
                                       x.period->value);
                continue;
            }
        } else if (x.named != ir::none) {
            // A named value, computed for this record even when no rule that applied needed it.
            try {
                actual = eval::Expressions(p, *rec).named(x.named);
            } catch (const record::RecordFailure& f) {
                out.failures.push_back(line + ": value `" + x.path + "` cannot be computed: " + f.what());
                continue;
            }
        } else if (x.path == "total") actual = outcome.total;
        else if (const ir::NodeId n = x.node != ir::none && t.role && rec->role == t.role->index ? x.node
                                                                                               : p.find_node(rec->role, x.path);
                 n != ir::none)
            actual = outcome.scores[n];
        if (!actual) {
            out.failures.push_back(line + ": " + p.card_of(rec->role) + " has no clause or section `" + x.path + "`");
        } else if (x.rounded) {
            // Compared as the result shows it; the exact value too, so no figure hides it.
            const Number shown = actual->round(p.policy.round_places, p.policy.rounding);
            if (!(shown == x.value.value)) {
                std::string says = line + ": actual " + shown.to_string() + " as rounded";
                if (!(shown == *actual)) says += " (exactly " + (literal(*actual).empty() ? std::string("not a 64-bit fraction") : literal(*actual)) + ")";
                out.failures.push_back(std::move(says));
                out.mismatches.push_back(mismatch(p, x, x.value.span, shown.to_string()));
            }
        } else if (!(*actual == x.value.value)) {
            // The exact value, never a rounded figure that looks equal to the one expected.
            const std::string exact = literal(*actual);
            std::string says = line + ": actual ";
            if (actual->has_finite_decimal()) says += exact;
            else
                says += (exact.empty() ? std::string("a fraction too large to write") : exact) + " (" +
                        actual->to_string(p.policy.round_places, p.policy.rounding) + " as rounded)";
            out.failures.push_back(std::move(says));
            out.mismatches.push_back(mismatch(p, x, x.value.span, exact));
        }
    }
    if (!error.empty() && !expected_error) out.failures.push_back(error_place + "the record was rejected: " + error);
    if (t.expectations.empty()) out.failures.push_back("the test expects nothing: add `expect ...`");
    out.passed = out.failures.empty();
    if (!out.passed) out.explanation = rec && error.empty() ? explain::scorecard(p, *rec, outcome) : error;
    if (observe) {
        testing::TestObservation o{index, t, out, raw_read ? &raw : nullptr, raw_unit ? &*raw_unit : nullptr,
                                  rec ? &*rec : nullptr, rec ? &outcome : nullptr, error, error_where};
        observe(o);
    }
    return out;
}

// The tests of a population, scored together and the quotas applied, each checked when its turn comes.
class Populations {
public:
    explicit Populations(const ir::Program& p) : p_(p) {}

    // The scoring of test `i`, which is in a population: the whole population's on first call.
    Scoring& scoring(std::size_t i) {
        const ir::Test& t = p_.tests[i];
        const Key key{t.population->span.file, t.population->span.begin};
        auto [it, fresh] = scored_.try_emplace(key);
        if (fresh) {
            std::vector<api::Scored> unit;
            for (std::size_t j = 0; j < p_.tests.size(); ++j) {
                const auto& pop = p_.tests[j].population;
                if (!pop || Key{pop->span.file, pop->span.begin} != key) continue;
                auto& s = *it->second.emplace(j, std::make_unique<Scoring>()).first->second;
                score_test(p_, p_.tests[j], s);
                if (s.error.empty()) unit.push_back(api::Scored{&s.outcome, &*s.rec});
            }
            api::apply_units(p_, unit);
            api::apply_quotas(p_, unit);
        }
        return *it->second.at(i);
    }

private:
    using Key = std::pair<std::uint32_t, std::uint32_t>;  // the population's name, where written
    const ir::Program& p_;
    std::map<Key, std::map<std::size_t, std::unique_ptr<Scoring>>> scored_;
};

TestOutcome run_one(const ir::Program& p, std::size_t index, Populations& populations,
                    const std::function<void(const testing::TestObservation&)>& observe) {
    const ir::Test& t = p.tests[index];
    if (t.population) return check_test(p, t, index, populations.scoring(index), observe);
    Scoring s;
    score_test(p, t, s);
    return check_test(p, t, index, s, observe);
}

}  // namespace

TestReport run_tests(const Ruleset& ruleset) { return run_tests(ruleset, TestOptions{}); }

TestReport run_tests(const Ruleset& ruleset, const TestOptions& options) {
    return testing::run_observed(ruleset, options, nullptr);
}

TestReport testing::run_observed(const Ruleset& ruleset, const TestOptions& options,
                                 const std::function<void(const TestObservation&)>& observe) {
    TestReport report;
    const ir::Program& p = Access::program(ruleset);
    Populations populations(p);
    auto run = [&](std::size_t i) {
        report.tests.push_back(run_one(p, i, populations, observe));
        return report.tests.back().passed || !options.stop_at_first_failure;
    };
    if (options.only.empty()) {
        for (std::size_t i = 0; i < p.tests.size(); ++i)
            if (!run(i)) break;
    } else {
        for (std::size_t i : options.only)
            if (i < p.tests.size() && !run(i)) break;
    }
    return report;
}

TestReport run_tests(const std::string& path) {
    CompileResult c = Ruleset::compile_file(path);
    TestReport report;
    if (c.ruleset) report = run_tests(*c.ruleset);  // a ruleset is only made without errors
    else report.error = "the file does not compile";
    report.file = path;
    report.diagnostics = std::move(c.diagnostics);
    return report;
}

std::vector<std::string> find_test_files(const std::string& dir) {
    std::vector<std::string> out;
    std::error_code ec;
    for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (it->is_regular_file() && name.size() > 8 && name.ends_with(".test.kh")) out.push_back(it->path().string());
    }
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace kaohe
