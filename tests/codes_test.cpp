// The diagnostic codes: every code the library can emit is registered in lib/diag/codes.hpp, and
// every registered code has a case in the bad-input suite. A new diagnostic without a bad-input
// case fails here.
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

std::set<std::string> codes_in(const fs::path& dir, const std::string& extension, const std::regex& pattern) {
    std::set<std::string> found;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
        if (!e.is_regular_file() || e.path().extension() != extension) continue;
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

TEST_CASE("every diagnostic code used in the library is registered") {
    const std::regex literal("\"([PCWR][0-9]{3})\"");
    const auto used = codes_in("lib", ".cpp", literal);
    const auto known = registered();
    CHECK(used.size() >= 25);
    for (const auto& code : used) {
        INFO("code used in lib/ but not in lib/diag/codes.hpp: ", code);
        CHECK(known.count(code) == 1);
    }
}

TEST_CASE("every registered diagnostic code has a case in the bad-input suite") {
    const auto rules = codes_in("tests/golden/rules", ".expected", std::regex("(?:error|warning)\\[([PCW][0-9]{3})\\]"));
    const auto records = codes_in("tests/bad-input/records", ".expected", std::regex("\"code\":\"(R[0-9]{3})\""));
    for (const auto& code : registered()) {
        INFO("registered code without a bad-input case: ", code);
        CHECK((rules.count(code) + records.count(code)) == 1);
    }
}
