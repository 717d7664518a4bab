// Ratings by several people: `rating review "民主测评" marks 0..100 mean` combines the marks of
// anonymous raters (the record's `ratings`) into one number, exactly: their mean, or the mean after
// dropping one highest and one lowest mark. The result shows the method and the number of marks,
// never the raters; a record's bad marks are errors naming the rating; mutants toggle the dropping;
// `kaohe diff` lists a changed rating.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "kaohe/kaohe.hpp"
#include "kaohe/policy.hpp"
#include "kaohe/testing.hpp"
#include "support.hpp"

using kaohe::testing::compile_whole;
using kaohe::testing::replaced;
using kaohe::testing::has;
using kaohe::testing::spit;

namespace fs = std::filesystem;
namespace policy = kaohe::policy;

namespace {

const std::string kCard = R"(policy "t" year 2022
rating review "民主测评" marks 0..100 mean
rating peers "同事评分" marks 0..100 mean dropping highest and lowest
rating standing "等次评议" marks scale { 优秀: 95, 良好: 85, 一般: 75 } mean
section masses "民主测评" 100 {
  clause opinion "群众评议" 70 from 0 { add 0.7 * review }
  clause colleagues "同事评分" 20 { deduct 1 per 1 short of 90 in peers linear }
  clause grade "等次评议" 10 from 0 { add 0.1 * standing }
}
)";

const std::string kMarks = R"("ratings":{"review":[92,88,95,90,85],"peers":[98,90,88,86,70],"standing":["优秀","良好",75]})";

std::string record(const std::string& ratings) { return R"({"id":"a","year":2022,)" + ratings + "}"; }

}  // namespace

TEST_CASE("ratings: the mean of the marks, and the mean without the highest and the lowest, exactly") {
    auto c = compile_whole(kCard);
    REQUIRE_MESSAGE(c.ruleset, kaohe::render(c.diagnostics));
    CHECK(c.diagnostics.empty());
    // review = 450 / 5 = 90 → 63; peers = (90 + 88 + 86) / 3 = 88 → 20 - 2 = 18;
    // standing = (95 + 85 + 75) / 3 = 85 → 8.5; total 89.5.
    const auto e = c.ruleset->evaluate(record(kMarks));
    REQUIRE_MESSAGE(e.ok(), e.json());
    CHECK(e.result().total() == *kaohe::Number::from_decimal("89.5"));
    CHECK(e.result().score("masses.colleagues") == kaohe::Number(18));
}

TEST_CASE("ratings: a mean with no finite decimal form stays exact") {
    auto c = compile_whole(kCard);
    REQUIRE(c.ruleset);
    // review = (90 + 90 + 91) / 3 = 271/3, opinion = 0.7 × 271/3 = 189.7/3 = 63.2333…
    const auto e = c.ruleset->evaluate(record(R"("ratings":{"review":[90,90,91],"peers":[90,90,90],"standing":["优秀"]})"));
    REQUIRE_MESSAGE(e.ok(), e.json());
    CHECK(e.result().score("masses.opinion") == kaohe::Number(1897) / kaohe::Number(30));
}

TEST_CASE("ratings: the line names the method and the number of marks, never the marks") {
    auto c = compile_whole(kCard);
    REQUIRE(c.ruleset);
    const auto e = c.ruleset->evaluate(record(kMarks));
    REQUIRE(e.ok());
    const std::string text = e.result().text();
    CHECK(has(text, "民主测评 review: mean of 5 marks = 90"));
    CHECK(has(text, "同事评分 peers: mean of 5 marks, highest 98 and lowest 70 dropped = 88"));
    CHECK(has(text, "等次评议 standing: mean of 3 marks = 85"));
    CHECK_FALSE(has(text, "92"));
}

TEST_CASE("ratings: one rater's mark is counted as one mark, not one marks") {
    auto c = compile_whole(kCard);
    REQUIRE(c.ruleset);
    const auto e = c.ruleset->evaluate(record(R"("ratings":{"review":[92],"peers":[98,90,70],"standing":[85]})"));
    REQUIRE(e.ok());
    const std::string text = e.result().text();
    CHECK_MESSAGE(has(text, "民主测评 review: mean of 1 mark = 92"), text);
    CHECK_MESSAGE(has(text, "等次评议 standing: mean of 1 mark = 85"), text);
}

