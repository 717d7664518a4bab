// Weighted parts: `section performance "工作实绩" 100 weight 70% { ... }` counts in its parent (or
// the total) at its score × 70/100, exactly. The result keeps the part's own score and shows its
// contribution (JSON `weighted`, the scorecard's `88 / 100 × 70% = 61.6`, Score::contributes); the
// checker's weight rules (C042, C043), the points budget (C006) and a card's `total` (C031) read
// weighted maxima; mutants move each weight by one; `kaohe diff` lists a changed weight.
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
using kaohe::testing::has;
using kaohe::testing::spit;

namespace fs = std::filesystem;
namespace policy = kaohe::policy;

namespace {

const std::string kCard = R"(policy "t" year 2022 total 100
event mistake "失误"
event complaint "投诉"
section performance "工作实绩" 100 weight 70% { clause duty "履职" 100 { deduct 4 each mistake } }
section review "民主测评" 100 weight 30% { clause masses "群众评价" 100 { deduct 5 each complaint } }
)";

}  // namespace

TEST_CASE("weights: a part keeps its own score and counts its weighted share, exactly") {
    auto c = compile_whole(kCard);
    REQUIRE_MESSAGE(c.ruleset, kaohe::render(c.diagnostics));
    CHECK(c.diagnostics.empty());
    // duty = 100 - 4 × 3 = 88, counting 88 × 70/100 = 61.6; masses = 100 - 5 = 95, counting 28.5.
    const auto e = c.ruleset->evaluate(
        R"({"id":"a","year":2022,"events":[{"type":"mistake","count":3},{"type":"complaint"}]})");
    REQUIRE(e.ok());
    const kaohe::Result& r = e.result();
    CHECK(r.total() == *kaohe::Number::from_decimal("90.1"));
    CHECK(r.score("performance") == kaohe::Number(88));
    CHECK(has(r.json(), R"("scores":{"performance":88,"performance.duty":88,"review":95,"review.masses":95})"));
    CHECK(has(r.json(), R"("weighted":{"performance":{"score":88,"weight":70,"contributes":61.6},)"
                        R"("review":{"score":95,"weight":30,"contributes":28.5}})"));
    CHECK(has(r.text(), "88 / 100 × 70% = 61.6"));
    CHECK(has(r.text(), "95 / 100 × 30% = 28.5"));
    bool seen = false;
    for (const auto& s : r.scores()) {
        if (s.path == "performance") {
            seen = true;
            CHECK(s.score == kaohe::Number(88));
            REQUIRE(s.weight);
            CHECK(*s.weight == kaohe::Number(70));
            REQUIRE(s.contributes);
            CHECK(*s.contributes == *kaohe::Number::from_decimal("61.6"));
        } else if (s.path == "performance.duty") {
            CHECK_FALSE(s.weight);
            CHECK_FALSE(s.contributes);
        }
    }
    CHECK(seen);
}

TEST_CASE("weights: a card without weights has no `weighted` field") {
    auto c = compile_whole(replaced(replaced(kCard, "100 weight 70%", "70"), "100 weight 30%", "30"));
    // The clauses keep their 100 points: the sections' budgets are now too small (C006).
    CHECK_FALSE(c.ruleset);
    auto plain = compile_whole(R"(policy "t" year 2022
event mistake "失误"
section performance "工作实绩" 100 { clause duty "履职" 100 { deduct 4 each mistake } }
)");
    REQUIRE(plain.ruleset);
    const auto e = plain.ruleset->evaluate(R"({"id":"a","year":2022})");
    REQUIRE(e.ok());
    CHECK_FALSE(has(e.result().json(), "weighted"));
    CHECK_FALSE(has(e.result().text(), "×"));
}

TEST_CASE("weights: a decimal percentage is exact; a fraction does not parse") {
    auto c = compile_whole(replaced(replaced(kCard, "weight 70%", "weight 66.5%"), "weight 30%", "weight 33.5%"));
    REQUIRE_MESSAGE(c.ruleset, kaohe::render(c.diagnostics));
    // duty = 100 - 4 = 96: 96 × 66.5/100 = 63.84, and 100 × 33.5/100 = 33.5: 97.34, kept exactly.
    const auto e = c.ruleset->evaluate(R"({"id":"a","year":2022,"events":[{"type":"mistake"}]})");
    REQUIRE(e.ok());
    CHECK(e.result().total() == *kaohe::Number::from_decimal("97.34"));
    auto f = compile_whole(replaced(kCard, "weight 70%", "weight 140/2%"));
    CHECK_FALSE(f.ruleset);
    CHECK(has(kaohe::render(f.diagnostics), "no fraction"));
}

