// Parsing: rule files → ast::Module. Reads the root file and, depth first, every file it
// includes (paths relative to the including file). A file reached twice is read once; a file
// that includes itself, directly or not, is an error. A syntax error ends that file's parse
// (PEG has no recovery) but not the others'.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ast/ast.hpp"
#include "kaohe/diagnostic.hpp"
#include "support/sources.hpp"

namespace kaohe::parse {

// Limits on hostile input; each is named in its error message.
inline constexpr std::size_t kMaxFileBytes = 8u << 20;     // 8 MiB per rule file
inline constexpr std::size_t kMaxIncludeDepth = 32;        // files deep
inline constexpr std::size_t kMaxGrammarDepth = 1000;      // nested grammar rules (about 100 parentheses)
inline constexpr std::size_t kMaxNameBytes = 256;          // identifiers
inline constexpr std::size_t kMaxTextBytes = 4096;         // quoted texts

// Parses a file from disk and its includes.
ast::Module parse_file(const std::string& path, Sources& sources, std::vector<Diagnostic>& diagnostics);

// Parses a text held in memory; its includes are read from disk relative to `base_dir`.
ast::Module parse_text(std::string name, std::string text, Sources& sources, std::vector<Diagnostic>& diagnostics);

}  // namespace kaohe::parse