TEST_CASE("ratings: a mean with no finite decimal form is shown as a fraction with its rounded figure") {
    auto c = compile_whole(R"(policy "t" year 2022 round 2 half_up
rating review "民主测评" marks 0..100 mean
section a "A" 100 {
  clause x "x" 100 { deduct 5 when review < 90 }
}
)");
    REQUIRE_MESSAGE(c.ruleset, kaohe::render(c.diagnostics));
    // (90 + 90 + 89.99) / 3 = 26999/300 = 89.99666…: below 90, though it rounds to 90.00.
    const auto e = c.ruleset->evaluate(R"({"id":"a","year":2022,"ratings":{"review":[90,90,89.99]}})");
    REQUIRE_MESSAGE(e.ok(), e.json());
    CHECK(e.result().total() == kaohe::Number(95));
    const std::string text = e.result().text();
    CHECK_MESSAGE(has(text, "民主测评 review: mean of 3 marks = 26999/300 (90.00 as rounded)"), text);
}

TEST_CASE("ratings: the result JSON carries the method and the count on the line and lists the ratings given") {
    auto c = compile_whole(kCard);
    REQUIRE(c.ruleset);
    const std::string json = c.ruleset->evaluate(record(kMarks)).json();
    CHECK(has(json, R"("rating":"review","method":"mean","marks":5,"value":90)"));
    CHECK(has(json, R"("ratings":{"review":{"method":"mean","marks":5,"value":90},)"
                    R"("peers":{"method":"mean dropping highest and lowest","marks":5,"dropped_highest":98,"dropped_lowest":70,"value":88},)"
                    R"("standing":{"method":"mean","marks":3,"value":85}})"));
    CHECK_FALSE(has(json, "[92"));
}

TEST_CASE("ratings: a mark outside the range or off the scale is an error naming the rating") {
    auto c = compile_whole(kCard);
    REQUIRE(c.ruleset);
    const auto above = c.ruleset->evaluate(record(R"("ratings":{"review":[90,101],"peers":[90,90,90],"standing":["优秀"]})"));
    REQUIRE_FALSE(above.ok());
    CHECK(has(above.json(), R"("code":"R006","message":"rating `review` has a mark of 101, outside its range 0..100","where":"ratings.review[1]")"));
    const auto off = c.ruleset->evaluate(record(R"("ratings":{"review":[90],"peers":[90,90,90],"standing":[90]})"));
    REQUIRE_FALSE(off.ok());
    CHECK(has(off.json(), "not on its scale: 优秀 95, 良好 85, 一般 75"));
}

TEST_CASE("ratings: dropping the highest and the lowest with fewer than three marks is an error, not a division by zero") {
    auto c = compile_whole(kCard);
    REQUIRE(c.ruleset);
    const auto e = c.ruleset->evaluate(record(R"("ratings":{"review":[90],"peers":[90,80],"standing":["优秀"]})"));
    REQUIRE_FALSE(e.ok());
    CHECK(has(e.json(), R"("code":"R009")"));
    CHECK(has(e.json(), "dropping the highest and the lowest needs at least 3"));
}

TEST_CASE("ratings: a rating with no marks is an error") {
    auto c = compile_whole(kCard);
    REQUIRE(c.ruleset);
    const auto e = c.ruleset->evaluate(record(R"("ratings":{"review":[],"peers":[90,90,90],"standing":["优秀"]})"));
    REQUIRE_FALSE(e.ok());
    CHECK(has(e.json(), "rating `review` has no marks"));
}

