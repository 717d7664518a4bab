// Period rules: `deduct 5 each month when count(absent) >= 3` counts once for each month (or
// quarter) of the year whose condition holds, its counts and sums read over the events dated in
// that period. Each line names its period (JSON `period`, the scorecard's `2022-03: ...`, the
// C++ Line::period); the range analysis counts up to 12 (or 4) times the points; mutants swap
// `month` and `quarter`; `kaohe diff` lists a changed period as a changed rule.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "api/access.hpp"
#include "ir/program.hpp"
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

const std::string kCard = R"(policy "t" year 2022
event absent "缺勤"
section daily "日常考勤" 20 {
  clause attendance "考勤" 20 { deduct 5 each month when count(absent) >= 3 }
}
)";

// March 4 absences, April 2, May 3.
const char* kRecord = R"({"id":"a","year":2022,"events":[{"type":"absent","count":4,"date":"2022-03-02"},)"
                      R"({"type":"absent","count":2,"date":"2022-04"},{"type":"absent","count":3,"date":"2022-05-09"}]})";

}  // namespace

TEST_CASE("periods: a period rule counts once for each month whose own events meet the condition") {
    auto c = compile_whole(kCard);
    REQUIRE_MESSAGE(c.ruleset, kaohe::render(c.diagnostics));
    CHECK(c.diagnostics.empty());
    const auto e = c.ruleset->evaluate(kRecord);
    REQUIRE(e.ok());
    // March (4) and May (3) count, April (2) does not: 20 - 5 × 2 = 10.
    CHECK(e.result().score("daily.attendance") == kaohe::Number(10));
}

TEST_CASE("periods: each line names its period and the count that met the condition") {
    auto c = compile_whole(kCard);
    REQUIRE(c.ruleset);
    const auto e = c.ruleset->evaluate(kRecord);
    REQUIRE(e.ok());
    const kaohe::Result& r = e.result();
    CHECK(has(r.text(), "2022-03: 缺勤 count(absent) = 4"));
    CHECK(has(r.text(), "2022-05: 缺勤 count(absent) = 3"));
    CHECK_FALSE(has(r.text(), "2022-04:"));
    CHECK(has(r.json(), R"("kind":"value","period":"2022-03","points":-5)"));
    std::vector<std::string> periods;
    for (const auto& l : r.lines()) periods.push_back(l.period);
    CHECK(periods == std::vector<std::string>{"2022-03", "2022-05"});
}

TEST_CASE("periods: a quarter rule reads the three months of each quarter together") {
    auto c = compile_whole(replaced(kCard, "each month", "each quarter"));
    REQUIRE(c.ruleset);
    const auto e = c.ruleset->evaluate(kRecord);
    REQUIRE(e.ok());
    // Q1: 4 (counts), Q2: 2 + 3 = 5 (counts): 20 - 10 = 10, on lines named 2022-Q1 and 2022-Q2.
    CHECK(e.result().score("daily.attendance") == kaohe::Number(10));
    CHECK(has(e.result().text(), "2022-Q2: 缺勤 count(absent) = 5"));
}

TEST_CASE("periods: `at most` caps the rule's total over the year") {
    auto c = compile_whole(replaced(kCard, ">= 3 }", ">= 2 at most 8 }"));
    REQUIRE(c.ruleset);
    const auto e = c.ruleset->evaluate(kRecord);
    REQUIRE(e.ok());
    // March, April and May count: 15, capped at 8: 20 - 8 = 12.
    CHECK(e.result().score("daily.attendance") == kaohe::Number(12));
    CHECK(has(e.result().json(), R"("kind":"cap")"));
}

TEST_CASE("periods: an event without a date that a period rule reads is a record error naming it") {
    auto c = compile_whole(kCard);
    REQUIRE(c.ruleset);
    const auto e = c.ruleset->evaluate(R"({"id":"a","year":2022,"events":[{"type":"absent","date":"2022-01-03"},{"type":"absent"}]})");
    REQUIRE_FALSE(e.ok());
    CHECK(e.error().code == "R004");
    CHECK(e.error().where == "events[1].date");
    CHECK(has(e.error().message, "`absent` (缺勤) has no date"));
}

TEST_CASE("periods: a period rule whose condition reads no event is C046") {
    const std::string measure = replaced(kCard, "event absent \"缺勤\"\n", "event absent \"缺勤\"\nmeasure days \"天数\" whole >= 0\n");
    CHECK(has(kaohe::render(compile_whole(replaced(measure, "count(absent) >= 3", "days > 3")).diagnostics),
              "error[C046]: this condition reads no event, so every month would answer the same"));
    CHECK(has(kaohe::render(compile_whole(replaced(kCard, " when count(absent) >= 3", "")).diagnostics),
              "error[C046]: `each month` needs a condition on that month's events"));
}

TEST_CASE("periods: a period rule without its points is C012, not an unknown event `month`") {
    const std::string t = kaohe::render(compile_whole(replaced(kCard, "deduct 5 each month", "deduct each month")).diagnostics);
    CHECK(has(t, "error[C012]: how many points for each month?"));
    CHECK_FALSE(has(t, "C004"));
}

TEST_CASE("periods: the range analysis counts a rule up to 12 months or 4 quarters of its points") {
    auto month = compile_whole(kCard);
    REQUIRE(month.ruleset);
    auto quarter = compile_whole(replaced(kCard, "each month", "each quarter"));
    REQUIRE(quarter.ruleset);
    const kaohe::ir::Program& pm = kaohe::Access::program(*month.ruleset);
    const kaohe::ir::Program& pq = kaohe::Access::program(*quarter.ruleset);
    // 5 × 12 = 60 and 5 × 4 = 20; the clause of 20 can then fall to 20 - 60 = -40 (its floor is
    // reachable) or to 20 - 20 = 0 (not).
    REQUIRE(pm.rules.size() == 1);
    CHECK(*pm.rules[0].counted.hi == kaohe::Number(60));
    CHECK(*pm.rules[0].counted.lo == kaohe::Number(0));
    CHECK(*pq.rules[0].counted.hi == kaohe::Number(20));
    CHECK(pm.nodes[1].floor_reachable());
    CHECK_FALSE(pq.nodes[1].floor_reachable());
}

TEST_CASE("periods: mutants swap `month` and `quarter`") {
    auto c = compile_whole(kCard);
    REQUIRE(c.ruleset);
    const auto at = static_cast<std::uint32_t>(kCard.find("month"));
    std::vector<std::string> swaps;
    for (const auto& m : policy::mutants_of(*c.ruleset))
        if (m.kind == "period") {
            CHECK(m.begin == at);
            swaps.push_back(m.replacement);
        }
    CHECK(swaps == std::vector<std::string>{"quarter"});
}

TEST_CASE("periods: diff lists a rule moved from months to quarters") {
    const fs::path dir = fs::temp_directory_path() / ("kaohe-periods-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    spit(dir / "old.kh", kCard);
    spit(dir / "new.kh", replaced(kCard, "each month", "each quarter"));
    const policy::StructuralDiff d = policy::structural_diff((dir / "old.kh").string(), (dir / "new.kh").string());
    REQUIRE_MESSAGE(d.ok(), kaohe::render(d.diagnostics));
    REQUIRE(d.changes.size() == 1);
    CHECK(d.changes[0].change == "changed");
    CHECK(d.changes[0].what == "rule");
    CHECK(has(d.changes[0].old_text, "each month"));
    CHECK(has(d.changes[0].new_text, "each quarter"));
    fs::remove_all(dir);
}
