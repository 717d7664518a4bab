// Ratings given per period: `rating assessor "考核人评分" marks 0..100 mean each quarter` takes its
// marks once a quarter, in the record's `"periods": {"2022-Q1": {"ratings": {...}}}`, read as
// strictly as the year's `ratings` (errors name the period's field), and only inside a period
// section or period rule of its kind.
#include <doctest/doctest.h>

#include <string>

#include "kaohe/kaohe.hpp"
#include "support.hpp"

using kaohe::testing::compile_whole;
using kaohe::testing::replaced;
using kaohe::testing::has;

namespace {

const std::string kCard = R"(policy "t" year 2022
rating assessor "考核人评分" marks 0..100 mean each quarter
rating peers "同事评分" marks 0..100 mean dropping highest and lowest each quarter
rating votes "民主测评票" votes { excellent "优秀", competent "称职", incompetent "不称职" } each quarter
rating review "民主测评" marks 0..100 mean
section quarterly "季度考核" 90 each quarter mean {
  clause assess "考核人评分" 60 from 0 { add 0.6 * assessor }
  clause peer "同事评分" 20 from 0 { add 0.2 * peers }
  clause vote "民主测评票" 10 from 0 { add 10 * share(votes for excellent, competent) }
}
section yearly "民主测评" 10 { clause masses "民主测评" 10 from 0 { add 0.1 * review } }
)";

// Q1: assessor (90 + 80 + 85) / 3 = 85, peers (80 + 70) / 2 = 75 (90 and 60 dropped), votes 3 of 4.
// Q2-Q4: every mark 100, every vote excellent.
const std::string kQ1 = R"("2022-Q1":{"ratings":{"assessor":[90,80,85],"peers":[90,80,70,60],"votes":{"excellent":2,"competent":1,"incompetent":1}}})";
const std::string kFull = R"({"ratings":{"assessor":[100],"peers":[100,100,100],"votes":{"excellent":4}}})";

std::string record(const std::string& q1 = kQ1, const std::string& q4 = kFull) {
    return R"({"id":"a","year":2022,"ratings":{"review":[90,80]},"periods":{)" + q1 + R"(,"2022-Q2":)" + kFull +
           R"(,"2022-Q3":)" + kFull + R"(,"2022-Q4":)" + q4 + "}}";
}

}  // namespace

TEST_CASE("period ratings: each quarter's card reads that quarter's marks and votes") {
    auto c = compile_whole(kCard);
    REQUIRE_MESSAGE(c.ruleset, kaohe::render(c.diagnostics));
    const auto e = c.ruleset->evaluate(record());
    REQUIRE_MESSAGE(e.ok(), e.error().message);
    // Q1: 0.6 × 85 = 51, 0.2 × 75 = 15, 10 × 3/4 = 7.5: 73.5; Q2-Q4: 60 + 20 + 10 = 90.
    CHECK(e.result().period_score("quarterly", "2022-Q1") == *kaohe::Number::from_decimal("73.5"));
    CHECK(e.result().period_score("quarterly", "2022-Q2") == kaohe::Number(90));
    // (73.5 + 90 × 3) / 4 = 343.5 / 4 = 85.875; yearly 0.1 × 85 = 8.5.
    CHECK(e.result().score("quarterly") == *kaohe::Number::from_decimal("85.875"));
    CHECK(e.result().total() == *kaohe::Number::from_decimal("94.375"));
}

TEST_CASE("period ratings: the result lists a rating given per period by period, and each line names its period") {
    auto c = compile_whole(kCard);
    REQUIRE(c.ruleset);
    const auto e = c.ruleset->evaluate(record());
    REQUIRE(e.ok());
    const std::string json = e.result().json();
    CHECK(has(json, R"("assessor":{"each":"quarter","periods":{"2022-Q1":{"method":"mean","marks":3,"value":85},)"
                    R"("2022-Q2":{"method":"mean","marks":1,"value":100},)"));
    CHECK(has(json, R"("votes":{"each":"quarter","periods":{"2022-Q1":{"method":"votes","votes":{"excellent":2,"competent":1,)"
                    R"("incompetent":1},"of":4},)"));
    CHECK(has(json, R"("review":{"method":"mean","marks":2,"value":85})"));
    CHECK(has(json, R"("rating":"peers","method":"mean dropping highest and lowest","marks":4,"dropped_highest":90,)"
                    R"("dropped_lowest":60,"value":75,"period":"2022-Q1")"));
    const std::string text = e.result().text();
    CHECK(has(text, "考核人评分 assessor: mean of 3 marks = 85"));
    CHECK(has(text, "民主测评票 votes: 优秀 2 + 称职 1 of 4 votes = 0.75"));
}

TEST_CASE("period ratings: a quarter without a rating its card reads is R004 naming the quarter") {
    auto c = compile_whole(kCard);
    REQUIRE(c.ruleset);
    const auto marks = c.ruleset->evaluate(record(kQ1, R"({"ratings":{"peers":[100,100,100],"votes":{"excellent":4}}})"));
    REQUIRE_FALSE(marks.ok());
    CHECK(marks.error().code == "R004");
    CHECK(marks.error().where == "periods.2022-Q4.ratings.assessor");
    CHECK(has(marks.error().message, "missing rating `assessor` (考核人评分) for 2022-Q4"));
    const auto votes = c.ruleset->evaluate(record(kQ1, R"({"ratings":{"assessor":[100],"peers":[100,100,100]}})"));
    REQUIRE_FALSE(votes.ok());
    CHECK(votes.error().where == "periods.2022-Q4.ratings.votes");
}