TEST_CASE("ratings: a rating that a rule reads is required, and an unknown one is suggested") {
    auto c = compile_whole(kCard);
    REQUIRE(c.ruleset);
    const auto missing = c.ruleset->evaluate(record(R"("ratings":{"peers":[90,90,90],"standing":["优秀"]})"));
    REQUIRE_FALSE(missing.ok());
    CHECK(has(missing.json(), R"("code":"R004","message":"missing rating `review`)"));
    CHECK(has(missing.json(), R"("where":"ratings.review")"));
    const auto unknown = c.ruleset->evaluate(record(R"("ratings":{"reviw":[90],"peers":[90,90,90],"standing":["优秀"]})"));
    REQUIRE_FALSE(unknown.ok());
    CHECK(has(unknown.json(), "unknown rating `reviw` (did you mean `review`?)"));
}

TEST_CASE("ratings: a test block gives marks by number and by label") {
    const std::string text = kCard + R"(
test "five raters" {
  ratings { review: [92, 88, 95, 90, 85], peers: [98, 90, 88, 86, 70], standing: [优秀, 良好, 75] }
  expect total = 89.5
}
)";
    auto c = compile_whole(text);
    REQUIRE_MESSAGE(c.ruleset, kaohe::render(c.diagnostics));
    const kaohe::TestReport run = kaohe::run_tests(*c.ruleset);
    CHECK_MESSAGE(run.passed() == 1, run.text());
    CHECK(run.failed() == 0);
}

TEST_CASE("ratings: mutants toggle dropping the highest and the lowest") {
    auto c = compile_whole(kCard);
    REQUIRE(c.ruleset);
    std::vector<std::string> toggled;
    for (const auto& m : policy::mutants_of(*c.ruleset))
        if (m.kind == "dropping toggled") toggled.push_back(m.replacement);
    CHECK(toggled == std::vector<std::string>{"mean dropping highest and lowest", "mean", "mean dropping highest and lowest"});
}

TEST_CASE("ratings: a mutant of the marks range shows the range, and coverage names the range's ends") {
    const std::string text = kCard + R"(
test "five raters" {
  ratings { review: [92, 88, 95, 90, 85], peers: [98, 90, 88, 86, 70], standing: [优秀, 良好, 75] }
  expect total = 89.5
}
test "a mark of 100" {
  ratings { review: [100], peers: [90, 90, 90], standing: [优秀] }
  expect masses.opinion = 70
}
)";
    auto c = compile_whole(text);
    REQUIRE_MESSAGE(c.ruleset, kaohe::render(c.diagnostics));
    bool seen = false;
    for (const auto& m : policy::mutants_of(*c.ruleset))
        if (m.kind == "number" && m.where.line == 2 && m.replacement == "1") {
            seen = true;
            CHECK(m.before == "0..100");
            CHECK(m.after == "1..100");
        }
    CHECK(seen);
    policy::Coverage cov;
    cov.run(*c.ruleset);
    const policy::CoverageReport r = cov.report();
    std::vector<std::string> marks;
    for (const auto& item : r.items)
        if (item.subject.find("marks range 0..100 of `review`") != std::string::npos)
            marks.push_back(item.subject + (item.seen_a ? " a" : "") + (item.seen_b ? " b" : ""));
    CHECK(marks == std::vector<std::string>{"lower end 0 of the marks range 0..100 of `review`",
                                            "upper end 100 of the marks range 0..100 of `review` a"});
}

TEST_CASE("ratings: diff lists a changed rating") {
    const fs::path dir = fs::temp_directory_path() / ("kaohe-ratings-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    spit(dir / "old.kh", kCard);
    spit(dir / "new.kh", replaced(kCard, "marks 0..100 mean\n", "marks 0..100 mean dropping highest and lowest\n"));
    const policy::StructuralDiff d = policy::structural_diff((dir / "old.kh").string(), (dir / "new.kh").string());
    REQUIRE_MESSAGE(d.ok(), kaohe::render(d.diagnostics));
    std::vector<std::string> got;
    for (const auto& ch : d.changes) got.push_back(ch.change + " " + ch.what + " " + ch.path);
    CHECK(got == std::vector<std::string>{"changed rating review"});
    fs::remove_all(dir);
}

namespace {

const std::string kVotes = R"(policy "t" year 2022
rating votes "民主测评票" votes { excellent "优秀", competent "称职", basic "基本称职", incompetent "不称职" }
section masses "民主测评" 30 {
  clause votes "测评票" 30 from 0 { add 30 * share(votes for excellent, competent) }
}
)";

}  // namespace

