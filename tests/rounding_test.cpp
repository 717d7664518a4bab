// The figures as the policy declares them: `report 2 places half_up` rounds what cards and results
// show (the arithmetic and the grade use the exact values); `round each clause|each section|total
// N places` rounds inside the arithmetic, at that level. Where a shown figure is not the exact
// value, the result carries both.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include <unistd.h>

#include "kaohe/kaohe.hpp"
#include "kaohe/policy.hpp"
#include "support.hpp"

using kaohe::testing::compile_whole;
using kaohe::testing::has;
using kaohe::testing::replaced;
using kaohe::testing::spit;

namespace {

// A total of 89.9967 under a band "优秀" >= 90.
const std::string kScheme = R"(policy "t" year 2022 report 2 places half_up
measure s "得分" decimal 0..100
section work "工作" 100 {
  clause a "实绩" 60 { deduct 1 per 1 below 60 in s linear }
  clause b "作风" 40 { deduct 1 per 1 below 40 in s linear }
}
grades { "优秀" >= 90, "称职" >= 60, "不称职" otherwise }
)";
const std::string kRecord = R"({"id":"a","year":2022,"measures":{"s":49.9967}})";

kaohe::Evaluation scored(const std::string& scheme) {
    auto c = compile_whole(scheme);
    REQUIRE_MESSAGE(c.ruleset, kaohe::render(c.diagnostics));
    auto e = c.ruleset->evaluate(kRecord);
    REQUIRE_MESSAGE(e.ok(), e.json());
    return e;
}

}  // namespace

TEST_CASE("rounding: report shows the total to its places and the exact total decides the grade") {
    const auto e = scored(kScheme);
    CHECK(e.result().total() == *kaohe::Number::from_decimal("89.9967"));
    CHECK(e.result().grade() == "称职");
    CHECK(e.result().reported("total") == "90.00");
    CHECK(e.result().exact("total") == *kaohe::Number::from_decimal("89.9967"));
    CHECK(has(e.json(), R"("total":90.00,"grade":"称职")"));
    CHECK(has(e.json(), R"("by":"band","band":"称职 >= 60","on_total":89.9967)"));
    CHECK(has(e.json(), R"("scores":{"work":90.00,"work.a":50.00,"work.b":40.00},"exact":{"total":89.9967,"work":89.9967,"work.a":49.9967})"));
}

TEST_CASE("rounding: the scorecard never prints a rounded total beside the grade without the exact one") {
    const auto e = scored(kScheme);
    const std::string card = e.result().text();
    CHECK(has(card, "90.00 (exact 89.9967)"));
    CHECK(has(card, "称职 (band 称职 >= 60 on the total 89.9967)"));
}

TEST_CASE("rounding: round total puts the rounded total into the arithmetic, so it decides the grade") {
    const auto e = scored(replaced(kScheme, "report 2 places half_up", "round total 2 places half_up"));
    CHECK(e.result().total() == kaohe::Number(90));
    CHECK(e.result().grade() == "优秀");
    CHECK(e.result().exact("total") == *kaohe::Number::from_decimal("89.9967"));
    CHECK(has(e.json(), R"("total":90,"grade":"优秀","outcome":{"grade":"优秀","by":"band","band":"优秀 >= 90","on_total":90})"));
    CHECK(has(e.json(), R"("exact":{"total":89.9967})"));
}

TEST_CASE("rounding: round each clause rounds every clause before its section adds it") {
    const auto e = scored(replaced(kScheme, "report 2 places half_up", "round each clause 1 place"));
    CHECK(e.result().score("work.a") == kaohe::Number(50));
    CHECK(e.result().total() == kaohe::Number(90));
    CHECK(e.result().exact("work.a") == *kaohe::Number::from_decimal("49.9967"));
    CHECK_FALSE(e.result().exact("work.b"));
}

TEST_CASE("rounding: round each section rounds sections, not clauses") {
    const auto e = scored(replaced(kScheme, "report 2 places half_up", "round each section 0 places down"));
    CHECK(e.result().score("work.a") == *kaohe::Number::from_decimal("49.9967"));
    CHECK(e.result().score("work") == kaohe::Number(89));
}

