// Golden tests: each tests/golden/rules/NAME.kh compiles to exactly the diagnostics rendered in
// NAME.expected. Run with KAOHE_UPDATE_GOLDEN=1 to (re)write the expected files, then review them.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "support.hpp"

#include "kaohe/kaohe.hpp"

namespace fs = std::filesystem;
using kaohe::testing::slurp;


TEST_CASE("every malformed rule file gives exactly its golden diagnostics") {
    const fs::path dir = "tests/golden/rules";
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().extension() == ".kh") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    REQUIRE(files.size() >= 10);
    const bool update = std::getenv("KAOHE_UPDATE_GOLDEN") != nullptr;
    for (const auto& f : files) {
        const std::string actual = kaohe::render(kaohe::Ruleset::compile_file(f.generic_string()).diagnostics);
        fs::path expected = f;
        expected.replace_extension(".expected");
        if (update) {
            std::ofstream(expected, std::ios::binary) << actual;
            continue;
        }
        INFO("golden file: ", expected.generic_string());
        REQUIRE(fs::exists(expected));
        CHECK(actual == slurp(expected));
    }
}
