// The diagnostic codes: the library names a code only through the table of lib/diag/codes.hpp
// (diag::Code::C004, which does not build when misspelt), never as a string literal; every code of
// the table is emitted somewhere and has a case in the bad-input suite. A new diagnostic without a
// bad-input case fails here.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "support.hpp"

#include "diag/codes.hpp"

namespace fs = std::filesystem;
using kaohe::testing::slurp;

namespace {

std::set<std::string> codes_in(const fs::path& dir, const std::set<std::string>& extensions, const std::regex& pattern) {
    std::set<std::string> found;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
        if (!e.is_regular_file() || !extensions.count(e.path().extension().string())) continue;
        const std::string text = slurp(e.path());
        for (auto it = std::sregex_iterator(text.begin(), text.end(), pattern); it != std::sregex_iterator(); ++it)
            found.insert((*it)[1]);
    }
    return found;
}

std::set<std::string> registered() {
    std::set<std::string> out;
    for (const auto& c : kaohe::diag::kCodes) out.insert(c.code);
    return out;
}
}  // namespace

TEST_CASE("the library names diagnostic codes through the table, never as string literals") {
    const std::regex literal("\"([PCWRS][0-9]{3})\"");
    // The pattern finds literals where there are some: the tests compare codes as text.
    CHECK_FALSE(codes_in("tests", {".cpp"}, literal).empty());
    const auto literals = codes_in("lib", {".cpp", ".hpp"}, literal);
    std::string written;
    for (const auto& code : literals) written += " " + code;
    INFO("codes written as string literals in lib/ (name them diag::Code::...):", written);
    CHECK(literals.empty());
    const auto named = codes_in("lib", {".cpp", ".hpp"}, std::regex("Code::([PCWRS][0-9]{3})\\b"));
    for (const auto& code : registered()) {
        INFO("code in lib/diag/codes.hpp that no emit site names: ", code);
        CHECK(named.count(code) == 1);
    }
}

TEST_CASE("every registered diagnostic code has a case in the bad-input suite") {
    const auto rules = codes_in("tests/golden/rules", {".expected"}, std::regex("(?:error|warning)\\[([PCW][0-9]{3})\\]"));
    const auto records = codes_in("tests/bad-input/records", {".expected"}, std::regex("\"code\":\"(R[0-9]{3})\""));
    const auto sheets = codes_in("tests/bad-input/sheets", {".expected"}, std::regex("\\[(S[0-9]{3})\\]"));
    for (const auto& code : registered()) {
        INFO("registered code without a bad-input case: ", code);
        CHECK((rules.count(code) + records.count(code) + sheets.count(code)) == 1);
    }
}