TEST_CASE("rounding: a scheme that declares no report or round level writes results as before") {
    const auto e = scored(replaced(kScheme, "report 2 places half_up", "round 2 half_up"));
    CHECK(has(e.json(), R"("total":89.9967,"grade":"称职")"));
    CHECK_FALSE(has(e.json(), "\"exact\""));
    CHECK_FALSE(has(e.json(), "on_total"));
}

TEST_CASE("rounding: more than 6 places is C062") {
    auto c = compile_whole(replaced(kScheme, "report 2 places", "report 7 places"));
    CHECK_FALSE(c.ruleset);
    CHECK(has(kaohe::render(c.diagnostics), "error[C062]"));
}

TEST_CASE("rounding: one level rounded twice, or report beside the header's round, is C063") {
    auto twice = compile_whole(replaced(kScheme, "report 2 places half_up", "round each clause 1 place round each clause 2 places"));
    CHECK(has(kaohe::render(twice.diagnostics), "error[C063]"));
    auto both = compile_whole(replaced(kScheme, "report 2 places half_up", "round 2 half_up report 2 places"));
    CHECK(has(kaohe::render(both.diagnostics), "error[C063]"));
    // Different levels together are one coherent declaration.
    auto levels = compile_whole(replaced(kScheme, "report 2 places half_up", "round each clause 1 place round total 2 places report 2 places"));
    CHECK_MESSAGE(levels.ruleset, kaohe::render(levels.diagnostics));
}

TEST_CASE("rounding: diff lists the places where the arithmetic rounds with the changed header") {
    const std::filesystem::path dir = std::filesystem::temp_directory_path() / ("kaohe-rounding-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    spit(dir / "old.kh", replaced(kScheme, "report 2 places half_up", "round each clause 1 place"));
    spit(dir / "new.kh", replaced(kScheme, "report 2 places half_up", "round each clause 2 places"));
    const kaohe::policy::StructuralDiff d =
        kaohe::policy::structural_diff((dir / "old.kh").string(), (dir / "new.kh").string());
    REQUIRE_MESSAGE(d.ok(), kaohe::render(d.diagnostics));
    REQUIRE(d.changes.size() == 1);
    CHECK(d.changes[0].what == "policy");
    CHECK(d.changes[0].numbers == std::vector<std::pair<std::string, std::string>>{{"1", "2"}});
    std::filesystem::remove_all(dir);
}

TEST_CASE("rounding: a weighted part's contribution is shown to the declared places with its exact value") {
    // 95.555 on each card: 实绩 95.555 × 70% = 66.8885, shown 66.89; 测评 × 30% = 28.6665, shown
    // 28.67; the total 95.555, shown 95.56.
    auto c = compile_whole(R"(policy "t" year 2022 report 2 places half_up
measure s "得分" decimal 0..100
section x "实绩" 100 weight 70% { clause a "实绩" 100 { deduct 1 per 1 below 100 in s linear } }
section y "测评" 100 weight 30% { clause b "测评" 100 { deduct 1 per 1 below 100 in s linear } }
)");
    REQUIRE_MESSAGE(c.ruleset, kaohe::render(c.diagnostics));
    const auto e = c.ruleset->evaluate(R"({"id":"a","year":2022,"measures":{"s":95.555}})");
    REQUIRE_MESSAGE(e.ok(), e.json());
    CHECK(has(e.json(), R"("x":{"score":95.56,"weight":70,"contributes":66.89,"exact":{"contributes":66.8885}})"));
    CHECK(has(e.json(), R"("y":{"score":95.56,"weight":30,"contributes":28.67,"exact":{"contributes":28.6665}})"));
    CHECK(has(e.result().text(), "× 70% = 66.89 (exact 66.8885)"));
}

TEST_CASE("rounding: a period's scores are shown to the declared places with their exact values") {
    // Q1 gives 90.25, shown 90.3 at one place; Q2 to Q4 give 100. The year: (90.25 + 300) / 4 =
    // 97.5625, shown 97.6.
    auto c = compile_whole(R"(policy "t" year 2022 report 1 place half_up
measure q "季度得分" decimal 0..100 each quarter
section quarterly "季度" 100 each quarter mean { clause c "季度得分" 100 { deduct 1 per 1 below 100 in q linear } }
)");
    REQUIRE_MESSAGE(c.ruleset, kaohe::render(c.diagnostics));
    const auto e = c.ruleset->evaluate(R"({"id":"a","year":2022,"periods":{"2022-Q1":{"measures":{"q":90.25}},)"
                                       R"("2022-Q2":{"measures":{"q":100}},"2022-Q3":{"measures":{"q":100}},)"
                                       R"("2022-Q4":{"measures":{"q":100}}}})");
    REQUIRE_MESSAGE(e.ok(), e.json());
    CHECK(has(e.json(), R"("2022-Q1":{"quarterly":90.3,"quarterly.c":90.3})"));
    CHECK(has(e.json(), R"("exact":{"2022-Q1":{"quarterly":90.25,"quarterly.c":90.25}})"));
    CHECK(has(e.json(), R"("total":97.6,)"));
    CHECK(has(e.result().text(), "90.3 (exact 90.25)"));
}

namespace {

// A rating whose mean, 29999/300, has no finite decimal form: `add 0.2 * review` earns 29999/1500,
// written 20 at two places; a grade rule on the mean shows it the same way.
const std::string kRatingScheme = R"(policy "t" year 2022 report 2 places half_up
rating review "民主测评" marks 0..100 mean
section de "德" 20 { clause review "民主测评" 20 from 0 { add 0.2 * review } }
grades { "优秀" >= 19, "称职" otherwise }
grade "称职" when review >= 99.99
)";
const std::string kRatingRecord = R"({"id":"a","year":2022,"ratings":{"review":[99.99,100,100]}})";

}  // namespace

