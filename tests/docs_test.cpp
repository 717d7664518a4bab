// The documentation agrees with the code registry: the tables of codes in docs/records.md (R),
// docs/workbooks.md (S) and docs/diagnostics.md (P, C, W) list exactly the codes of lib/diag/codes.hpp, with their
// severities and meanings. KAOHE_UPDATE_GOLDEN=1 rewrites the tables after a code is added (review the diff).
#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "support.hpp"

#include "diag/codes.hpp"

namespace {

// The table of every registered code whose letter is in `letters`, as the docs hold it; with the
// severity when the codes have more than one (rule files: errors and warnings).
std::string table(const std::string& letters) {
    bool mixed = false;
    for (const auto& c : kaohe::diag::kCodes)
        if (letters.find(c.code[0]) != std::string::npos) mixed = mixed || c.severity != kaohe::Severity::error;
    std::string out = mixed ? "| code | severity | meaning |\n|---|---|---|\n" : "| code | meaning |\n|---|---|\n";
    for (const auto& c : kaohe::diag::kCodes) {
        if (letters.find(c.code[0]) == std::string::npos) continue;
        out += std::string("| `") + c.code + "` | ";
        if (mixed) out += std::string(kaohe::to_string(c.severity)) + " | ";
        out += std::string(c.meaning) + " |\n";
    }
    return out;
}

void check_table(const std::string& path, const std::string& letters) {
    INFO("file: ", path, " (KAOHE_UPDATE_GOLDEN=1 build/tests/kaohe_tests rewrites its table)");
    const std::string begin = "<!-- codes " + letters + ": generated from lib/diag/codes.hpp by tests/docs_test.cpp -->\n";
    const std::string end = "<!-- end of codes " + letters + " -->";
    std::string text = kaohe::testing::slurp(path);
    const auto b = text.find(begin);
    REQUIRE(b != std::string::npos);
    const auto e = text.find(end, b);
    REQUIRE(e != std::string::npos);
    const std::string actual = text.substr(b + begin.size(), e - b - begin.size());
    const std::string expected = table(letters);
    if (std::getenv("KAOHE_UPDATE_GOLDEN") && actual != expected) {
        text.replace(b + begin.size(), actual.size(), expected);
        std::ofstream(path, std::ios::binary) << text;
        return;
    }
    CHECK(actual == expected);
}

}  // namespace

TEST_CASE("the record error codes in docs/records.md are those of the registry") { check_table("docs/records.md", "R"); }

TEST_CASE("the workbook codes in docs/workbooks.md are those of the registry") { check_table("docs/workbooks.md", "S"); }

TEST_CASE("the rule file codes in docs/diagnostics.md are those of the registry") {
    check_table("docs/diagnostics.md", "PCW");
}

TEST_CASE("the workbook codes in docs/workbooks.md are those of the registry") { check_table("docs/workbooks.md", "S"); }