TEST_CASE("votes: the share of the votes for some grades, exactly") {
    auto c = compile_whole(kVotes);
    REQUIRE_MESSAGE(c.ruleset, kaohe::render(c.diagnostics));
    // 30 + 10 of 42: 30 × 40/42 = 200/7.
    const auto e = c.ruleset->evaluate(record(R"("ratings":{"votes":{"excellent":30,"competent":10,"basic":2}})"));
    REQUIRE_MESSAGE(e.ok(), e.json());
    CHECK(e.result().total() == kaohe::Number(200) / kaohe::Number(7));
}

TEST_CASE("votes: grades are given by id or label, and a grade not given has none") {
    auto c = compile_whole(kVotes);
    REQUIRE(c.ruleset);
    // 优秀 3 + competent 0 of 3 + 不称职 1 = 4: 30 × 3/4 = 22.5.
    const auto e = c.ruleset->evaluate(record(R"("ratings":{"votes":{"优秀":3,"不称职":1}})"));
    REQUIRE_MESSAGE(e.ok(), e.json());
    CHECK(e.result().total() == *kaohe::Number::from_decimal("22.5"));
}

TEST_CASE("votes: the line shows the votes for the grades and in all, and the share as a fraction") {
    auto c = compile_whole(kVotes);
    REQUIRE(c.ruleset);
    const auto e = c.ruleset->evaluate(record(R"("ratings":{"votes":{"excellent":30,"competent":10,"basic":2}})"));
    REQUIRE(e.ok());
    CHECK(has(e.result().text(), "民主测评票 votes: 优秀 30 + 称职 10 of 42 votes = 20/21"));
    CHECK(has(e.json(), R"("rating":"votes","method":"share","grades":["excellent","competent"],"votes":40,"of":42,"value":0.95)"));
    CHECK(has(e.json(), R"("ratings":{"votes":{"method":"votes","votes":{"excellent":30,"competent":10,"basic":2,"incompetent":0},"of":42}})"));
}

TEST_CASE("votes: no votes at all is a record error, not a division by zero") {
    auto c = compile_whole(kVotes);
    REQUIRE(c.ruleset);
    const auto e = c.ruleset->evaluate(record(R"("ratings":{"votes":{"excellent":0}})"));
    REQUIRE_FALSE(e.ok());
    CHECK(has(e.json(), R"("code":"R009","message":"rating `votes` has no votes)"));
}

TEST_CASE("votes: a vote rating used as a number is C044") {
    const auto c = compile_whole(replaced(kVotes, "30 * share(votes for excellent, competent)", "votes"));
    CHECK_FALSE(c.ruleset);
    CHECK(has(kaohe::render(c.diagnostics), "error[C044]: vote rating `votes` is not a number"));
}

TEST_CASE("votes: every vote cast for the grades counted is a share of 1") {
    auto c = compile_whole(kVotes);
    REQUIRE(c.ruleset);
    // 5 + 2 of 7: share 1, 30 × 1 = 30.
    const auto e = c.ruleset->evaluate(record(R"("ratings":{"votes":{"excellent":5,"competent":2}})"));
    REQUIRE(e.ok());
    CHECK(e.result().total() == kaohe::Number(30));
}

TEST_CASE("votes: diff lists a changed vote rating") {
    const fs::path dir = fs::temp_directory_path() / ("kaohe-votes-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    spit(dir / "old.kh", kVotes);
    spit(dir / "new.kh", replaced(kVotes, "basic \"基本称职\", ", ""));
    const policy::StructuralDiff d = policy::structural_diff((dir / "old.kh").string(), (dir / "new.kh").string());
    REQUIRE_MESSAGE(d.ok(), kaohe::render(d.diagnostics));
    std::vector<std::string> got;
    for (const auto& ch : d.changes) got.push_back(ch.change + " " + ch.what + " " + ch.path);
    CHECK(got == std::vector<std::string>{"changed rating votes"});
    fs::remove_all(dir);
}
