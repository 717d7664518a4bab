// The public C++ API (include/kaohe/kaohe.hpp) over the pipeline:
// parse → check → (per record) read → validate → evaluate → explain.
#include <fstream>

#include "api/impl.hpp"
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
        if (program) out.ruleset.emplace(std::shared_ptr<const ir::Program>(std::move(program)));
    }
    out.diagnostics = std::move(diagnostics);
    return out;
}

record::JsonReader& thread_reader() {
    thread_local record::JsonReader reader;
    return reader;
}

}  // namespace

CompileResult Ruleset::compile_file(const std::string& path) {
    Sources sources;
    std::vector<Diagnostic> diagnostics;
    ast::Module module = parse::parse_file(path, sources, diagnostics);
    return finish(std::move(module), std::move(sources), std::move(diagnostics));
}

CompileResult Ruleset::compile_file(const std::string& path, const CompileOptions& options) {
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

const std::string& Ruleset::policy_name() const { return program_->policy.name; }
int Ruleset::year() const { return program_->policy.year; }

Evaluation Ruleset::evaluate(std::string_view record_json, const Unit* unit) const {
    auto impl = std::make_shared<Result::Impl>();
    impl->program = program_;
    if (std::optional<RecordError> e = api::score_json(*program_, thread_reader(), record_json,
                                                       unit ? &unit->impl().unit : nullptr, impl->record, impl->outcome, [] {}))
        return Evaluation(std::move(*e));
    return Evaluation(Result(std::move(impl)));
}

std::optional<Unit> Ruleset::read_unit(std::string_view unit_json, RecordError* error) const {
    record::JsonReader& reader = thread_reader();
    try {
        const record::RawRecord& raw = reader.read(unit_json, true);
        auto impl = std::make_shared<Unit::Impl>();
        impl->unit = record::validate_unit(*program_, raw);
        return Unit(std::move(impl));
    } catch (const record::RecordFailure& f) {
        // The reader names the unit record's own fields ("year"); validation names its events
        // already as "unit.events[0]".
        if (error)
            *error = RecordError{"", f.what(),
                                 f.where.empty()                   ? std::string("unit")
                                 : f.where.rfind("unit.", 0) == 0 ? f.where
                                                                   : "unit." + f.where,
                                 f.code};
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

const std::string& Result::id() const { return impl_->record.id; }
const std::string& Result::name() const { return impl_->record.name; }
const std::string& Result::role() const {
    return impl_->program->roles[static_cast<std::size_t>(impl_->record.role)].id;
}
const std::string& Result::role_label() const {
    return impl_->program->roles[static_cast<std::size_t>(impl_->record.role)].label;
}
Number Result::total() const { return impl_->outcome.total; }
std::optional<std::string> Result::grade() const {
    if (!impl_->outcome.grade) return std::nullopt;
    return *impl_->outcome.grade;
}

std::optional<Number> Result::score(std::string_view path) const {
    if (path == "total") return impl_->outcome.total;
    const ir::Index n = impl_->program->find_node(impl_->record.role, path);
    if (n == ir::none) return std::nullopt;
    return impl_->outcome.scores[static_cast<std::size_t>(n)];
}

std::vector<Score> Result::scores() const {
    const ir::Program& p = *impl_->program;
    std::vector<Score> out;
    for (ir::Index n : p.roles[static_cast<std::size_t>(impl_->record.role)].nodes) {
        const ir::Node& node = p.nodes[static_cast<std::size_t>(n)];
        out.push_back(Score{node.path, node.label, node.cite, node.max, impl_->outcome.scores[static_cast<std::size_t>(n)],
                            node.unallocated, node.depth, node.clause});
    }
    return out;
}

std::vector<Line> Result::lines() const {
    std::vector<Line> out;
    for (const auto& l : impl_->outcome.lines) out.push_back(explain::line(*impl_->program, impl_->record, l));
    return out;
}

std::vector<std::string> Result::warnings() const { return impl_->record.warnings; }

std::string Result::json() const {
    std::string out;
    explain::write_json(out, *impl_->program, impl_->record, impl_->outcome);
    return out;
}

std::string Result::text() const { return explain::scorecard(*impl_->program, impl_->record, impl_->outcome); }

}  // namespace kaohe
