// Golden tests for bad records: each tests/bad-input/records/NAME.json, scored with the seed
// ruleset, is rejected with exactly the error result in NAME.expected (the error JSON of
// docs/records.md, which names the record, the field and why). KAOHE_UPDATE_GOLDEN=1 rewrites them.
// A case that needs other names than the seed's (Chinese ones) brings its ruleset as NAME.kh.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "support.hpp"

#include "kaohe/kaohe.hpp"

namespace fs = std::filesystem;
using kaohe::testing::slurp;


TEST_CASE("every malformed record is rejected with exactly its golden error") {
    auto rules = kaohe::Ruleset::compile_file("rulesets/seed/seed.kh");
    REQUIRE(rules.ruleset);
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator("tests/bad-input/records"))
        if (e.path().extension() == ".json") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    REQUIRE(files.size() >= 30);
    const bool update = std::getenv("KAOHE_UPDATE_GOLDEN") != nullptr;
    for (const auto& f : files) {
        INFO("record: ", f.generic_string());
        fs::path own_rules = f;
        own_rules.replace_extension(".kh");
        std::optional<kaohe::CompileResult> own;
        if (fs::exists(own_rules)) {
            own = kaohe::Ruleset::compile_file(own_rules.generic_string());
            REQUIRE_MESSAGE(own->ruleset, kaohe::render(own->diagnostics));
        }
        kaohe::Evaluation e = (own ? own->ruleset : rules.ruleset)->evaluate(slurp(f));
        CHECK_FALSE(e.ok());
        const std::string actual = e.json() + "\n";
        fs::path expected = f;
        expected.replace_extension(".expected");
        if (update) {
            std::ofstream(expected, std::ios::binary) << actual;
            continue;
        }
        REQUIRE(fs::exists(expected));
        CHECK(actual == slurp(expected));
    }
}