TEST_CASE("weights: the checker's rules") {
    SUBCASE("weights that do not add up to 100% are C042 with a note per part") {
        const std::string t = kaohe::render(compile_whole(replaced(kCard, "weight 30%", "weight 20%")).diagnostics);
        CHECK(has(t, "error[C042]: the weights of the parts of the card add up to 90%, not 100%"));
        CHECK(has(t, "note: `performance` weighs 70%"));
        CHECK(has(t, "note: `review` weighs 20%"));
    }
    SUBCASE("a weight on some parts but not others is C043") {
        const std::string t = kaohe::render(compile_whole(replaced(kCard, "100 weight 30%", "30")).diagnostics);
        CHECK(has(t, "error[C043]: section `review` has no weight, but other parts of the card do"));
    }
    SUBCASE("a weight on a clause, on an uncapped section, of 0 or over 100% is C042") {
        CHECK(has(kaohe::render(compile_whole(replaced(kCard, "\"履职\" 100", "\"履职\" 100 weight 50%")).diagnostics),
                  "error[C042]: `weight 50%` on clause `duty`"));
        CHECK(has(kaohe::render(compile_whole(replaced(kCard, "100 weight 30%", "uncapped weight 30%")).diagnostics),
                  "error[C042]: `weight 30%` on uncapped section `review`"));
        CHECK(has(kaohe::render(compile_whole(replaced(kCard, "weight 30%", "weight 0%")).diagnostics),
                  "`weight 0%` on section `review`: a weight is more than 0% and at most 100%"));
        CHECK(has(kaohe::render(compile_whole(replaced(kCard, "weight 30%", "weight 100.5%")).diagnostics),
                  "`weight 100.5%` on section `review`: a weight is more than 0% and at most 100%"));
    }
    SUBCASE("`weight` given twice is P008") {
        CHECK(has(kaohe::render(compile_whole(replaced(kCard, "weight 30%", "weight 30% weight 30%")).diagnostics),
                  "error[P008]: this section already has `weight`"));
    }
    SUBCASE("a declared total checks the weighted maxima (C031)") {
        const std::string t =
            kaohe::render(compile_whole(replaced(kCard, "total 100", "total 80")).diagnostics);
        CHECK(has(t, "error[C031]: the card adds up to 100, not the declared total 80"));
        CHECK(has(t, "section `performance`: 100 × 70% = 70"));
    }
    SUBCASE("the points budget reads weighted maxima (C006)") {
        const std::string inner = R"(policy "t" year 2022
event late "迟到"
section work "工作" 50 {
  section a "甲" 100 weight 50% { clause x "x" 100 { deduct 1 each late } }
  section b "乙" 100 weight 50% { clause y "y" 100 { deduct 1 each late } }
}
)";
        const std::string t = kaohe::render(compile_whole(inner).diagnostics);
        CHECK(has(t, "error[C006]: the parts of `work` allocate 100 points, more than its maximum 50"));
        CHECK(has(t, "`a` allocates 100 × 50% = 50"));
        // Out of 100 they fit exactly.
        auto ok = compile_whole(replaced(inner, "\"工作\" 50", "\"工作\" 100"));
        REQUIRE_MESSAGE(ok.ruleset, kaohe::render(ok.diagnostics));
        CHECK(ok.diagnostics.empty());
    }
}

TEST_CASE("weights: mutants move each weight by one, and the checker kills them") {
    auto c = compile_whole(kCard);
    REQUIRE(c.ruleset);
    // The weights' numbers stand right after `weight `.
    const auto at70 = static_cast<std::uint32_t>(kCard.find("weight 70%") + 7);
    const auto at30 = static_cast<std::uint32_t>(kCard.find("weight 30%") + 7);
    std::vector<std::string> weights;
    for (const auto& m : policy::mutants_of(*c.ruleset))
        if (m.begin == at70 || m.begin == at30) weights.push_back(m.replacement);
    CHECK(weights == std::vector<std::string>{"71", "69", "31", "29"});
    // Each one leaves the weights adding up to 101% or 99%.
    CHECK_FALSE(compile_whole(replaced(kCard, "weight 70%", "weight 71%")).ruleset);
}

TEST_CASE("weights: diff lists a changed weight with its numbers") {
    const fs::path dir = fs::temp_directory_path() / ("kaohe-weights-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    spit(dir / "old.kh", kCard);
    spit(dir / "new.kh", replaced(replaced(kCard, "weight 70%", "weight 60%"), "weight 30%", "weight 40%"));
    const policy::StructuralDiff d = policy::structural_diff((dir / "old.kh").string(), (dir / "new.kh").string());
    REQUIRE_MESSAGE(d.ok(), kaohe::render(d.diagnostics));
    std::vector<std::string> got;
    for (const auto& ch : d.changes) {
        std::string s = ch.change + " " + ch.what + " " + ch.path + ":";
        for (const auto& [x, y] : ch.numbers) s += " " + x + "->" + y;
        got.push_back(s);
    }
    CHECK(got == std::vector<std::string>{"changed section performance: 70->60", "changed section review: 30->40"});
    fs::remove_all(dir);
}
