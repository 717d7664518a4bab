// Compiling with texts in memory (compile.hpp): parse::parse_file with an overlay and a cache,
// then check::check.
#include "api/compile.hpp"

#include "api/access.hpp"
#include "check/checker.hpp"
#include "parse/parser.hpp"

namespace kaohe::api {

struct CompileCache::Impl {
    parse::ParseCache parsed;
};

CompileCache::CompileCache() : impl_(std::make_unique<Impl>()) {}
CompileCache::~CompileCache() = default;

std::optional<Ruleset> compile(const std::string& path, const Overlay* overlay, CompileCache* cache,
                               std::vector<Diagnostic>& diagnostics) {
    Sources sources;
    ast::Module module =
        parse::parse_file(path, sources, diagnostics, parse::ParseOptions{overlay, cache ? &cache->impl().parsed : nullptr, {}});
    if (has_errors(diagnostics)) return std::nullopt;
    auto program = check::check(std::move(module), std::move(sources), diagnostics);
    if (!program) return std::nullopt;
    return Access::ruleset(std::shared_ptr<const ir::Program>(std::move(program)));
}

}  // namespace kaohe::api
