// Helpers shared by the unit tests.
#pragma once

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <vector>

#include "kaohe/batch.hpp"
#include "kaohe/kaohe.hpp"

namespace kaohe::testing {

// A small complete ruleset header, so that a test states only what it is about.
inline const std::string kHeader = R"(policy "t" year 2022
group leadership "领导"
group office "办公室"
attribute issuer "颁发" { unit "本单位", county "县", province "省" }
event late "迟到"
event mistake "失误" amount 3..5
event award "获奖" { issuer } unit
measure notes "笔记" whole >= 0
measure target "目标" decimal 0..100
role clerk "科员"
)";

// A file's whole content ("" when it cannot be read).
inline std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

inline CompileResult compile(const std::string& body) { return Ruleset::compile_text(kHeader + body, "t.kh"); }

inline std::string rendered(const CompileResult& c) { return render(c.diagnostics); }

// Scores a record (JSON) against a ruleset body; returns the Evaluation.
inline Evaluation score(const std::string& body, const std::string& record) {
    CompileResult c = compile(body);
    if (!c.ruleset) throw std::runtime_error("ruleset does not compile:\n" + rendered(c));
    return c.ruleset->evaluate(record);
}

// A whole rule file's text (its own policy header included), compiled as "t.kh".
inline CompileResult compile_whole(const std::string& text) { return Ruleset::compile_text(text, "t.kh"); }

// `text` with the first `from` replaced by `to`; a test that names a `from` not in the text fails.
inline std::string replaced(std::string text, const std::string& from, const std::string& to) {
    REQUIRE(text.find(from) != std::string::npos);
    text.replace(text.find(from), from.size(), to);
    return text;
}

inline bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// Writes `text` to `path`, replacing what was there.
inline void spit(const std::filesystem::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
}

// The result lines of `records` scored as one batch (a stream batch, `threads` as BatchOptions
// takes them); every record must score.
inline std::vector<std::string> batch(const Ruleset& rs, const std::vector<std::string>& records, unsigned threads = 0) {
    std::string input;
    for (const auto& r : records) input += r + "\n";
    std::istringstream in(input);
    std::ostringstream out;
    BatchOptions options;
    options.threads = threads;
    const BatchStats stats = evaluate_batch(rs, in, out, options);
    CHECK(stats.failed == 0);
    std::vector<std::string> lines;
    std::istringstream back(out.str());
    for (std::string l; std::getline(back, l);) lines.push_back(l);
    return lines;
}

}  // namespace kaohe::testing