TEST_CASE("period ratings: a record's errors in a period's ratings name the period's field") {
    auto c = compile_whole(kCard);
    REQUIRE(c.ruleset);
    const auto error = [&](const std::string& q1) { return c.ruleset->evaluate(record(q1)).error(); };
    CHECK(error(R"("2022-Q1":{"ratings":{"assessor":[90,101]}})").where == "periods.2022-Q1.ratings.assessor[1]");
    CHECK(error(R"("2022-Q1":{"ratings":{"peers":[90,80]}})").code == "R009");
    CHECK(error(R"("2022-Q1":{"ratings":{"votes":{"excelent":1}}})").where == "periods.2022-Q1.ratings.votes.excelent");
    CHECK(error(R"("2022-Q1":{"ratings":{"review":[90]}})").code == "R005");
    CHECK(error(R"("2022-03":{"ratings":{"assessor":[90]}})").code == "R005");
    CHECK(error(R"("2022-Q1":{"ratings":{"assessor":[90]},"ratings":{}})").code == "R003");
    CHECK(error(R"("2022-Q1":{"ratings":{"assessor":[true]}})").code == "R002");
    const auto year = c.ruleset->evaluate(R"({"id":"a","year":2022,"ratings":{"review":[90],"assessor":[90]}})");
    CHECK(year.error().code == "R005");
    CHECK(year.error().where == "ratings.assessor");
}

TEST_CASE("period ratings: the checker's rules") {
    SUBCASE("read in a section for the year: C045") {
        const std::string t = kaohe::render(compile_whole(replaced(kCard, "90 each quarter mean", "90")).diagnostics);
        CHECK(has(t, "error[C045]: rating `assessor` is given each quarter"));
        CHECK(has(t, "error[C045]: rating `votes` is given each quarter"));
    }
    SUBCASE("read in a section scored each month: C049") {
        const std::string t = kaohe::render(compile_whole(replaced(kCard, "90 each quarter mean", "90 each month mean")).diagnostics);
        CHECK(has(t, "error[C049]: rating `peers` is given each quarter, but this rule is scored each month"));
    }
    SUBCASE("a year's rating is read inside a period section too") {
        const auto c = compile_whole(replaced(kCard, "add 0.6 * assessor", "add 0.6 * review"));
        CHECK_MESSAGE(c.ruleset, kaohe::render(c.diagnostics));
    }
}

TEST_CASE("period ratings: a rating on a scale given each month is read by a rule counted each month") {
    auto c = compile_whole(R"(policy "t" year 2022
rating monthly "月度评议" marks scale { 优秀: 95, 良好: 85, 较差: 55 } mean each month
section daily "日常" 20 {
  clause conduct "月度评议" 20 { deduct 5 each month when monthly < 60 }
}
)");
    REQUIRE_MESSAGE(c.ruleset, kaohe::render(c.diagnostics));
    std::string periods;
    for (int m = 1; m <= 12; ++m) {
        const std::string month = (m < 10 ? "2022-0" : "2022-") + std::to_string(m);
        // January (55 + 55) / 2 = 55 and March 55 are below 60: 20 - 5 × 2 = 10.
        const std::string marks = m == 1 ? R"(["较差",55])" : m == 3 ? R"(["较差"])" : R"(["优秀","良好"])";
        periods += (m > 1 ? "," : "") + ("\"" + month + "\":{\"ratings\":{\"monthly\":" + marks + "}}");
    }
    const auto e = c.ruleset->evaluate(R"({"id":"a","year":2022,"periods":{)" + periods + "}}");
    REQUIRE_MESSAGE(e.ok(), e.error().message);
    CHECK(e.result().score("daily") == kaohe::Number(10));
    CHECK(has(e.result().text(), "2022-03: 月度评议 monthly = 55"));
    CHECK(has(e.result().json(), R"("monthly":{"each":"month","periods":{"2022-01":{"method":"mean","marks":2,"value":55},)"));
}

TEST_CASE("period ratings: the C++ line of a share given per quarter carries that quarter's share, not its count of votes") {
    auto c = compile_whole(R"(policy "t" year 2022
rating votes "测评票" votes { good "好", bad "差" } each quarter
section q "季度" 10 each quarter mean { clause v "票" 10 from 0 { add 10 * share(votes for good) } }
)");
    REQUIRE_MESSAGE(c.ruleset, kaohe::render(c.diagnostics));
    const auto e = c.ruleset->evaluate(
        R"({"id":"a","year":2022,"periods":{"2022-Q1":{"ratings":{"votes":{"good":3,"bad":1}}},)"
        R"("2022-Q2":{"ratings":{"votes":{"good":1,"bad":1}}},"2022-Q3":{"ratings":{"votes":{"good":4}}},)"
        R"("2022-Q4":{"ratings":{"votes":{"bad":2}}}}})");
    REQUIRE(e.ok());
    // Q1 3 of 4 = 0.75 (7.5), Q2 1 of 2 = 0.5 (5), Q3 4 of 4 = 1 (10), Q4 0 of 2 (0).
    int seen = 0;
    for (const kaohe::Line& l : e.result().lines()) {
        if (l.measure != "votes") continue;
        ++seen;
        REQUIRE(l.value);
        if (l.period == "2022-Q1") CHECK(*l.value == *kaohe::Number::from_decimal("0.75"));
        if (l.period == "2022-Q2") CHECK(*l.value == *kaohe::Number::from_decimal("0.5"));
        if (l.period == "2022-Q3") CHECK(*l.value == kaohe::Number(1));
    }
    CHECK(seen >= 3);
    CHECK(e.result().total() == *kaohe::Number::from_decimal("5.625"));
}