TEST_CASE("rounding: a line whose points are written rounded carries its exact points and value") {
    auto c = compile_whole(kRatingScheme);
    REQUIRE_MESSAGE(c.ruleset, kaohe::render(c.diagnostics));
    const auto e = c.ruleset->evaluate(kRatingRecord);
    REQUIRE_MESSAGE(e.ok(), e.json());
    CHECK(has(e.json(), R"("value":100,"points":20,"exact":{"points":19.999333333333,"value":99.996666666667},"rule":"t.kh:3")"));
}

TEST_CASE("rounding: a line written exactly has no exact member") {
    auto c = compile_whole(kRatingScheme);
    REQUIRE_MESSAGE(c.ruleset, kaohe::render(c.diagnostics));
    const auto e = c.ruleset->evaluate(R"({"id":"a","year":2022,"ratings":{"review":[90,100,95]}})");
    REQUIRE_MESSAGE(e.ok(), e.json());
    CHECK(has(e.json(), R"("value":95,"points":19,"rule":"t.kh:3")"));
}

TEST_CASE("rounding: the scorecard writes a rounded line's exact points beside them as a fraction") {
    auto c = compile_whole(kRatingScheme);
    REQUIRE_MESSAGE(c.ruleset, kaohe::render(c.diagnostics));
    const auto e = c.ruleset->evaluate(kRatingRecord);
    REQUIRE_MESSAGE(e.ok(), e.json());
    CHECK(has(e.result().text(), "+20 (exact 29999/1500)"));
}

TEST_CASE("rounding: a grade rule's why writes a rounded figure's exact value beside it") {
    auto c = compile_whole(kRatingScheme);
    REQUIRE_MESSAGE(c.ruleset, kaohe::render(c.diagnostics));
    const auto e = c.ruleset->evaluate(kRatingRecord);
    REQUIRE_MESSAGE(e.ok(), e.json());
    CHECK(has(e.json(), R"("why":"review = 100 (exact 29999/300) >= 99.99")"));
}

TEST_CASE("rounding: without declared figures a line has no exact member, as before") {
    auto c = compile_whole(replaced(kRatingScheme, " report 2 places half_up", ""));
    REQUIRE_MESSAGE(c.ruleset, kaohe::render(c.diagnostics));
    const auto e = c.ruleset->evaluate(kRatingRecord);
    REQUIRE_MESSAGE(e.ok(), e.json());
    CHECK(!has(e.json(), R"("exact")"));
}
