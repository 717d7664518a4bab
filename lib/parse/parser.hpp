// Parsing: rule files → ast::Module. Reads the root file and, depth first, every file it
// includes (paths relative to the including file). A file reached twice is read once; a file
// that includes itself, directly or not, is an error. A syntax error ends that file's parse
// (PEG has no recovery) but not the others'.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ast/ast.hpp"
#include "kaohe/diagnostic.hpp"
#include "support/files.hpp"
#include "support/sources.hpp"

namespace kaohe::parse {

// Limits on hostile input; each is named in its error message.
inline constexpr std::size_t kMaxFileBytes = 8u << 20;     // 8 MiB per rule file
inline constexpr std::size_t kMaxIncludeDepth = 32;        // files deep
inline constexpr std::size_t kMaxGrammarDepth = 1000;      // nested grammar rules (about 100 parentheses)
inline constexpr std::size_t kMaxNameBytes = 256;          // identifiers
inline constexpr std::size_t kMaxTextBytes = 4096;         // quoted texts
// Levels of one expression tree. A chain such as `0 + 0 + … + 0` is a left-nested tree, one level
// per operator, so it is bounded by this and not by the grammar's nesting limit.
inline constexpr std::size_t kMaxExprDepth = 256;
inline constexpr std::size_t kMaxMultipliers = 16;         // `times` suffixes of one rule

// Parses a file from disk and its includes.
ast::Module parse_file(const std::string& path, Sources& sources, std::vector<Diagnostic>& diagnostics);

// Files already read and parsed, kept between parses of the same files (mutation testing
// recompiles one ruleset many times, each time with one file changed). A file is parsed again
// only when its text differs from the cached one; files on disk are read once per cache.
// Not thread-safe: one cache per thread.
class ParseCache {
public:
    ParseCache();
    ~ParseCache();
    ParseCache(const ParseCache&) = delete;
    ParseCache& operator=(const ParseCache&) = delete;
    struct Impl;
    Impl& impl() { return *impl_; }

private:
    std::unique_ptr<Impl> impl_;
};

struct ParseOptions {
    const Overlay* overlay = nullptr;  // texts that replace files on disk
    ParseCache* cache = nullptr;       // parsed files to reuse
    std::string confine_to;            // when set: every file must resolve inside this directory
};

// The same, with texts in memory standing in for some files, and a cache of parsed files.
// Gives exactly the module and diagnostics that parse_file gives for the same texts.
ast::Module parse_file(const std::string& path, Sources& sources, std::vector<Diagnostic>& diagnostics,
                       const ParseOptions& options);

// Parses a text held in memory; its includes are read from disk relative to `base_dir`.
ast::Module parse_text(std::string name, std::string text, Sources& sources, std::vector<Diagnostic>& diagnostics);

}  // namespace kaohe::parse
