// The public C++ API (include/kaohe/kaohe.hpp) over the pipeline:
// parse → check → (per record) read → validate → evaluate → explain.
#include <filesystem>
#include <fstream>

#include "api/access.hpp"
#include "api/score.hpp"
#include "check/checker.hpp"
#include "eval/evaluate.hpp"
#include "explain/explain.hpp"
#include "kaohe/kaohe.hpp"
#include "parse/parser.hpp"
#include "record/record.hpp"

namespace kaohe {

const char* version() { return "0.1.0"; }

namespace {

CompileResult finish(ast::Module module, Sources sources, std::vector<Diagnostic> diagnostics) {
    CompileResult out;
    if (!has_errors(diagnostics)) {
        auto program = check::check(std::move(module), std::move(sources), diagnostics);
        if (program) out.ruleset.emplace(Access::ruleset(std::shared_ptr<const ir::Program>(std::move(program))));
    }
    out.diagnostics = std::move(diagnostics);
    return out;
}

// A ruleset of versions (api/versions.hpp): the latest version answers for the whole, each record
// is scored by its year's.
CompileResult finish_versions(const std::string& manifest, const CompileOptions& options) {
    CompileResult out;
    std::vector<api::Version> versions = api::compile_versions(manifest, options, out.diagnostics);
    if (!versions.empty() && !has_errors(out.diagnostics)) {
        for (api::Version& v : versions) v.fingerprint = api::fingerprint(v.program->sources);
        Ruleset latest = Access::ruleset(versions.back().program);
        Access::versions(latest) = std::move(versions);
        out.ruleset.emplace(std::move(latest));
    }
    return out;
}

// The manifest `path` names, when it is one and lies inside `confine_to` (when given): one
// outside is left to the parser, which refuses it.
std::optional<std::string> manifest_of(const std::string& path, const std::string& confine_to) {
    std::optional<std::string> manifest = api::versions_manifest(path);
    if (!manifest || confine_to.empty()) return manifest;
    std::error_code ec;
    const auto dir = std::filesystem::canonical(confine_to, ec);
    if (ec) return std::nullopt;
    const auto file = std::filesystem::canonical(*manifest, ec);
    if (ec) return std::nullopt;
    const auto rel = file.lexically_relative(dir);
    if (rel.empty() || *rel.begin() == "..") return std::nullopt;
    return manifest;
}

record::JsonReader& thread_reader() {
    thread_local record::JsonReader reader;
    return reader;
}

}  // namespace

CompileResult Ruleset::compile_file(const std::string& path) {
    if (std::optional<std::string> manifest = manifest_of(path, "")) return finish_versions(*manifest, {});
    Sources sources;
    std::vector<Diagnostic> diagnostics;
    ast::Module module = parse::parse_file(path, sources, diagnostics);
    return finish(std::move(module), std::move(sources), std::move(diagnostics));
}

CompileResult Ruleset::compile_file(const std::string& path, const CompileOptions& options) {
    if (std::optional<std::string> manifest = manifest_of(path, options.confine_to)) return finish_versions(*manifest, options);
    Sources sources;
    std::vector<Diagnostic> diagnostics;
    parse::ParseOptions parse_options;
    parse_options.confine_to = options.confine_to;
    ast::Module module = parse::parse_file(path, sources, diagnostics, parse_options);
    return finish(std::move(module), std::move(sources), std::move(diagnostics));
}

CompileResult Ruleset::compile_text(std::string text, std::string name) {
    Sources sources;
    std::vector<Diagnostic> diagnostics;
    ast::Module module = parse::parse_text(std::move(name), std::move(text), sources, diagnostics);
    return finish(std::move(module), std::move(sources), std::move(diagnostics));
}

const std::string& Ruleset::policy_name() const { return state_->program->policy.name; }
const std::string& Ruleset::policy_version() const { return state_->program->policy.version; }
const std::string& Ruleset::fingerprint() const { return state_->fingerprint; }
int Ruleset::year() const { return state_->program->policy.year; }

std::string Ruleset::format(const Number& n) const {
    const ir::Policy& policy = state_->program->policy;
    return n.to_string(policy.round_places, policy.rounding);
}

std::size_t Ruleset::source_bytes() const {
    const Sources& sources = state_->program->sources;
    std::size_t n = 0;
    for (std::uint32_t f = 0; f < sources.size(); ++f) n += sources.text(f).size();
    return n;
}

std::vector<Ruleset::Version> Ruleset::versions() const {
    std::vector<Version> out;
    for (const api::Version& v : state_->versions) out.push_back({v.label, v.year});
    return out;
}

std::optional<Ruleset> Ruleset::for_year(int year) const {
    if (state_->versions.empty()) return state_->program->policy.year == year ? std::optional<Ruleset>(*this) : std::nullopt;
    for (const api::Version& v : state_->versions)
        if (v.year == year) return Access::ruleset(v.program);
    return std::nullopt;
}

Evaluation Ruleset::evaluate(std::string_view record_json, const Unit* unit) const {
    if (!state_->versions.empty()) return evaluate_version(record_json, unit);
    const ir::Program& p = *state_->program;
    auto result = std::make_shared<Access::ResultState>();
    result->program = state_->program;
    if (std::optional<RecordError> e = api::score_json(p, thread_reader(), record_json, unit ? &Access::unit(*unit) : nullptr,
                                                       result->record, result->outcome,
                                                       [&](const record::RawRecord& raw) { result->record_hash = api::record_hash(raw); }))
        return Evaluation(std::move(*e));
    result->fingerprint = state_->fingerprint;
    return Evaluation(Access::result(std::move(result)));
}

// A record scored by the version for its year: read once, the version chosen by the year as
// written, then validated and scored by that version as by a ruleset of one.
Evaluation Ruleset::evaluate_version(std::string_view record_json, const Unit* unit) const {
    record::JsonReader& reader = thread_reader();
    const record::RawRecord* raw = nullptr;
    const api::Version* version = nullptr;
    try {
        raw = &reader.read(record_json);
        version = api::version_for(state_->versions, *raw);
    } catch (const record::RecordFailure& f) {
        return Evaluation(RecordError{std::string(reader.last_id()), f.message, f.where, diag::name(f.code)});
    }
    const std::shared_ptr<const ir::Program>& program = version ? version->program : state_->program;
    const record::Unit* unit_record = unit ? &Access::unit(*unit) : nullptr;
    if (unit && Access::unit_program(*unit) != program.get())
        return Evaluation(RecordError{std::string(reader.last_id()),
                                      "the unit record is for " + std::to_string(unit_record->year) + ", the record for " +
                                          (version ? std::to_string(version->year) : raw->year ? raw->year->to_string() : "no year"),
                                      "year", diag::name(diag::Code::R007)});
    auto result = std::make_shared<Access::ResultState>();
    result->program = program;
    std::optional<RecordError> e = api::score(
        *program,
        [&](const record::Unit*& u) -> const record::RawRecord& {
            u = unit_record;
            return *raw;
        },
        result->record, result->outcome, [] {});
    if (e) {
        e->id = reader.last_id();
        return Evaluation(std::move(*e));
    }
    result->fingerprint = version ? version->fingerprint : state_->fingerprint;
    result->record_hash = api::record_hash(*raw);
    return Evaluation(Access::result(std::move(result)));
}

std::optional<Unit> Ruleset::read_unit(std::string_view unit_json, RecordError* error) const {
    record::JsonReader& reader = thread_reader();
    try {
        const record::RawRecord& raw = reader.read(unit_json, true);
        auto state = std::make_shared<Access::UnitState>();
        const api::Version* version = state_->versions.empty() ? nullptr : api::version_for(state_->versions, raw);
        state->program = version ? version->program.get() : state_->program.get();
        state->unit = record::validate_unit(*state->program, raw);
        return Access::unit(std::move(state));
    } catch (const record::RecordFailure& f) {
        // The reader names the unit record's own fields ("year"); validation names its events
        // already as "unit.events[0]".
        if (error)
            *error = RecordError{"", f.message,
                                 f.where.empty()                   ? std::string("unit")
                                 : f.where.rfind("unit.", 0) == 0 ? f.where
                                                                   : "unit." + f.where,
                                 diag::name(f.code)};
        return std::nullopt;
    }
}

std::string Evaluation::json() const {
    if (ok()) return result_->json();
    std::string out;
    explain::write_error_json(out, error_);
    return out;
}

// ---- Result

const std::string& Result::id() const { return state_->record.id; }
const std::string& Result::name() const { return state_->record.name; }
const std::string& Result::role() const {
    return state_->program->role(state_->record.role).id;
}
const std::string& Result::role_label() const {
    return state_->program->role(state_->record.role).label;
}
Number Result::total() const { return state_->outcome.total; }
std::optional<std::string> Result::grade() const {
    if (!state_->outcome.grade) return std::nullopt;
    return *state_->outcome.grade;
}

std::optional<Outcome> Result::outcome() const {
    return explain::outcome(*state_->program, state_->record, state_->outcome);
}

std::optional<Number> Result::score(std::string_view path) const {
    if (path == "total") return state_->outcome.total;
    const ir::NodeId n = state_->program->find_node(state_->record.role, path);
    if (n == ir::none) return std::nullopt;
    return state_->outcome.scores[n];
}

std::optional<std::string> Result::reported(std::string_view path) const {
    const std::optional<Number> v = score(path);
    if (!v) return std::nullopt;
    return explain::reported(*state_->program, *v);
}

std::optional<Number> Result::exact(std::string_view path) const {
    for (auto& [at, v] : explain::exact_figures(*state_->program, state_->record, state_->outcome))
        if (at == path) return v;
    return std::nullopt;
}

std::optional<Number> Result::period_score(std::string_view path, std::string_view period) const {
    const ir::Program& p = *state_->program;
    const ir::NodeId n = p.find_node(state_->record.role, path);
    if (n == ir::none) return std::nullopt;
    std::string why;
    const std::optional<ir::Period> at = ir::parse_period(period, state_->record.year, why);
    if (!at) return std::nullopt;
    for (const eval::PeriodCard& card : state_->outcome.periods) {
        if (p.node(card.section).period != at->kind) continue;
        for (const auto& [node, score] : card.scores[static_cast<std::size_t>(at->index - 1)])
            if (node == n) return score;
    }
    return std::nullopt;
}

std::vector<Score> Result::scores() const {
    const ir::Program& p = *state_->program;
    std::vector<Score> out;
    for (ir::NodeId n : p.role(state_->record.role).nodes) {
        const ir::Node& node = p.node(n);
        const Number& score = state_->outcome.scores[n];
        Score s{node.path, node.label, node.cite, node.year_max(), score, node.unallocated, node.depth, node.clause};
        if (node.weight) {
            s.weight = *node.weight;
            s.contributes = node.contribution(score);
        }
        out.push_back(std::move(s));
    }
    return out;
}

std::vector<Line> Result::lines() const {
    std::vector<Line> out;
    for (const auto& l : state_->outcome.lines) out.push_back(explain::line(*state_->program, state_->record, l));
    return out;
}

std::vector<std::string> Result::warnings() const { return state_->record.warnings; }
const std::string& Result::ruleset_hash() const { return state_->fingerprint; }
const std::string& Result::record_hash() const { return state_->record_hash; }
std::vector<Flag> Result::flags() const {
    std::vector<Flag> out;
    const ir::Program& p = *state_->program;
    for (std::size_t f : state_->outcome.flags)
        out.push_back({p.flags[f].id, p.flags[f].label, p.flags[f].cite, p.flags[f].where,
                       explain::flag_why(p, state_->record, f, &state_->outcome)});
    return out;
}

std::vector<Coefficient> Result::coefficients() const {
    std::vector<Coefficient> out;
    const ir::Program& p = *state_->program;
    for (const eval::CoefficientAt& at : state_->outcome.coefficients) {
        const ir::Coefficient& c = p.coefficients[at.coefficient];
        const ir::CoefficientEntry& e = c.entries[at.entry];
        out.push_back({c.id, c.label, e.value, c.by_grade ? "grade" : "total", explain::coefficient_why(p, state_->outcome, at), c.cite,
                       e.where, explain::coefficient_before_quota(p, state_->outcome, at) ? "before" : ""});
    }
    return out;
}

const std::string& Result::version() const { return state_->program->policy.version; }

std::string Result::json() const {
    std::string out;
    const explain::Receipt receipt{state_->fingerprint, state_->record_hash};
    explain::write_json(out, *state_->program, state_->record, state_->outcome, receipt.ruleset.empty() ? nullptr : &receipt);
    return out;
}

std::string Result::text() const { return explain::scorecard(*state_->program, state_->record, state_->outcome); }

}  // namespace kaohe
