// A declared card total: `total N` in the policy header (every card) or on a role (that role's
// card). The checker compares it with the sum of the maxima of the card's top-level sections,
// leaving out uncapped ones; `kaohe diff` lists a changed total with both figures.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "kaohe/kaohe.hpp"
#include "kaohe/policy.hpp"
#include "support.hpp"

using kaohe::testing::compile_whole;
using kaohe::testing::replaced;
using kaohe::testing::spit;

namespace fs = std::filesystem;
namespace policy = kaohe::policy;

namespace {

const std::string kCard = R"(policy "t" year 2022 total 100
event late "迟到"
section pub "公共" 40 { clause c "纪律" 40 { deduct 1 each late } }
role chair "主席" { section own "个人" 60 { clause w "工作" 60 { deduct 1 each late } } }
role driver "驾驶员" total 50 { section own "个人" 10 { clause w "安全" 10 { deduct 1 each late } } }
section bonus "加分" uncapped { clause a "获奖" { add 1 each late } }
)";

}  // namespace

TEST_CASE("card total: cards that add up check clean; the uncapped bonus is not counted") {
    auto c = compile_whole(kCard);
    REQUIRE_MESSAGE(c.ruleset, kaohe::render(c.diagnostics));
    CHECK(c.diagnostics.empty());
    // The total changes no score.
    const auto e = c.ruleset->evaluate(R"({"id":"a","role":"chair","year":2022,"events":[{"type":"late"}]})");
    REQUIRE(e.ok());
    CHECK(e.result().total() == kaohe::Number(99));  // 39 + 59 + 1
}

TEST_CASE("card total: a card that does not add up is C031, naming the card, both figures and each section") {
    // The chair's part typed as 0.6 instead of 60: 40 + 0.6 is not 100.
    auto c = compile_whole(replaced(replaced(kCard, "own \"个人\" 60", "own \"个人\" 0.6"), "工作\" 60", "工作\" 0.6"));
    CHECK_FALSE(c.ruleset);
    const std::string text = kaohe::render(c.diagnostics);
    CHECK(text.find("error[C031]: the card of role `chair` adds up to 40.6, not the declared total 100") !=
          std::string::npos);
    CHECK(text.find("section `pub`: 40") != std::string::npos);
    CHECK(text.find("section `own`: 0.6") != std::string::npos);
    CHECK(text.find("section `bonus`: uncapped, not counted") != std::string::npos);
    CHECK(text.find("driver") == std::string::npos);  // its own total, 50, holds

    // A role's own total overrides the policy's.
    auto d = compile_whole(replaced(kCard, "total 50", "total 100"));
    CHECK_FALSE(d.ruleset);
    CHECK(kaohe::render(d.diagnostics).find("the card of role `driver` adds up to 50, not the declared total 100") !=
          std::string::npos);

    // One card for everyone: the policy's total.
    auto one = compile_whole("policy \"t\" year 2022 total 10\nsection s \"s\" 9 { clause c \"c\" 9 { } }\n");
    CHECK_FALSE(one.ruleset);
    CHECK(kaohe::render(one.diagnostics).find("the card adds up to 9, not the declared total 10") != std::string::npos);
}

TEST_CASE("card total: diff lists a changed total in the policy header and on a role") {
    const fs::path dir = fs::temp_directory_path() / ("kaohe-card-total-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    spit(dir / "old.kh", kCard);
    // The driver's part grows to 20 points, and its declared total with it; the policy's total is dropped.
    std::string changed = replaced(kCard, "total 50 { section own \"个人\" 10 { clause w \"安全\" 10",
                                   "total 60 { section own \"个人\" 20 { clause w \"安全\" 20");
    changed = replaced(changed, "year 2022 total 100", "year 2022");
    spit(dir / "new.kh", changed);

    const policy::StructuralDiff d = policy::structural_diff((dir / "old.kh").string(), (dir / "new.kh").string());
    REQUIRE_MESSAGE(d.ok(), kaohe::render(d.diagnostics));
    std::vector<std::string> got;
    for (const auto& ch : d.changes) {
        std::string s = ch.change + " " + ch.what + " " + ch.path + ":";
        for (const auto& [x, y] : ch.numbers) s += " " + x + "->" + y;
        got.push_back(s);
    }
    CHECK(got == std::vector<std::string>{
                     "changed policy policy: 100->none",
                     "changed role driver: 50->60",
                     "changed section driver: own: 10->20",
                     "changed clause driver: own.w: 10->20",
                 });
    fs::remove_all(dir);
}
