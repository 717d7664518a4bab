// Compiling a ruleset with some of its files' texts held in memory, for the tools that compile
// changed copies of a ruleset (mutation testing, lib/change/). Parse and check behind one call:
// the caller sees neither the AST nor the parser.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kaohe/kaohe.hpp"
#include "support/files.hpp"

namespace kaohe::api {

// The texts standing in for files (Overlay) and their keys (file_key) are support/files.hpp's.

// Files already read and parsed, reused by the next compile with it: a file is parsed again only
// when its text changed. Not thread-safe: one cache per thread.
class CompileCache {
public:
    CompileCache();
    ~CompileCache();
    CompileCache(const CompileCache&) = delete;
    CompileCache& operator=(const CompileCache&) = delete;
    struct Impl;
    Impl& impl() { return *impl_; }

private:
    std::unique_ptr<Impl> impl_;
};

// The ruleset at `path`, with `overlay`'s texts (null: none) standing in for files on disk, using
// `cache` (null: none). nullopt when it has errors; its diagnostics are appended either way.
std::optional<Ruleset> compile(const std::string& path, const Overlay* overlay, CompileCache* cache,
                               std::vector<Diagnostic>& diagnostics);

}  // namespace kaohe::api
